"""TtrssClient against a real tt-rss 21 (Debian's package, PostgreSQL, php's server).

The server is shared by the session: each test makes its own feeds and articles and looks
only at those.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta

import psutil
import pytest

from tests.httpserver import HTTPTestServer, Request, Response, server_fixture
from tui.bench.pg_cluster import free_port
from tui.bench.ttrss_server import TtrssServer
from tui.bench.ttrss_tables import SeedArticle
from tui.core.errors import FetchError
from tui.core.sync.base import Account, EntryPage, MarkChange, RemoteEntry, SyncAuthError
from tui.core.sync.ttrss import PAGE, TtrssClient, api_url

server = server_fixture()
BASE = datetime(2025, 3, 1, tzinfo=UTC)


def _name() -> str:
    return secrets.token_hex(4)


def _article(n: int, **fields: object) -> SeedArticle:
    defaults: dict[str, object] = {
        "title": f"Article {n}",
        "link": f"https://example.com/a/{n}",
        "content": f"<p>Body {n}</p>",
        "updated": BASE + timedelta(minutes=n),
    }
    return SeedArticle(**{**defaults, **fields})  # type: ignore[arg-type]


def _feed(ttrss: TtrssServer, *, category: int | None = None) -> int:
    name = _name()
    url = f"https://example.com/{name}.xml"
    return ttrss.tables.add_feed(url, f"Feed {name}", category=category)


async def _pull(account: Account, cursor: str | None) -> list[EntryPage]:
    async with TtrssClient(account) as client:
        await client.login()
        return [page async for page in client.entries(cursor)]


def _entries(pages: list[EntryPage]) -> list[RemoteEntry]:
    return [e for page in pages for e in page.entries]


def _one_line_without(text: str, secret: str) -> None:
    assert "\n" not in text and secret not in text


# -- login -----------------------------------------------------------------------------------


async def test_login_with_the_right_password(account: Account) -> None:
    async with TtrssClient(account) as client:
        await client.login()
        assert await client.feeds() is not None


@pytest.mark.parametrize("user", ["admin", "nobody"])
async def test_a_wrong_password_or_user_is_refused(ttrss: TtrssServer, user: str) -> None:
    account = Account("ttrss", ttrss.url, user, "not-the-password")
    async with TtrssClient(account) as client:
        with pytest.raises(SyncAuthError) as caught:
            await client.login()
    assert "refused" in str(caught.value)
    _one_line_without(str(caught.value), "not-the-password")


async def test_a_user_without_api_access_is_told_so(ttrss: TtrssServer) -> None:
    user = f"noapi{_name()}"
    ttrss.tables.add_user(user, "secret-pw", api=False)
    async with TtrssClient(Account("ttrss", ttrss.url, user, "secret-pw")) as client:
        with pytest.raises(SyncAuthError, match="API access is off"):
            await client.login()
    ttrss.tables.set_api_access(user, True)
    async with TtrssClient(Account("ttrss", ttrss.url, user, "secret-pw")) as client:
        await client.login()


async def test_an_expired_session_logs_in_again_once(ttrss: TtrssServer, account: Account) -> None:
    feed = _feed(ttrss)
    async with TtrssClient(account) as client:
        await client.login()
        ttrss.tables.expire_sessions()
        feeds = await client.feeds()
    assert str(feed) in {f.remote_id for f in feeds}


async def test_a_session_refused_again_after_a_new_login_is_an_auth_error(
    server: HTTPTestServer,
) -> None:
    def forgetful(request: Request) -> Response:
        if json.loads(request.body)["op"] == "login":
            return Response(200, b'{"status":0,"content":{"session_id":"s","api_level":15}}', {})
        return Response(200, b'{"status":1,"content":{"error":"NOT_LOGGED_IN"}}', {})

    server.route("/api/", forgetful)
    async with TtrssClient(Account("ttrss", server.url("/"), "admin", "pw")) as client:
        with pytest.raises(SyncAuthError, match="keeps ending the session"):
            await client.feeds()
    logins = [r for r in server.requests if json.loads(r.body)["op"] == "login"]
    assert len(logins) == 2


async def test_a_server_that_is_down_is_one_line_without_the_password() -> None:
    account = Account("ttrss", f"http://127.0.0.1:{free_port()}/tt-rss", "admin", "hunter2")
    async with TtrssClient(account) as client:
        with pytest.raises(FetchError) as caught:
            await client.login()
    _one_line_without(str(caught.value), "hunter2")


def test_a_stopped_server_leaves_no_process_and_no_directory(ttrss: TtrssServer) -> None:
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    other = TtrssServer()
    with other:
        started = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
        servers = [p for p in started if _process_name(p) in ("php", "postgres")]
        assert {_process_name(p) for p in servers} == {"php", "postgres"}
    # is_running also compares start times: a pid reused since is not taken for ours.
    assert not [p for p in servers if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not other.root.exists()


def _process_name(process: psutil.Process) -> str:
    """The process's name; "" once it has ended (psql and the like come and go)."""
    try:
        return process.name()
    except psutil.NoSuchProcess:
        return ""


