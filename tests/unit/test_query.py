"""The filter language over a real cache: known answers, and SQL agreeing with Python."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.models import Enclosure, EntryFilter, ParsedEntry
from tui.core.query.compile import compile_query
from tui.core.query.evaluate import (
    ArticleRecord,
    FeedRecord,
    matches,
)
from tui.core.query.parser import ATTRIBUTES, OPERATORS, Node, parse
from tui.core.store import Store
from tui.core.store.codec import to_epoch
from tui.core.store.queries import load_feeds, matching_ids
from tui.core.store.search import match_expression

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
NOW_S = to_epoch(NOW)


# -- matching through the cache ------------------------------------------------------------


def entry(key: str, title: str, days: float, **kw: object) -> ParsedEntry:
    fields: dict[str, object] = {
        "guid": f"urn:{key}",
        "link": f"https://example.com/{key}",
        "title": title,
        "published": NOW - timedelta(days=days),
    }
    fields.update(kw)
    return ParsedEntry(**fields)  # type: ignore[arg-type]


LONG_BODY = "<p>" + "晶片產業的長篇報導。" * 40 + "半導體出口創新高</p>"


@pytest.fixture
def fixture_store(tmp_path: Path) -> Iterator[Store]:
    """Three feeds, seven articles with known answers."""
    with Store(tmp_path / "cache.db") as store:
        zh = store.add_feed("https://zh.test/rss", title="中文新聞", tags=["zh", "news"])
        ja = store.add_feed("https://ja.test/rss", title="日本ニュース", tags=["ja"])
        en = store.add_feed("https://en.test/rss", title="World Desk", tags=["en", "news"])
        store.save_entries(
            zh.id,
            [
                entry("zh1", "颱風逼近台灣", 0.5, content=LONG_BODY, author="記者"),
                entry("zh2", "股市收盤", 2.5, content="<p>半導體類股上漲</p>"),
                entry("zh3", "天氣晴朗", 10),
            ],
            now=NOW,
        )
        store.save_entries(
            ja.id,
            [
                entry("ja1", "台風が接近", 1.2),
                entry("ja2", "経済ニュース", 4, content="<p>半導體</p>"),
            ],
            now=NOW,
        )
        store.save_entries(
            en.id,
            [
                entry("en1", "Typhoon warning", 0.1, author="Ann Lee"),
                entry(
                    "en2",
                    "Markets and more",
                    30,
                    enclosures=(Enclosure("https://en.test/a.mp3", "audio/mpeg"),),
                ),
            ],
            now=NOW,
        )
        ids = {e.title: e.id for e in store.list_entries()}
        store.set_read([ids["股市收盤"], ids["天氣晴朗"], ids["Markets and more"]])
        store.set_starred([ids["天氣晴朗"], ids["Typhoon warning"]])
        yield store


@pytest.fixture
def fixture_db(fixture_store: Store) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the fixture cache, as a caller of run.py would hold."""
    db = sqlite3.connect(f"file:{fixture_store.path}?mode=ro", uri=True)
    try:
        yield db
    finally:
        db.close()


