"""query, ignore, tag, untag: saved queries, the killfile and feed tags."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tui.commands.common import UsageError, on_cache, plain, print_json
from tui.core.models import EntryFilter

if TYPE_CHECKING:
    from tui.commands.common import SubParsers
    from tui.core.service import FeedService

_IGNORE_HELP = (
    "ignore rules (newsboat's ignore-article): entries matching a rule are dropped at "
    "refresh and never stored; entries already in the cache stay"
)


HELP_ORDER = 30
"""Where this module's commands stand in ``yuedu --help``."""


def register(sub: SubParsers) -> None:
    query = sub.add_parser("query", help="saved queries in newsboat's filter language")
    queries = query.add_subparsers(dest="query_command", required=True, metavar="COMMAND")
    add = queries.add_parser("add", help="save EXPR as NAME (replacing one of that name)")
    add.add_argument("name")
    add.add_argument("expr")
    on_cache(add, _query_add)
    remove = queries.add_parser("remove", help="forget a saved query")
    remove.add_argument("name")
    on_cache(remove, _query_remove)
    listing = queries.add_parser("list", help="saved queries with their unread and total")
    listing.add_argument("--json", action="store_true")
    on_cache(listing, _query_list)

    ignore = sub.add_parser("ignore", help=_IGNORE_HELP, description=_IGNORE_HELP)
    rules = ignore.add_subparsers(dest="ignore_command", required=True, metavar="COMMAND")
    add = rules.add_parser(
        "add",
        help="drop entries matching EXPR at every refresh; they are never stored",
        description="Entries matching EXPR are dropped at refresh and never stored.",
    )
    add.add_argument("expr")
    add.add_argument("--feed", metavar="URL", help="only for this feed (default: every feed)")
    on_cache(add, _ignore_add)
    remove = rules.add_parser("remove", help="remove the rules with this expression")
    remove.add_argument("expr")
    on_cache(remove, _ignore_remove)
    listing = rules.add_parser("list", help="the ignore rules")
    listing.add_argument("--json", action="store_true")
    on_cache(listing, _ignore_list)

    for name, verb in (("tag", "add tags to"), ("untag", "remove tags from")):
        command = sub.add_parser(name, help=f"{verb} a feed")
        command.add_argument("url")
        command.add_argument("tags", nargs="+", metavar="TAG")
        on_cache(command, _tag if name == "tag" else _untag)


def _query_add(service: FeedService, args: argparse.Namespace) -> int:
    saved = service.save_query(args.name, args.expr)
    print(f"saved query {plain(saved.name)}")
    return 0


def _query_remove(service: FeedService, args: argparse.Namespace) -> int:
    if not service.remove_query(args.name):
        raise UsageError(f"yuedu: no saved query: {args.name}")
    print(f"removed query {plain(args.name)}")
    return 0


def _query_list(service: FeedService, args: argparse.Namespace) -> int:
    counted = [
        (
            saved,
            service.count(EntryFilter(query=saved.query, unread_only=True)),
            service.count(EntryFilter(query=saved.query)),
        )
        for saved in service.saved_queries()
    ]
    if args.json:
        print_json(
            [
                {"name": saved.name, "query": saved.query, "unread": unread, "total": total}
                for saved, unread, total in counted
            ]
        )
        return 0
    for saved, unread, total in counted:
        print(f"  {unread:>5}/{total:<5} {plain(saved.name)}: {plain(saved.query)}")
    return 0


def _ignore_add(service: FeedService, args: argparse.Namespace) -> int:
    added = service.add_ignore_rule(args.expr, args.feed or "*")
    where = f" in {args.feed}" if args.feed else ""
    print(f"{'ignoring' if added else 'already ignoring'}{where}: {plain(args.expr)}")
    return 0


def _ignore_remove(service: FeedService, args: argparse.Namespace) -> int:
    if not service.remove_ignore_rule(args.expr):
        raise UsageError(f"yuedu: no ignore rule: {args.expr}")
    print(f"removed ignore rule: {plain(args.expr)}")
    return 0


def _ignore_list(service: FeedService, args: argparse.Namespace) -> int:
    rules = service.ignore_rules()
    if args.json:
        print_json([{"expr": rule.expr, "feed": rule.feed_url} for rule in rules])
        return 0
    for rule in rules:
        print(f"{plain(rule.feed_url)}  {plain(rule.expr)}")
    return 0


def _tag(service: FeedService, args: argparse.Namespace) -> int:
    return _retag(service, args, add=True)


def _untag(service: FeedService, args: argparse.Namespace) -> int:
    return _retag(service, args, add=False)


def _retag(service: FeedService, args: argparse.Namespace, *, add: bool) -> int:
    feed = service.tag_feed(args.url, args.tags, add=add)
    if feed is None:
        raise UsageError(f"yuedu: not subscribed: {args.url}")
    print(f"{feed.url}: {', '.join(map(plain, feed.tags)) or '(no tags)'}")
    return 0
