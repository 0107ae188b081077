"""tui.core.feeds.fetch against a real HTTP server on 127.0.0.1, hostile servers included."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import brotli
import pytest

from tests.httpserver import (
    Framing,
    HTTPTestServer,
    KiB,
    MiB,
    Request,
    Response,
    http_date,
    server_fixture,
)
from tui.core.config import FetchConfig
from tui.core.errors import FetchError
from tui.core.feeds.fetch import ACCEPT, Fetcher, FetchResult, FetchSettings

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>\n' * 40
FAST = FetchSettings(deadline=2.0, connect_timeout=2.0, read_timeout=2.0)
MARGIN = 1.0  # seconds allowed past a deadline on a busy two-core machine

server = server_fixture()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # trust_env is on: a proxy in the environment would swallow requests to 127.0.0.1.
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


async def fetch(url: str, settings: FetchSettings = FAST, **validators: str) -> FetchResult:
    async with Fetcher(settings) as fetcher:
        return await fetcher.fetch(url, **validators)


async def failure(url: str, settings: FetchSettings = FAST) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetch(url, settings)
    assert caught.value.subject == url
    assert "\n" not in caught.value.reason
    return caught.value


def raw_deflate(data: bytes) -> bytes:
    """Deflate without the zlib wrapper that "deflate" should have; some servers send it."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


# -- plain, compressed and conditional GETs ---------------------------------------------------


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
async def test_compressed_body_is_decoded(server: HTTPTestServer, encoding: str) -> None:
    server.serve_bytes("/feed", FEED, encoding=encoding, content_type="application/rss+xml")
    result = await fetch(server.url("/feed"))
    assert result.body == FEED
    assert result.status == 200
    assert result.content_type == "application/rss+xml"
    assert result.final_url == result.url == server.url("/feed")
    assert result.permanent_url is None
    assert server.requests[0].bytes_sent < len(FEED) / 5  # it really travelled compressed


@pytest.mark.parametrize(
    ("coding", "body"),
    [
        ("deflate", raw_deflate(FEED)),
        ("gzip", gzip.compress(FEED[:100], mtime=0) + gzip.compress(FEED[100:], mtime=0)),
        ("gzip, br", brotli.compress(gzip.compress(FEED, mtime=0))),
        ("utf-8", FEED),  # a common misconfiguration: unknown codings pass through
    ],
)
async def test_odd_but_real_encodings(server: HTTPTestServer, coding: str, body: bytes) -> None:
    server.serve_bytes("/feed", body, headers={"Content-Encoding": coding})
    assert (await fetch(server.url("/feed"))).body == FEED


async def test_corrupt_gzip_is_one_line(server: HTTPTestServer) -> None:
    server.serve_bytes(
        "/feed", b"\x1f\x8b\x08\x00garbage" * 10, headers={"Content-Encoding": "gzip"}
    )
    assert (await failure(server.url("/feed"))).reason == "corrupt compressed body"


async def test_request_headers(server: HTTPTestServer) -> None:
    server.serve_bytes("/feed", FEED)
    await fetch(server.url("/feed"), FetchSettings(user_agent="yuedu/test"))
    (request,) = server.requests
    assert request.header("User-Agent") == "yuedu/test"
    assert request.header("Accept") == ACCEPT
    assert request.header("Accept-Encoding") == "gzip, deflate, br"
    assert request.header("If-None-Match") is None
    assert FetchSettings().user_agent.startswith("yuedu/")


async def test_validators_captured_and_sent_back(server: HTTPTestServer) -> None:
    stamp = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    server.serve_bytes("/feed", FEED, etag='"v1"', last_modified=stamp)
    first = await fetch(server.url("/feed"))
    assert (first.etag, first.last_modified) == ('"v1"', "Wed, 01 May 2024 12:00:00 GMT")
    assert first.not_modified is False

    second = await fetch(server.url("/feed"), etag='"v1"', last_modified=first.last_modified or "")
    assert second.not_modified is True
    assert (second.status, second.body) == (304, b"")
    assert second.etag == '"v1"'
    sent = server.requests[-1]
    assert sent.header("If-None-Match") == '"v1"'
    assert sent.header("If-Modified-Since") == "Wed, 01 May 2024 12:00:00 GMT"


async def test_last_modified_alone_gives_304(server: HTTPTestServer) -> None:
    server.serve_bytes("/feed", FEED, etag=False, last_modified=http_date(1_700_000_000))
    first = await fetch(server.url("/feed"))
    assert first.etag is None
    assert first.last_modified is not None
    second = await fetch(server.url("/feed"), last_modified=first.last_modified)
    assert second.not_modified
    assert second.last_modified == first.last_modified