async def test_php_stopped_and_started_again(ttrss: TtrssServer, account: Account) -> None:
    ttrss.stop_php()
    try:
        async with TtrssClient(account) as client:
            with pytest.raises(FetchError):
                await client.login()
    finally:
        ttrss.start_php()
    async with TtrssClient(account) as client:
        await client.login()


async def test_an_api_level_below_15_is_refused(server: HTTPTestServer) -> None:
    def old_ttrss(_request: Request) -> Response:
        body = b'{"seq":0,"status":0,"content":{"session_id":"abc","api_level":14}}'
        return Response(200, body, {"Content-Type": "text/json"})

    server.route("/api/", old_ttrss)
    async with TtrssClient(Account("ttrss", server.url("/"), "admin", "pw")) as client:
        with pytest.raises(FetchError, match="API level 14 is too old"):
            await client.login()


async def test_an_answer_that_is_not_tt_rss_is_a_fetch_error(server: HTTPTestServer) -> None:
    server.route("/api/", lambda _r: Response(200, b"<html>hello</html>", {}))
    async with TtrssClient(Account("ttrss", server.url("/"), "admin", "pw")) as client:
        with pytest.raises(FetchError, match="not JSON"):
            await client.login()
    server.route("/api/", lambda _r: Response(200, b"[1, 2]", {}))
    async with TtrssClient(Account("ttrss", server.url("/"), "admin", "pw")) as client:
        with pytest.raises(FetchError, match="not a tt-rss API answer"):
            await client.login()


async def test_a_server_echoing_the_password_does_not_get_it_into_the_error(
    server: HTTPTestServer,
) -> None:
    def echo(request: Request) -> Response:
        password = json.loads(request.body).get("password", "")
        body = json.dumps({"status": 1, "content": {"error": f"BAD {password}"}})
        return Response(200, body.encode(), {})

    server.route("/api/", echo)
    async with TtrssClient(Account("ttrss", server.url("/"), "admin", "s3cret-pw")) as client:
        with pytest.raises(FetchError) as caught:
            await client.login()
    _one_line_without(str(caught.value), "s3cret-pw")


def test_the_api_address_is_found_from_the_install_address() -> None:
    assert api_url("https://example.com/tt-rss") == "https://example.com/tt-rss/api/"
    assert api_url("https://example.com/tt-rss/api/") == "https://example.com/tt-rss/api/"
    assert api_url("http://127.0.0.1:8080/") == "http://127.0.0.1:8080/api/"


# -- feeds and entries -----------------------------------------------------------------------


async def test_feeds_come_with_their_category(ttrss: TtrssServer, account: Account) -> None:
    category = f"Tech 技术 {_name()}"
    in_category = _feed(ttrss, category=ttrss.tables.add_category(category))
    alone = _feed(ttrss)
    async with TtrssClient(account) as client:
        await client.login()
        feeds = {f.remote_id: f for f in await client.feeds()}
    assert feeds[str(in_category)].categories == (category,)
    assert feeds[str(alone)].categories == ()
    assert feeds[str(alone)].url.startswith("https://example.com/")
    assert feeds[str(alone)].title.startswith("Feed ")


async def test_entries_page_past_200_oldest_first_and_the_cursor_moves_at_the_end(
    ttrss: TtrssServer, account: Account
) -> None:
    start = ttrss.tables.newest_article_id()
    feed = _feed(ttrss)
    count = 2 * PAGE + 50
    # Stored newest first, so ids and dates run opposite ways.
    ids = ttrss.tables.add_articles(feed, [_article(n) for n in reversed(range(count))])
    pages = await _pull(account, str(start))
    entries = _entries(pages)
    assert [len(p.entries) for p in pages] == [PAGE, PAGE, 50]
    assert [p.cursor for p in pages] == [str(start), str(start), str(max(ids))]
    assert [e.entry.title for e in entries] == [f"Article {n}" for n in range(count)]
    assert {e.remote_id for e in entries} == {str(i) for i in ids}
    more = ttrss.tables.add_articles(feed, [_article(n) for n in range(3)])
    later = _entries(await _pull(account, pages[-1].cursor))
    assert sorted(int(e.remote_id) for e in later) == more


