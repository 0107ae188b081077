"""entries, show, mark: reading the cache."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tui.commands.common import (
    UsageError,
    entry_json,
    integer,
    on_cache,
    plain,
    print_json,
    width,
)
from tui.core.models import EntryFilter
from tui.core.query.parser import conjoin

if TYPE_CHECKING:
    from tui.commands.common import SubParsers
    from tui.core.service import FeedService


_MARKS = {
    "read": "mark them read",
    "unread": "mark them unread",
    "star": "star them",
    "unstar": "remove their stars",
}


HELP_ORDER = 50
"""Where this module's commands stand in ``yuedu --help``."""


def register(sub: SubParsers) -> None:
    entries = sub.add_parser("entries", help="list entries, newest first")
    entries.add_argument("--feed", metavar="URL", help="only this subscription's entries")
    entries.add_argument("--unread", action="store_true", help="only unread entries")
    entries.add_argument("--starred", action="store_true", help="only starred entries")
    entries.add_argument("--search", metavar="TEXT", help="only entries whose text holds TEXT")
    entries.add_argument(
        "--query", metavar="EXPR", help="entries matching EXPR (newsboat's filter language)"
    )
    entries.add_argument("--saved", metavar="NAME", help="entries of the saved query NAME")
    entries.add_argument("--limit", type=integer, metavar="N", help="at most N entries")
    entries.add_argument("--json", action="store_true", help="print a JSON list of entries")
    on_cache(entries, _entries)

    show = sub.add_parser("show", help="print one entry as text")
    show.add_argument("id", type=integer, help="the entry's id, as `entries` lists it")
    show.add_argument("--width", type=int, metavar="N", help="wrap at N cells (default: terminal)")
    show.add_argument(
        "--full", action="store_true", help="the full article from the entry's link (cached)"
    )
    on_cache(show, _show)

    mark = sub.add_parser("mark", help="mark entries read, unread, starred or unstarred")
    mark.add_argument("ids", type=integer, nargs="+", metavar="ID", help="entry ids")
    how = mark.add_mutually_exclusive_group(required=True)
    for flag, meaning in _MARKS.items():
        how.add_argument(f"--{flag}", action="store_const", const=flag, dest="how", help=meaning)
    on_cache(mark, _mark)


def _entries(service: FeedService, args: argparse.Namespace) -> int:
    feed_id = None
    if args.feed:
        feed = service.feed(args.feed)
        if feed is None:
            raise UsageError(f"yuedu: not subscribed: {args.feed}")
        feed_id = feed.id
    saved = None
    if args.saved is not None:
        found = service.saved_query(args.saved)
        if found is None:
            raise UsageError(f"yuedu: no saved query: {args.saved}")
        saved = found.query
    flt = EntryFilter(
        feed_id=feed_id,
        unread_only=args.unread,
        starred_only=args.starred,
        search=args.search or None,
        query=conjoin(saved, args.query),
    )
    entries = service.entries(flt, limit=args.limit)
    if args.json:
        print_json([entry_json(e) for e in entries])
        return 0
    for entry in entries:
        flags = ("N" if not entry.read else " ") + ("*" if entry.starred else " ")
        date = entry.date.astimezone().strftime("%Y-%m-%d") if entry.date else "          "
        feed_title = plain(entry.feed_title)[:24]
        print(f"{entry.id:>7} {flags} {date}  {feed_title}: {plain(entry.title)}")
    return 0


def _show(service: FeedService, args: argparse.Namespace) -> int:
    entry = service.entry(args.id)
    if entry is None:
        raise UsageError(f"yuedu: no entry {args.id}")
    from tui.core.text.layout import render_plain

    if args.full:
        article = service.full_article_blocking(entry)
        lines = service.full_article_lines(entry, article, width(args.width)).lines
    else:
        lines = service.article_lines(entry, width(args.width)).lines
    print(render_plain(lines))
    return 0


def _mark(service: FeedService, args: argparse.Namespace) -> int:
    found = {entry.id for entry in service.entries_by_ids(args.ids)}
    missing = [i for i in args.ids if i not in found]
    if missing:
        raise UsageError(f"yuedu: no entry {missing[0]}")
    if args.how in ("read", "unread"):
        count = service.mark_read(args.ids, args.how == "read")
    else:
        count = service.mark_starred(args.ids, args.how == "star")
    print(f"marked {count} entries {args.how if args.how != 'star' else 'starred'}")
    waiting = len(service.store.pending_marks())
    if service.config.sync.enabled and waiting:
        print(f"{waiting} marks wait for the server: yuedu sync pushes them")
    return 0
