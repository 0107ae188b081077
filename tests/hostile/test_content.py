"""Hostile content through the real service and CLI: lying encodings, GUID games, absurd
dates, bidi overrides and zalgo, NULs; and feeds that fail after they once worked."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from tests.hostile import feeds
from tests.hostile.feeds import CORPUS, Yuedu, clusters_longest
from tests.httpserver import GiB, HTTPTestServer, Request, Response, server_fixture
from tui.core.config import Config, FetchConfig
from tui.core.models import EntryFilter
from tui.core.paths import resolve_paths
from tui.core.service import FeedService
from tui.core.text.breaker import cell_width
from tui.core.text.sanitize import MAX_MARKS

server = server_fixture()
FEEDS = CORPUS / "feeds"


@pytest.fixture
def cli(tmp_path: Path) -> Yuedu:
    cli = Yuedu(tmp_path / "home")
    cli.configure(feeds.FAST_CONFIG)
    return cli


@pytest.fixture
def service(tmp_path: Path) -> Iterator[FeedService]:
    config = Config(fetch=FetchConfig(timeout=2, connect_timeout=1, max_size_mib=1))
    with FeedService.open(resolve_paths(tmp_path / "svc"), config, parse_workers=0) as svc:
        yield svc


def _doc(title: str, declared: str | None) -> str:
    decl = f' encoding="{declared}"' if declared else ""
    return (
        f'<?xml version="1.0"{decl}?><rss version="2.0"><channel><title>{title}</title>'
        f"<item><title>{title}</title><guid>1</guid></item></channel></rss>"
    )


ZH = "中国人民银行今天宣布下调存款准备金率"
# path -> (body, Content-Type, the first entry's title it must give)
ENCODINGS: dict[str, tuple[bytes, str | None, str]] = {
    # The default ISO-8859-1 of many servers over legacy CJK bytes: windows-1252 decodes
    # them without an error, into mojibake.
    "/gb-as-latin1": (
        (FEEDS / "chardet__GB2312-w3cn.org.xml").read_bytes(),
        "text/xml; charset=ISO-8859-1",
        "如何以及何时使用sIFR",
    ),
    "/big5-as-latin1": (
        (FEEDS / "chardet__Big5-ebao.us.xml").read_bytes(),
        "application/rss+xml; charset=iso-8859-1",
        "新年快樂",
    ),
    "/euckr-as-latin1": (
        (FEEDS / "chardet__EUC-KR-xenix.egloos.com.xml").read_bytes(),
        "text/xml; charset=iso-8859-1",
        "2005년 내 이글루 결산",
    ),
    "/sjis-as-eucjp": (
        (FEEDS / "chardet__SHIFT_JIS-10e.org.xml").read_bytes(),
        "text/xml; charset=EUC-JP",
        "いろいろちょっと待ってネ。",
    ),
    "/gbk-short-as-latin1": (
        _doc(ZH, "utf-8").encode("gbk"),
        "text/xml; charset=iso-8859-1",
        ZH,
    ),
    "/utf8-declared-big5": (_doc(ZH, "big5").encode(), "text/xml; charset=iso-8859-1", ZH),
    "/utf8-bom-declared-1252": (
        b"\xef\xbb\xbf" + _doc(ZH, "windows-1252").encode(),
        "text/xml; charset=shift_jis",
        ZH,
    ),
    "/utf16-bom-declared-utf8": (
        b"\xff\xfe" + _doc(ZH, "utf-8").encode("utf-16-le"),
        "application/xml; charset=utf-8",
        ZH,
    ),
    "/utf8-bom-then-utf16": (b"\xef\xbb\xbf" + _doc(ZH, None).encode("utf-16-le"), None, ZH),
    "/utf16-bom-then-utf8": (b"\xff\xfe" + _doc(ZH, "utf-8").encode(), None, ZH),
    "/utf16-no-bom-labelled-utf8": (
        _doc(ZH, "utf-16").encode("utf-16-be"),
        "application/xml; charset=utf-8",
        ZH,
    ),
}


def test_lying_encodings_and_bom_mismatches_read_right(server: HTTPTestServer, cli: Yuedu) -> None:
    for path, (body, content_type, _) in ENCODINGS.items():
        server.serve_bytes(path, body, content_type=content_type)
    # A byte-order mark before bytes no encoding reads as a feed: one clean line.
    server.serve_bytes("/bom-lies", b"\xef\xbb\xbf" + bytes(range(128, 256)) * 4)
    cli.subscribe([server.url(p) for p in [*ENCODINGS, "/bom-lies"]])
    out = cli.ok("refresh")
    failed, summary = out.splitlines()
    assert failed.startswith(f"failed {server.url('/bom-lies')}: not a feed"), out
    assert summary.startswith(f"refreshed {len(ENCODINGS) + 1} feeds: ")
    assert summary.endswith(" 1 failed")
    titles: dict[str, set[str]] = {}
    for entry in cli.json("entries"):
        path = str(entry["feed_url"]).removeprefix(server.base_url)
        titles.setdefault(path, set()).add(str(entry["title"]))
    for path, (_, _, title) in ENCODINGS.items():
        assert title in titles.get(path, set()), (path, sorted(titles.get(path, set()))[:3])
        assert not any("\ufffd" in t for t in titles[path]), path


class Counter:
    """A feed whose document changes on every request: ``build(n)`` for the n-th fetch."""

    def __init__(self, build: Callable[[int], list[str]]) -> None:
        self.build = build
        self.count = itertools.count()

    def __call__(self, _request: Request) -> Response:
        items = self.build(next(self.count))
        return Response(200, feeds.rss(items), {"Content-Type": "application/rss+xml"})


def _moment(n: int) -> str:
    return format_datetime(datetime(2024, 5, 20, tzinfo=UTC) + timedelta(minutes=n), usegmt=True)


GUID_GAMES: dict[str, Callable[[int], list[str]]] = {
    "/same-guid-twice": lambda n: [
        feeds.item("first of two", guid="same"),
        feeds.item("second of two", guid="same"),
        feeds.item("other", guid="other"),
    ],
    "/no-guids": lambda n: [
        feeds.item("linked", link="https://example.org/linked"),
        feeds.item("bare", date=_moment(0)),
        feeds.item("bare undated"),
    ],
    "/guid-changes": lambda n: [
        feeds.item(f"changing {i}", guid=f"{i}-{n}", link=f"https://example.org/c/{i}")
        for i in range(3)
    ],
}
# The same games with no link of the item's own: matched by title, link and text.
GUID_GAMES_NO_OWN_LINK: dict[str, Callable[[int], list[str]]] = {
    "/guid-changes-no-link": lambda n: [
        feeds.item(f"unlinked {i}", guid=f"{i}-{n}") for i in range(3)
    ],
    "/guid-changes-one-link": lambda n: [
        feeds.item(f"homepage {i}", guid=f"{i}-{n}", link="https://example.org/") for i in range(3)
    ],
    "/no-guid-date-changes": lambda n: [
        feeds.item(f"restamped {i}", date=_moment(n)) for i in range(3)
    ],
}


def _totals_over_refreshes(
    service: FeedService, server: HTTPTestServer, games: dict[str, Callable[[int], list[str]]]
) -> dict[str, list[int]]:
    for path, build in games.items():
        server.route(path, Counter(build))
        service.store.add_feed(server.url(path))
    totals: dict[str, list[int]] = {path: [] for path in games}
    for _ in range(3):
        report = service.refresh_blocking()
        assert not report.failed, report.failed
        for feed in service.feeds():
            totals[feed.url.removeprefix(server.base_url)].append(feed.total)
    return totals


def test_guid_games_never_make_duplicates(service: FeedService, server: HTTPTestServer) -> None:
    totals = _totals_over_refreshes(service, server, GUID_GAMES)
    assert totals == {
        "/same-guid-twice": [2, 2, 2],
        "/no-guids": [3, 3, 3],
        "/guid-changes": [3, 3, 3],
    }


@pytest.mark.parametrize("path", sorted(GUID_GAMES_NO_OWN_LINK))
def test_guid_games_without_a_usable_link_never_make_duplicates(
    service: FeedService, server: HTTPTestServer, path: str
) -> None:
    totals = _totals_over_refreshes(service, server, {path: GUID_GAMES_NO_OWN_LINK[path]})
    assert totals == {path: [3, 3, 3]}


def test_absurd_dates_fall_back_to_first_seen_and_sort_after_real_ones(
    server: HTTPTestServer, cli: Yuedu
) -> None:
    path = server.serve_bytes("/dates.xml", feeds.dates())
    cli.subscribe([server.url(path)])
    before = datetime.now(UTC).replace(microsecond=0)
    cli.ok("refresh")
    first = cli.json("entries")
    by_title = {e["title"]: e for e in first}
    for name in ("unparseable", "year-1", "year-9999", "iso-year-1"):
        published = datetime.fromisoformat(str(by_title[f"date {name}"]["published"]))
        assert before <= published <= datetime.now(UTC) + timedelta(seconds=1), (name, published)
    assert by_title["date normal"]["published"] == "2024-05-20T10:00:00Z"
    # Dates fallen back to first sight sort after the real date of the same fetch.
    assert first[0]["title"] == "date normal", "the real date comes before the undated"
    # An item that arrives later goes on top: no absurd date pins an entry there.
    server.serve_bytes(
        path,
        feeds.dates().replace(
            b"</channel>", feeds.item("later", guid="later").encode() + b"</channel>"
        ),
    )
    cli.ok("refresh")
    assert cli.json("entries")[0]["title"] == "later"


def test_bidi_overrides_and_zalgo_stay_in_their_cells(server: HTTPTestServer, cli: Yuedu) -> None:
    path = server.serve_bytes("/zalgo.xml", feeds.rtl_and_zalgo())
    nul = server.serve_bytes(
        "/nul.xml",
        feeds.rss([feeds.item("nul\x00-title\x00 kept", guid="n", body="<p>nul\x00-body</p>")]),
    )
    cli.subscribe([server.url(path), server.url(nul)])
    assert "0 failed" in cli.ok("refresh")
    listed = cli.ok("entries")
    assert "evil-rtl" in listed and "nul-title kept" in listed
    assert clusters_longest(listed) <= 1 + MAX_MARKS
    shown: dict[str, str] = {}
    for entry in cli.json("entries"):
        for width in (12, 40):
            text = cli.ok("show", str(entry["id"]), "--width", str(width))
            assert clusters_longest(text) <= 1 + MAX_MARKS
            assert all(cell_width(line) <= width for line in text.splitlines()), text
        shown[str(entry["title"])[:3]] = text
    assert "gnp.exe" in shown["evi"] and "rest" in shown["evi"]
    assert "nul-body" in shown["nul"]


def _good_feed(extra: str = "") -> bytes:
    items = [
        feeds.item(
            f"kept {i}", guid=f"kept-{i}", link=f"https://example.org/k/{i}", date=_moment(i)
        )
        for i in range(6)
    ]
    return feeds.rss([*items, extra], title="Once good")


def test_a_feed_that_fails_or_empties_never_loses_entries_or_state(
    service: FeedService, server: HTTPTestServer
) -> None:
    path = server.serve_bytes("/once-good.xml", _good_feed())
    feed = service.add_feed_blocking(server.url(path)).feed
    ids = service.entry_ids(EntryFilter(feed_id=feed.id))
    assert len(ids) == 6
    service.mark_read(ids[:2])
    service.mark_starred(ids[2:4])

    def snapshot() -> dict[int, tuple[str, bool, bool]]:
        return {
            e.id: (e.title, e.read, e.starred)
            for e in service.entries(EntryFilter(feed_id=feed.id))
        }

    expected = snapshot()
    breakages: list[tuple[str, Callable[[], object]]] = [
        ("HTTP 500", lambda: server.serve_status(path, 500)),
        ("HTTP 404", lambda: server.serve_status(path, 404)),
        ("empty response", lambda: server.serve_bytes(path, b"")),
        (
            "not a feed (HTML page)",
            lambda: server.serve_bytes(
                path, b"<html><body>moved</body></html>", content_type="text/html"
            ),
        ),
        ("too large", lambda: server.gzip_bomb(path, size=GiB)),
        ("connection closed", lambda: server.truncated(path, _good_feed())),
        ("not a feed (binary", lambda: server.serve_bytes(path, bytes(range(256)) * 64)),
        ("", lambda: server.serve_bytes(path, feeds.rss([], title=""))),  # a valid, empty feed
        (
            "",
            lambda: server.serve_bytes(
                path, feeds.rss([feeds.item("brand new", guid="new")], title="Once good")
            ),
        ),
    ]
    for reason, breakage in breakages:
        breakage()
        (status,) = service.refresh_blocking().statuses
        assert (status.error or "").startswith(reason), (reason, status.error)
        now = snapshot()
        assert {i: now[i] for i in expected} == expected, reason
        stored = service.feed(server.url(path))
        assert stored is not None and stored.title == "Once good", reason
    assert len(snapshot()) == 7
    # And the CLI, opening the same cache, sees the same.
    cli = Yuedu(service.paths.data_dir)
    listed = {e["id"]: (e["title"], e["read"], e["starred"]) for e in cli.json("entries")}
    assert {i: listed[i] for i in expected} == {i: tuple(v) for i, v in expected.items()}