ANSWERS = [
    ('unread = "yes" and age < 3', ["Typhoon warning", "颱風逼近台灣", "台風が接近"]),
    ('title =~ "颱風|台風"', ["颱風逼近台灣", "台風が接近"]),
    ('tags # "zh" and content =~ "半導體"', ["颱風逼近台灣", "股市收盤"]),
    ('content =~ "半導體"', ["颱風逼近台灣", "股市收盤", "経済ニュース"]),
    ('flags # "s"', ["Typhoon warning", "天氣晴朗"]),
    ('flags !# "s" and tags # "news"', ["颱風逼近台灣", "股市收盤", "Markets and more"]),
    ('unread = "no" or feedtitle = "日本ニュース"', ["台風が接近", "股市收盤", "経済ニュース",
                                                   "天氣晴朗", "Markets and more"]),
    ("age between 2:4", ["股市收盤", "経済ニュース"]),
    ("age > 9 and age <= 30", ["天氣晴朗", "Markets and more"]),
    ('author = "Ann Lee"', ["Typhoon warning"]),
    ('author # "Lee"', ["Typhoon warning"]),
    ('title # "and"', ["Markets and more"]),
    ('enclosure_type =~ "^audio/"', ["Markets and more"]),
    ('enclosure_url != ""', ["Markets and more"]),
    ('rssurl =~ "ja\\.test" or link = "https://en.test/x"', ["台風が接近", "経済ニュース"]),
    ("articleindex = 1", ["Typhoon warning", "颱風逼近台灣", "台風が接近"]),
    ("feedindex = 3 and articleindex = 2", ["Markets and more"]),
    ("unread_count = 2", ["台風が接近", "経済ニュース"]),
    ('guid = "urn:zh2" or guid = "urn:ja2"', ["股市收盤", "経済ニュース"]),
    ('date =~ "2024" and age = 10', ["天氣晴朗"]),
    ('title = "nothing"', []),
    ('description = "" and feeddate = ""', ["Typhoon warning", "颱風逼近台灣", "台風が接近",
                                           "股市收盤", "経済ニュース", "天氣晴朗",
                                           "Markets and more"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ANSWERS)
def test_queries_over_a_cache_give_the_known_answers(
    fixture_db: sqlite3.Connection, text: str, expected: list[str]
) -> None:
    ids = matching_ids(fixture_db, parse(text), NOW_S)
    titles = dict(fixture_db.execute("SELECT id, title FROM entries"))
    assert [titles[i] for i in ids] == expected


# -- the SQL path agrees with the Python evaluator ------------------------------------------

WORDS = ["颱風", "台風", "Typhoon", "and", "news", "zh", "a b", "", "S", "s", "yes", "no", "3"]
PATTERNS = ["颱風|台風", "^t", "S$", "a b", ".", "半導體", "^$", "[0-9]", "YES", "example"]
BODIES = ["", "<p>短い</p>", LONG_BODY, "<p>半導體 news</p>"]


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Values each attribute actually takes, so random comparisons often hold.
LIKELY = {
    "unread": ["yes", "no"],
    "flags": ["s", ""],
    "tags": ["zh", "news", "a", "b", "a b", ""],
    "feedtitle": ["Feed 0", "Feed"],
    "rssurl": ["https://f1.test/rss"],
    "author": ["Ann Lee", "Lee", "記者", ""],
    "guid": ["urn:1", ""],
    "link": ["https://example.com/2"],
    "enclosure_type": ["audio/mpeg", ""],
}


@st.composite
def comparisons(draw: st.DrawFn) -> str:
    attribute = draw(st.sampled_from(sorted(ATTRIBUTES)))
    op = draw(st.sampled_from(OPERATORS))
    if op in ("=~", "!~"):
        value = _quoted(draw(st.sampled_from(PATTERNS)))
    else:
        anything = st.one_of(
            st.sampled_from(WORDS).map(_quoted),
            st.integers(-2, 14).map(str),
            st.sampled_from(["0:3", "3:0", "-1:1", "2:40", "007", "1"]),
        )
        likely = st.sampled_from(LIKELY.get(attribute, WORDS)).map(_quoted)
        value = draw(likely if draw(st.booleans()) else anything)
    return f"{attribute} {op} {value}"


expressions = st.recursive(
    comparisons(),
    lambda inner: st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
        lambda t: f"({t[0]}) {t[1]} {t[2]}"
    ),
    max_leaves=3,
)


@st.composite
def feed_contents(draw: st.DrawFn) -> tuple[list[str], list[ParsedEntry]]:
    tags = draw(st.lists(st.sampled_from(["zh", "news", "a b", "ja"]), unique=True, max_size=3))
    entries = []
    for n in range(draw(st.integers(0, 5))):
        title = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=3)))
        enclosures = draw(
            st.sampled_from([(), (Enclosure("https://example.com/a.mp3", "audio/mpeg"),)])
        )
        entries.append(
            ParsedEntry(
                guid=draw(st.sampled_from([None, f"urn:{n}"])),
                link=f"https://example.com/{n}",
                title=title,
                author=draw(st.sampled_from(["", "Ann Lee", "記者"])),
                published=NOW - timedelta(hours=draw(st.integers(-30, 24 * 12))),
                content=draw(st.sampled_from(BODIES)),
                enclosures=enclosures,
            )
        )
    return tags, entries


