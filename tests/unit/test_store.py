"""The SQLite cache: feeds, entries, dedup, retention, search, migrations, damage."""

from __future__ import annotations

import fcntl
import html
import os
import random
import sqlite3
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.old_cache import recount
from tui.core.errors import StoreBusyError, StoreCorruptError, StoreError
from tui.core.models import Enclosure, EntryFilter, FetchRecord, ParsedEntry
from tui.core.store import Store, codec, saving
from tui.core.store import schema as schema_module
from tui.core.store.codec import hash64
from tui.core.store.failures import translate_error
from tui.core.store.search import index_text, match_expression
from tui.core.text.html.visible import visible_text

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("shared/corpus is not beside the repository")
    return CORPUS


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "cache.db") as s:
        yield s


def item(n: int, **kw: object) -> ParsedEntry:
    fields: dict[str, object] = {
        "guid": f"urn:item:{n}",
        "link": f"https://example.com/{n}",
        "title": f"Item {n}",
        "content": f"<p>body of item {n}</p>",
        "published": NOW - timedelta(hours=n),
    }
    fields.update(kw)
    return ParsedEntry(**fields)  # type: ignore[arg-type]


def titles(store: Store, flt: EntryFilter = EntryFilter()) -> list[str]:
    return [e.title for e in store.list_entries(flt)]


# -- opening -----------------------------------------------------------------------------


