"""A real HTTP/1.1 server on 127.0.0.1 for tests and benchmarks, hostile behaviours included.

Usage::

    with HTTPTestServer(latency=0.05) as server:
        server.serve_bytes("/feed.xml", b"<rss/>", etag='"v1"')  # 304 when validators match
        server.redirect_chain("/old", 3, target="/feed.xml", status=301)
        server.hang("/stuck")
        url = server.url("/feed.xml")
        ...  # fetch url twice
        assert server.requests[-1].header("If-None-Match") == '"v1"'
        assert server.peak_in_flight <= 4

In a pytest module, ``server = server_fixture()`` at module level defines a fixture named
``server`` (the fixture takes the attribute's name); options go to ``HTTPTestServer``.

Routes are Python callables ``handler(request) -> Response``, matched on the path without its
query (exact match, or by prefix with ``prefix=True``; the longest prefix wins). The helper
methods (``serve_bytes``, ``serve_dir``, ``redirect``, ``drip``, ``hang``, ``gzip_bomb``...) are
routes built on the same pieces, so a test needing something odd writes its own handler from
``Response`` and ``Request.wait``.

Threads: one per connection. Anything that waits (latency, drip, hang) waits through
``Request.wait``, which returns as soon as the client disconnects or the server stops. ``stop()``
wakes every waiter, shuts every connection down and joins every thread; a thread still alive
after ``join_timeout`` makes ``stop()`` raise, so a stuck handler fails the test instead of
leaking. Bodies given as iterables are pulled lazily, so a 1 GiB body costs nothing until sent.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import mimetypes
import selectors
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import TracebackType
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

import brotli

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB

Headers = Mapping[str, str] | Sequence[tuple[str, str]]
Handler = Callable[["Request"], "Response"]
Framing = Literal["length", "chunked", "close"]

_CONTENT_TYPES = {
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
    ".json": "application/feed+json",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
_ZEROS = bytes(64 * KiB)
_SMALL_FEED = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<rss version="2.0"><channel><title>slow</title><link>http://example.com/</link>'
    b"<description>drip</description></channel></rss>\n"
)


@dataclass(eq=False)
class Request:
    """One request as the server saw it; also the server's log entry for it.

    ``status``, ``bytes_sent``, ``finished`` and ``ended`` are filled in as the response goes
    out.
    """

    method: str
    path: str  # with the query string, as sent
    headers: Message  # case-insensitive: headers["if-none-match"]
    body: bytes
    client: tuple[str, int]
    started: float  # time.monotonic()
    status: int | None = None
    bytes_sent: int = 0  # body bytes written, after any encoding
    finished: bool = False
    ended: float | None = None  # time.monotonic() once the response ended or was abandoned
    _conn: socket.socket | None = field(default=None, repr=False)
    _server: HTTPTestServer | None = field(default=None, repr=False)

    @property
    def route_path(self) -> str:
        """The path without its query string, as routes match it."""
        return urlsplit(self.path).path

    def header(self, name: str) -> str | None:
        """A request header's value, or None."""
        return self.headers.get(name)

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds`` (``math.inf`` for ever).

        Returns True when the time ran out, False as soon as the client disconnects or the
        server stops: a handler that gets False should give up (``Response.drop()``).
        """
        server = self._server
        if server is None or self._conn is None:
            return True
        end = time.monotonic() + seconds
        watch_client = True
        with selectors.DefaultSelector() as selector:
            selector.register(server._wake_r, selectors.EVENT_READ)
            selector.register(self._conn, selectors.EVENT_READ)
            while not server.stopping:
                remaining = end - time.monotonic()
                if remaining <= 0:
                    return True
                try:
                    ready = selector.select(None if math.isinf(remaining) else remaining)
                except (OSError, ValueError):
                    return False
                for key, _ in ready:
                    if key.fileobj is server._wake_r:
                        return False
                    if watch_client and _peer_closed(self._conn):
                        return False
                    if watch_client:
                        # The client sent more bytes (a pipelined request): the socket stays
                        # readable, so only the clock and the server can end this wait now.
                        selector.unregister(self._conn)
                        watch_client = False
        return False

    def client_gone(self) -> bool:
        """True when the client has closed its end of the connection."""
        return self._conn is not None and _peer_closed(self._conn)


def _peer_closed(conn: socket.socket) -> bool:
    try:
        flags = socket.MSG_PEEK | getattr(socket, "MSG_DONTWAIT", 0)
        return conn.recv(1, flags) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


@dataclass
class Response:
    """What a handler returns.

    ``body`` is bytes, or an iterable of bytes pulled lazily while sending (a generator may
    call ``request.wait`` between pieces). Framing: bytes get a Content-Length; an iterable gets
    ``content_length`` when given, else chunked encoding, or no framing at all and a closed
    connection with ``close=True``. A body shorter than its Content-Length, or ``complete=False``,
    ends the connection without finishing the message (a truncated body). ``drop=True`` sends
    nothing at all and closes the connection.
    """

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: Headers = ()
    reason: str | None = None
    content_length: int | None = None
    close: bool = False
    complete: bool = True
    drop: bool = False

    @classmethod
    def dropped(cls) -> Response:
        """Close the connection without answering."""
        return cls(drop=True)


def _header_items(headers: Headers | None) -> list[tuple[str, str]]:
    if not headers:
        return []
    if isinstance(headers, Mapping):
        return list(headers.items())
    return list(headers)


def http_date(when: datetime | float) -> str:
    """An IMF-fixdate (``Sun, 06 Nov 1994 08:49:37 GMT``) from a datetime or a POSIX time."""
    if not isinstance(when, datetime):
        when = datetime.fromtimestamp(when, UTC)
    return format_datetime(when.astimezone(UTC).replace(microsecond=0), usegmt=True)


def not_modified(request: Request, etag: str | None, last_modified: str | None) -> bool:
    """Whether the request's validators match, per RFC 9110 §13.2.2.

    If-None-Match wins when present (weak comparison, ``*`` matches anything); otherwise
    If-Modified-Since is compared with Last-Modified to the second.
    """
    inm = request.header("If-None-Match")
    if inm is not None:
        if etag is None:
            return False
        tags = {tag.strip().removeprefix("W/") for tag in inm.split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags
    ims = request.header("If-Modified-Since")
    if ims is None or last_modified is None:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(ims)
    except (TypeError, ValueError):
        return False


def accepted_encodings(request: Request) -> set[str]:
    """The content codings the request's Accept-Encoding allows (q=0 excluded)."""
    result = set()
    for item in (request.header("Accept-Encoding") or "").split(","):
        name, _, params = item.strip().partition(";")
        if name and params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            result.add(name.strip().lower())
    return result