def python_answer(store: Store, node: Node) -> list[int]:
    """The matching ids from every article read through the Store and matched in Python."""
    feeds = sorted(store.list_feeds(), key=lambda f: f.id)
    matching: set[int] = set()
    for position, feed in enumerate(feeds, 1):
        record_feed = FeedRecord(
            id=feed.id, url=feed.url, title=feed.title, site_link=feed.site_link,
            tags=feed.tags, unread=feed.unread, total=feed.total, index=position,
        )  # fmt: skip
        entries = store.list_entries(EntryFilter(feed_id=feed.id), with_content=True)
        for index, e in enumerate(entries, 1):
            assert e.date is not None and e.first_seen is not None
            date = min(to_epoch(e.date), to_epoch(e.first_seen))
            article = ArticleRecord(
                id=e.id, feed=record_feed, title=e.title, link=e.link or "", author=e.author,
                content=e.content or e.summary, date=date, guid=e.guid or "",
                read=e.read, starred=e.starred, index=index,
                enclosure_url=e.enclosures[0].url if e.enclosures else "",
                enclosure_type=e.enclosures[0].type if e.enclosures else "",
            )  # fmt: skip
            if matches(node, article, NOW_S):
                matching.add(e.id)
    return [e.id for e in store.list_entries() if e.id in matching]


@settings(max_examples=120, deadline=None)
@given(
    feeds=st.lists(feed_contents(), min_size=1, max_size=3),
    marks=st.lists(st.tuples(st.booleans(), st.booleans()), min_size=15, max_size=15),
    texts=st.lists(expressions, min_size=1, max_size=8),
)
def test_the_sql_path_agrees_with_the_python_evaluator(
    feeds: list[tuple[list[str], list[ParsedEntry]]],
    marks: list[tuple[bool, bool]],
    texts: list[str],
) -> None:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "cache.db") as store:
        for n, (tags, entries) in enumerate(feeds):
            feed = store.add_feed(f"https://f{n}.test/rss", title=f"Feed {n}", tags=tags)
            store.save_entries(feed.id, entries, now=NOW)
        for (read, starred), e in zip(marks, store.list_entries(), strict=False):
            store.set_read([e.id], read)
            store.set_starred([e.id], starred)
        db = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
        try:
            for text in texts:
                node = parse(text)
                assert matching_ids(db, node, NOW_S) == python_answer(store, node), text
        finally:
            db.close()


def test_every_single_comparison_agrees_on_the_fixture_cache(
    fixture_store: Store, fixture_db: sqlite3.Connection
) -> None:
    values = [
        '"颱風|台風"',
        '"^t"',
        '""',
        '"s"',
        '"yes"',
        '"no"',
        '"zh"',
        '"news"',
        '"a b"',
        '"Ann Lee"',
        '"Lee"',
        "0",
        "1",
        "2",
        "10",
        "007",
        "-1",
        "0:3",
        "3:0",
        '"2:40"',
    ]
    for attribute in sorted(ATTRIBUTES):
        for op in OPERATORS:
            for value in values:
                node = parse(f"{attribute} {op} {value}")
                expected = python_answer(fixture_store, node)
                assert matching_ids(fixture_db, node, NOW_S) == expected, (attribute, op, value)


def test_unread_and_age_are_answered_from_an_index(fixture_db: sqlite3.Connection) -> None:
    feeds = load_feeds(fixture_db)
    compiled = compile_query(parse('unread = "yes" and age < 3'), feeds, NOW_S)
    assert compiled.exact and compiled.sql is not None
    plan = fixture_db.execute(
        f"EXPLAIN QUERY PLAN SELECT e.id FROM entries e WHERE {compiled.sql}", compiled.params
    ).fetchall()
    assert any("entries_unread_sort (sort_key>?)" in row[-1] for row in plan), plan


def test_a_title_pattern_narrowed_by_the_index_finds_words_anywhere_in_a_title(
    tmp_path: Path,
) -> None:
    titles = ["超強颱風來襲", "強颱風", "颱風", "台風一過", "颱 風", "Typhoon 颱", "風颱"]
    with Store(tmp_path / "cache.db") as store:
        feed = store.add_feed("https://zh.test/rss")
        store.save_entries(feed.id, [entry(str(n), t, n) for n, t in enumerate(titles)], now=NOW)
        db = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
        try:
            node = parse('title =~ "颱風|台風"')
            assert compile_query(node, load_feeds(db), NOW_S, index_match=match_expression).sql
            by_id = dict(db.execute("SELECT id, title FROM entries"))
            assert [by_id[i] for i in matching_ids(db, node, NOW_S)] == titles[:4]
        finally:
            db.close()