def test_a_new_cache_is_created_in_wal_mode_at_the_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    Store(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema_module.SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    with Store(path) as again:
        assert again.list_feeds() == []


def test_a_closed_store_refuses_calls_and_closes_twice(tmp_path: Path) -> None:
    s = Store(tmp_path / "cache.db")
    s.close()
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.list_feeds()


def test_a_missing_directory_is_a_one_line_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        Store(tmp_path / "nope" / "cache.db")
    assert caught.value.reason == "cannot open the cache (no such directory)"
    assert caught.value.subject == str(tmp_path / "nope" / "cache.db")


# -- feeds -------------------------------------------------------------------------------


def test_add_feed_is_idempotent_and_merges_tags(store: Store) -> None:
    first = store.add_feed("https://a.example/feed", title="Alpha", tags=["news", "zh"])
    again = store.add_feed("https://a.example/feed", title="Other", tags=["zh", "tech", " "])
    assert again.id == first.id
    assert again.title == "Alpha"
    assert again.tags == ("news", "zh", "tech")
    assert len(store.list_feeds()) == 1


def test_list_feeds_orders_by_casefolded_title_then_url_with_counts(store: Store) -> None:
    b = store.add_feed("https://b.example/", title="beta")
    store.add_feed("https://a2.example/", title="Alpha")
    store.add_feed("https://a1.example/", title="alpha")
    store.add_feed("https://z.example/", title="Ärger")
    store.save_entries(b.id, [item(1), item(2), item(3)], now=NOW)
    store.set_read(store.entry_ids(EntryFilter(feed_id=b.id))[:1])
    feeds = store.list_feeds()
    assert [f.url for f in feeds] == [
        "https://a1.example/",
        "https://a2.example/",
        "https://b.example/",
        "https://z.example/",
    ]
    beta = feeds[2]
    assert (beta.unread, beta.total) == (2, 3)


def test_feed_titles_the_users_name_wins_over_the_fetched_one(store: Store) -> None:
    plain = store.add_feed("https://p.example/")
    named = store.add_feed("https://n.example/", title="Mine\x1b[31m")
    for feed in (plain, named):
        store.record_fetch(feed.id, fetched_at=NOW, status=200, error=None, title="From feed")
    assert store.get_feed("https://p.example/").title == "From feed"  # type: ignore[union-attr]
    assert store.get_feed("https://n.example/").title == "Mine"  # type: ignore[union-attr]


def test_tags_are_replaced_and_filter_entries(store: Store) -> None:
    a = store.add_feed("https://a.example/", tags=["x"])
    b = store.add_feed("https://b.example/", tags=["y"])
    store.save_entries(a.id, [item(1, title="from a")], now=NOW)
    store.save_entries(b.id, [item(1, title="from b")], now=NOW)
    assert titles(store, EntryFilter(tag="x")) == ["from a"]
    store.set_feed_tags("https://b.example/", ["x", "z"])
    assert store.get_feed(b.url).tags == ("x", "z")  # type: ignore[union-attr]
    assert sorted(titles(store, EntryFilter(tag="x"))) == ["from a", "from b"]
    assert titles(store, EntryFilter(tag="y")) == []


def test_unknown_feeds_raise_store_error_naming_the_url(store: Store) -> None:
    with pytest.raises(StoreError) as caught:
        store.set_feed_tags("https://nobody.example/", ["x"])
    assert caught.value.subject == "https://nobody.example/"
    assert store.get_feed("https://nobody.example/") is None
    assert store.remove_feed("https://nobody.example/") is False


def test_remove_feed_deletes_its_entries_and_their_search_rows(store: Store) -> None:
    a = store.add_feed("https://a.example/")
    b = store.add_feed("https://b.example/")
    store.save_entries(a.id, [item(1, title="zebra crossing")], now=NOW)
    store.save_entries(b.id, [item(1, title="zebra stripes")], now=NOW)
    assert store.remove_feed("https://a.example/") is True
    assert titles(store) == ["zebra stripes"]
    assert titles(store, EntryFilter(search="zebra")) == ["zebra stripes"]
    assert store.integrity_ok()


def test_record_fetch_success_then_failure_keeps_validators(store: Store) -> None:
    feed = store.add_feed("https://a.example/")
    store.record_fetch(
        feed.id,
        fetched_at=NOW,
        status=200,
        error=None,
        etag='"v1"',
        last_modified="Wed, 01 May 2024 12:00:00 GMT",
        title="A",
        site_link="https://a.example",
    )
    later = NOW + timedelta(hours=1)
    store.record_fetch(
        feed.id,
        fetched_at=later,
        status=503,
        error="HTTP 503\nService Unavailable",
        etag=None,
        title=None,
        retry_after=later + timedelta(minutes=10),
    )
    got = store.get_feed(feed.url)
    assert got is not None
    assert (got.etag, got.last_modified) == ('"v1"', "Wed, 01 May 2024 12:00:00 GMT")
    assert (got.title, got.site_link) == ("A", "https://a.example")
    assert (got.status, got.error, got.last_fetched) == (503, "HTTP 503 Service Unavailable", later)
    assert store.retry_times() == {feed.id: later + timedelta(minutes=10)}
    store.record_fetch(feed.id, fetched_at=later, status=304, error=None)
    assert store.retry_times() == {}
    got = store.get_feed(feed.url)
    assert got is not None and got.error is None and got.etag == '"v1"'


def test_record_fetches_writes_a_batch_and_skips_removed_feeds(store: Store) -> None:
    a = store.add_feed("https://a.example/")
    b = store.add_feed("https://b.example/")
    store.record_fetch(a.id, fetched_at=NOW, status=200, error=None, etag='"a1"')
    later = NOW + timedelta(hours=1)
    store.record_fetches(
        [
            FetchRecord(a.id, later, 304, None, etag='"a1"'),
            FetchRecord(b.id, later, 404, "HTTP 404 Not Found"),
            FetchRecord(9999, later, 304, None),
        ]
    )
    store.record_fetches([])
    got_a, got_b = store.get_feed(a.url), store.get_feed(b.url)
    assert got_a is not None and got_b is not None
    assert (got_a.status, got_a.error, got_a.etag, got_a.last_fetched) == (304, None, '"a1"', later)
    assert (got_b.status, got_b.error, got_b.last_fetched) == (404, "HTTP 404 Not Found", later)


def test_save_entries_records_the_fetch_in_the_same_transaction(store: Store) -> None:
    feed = store.add_feed("https://a.example/")
    fetch = FetchRecord(feed.id, NOW, 200, None, etag='"e1"', title="From the feed")
    assert store.save_entries(feed.id, [item(1), item(2)], now=NOW, fetch=fetch) == 2
    got = store.get_feed(feed.url)
    assert got is not None
    assert (got.etag, got.title, got.status) == ('"e1"', "From the feed", 200)
    assert got.last_fetched == NOW
    # A save that fails records nothing: the validators must not claim entries never stored.
    other = store.add_feed("https://b.example/")
    with sqlite3.connect(store.path) as db:
        db.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON entries WHEN NEW.title = 'refused' "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    refused = FetchRecord(other.id, NOW, 200, None, etag='"b1"')
    with pytest.raises(StoreError):
        store.save_entries(other.id, [item(3, title="refused")], now=NOW, fetch=refused)
    got = store.get_feed(other.url)
    assert got is not None and (got.etag, got.last_fetched) == (None, None)


def test_change_feed_url_keeps_entries_and_state(store: Store) -> None:
    feed = store.add_feed("http://old.example/", tags=["t"])
    store.save_entries(feed.id, [item(1), item(2)], now=NOW)
    store.set_starred(store.entry_ids()[:1])
    store.change_feed_url("http://old.example/", "https://new.example/")
    assert store.get_feed("http://old.example/") is None
    moved = store.get_feed("https://new.example/")
    assert moved is not None and moved.id == feed.id and moved.total == 2
    assert store.count_entries(EntryFilter(starred_only=True)) == 1
    with pytest.raises(StoreError):
        store.change_feed_url("http://old.example/", "https://elsewhere.example/")


def test_change_feed_url_onto_an_existing_feed_merges_without_duplicates(store: Store) -> None:
    old = store.add_feed("http://old.example/", tags=["a"])
    new = store.add_feed("https://new.example/", tags=["b"])
    store.save_entries(old.id, [item(1), item(2)], now=NOW)
    store.save_entries(new.id, [item(2), item(3)], now=NOW)
    old_two = [e.id for e in store.list_entries(EntryFilter(feed_id=old.id)) if e.title == "Item 2"]
    store.set_read(old_two)
    store.set_starred(old_two)
    store.change_feed_url("http://old.example/", "https://new.example/")
    feeds = store.list_feeds()
    assert [f.url for f in feeds] == ["https://new.example/"]
    assert (feeds[0].total, feeds[0].unread, feeds[0].tags) == (3, 2, ("b", "a"))
    entries = store.list_entries()
    assert sorted(e.title for e in entries) == ["Item 1", "Item 2", "Item 3"]
    two = next(e for e in entries if e.title == "Item 2")
    assert two.read and two.starred
    assert store.integrity_ok()


# -- saving entries ----------------------------------------------------------------------


def test_save_entries_counts_new_and_keeps_state_on_resave(store: Store) -> None:
    feed = store.add_feed("https://a.example/")
    assert store.save_entries(feed.id, [item(1), item(2), item(3)], now=NOW) == 3
    one, two = store.entry_ids()[:2]
    store.set_read([one])
    store.set_starred([two])
    later = NOW + timedelta(hours=1)
    changed = item(1, title="Item 1 (corrected)", content="<p>new words: quokka</p>")
    assert store.save_entries(feed.id, [changed, item(2), item(3)], now=later) == 0
    got = store.get_entry(one)
    assert got is not None
    assert (got.title, got.read, got.first_seen) == ("Item 1 (corrected)", True, NOW)
    assert got.content == "<p>new words: quokka</p>"
    assert store.get_entry(two).starred  # type: ignore[union-attr]
    assert titles(store, EntryFilter(search="quokka")) == ["Item 1 (corrected)"]
    assert titles(store, EntryFilter(search="body of item 1")) == []
    assert store.integrity_ok()


def test_entries_that_drop_out_of_the_feed_stay(store: Store) -> None:
    feed = store.add_feed("https://a.example/")
    store.save_entries(feed.id, [item(1), item(2)], now=NOW)
    assert store.save_entries(feed.id, [item(3)], now=NOW) == 1
    assert titles(store) == ["Item 1", "Item 2", "Item 3"]


def test_dedup_by_guid_then_link_then_title_and_date(store: Store) -> None:
    feed = store.add_feed("https://a.example/")
    batch = [
        item(1),
        item(2, guid=None),
        item(3, guid=None, link=None),
        item(4, guid=None, link=None, published=None),
    ]
    assert store.save_entries(feed.id, batch, now=NOW) == 4
    assert store.save_entries(feed.id, batch, now=NOW + timedelta(days=1)) == 0
    assert store.count_entries() == 4


def test_duplicate_guids_within_one_fetch_first_wins(store: Store) -> None:
    feed = store.add_feed("https://a.example/")
    batch = [item(1, title="first"), item(1, title="second", link="https://example.com/x")]
    assert store.save_entries(feed.id, batch, now=NOW) == 1
    assert titles(store) == ["first"]


def test_the_same_guid_in_two_feeds_is_two_entries(store: Store) -> None:
    a = store.add_feed("https://a.example/")
    b = store.add_feed("https://b.example/")
    assert store.save_entries(a.id, [item(1)], now=NOW) == 1
    assert store.save_entries(b.id, [item(1)], now=NOW) == 1


def test_guids_that_change_every_fetch_do_not_duplicate(store: Store) -> None:
    feed = store.add_feed("https://a.example/")
    for fetch in range(3):
        batch = [item(n, guid=f"urn:rotating:{fetch}:{n}") for n in (1, 2)]
        store.save_entries(feed.id, batch, now=NOW + timedelta(hours=fetch))
    assert store.count_entries() == 2
    assert {e.guid for e in store.list_entries()} == {"urn:rotating:2:1", "urn:rotating:2:2"}


def test_items_sharing_one_homepage_link_do_not_collapse(store: Store) -> None:
    feed = store.add_feed("https://a.example/")
    home = "https://example.com/"
    store.save_entries(feed.id, [item(n, link=home) for n in (1, 2, 3)], now=NOW)
    batch = [item(n, guid=f"urn:new:{n}", link=home) for n in (4, 5)]
    assert store.save_entries(feed.id, batch, now=NOW) == 2
    assert store.count_entries() == 5


def test_retention_deletes_the_oldest_but_never_starred_or_current(store: Store) -> None:
    feed = store.add_feed("https://a.example/")
    store.save_entries(feed.id, [item(n) for n in range(1, 11)], now=NOW)
    oldest = store.entry_ids()[-1]
    store.set_starred([oldest])
    kept = store.save_entries(feed.id, [item(0)], now=NOW, max_entries=4)
    assert kept == 1
    assert titles(store) == ["Item 0", "Item 1", "Item 2", "Item 3", "Item 10"]
    # A fetch longer than the limit keeps what the feed still lists.
    assert store.save_entries(feed.id, [item(n) for n in range(6)], now=NOW, max_entries=2) == 2
    assert store.count_entries() == 7
    assert titles(store, EntryFilter(search="item 10")) == ["Item 10"]
    assert titles(store, EntryFilter(search="item 8")) == []
    assert store.integrity_ok()


def test_saving_into_a_removed_feed_stores_nothing(store: Store) -> None:
    feed = store.add_feed("https://a.example/")
    store.remove_feed(feed.url)
    assert store.save_entries(feed.id, [item(1)], now=NOW) == 0
    store.record_fetch(feed.id, fetched_at=NOW, status=200, error=None)
    assert store.count_entries() == 0


# -- reading entries ---------------------------------------------------------------------


def test_order_is_date_then_id_newest_first_undated_after_the_dated_of_their_fetch(
    store: Store,
) -> None:
    feed = store.add_feed("https://a.example/")
    batch = [
        item(1, published=NOW - timedelta(days=2)),
        item(2, published=None, updated=NOW - timedelta(days=1)),
        item(3, published=None),
        item(4, published=NOW - timedelta(days=2)),
        item(5, published=NOW + timedelta(days=30)),  # a clock-skewed feed
    ]
    store.save_entries(feed.id, batch, now=NOW - timedelta(hours=1))
    # A future-dated entry sorts at first sight; an undated one after its fetch's dated ones.
    assert titles(store) == ["Item 5", "Item 2", "Item 4", "Item 1", "Item 3"]
    ids = store.entry_ids()
    assert ids == [e.id for e in store.list_entries()]
    undated = store.get_entry(ids[-1])
    assert undated is not None and undated.published is None
    assert undated.date == NOW - timedelta(hours=1)  # the time first seen
    # Fetched again, it keeps its place; a new undated entry goes after the new dated ones.
    later = [*batch, item(6, published=NOW), item(7, published=None)]
    store.save_entries(feed.id, later, now=NOW)
    assert titles(store) == ["Item 6", "Item 7", "Item 5", "Item 2", "Item 4", "Item 1", "Item 3"]


def test_list_views_carry_no_bodies_but_get_entry_does(store: Store) -> None:
    feed = store.add_feed("https://a.example/", title="Feed A")
    long_body = "<p>" + "很长的正文。" * 200 + "</p>"
    enclosures = (Enclosure("https://example.com/a.mp3", "audio/mpeg", 1234), Enclosure("u"))
    batch = [
        item(1, summary="short", content=long_body, enclosures=enclosures, author="Ann"),
        item(2, summary="same", content="same"),
        item(3, summary="", content=""),
    ]
    store.save_entries(feed.id, batch, now=NOW)
    light = store.list_entries()
    assert all(e.summary == "" and e.content == "" for e in light)
    assert light[0].feed_title == "Feed A" and light[0].feed_url == "https://a.example/"
    assert light[0].enclosures == enclosures
    full = {e.title: e for e in store.list_entries(with_content=True)}
    assert (full["Item 1"].summary, full["Item 1"].content) == ("short", long_body)
    assert (full["Item 2"].summary, full["Item 2"].content) == ("same", "same")
    assert (full["Item 3"].summary, full["Item 3"].content) == ("", "")
    got = store.get_entry(light[0].id)
    assert got is not None and got.content == long_body and got.author == "Ann"
    assert store.get_entry(999_999) is None


def test_entries_by_ids_keeps_the_given_order_and_skips_unknown(store: Store) -> None:
    feed = store.add_feed("https://a.example/")
    store.save_entries(feed.id, [item(n) for n in range(1, 1201)], now=NOW)
    ids = store.entry_ids()
    wanted = [ids[700], 10**9, ids[3], *ids[1000:1100]]
    got = store.entries_by_ids(wanted)
    assert [e.id for e in got] == [i for i in wanted if i != 10**9]
    assert all(e.content == "" for e in got)
    assert store.set_read(ids) == 1200
    assert store.list_feeds()[0].unread == 0


def test_paging_with_limit_and_offset(store: Store) -> None:
    feed = store.add_feed("https://a.example/")
    store.save_entries(feed.id, [item(n) for n in range(1, 21)], now=NOW)
    everything = store.list_entries()
    assert store.list_entries(limit=5, offset=5) == everything[5:10]
    assert store.count_entries() == 20


def test_filters_combine_with_and(store: Store) -> None:
    a = store.add_feed("https://a.example/", tags=["t"])
    b = store.add_feed("https://b.example/")
    store.save_entries(a.id, [item(n, title=f"apple {n}") for n in (1, 2, 3)], now=NOW)
    store.save_entries(b.id, [item(n, title=f"apple {n}") for n in (4, 5)], now=NOW)
    ids = {e.title: e.id for e in store.list_entries()}
    store.set_read([ids["apple 1"], ids["apple 4"]])
    store.set_starred([ids["apple 2"], ids["apple 5"]])
    flt = EntryFilter(tag="t", unread_only=True, starred_only=True, search="apple")
    assert titles(store, flt) == ["apple 2"]
    assert titles(store, EntryFilter(feed_id=b.id, unread_only=True)) == ["apple 5"]
    assert store.count_entries(EntryFilter(starred_only=True)) == 2
    assert store.mark_all_read(EntryFilter(feed_id=a.id)) == 2
    assert store.count_entries(EntryFilter(unread_only=True)) == 1
    assert store.mark_all_read() == 1
    assert store.set_starred([ids["apple 2"]], False) == 1
    assert store.set_starred([ids["apple 2"]], False) == 0
    assert [f.unread for f in store.list_feeds()] == [0, 0]


def test_a_worker_thread_can_use_the_store(store: Store) -> None:
    feed = store.add_feed("https://a.example/")

    def save(n: int) -> int:
        return store.save_entries(feed.id, [item(n)], now=NOW)

    with ThreadPoolExecutor(4) as pool:
        assert sum(pool.map(save, range(40))) == 40
        counts = list(pool.map(lambda _: len(store.list_entries()), range(8)))
    assert all(0 < c <= 40 for c in counts)
    assert store.count_entries() == 40


def test_hostile_text_is_stored_safely(store: Store) -> None:
    feed = store.add_feed("https://a.example/")
    naive = datetime(2024, 1, 2, 3, 4, 5)
    bad = item(1, title="broken \ud800 surrogate", author="\udfff", published=naive)
    store.save_entries(feed.id, [bad], now=NOW)
    got = store.list_entries()[0]
    assert got.title == "broken \ufffd surrogate"
    assert got.published == naive.replace(tzinfo=UTC)


# -- search ------------------------------------------------------------------------------


@pytest.fixture
def searchable(store: Store) -> Store:
    feed = store.add_feed("https://a.example/")
    texts = {
        "zh": "<p>人工智能正在改变世界。<b>中文</b>搜索需要分词，北京欢迎你。</p>",
        "ja": "<p>東京タワーの夜景はきれいです。ﾌﾟﾛｸﾞﾗﾐﾝｸﾞ言語とＡＢＣ。</p>",
        "ko": "<p>서울에서 만나요. 한국어 검색</p>",
        "en": "<p>The <strong>Feeds</strong> are Café-fresh &amp; crunchy: 2021 results</p>",
        "mixed": "<p>iPhone15发布，价格258億円</p><script>var hidden = '隐藏';</script>",
    }
    batch = [item(n, title=name, content=html) for n, (name, html) in enumerate(texts.items())]
    store.save_entries(feed.id, batch, now=NOW)
    return store


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("智", ["zh"]),  # one CJK character
        ("中文", ["zh"]),  # two, in the middle of a run
        ("欢迎", ["zh"]),
        ("迎你", ["zh"]),  # two at the end of a run
        ("北京欢", ["zh"]),  # three
        ("人工智能", ["zh"]),  # four: overlapping trigrams
        ("改变世界", ["zh"]),
        ("世界改变", []),
        ("東京", ["ja"]),
        ("タワー", ["ja"]),
        ("プログラミング", ["ja"]),  # indexed from halfwidth katakana
        ("ﾀﾜｰ", ["ja"]),  # halfwidth in the query
        ("abc", ["ja"]),  # fullwidth letters in the text
        ("서울", ["ko"]),
        ("검색", ["ko"]),
        ("feeds", ["en"]),  # case-insensitive
        ("FEED", ["en"]),  # prefix
        ("cafe", ["en"]),  # diacritics folded
        ("2021", ["en"]),
        ("strong", []),  # markup is not text
        ("hidden", []),  # nor are scripts
        ("隐藏", []),
        ("amp", []),
        ("iphone15", ["mixed"]),
        ("258億円", ["mixed"]),
        ("发布 iPhone", ["mixed"]),
        ("feeds 中文", []),  # every piece must match
        ("zh", ["zh"]),  # titles are indexed
    ],
)
def test_search_finds_substrings_in_every_script(
    searchable: Store, query: str, expected: list[str]
) -> None:
    assert titles(searchable, EntryFilter(search=query)) == expected
    assert searchable.count_entries(EntryFilter(search=query)) == len(expected)


