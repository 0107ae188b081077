"""Inputs that once ended in a traceback: a link urllib cannot split, a config nested
hundreds deep, numbers past SQLite's 64 bits, a parser that breaks. Each costs what it
spoils (one link, one feed, one command) and the user reads one line."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.hostile import feeds
from tests.hostile.feeds import Yuedu
from tests.httpserver import HTTPTestServer, server_fixture
from tui.core.config import Config, FetchConfig
from tui.core.errors import ParseError
from tui.core.feeds.parse.feed import parse_feed, parse_feed_slow
from tui.core.models import ParsedEntry
from tui.core.paths import resolve_paths
from tui.core.query.parser import parse as parse_query
from tui.core.service import FeedService
from tui.core.store import Store
from tui.core.store.queries import matching_ids

server = server_fixture()

BAD = "http://example.c[o.test/"
NOW = datetime(2024, 5, 20, tzinfo=UTC)


def rss_item(inner: str, n: int) -> str:
    return f"<item><title>bad {n}</title>{inner}<guid>g{n}</guid></item>"


# Every place a feed carries a link, with one urllib refuses ("Invalid IPv6 URL").
RSS_PLACES = {
    "link": f"<link>{BAD}</link>",
    "permalink guid": f"<guid isPermaLink='true'>{BAD}</guid>",
    "enclosure": f"<enclosure url='{BAD}' type='audio/mpeg' length='1'/>",
    "comments": f"<comments>{BAD}</comments>",
    "source": f"<source url='{BAD}'>s</source>",
}
ATOM_PLACES = {
    "href": f"<link href='{BAD}'/>",
    "enclosure href": f"<link rel='enclosure' href='{BAD}'/>",
    "entry xml:base": f"<link href='/relative'/><content xml:base='{BAD}'>x</content>",
    "content src": f"<content src='{BAD}'/>",
}


def bad_rss(inner: str, *, base: str = "") -> bytes:
    items = [
        f"<item><title>spoilt</title>{inner}</item>",
        "<item><title>fine</title><link>https://example.org/fine</link><guid>ok</guid></item>",
    ]
    base_attr = f" xml:base='{base}'" if base else ""
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'{base_attr}><channel>"
        f"<title>Feed</title><link>{BAD}</link>{''.join(items)}</channel></rss>"
    ).encode()


def bad_atom(inner: str, *, base: str = "") -> bytes:
    base_attr = f" xml:base='{base}'" if base else ""
    return (
        "<?xml version='1.0' encoding='utf-8'?>"
        f"<feed xmlns='http://www.w3.org/2005/Atom'{base_attr}><title>Feed</title>"
        f"<id>urn:f</id><link href='{BAD}'/>"
        f"<entry><title>spoilt</title><id>urn:1</id>{inner}</entry>"
        "<entry><title>fine</title><id>urn:2</id><link href='https://example.org/fine'/></entry>"
        "</feed>"
    ).encode()


DOCUMENTS = {
    **{f"rss {name}": bad_rss(inner) for name, inner in RSS_PLACES.items()},
    **{f"atom {name}": bad_atom(inner) for name, inner in ATOM_PLACES.items()},
    "rss xml:base": bad_rss("<link>/relative</link>", base=BAD),
    "atom feed xml:base": bad_atom("<link href='/relative'/>", base=BAD),
    "atom entry xml:base attribute": bad_atom("").replace(
        b"<entry>", f"<entry xml:base='{BAD}'>".encode(), 1
    ),
}


@pytest.mark.parametrize("parse", [parse_feed, parse_feed_slow], ids=["fast", "feedparser"])
@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_a_link_urllib_cannot_split_costs_that_link_only(name: str, parse: object) -> None:
    assert callable(parse)
    parsed = parse(DOCUMENTS[name], url="https://example.org/feed", now=NOW)
    assert [e.title for e in parsed.entries] == ["spoilt", "fine"]
    spoilt, fine = parsed.entries
    assert fine.link == "https://example.org/fine"
    if b"'/relative'" in DOCUMENTS[name] or b">/relative<" in DOCUMENTS[name]:
        assert spoilt.link == "https://example.org/relative"  # the bad base alone is lost
    for entry in parsed.entries:
        assert "[" not in (entry.link or "")
        assert all("[" not in e.url for e in entry.enclosures)


@pytest.fixture
def cli(tmp_path: Path) -> Yuedu:
    cli = Yuedu(tmp_path / "home")
    cli.configure(feeds.FAST_CONFIG)
    return cli


def test_add_and_refresh_of_a_feed_with_a_bad_link_keep_every_entry(
    server: HTTPTestServer, cli: Yuedu
) -> None:
    body = bad_rss(RSS_PLACES["link"] + RSS_PLACES["enclosure"], base=BAD)
    url = server.url(server.serve_bytes("/bad-link.xml", body))
    assert "2 entries" in cli.ok("add", url)
    assert "Traceback" not in cli.ok("refresh")
    titles = sorted(str(e["title"]) for e in cli.json("entries"))
    assert titles == ["fine", "spoilt"]


def test_adding_an_address_with_a_bad_bracket_is_one_line(cli: Yuedu) -> None:
    for typed in (BAD, "example.c[o.test/feed"):
        result = cli.run("add", typed)
        assert result.returncode == 1
        assert result.stderr.count(b"\n") == 1 and b"Traceback" not in result.stderr
    assert cli.json("feeds") == []


async def test_a_parser_that_breaks_leaves_no_half_subscribed_feed(
    server: HTTPTestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bug in any parser path (here forced) reaches add_feed as an exception that is no
    # ParseError; it must still leave no subscription behind.
    def broken(*args: object, **kwargs: object) -> object:
        raise ValueError("a bug in the parser")

    # The ingest job imports parse_feed when it runs, so it finds this one.
    monkeypatch.setattr("tui.core.feeds.parse.feed.parse_feed", broken)
    url = server.url(server.serve_bytes("/fine.xml", bad_rss("")))
    config = Config(fetch=FetchConfig(timeout=5.0, connect_timeout=2.0))
    with FeedService.open(resolve_paths(tmp_path / "home"), config, parse_workers=0) as service:
        with pytest.raises(ParseError, match=r"the parser failed on this feed \(ValueError\)"):
            await service.add_feed(url)
        assert service.feeds() == []


async def test_a_parser_that_breaks_in_a_refresh_is_one_line(
    server: HTTPTestServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = server.url(server.serve_bytes("/fine.xml", bad_rss(""), etag=False))
    config = Config(fetch=FetchConfig(timeout=5.0, connect_timeout=2.0))
    with FeedService.open(resolve_paths(tmp_path / "home"), config, parse_workers=0) as service:
        await service.add_feed(url)

        def broken(*args: object, **kwargs: object) -> object:
            raise ValueError("a bug in the parser")

        monkeypatch.setattr("tui.core.feeds.parse.feed.parse_feed", broken)
        report = await service.refresh()
    assert [s.error for s in report.statuses] == ["internal error (ValueError)"]
    # Without logging set up, Python prints records from WARNING up, tracebacks and all.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_a_config_nested_hundreds_deep_is_one_line_naming_the_file(cli: Yuedu) -> None:
    for text in (
        "theme = " + "[" * 600 + "]" * 600,
        "theme = " + "{a = " * 600 + "1" + "}" * 600,
        "theme." + "a." * 1000 + "b = 1",
        "[fetch]\n" + "a." * 1000 + "b = 1",
    ):
        cli.configure(text + "\n")
        result = cli.run("feeds")
        assert result.returncode == 1
        err = result.stderr.decode()
        assert err.count("\n") == 1 and "Traceback" not in err
        assert str(cli.home / "config.toml") in err


@pytest.mark.parametrize(
    "args",
    [
        ("show", "99999999999999999999"),
        ("show", "9" * 5000),
        ("mark", "1", "99999999999999999999", "--read"),
        ("entries", "--limit", "99999999999999999999"),
        ("mark", "--", "-99999999999999999999", "--star"),
    ],
)
def test_numbers_past_sqlites_64_bits_are_a_usage_error(cli: Yuedu, args: tuple[str, ...]) -> None:
    result = cli.run(*args)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "too large" in err or "invalid integer value" in err


@pytest.mark.parametrize("closed", [True, False])
def test_a_base_of_brackets_is_read_in_linear_time(closed: bool) -> None:
    # 200,000 brackets: a backtracking scan of the value would take minutes.
    value = "http://e.c[o/" + "[" * 200_000
    end = "'" if closed else ""
    body = bad_rss("").replace(b"<channel>", f"<channel xml:base='{value}{end}>".encode(), 1)
    started = time.perf_counter()
    try:
        parse_feed(body, url="https://example.org/feed", now=NOW)
    except ParseError:
        assert not closed
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize(
    ("query", "matches"),
    [("age = 99999999999999999999", False), ("age != -99999999999999999999", True)],
)
def test_a_query_number_past_64_bits_compares_and_never_overflows(
    tmp_path: Path, query: str, matches: bool
) -> None:
    path = tmp_path / "cache.db"
    store = Store(path)
    feed = store.add_feed("https://example.org/feed")
    store.save_entries(feed.id, [ParsedEntry(guid="g", link=None, title="t")], now=NOW)
    store.close()
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert bool(matching_ids(db, parse_query(query), int(NOW.timestamp()))) is matches