def encode(body: bytes, encoding: str) -> bytes:
    """Compress ``body`` with a content coding: gzip, deflate (zlib-wrapped) or br."""
    if encoding == "gzip":
        compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
        return compressor.compress(body) + compressor.flush()
    if encoding == "deflate":
        return zlib.compress(body)
    if encoding == "br":
        return bytes(brotli.compress(body))
    raise ValueError(f"unknown content coding {encoding!r}")


def zeros_gzip(size: int) -> Iterator[bytes]:
    """A gzip stream of ``size`` zero bytes, compressed piece by piece (about 1000:1)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(MiB)
    left = size
    while left > 0:
        piece = block if left >= len(block) else block[:left]
        left -= len(piece)
        out = compressor.compress(piece)
        if out:
            yield out
    yield compressor.flush()


def zeros_brotli(size: int) -> Iterator[bytes]:
    """A brotli stream of ``size`` zero bytes, compressed piece by piece (about 10⁶:1)."""
    compressor = brotli.Compressor(quality=5)
    block = bytes(MiB)
    left = size
    while left > 0:
        piece = block if left >= len(block) else block[:left]
        left -= len(piece)
        out = compressor.process(piece)
        if out:
            yield bytes(out)
    yield bytes(compressor.finish())


def zeros(size: int) -> Iterator[bytes]:
    """``size`` zero bytes in 64 KiB pieces."""
    left = size
    while left > 0:
        piece = _ZEROS if left >= len(_ZEROS) else _ZEROS[:left]
        left -= len(piece)
        yield piece


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: HTTPTestServer  # type: ignore[assignment]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._dispatch()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def _dispatch(self) -> None:
        server = self.server
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True  # request bodies are read by Content-Length only
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        request = Request(
            method=self.command,
            path=self.path,
            headers=self.headers,
            body=body,
            client=self.client_address,
            started=time.monotonic(),
            _conn=self.connection,
            _server=server,
        )
        server._begin(request)
        try:
            latency = server.latency
            if latency > 0 and not request.wait(latency):
                self.close_connection = True
                return
            handler = server._find(request.route_path)
            if handler is None:
                response = Response(404, b"not found\n", {"Content-Type": "text/plain"})
            else:
                try:
                    response = handler(request)
                except Exception as exc:
                    server._record_error(exc)
                    response = Response(500, b"handler failed\n", {"Content-Type": "text/plain"})
            self._send(request, response)
        finally:
            server._end(request)

    def _send(self, request: Request, response: Response) -> None:
        if response.drop:
            self.close_connection = True
            return
        headers = _header_items(response.headers)
        names = {name.lower() for name, _ in headers}
        body = response.body
        pieces: Iterable[bytes]
        if isinstance(body, bytes | bytearray | memoryview):
            data = bytes(body)
            pieces = [data] if data else []
            declared: int | None = (
                response.content_length if response.content_length is not None else len(data)
            )
        else:
            pieces = body
            declared = response.content_length
        framing: Framing = (
            "length" if declared is not None else "close" if response.close else "chunked"
        )
        request.status = response.status
        self.send_response(response.status, response.reason)
        for name, value in headers:
            self.send_header(name, value)
        if framing == "length" and "content-length" not in names:
            self.send_header("Content-Length", str(declared))
        elif framing == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
        if response.close or framing == "close":
            self.send_header("Connection", "close")
        try:
            self.end_headers()
            if self.command == "HEAD" or response.status in (204, 304):
                return
            finished = self._write_body(request, pieces, framing)
        except OSError:
            self.close_connection = True
            return
        finally:
            close = getattr(pieces, "close", None)
            if close is not None:
                close()  # run the generator's cleanup even when sending stopped early
        short = framing == "length" and declared != request.bytes_sent
        if not finished or not response.complete or short:
            self.close_connection = True
        elif framing == "chunked":
            self.wfile.write(b"0\r\n\r\n")

    def _write_body(self, request: Request, pieces: Iterable[bytes], framing: Framing) -> bool:
        server = self.server
        for piece in pieces:
            if server.stopping:
                return False
            if not piece:
                continue
            if framing == "chunked":
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            else:
                self.wfile.write(piece)
            request.bytes_sent += len(piece)
        return True


class HTTPTestServer:
    """A threaded HTTP/1.1 server on a free port; see the module docstring."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        latency: float = 0.0,
        nodelay: bool = True,
        join_timeout: float = 5.0,
    ) -> None:
        """``latency``: seconds every request waits before its handler runs (settable later).
        ``nodelay``: set TCP_NODELAY on accepted connections. ``join_timeout``: how long
        ``stop()`` waits for handler threads before raising."""
        self.host = host
        self.latency = latency
        self.nodelay = nodelay
        self.join_timeout = join_timeout
        self.errors: list[BaseException] = []
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._exact: dict[str, Handler] = {}
        self._prefixes: list[tuple[str, Handler]] = []
        self._log: list[Request] = []
        self._in_flight = 0
        self._peak = 0
        self._conns: set[socket.socket] = set()
        self._threads: set[threading.Thread] = set()
        self._stopping = threading.Event()
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        # Readable once stop() begins: every select() on it wakes.
        self._wake_r, self._wake_w = socket.socketpair()
        self.port = 0

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> HTTPTestServer:
        """Bind a free port and start accepting. Returns self."""
        if self._listener is not None:
            raise RuntimeError("server already started")
        listener = socket.create_server((self.host, 0), backlog=512)
        listener.setblocking(False)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._accept_thread = threading.Thread(
            target=self._accept_loop, name=f"httpserver:{self.port}", daemon=True
        )
        self._accept_thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, wake every waiting handler, close every connection, join threads.

        Raises RuntimeError when a handler thread outlives ``join_timeout``.
        """
        if self._stopping.is_set():
            return
        self._stopping.set()
        if self._listener is None:  # never started
            self._wake_r.close()
            self._wake_w.close()
            return
        self._wake_w.send(b"x")
        if self._accept_thread is not None:
            self._accept_thread.join(self.join_timeout)
        self._listener.close()
        with self._lock:
            conns = list(self._conns)
            threads = list(self._threads)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        end = time.monotonic() + self.join_timeout
        for thread in threads:
            thread.join(max(0.0, end - time.monotonic()))
        alive = [thread.name for thread in threads if thread.is_alive()]
        self._wake_r.close()
        self._wake_w.close()
        if alive:
            raise RuntimeError(f"handler threads still running after stop(): {alive}")

    def __enter__(self) -> HTTPTestServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def stopping(self) -> bool:
        """True once ``stop()`` has begun."""
        return self._stopping.is_set()

    # -- addresses ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``, no trailing slash."""
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this server."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    # -- routes ------------------------------------------------------------------------------

    def route(self, path: str, handler: Handler, *, prefix: bool = False) -> str:
        """Answer requests for ``path`` (or every path under it) with ``handler``. Returns path."""
        with self._lock:
            if prefix:
                self._prefixes = [(p, h) for p, h in self._prefixes if p != path]
                self._prefixes.append((path, handler))
                self._prefixes.sort(key=lambda item: len(item[0]), reverse=True)
            else:
                self._exact[path] = handler
        return path

    def serve_bytes(
        self,
        path: str,
        body: bytes,
        *,
        status: int = 200,
        reason: str | None = None,
        headers: Headers | None = None,
        content_type: str | None = "application/xml",
        etag: str | bool = True,
        last_modified: datetime | float | str | None = None,
        encoding: str | None = None,
    ) -> str:
        """Serve fixed bytes, answering 304 to matching If-None-Match / If-Modified-Since.

        ``etag=True`` derives a strong ETag from the body; a string is sent as given; False
        sends none. ``encoding`` ("gzip", "deflate", "br") compresses the body when the
        request's Accept-Encoding allows it. Returns path.
        """
        tag = _etag_for(body) if etag is True else etag or None
        modified = _last_modified(last_modified)
        extra = _header_items(headers)

        def handler(request: Request) -> Response:
            return _static_response(
                request, body, status, reason, extra, content_type, tag, modified, encoding
            )

        return self.route(path, handler)

    def serve_dir(self, prefix: str, directory: Path | str, *, encoding: str | None = None) -> str:
        """Serve every file under ``directory`` at ``prefix/<relative path>``.

        Files are read on each request, so a test may change one between two fetches. ETag is
        the content's hash, Last-Modified the file's mtime; both validators give 304s.
        """
        root = Path(directory).resolve()
        prefix = prefix.rstrip("/")

        def handler(request: Request) -> Response:
            relative = unquote(request.route_path[len(prefix) :]).lstrip("/")
            target = (root / relative).resolve()
            if not relative or not target.is_relative_to(root) or not target.is_file():
                return Response(404, b"not found\n", {"Content-Type": "text/plain"})
            body = target.read_bytes()
            content_type = _CONTENT_TYPES.get(target.suffix.lower()) or (
                mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            )
            modified = http_date(target.stat().st_mtime)
            return _static_response(
                request, body, 200, None, [], content_type, _etag_for(body), modified, encoding
            )

        return self.route(prefix + "/", handler, prefix=True)

    def serve_status(
        self,
        path: str,
        status: int,
        *,
        reason: str | None = None,
        retry_after: str | float | None = None,
        headers: Headers | None = None,
        body: bytes = b"",
    ) -> str:
        """Answer with a bare status (and reason phrase, when given), e.g. 429 + Retry-After."""
        extra = _header_items(headers)
        if retry_after is not None:
            value = retry_after if isinstance(retry_after, str) else str(int(retry_after))
            extra.append(("Retry-After", value))
        return self.route(path, lambda _request: Response(status, body, extra, reason))

    def redirect(
        self, path: str, location: str, *, status: int = 302, headers: Headers | None = None
    ) -> str:
        """Redirect ``path`` to ``location`` (sent as given: a path, a URL, even ``file:``)."""
        extra = [*_header_items(headers), ("Location", location)]
        return self.route(path, lambda _request: Response(status, b"", extra))

    def redirect_chain(
        self, prefix: str, hops: int, *, target: str, status: int | Sequence[int] = 301
    ) -> str:
        """``hops`` redirects ``prefix/0 -> prefix/1 -> ... -> target``; returns the first path.

        ``status`` is one code for every hop or one per hop.
        """
        statuses = [status] * hops if isinstance(status, int) else list(status)
        if len(statuses) != hops:
            raise ValueError("one status per hop")
        paths = [f"{prefix}/{i}" for i in range(hops)]
        for i, path in enumerate(paths):
            self.redirect(path, paths[i + 1] if i + 1 < hops else target, status=statuses[i])
        return paths[0] if paths else target

    def redirect_loop(self, *paths: str, status: int = 302) -> str:
        """Redirect each path to the next and the last to the first; returns the first."""
        for i, path in enumerate(paths):
            self.redirect(path, paths[(i + 1) % len(paths)], status=status)
        return paths[0]

    def drip(
        self,
        path: str,
        body: bytes = _SMALL_FEED,
        *,
        interval: float = 1.0,
        content_length: bool = True,
        content_type: str = "application/rss+xml",
    ) -> str:
        """Send the headers at once, then one byte of ``body`` per ``interval`` seconds."""

        def handler(request: Request) -> Response:
            def pieces() -> Iterator[bytes]:
                for i in range(len(body)):
                    if i and not request.wait(interval):
                        return
                    yield body[i : i + 1]

            return Response(
                200,
                pieces(),
                {"Content-Type": content_type},
                content_length=len(body) if content_length else None,
            )

        return self.route(path, handler)

    def hang(self, path: str) -> str:
        """Read the request and never answer, until the client leaves or the server stops."""

        def handler(request: Request) -> Response:
            request.wait(math.inf)
            return Response.dropped()

        return self.route(path, handler)

    def gzip_bomb(self, path: str, *, size: int = GiB) -> str:
        """A small gzip body that decodes to ``size`` zero bytes, sent whatever was accepted."""
        return self._bomb(path, "gzip", lambda: zeros_gzip(size))

    def brotli_bomb(self, path: str, *, size: int = GiB) -> str:
        """A tiny brotli body that decodes to ``size`` zero bytes, sent whatever was accepted."""
        return self._bomb(path, "br", lambda: zeros_brotli(size))

    def _bomb(self, path: str, coding: str, make: Callable[[], Iterator[bytes]]) -> str:
        headers = {"Content-Type": "application/rss+xml", "Content-Encoding": coding}
        return self.route(path, lambda _request: Response(200, make(), headers))

    def huge(self, path: str, *, size: int = GiB, framing: Framing = "length") -> str:
        """``size`` zero bytes generated while sending: with a Content-Length ("length"),
        chunked ("chunked") or delimited by closing the connection ("close")."""

        def handler(_request: Request) -> Response:
            return Response(
                200,
                zeros(size),
                {"Content-Type": "application/rss+xml"},
                content_length=size if framing == "length" else None,
                close=framing == "close",
            )

        return self.route(path, handler)

    def truncated(
        self, path: str, body: bytes = _SMALL_FEED, *, declared: int | None = None
    ) -> str:
        """Declare a Content-Length of ``declared`` (default twice the body), send ``body``,
        then close the connection."""
        length = declared if declared is not None else 2 * len(body)
        if length <= len(body):
            raise ValueError("declared must exceed the body's length")

        def handler(_request: Request) -> Response:
            return Response(
                200, body, {"Content-Type": "application/rss+xml"}, content_length=length
            )

        return self.route(path, handler)

    # -- what happened -----------------------------------------------------------------------

    @property
    def requests(self) -> list[Request]:
        """Every request so far, oldest first (a copy)."""
        with self._lock:
            return list(self._log)

    def requests_to(self, path: str) -> list[Request]:
        """The requests whose path, without the query, is ``path``."""
        return [r for r in self.requests if r.route_path == path]

    def clear_log(self) -> None:
        """Forget logged requests and reset ``peak_in_flight``."""
        with self._lock:
            self._log.clear()
            self._peak = self._in_flight

    @property
    def in_flight(self) -> int:
        """Requests read whose response is not finished."""
        with self._lock:
            return self._in_flight

    @property
    def peak_in_flight(self) -> int:
        """The most requests in flight at once since start or ``clear_log()``."""
        with self._lock:
            return self._peak

    def wait_for(self, predicate: Callable[[HTTPTestServer], bool], timeout: float = 5.0) -> None:
        """Block until ``predicate(server)`` holds, rechecked whenever a request starts or ends.

        Raises AssertionError after ``timeout`` seconds.
        """
        with self._changed:
            if not self._changed.wait_for(lambda: predicate(self), timeout):
                raise AssertionError(f"server condition not met within {timeout} s")

    # -- internals ---------------------------------------------------------------------------

    def _find(self, path: str) -> Handler | None:
        with self._lock:
            handler = self._exact.get(path)
            if handler is not None:
                return handler
            for prefix, candidate in self._prefixes:
                if path.startswith(prefix):
                    return candidate
        return None

    def _begin(self, request: Request) -> None:
        with self._changed:
            self._log.append(request)
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)
            self._changed.notify_all()

    def _end(self, request: Request) -> None:
        with self._changed:
            request.finished = True
            request.ended = time.monotonic()
            self._in_flight -= 1
            self._changed.notify_all()

    def _record_error(self, exc: BaseException) -> None:
        with self._lock:
            self.errors.append(exc)

    def _accept_loop(self) -> None:
        assert self._listener is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while not self._stopping.is_set():
                for key, _ in selector.select():
                    if key.fileobj is self._wake_r:
                        return
                    try:
                        conn, address = self._listener.accept()
                    except OSError:
                        continue
                    thread = threading.Thread(
                        target=self._serve_connection,
                        args=(conn, address),
                        name=f"httpserver:{self.port}:{address[1]}",
                        daemon=True,
                    )
                    with self._lock:
                        self._conns.add(conn)
                        self._threads.add(thread)
                    thread.start()

    def _serve_connection(self, conn: socket.socket, address: tuple[str, int]) -> None:
        try:
            if self.nodelay:
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            _Handler(conn, address, self)  # type: ignore[arg-type]
        except OSError:
            pass  # the client went away mid-request
        except Exception as exc:
            self._record_error(exc)
        finally:
            with self._lock:
                self._conns.discard(conn)
                self._threads.discard(threading.current_thread())
            conn.close()