@pytest.mark.parametrize(
    "query",
    ['"', "AND (", "*", "NEAR(a b)", "a OR b", "^x", "title:x", '""""', "-", "'", "(", ")", "+"],
)
def test_search_syntax_in_the_query_never_raises(searchable: Store, query: str) -> None:
    searchable.list_entries(EntryFilter(search=query))
    searchable.entry_ids(EntryFilter(search=query))
    searchable.mark_all_read(EntryFilter(search=query))


def test_punctuation_only_matches_nothing_and_blank_matches_everything(searchable: Store) -> None:
    assert searchable.count_entries(EntryFilter(search="!!! ？")) == 0
    assert searchable.count_entries(EntryFilter(search="  ")) == 5
    assert match_expression("、。") is None


def test_index_text_and_its_visible_text() -> None:
    stripped = visible_text(
        "<p>a&lt;b &amp; <i>c</i></p><!-- x --><style>p{}</style>",
        tags_split_words=True,
    )
    assert stripped.split() == ["a<b", "&", "c"]
    text = index_text("Title", "<p>中文字</p>")
    assert text.split() == ["Title", "中文字", "文字", "字"]
    assert index_text("a", "<p>x</p>") == "a\n x "


def test_corpus_articles_are_searchable(store: Store, corpus: Path) -> None:
    feed = store.add_feed("https://news.example/")
    article = (corpus / "articles" / "zh-hant-news-guangdong.html").read_text("utf-8")
    store.save_entries(feed.id, [item(1, title="廣東", content=article)], now=NOW)
    assert titles(store, EntryFilter(search="廣東")) == ["廣東"]
    assert titles(store, EntryFilter(search="numdb")) == []


