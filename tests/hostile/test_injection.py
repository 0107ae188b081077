"""Terminal and markup injection, and hostile links, as a user of the real CLI sees them.

One home is subscribed to an RSS, an Atom and a JSON feed whose every field carries raw
escape sequences, C1 controls, NUL/BS/CR, the character references that decode to them, and
Rich/Textual markup; and to a feed of hostile links. Every command's output must hold no
control character but newline and tab, and show the printable rest literally.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile import feeds
from tests.hostile.feeds import MARKUP, Yuedu, marker
from tests.httpserver import HTTPTestServer
from tui.core.feeds.parse.feed import parse_feed
from tui.core.text.sanitize import safe_url

INJECTED = {
    "/hostile/inject.rss": "rss",
    "/hostile/inject.atom": "atom",
    "/hostile/inject.json": "json",
}
LINKS = "/hostile/links.xml"


@dataclass
class Home:
    server: HTTPTestServer
    cli: Yuedu
    refresh_output: str

    def url(self, path: str) -> str:
        return self.server.url(path)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    with HTTPTestServer() as server:
        server.serve_bytes("/hostile/inject.rss", feeds.injected_rss())
        server.serve_bytes("/hostile/inject.atom", feeds.injected_atom())
        server.serve_bytes("/hostile/inject.json", feeds.injected_json(), content_type=None)
        server.serve_bytes(LINKS, feeds.links_rss())
        cli = Yuedu(tmp_path_factory.mktemp("inject") / "home")
        cli.configure(feeds.FAST_CONFIG)
        cli.subscribe([server.url(p) for p in [*INJECTED, LINKS]])
        output = cli.ok("refresh")
        yield Home(server, cli, output)


def entries_by_kind(home: Home) -> dict[str, dict[str, object]]:
    entries = home.cli.json("entries")
    return {
        INJECTED[str(e["feed_url"]).removeprefix(home.server.base_url)]: e
        for e in entries
        if str(e["feed_url"]).removeprefix(home.server.base_url) in INJECTED
    }


def test_refresh_reports_every_feed_fine(home: Home) -> None:
    entries = 3 + len(feeds.LINK_CASES) + 1
    assert home.refresh_output.splitlines() == [
        f"refreshed 4 feeds: {entries} new entries, 0 unchanged, 0 failed"
    ]


def test_feeds_list_shows_titles_literally(home: Home) -> None:
    out = home.cli.ok("feeds")
    assert out.count(marker("feedtitle")) == 3, out
    assert out.count(MARKUP) == 3, out
    listed = home.cli.json("feeds")
    for feed in listed:
        assert not feeds.forbidden_in(str(feed["title"])), feed


def test_entries_list_shows_titles_literally(home: Home) -> None:
    out = home.cli.ok("entries")
    injected = [line for line in out.splitlines() if marker("title") in line]
    assert len(injected) == 3, out
    assert all(MARKUP in line for line in injected), injected
    for entry in home.cli.json("entries"):
        for key, value in entry.items():
            assert not feeds.forbidden_in(str(value)), (key, value)


@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_show_prints_every_field_and_no_control(home: Home, kind: str) -> None:
    entry = entries_by_kind(home)[kind]
    wide = home.cli.ok("show", str(entry["id"]), "--width", "400")
    for name in ("title", "feedtitle", "author", "body"):
        lines = [line for line in wide.splitlines() if marker(name) in line]
        assert lines, (name, wide)
        assert all(MARKUP in line for line in lines), (name, lines)
    if kind != "atom":
        assert marker("linktext") in wide
    assert "[1] https://example.org/ok" in wide or kind == "atom"
    narrow = home.cli.ok("show", str(entry["id"]), "--width", "24")
    assert all(len(line) <= 24 for line in narrow.splitlines())


@pytest.mark.parametrize("builder", [feeds.injected_rss, feeds.injected_atom, feeds.injected_json])
def test_categories_come_out_clean(builder: object) -> None:
    # Categories are neither stored nor shown; the parser still hands them over clean.
    assert callable(builder)
    parsed = parse_feed(builder(), url="http://127.0.0.1/feed")
    (category,) = parsed.entries[0].categories
    assert not feeds.forbidden_in(category)
    assert marker("category") in category and MARKUP in category


def expected_links(home: Home) -> dict[str, str | None]:
    feed_url = home.url(LINKS)
    base, root = feed_url.rsplit("/", 1)[0], home.server.base_url
    return {
        href: None if want is None else want.format(base=base, root=root)
        for href, want in feeds.LINK_CASES.items()
    }


# A refused scheme, an option-like relative link and a bidi override, shown in full.
SHOWN = (
    "javascript:alert(1)",
    "-oProxyCommand=touch /tmp/pwned",
    "https://example.org/\u202egnp.exe",
)


def test_only_web_links_reach_entries(home: Home) -> None:
    expected = expected_links(home)
    by_title = {e["title"]: e for e in home.cli.json("entries", "--feed", home.url(LINKS))}
    for number, (href, want) in enumerate(expected.items()):
        entry = by_title[f"link case {number}"]
        assert entry["link"] == want, (href, entry["link"])
        if href not in SHOWN:
            continue
        shown = home.cli.ok("show", str(entry["id"]), "--width", "400")
        link_lines = [
            line.split(":", 1)[1].strip() for line in shown.splitlines() if line.startswith("Link:")
        ]
        listed = shown.partition("\nEnclosures:\n")[2].splitlines()
        attachments = [re.sub(r"^\[\d+\]\s+", "", line) for line in listed if line.startswith("[")]
        enclosures = [(e["url"], e["type"]) for e in entry["enclosures"]]
        if want is None:
            assert link_lines == [] and attachments == [] and enclosures == [], (href, shown)
        else:
            # What is shown is exactly what a browser would be given: safe_url leaves it be.
            assert link_lines == [want] and safe_url(want) == want, (href, shown)
            assert attachments == [want] and "audio/mpeg" in listed[1], (href, listed)
            assert enclosures == [(want, "audio/mpeg")], (href, enclosures)


def test_only_web_links_are_numbered_in_the_article(home: Home) -> None:
    expected = [want for want in expected_links(home).values() if want is not None]
    entry = next(
        e
        for e in home.cli.json("entries", "--feed", home.url(LINKS))
        if e["title"] == "all the links"
    )
    shown = home.cli.ok("show", str(entry["id"]), "--width", "400")
    listed = shown.split("\nLinks:\n", 1)[1].splitlines()
    urls = [re.sub(r"^\[\d+\]\s+", "", line) for line in listed]
    assert urls == expected
    for url in urls:
        assert url.startswith(("http://", "https://")) and safe_url(url) == url
    # The texts of refused links stay as text, without a number.
    for number, want in enumerate(expected_links(home).values()):
        if want is None:
            assert re.search(rf"\btext{number}(?!\[)", shown), number


def test_a_hostile_server_reason_and_location_reach_no_terminal(tmp_path: Path) -> None:
    with HTTPTestServer() as server:
        server.serve_status("/reason", 599, reason="pwned-reason \x1b]0;x\x07 [bold]b")
        target = server.serve_bytes("/new%1B%5B2J.xml", feeds.rss([feeds.item("moved", guid="m")]))
        server.redirect("/moved", target, status=301)
        server.redirect("/raw", "/new\x1b[2J.xml", status=301)
        cli = Yuedu(tmp_path / "home")
        cli.configure(feeds.FAST_CONFIG)
        cli.subscribe([server.url(p) for p in ("/reason", "/moved", "/raw")])
        lines = set(cli.ok("refresh").splitlines())
        assert lines == {
            f"failed {server.url('/reason')}: HTTP 599 pwned-reason [bold]b",
            f"failed {server.url('/raw')}: invalid address",
            f"moved {server.url('/moved')} -> {server.url(target)}",
            "refreshed 3 feeds: 1 new entries, 0 unchanged, 2 failed",
        }
        assert server.url(target) in cli.ok("feeds")
        assert server.url(target) in cli.ok("export")