async def test_changed_feed_is_downloaded_again(server: HTTPTestServer) -> None:
    server.serve_bytes("/feed", FEED + b"<!-- new -->", etag='"v2"')
    result = await fetch(server.url("/feed"), etag='"v1"')
    assert not result.not_modified
    assert result.etag == '"v2"'


async def test_unsendable_validators_are_dropped(server: HTTPTestServer) -> None:
    server.serve_bytes("/feed", FEED, headers={"ETag": '"caf\xe9"', "Last-Modified": "x" * 2000})
    result = await fetch(server.url("/feed"))
    assert (result.etag, result.last_modified) == (None, None)
    await fetch(server.url("/feed"), etag="bad\x00tag\r\nX-Injected: 1")
    assert server.requests[-1].header("If-None-Match") is None
    assert server.requests[-1].header("X-Injected") is None


async def test_304_to_unconditional_request_is_an_error(server: HTTPTestServer) -> None:
    server.serve_status("/feed", 304)
    assert (await failure(server.url("/feed"))).reason == "HTTP 304 Not Modified"


# -- redirects --------------------------------------------------------------------------------


async def test_permanent_chain_sets_permanent_url(server: HTTPTestServer) -> None:
    server.serve_bytes("/new", FEED)
    first = server.redirect_chain("/old", 3, target="/new", status=[301, 308, 301])
    result = await fetch(server.url(first))
    assert result.body == FEED
    assert result.final_url == result.permanent_url == server.url("/new")
    assert result.url == server.url(first)


@pytest.mark.parametrize("statuses", [[302], [307], [303], [301, 302, 301], [301, 301, 307]])
async def test_any_temporary_hop_means_no_permanent_url(
    server: HTTPTestServer, statuses: list[int]
) -> None:
    server.serve_bytes("/new", FEED)
    first = server.redirect_chain("/old", len(statuses), target="/new", status=statuses)
    result = await fetch(server.url(first))
    assert result.final_url == server.url("/new")
    assert result.permanent_url is None


async def test_permanent_redirect_then_304(server: HTTPTestServer) -> None:
    server.serve_bytes("/new", FEED, etag='"v1"')
    server.redirect("/old", "/new", status=301)
    result = await fetch(server.url("/old"), etag='"v1"')
    assert result.not_modified
    assert result.permanent_url == server.url("/new")
    assert server.requests_to("/old")[0].header("If-None-Match") == '"v1"'


async def test_redirect_to_another_server(server: HTTPTestServer) -> None:
    with HTTPTestServer() as other:
        other.serve_bytes("/feed", FEED)
        server.redirect("/feed", other.url("/feed#fragment"), status=301)
        result = await fetch(server.url("/feed"))
    assert result.final_url == result.permanent_url == other.url("/feed")


async def test_redirect_loop(server: HTTPTestServer) -> None:
    first = server.redirect_loop("/a", "/b", "/c")
    assert (await failure(server.url(first))).reason == "redirect loop"
    assert len(server.requests) == 3


async def test_ten_redirects_are_followed(server: HTTPTestServer) -> None:
    server.serve_bytes("/end", FEED)
    first = server.redirect_chain("/hop", 10, target="/end")
    assert (await fetch(server.url(first))).body == FEED


@pytest.mark.parametrize("hops", [11, 25])
async def test_too_many_redirects(server: HTTPTestServer, hops: int) -> None:
    server.serve_bytes("/end", FEED)
    first = server.redirect_chain("/hop", hops, target="/end")
    error = await failure(server.url(first))
    assert error.reason == "too many redirects (over 10)"
    assert len(server.requests) == 11  # the eleventh Location is never requested


@pytest.mark.parametrize(
    "location",
    ["file:///etc/passwd", "javascript:alert(1)", "ftp://example.com/feed", "mailto:a@b.c"],
)
async def test_redirect_to_non_web_address(server: HTTPTestServer, location: str) -> None:
    server.redirect("/feed", location, status=301)
    assert (await failure(server.url("/feed"))).reason == "redirect to a non-web address"


@pytest.mark.parametrize(
    "location", ["http://[::1", "https://example.com:99999/", "https://ex ample.com:x/"]
)
async def test_redirect_to_invalid_address(server: HTTPTestServer, location: str) -> None:
    server.redirect("/feed", location, status=302)
    assert (await failure(server.url("/feed"))).reason == "invalid address"