def test_the_cache_stays_smaller_than_the_html_it_holds(tmp_path: Path, corpus: Path) -> None:
    # The budget: 116 MiB for 25,000 articles of 1-8 KB, search index included.
    budget_per_entry = 116 * 2**20 / 25_000
    chinese = (corpus / "articles" / "zh-hant-news-guangdong.html").read_text("utf-8")
    english = html.unescape((corpus / "feeds" / "NetNewsWire__yakubin.atom").read_text("utf-8"))
    rng = random.Random(7)

    def body(n: int) -> str:
        source = chinese if n % 2 else english
        size = rng.randint(1024, 8192)
        out = ""
        while len(out.encode()) < size:
            start = rng.randrange(len(source) - 600)
            out += source[start : start + 600]
        return out.encode()[:size].decode(errors="ignore")

    path = tmp_path / "cache.db"
    with Store(path) as s:
        feed = s.add_feed("https://a.example/")
        s.save_entries(feed.id, [item(n, content=body(n)) for n in range(600)], now=NOW)
    assert path.stat().st_size / 600 < budget_per_entry


# -- migrations --------------------------------------------------------------------------

V1_DDL = """
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, title TEXT NOT NULL DEFAULT '',
    custom_title TEXT NOT NULL DEFAULT '', site_link TEXT NOT NULL DEFAULT '', etag TEXT,
    last_modified TEXT, last_fetched INTEGER, status INTEGER, error TEXT);
CREATE TABLE feed_tags (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE, tag TEXT NOT NULL,
    pos INTEGER NOT NULL, PRIMARY KEY (feed_id, tag)) WITHOUT ROWID;
CREATE INDEX feed_tags_tag ON feed_tags(tag);
CREATE TABLE entries (
    id INTEGER PRIMARY KEY, feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    key_hash INTEGER NOT NULL, link_hash INTEGER, content_hash INTEGER NOT NULL, guid TEXT,
    link TEXT, title TEXT NOT NULL DEFAULT '', author TEXT NOT NULL DEFAULT '',
    published INTEGER, updated INTEGER, first_seen INTEGER NOT NULL, sort_key INTEGER NOT NULL,
    enclosures TEXT, read INTEGER NOT NULL DEFAULT 0, starred INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX entries_key ON entries(feed_id, key_hash);
CREATE INDEX entries_link ON entries(feed_id, link_hash) WHERE link_hash IS NOT NULL;
CREATE INDEX entries_sort ON entries(sort_key);
CREATE INDEX entries_feed_sort ON entries(feed_id, sort_key);
CREATE INDEX entries_unread_sort ON entries(sort_key) WHERE read = 0;
CREATE INDEX entries_unread_feed_sort ON entries(feed_id, sort_key) WHERE read = 0;
CREATE INDEX entries_starred_sort ON entries(sort_key) WHERE starred = 1;
CREATE TABLE entry_bodies (
    entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE, summary, content);
PRAGMA user_version = 1;
"""


