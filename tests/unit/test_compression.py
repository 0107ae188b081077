"""Stored bodies: new ones are zstd frames, zlib ones from older caches still read, are
searched and leave the index exactly, and a damaged one is reported as damage."""

from __future__ import annotations

import sqlite3
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.errors import StoreCorruptError
from tui.core.models import EntryFilter, ParsedEntry
from tui.core.store import Store, codec, compression
from tui.core.text.html.blocks import Document, Paragraph
from tui.core.text.html.serial import dump_document

NOW = datetime(2024, 5, 1, tzinfo=UTC)
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
BODY = "<p>颱風過境，半導體工廠停工。</p>" * 40


@given(st.text())
def test_any_text_round_trips(text: str) -> None:
    assert compression.decompress(compression.compress(text)) == text


def test_threads_compress_at_once_without_mixing_their_bodies() -> None:
    texts = [f"<p>{n} {'正文' * (n + 300)}</p>" for n in range(64)]
    with ThreadPoolExecutor(8) as pool:
        blobs = list(pool.map(compression.compress, texts))
        assert list(pool.map(compression.decompress, blobs)) == texts


def _body_column(path: Path) -> bytes:
    db = sqlite3.connect(path)
    try:
        (content,) = db.execute("SELECT content FROM entry_bodies").fetchone()
    finally:
        db.close()
    assert isinstance(content, bytes)
    return content


def _set_body_column(path: Path, value: bytes) -> None:
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE entry_bodies SET content = ?", (value,))
    db.close()


def _ids(store: Store, search: str) -> list[int]:
    return [e.id for e in store.list_entries(EntryFilter(search=search))]


def test_a_new_body_is_a_zstd_frame(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    with Store(path) as store:
        feed = store.add_feed("https://a.example/")
        store.save_entries(
            feed.id, [ParsedEntry(guid="a", link=None, title="t", content=BODY)], now=NOW
        )
    assert _body_column(path).startswith(ZSTD_MAGIC)


def test_a_zlib_body_of_an_older_cache_reads_and_leaves_the_index_exactly(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cache.db"
    with Store(path) as store:
        feed = store.add_feed("https://a.example/")
        store.save_entries(
            feed.id, [ParsedEntry(guid="a", link=None, title="t", content=BODY)], now=NOW
        )
    _set_body_column(path, zlib.compress(BODY.encode("utf-8"), 1))
    with Store(path) as store:
        (entry,) = store.list_entries(with_content=True)
        assert entry.content == BODY
        assert _ids(store, "颱風") == [entry.id]
        # The feed changes its copy: the old text, read back from zlib, leaves the index.
        changed = ParsedEntry(
            guid="a", link=None, title="t", content="<p>新幹線は定刻に発車した。</p>" * 20
        )
        store.save_entries(entry.feed_id, [changed], now=NOW)
        assert _ids(store, "颱風") == [] and _ids(store, "新幹線") == [entry.id]
        assert store.integrity_ok()
    assert _body_column(path).startswith(ZSTD_MAGIC)


def test_a_zlib_article_of_an_older_cache_reads() -> None:
    document = Document(blocks=(Paragraph(text="舊的全文"),))
    old = zlib.compress(dump_document(document).encode("utf-8"), 1)
    assert codec.decode_article(old) == document
    assert codec.decode_article(codec.encode_article(document)) == document
    assert codec.decode_article(ZSTD_MAGIC + b"\x00broken") is None


@pytest.mark.parametrize("damage", [ZSTD_MAGIC + b"\x00\x01broken", b"\x78\x9cbroken"])
def test_a_damaged_body_is_reported_as_damage(tmp_path: Path, damage: bytes) -> None:
    path = tmp_path / "cache.db"
    with Store(path) as store:
        feed = store.add_feed("https://a.example/")
        store.save_entries(
            feed.id, [ParsedEntry(guid="a", link=None, title="t", content=BODY)], now=NOW
        )
    _set_body_column(path, damage)
    with Store(path) as store, pytest.raises(StoreCorruptError):
        store.list_entries(with_content=True)
