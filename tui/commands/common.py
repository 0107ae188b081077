"""What every command shares: usage errors, widths, JSON shapes, a progress bar."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from tui.core.models import Entry, Feed, RefreshProgress
from tui.core.text.sanitize import clean_line

if TYPE_CHECKING:
    from tui.core.config import Config
    from tui.core.paths import Paths
    from tui.core.service import FeedService

ServiceCommand = Callable[["FeedService", argparse.Namespace], int]
"""A command that works on the cache."""
ConfigCommand = Callable[["Config", argparse.Namespace], int]
"""A command that needs only the config (no cache is opened)."""
PathsCommand = Callable[["Paths", argparse.Namespace], int]
"""A command that must run even when the config is broken (it reads neither file)."""
if TYPE_CHECKING:
    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line (the caller exits with status 2)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog.split()[0]} --help)")


def integer(text: str) -> int:
    """An argparse ``type``: an integer that fits SQLite's 64 bits."""
    value = int(text)  # a ValueError is argparse's "invalid integer value"
    if not -(2**63) <= value < 2**63:
        shown = text if len(text) <= 24 else f"{text[:20]}..."
        raise argparse.ArgumentTypeError(f"{shown} is too large")
    return value


def on_cache(parser: argparse.ArgumentParser, command: ServiceCommand) -> None:
    parser.set_defaults(service_command=command, config_command=None)


def on_config(parser: argparse.ArgumentParser, command: ConfigCommand) -> None:
    parser.set_defaults(service_command=None, config_command=command)


def on_paths(parser: argparse.ArgumentParser, command: PathsCommand) -> None:
    parser.set_defaults(service_command=None, config_command=None, paths_command=command)


def width(requested: int | None) -> int:
    if requested:
        return requested
    if sys.stdout.isatty():
        return shutil.get_terminal_size((80, 24)).columns
    return 80


def plain(text: str | None) -> str:
    return clean_line(text)


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def feed_json(feed: Feed) -> dict[str, Any]:
    return {
        "url": feed.url,
        "title": feed.title,
        "tags": list(feed.tags),
        "unread": feed.unread,
        "total": feed.total,
        "last_fetched": iso(feed.last_fetched),
        "status": feed.status,
        "error": feed.error,
    }


def entry_json(entry: Entry) -> dict[str, Any]:
    enclosures = entry.enclosures
    return {
        "id": entry.id,
        "feed_url": entry.feed_url,
        "feed_title": entry.feed_title,
        "title": entry.title,
        "link": entry.link,
        "author": entry.author,
        "published": iso(entry.date),
        "read": entry.read,
        "starred": entry.starred,
        "categories": list(entry.categories),
        "enclosures": [{"url": e.url, "type": e.type, "length": e.length} for e in enclosures],
    }


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def fail(message: str) -> None:
    print(clean_line(message), file=sys.stderr)


class ProgressBar:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def update(self, progress: RefreshProgress) -> None:
        self.show(progress.done, progress.total, "feeds")

    def show(self, done: int, total: int | None, what: str) -> None:
        """Draw ``done`` of ``total`` ``what``; without a total, the count alone."""
        columns = shutil.get_terminal_size((80, 24)).columns
        bar_width = max(10, min(40, columns - 30))
        if total is None:
            self.stream.write(f"\r\x1b[K{what}: {done}")
        else:
            filled = bar_width * min(done, total) // max(total, 1)
            bar = "█" * filled + "░" * (bar_width - filled)
            self.stream.write(f"\r{bar} {done}/{total} {what}")
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()
