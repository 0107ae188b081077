"""add, remove, feeds, import, export: the subscriptions."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.commands.common import UsageError, feed_json, on_cache, plain, print_json

if TYPE_CHECKING:
    from tui.commands.common import SubParsers
    from tui.core.service import FeedService


HELP_ORDER = 10
"""Where this module's commands stand in ``yuedu --help``."""


def register(sub: SubParsers) -> None:
    add = sub.add_parser(
        "add",
        help="subscribe to a feed (or a page that links to one); on the server with [sync]",
    )
    add.add_argument("url", help="a feed's URL, or a page that names its feed")
    add.add_argument("--title", help="show this title instead of the feed's own")
    add.add_argument(
        "--tag",
        action="append",
        default=[],
        dest="tags",
        metavar="TAG",
        help="file it under TAG (repeatable)",
    )
    on_cache(add, _add)

    remove = sub.add_parser("remove", help="unsubscribe (on the server too with [sync])")
    remove.add_argument("url", help="the subscription's URL")
    on_cache(remove, _remove)

    feeds = sub.add_parser("feeds", help="list subscriptions")
    feeds.add_argument("--json", action="store_true", help="print a JSON list of feeds")
    on_cache(feeds, _feeds)

    imp = sub.add_parser("import", help="import OPML or a newsboat urls file")
    imp.add_argument("file", type=Path, help="an OPML file or a newsboat urls file")
    on_cache(imp, _import)

    export = sub.add_parser("export", help="write subscriptions as OPML 2.0 to stdout")
    on_cache(export, _export)


def _add(service: FeedService, args: argparse.Namespace) -> int:
    if service.config.sync.enabled:
        return _add_on_server(service, args)
    result = service.add_feed_blocking(args.url, title=args.title, tags=args.tags)
    feed = result.feed
    if result.already_subscribed:
        print(f"already subscribed: {feed.url}")
        return 0
    found = f" (found on {result.discovered_from})" if result.discovered_from else ""
    print(f"added {feed.url}{found}: {plain(feed.display_title)}, {result.new_entries} entries")
    return 0


def _add_on_server(service: FeedService, args: argparse.Namespace) -> int:
    """Subscribe on the ``[sync]`` server (the first tag as its category), then sync."""
    from tui.core.sync.session import SyncSession

    category = args.tags[0] if args.tags else None
    report = asyncio.run(SyncSession(service).subscribe(args.url, category))
    for url in report.subscribed:
        print(f"added {url} on the server: {report.new_entries} entries")
    if not report.subscribed:
        print(f"already subscribed on the server: {args.url}")
    return 0


def _remove(service: FeedService, args: argparse.Namespace) -> int:
    if service.config.sync.enabled:
        from tui.core.sync.session import SyncSession

        if asyncio.run(SyncSession(service).unsubscribe(args.url)):
            print(f"removed {args.url} on the server")
            return 0
    if not service.remove_feed(args.url):
        raise UsageError(f"yuedu: not subscribed: {args.url}")
    print(f"removed {args.url}")
    return 0


def _feeds(service: FeedService, args: argparse.Namespace) -> int:
    feeds = service.feeds()
    if args.json:
        print_json([feed_json(f) for f in feeds])
        return 0
    for feed in feeds:
        mark = "!" if feed.error else " "
        tags = f"  [{', '.join(feed.tags)}]" if feed.tags else ""
        line = f"{mark} {feed.unread:>5}/{feed.total:<5} {plain(feed.display_title)}{tags}"
        print(line)
        print(f"    {feed.url}" + (f"  ({plain(feed.error)})" if feed.error else ""))
    return 0


def _import(service: FeedService, args: argparse.Namespace) -> int:
    report = service.import_subscriptions(args.file)
    for line in report.skipped:
        print(f"skipped {plain(line)}", file=sys.stderr)
    print(f"imported {report.added} feeds ({report.existing} already subscribed)")
    if report.queries:
        print(f"imported {report.queries} saved queries")
    return 0


def _export(service: FeedService, args: argparse.Namespace) -> int:
    sys.stdout.write(service.export_opml())
    return 0