def _etag_for(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


def _last_modified(value: datetime | float | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return http_date(value)


def _static_response(
    request: Request,
    body: bytes,
    status: int,
    reason: str | None,
    extra: list[tuple[str, str]],
    content_type: str | None,
    etag: str | None,
    last_modified: str | None,
    encoding: str | None,
) -> Response:
    headers = list(extra)
    if etag is not None:
        headers.append(("ETag", etag))
    if last_modified is not None:
        headers.append(("Last-Modified", last_modified))
    if status == 200 and not_modified(request, etag, last_modified):
        return Response(304, b"", headers)
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    if encoding is not None:
        headers.append(("Vary", "Accept-Encoding"))
        if encoding in accepted_encodings(request):
            body = encode(body, encoding)
            headers.append(("Content-Encoding", encoding))
    return Response(status, body, headers, reason)


def server_fixture(**options: Any) -> Any:
    """A function-scoped pytest fixture yielding a started ``HTTPTestServer(**options)``.

    Assign it at module level; the fixture takes the attribute's name::

        server = server_fixture()
        def test_x(server: HTTPTestServer) -> None: ...
    """
    import pytest  # only tests need pytest; benchmarks import this module too

    def fixture() -> Iterator[HTTPTestServer]:
        with HTTPTestServer(**options) as server:
            yield server

    return pytest.fixture(fixture)
