"""One HTTP exchange as the local feed server sees it: the request, the response, and a
fixed resource answered with validators (ETag, Last-Modified, 304) and content codings.

Handlers of :class:`tui.demo.server.FeedServer` are callables ``handler(request) -> Response``;
:meth:`Resource.respond` is the conditional GET that the demo, the benchmark and the tests
share.
"""

from __future__ import annotations

import hashlib
import math
import select
import socket
import time
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import format_datetime, parsedate_to_datetime
from functools import cached_property
from typing import Protocol
from urllib.parse import urlsplit

import brotli

Headers = Mapping[str, str] | Sequence[tuple[str, str]]
Handler = Callable[["Request"], "Response"]


class Waker(Protocol):
    """What a request needs of its server to wait: a socket readable once it stops."""

    @property
    def stopping(self) -> bool: ...

    @property
    def wake_socket(self) -> socket.socket: ...


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
    _server: Waker | None = field(default=None, repr=False)

    @cached_property
    def route_path(self) -> str:
        """The path without its query string, as routes match it."""
        return urlsplit(self.path).path

    def header(self, name: str) -> str | None:
        """A request header's value, or None."""
        return self.headers.get(name)

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds`` (``math.inf`` for ever).

        Returns True when the time ran out, False as soon as the client disconnects or the
        server stops: a handler that gets False should give up (``Response.dropped()``).
        """
        server = self._server
        conn = self._conn
        if server is None or conn is None:
            return True
        end = time.monotonic() + seconds
        wake = server.wake_socket.fileno()
        # poll() rather than a selector: the bench waits on every request, and creating an
        # epoll object each time costs more than the wait's own work.
        poller = select.poll()
        poller.register(wake, select.POLLIN)
        poller.register(conn, select.POLLIN)
        watch_client = True
        while not server.stopping:
            remaining = end - time.monotonic()
            if remaining <= 0:
                return True
            try:
                ready = poller.poll(None if math.isinf(remaining) else math.ceil(remaining * 1000))
            except (OSError, ValueError):
                return False
            for fd, _ in ready:
                if fd == wake:
                    return False
                if watch_client and peer_closed(conn):
                    return False
                if watch_client:
                    # The client sent more bytes (a pipelined request): the socket stays
                    # readable, so only the clock and the server can end this wait now.
                    poller.unregister(conn)
                    watch_client = False
        return False

    def client_gone(self) -> bool:
        """True when the client has closed its end of the connection."""
        return self._conn is not None and peer_closed(self._conn)


def peer_closed(conn: socket.socket) -> bool:
    """Whether the other end closed ``conn``, without consuming what it sent."""
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


def header_items(headers: Headers | None) -> list[tuple[str, str]]:
    """Headers given either way, as a list of (name, value)."""
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


def not_modified(request: Request, etags: Iterable[str], last_modified: str | None) -> bool:
    """Whether the request's validators match, per RFC 9110 §13.2.2.

    If-None-Match wins when present (weak comparison, ``*`` matches anything) against any of
    ``etags``; otherwise If-Modified-Since is compared with Last-Modified to the second.
    """
    inm = request.header("If-None-Match")
    if inm is not None:
        tags = {tag.strip().removeprefix("W/") for tag in inm.split(",")}
        current = {tag.removeprefix("W/") for tag in etags}
        return bool(current) and ("*" in tags or not tags.isdisjoint(current))
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
        if not name:
            continue
        quality = params.strip().removeprefix("q=").strip() if params else "1"
        try:
            allowed = float(quality) > 0
        except ValueError:
            allowed = True
        if allowed:
            result.add(name.strip().lower())
    return result


def encode(body: bytes, encoding: str) -> bytes:
    """Compress ``body`` with a content coding: gzip, deflate (zlib-wrapped) or br."""
    if encoding == "gzip":
        # zlib's gzip header carries no mtime, so equal bodies compress to equal bytes.
        compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
        return compressor.compress(body) + compressor.flush()
    if encoding == "deflate":
        return zlib.compress(body)
    if encoding == "br":
        return bytes(brotli.compress(body))
    raise ValueError(f"unknown content coding {encoding!r}")


def etag_for(body: bytes) -> str:
    """A strong ETag derived from the content."""
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


class Resource:
    """Fixed bytes answered with validators, compressed once for each coding offered.

    ``etag=True`` derives a strong ETag from the body; a string is sent as given; None sends
    none. A compressed representation is a different one, so it gets its own ETag
    (``"tag-gzip"``); any of the resource's tags proves the client holds the current content.
    """

    __slots__ = ("body", "content_type", "encoded", "etag", "headers", "last_modified", "tags")

    def __init__(
        self,
        body: bytes,
        *,
        content_type: str | None = "application/xml",
        etag: str | bool | None = True,
        last_modified: datetime | float | str | None = None,
        encodings: Iterable[str] = (),
        headers: Headers | None = None,
    ) -> None:
        self.body = body
        self.content_type = content_type
        self.etag = etag_for(body) if etag is True else etag or None
        modified = last_modified
        self.last_modified = (
            modified if modified is None or isinstance(modified, str) else (http_date(modified))
        )
        self.encoded = {coding: encode(body, coding) for coding in encodings}
        self.headers = header_items(headers)
        self.tags = tuple(t for t in (self.etag, *map(self.etag_of, self.encoded)) if t)
        """Every representation's ETag: any of them makes a conditional request a 304."""

    def etag_of(self, coding: str | None) -> str | None:
        """The ETag of the representation in ``coding`` (None: the identity one)."""
        if self.etag is None or coding is None or not self.etag.endswith('"'):
            return self.etag
        return f'{self.etag[:-1]}-{coding}"'

    def respond(self, request: Request, status: int = 200, reason: str | None = None) -> Response:
        """The answer to ``request``: 304 when its validators match, else the body, compressed
        with the first offered coding the request accepts."""
        accepted = accepted_encodings(request) if self.encoded else set()
        coding = next((c for c in self.encoded if c in accepted or "*" in accepted), None)
        headers = list(self.headers)
        etag = self.etag_of(coding)
        if etag is not None:
            headers.append(("ETag", etag))
        if self.last_modified is not None:
            headers.append(("Last-Modified", self.last_modified))
        if self.encoded:
            headers.append(("Vary", "Accept-Encoding"))
        if status == 200 and not_modified(request, self.tags, self.last_modified):
            return Response(304, b"", headers)
        if self.content_type is not None:
            headers.append(("Content-Type", self.content_type))
        if coding is None:
            return Response(status, self.body, headers, reason)
        headers.append(("Content-Encoding", coding))
        return Response(status, self.encoded[coding], headers, reason)