def test_a_version_1_cache_is_migrated_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    db = sqlite3.connect(path)
    db.executescript(V1_DDL)
    db.execute(
        "INSERT INTO feeds(id, url, title, etag) VALUES (1, 'https://o.example/', 'Old', 'e')"
    )
    db.execute("INSERT INTO feed_tags VALUES (1, 'kept', 0)")
    body = zlib.compress(("<p>迁移以后还能搜索到吗</p>" * 20).encode())
    insert = (
        "INSERT INTO entries(feed_id, key_hash, content_hash, guid, title, first_seen, sort_key,"
        " read, starred) VALUES (1, :key, 0, :guid, :title, :when, :when, :read, :starred)"
    )
    db.execute(
        insert,
        {
            "key": hash64("g", "g1"),
            "guid": "g1",
            "title": "舊文章",
            "when": 1_700_000_000,
            "read": 0,
            "starred": 0,
        },
    )
    db.execute(
        insert,
        {
            "key": hash64("g", "g2"),
            "guid": "g2",
            "title": "second",
            "when": 1_700_000_100,
            "read": 1,
            "starred": 1,
        },
    )
    db.execute("INSERT INTO entry_bodies VALUES (1, NULL, ?)", (body,))
    db.commit()
    db.close()

    with Store(path) as s:
        feed = s.get_feed("https://o.example/")
        assert feed is not None
        assert (feed.title, feed.etag, feed.tags) == ("Old", "e", ("kept",))
        assert (feed.total, feed.unread) == (2, 1)
        assert [e.title for e in s.list_entries()] == ["second", "舊文章"]
        assert s.get_entry(1).content.startswith("<p>迁移")  # type: ignore[union-attr]
        assert titles(s, EntryFilter(search="搜索")) == ["舊文章"]
        assert titles(s, EntryFilter(starred_only=True)) == ["second"]
        later = datetime(2030, 1, 1, tzinfo=UTC)
        s.record_fetch(1, fetched_at=NOW, status=429, error="HTTP 429", retry_after=later)
        assert s.retry_times() == {1: later}
        assert s.save_entries(1, [item(1, guid="g1", title="舊文章")], now=NOW) == 0
        assert s.integrity_ok()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema_module.SCHEMA_VERSION
    db.close()


