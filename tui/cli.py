"""The composition root: argv -> paths -> config -> service -> the reader or a command."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from tui import __version__
from tui.core.config import Config, load_config
from tui.core.errors import ConfigError, YueduError
from tui.core.models import Entry, EntryFilter, Feed, RefreshProgress
from tui.core.paths import Paths, resolve_paths
from tui.core.text.sanitize import clean_line

if TYPE_CHECKING:
    from tui.core.service import FeedService


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 1."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog.split()[0]} --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="yuedu",
        description="A terminal news reader that typesets Chinese, Japanese and Korean text.",
    )
    parser.add_argument("--version", action="version", version=f"yuedu {__version__}")
    parser.add_argument("--home", metavar="DIR", help="keep config and cache under DIR")
    parser.add_argument("--demo", action="store_true", help="open the reader on bundled feeds")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    add = sub.add_parser("add", help="subscribe to a feed (or a page that links to one)")
    add.add_argument("url")
    add.add_argument("--title")
    add.add_argument("--tag", action="append", default=[], dest="tags")

    remove = sub.add_parser("remove", help="unsubscribe")
    remove.add_argument("url")

    feeds = sub.add_parser("feeds", help="list subscriptions")
    feeds.add_argument("--json", action="store_true")

    imp = sub.add_parser("import", help="import OPML or a newsboat urls file")
    imp.add_argument("file", type=Path)

    sub.add_parser("export", help="write subscriptions as OPML 2.0 to stdout")

    refresh = sub.add_parser("refresh", help="fetch feeds now")
    refresh.add_argument("urls", nargs="*", metavar="URL")

    entries = sub.add_parser("entries", help="list entries, newest first")
    entries.add_argument("--feed", metavar="URL")
    entries.add_argument("--unread", action="store_true")
    entries.add_argument("--starred", action="store_true")
    entries.add_argument("--search", metavar="TEXT")
    entries.add_argument("--limit", type=int, metavar="N")
    entries.add_argument("--json", action="store_true")

    show = sub.add_parser("show", help="print one entry as text")
    show.add_argument("id", type=int)
    show.add_argument("--width", type=int, metavar="N")

    mark = sub.add_parser("mark", help="mark entries read, unread, starred or unstarred")
    mark.add_argument("ids", type=int, nargs="+", metavar="ID")
    how = mark.add_mutually_exclusive_group(required=True)
    for flag in ("read", "unread", "star", "unstar"):
        how.add_argument(f"--{flag}", action="store_const", const=flag, dest="how")

    render = sub.add_parser("render", help="lay out an HTML or text file as the reader does")
    render.add_argument("file", nargs="?", default="-", metavar="FILE|-")
    render.add_argument("--width", type=int, metavar="N")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if getattr(args, "width", None) is not None and args.width < 1:
            raise UsageError("yuedu: --width must be at least 1")
        if getattr(args, "limit", None) is not None and args.limit < 0:
            raise UsageError("yuedu: --limit must be 0 or more")
        return _dispatch(args)
    except UsageError as exc:
        _fail(str(exc))
        return 1
    except YueduError as exc:
        _fail(f"yuedu: {exc}")
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `yuedu entries | head` closes the pipe early; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _dispatch(args: argparse.Namespace) -> int:
    if args.demo and args.command != "render":
        if args.command:
            raise UsageError("yuedu: --demo opens the reader; it takes no command")
        return _run_demo()
    paths = resolve_paths(args.home)
    config = load_config(paths.config_file)
    if args.command == "render":
        return _render(args, config)  # needs no cache
    if args.command is None:
        return _run_reader(paths, config)
    from tui.core.service import FeedService

    with FeedService.open(paths, config) as service:
        if service.recovered_from is not None:
            _fail(f"yuedu: the cache was damaged; moved it to {service.recovered_from}")
        handler = _COMMANDS[args.command]
        return handler(service, args)


def _run_reader(paths: Paths, config: Config) -> int:
    from tui.core.service import FeedService
    from tui.ui.app import run_app

    with FeedService.open(paths, config) as service:
        return run_app(service)


def _run_demo() -> int:
    """The reader on bundled feeds, served on 127.0.0.1 into a throwaway home."""
    from tui.core.service import FeedService
    from tui.demo import DemoServer, demo_opml, make_demo_home
    from tui.ui.app import run_app

    home = make_demo_home()
    try:
        paths = resolve_paths(home)
        with DemoServer() as server, FeedService.open(paths, Config()) as service:
            subscriptions = home / "demo.opml"
            subscriptions.write_text(demo_opml(server), encoding="utf-8")
            service.import_subscriptions(subscriptions)
            service.refresh_blocking()
            return run_app(service, demo=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)


# commands --------------------------------------------------------------------------------


def _add(service: FeedService, args: argparse.Namespace) -> int:
    result = service.add_feed_blocking(args.url, title=args.title, tags=args.tags)
    feed = result.feed
    if result.already_subscribed:
        print(f"already subscribed: {feed.url}")
        return 0
    found = f" (found on {result.discovered_from})" if result.discovered_from else ""
    print(f"added {feed.url}{found}: {_plain(feed.display_title)}, {result.new_entries} entries")
    return 0


def _remove(service: FeedService, args: argparse.Namespace) -> int:
    if not service.remove_feed(args.url):
        raise UsageError(f"yuedu: not subscribed: {args.url}")
    print(f"removed {args.url}")
    return 0


def _feeds(service: FeedService, args: argparse.Namespace) -> int:
    feeds = service.feeds()
    if args.json:
        _print_json([_feed_json(f) for f in feeds])
        return 0
    for feed in feeds:
        mark = "!" if feed.error else " "
        tags = f"  [{', '.join(feed.tags)}]" if feed.tags else ""
        line = f"{mark} {feed.unread:>5}/{feed.total:<5} {_plain(feed.display_title)}{tags}"
        print(line)
        print(f"    {feed.url}" + (f"  ({_plain(feed.error)})" if feed.error else ""))
    return 0


def _import(service: FeedService, args: argparse.Namespace) -> int:
    report = service.import_subscriptions(args.file)
    for line in report.skipped:
        print(f"skipped {_plain(line)}", file=sys.stderr)
    print(f"imported {report.added} feeds ({report.existing} already subscribed)")
    return 0


def _export(service: FeedService, args: argparse.Namespace) -> int:
    sys.stdout.write(service.export_opml())
    return 0


def _refresh(service: FeedService, args: argparse.Namespace) -> int:
    urls = args.urls or None
    if urls:
        unknown = [u for u in urls if service.feed(u) is None]
        if unknown:
            raise UsageError(f"yuedu: not subscribed: {unknown[0]}")
    bar = _ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    report = service.refresh_blocking(urls, progress=bar.update if bar else None)
    if bar:
        bar.finish()
    for status in report.failed:
        print(f"failed {status.url}: {_plain(status.error or 'unknown error')}")
    for status in report.statuses:
        if status.moved_to:
            print(f"moved {status.url} -> {status.moved_to}")
    unchanged = sum(1 for s in report.statuses if s.not_modified)
    print(
        f"refreshed {len(report.statuses)} feeds: {report.new_entries} new entries, "
        f"{unchanged} unchanged, {len(report.failed)} failed"
    )
    return 0


def _entries(service: FeedService, args: argparse.Namespace) -> int:
    feed_id = None
    if args.feed:
        feed = service.feed(args.feed)
        if feed is None:
            raise UsageError(f"yuedu: not subscribed: {args.feed}")
        feed_id = feed.id
    flt = EntryFilter(
        feed_id=feed_id,
        unread_only=args.unread,
        starred_only=args.starred,
        search=args.search or None,
    )
    entries = service.entries(flt, limit=args.limit)
    if args.json:
        _print_json([_entry_json(e) for e in entries])
        return 0
    for entry in entries:
        flags = ("N" if not entry.read else " ") + ("*" if entry.starred else " ")
        date = entry.date.astimezone().strftime("%Y-%m-%d") if entry.date else "          "
        feed_title = _plain(entry.feed_title)[:24]
        print(f"{entry.id:>7} {flags} {date}  {feed_title}: {_plain(entry.title)}")
    return 0


def _show(service: FeedService, args: argparse.Namespace) -> int:
    entry = service.entry(args.id)
    if entry is None:
        raise UsageError(f"yuedu: no entry {args.id}")
    from tui.core.text.layout import render_plain

    print(render_plain(service.article_lines(entry, _width(args.width)).lines))
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
    return 0


def _render(args: argparse.Namespace, config: Config) -> int:
    from tui.core.text.layout import render_article, render_plain

    if args.file == "-":
        source = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    else:
        try:
            source = Path(args.file).read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            raise UsageError(f"yuedu: cannot read {args.file}: {exc.strerror}") from exc
    article = render_article(source, _width(args.width), options=config.text.layout_options())
    print(render_plain(article.lines))
    return 0


_COMMANDS = {
    "add": _add,
    "remove": _remove,
    "feeds": _feeds,
    "import": _import,
    "export": _export,
    "refresh": _refresh,
    "entries": _entries,
    "show": _show,
    "mark": _mark,
}


# helpers ---------------------------------------------------------------------------------


def _width(requested: int | None) -> int:
    if requested:
        return requested
    if sys.stdout.isatty():
        return shutil.get_terminal_size((80, 24)).columns
    return 80


def _plain(text: str | None) -> str:
    return clean_line(text)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _feed_json(feed: Feed) -> dict[str, Any]:
    return {
        "url": feed.url,
        "title": feed.title,
        "tags": list(feed.tags),
        "unread": feed.unread,
        "total": feed.total,
        "last_fetched": _iso(feed.last_fetched),
        "status": feed.status,
        "error": feed.error,
    }


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "feed_url": entry.feed_url,
        "feed_title": entry.feed_title,
        "title": entry.title,
        "link": entry.link,
        "author": entry.author,
        "published": _iso(entry.date),
        "read": entry.read,
        "starred": entry.starred,
    }


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _fail(message: str) -> None:
    print(clean_line(message), file=sys.stderr)


class _ProgressBar:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def update(self, progress: RefreshProgress) -> None:
        columns = shutil.get_terminal_size((80, 24)).columns
        bar_width = max(10, min(40, columns - 30))
        filled = bar_width * progress.done // max(progress.total, 1)
        bar = "█" * filled + "░" * (bar_width - filled)
        self.stream.write(f"\r{bar} {progress.done}/{progress.total} feeds")
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["ConfigError", "build_parser", "main"]
