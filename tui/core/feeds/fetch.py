"""Download feeds over HTTP: bounded concurrency, conditional GET, redirects, byte and time caps.

One ``Fetcher`` holds one ``httpx.AsyncClient`` for all its fetches; enter it with
``async with`` and call ``fetch`` from as many tasks as you like. Every failure comes out as a
``FetchError`` whose reason is one line fit for a status bar.

Bodies are decoded by ``tui.core.feeds.decoders`` rather than by httpx, a bounded piece at a
time: httpx inflates each network read in one go, and 64 KiB of gzip (or a few hundred bytes
of brotli) can stand for gigabytes, which must hit ``max_bytes`` before they reach memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import ssl
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType

import httpx

import tui
from tui.core.errors import FetchError
from tui.core.feeds.decoders import CORRUPT, decoder_for
from tui.core.feeds.reasons import seconds, size_text, status_line, transport_reason
from tui.core.text.sanitize import clean_line

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"
)
ACCEPT_ENCODING = "gzip, deflate, br"

_POOLS = 8
"""HTTP clients a Fetcher spreads its hosts over (see Fetcher.__aenter__)."""
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_RETRY_STATUSES = frozenset({429, 503})
# A week: past that a Retry-After is noise, and bigger numbers overflow date arithmetic.
_MAX_RETRY_AFTER = 7 * 24 * 3600.0
# Validators are echoed back in request headers; anything but printable ASCII would make
# the next request fail to encode, so such values are dropped.
_VALIDATOR = re.compile(r"[\x20-\x7e]{1,1024}")
_DIGITS = re.compile(r"[0-9]{1,30}")  # ASCII only, and short enough for int()


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """Limits for one ``Fetcher``; times in seconds, sizes in bytes."""

    concurrency: int = 16
    """Requests in flight at once, over all hosts."""
    per_host: int = 4
    """Requests in flight at once to one host:port."""
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    """Longest silence while waiting for response bytes."""
    deadline: float = 30.0
    """Total time for one fetch from its first request on, redirects and body included."""
    max_bytes: int = 10 * 1024 * 1024
    """Cap on the decoded body."""
    max_redirects: int = 10
    user_agent: str = f"yuedu/{tui.__version__}"

    def __post_init__(self) -> None:
        if self.concurrency < 1 or self.per_host < 1:
            raise ValueError("concurrency and per_host must be at least 1")
        if min(self.connect_timeout, self.read_timeout, self.deadline) <= 0:
            raise ValueError("timeouts must be positive")
        if self.max_bytes < 1 or self.max_redirects < 0:
            raise ValueError("max_bytes must be positive and max_redirects not negative")


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A successful fetch: a 2xx body, or a 304 to a conditional request."""

    url: str
    """The URL requested."""
    final_url: str
    """Where the body came from, after redirects; resolve relative links against it."""
    status: int
    not_modified: bool
    """True for a 304: keep what you have; ``body`` is empty."""
    body: bytes
    """Decoded (gzip, deflate, br undone), at most ``max_bytes``."""
    content_type: str | None
    etag: str | None
    """The response's ETag; on a 304 without one, the ETag that was sent."""
    last_modified: str | None
    """The response's Last-Modified; on a 304 without one, the value that was sent."""
    permanent_url: str | None
    """Set when every hop from ``url`` was a 301 or 308: the feed has moved there."""


