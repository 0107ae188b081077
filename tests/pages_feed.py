"""A summary-only feed whose links point at the saved pages of ``tests/data/pages``.

``serve_pages_feed(server)`` serves the pages under ``/pages/`` and the feed at
``/summaries.xml``; its entries are, newest first: the English blog page, the GBK portal
page, a page of scripts only (no article) and a page that is not there (404).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from tests.httpserver import HTTPTestServer

PAGES = Path(__file__).parent / "data" / "pages"
SCRIPTS_ONLY = (
    b"<html><head><title>App</title></head><body>"
    + (b"<script>var x = 1;</script>" * 50)
    + b"<div id=root></div></body></html>"
)

Item = tuple[str, str, str]
NEWEST = datetime(2024, 3, 4, 8, 0, tzinfo=UTC)
ITEMS: tuple[Item, ...] = (
    ("SQLite at the edge", "/pages/en-blog-sqlite.html", "A short summary."),
    ("老旧小区改造", "/pages/zh-portal-gbk.html", "摘要。"),
    ("Only scripts", "/scripts-only.html", "An app shell."),
    ("Gone away", "/pages/missing.html", "Nothing there."),
)


def serve_pages_feed(server: HTTPTestServer, items: Sequence[Item] = ITEMS) -> str:
    """Serve the pages and a feed of ``items`` (title, path, summary), dated a day apart
    and newest first; return the feed's URL."""
    server.serve_dir("/pages/", PAGES)
    server.serve_bytes("/scripts-only.html", SCRIPTS_ONLY, content_type="text/html")
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(server.url(path))}</link>"
        f"<guid>{escape(path)}</guid><description>{escape(summary)}</description>"
        f"<pubDate>{(NEWEST - timedelta(days=n)):%a, %d %b %Y %H:%M:%S} GMT</pubDate></item>"
        for n, (title, path, summary) in enumerate(items)
    )
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Summaries</title><link>{server.url('/')}</link><description>s</description>"
        f"{entries}</channel></rss>"
    ).encode()
    return server.url(server.serve_bytes("/summaries.xml", feed))
