"""MinifluxClient against a strict, stateful Miniflux REST API server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.sync.miniflux_server import Entry, Feed, MinifluxServer
from tests.sync.support import all_pages, closed_port_url
from tui.core.errors import FetchError
from tui.core.models import Enclosure
from tui.core.sync.base import Account, MarkChange, SyncAuthError
from tui.core.sync.miniflux import MinifluxClient


@pytest.fixture
def server() -> Iterator[MinifluxServer]:
    state = MinifluxServer()
    state.categories = {1: "All", 2: "News"}
    state.feeds = {
        10: Feed("https://example.com/one.xml", "One", 2),
        11: Feed("https://example.org/two.xml", "Two", 1),
    }
    state.entries = {
        i: Entry(
            i,
            10 if i % 2 else 11,
            title=f"Entry {i}",
            status="read" if i in (3, 8) else "unread",
            starred=i in (5, 12),
        )
        for i in (2, 3, 5, 7, 8, 12, 20)
    }
    state.entries[15] = Entry(15, 10, status="removed")
    with state.http:
        yield state


def account(server: MinifluxServer, user: str | None = None, password: str = "") -> Account:
    return Account(
        "miniflux",
        server.url,
        server.user if user is None else user,
        password or server.password,
    )


@asynccontextmanager
async def client(
    server: MinifluxServer, chosen: Account | None = None, **options: Any
) -> AsyncIterator[MinifluxClient]:
    async with MinifluxClient(chosen or account(server), **options) as connected:
        await connected.login()
        yield connected


async def test_basic_auth_login_then_feeds_with_their_category(server: MinifluxServer) -> None:
    async with client(server) as miniflux:
        feeds = {feed.remote_id: feed for feed in await miniflux.feeds()}
    assert feeds["10"].url == "https://example.com/one.xml"
    assert feeds["10"].title == "One" and feeds["10"].site_link == "https://example.com/"
    assert feeds["10"].categories == ("News",)
    assert feeds["11"].categories == ("All",)
    assert server.refused == []


async def test_an_empty_user_sends_the_password_as_an_api_key(server: MinifluxServer) -> None:
    async with client(server, account(server, user="", password=server.api_key)) as miniflux:
        assert len(await miniflux.feeds()) == 2
    (me,) = server.calls("/v1/me")
    assert me.header("X-Auth-Token") == server.api_key and me.header("Authorization") is None


@pytest.mark.parametrize("user", ["alice", ""])
async def test_a_refused_login_is_an_auth_error_without_the_password(
    server: MinifluxServer, user: str
) -> None:
    with pytest.raises(SyncAuthError) as caught:
        async with client(server, account(server, user=user, password="wrong secret 42")):
            pass
    message = str(caught.value)
    assert "wrong secret 42" not in message and "\n" not in message


@pytest.mark.parametrize("key", ["k\u00e9y", "k\x00ey"])
def test_an_api_key_no_header_can_carry_is_refused_without_quoting_it(
    server: MinifluxServer, key: str
) -> None:
    with pytest.raises(SyncAuthError) as caught:
        MinifluxClient(account(server, user="", password=key))
    assert key not in str(caught.value) and "\n" not in str(caught.value)


async def test_entries_page_by_id_after_the_cursor(server: MinifluxServer) -> None:
    async with client(server, page_size=3) as miniflux:
        pages = await all_pages(miniflux, None)
    assert [[e.remote_id for e in page.entries] for page in pages] == [
        ["2", "3", "5"],
        ["7", "8", "12"],
        ["20"],
    ]
    assert [page.cursor for page in pages] == ["5", "12", "20"]
    entries = {e.remote_id: e for page in pages for e in page.entries}
    assert entries["3"].read and not entries["2"].read
    assert entries["5"].starred and not entries["7"].starred
    assert entries["7"].feed_remote_id == "10"
    assert entries["7"].marks_changed == datetime(2024, 3, 1, 12, tzinfo=UTC)
    seven = entries["7"].entry
    assert seven.title == "Entry 7" and seven.link == "https://example.com/7"
    assert seven.content == "<p>Entry 7</p>" and seven.author == "Ann"
    assert seven.published == datetime(2024, 2, 1, 10, tzinfo=UTC)
    assert seven.categories == ("one", "two")
    assert seven.enclosures == (Enclosure("https://example.com/a.mp3", "audio/mpeg", 1234),)
    calls = server.calls("/v1/entries")
    assert ["after_entry_id" in call.path for call in calls] == [False, True, True]
    assert "after_entry_id=12" in calls[-1].path


async def test_a_server_sending_fewer_than_asked_is_paged_to_the_end(
    server: MinifluxServer,
) -> None:
    server.most = 2
    async with client(server, page_size=5) as miniflux:
        pages = await all_pages(miniflux, None)
        unread = await miniflux.unread_ids()
    assert [len(page.entries) for page in pages] == [2, 2, 2, 1]
    assert unread == {"2", "5", "7", "12", "20"}


async def test_a_later_sync_gets_only_newer_entries(server: MinifluxServer) -> None:
    async with client(server) as miniflux:
        (page,) = await all_pages(miniflux, None)
        server.entries[21] = Entry(21, 10)
        later = await all_pages(miniflux, page.cursor)
        nothing = await all_pages(miniflux, "21")
    assert [[e.remote_id for e in p.entries] for p in later] == [["21"]]
    assert later[-1].cursor == "21"
    assert nothing == []


async def test_unread_and_starred_ids_across_pages(server: MinifluxServer) -> None:
    async with client(server, page_size=2) as miniflux:
        unread = await miniflux.unread_ids()
        starred = await miniflux.starred_ids()
    assert unread == {"2", "5", "7", "12", "20"}
    assert starred == {"5", "12"}
    assert all("status=unread" in c.path for c in server.calls("/v1/entries")[:3])


async def test_pushed_marks_show_on_the_server_and_stars_never_toggle_twice(
    server: MinifluxServer,
) -> None:
    changes = [
        MarkChange("2", read=True, starred=True),
        MarkChange("3", read=False),
        MarkChange("5", starred=False),
        MarkChange("7", starred=False),
        MarkChange("99", starred=True),
        MarkChange("not a number", read=True),
    ]
    async with client(server) as miniflux:
        await miniflux.push(changes)
        await miniflux.push(changes)
    entries = server.entries
    assert entries[2].status == "read" and entries[2].starred
    assert entries[3].status == "unread"
    assert not entries[5].starred and not entries[7].starred
    assert server.toggles == {2: 1, 5: 1}
    assert len(server.calls("/v1/entries")) == 2 * 2
    assert [r for r in server.refused if "/v1/entries/99" not in r] == []


async def test_subscribe_into_a_named_or_new_category_then_unsubscribe(
    server: MinifluxServer,
) -> None:
    async with client(server) as miniflux:
        await miniflux.subscribe("https://a.example/feed.xml", "news")
        await miniflux.subscribe("https://b.example/feed.xml", "Later")
        await miniflux.subscribe("https://c.example/feed.xml")
        feeds = {feed.url: feed for feed in await miniflux.feeds()}
        await miniflux.unsubscribe("10")
        remaining = {feed.remote_id for feed in await miniflux.feeds()}
        with pytest.raises(FetchError):
            await miniflux.subscribe("javascript:alert(1)")
    assert feeds["https://a.example/feed.xml"].categories == ("News",)
    assert feeds["https://b.example/feed.xml"].categories == ("Later",)
    assert feeds["https://c.example/feed.xml"].categories == ("All",)
    assert "10" not in remaining and len(remaining) == 4
    assert len(server.calls("/v1/categories")) == 3 + 1


async def test_hostile_entries_cost_only_themselves(server: MinifluxServer) -> None:
    def hostile(number: int, **fields: Any) -> Entry:
        good = Entry(number, 10).as_json()
        return Entry(number, 10, raw={**good, **fields})

    server.entries = {
        1: Entry(1, 10),
        2: hostile(2, title="\x1b]0;pwned\x07Evil\x1b[31m title\u202e", author="\x00Bob"),
        3: hostile(3, url="javascript:alert(1)", enclosures={"url": "x"}),
        4: hostile(4, title=["a"], content="y" * 3_000_000, tags="solo"),
        5: hostile(5, status=["read"]),
        6: hostile(6, starred="yes"),
        7: hostile(7, feed_id=None),
        8: hostile(8, published_at="not a date", changed_at=12, enclosures=[{"url": "ftp://x"}]),
        9: Entry(9, 10, raw=["not", "an", "entry"]),
        10: hostile(10, id="ten"),
        11: Entry(11, 11),
    }
    async with client(server) as miniflux:
        pages = await all_pages(miniflux, None)
    got = {e.remote_id: e for page in pages for e in page.entries}
    assert sorted(got, key=int) == ["1", "2", "3", "4", "8", "11"]
    assert got["2"].entry.title == "Evil title" and got["2"].entry.author == "Bob"
    assert got["3"].entry.link is None and got["3"].entry.enclosures == ()
    assert got["4"].entry.title.startswith("y") and len(got["4"].entry.content) == 3_000_000
    assert got["4"].entry.categories == ()
    assert got["8"].entry.published is None and got["8"].marks_changed is None
    assert got["8"].entry.enclosures == ()
    assert pages[-1].cursor == "11"


async def test_a_server_that_is_down_is_a_one_line_fetch_error() -> None:
    gone = Account("miniflux", closed_port_url("/"), "a", "pw")
    with pytest.raises(FetchError) as caught:
        async with MinifluxClient(gone) as miniflux:
            await miniflux.login()
    assert "\n" not in str(caught.value) and "pw" not in str(caught.value)


def test_the_server_refuses_what_the_docs_do(server: MinifluxServer) -> None:
    auth = {"X-Auth-Token": server.api_key}
    strings = httpx.put(
        server.url + "v1/entries", json={"entry_ids": ["2"], "status": "read"}, headers=auth
    )
    form = httpx.put(server.url + "v1/entries", data={"entry_ids": "2"}, headers=auth)
    filters = httpx.get(server.url + "v1/entries?status=new", headers=auth)
    anonymous = httpx.get(server.url + "v1/me")
    assert [r.status_code for r in (strings, form, filters, anonymous)] == [400, 400, 400, 401]
    assert server.entries[2].status == "unread"
