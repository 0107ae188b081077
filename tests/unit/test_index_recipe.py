"""The search index's text is built cheaply but stays the recipe the stored rows were made with."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.old_cache import recount
from tui.cli import main
from tui.core.models import EntryFilter, ParsedEntry
from tui.core.store import Store
from tui.core.store import schema as schema_module
from tui.core.store.search import fold, index_text
from tui.core.store.upgrade import entries_to_index_again
from tui.core.text import script_tables
from tui.core.text.html.visible import visible_text
from tui.core.text.scripts import INDEXED_LETTERS

_CJK = re.compile(f"([{INDEXED_LETTERS}]+)")
_TRIGRAMS = re.compile(r"(?=([^\n]{3}))")


def _words_and_runs(title: str, body_html: str) -> tuple[str, list[str]]:
    """The text with scripts folded, cut into non-CJK parts and CJK runs."""
    text = fold(f"{title}\n{visible_text(body_html, tags_split_words=True)[:60_000]}")
    return text, _CJK.split(text)


def _recipe(title: str, body_html: str) -> str:
    """The recipe as written down (schema 6): fold the whole text, cut it into words and
    runs, then every trigram of every run, and each run's last two characters and last one."""
    text, parts = _words_and_runs(title, body_html)
    if len(parts) == 1:
        return text
    runs = parts[1::2]
    grams = [gram for run in runs for gram in _TRIGRAMS.findall(run)]
    grams += [end for run in runs for end in (run[-2:], run[-1])]
    return " ".join(parts[0::2]) + "\n" + " ".join(dict.fromkeys(grams))


def _recipe_of_schema_5(title: str, body_html: str) -> str:
    """The recipe before schema 6, which also held every single character."""
    text, parts = _words_and_runs(title, body_html)
    if len(parts) == 1:
        return text
    runs = list(dict.fromkeys(parts[1::2]))
    joined = "\n".join(runs)
    tails = [run[-2:] for run in runs if len(run) >= 2]
    grams = dict.fromkeys(chain(joined, _TRIGRAMS.findall(joined), tails))
    grams.pop("\n", None)
    return " ".join(parts[0::2]) + "\n" + " ".join(grams)


# Traditional, Simplified and Japanese forms of the same words, halfwidth katakana with
# separate voicing marks, fullwidth Latin, compatibility ideographs, tags and plain words.
PIECES = [
    "颱風", "台风", "台風", "防災", "防灾", "櫻", "桜", "樱", "體", "体", "ｶﾞｲﾄﾞ", "ｶ", "ﾞ",
    "ＡＢＣ", "１２", "\uf900", "\ufa0e", "新幹線", "半導體", "半导体", "中", "文", "中文",
    " ", "\n", "word", "Straße", "<p>", "</p>", "<b>", "&amp;", "、", "。", "𠀋", "𪚥",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=6),
    st.lists(st.sampled_from(PIECES), max_size=30),
)
def test_index_text_is_the_written_recipe(title: list[str], body: list[str]) -> None:
    text = index_text("".join(title), "".join(body))
    recipe = _recipe("".join(title), "".join(body))
    assert _tokens(text) == _tokens(recipe)
    # The words go in as they are; only the grams may come in another order or twice.
    assert text.startswith(recipe.rpartition("\n")[0])


_VOCAB = sqlite3.connect(":memory:")
_VOCAB.execute(
    "CREATE VIRTUAL TABLE scratch USING fts5(text, detail=none, "
    "tokenize='unicode61 remove_diacritics 2')"
)
_VOCAB.execute("CREATE VIRTUAL TABLE scratch_vocab USING fts5vocab(scratch, row)")


def _tokens(text: str) -> set[str]:
    """The tokens SQLite's tokenizer makes of ``text``, as the index stores them."""
    with _VOCAB:
        _VOCAB.execute("DELETE FROM scratch")
        _VOCAB.execute("INSERT INTO scratch(text) VALUES (?)", (text,))
        return {term for (term,) in _VOCAB.execute("SELECT term FROM scratch_vocab")}


def test_script_folding_keeps_letters_inside_the_indexed_set() -> None:
    # index_text folds only the CJK runs it has cut: a fold that turned a CJK letter into
    # something else (or the reverse) would move the cuts and change the recipe.
    indexed = re.compile(f"[{INDEXED_LETTERS}]")
    pairs = chain(
        zip(script_tables.TRADITIONAL, script_tables.TRADITIONAL_FOLDED, strict=True),
        zip(script_tables.SHINJITAI, script_tables.SHINJITAI_FOLDED, strict=True),
    )
    assert all(indexed.fullmatch(a) and indexed.fullmatch(b) for a, b in pairs)


