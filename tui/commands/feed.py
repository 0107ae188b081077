"""feed: one subscription's settings."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tui.commands.common import UsageError, on_cache, plain

if TYPE_CHECKING:
    from tui.commands.common import SubParsers
    from tui.core.service import FeedService


def register(sub: SubParsers) -> None:
    feed = sub.add_parser("feed", help="change one feed's settings")
    feed.add_argument("url")
    feed.add_argument(
        "--full-text",
        choices=("on", "off"),
        help="always fetch the full article of new entries (read offline)",
    )
    on_cache(feed, _feed)


def _feed(service: FeedService, args: argparse.Namespace) -> int:
    feed = service.feed(args.url)
    if feed is None:
        raise UsageError(f"yuedu: not subscribed: {args.url}")
    if args.full_text is not None:
        service.set_full_text(feed.url, args.full_text == "on")
    full_text = "on" if feed.url in service.full_text_feeds() else "off"
    print(f"{feed.url}: {plain(feed.display_title)}")
    print(f"  full text: {full_text}")
    return 0
