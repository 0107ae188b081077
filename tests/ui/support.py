"""Test homes for the reader: a real FeedService on tmp_path with feeds from a local server."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from tests.httpserver import HTTPTestServer
from tui.core.config import Config
from tui.core.paths import resolve_paths
from tui.core.service import FeedService

NOW = datetime(2024, 5, 20, 12, 0, tzinfo=UTC)
"""The frozen "now" of every UI test and snapshot."""


def frozen_clock() -> datetime:
    return NOW


@dataclass
class Item:
    title: str
    body: str = "<p>Body.</p>"
    link: str | None = None
    author: str = ""
    age_hours: float = 1.0
    guid: str | None = None


@dataclass
class FeedSpec:
    path: str
    title: str
    items: Sequence[Item] = field(default_factory=list)
    tags: tuple[str, ...] = ()


def rss(title: str, items: Sequence[Item], *, raw_title: bool = False, slug: str = "p") -> bytes:
    """An RSS 2.0 document. ``raw_title`` puts the title in unescaped (for &#27; tricks)."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
        f"<title>{title if raw_title else escape(title)}</title>",
        "<link>https://example.org/</link><description>test</description>",
    ]
    for item in items:
        date = NOW - timedelta(hours=item.age_hours)
        # Derived from the title, so an item keeps its link (and guid) when others arrive.
        key = hashlib.sha1(item.title.encode()).hexdigest()[:12]
        link = item.link if item.link is not None else f"https://example.org/{slug}/{key}"
        parts.append("<item>")
        parts.append(f"<title>{escape(item.title)}</title>")
        parts.append(f"<link>{escape(link)}</link>")
        parts.append(f"<guid>{escape(item.guid or link)}</guid>")
        parts.append(f"<pubDate>{format_datetime(date)}</pubDate>")
        if item.author:
            parts.append(f"<author>{escape(item.author)}</author>")
        parts.append(f"<description>{escape(item.body)}</description>")
        parts.append("</item>")
    parts.append("</channel></rss>\n")
    return "".join(parts).encode("utf-8")


LONG_EN = "".join(
    f"<p>Paragraph {i}. " + "Words flow on and on across the line. " * 10 + "</p>"
    for i in range(30)
)
TECH = FeedSpec(
    "/tech.xml",
    "Tech News",
    [
        Item(
            "Newest tech story",
            body='<p>See <a href="https://example.org/a">first</a> and '
            '<a href="/b">second</a>.</p>' + LONG_EN,
            author="Ada",
            age_hours=1,
        ),
        Item("Older tech story", age_hours=30),
        Item("Oldest tech story", age_hours=80),
    ],
    tags=("English",),
)
ZH = FeedSpec(
    "/zh.xml",
    "中文新聞",
    [
        Item(
            "颱風逼近臺灣東部海面",
            body="<p>中央氣象署表示，颱風今天清晨位於臺灣東南方海面，預計明天最接近陸地。"
            "民眾應注意強風豪雨，並做好防颱準備。氣象專家指出，這次颱風的結構完整，"
            "暴風圈半徑約達２５０公里（約１５５英里），「不可掉以輕心」。</p>",
            age_hours=2,
        ),
        Item("台北捷運新路線通車", age_hours=50),
    ],
    tags=("中文",),
)
JA = FeedSpec(
    "/ja.xml",
    "日本語ブログ",
    [
        Item(
            "東京の桜が満開になりました",
            body="<p>今年の桜は例年より早く咲きました。「花見」の季節です。</p>",
            age_hours=3,
        )
    ],
)
FEEDS = (TECH, ZH, JA)


def open_service(home: Path, config: Config | None = None) -> FeedService:
    """The real service on a fresh home; parsing in a thread keeps tests light."""
    config = config or Config(refresh_on_start=False)
    return FeedService.open(resolve_paths(home), config, parse_workers=0)


def serve(server: HTTPTestServer, spec: FeedSpec) -> str:
    body = rss(spec.title, spec.items, slug=spec.path.strip("/").split(".")[0])
    return server.url(server.serve_bytes(spec.path, body, content_type="application/rss+xml"))


async def subscribe_async(
    service: FeedService, server: HTTPTestServer, specs: Sequence[FeedSpec]
) -> None:
    """Serve each feed and subscribe to it through the service (which fetches it)."""
    for spec in specs:
        await service.add_feed(serve(server, spec), tags=spec.tags)


def subscribe(service: FeedService, server: HTTPTestServer, specs: Sequence[FeedSpec]) -> None:
    """``subscribe_async`` for synchronous fixtures."""
    asyncio.run(subscribe_async(service, server, specs))


def write_opml(path: Path, urls: Sequence[tuple[str, str]]) -> Path:
    """An OPML file of (title, url) for subscribing without fetching."""
    outlines = "".join(
        f'<outline type="rss" text="{escape(t)}" title="{escape(t)}" xmlUrl="{escape(u)}"/>'
        for t, u in urls
    )
    path.write_text(
        f'<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head>'
        f"<body>{outlines}</body></opml>",
        encoding="utf-8",
    )
    return path


async def wait_for(pilot: Pilot[object], predicate: object, timeout: float = 10.0) -> None:
    """Let the app run until ``predicate()`` is true; fail after ``timeout`` seconds."""
    assert callable(predicate)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s: {predicate}")
        await pilot.pause(0.02)
    await pilot.pause()


async def started(pilot: Pilot[object]) -> None:
    """Wait until the reader shows its first list."""
    app = pilot.app
    await wait_for(pilot, lambda: app.screen_stack[0].ready)  # type: ignore[attr-defined]


def widget_text(widget: Widget) -> str:
    """What a widget shows, borders included, as plain text lines."""
    width, height = widget.outer_size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


async def settled(pilot: Pilot[object]) -> None:
    """Wait until the article pane shows what was asked for (it is read on a thread)."""
    app = pilot.app
    await wait_for(pilot, lambda: app.screen_stack[0].article_settled)  # type: ignore[attr-defined]