async def test_relative_redirect(server: HTTPTestServer) -> None:
    server.serve_bytes("/dir/feed.xml", FEED)
    server.redirect("/dir/old", "feed.xml?x=1", status=301)
    result = await fetch(server.url("/dir/old"))
    assert result.permanent_url == server.url("/dir/feed.xml?x=1")


async def test_redirect_without_location(server: HTTPTestServer) -> None:
    server.serve_status("/feed", 302)
    assert (await failure(server.url("/feed"))).reason == "HTTP 302 Found without a Location"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "example.com/feed", "http://"])
async def test_non_web_urls_are_refused(url: str) -> None:
    error = await failure(url)
    assert error.reason in ("not a web address", "invalid address")


# -- status errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        (404, None, "HTTP 404 Not Found"),
        (500, None, "HTTP 500 Internal Server Error"),
        (410, "Gone \x1b[31mred", "HTTP 410 Gone"),
        (599, "Custom \x1b]0;title\x07Phrase", "HTTP 599 Custom Phrase"),
        (300, None, "HTTP 300 Multiple Choices"),
    ],
)
async def test_status_errors(
    server: HTTPTestServer, status: int, reason: str | None, expected: str
) -> None:
    server.serve_status("/feed", status, reason=reason, retry_after=60)
    error = await failure(server.url("/feed"))
    assert error.reason == expected
    assert error.status == status
    assert error.retry_after is None  # only 429 and 503 carry it


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_seconds(server: HTTPTestServer, status: int) -> None:
    server.serve_status("/feed", status, retry_after="120")
    error = await failure(server.url("/feed"))
    assert error.reason in ("HTTP 429 Too Many Requests", "HTTP 503 Service Unavailable")
    assert error.retry_after == 120.0
    assert len(server.requests) == 1  # no retrying inside fetch


async def test_retry_after_date(server: HTTPTestServer) -> None:
    server.serve_status("/feed", 429, retry_after=http_date(datetime.now(UTC) + timedelta(hours=1)))
    error = await failure(server.url("/feed"))
    assert error.retry_after is not None
    assert 3500 < error.retry_after <= 3600


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("soon", None), ("Sun, 06 Nov 1994 08:49:37 GMT", 0.0), ("9" * 12, 604800.0)],
)
async def test_retry_after_odd_values(
    server: HTTPTestServer, value: str | None, expected: float | None
) -> None:
    server.serve_status("/feed", 429, retry_after=value)
    assert (await failure(server.url("/feed"))).retry_after == expected


# -- time caps --------------------------------------------------------------------------------


@pytest.mark.parametrize("behaviour", ["drip", "hang"])
async def test_slow_servers_stop_at_the_deadline(server: HTTPTestServer, behaviour: str) -> None:
    getattr(server, behaviour)("/feed")
    settings = FetchSettings(deadline=0.5, read_timeout=5.0)
    started = time.monotonic()
    error = await failure(server.url("/feed"), settings)
    elapsed = time.monotonic() - started
    assert error.reason == "timed out after 0.5 s"
    assert 0.5 <= elapsed < 0.5 + MARGIN
    # The server notices the client left and its handler returns, long before stop().
    server.wait_for(lambda s: s.in_flight == 0, timeout=2.0)


async def test_read_timeout(server: HTTPTestServer) -> None:
    server.hang("/feed")
    error = await failure(server.url("/feed"), FetchSettings(read_timeout=0.3, deadline=5.0))
    assert error.reason == "no data for 0.3 s"


async def test_deadline_covers_redirects(server: HTTPTestServer) -> None:
    server.hang("/end")
    server.redirect_chain("/hop", 3, target="/end")
    started = time.monotonic()
    error = await failure(server.url("/hop/0"), FetchSettings(deadline=0.5))
    assert error.reason == "timed out after 0.5 s"
    assert time.monotonic() - started < 0.5 + MARGIN


async def test_time_queued_for_a_slot_is_not_deadline(server: HTTPTestServer) -> None:
    # Four fetches one after another take 0.8 s; each alone is well inside its 0.5 s deadline.
    server.latency = 0.2
    server.serve_bytes("/feed", FEED)
    async with Fetcher(FetchSettings(concurrency=1, deadline=0.5)) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(server.url("/feed")) for _ in range(4)))
    assert [r.body for r in results] == [FEED] * 4


