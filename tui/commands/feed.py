"""feed: one feed's own settings, which override the config for that feed.

``yuedu feed URL`` prints them; each option changes one. A new setting is an option in
``register``, a step in ``_feed`` and a line in ``_report``.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tui.commands.common import UsageError, on_cache, plain
from tui.core.text.convert import TARGETS

if TYPE_CHECKING:
    from tui.commands.common import SubParsers
    from tui.core.models import Feed
    from tui.core.service import FeedService

DEFAULT = "default"


HELP_ORDER = 20
"""Where this module's commands stand in ``yuedu --help``."""


def register(sub: SubParsers) -> None:
    feed = sub.add_parser("feed", help="show or change one feed's own settings")
    feed.add_argument("url", metavar="URL")
    feed.add_argument(
        "--script",
        choices=(*TARGETS, DEFAULT),
        help="show this feed's Chinese text in this script (default: follow the config)",
    )
    feed.add_argument(
        "--full-text",
        choices=("on", "off"),
        help="always fetch the full article of new entries (read offline)",
    )
    on_cache(feed, _feed)


def _feed(service: FeedService, args: argparse.Namespace) -> int:
    feed = service.feed(args.url)
    if feed is None:
        raise UsageError(f"yuedu: not subscribed: {plain(args.url)}")
    if args.script is not None:
        service.set_feed_script(feed.url, None if args.script == DEFAULT else args.script)
    if args.full_text is not None:
        service.set_full_text(feed.url, args.full_text == "on")
    _report(service, feed)
    return 0


def _report(service: FeedService, feed: Feed) -> None:
    print(plain(feed.url))
    script = service.feed_script(feed.id)
    shown = script or f"{service.config.text.script} (config)"
    print(f"  script: {shown}")
    full_text = "on" if feed.url in service.full_text_feeds() else "off"
    print(f"  full text: {full_text}")