async def test_an_entry_carries_its_fields_and_marks(ttrss: TtrssServer, account: Account) -> None:
    start = ttrss.tables.newest_article_id()
    feed = _feed(ttrss)
    article = _article(
        1,
        title="Fish &amp; chips 鱼",
        content="<p>Body 1</p>\n\\.\n<p>after a line COPY could take for its end</p>",
        author="Ann",
        unread=False,
        marked=True,
        tags=("food", "uk"),
        enclosures=(("https://example.com/ep.mp3", "audio/mpeg"),),
    )
    ttrss.tables.add_articles(feed, [article])
    [entry] = _entries(await _pull(account, str(start)))
    assert entry.feed_remote_id == str(feed)
    assert (entry.read, entry.starred) == (True, True)
    parsed = entry.entry
    assert parsed.title == "Fish & chips 鱼"
    assert parsed.link == "https://example.com/a/1"
    assert "Body 1" in parsed.content and "its end" in parsed.content
    assert parsed.author == "Ann"
    assert parsed.published == BASE + timedelta(minutes=1)
    assert set(parsed.categories) == {"food", "uk"}
    assert [(e.url, e.type) for e in parsed.enclosures] == [
        ("https://example.com/ep.mp3", "audio/mpeg")
    ]


async def test_hostile_article_fields_are_cleaned(ttrss: TtrssServer, account: Account) -> None:
    start = ttrss.tables.newest_article_id()
    feed = _feed(ttrss)
    hostile = _article(
        1,
        title="Hi\x1b]0;pwned\x07 there\u202e",
        link="javascript:alert(1)",
        author="\x1b[31mEve",
        enclosures=(("javascript:alert(2)", "audio/mpeg"),),
        tags=("\x07evil",),
    )
    ttrss.tables.add_articles(feed, [hostile, _article(2)])
    entries = _entries(await _pull(account, str(start)))
    first = entries[0].entry
    assert first.title == "Hi there"
    assert first.link is None
    assert first.author == "Eve"
    assert first.enclosures == ()
    assert first.categories == ("evil",)
    assert entries[1].entry.title == "Article 2"


async def test_unread_and_starred_ids(ttrss: TtrssServer, account: Account) -> None:
    feed = _feed(ttrss)
    articles = [_article(n, unread=n % 3 != 0, marked=n % 5 == 0) for n in range(PAGE + 60)]
    ids = ttrss.tables.add_articles(feed, articles)
    async with TtrssClient(account) as client:
        await client.login()
        unread = await client.unread_ids()
        starred = await client.starred_ids()
    for n, article_id in enumerate(ids):
        assert (str(article_id) in unread) == (n % 3 != 0)
        assert (str(article_id) in starred) == (n % 5 == 0)


async def test_marks_are_pushed(ttrss: TtrssServer, account: Account) -> None:
    feed = _feed(ttrss)
    a, b, c, d = ttrss.tables.add_articles(
        feed,
        [_article(1), _article(2, unread=False), _article(3), _article(4, marked=True)],
    )
    changes = [
        MarkChange(str(a), read=True),
        MarkChange(str(b), read=False),
        MarkChange(str(c), read=True, starred=True),
        MarkChange(str(d), starred=False),
        MarkChange("not-a-tt-rss-id", read=True),
    ]
    async with TtrssClient(account) as client:
        await client.login()
        await client.push(changes)
    flags = {i: ttrss.tables.flags(i) for i in (a, b, c, d)}
    assert [(f.unread, f.marked) for f in flags.values()] == [
        (False, False),
        (True, False),
        (False, True),
        (True, False),
    ]


# -- subscriptions ---------------------------------------------------------------------------


async def test_subscribing_to_a_feed_tt_rss_cannot_fetch_says_why(
    ttrss: TtrssServer, account: Account
) -> None:
    # tt-rss refuses loopback addresses, as it would an unreachable one.
    url = f"http://127.0.0.1:{free_port()}/feed.xml"
    async with TtrssClient(account) as client:
        await client.login()
        with pytest.raises(FetchError, match="could not download") as caught:
            await client.subscribe(url, "News")
        with pytest.raises(FetchError, match="not an http or https address"):
            await client.subscribe("ftp://example.com/feed")
    assert "\n" not in str(caught.value)
    assert url not in ttrss.tables.feeds()


async def test_subscribing_to_an_address_tt_rss_finds_invalid_says_so(
    ttrss: TtrssServer, account: Account
) -> None:
    async with TtrssClient(account) as client:
        await client.login()
        with pytest.raises(FetchError, match="not valid"):
            await client.subscribe("http://exa_mple.com/feed.xml")


async def test_unsubscribing_removes_the_feed_and_twice_is_fine(
    ttrss: TtrssServer, account: Account
) -> None:
    feed = _feed(ttrss)
    ttrss.tables.add_articles(feed, [_article(1)])
    async with TtrssClient(account) as client:
        await client.login()
        await client.unsubscribe(str(feed))
        assert feed not in ttrss.tables.feeds().values()
        await client.unsubscribe(str(feed))
        with pytest.raises(FetchError):
            await client.unsubscribe("feed/1")
