"""GReaderClient against a strict, stateful Google Reader API server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from tests.sync.greader_server import ITEM_PREFIX, Feed, GReaderServer, Item
from tests.sync.support import all_pages, closed_port_url
from tui.core.errors import FetchError
from tui.core.sync.base import Account, MarkChange, SyncAuthError
from tui.core.sync.greader import GReaderClient
from tui.core.sync.greader_ids import item_id

BASE_MS = 1_700_000_000_000
WIDE = 0xFEDC_BA98_7654_3210
"""Over 2**63: its short form is a negative decimal."""


def sample_items() -> list[Item]:
    numbers = [5, 17, WIDE, 0x7FFF_FFFF_FFFF_FFFF, 300, 301, 302]
    return [
        Item(
            number=n,
            feed="feed/1" if i % 2 else "feed/2",
            crawl_ms=BASE_MS + i * 1500,
            title=f"Item {i}",
            link=f"https://example.com/{i}",
            read=i in (1, 4),
            starred=i in (2, 5),
        )
        for i, n in enumerate(numbers)
    ]


@pytest.fixture
def server() -> Iterator[GReaderServer]:
    state = GReaderServer()
    state.feeds = {
        "feed/1": Feed("https://example.com/one.xml", "One", "News"),
        "feed/2": Feed("https://example.org/two.xml", "Two", "Tech"),
    }
    state.items = sample_items()
    with state.http:
        yield state


@asynccontextmanager
async def client(
    server: GReaderServer, password: str | None = None, **options: Any
) -> AsyncIterator[GReaderClient]:
    account = Account("greader", server.url, server.user, password or server.password)
    async with GReaderClient(account, **options) as connected:
        await connected.login()
        yield connected


async def test_login_then_feeds_with_their_labels(server: GReaderServer) -> None:
    async with client(server) as greader:
        feeds = {feed.remote_id: feed for feed in await greader.feeds()}
    assert feeds["feed/1"].url == "https://example.com/one.xml"
    assert feeds["feed/1"].title == "One"
    assert feeds["feed/1"].site_link == "https://example.com/"
    assert feeds["feed/1"].categories == ("News",)
    assert feeds["feed/2"].categories == ("Tech",)
    (login,) = server.calls("accounts/ClientLogin")
    assert "Passwd" not in login.path and b"Passwd=correct+horse" in login.body
    assert server.refused == []


async def test_a_refused_login_is_an_auth_error_without_the_password(
    server: GReaderServer,
) -> None:
    with pytest.raises(SyncAuthError) as caught:
        async with client(server, password="wrong secret 42"):
            pass
    message = str(caught.value)
    assert "wrong secret 42" not in message and "\n" not in message
    assert "refused" in message


@pytest.mark.parametrize("auth", ["alice/tok\u00e9n", "alice/\x1b[2Jx", ""])
async def test_an_auth_token_no_header_can_carry_is_a_fetch_error(
    server: GReaderServer, auth: str
) -> None:
    server.auth = auth
    with pytest.raises(FetchError, match="no Auth token"):
        async with client(server):
            pass


async def test_entries_page_through_continuations_oldest_first(server: GReaderServer) -> None:
    async with client(server, page_size=3, ids_page_size=3) as greader:
        pages = await all_pages(greader, None)
    assert [len(page.entries) for page in pages] == [3, 3, 1]
    entries = [entry for page in pages for entry in page.entries]
    assert [e.remote_id for e in entries] == [item.long_id for item in server.items]
    assert [e.entry.title for e in entries] == [f"Item {i}" for i in range(7)]
    assert [e.read for e in entries] == [item.read for item in server.items]
    assert [e.starred for e in entries] == [item.starred for item in server.items]
    assert entries[2].remote_id == ITEM_PREFIX + "fedcba9876543210"
    assert entries[1].feed_remote_id == "feed/1" and entries[1].entry.categories == ("News",)
    assert entries[0].entry.link == "https://example.com/0"
    assert entries[0].entry.published is not None
    cursors = [int(page.cursor) for page in pages]
    assert cursors == sorted(cursors) and cursors[-1] == server.items[-1].crawl_ms
    listings = server.calls("reader/api/0/stream/items/ids")
    assert ["c=" in call.path for call in listings] == [False, True, True]
    assert all("r=o" in call.path and "n=3" in call.path for call in listings)
    contents = server.calls("reader/api/0/stream/items/contents")
    assert [call.body.count(b"i=") for call in contents] == [3, 3, 1]
    assert server.refused == []


async def test_from_a_server_ignoring_oldest_first_only_the_last_page_moves_the_cursor(
    server: GReaderServer,
) -> None:
    server.oldest_first = False
    async with client(server, page_size=2, ids_page_size=3) as greader:
        pages = await all_pages(greader, None)
        again = await all_pages(greader, str(BASE_MS + 1))
    assert [page.cursor for page in pages] == [""] * 4 + [str(server.items[-1].crawl_ms)]
    assert [page.cursor for page in again] == [str(BASE_MS + 1)] * 4 + [pages[-1].cursor]
    assert sum(len(page.entries) for page in pages) == len(server.items)


async def test_a_later_sync_asks_only_for_items_crawled_since_the_cursor(
    server: GReaderServer,
) -> None:
    async with client(server) as greader:
        (page,) = await all_pages(greader, None)
        server.items.append(Item(number=999, feed="feed/1", crawl_ms=BASE_MS + 60_000))
        later = [e.remote_id for p in await all_pages(greader, page.cursor) for e in p.entries]
    assert later[-1] == ITEM_PREFIX + f"{999:016x}"
    # ot is in seconds: the items of the cursor's own second come again, no older ones.
    assert set(later) == {server.items[-2].long_id, server.items[-1].long_id}
    last_call = server.calls("reader/api/0/stream/items/ids")[-1]
    assert f"ot={server.items[-2].crawl_ms // 1000}" in last_call.path


async def test_short_and_long_ids_name_the_same_items(server: GReaderServer) -> None:
    async with client(server, ids_page_size=2) as greader:
        unread = await greader.unread_ids()
        starred = await greader.starred_ids()
        listings = len(server.calls("reader/api/0/stream/items/ids"))
        long_ids = {e.remote_id for p in await all_pages(greader, None) for e in p.entries}
    assert unread == {item.long_id for item in server.items if not item.read}
    assert starred == {item.long_id for item in server.items if item.starred}
    assert unread <= long_ids
    assert ITEM_PREFIX + "fedcba9876543210" in starred
    assert listings == 3 + 1


async def test_pushed_marks_show_on_the_server(server: GReaderServer) -> None:
    first, second, wide, fourth, *_ = server.items
    async with client(server) as greader:
        await greader.push(
            [
                MarkChange(first.long_id, read=True, starred=True),
                MarkChange(second.long_id, read=False),
                MarkChange(wide.long_id, starred=False),
                MarkChange(fourth.long_id, read=True),
                MarkChange("not an id", read=True),
            ]
        )
    assert (first.read, first.starred) == (True, True)
    assert second.read is False
    assert wide.starred is False and wide.read is False
    assert fourth.read is True
    assert len(server.calls("reader/api/0/edit-tag")) == 4
    assert server.refused == []


async def test_a_stale_write_token_is_renewed_once(server: GReaderServer) -> None:
    item = server.items[0]
    async with client(server) as greader:
        await greader.push([MarkChange(item.long_id, read=True)])
        server.token = "U" * 57
        await greader.push([MarkChange(item.long_id, starred=True)])
    assert item.read and item.starred
    assert len(server.calls("reader/api/0/token")) == 2
    assert [why.split(": ")[-1] for why in server.refused] == ["missing or stale T"]


async def test_subscribe_with_a_label_then_unsubscribe(server: GReaderServer) -> None:
    async with client(server) as greader:
        await greader.subscribe("https://new.example/feed.xml", "Later")
        added = [f for f in await greader.feeds() if f.url == "https://new.example/feed.xml"]
        await greader.unsubscribe("feed/1")
        remaining = {feed.remote_id for feed in await greader.feeds()}
        with pytest.raises(FetchError):
            await greader.subscribe("javascript:alert(1)")
    assert len(added) == 1 and added[0].categories == ("Later",)
    assert "feed/1" not in remaining and added[0].remote_id in remaining
    assert len(server.calls("reader/api/0/subscription/edit")) == 2


def hostile(number: int, **fields: Any) -> Item:
    good = Item(number=number, feed="feed/1", crawl_ms=BASE_MS + number).as_json("News")
    return Item(number=number, feed="feed/1", crawl_ms=BASE_MS + number, raw={**good, **fields})


async def test_hostile_items_cost_only_themselves(server: GReaderServer) -> None:
    server.items = [
        Item(number=1, feed="feed/1", crawl_ms=BASE_MS),
        hostile(2, title="\x1b]0;pwned\x07Evil\x1b[31m title\u202e"),
        hostile(3, alternate=[{"href": "javascript:alert(1)"}]),
        hostile(4, title="x" * 2_000_000, author=["not", "a", "name"]),
        hostile(5, id=["a", "list"]),
        hostile(6, origin="feed/1"),
        hostile(7, categories="user/-/state/com.google/read", published="yesterday"),
        hostile(8, alternate={"href": 5}, summary=[1], enclosure=[{"href": "file:///etc"}]),
        Item(number=9, feed="feed/1", crawl_ms=BASE_MS + 9, raw="not an item"),
        hostile(10, crawlTimeMsec={"a": 1}, timestampUsec=None, published=10**30),
        Item(number=11, feed="feed/2", crawl_ms=BASE_MS + 11),
    ]
    async with client(server) as greader:
        (page,) = await all_pages(greader, None)
    got = {int(e.remote_id.removeprefix(ITEM_PREFIX), 16): e for e in page.entries}
    assert sorted(got) == [1, 2, 3, 4, 7, 8, 10, 11]
    assert got[2].entry.title == "Evil title"
    assert got[3].entry.link is None
    assert len(got[4].entry.title) == 1000 and got[4].entry.author == ""
    assert got[7].read is False and got[7].entry.published is None
    assert got[8].entry.link is None and got[8].entry.enclosures == ()
    assert got[10].entry.published is None
    assert page.cursor == str(BASE_MS + 11)


async def test_a_server_that_is_down_is_a_one_line_fetch_error() -> None:
    account = Account("greader", closed_port_url("/api/greader.php"), "a", "pw")
    with pytest.raises(FetchError) as caught:
        async with GReaderClient(account) as greader:
            await greader.login()
    assert "\n" not in str(caught.value) and "pw" not in str(caught.value)


def test_the_server_refuses_writes_without_the_token(server: GReaderServer) -> None:
    auth = {"Authorization": f"GoogleLogin auth={server.auth}"}
    form = {"i": server.items[0].long_id, "a": "user/-/state/com.google/read"}
    answer = httpx.post(server.url + "/reader/api/0/edit-tag", data=form, headers=auth)
    assert answer.status_code == 401
    assert answer.headers["X-Reader-Google-Bad-Token"] == "true"
    assert server.items[0].read is False


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("-1", "ffffffffffffffff"),
        (-81985529216486896, "fedcba9876543210"),
        ("18364758544493064720", "fedcba9876543210"),
        ("255", "00000000000000ff"),
        (ITEM_PREFIX + "FF", "00000000000000ff"),
        (ITEM_PREFIX + "00000000000000000000ff", "00000000000000ff"),
        (ITEM_PREFIX + "5a0b1c2d3e4f5a6b7c8d9e0f", "5a0b1c2d3e4f5a6b7c8d9e0f"),
        ("5a0b1c2d3e4f5a6b", "5a0b1c2d3e4f5a6b"),
    ],
)
def test_item_ids_take_one_long_form(given: str | int, stored: str) -> None:
    assert item_id(given) == ITEM_PREFIX + stored


@pytest.mark.parametrize(
    "given",
    [True, None, 1.5, "", "tag:google.com,2005:reader/item/xyz", "12.5", "0x1g", 2**64, "-" * 3],
)
def test_what_is_no_item_id(given: Any) -> None:
    assert item_id(given) is None