def test_a_one_character_query_is_a_prefix_of_the_grams() -> None:
    text = index_text("", "<p>颱風過境</p>")
    assert set(text.split()) == {"台风过", "风过境", "过境", "境"}


def _single_characters(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, entry_fts, row)")
        rows = db.execute("SELECT term FROM temp.vocab WHERE length(term) = 1")
        return {term for (term,) in rows}


NOW = datetime(2024, 5, 1, tzinfo=UTC)


@pytest.fixture
def cache_at_schema_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A version 5 cache of four entries, their rows indexed with every single character."""
    path = tmp_path / "cache.db"
    entries = [
        ParsedEntry(guid=f"urn:{n}", link=None, title=title, content="", published=NOW)
        for n, title in enumerate(["颱風過境", "台风来袭", "防災の日", "Typhoon"])
    ]
    with monkeypatch.context() as patch:
        patch.setattr("tui.core.store.codec.index_text", _recipe_of_schema_5)
        patch.setattr(schema_module, "MIGRATIONS", schema_module.MIGRATIONS[:5])
        patch.setattr(schema_module, "SCHEMA_VERSION", 5)
        with Store(path) as s:
            feed = s.add_feed("https://a.example/")
            s.save_entries(feed.id, entries, now=NOW)
    recount(path)
    assert {"台", "风", "过", "境"} <= _single_characters(path)
    return path


def test_version_6_indexes_every_entry_again_without_single_characters(
    cache_at_schema_5: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert entries_to_index_again(cache_at_schema_5) == 4
    monkeypatch.setattr(schema_module, "_INDEX_PAGE", 3)  # the migration reads in pages
    with Store(cache_at_schema_5) as s:
        assert _single_characters(cache_at_schema_5) == {"境", "袭", "日"}
        assert sorted(e.title for e in s.list_entries(EntryFilter(search="风"))) == [
            "台风来袭",
            "颱風過境",
        ]
        assert [e.title for e in s.list_entries(EntryFilter(search="typhoon"))] == ["Typhoon"]
        # Rows indexed by the migration are deleted by the recipe of today.
        changed = ParsedEntry(guid="urn:0", link=None, title="颱風已過", content="", published=NOW)
        assert s.save_entries(1, [changed], now=NOW) == 0
        assert [e.title for e in s.list_entries(EntryFilter(search="境"))] == []
        assert s.integrity_ok()
    assert entries_to_index_again(cache_at_schema_5) == 0


def test_the_cli_says_when_opening_indexes_every_entry_again(
    cache_at_schema_5: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("tui.core.store.upgrade.ENTRIES_A_SECOND", 2)
    home = cache_at_schema_5.parent
    assert main(["--home", str(home), "feeds"]) == 0
    assert (
        "the search index of 4 entries is built again, once (about 2 s)" in capsys.readouterr().err
    )
    assert main(["--home", str(home), "feeds"]) == 0
    assert "search index" not in capsys.readouterr().err


def test_index_segments_merge_eight_at_a_time(tmp_path: Path, cache_at_schema_5: Path) -> None:
    # A refresh writes one small segment per feed: merging them four at a time (FTS5's
    # default) rewrote each entry's tokens about five times over a cold refresh.
    with Store(tmp_path / "new.db"), Store(cache_at_schema_5):
        pass
    for path in (tmp_path / "new.db", cache_at_schema_5):
        with sqlite3.connect(path) as db:
            row = db.execute("SELECT v FROM entry_fts_config WHERE k = 'automerge'").fetchone()
        assert row == (8,)


def test_a_new_or_unreadable_cache_needs_no_announcement(tmp_path: Path) -> None:
    assert not schema_module.indexes_again(0)
    assert schema_module.indexes_again(5) and schema_module.indexes_again(1)
    assert not schema_module.indexes_again(schema_module.SCHEMA_VERSION)
    assert entries_to_index_again(tmp_path / "none.db") == 0
    (tmp_path / "junk.db").write_bytes(b"not a database")
    assert entries_to_index_again(tmp_path / "junk.db") == 0
    with Store(tmp_path / "new.db"):
        pass
    assert entries_to_index_again(tmp_path / "new.db") == 0