def test_a_cache_from_a_newer_yuedu_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert caught.value.reason == "cache was written by a newer yuedu (schema 99)"
    assert not isinstance(caught.value, StoreCorruptError)


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (x)")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="not a yuedu cache") as caught:
        Store(path)
    assert not isinstance(caught.value, StoreCorruptError)
    db = sqlite3.connect(path)
    assert db.execute("SELECT name FROM sqlite_master").fetchall() == [("notes",)]
    db.close()


# -- damage ------------------------------------------------------------------------------


def test_random_bytes_are_a_damaged_cache(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    path.write_bytes(os.urandom(64 * 1024))
    with pytest.raises(StoreCorruptError) as caught:
        Store(path)
    assert caught.value.reason == "cache is damaged (file is not a database)"
    assert caught.value.subject == str(path)


@pytest.mark.parametrize("cut", [0.5, 0.999])
def test_a_truncated_cache_is_damaged_and_can_be_quarantined(tmp_path: Path, cut: float) -> None:
    path = tmp_path / "cache.db"
    with Store(path) as s:
        feed = s.add_feed("https://a.example/")
        s.save_entries(feed.id, [item(n, content="<p>x</p>" * 400) for n in range(200)], now=NOW)
    size = int(path.stat().st_size * cut)
    with path.open("r+b") as f:
        f.truncate(size)
    with pytest.raises(StoreCorruptError) as caught:
        Store(path)
    assert caught.value.reason.startswith("cache is damaged (")
    Path(f"{path}-wal").write_bytes(b"stale log")
    moved = Store.quarantine(path)
    assert moved.name.startswith("cache.db.damaged-")
    assert moved.stat().st_size == size
    assert Path(f"{moved}-wal").read_bytes() == b"stale log"
    assert not path.exists() and not Path(f"{path}-wal").exists()
    with Store(path) as fresh:
        assert fresh.list_feeds() == []
    again = Store.quarantine(path)
    assert again != moved and again.exists()


def test_integrity_ok_reports_a_damaged_page(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    with Store(path) as s:
        feed = s.add_feed("https://a.example/")
        s.save_entries(feed.id, [item(n, content="<p>y</p>" * 300) for n in range(300)], now=NOW)
        assert s.integrity_ok()
    db = sqlite3.connect(path)
    (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'entries'").fetchone()
    (page_size,) = db.execute("PRAGMA page_size").fetchone()
    db.close()
    with path.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xff" * page_size)
    try:
        s = Store(path)
    except StoreCorruptError:
        return
    with s:
        assert not s.integrity_ok()


def test_sqlite_errors_become_one_line_store_errors(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    Store(path).close()
    ro = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.Error) as readonly:
        ro.execute("CREATE TABLE x (y)")
    ro.close()
    assert translate_error(readonly.value, path).reason == "read-only file system"

    full = sqlite3.connect(path)
    full.execute("PRAGMA max_page_count = 1")
    with pytest.raises(sqlite3.Error) as disk_full:
        full.execute("CREATE TABLE big (x)")
    full.close()
    assert translate_error(disk_full.value, path).reason == "disk full"


def test_a_writer_that_holds_the_lock_too_long_is_busy(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    with Store(path, busy_timeout=0.2) as s:
        feed = s.add_feed("https://a.example/")
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreBusyError) as caught:
                s.save_entries(feed.id, [item(1)], now=NOW)
            assert caught.value.reason == "database is locked by another yuedu"
            assert s.count_entries() == 0  # reading goes on while another process writes
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert s.save_entries(feed.id, [item(1)], now=NOW) == 1


def test_threads_of_one_store_take_turns_at_writing_and_reads_never_wait(tmp_path: Path) -> None:
    """The writers' file lock queues threads too, and a write waiting for it holds up no
    reader of the same Store."""
    path = tmp_path / "cache.db"
    with Store(path, busy_timeout=5) as s:
        feed = s.add_feed("https://a.example/")
        lock = os.open(f"{path}-writer", os.O_RDWR)
        fcntl.flock(lock, fcntl.LOCK_EX)  # another yuedu is writing
        with ThreadPoolExecutor(2) as pool:
            first = pool.submit(s.save_entries, feed.id, [item(1)], now=NOW)
            second = pool.submit(s.record_fetch, feed.id, fetched_at=NOW, status=200, error=None)
            assert s.count_entries() == 0 and s.list_feeds()[0].url == "https://a.example/"
            assert not first.done() and not second.done()
            os.close(lock)
            assert first.result(timeout=5) == 1
            second.result(timeout=5)
        assert s.count_entries() == 1 and s.list_feeds()[0].status == 200


def test_entries_are_compressed_and_indexed_before_the_writer_lock_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The costly part of a save must not queue the refresh workers behind each other."""
    path = tmp_path / "cache.db"
    lock_free_while_preparing: list[bool] = []
    prepare = saving.prepare_write

    def watched(item: codec.Incoming) -> saving.Prepared:
        other = os.open(f"{path}-writer", os.O_RDWR)
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            lock_free_while_preparing.append(True)
        except BlockingIOError:
            lock_free_while_preparing.append(False)
        finally:
            os.close(other)
        return prepare(item)

    monkeypatch.setattr(saving, "prepare_write", watched)
    with Store(path) as s:
        feed = s.add_feed("https://a.example/")
        assert s.save_entries(feed.id, [item(1), item(2)], now=NOW) == 2
    assert lock_free_while_preparing == [True, True]


def test_version_3_tables_follow_their_entries_and_feeds(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    with Store(path) as s:
        feed_id = s.add_feed("https://v3.example/feed").id
        s.save_entries(feed_id, [item(1, guid="g1", title="有全文")], now=NOW)
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = ON")
    full_text, script = db.execute("SELECT full_text, script FROM feeds").fetchone()
    assert (full_text, script) == (0, None)
    db.execute(
        "INSERT INTO entry_articles(entry_id, url, fetched) "
        "SELECT id, 'https://v3.example/a', 0 FROM entries"
    )
    db.execute("DELETE FROM feeds")
    assert db.execute("SELECT count(*) FROM entry_articles").fetchone()[0] == 0
    db.execute("INSERT INTO saved_queries VALUES ('zh', 'tags # \"zh\"', 0)")
    db.execute("INSERT INTO ignore_rules(expr) VALUES ('title =~ \"sponsored\"')")
    assert db.execute("SELECT feed_url FROM ignore_rules").fetchone()[0] == "*"
    db.close()


def test_version_7_counts_new_entries_without_a_trigger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cache.db"
    with monkeypatch.context() as patch:
        patch.setattr(schema_module, "MIGRATIONS", schema_module.MIGRATIONS[:6])
        patch.setattr(schema_module, "SCHEMA_VERSION", 6)
        with Store(path) as s:
            feed = s.add_feed("https://a.example/")
            s.save_entries(feed.id, [item(1), item(2)], now=NOW)
    recount(path)
    with Store(path) as s:
        s.set_read([1])
        assert s.save_entries(1, [item(1), item(2), item(3), item(4)], now=NOW) == 2
        feed = s.get_feed("https://a.example/")
        assert feed is not None and (feed.total, feed.unread) == (4, 3)
        assert s.integrity_ok()
    db = sqlite3.connect(path)
    triggers = {
        name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    db.close()
    assert triggers == {"entries_counted_out", "entries_recounted"}


def test_version_4_indexes_every_entry_again_with_scripts_folded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cache.db"
    # A version 3 cache: its rows were indexed without folding.
    monkeypatch.setattr("tui.core.store.search.fold_scripts", lambda text: text)
    monkeypatch.setattr(schema_module, "MIGRATIONS", schema_module.MIGRATIONS[:3])
    monkeypatch.setattr(schema_module, "SCHEMA_VERSION", 3)
    with Store(path) as s:
        feed = s.add_feed("https://a.example/")
        s.save_entries(
            feed.id,
            [item(1, title="颱風過境"), item(2, title="台风来袭"), item(3, title="防災の日")],
            now=NOW,
        )
        assert titles(s, EntryFilter(search="台风")) == ["台风来袭"]
    monkeypatch.undo()
    recount(path)

    with Store(path) as s:
        assert sorted(titles(s, EntryFilter(search="台风"))) == ["台风来袭", "颱風過境"]
        assert sorted(titles(s, EntryFilter(search="颱風"))) == ["台风来袭", "颱風過境"]
        assert titles(s, EntryFilter(search="防灾")) == ["防災の日"]
        # Rows indexed by the migration are deleted by the recipe of today.
        assert s.save_entries(1, [item(1, title="颱風已過境")], now=NOW) == 0
        assert titles(s, EntryFilter(search="台风已过")) == ["颱風已過境"]
        assert s.integrity_ok()
