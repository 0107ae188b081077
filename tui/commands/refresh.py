"""refresh: fetch feeds now, with progress on a terminal and one line per failure."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tui.commands.common import ProgressBar, UsageError, on_cache, plain

if TYPE_CHECKING:
    from tui.commands.common import SubParsers
    from tui.core.service import FeedService


HELP_ORDER = 40
"""Where this module's commands stand in ``yuedu --help``."""


def register(sub: SubParsers) -> None:
    refresh = sub.add_parser(
        "refresh", help="fetch feeds now (with [sync] set: sync with the server instead)"
    )
    refresh.add_argument("urls", nargs="*", metavar="URL", help="only these feeds (default: all)")
    on_cache(refresh, _refresh)
    # Its worker processes' fork server is started before the cache is opened.
    refresh.set_defaults(parses_feeds=True)


def _refresh(service: FeedService, args: argparse.Namespace) -> int:
    if service.config.sync.enabled:
        # The server fetches the feeds; refreshing is asking it what it has.
        from tui.commands.sync import run_sync

        return run_sync(service)
    urls = args.urls or None
    if urls:
        unknown = [u for u in urls if service.feed(u) is None]
        if unknown:
            raise UsageError(f"yuedu: not subscribed: {unknown[0]}")
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    report = service.refresh_blocking(urls, progress=bar.update if bar else None)
    if bar:
        bar.finish()
    for status in report.failed:
        print(f"failed {status.url}: {plain(status.error or 'unknown error')}")
    for status in report.statuses:
        if status.moved_to:
            print(f"moved {status.url} -> {status.moved_to}")
    unchanged = sum(1 for s in report.statuses if s.not_modified)
    print(
        f"refreshed {len(report.statuses)} feeds: {report.new_entries} new entries, "
        f"{unchanged} unchanged, {len(report.failed)} failed"
    )
    # The reader fetches these in the background; a command has no background to leave
    # them to, so it fetches them after the feeds.
    if service.full_text_feeds():
        print(f"{service.fetch_full_articles_blocking()} full articles fetched")
    return 0
