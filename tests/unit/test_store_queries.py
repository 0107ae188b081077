"""The store's side of queries: filters with a query, saved queries, ignore rules, categories,
and ignore rules applied where a refresh worker stores a feed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui.core.errors import StoreError
from tui.core.models import EntryFilter, IgnoreRule, ParsedEntry, SavedQuery
from tui.core.query.parser import QueryError
from tui.core.refresh.ingest import Ingest, ingest_into
from tui.core.store import Store

NOW = datetime.now(UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "cache.db") as s:
        feed = s.add_feed("https://example.test/feed", title="Example", tags=("news",))
        s.save_entries(
            feed.id,
            [
                ParsedEntry(
                    guid=f"urn:{n}",
                    link=f"https://example.test/{n}",
                    title=f"Item {n}" + (" sponsored" if n % 3 == 0 else ""),
                    content=f"<p>body {n}</p>",
                    published=NOW - timedelta(days=n),
                    categories=("tech", "world") if n == 1 else (),
                )
                for n in range(1, 10)
            ],
            now=NOW,
        )
        yield s


def titles(store: Store, flt: EntryFilter) -> list[str]:
    return [e.title for e in store.list_entries(flt)]


def test_a_query_combines_with_the_other_filters_limit_and_offset(store: Store) -> None:
    flt = EntryFilter(query='title =~ "sponsored"')
    assert titles(store, flt) == ["Item 3 sponsored", "Item 6 sponsored", "Item 9 sponsored"]
    assert store.count_entries(flt) == 3
    assert [e.title for e in store.list_entries(flt, limit=1, offset=1)] == ["Item 6 sponsored"]
    entries = store.list_entries(EntryFilter(query="age < 2"), with_content=True)
    assert [e.content for e in entries] == ["<p>body 1</p>"]
    assert store.entry_ids(EntryFilter(query="age > 7", search="body")) == [
        store.entry_ids(EntryFilter(query='title = "Item 8"'))[0],
        store.entry_ids(EntryFilter(query='title = "Item 9 sponsored"'))[0],
    ]
    assert store.mark_all_read(EntryFilter(query='title =~ "sponsored"')) == 3
    assert titles(store, EntryFilter(query='unread = "no"')) == titles(store, flt)
    with pytest.raises(QueryError, match="column 1"):
        store.count_entries(EntryFilter(query="nonsense"))


def test_categories_are_stored_and_read_back(store: Store) -> None:
    by_title = {e.title: e.categories for e in store.list_entries()}
    assert by_title["Item 1"] == ("tech", "world")
    assert by_title["Item 2"] == ()


def test_saved_queries_keep_their_order_and_are_checked(store: Store) -> None:
    store.save_query("B", 'unread = "yes"')
    store.save_query("A", "age < 3")
    store.save_query("B", "age < 5")
    assert store.saved_queries() == [SavedQuery("B", "age < 5"), SavedQuery("A", "age < 3")]
    with pytest.raises(QueryError):
        store.save_query("C", 'title = "x')
    with pytest.raises(StoreError):
        store.save_query("\x1b ", "age < 3")
    assert store.remove_query("B") and not store.remove_query("B")
    assert store.saved_queries() == [SavedQuery("A", "age < 3")]


def test_ignore_rules_by_expression_and_feed(store: Store) -> None:
    assert store.add_ignore_rule('title =~ "x"')
    assert not store.add_ignore_rule('title =~ "x"')
    assert store.add_ignore_rule('title =~ "x"', "https://example.test/feed")
    assert store.ignore_rules() == [
        IgnoreRule('title =~ "x"'),
        IgnoreRule('title =~ "x"', "https://example.test/feed"),
    ]
    with pytest.raises(QueryError):
        store.add_ignore_rule("title")
    assert store.remove_ignore_rule('title =~ "x"') == 2
    assert store.ignore_rules() == []


def rss(items: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><guid>urn:new:{guid}</guid><author>{author}</author></item>"
        for guid, (title, author) in enumerate(items)
    )
    return f'<rss version="2.0"><channel><title>T</title>{body}</channel></rss>'.encode()


def test_ingest_drops_what_the_rules_match_before_storing(store: Store) -> None:
    feed = store.get_feed("https://example.test/feed")
    assert feed is not None
    items = [("Ad one", "a@x"), ("Story", "b@x"), ("Ad two", "c@x"), ("Third", "d@x")]
    job = Ingest(
        feed_id=feed.id,
        body=rss(items),
        url=feed.url,
        content_type="application/rss+xml",
        status=200,
        etag=None,
        last_modified=None,
        max_entries=None,
        # Feed attributes, the position in the feed and unread all count, as in newsboat.
        ignore=('title =~ "^Ad" and tags # "news"', 'articleindex = 4 and unread = "yes"'),
    )
    assert ingest_into(store, [job]) == [1]
    assert store.count_entries(EntryFilter(query='title = "Story"')) == 1
    assert store.count_entries(EntryFilter(query='title =~ "^Ad" or title = "Third"')) == 0
