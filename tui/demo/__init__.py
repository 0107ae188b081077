"""The bundled demo: sample feeds served from 127.0.0.1, so ``yuedu --demo`` needs no network.

The feeds go through the real fetch, parse and store path: the local feed server
(:mod:`tui.demo.server`) serves the files bundled in ``tui/demo/feeds`` with ETag and
Last-Modified validators, answers conditional requests with 304 and compresses with gzip when
asked, so refreshing works offline exactly as it does against a real site. One extra
subscription points at a path the server answers with 404, so the failing-feeds view has
something to show.

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

import shutil
import tempfile
from dataclasses import dataclass
from email.utils import formatdate
from html import escape
from importlib.resources import files
from pathlib import Path
from types import TracebackType

from tui.core.feeds.opml import Subscription, write_opml
from tui.demo.exchange import Resource, Response
from tui.demo.server import FeedServer

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


class DemoServer:
    """Serves the demo feeds on 127.0.0.1 at a free port until closed.

    Start it with ``with DemoServer() as server:`` or call ``close()`` yourself; closing
    stops the server and joins its threads, requests in flight included. Request handlers
    never write to stderr, so the server can run behind a full-screen app.
    """

    def __init__(self) -> None:
        self._server = FeedServer(keep_log=False)
        for path, resource in _resources().items():
            self._server.serve(path, resource)
        closed = b"404 Not Found: this feed has closed down.\n"
        self._server.route(
            _FEED_PATH + FAILING_FEED.filename,
            lambda _request: Response(404, closed, {"Content-Type": "text/plain; charset=utf-8"}),
        )
        self._server.start()
        self.base_url = self._server.base_url + "/"

    def feed_urls(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(url, title, tags) for every demo subscription; the last one answers 404."""
        return [(self.url_for(f), f.title, f.tags) for f in (*DEMO_FEEDS, FAILING_FEED)]

    def url_for(self, feed: DemoFeed) -> str:
        return f"{self.base_url}{_FEED_PATH.lstrip('/')}{feed.filename}"

    def close(self) -> None:
        """Stop serving and join the server's threads; safe to call twice."""
        self._server.stop()

    def __enter__(self) -> DemoServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _resources() -> dict[str, Resource]:
    # Validators stay fixed for the server's life: the files cannot change under it.
    last_modified = formatdate(usegmt=True)

    def resource(body: bytes, content_type: str) -> Resource:
        return Resource(
            body,
            content_type=content_type,
            last_modified=last_modified,
            # Compressing a few hundred bytes saves nothing worth a Content-Encoding.
            encodings=("gzip",) if len(body) > 512 else (),
            headers={"Cache-Control": "no-cache"},
        )

    folder = _feed_dir()
    resources = {
        _FEED_PATH + feed.filename: resource(
            (folder / feed.filename).read_bytes(), feed.content_type
        )
        for feed in DEMO_FEEDS
    }
    index = resource(_index_page().encode("utf-8"), "text/html; charset=utf-8")
    resources["/"] = resources["/index.html"] = index
    return resources


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