async def test_cancellation_propagates(server: HTTPTestServer) -> None:
    server.hang("/feed")
    async with Fetcher(FAST) as fetcher:
        task = asyncio.create_task(fetcher.fetch(server.url("/feed")))
        await asyncio.to_thread(server.wait_for, lambda s: s.in_flight == 1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


# -- size caps --------------------------------------------------------------------------------


@pytest.mark.parametrize("bomb", ["gzip_bomb", "brotli_bomb"])
async def test_compression_bomb_stops_at_cap_in_bounded_memory(
    server: HTTPTestServer, bomb: str
) -> None:
    getattr(server, bomb)("/feed")  # 1 GiB of zeros once decoded
    settings = FetchSettings(max_bytes=2 * MiB, deadline=10.0)
    tracemalloc.start()
    try:
        error = await failure(server.url("/feed"), settings)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.reason == "too large (over 2 MiB)"
    # Inflating one 64 KiB network read at once would cost ~64 MiB (gzip) or far more (brotli).
    assert peak < 16 * MiB


async def test_declared_length_over_cap_is_refused_before_download(
    server: HTTPTestServer,
) -> None:
    def handler(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            # The body would take 30 s: a client that waited for any of it would time out.
            if request.wait(30):
                yield b"\0"

        return Response(200, body(), content_length=MiB + 1)

    server.route("/feed", handler)
    started = time.monotonic()
    error = await failure(server.url("/feed"), FetchSettings(max_bytes=MiB, deadline=5.0))
    assert error.reason == "too large (over 1 MiB)"
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("framing", ["chunked", "close", "length"])
async def test_huge_body_stops_at_cap(server: HTTPTestServer, framing: Framing) -> None:
    server.huge("/feed", framing=framing)
    settings = FetchSettings(max_bytes=512 * KiB, deadline=5.0)
    error = await failure(server.url("/feed"), settings)
    assert error.reason == "too large (over 512 KiB)"
    server.wait_for(lambda s: s.in_flight == 0, timeout=2.0)
    assert server.requests[0].bytes_sent < 64 * MiB  # far from the gigabyte offered


async def test_body_at_the_cap_is_accepted(server: HTTPTestServer) -> None:
    server.serve_bytes("/feed", b"x" * 1000, encoding="gzip")
    assert len((await fetch(server.url("/feed"), FetchSettings(max_bytes=1000))).body) == 1000
    error = await failure(server.url("/feed"), FetchSettings(max_bytes=999))
    assert error.reason == "too large (over 999 bytes)"


async def test_truncated_body(server: HTTPTestServer) -> None:
    server.truncated("/feed", FEED, declared=len(FEED) + 500)
    error = await failure(server.url("/feed"))
    assert error.reason == "connection closed before the body was complete"


async def test_server_closing_without_answer(server: HTTPTestServer) -> None:
    server.route("/feed", lambda _request: Response.dropped())
    error = await failure(server.url("/feed"))
    assert error.reason == "server closed the connection without answering"


# -- connection failures ----------------------------------------------------------------------


async def test_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert (await failure(f"http://127.0.0.1:{port}/feed")).reason == "connection refused"


async def test_host_not_found() -> None:
    # .invalid never resolves (RFC 6761).
    assert (await failure("http://no-such-host.invalid/feed")).reason == "host not found"


async def test_tls_error(server: HTTPTestServer) -> None:
    server.serve_bytes("/feed", FEED)
    url = server.url("/feed").replace("http://", "https://")
    assert (await failure(url)).reason.startswith("TLS error: ")


async def test_fetch_outside_context_is_a_bug() -> None:
    with pytest.raises(RuntimeError):
        await Fetcher().fetch("http://127.0.0.1/")


# -- concurrency ------------------------------------------------------------------------------


async def test_per_host_limit(server: HTTPTestServer) -> None:
    server.latency = 0.05
    server.serve_bytes("/feed", FEED)
    async with Fetcher(FetchSettings(per_host=3, concurrency=16)) as fetcher:
        await asyncio.gather(*(fetcher.fetch(server.url("/feed")) for _ in range(12)))
    assert server.peak_in_flight == 3


async def test_total_limit_over_hosts() -> None:
    lock = threading.Lock()
    now = peak = 0

    def counted(request: Request) -> Response:
        nonlocal now, peak
        with lock:
            now += 1
            peak = max(peak, now)
        request.wait(0.05)
        with lock:
            now -= 1
        return Response(200, FEED)

    with HTTPTestServer() as one, HTTPTestServer() as two:
        urls = []
        for srv in (one, two):
            srv.route("/feed", counted)
            urls += [srv.url("/feed")] * 6
        async with Fetcher(FetchSettings(per_host=4, concurrency=5)) as fetcher:
            await asyncio.gather(*(fetcher.fetch(url) for url in urls))
    assert peak == 5


async def test_a_hanging_feed_does_not_block_the_others(server: HTTPTestServer) -> None:
    server.hang("/stuck")
    server.serve_bytes("/feed", FEED)
    settings = FetchSettings(per_host=2, concurrency=2, deadline=1.0)
    finished: dict[str, float] = {}
    started = time.monotonic()

    async def one(fetcher: Fetcher, url: str) -> None:
        with contextlib.suppress(FetchError):
            await fetcher.fetch(url)
        finished[url] = time.monotonic() - started

    async with Fetcher(settings) as fetcher:
        urls = [server.url("/stuck")] + [server.url(f"/feed?n={i}") for i in range(12)]
        await asyncio.gather(*(one(fetcher, url) for url in urls))
    stuck = finished.pop(server.url("/stuck"))
    assert stuck >= 1.0
    assert max(finished.values()) < 0.8


async def test_one_client_is_reused(server: HTTPTestServer) -> None:
    server.serve_bytes("/feed", FEED)
    async with Fetcher(FetchSettings(per_host=1)) as fetcher:
        for _ in range(5):
            await fetcher.fetch(server.url("/feed"))
    assert len({r.client for r in server.requests}) == 1  # one kept-alive connection


# -- the test server itself -------------------------------------------------------------------


def test_server_serves_the_corpus_with_validators(corpus: Path) -> None:
    feeds = corpus / "feeds"
    name = "NetNewsWire__EMarley.rss"
    with HTTPTestServer() as srv:
        srv.serve_dir("/corpus", feeds, encoding="gzip")
        result = asyncio.run(fetch(srv.url(f"/corpus/{name}")))
        assert result.body == (feeds / name).read_bytes()
        assert result.content_type == "application/rss+xml"
        again = asyncio.run(fetch(srv.url(f"/corpus/{name}"), etag=result.etag or ""))
        assert again.not_modified


def test_server_dir_stays_inside_its_folder(tmp_path: Path) -> None:
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "feed.xml").write_bytes(FEED)
    (tmp_path / "secret.txt").write_text("secret")
    with HTTPTestServer() as srv:
        srv.serve_dir("/pub", tmp_path / "public")
        assert asyncio.run(fetch(srv.url("/pub/feed.xml"))).body == FEED
        for path in ("/pub/%2e%2e/secret.txt", "/pub/..%2fsecret.txt", "/pub/", "/pub/nothing"):
            assert asyncio.run(failure(srv.url(path))).reason == "HTTP 404 Not Found"
        assert [r.path for r in srv.requests][1:3] == [
            "/pub/%2e%2e/secret.txt",
            "/pub/..%2fsecret.txt",
        ]


def test_server_stops_quickly_with_waiting_handlers() -> None:
    srv = HTTPTestServer().start()
    srv.hang("/hang")
    srv.drip("/drip", interval=60)
    clients = [socket.create_connection(("127.0.0.1", srv.port)) for _ in range(3)]
    for client, path in zip(clients, ["/hang", "/drip", "/idle"], strict=True):
        if path != "/idle":
            client.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    srv.wait_for(lambda s: s.in_flight == 2)
    started = time.monotonic()
    srv.stop()
    assert time.monotonic() - started < 1.0
    assert not [t for t in threading.enumerate() if t.name.startswith(f"httpserver:{srv.port}")]
    for client in clients:
        client.close()


@pytest.mark.parametrize(
    "bad",
    [{"concurrency": 0}, {"per_host": 0}, {"deadline": 0}, {"max_bytes": 0}, {"max_redirects": -1}],
)
def test_settings_refuse_nonsense(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        FetchSettings(**bad)  # type: ignore[arg-type]


def test_the_configured_timeout_is_the_read_timeout_too() -> None:
    settings = FetchConfig(timeout=60).settings()
    assert settings.read_timeout == 60
    assert settings.deadline == 60


async def test_a_feed_slower_than_the_old_cap_is_fetched(server: HTTPTestServer) -> None:
    def slow(request: Request) -> Response:
        if not request.wait(1.5):
            return Response.dropped()
        return Response(200, FEED, {"Content-Type": "application/rss+xml"})

    server.route("/slow", slow)
    result = await fetch(server.url("/slow"), FetchConfig(timeout=3, connect_timeout=2).settings())
    assert result.status == 200
