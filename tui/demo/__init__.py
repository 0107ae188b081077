"""The bundled demo: sample feeds served from 127.0.0.1, so ``yuedu --demo`` needs no network.

The feeds go through the real fetch, parse and store path: a small threaded HTTP server
serves the files bundled in ``tui/demo/feeds`` with ETag/Last-Modified validators, answers
conditional requests with 304 and compresses with gzip when asked, so refreshing works
offline exactly as it does against a real site. One extra subscription points at a path the
server answers with 404, so the failing-feeds view has something to show.

Typical use::

    home = make_demo_home()
    try:
        with DemoServer() as server:
            for url, title, tags in server.feed_urls():
                ...  # subscribe, refresh, run the app
    finally:
        remove_demo_home(home)
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import socketserver
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from functools import partial
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from types import TracebackType
from typing import Any

from tui.core.feeds.opml import Subscription, write_opml

__all__ = [
    "DEMO_FEEDS",
    "DEMO_HOME_PREFIX",
    "FAILING_FEED",
    "DemoFeed",
    "DemoServer",
    "demo_feed_files",
    "demo_opml",
    "make_demo_home",
    "remove_demo_home",
]

DEMO_HOME_PREFIX = "yuedu-demo-"

_RSS = "application/rss+xml"
_ATOM = "application/atom+xml"
_JSON_FEED = "application/feed+json"
_RSS_UTF8 = f"{_RSS}; charset=utf-8"
_ATOM_UTF8 = f"{_ATOM}; charset=utf-8"


@dataclass(frozen=True, slots=True)
class DemoFeed:
    """One demo subscription: the file it is served from and how it is subscribed."""

    filename: str
    title: str
    tags: tuple[str, ...]
    content_type: str
    """The Content-Type header sent with the file; empty for the feed that fails."""


# The Big5 and GBK files get no charset parameter on purpose: their XML declaration is the
# only place the encoding is named, as on the older Chinese sites they imitate.
DEMO_FEEDS: tuple[DemoFeed, ...] = (
    DemoFeed("terminal-notes.xml", "Terminal Notes", ("English",), _RSS_UTF8),
    DemoFeed("harbour-daily.atom", "港灣日報 Harbour Daily（示範）", ("中文",), _ATOM_UTF8),
    DemoFeed("classics-zh-hant.xml", "古典選讀", ("中文",), _RSS),
    DemoFeed("jiushu-zh-hans.xml", "旧书新读", ("中文",), _RSS),
    DemoFeed("aozora-picks.atom", "青空文庫より（デモ）", ("日本語",), _ATOM_UTF8),
    DemoFeed("siwa-geul.json", "시와 글 — 한국어 읽기 (데모)", ("한국어",), _JSON_FEED),
)

FAILING_FEED = DemoFeed("closed-down-weekly.xml", "Closed Down Weekly", ("English",), "")
"""Subscribed like the others, but the server answers 404: the demo's failing feed."""

_FEED_PATH = "/feeds/"


def _feed_dir() -> Path:
    root = files(__name__).joinpath("feeds")
    if not isinstance(root, Path):
        # A zip import has no real files; the package is always installed unzipped.
        raise RuntimeError(f"demo feeds are not on the file system: {root}")
    return root


def demo_feed_files() -> list[Path]:
    """The bundled feed files, in subscription order (they ship as package data)."""
    folder = _feed_dir()
    return [folder / feed.filename for feed in DEMO_FEEDS]


def make_demo_home() -> Path:
    """A fresh, empty directory to use as the demo's home (config, cache); the caller removes it."""
    return Path(tempfile.mkdtemp(prefix=DEMO_HOME_PREFIX))


def remove_demo_home(home: Path) -> None:
    """Delete a home made by make_demo_home; refuses any other directory."""
    home = Path(home).resolve()
    in_tmp = home.parent == Path(tempfile.gettempdir()).resolve()
    if not (in_tmp and home.name.startswith(DEMO_HOME_PREFIX)):
        raise ValueError(f"not a demo home: {home}")
    shutil.rmtree(home, ignore_errors=True)


def demo_opml(server: DemoServer) -> str:
    """OPML 2.0 subscribing to every demo feed (the failing one included), foldered by tag."""
    subs = [Subscription(url, title, tags) for url, title, tags in server.feed_urls()]
    return write_opml(subs, title="yuedu demo")


@dataclass(frozen=True, slots=True)
class _Resource:
    body: bytes
    content_type: str
    etag: str
    gzipped: bytes | None


