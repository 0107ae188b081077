"""Cached full articles in the store: round trip, search index kept exact, deleted with entries."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tui.core.models import EntryFilter, ParsedEntry
from tui.core.store import Store
from tui.core.store.articles import StoredArticle
from tui.core.text.extract import extract_article
from tui.core.text.html.serial import dump_document, load_document

PAGES = Path(__file__).parents[1] / "data" / "pages"
NOW = datetime(2024, 3, 1, tzinfo=UTC)


def _article(entry_id: int, page: str) -> StoredArticle:
    found = extract_article((PAGES / page).read_bytes(), "http://example.com/a")
    return StoredArticle(
        entry_id=entry_id,
        url="http://example.com/a",
        fetched=NOW,
        etag='"v1"',
        last_modified=None,
        title=found.title,
        byline=found.byline or "",
        published=found.date,
        document=found.document,
        error=None,
    )


def _ids(store: Store, search: str) -> list[int]:
    return [e.id for e in store.list_entries(EntryFilter(search=search))]


def test_every_saved_page_round_trips_through_the_stored_form() -> None:
    for page in sorted(PAGES.glob("*.html")):
        document = extract_article(page.read_bytes(), "http://example.com/").document
        assert load_document(dump_document(document)) == document, page.name


def test_the_index_stays_exact_through_update_refetch_and_retention(tmp_path: Path) -> None:
    with Store(tmp_path / "cache.db") as store:
        feed = store.add_feed("http://example.com/feed")
        entry = ParsedEntry(guid="a", link="http://example.com/a", title="Harbour", summary="s")
        store.save_entries(feed.id, [entry], now=NOW)
        (entry_id,) = store.entry_ids()
        assert store.save_article(_article(entry_id, "en-blog-sqlite.html"))
        assert _ids(store, "nineteen") == [entry_id]
        stored = store.get_article(entry_id)
        assert stored is not None and stored.etag == '"v1"' and stored.document is not None
        # The feed changes its copy: the article stays in the index with the new text.
        changed = ParsedEntry(guid="a", link="http://example.com/a", title="Harbour", summary="t")
        store.save_entries(feed.id, [changed], now=NOW)
        assert _ids(store, "nineteen") == [entry_id]
        # A later fetch replaces the article and its words.
        assert store.save_article(_article(entry_id, "zh-portal-gbk.html"))
        assert _ids(store, "nineteen") == [] and _ids(store, "电梯") == [entry_id]
        assert store.integrity_ok()
        newer = ParsedEntry(guid="b", link="http://example.com/b", title="Newer", summary="n")
        store.save_entries(feed.id, [newer], now=NOW, max_entries=1)
        assert store.get_article(entry_id) is None and _ids(store, "电梯") == []
        assert store.integrity_ok()
        assert not store.save_article(_article(entry_id, "zh-portal-gbk.html"))