class Fetcher:
    """Fetches feeds through shared HTTP/1.1 clients. Use as ``async with Fetcher() as f``."""

    def __init__(self, settings: FetchSettings = FetchSettings()) -> None:
        """Creates nothing yet: the clients and the semaphores are made on entering."""
        self._settings = settings
        self._clients: list[httpx.AsyncClient] = []
        self._total = asyncio.Semaphore(settings.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        s = self._settings
        # httpcore looks at every connection of its pool whenever a request starts or ends
        # (idle? expired? a system call each): with one pool for a refresh's 32 downloads
        # that was a fifth of the downloading process's CPU. Hosts are spread over several
        # clients instead, each pool a few connections; a host always uses the same one.
        limits = httpx.Limits(
            max_connections=s.concurrency,
            max_keepalive_connections=max(s.per_host, s.concurrency // _POOLS),
        )
        self._clients = [self._client(limits) for _ in range(_POOLS)]
        self._total = asyncio.Semaphore(s.concurrency)
        self._hosts = {}
        return self

    def _client(self, limits: httpx.Limits) -> httpx.AsyncClient:
        s = self._settings
        return httpx.AsyncClient(
            http1=True,
            http2=False,
            follow_redirects=False,
            trust_env=True,
            verify=_ssl_context(),
            limits=limits,
            timeout=httpx.Timeout(
                connect=s.connect_timeout, read=s.read_timeout, write=s.read_timeout, pool=None
            ),
            headers={
                "User-Agent": s.user_agent,
                "Accept": ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            # httpx works out a redirect's next request even when not following it, and a
            # hostile Location ("javascript:...") makes that raise; vet it first.
            event_hooks={"response": [_vet_redirect]},
        )

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        clients, self._clients = self._clients, []
        for client in clients:
            await client.aclose()

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url``, conditionally when ``etag`` / ``last_modified`` are given.

        Raises FetchError(reason, subject=url): "HTTP 404 Not Found", "timed out after 30 s",
        "too large (over 10 MiB)", "too many redirects (over 10)", "redirect loop",
        "redirect to a non-web address", "connection refused", "host not found",
        "TLS error: ...". A 429 or 503 carries ``retry_after`` seconds when the server said.
        """
        if not self._clients:
            raise RuntimeError("Fetcher.fetch() needs 'async with Fetcher(...)' around it")
        timer = asyncio.timeout(None)
        try:
            async with timer:
                return await self._follow(url, etag, last_modified, timer)
        except TimeoutError as exc:
            if timer.expired():
                reason = f"timed out after {seconds(self._settings.deadline)}"
                raise FetchError(reason, subject=url) from exc
            raise FetchError(self._reason(exc), subject=url) from exc
        except _Refused as exc:
            raise FetchError(str(exc), subject=url) from None
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            raise FetchError(self._reason(exc), subject=url) from exc

    def _reason(self, exc: BaseException) -> str:
        s = self._settings
        return transport_reason(exc, connect_timeout=s.connect_timeout, read_timeout=s.read_timeout)

    async def _follow(
        self,
        url: str,
        etag: str | None,
        last_modified: str | None,
        timer: asyncio.Timeout,
    ) -> FetchResult:
        settings = self._settings
        target = _web_url(url, "not a web address")
        headers = {}
        if etag is not None and _VALIDATOR.fullmatch(etag):
            headers["If-None-Match"] = etag
        if last_modified is not None and _VALIDATOR.fullmatch(last_modified):
            headers["If-Modified-Since"] = last_modified
        seen = {target}
        permanent = True
        while True:
            async with self._slot(target):
                if timer.when() is None:
                    # The deadline starts with the first request, not while queued for a slot.
                    timer.reschedule(asyncio.get_running_loop().time() + settings.deadline)
                client = self._clients[hash(target.host) % len(self._clients)]
                request = client.build_request("GET", target, headers=headers)
                response = await client.send(request, stream=True)
                try:
                    status = response.status_code
                    if status not in _REDIRECTS:
                        moved = str(response.url) if permanent and len(seen) > 1 else None
                        return await self._result(url, response, headers, moved)
                    location = response.headers.get("Location", "").strip()
                    if not location:
                        raise FetchError(f"{status_line(response)} without a Location", subject=url)
                finally:
                    await response.aclose()
            target = _redirect_target(response.url, location)
            if target in seen:
                raise FetchError("redirect loop", subject=url)
            if len(seen) > settings.max_redirects:
                raise FetchError(f"too many redirects (over {settings.max_redirects})", subject=url)
            seen.add(target)
            permanent = permanent and status in _PERMANENT

    @contextlib.asynccontextmanager
    async def _slot(self, url: httpx.URL) -> AsyncIterator[None]:
        # Host first, then the total: a task waiting for the total already holds its host slot
        # and a task holding the total waits for nothing, so the two can never deadlock.
        port = url.port or (443 if url.scheme == "https" else 80)
        key = f"{url.host}:{port}"
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = asyncio.Semaphore(self._settings.per_host)
        async with host, self._total:
            yield

    async def _result(
        self, url: str, response: httpx.Response, sent: dict[str, str], moved: str | None
    ) -> FetchResult:
        status = response.status_code
        etag = _validator(response.headers.get("ETag"))
        last_modified = _validator(response.headers.get("Last-Modified"))
        if status == 304 and sent:
            body = b""
            etag = etag or sent.get("If-None-Match")
            last_modified = last_modified or sent.get("If-Modified-Since")
        elif 200 <= status < 300:
            body = await self._read_body(url, response)
        else:
            retry_after = None
            if status in _RETRY_STATUSES:
                retry_after = _retry_after(response.headers.get("Retry-After"))
            raise FetchError(
                status_line(response), subject=url, status=status, retry_after=retry_after
            )
        content_type = clean_line(response.headers.get("Content-Type")) or None
        return FetchResult(
            url=url,
            final_url=str(response.url),
            status=status,
            not_modified=status == 304,
            body=body,
            content_type=content_type,
            etag=etag,
            last_modified=last_modified,
            permanent_url=moved,
        )

    async def _read_body(self, url: str, response: httpx.Response) -> bytes:
        cap = self._settings.max_bytes
        too_large = f"too large (over {size_text(cap)})"
        length = response.headers.get("Content-Length", "").strip()
        if _DIGITS.fullmatch(length) and int(length) > cap:
            raise FetchError(too_large, subject=url, status=response.status_code)
        decoder = decoder_for(response.headers.get("Content-Encoding", ""))
        parts: list[bytes] = []
        size = 0
        try:
            async for raw in response.aiter_raw():
                for piece in decoder.decode(raw):
                    size += len(piece)
                    if size > cap:
                        raise FetchError(too_large, subject=url, status=response.status_code)
                    parts.append(piece)
        except CORRUPT as exc:
            reason = "corrupt compressed body"
            raise FetchError(reason, subject=url, status=response.status_code) from exc
        return b"".join(parts)


_tls_lock = threading.Lock()
_tls_context: ssl.SSLContext | None = None


def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes 20-40 ms; one context serves every Fetcher of the process.
    # It honours SSL_CERT_FILE / SSL_CERT_DIR as they are at the first call. The lock makes
    # a caller wait for a load already under way rather than load the bundle again.
    global _tls_context
    with _tls_lock:
        if _tls_context is None:
            _tls_context = httpx.create_ssl_context(trust_env=True)
        return _tls_context


def load_certificates_early() -> None:
    """Start building the TLS context in a thread, for a command about to fetch.

    OpenSSL reads the CA bundle without holding the GIL, so the command's own start-up
    (imports, opening the cache) goes on meanwhile instead of waiting for it afterwards.
    """
    threading.Thread(target=_ssl_context, name="tls-context", daemon=True).start()


class _Refused(Exception):
    """A URL refused before any request; ``fetch`` turns it into a FetchError about its URL."""


async def _vet_redirect(response: httpx.Response) -> None:
    location = response.headers.get("Location", "").strip()
    if response.status_code in _REDIRECTS and location:
        _redirect_target(response.url, location)


def _redirect_target(base: httpx.URL, location: str) -> httpx.URL:
    return _web_url(location, "redirect to a non-web address", base=base)


def _web_url(text: str, refusal: str, *, base: httpx.URL | None = None) -> httpx.URL:
    """An absolute http(s) URL without fragment, or _Refused(refusal / "invalid address")."""
    try:
        url = base.join(text) if base is not None else httpx.URL(text)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise _Refused("invalid address") from None
    if url.scheme not in ("http", "https"):
        raise _Refused(refusal)
    if not url.host or (url.port is not None and not 0 < url.port < 65536):
        raise _Refused("invalid address")
    try:
        return url.copy_with(fragment=None)
    except httpx.InvalidURL:
        raise _Refused("invalid address") from None


def _validator(value: str | None) -> str | None:
    return value if value is not None and _VALIDATOR.fullmatch(value) else None


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds from now: delay-seconds or an HTTP date; None when unusable."""
    if not value:
        return None
    value = value.strip()
    if _DIGITS.fullmatch(value):
        return min(float(value), _MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), _MAX_RETRY_AFTER)