class DemoServer:
    """Serves the demo feeds on 127.0.0.1 at a free port until closed.

    Start it with ``with DemoServer() as server:`` or call ``close()`` yourself; closing
    stops the server thread and waits for requests in flight. Request handlers never write
    to stderr, so the server can run behind a full-screen app.
    """

    def __init__(self) -> None:
        resources = _load_resources()
        # Validators stay fixed for the server's life: the files cannot change under it.
        last_modified = formatdate(usegmt=True)
        handler = partial(_Handler, resources=resources, last_modified=last_modified)
        self._httpd = _Server(("127.0.0.1", 0), handler)
        host, port = self._httpd.server_address[:2]
        self.base_url = f"http://{host!s}:{port}/"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="yuedu-demo-server",
            daemon=True,
        )
        self._thread.start()
        self._closed = False

    def feed_urls(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(url, title, tags) for every demo subscription; the last one answers 404."""
        return [(self.url_for(f), f.title, f.tags) for f in (*DEMO_FEEDS, FAILING_FEED)]

    def url_for(self, feed: DemoFeed) -> str:
        return f"{self.base_url}{_FEED_PATH.lstrip('/')}{feed.filename}"

    def close(self) -> None:
        """Stop serving and join the server thread; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> DemoServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # server_close() joins the request threads, so close() leaves no thread behind.
    block_on_close = True


def _load_resources() -> dict[str, _Resource]:
    folder = _feed_dir()
    resources: dict[str, _Resource] = {}
    for feed in DEMO_FEEDS:
        body = (folder / feed.filename).read_bytes()
        resources[_FEED_PATH + feed.filename] = _resource(body, feed.content_type)
    index = _index_page().encode("utf-8")
    resources["/"] = resources["/index.html"] = _resource(index, "text/html; charset=utf-8")
    return resources


def _resource(body: bytes, content_type: str) -> _Resource:
    digest = hashlib.sha256(body).hexdigest()[:20]
    # mtime=0 keeps the compressed bytes, and so the ETag, identical between runs.
    gzipped = gzip.compress(body, mtime=0) if len(body) > 512 else None
    return _Resource(body, content_type, f'"{digest}"', gzipped)


def _index_page() -> str:
    """A site front page that advertises every feed, for trying feed discovery with `a`."""
    links = "\n".join(
        f'<link rel="alternate" type="{escape(f.content_type.split(";")[0])}" '
        f'title="{escape(f.title)}" href="{_FEED_PATH}{escape(f.filename)}">'
        for f in DEMO_FEEDS
    )
    items = "\n".join(
        f'<li><a href="{_FEED_PATH}{escape(f.filename)}">{escape(f.title)}</a></li>'
        for f in DEMO_FEEDS
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>yuedu demo feeds</title>\n{links}\n</head>\n<body>\n"
        f"<h1>yuedu demo feeds</h1>\n<ul>\n{items}\n</ul>\n</body>\n</html>\n"
    )


class _Handler(BaseHTTPRequestHandler):
    server_version = "yuedu-demo"
    sys_version = ""
    # A client that stops talking must not hold close() up for long.
    timeout = 10

    def __init__(
        self,
        request: Any,
        client_address: Any,
        server: socketserver.BaseServer,
        *,
        resources: Mapping[str, _Resource],
        last_modified: str,
    ) -> None:
        # Set before the base __init__, which handles the whole request.
        self.resources = resources
        self.last_modified = last_modified
        super().__init__(request, client_address, server)

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def log_message(self, format: str, *args: object) -> None:
        # The demo runs behind a full-screen app: a line on stderr would tear the screen.
        return

    def _respond(self, *, with_body: bool) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        resource = self.resources.get(path)
        if resource is None:
            self._send_not_found(with_body)
            return
        use_gzip = resource.gzipped is not None and _accepts_gzip(
            self.headers.get("Accept-Encoding", "")
        )
        # A compressed body is a different representation, so it gets its own strong ETag;
        # either tag proves the client holds the current content.
        gzip_etag = resource.etag[:-1] + '-gzip"'
        etag = gzip_etag if use_gzip else resource.etag
        if self._not_modified({resource.etag, gzip_etag}):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self._send_validators(etag)
            self.end_headers()
            return
        body = resource.gzipped if use_gzip and resource.gzipped is not None else resource.body
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(body)))
        if use_gzip:
            self.send_header("Content-Encoding", "gzip")
        self._send_validators(etag)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def _send_validators(self, etag: str) -> None:
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", self.last_modified)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Vary", "Accept-Encoding")

    def _not_modified(self, current: set[str]) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            # RFC 9110: If-None-Match wins over If-Modified-Since, and compares weakly.
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            return "*" in tags or not tags.isdisjoint(current)
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since is None:
            return False
        try:
            since = parsedate_to_datetime(if_modified_since)
            modified = parsedate_to_datetime(self.last_modified)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return modified <= since

    def _send_not_found(self, with_body: bool) -> None:
        body = b"404 Not Found: this feed has closed down.\n"
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)


def _accepts_gzip(accept_encoding: str) -> bool:
    for part in accept_encoding.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() not in {"gzip", "*"}:
            continue
        quality = params.strip().removeprefix("q=").strip() if params else "1"
        try:
            return float(quality) > 0
        except ValueError:
            return True
    return False
