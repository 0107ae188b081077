"""The test server: the local feed server (:mod:`tui.demo.server`) plus hostile routes.

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

Serving, conditional GET, threads and the request log are the shared server's; this module
adds the routes only tests want (``serve_dir``, ``redirect``, ``drip``, ``hang``,
``gzip_bomb``...), built from ``Response`` and ``Request.wait``, so a test needing something odd
writes its own handler the same way. Bodies given as iterables are pulled lazily, so a 1 GiB
body costs nothing until sent.
"""

from __future__ import annotations

import math
import mimetypes
import zlib
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import brotli
import pytest

from tui.demo.exchange import (
    Headers,
    Request,
    Resource,
    Response,
    header_items,
    http_date,
)
from tui.demo.server import FeedServer
from tui.demo.wire import Framing

__all__ = [
    "Framing",
    "GiB",
    "HTTPTestServer",
    "KiB",
    "MiB",
    "Request",
    "Response",
    "http_date",
    "server_fixture",
]

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB

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


class HTTPTestServer(FeedServer):
    """The shared feed server with the routes tests use; see the module docstring."""

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
        sends none. ``encoding`` ("gzip", "deflate", "br") compresses the body once, sent when
        the request's Accept-Encoding allows it (with its own ETag). Returns path.
        """
        resource = Resource(
            body,
            content_type=content_type,
            etag=etag,
            last_modified=last_modified,
            encodings=() if encoding is None else (encoding,),
            headers=headers,
        )
        return self.route(path, lambda request: resource.respond(request, status, reason))

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
            resource = Resource(
                body,
                content_type=content_type,
                last_modified=target.stat().st_mtime,
                encodings=() if encoding is None else (encoding,),
            )
            return resource.respond(request)

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
        extra = header_items(headers)
        if retry_after is not None:
            value = retry_after if isinstance(retry_after, str) else str(int(retry_after))
            extra.append(("Retry-After", value))
        return self.route(path, lambda _request: Response(status, body, extra, reason))

    def redirect(
        self, path: str, location: str, *, status: int = 302, headers: Headers | None = None
    ) -> str:
        """Redirect ``path`` to ``location`` (sent as given: a path, a URL, even ``file:``)."""
        extra = [*header_items(headers), ("Location", location)]
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


def server_fixture(**options: Any) -> Any:
    """A function-scoped pytest fixture yielding a started ``HTTPTestServer(**options)``.

    Assign it at module level; the fixture takes the attribute's name::

        server = server_fixture()
        def test_x(server: HTTPTestServer) -> None: ...
    """

    def fixture() -> Iterator[HTTPTestServer]:
        with HTTPTestServer(**options) as server:
            yield server

    return pytest.fixture(fixture)
