"""sync: pull feeds, entries and marks from the ``[sync]`` server and push the marks made
here; ``refresh`` comes here too when ``[sync]`` is set."""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING

from tui.commands.common import ProgressBar, on_cache, plain
from tui.core.errors import FetchError

if TYPE_CHECKING:
    from tui.commands.common import SubParsers
    from tui.core.service import FeedService
    from tui.core.sync.engine import SyncProgress


HELP_ORDER = 45
"""Where this module's commands stand in ``yuedu --help``."""

_STEPS = {
    "feeds": "pulling feeds",
    "entries": "entries pulled",
    "push": "marks pushed",
    "marks": "pulling read and starred",
}


def register(sub: SubParsers) -> None:
    sync = sub.add_parser(
        "sync",
        help="sync feeds, entries and read/starred marks with the [sync] server",
        description=(
            "Pull feeds (categories as tags), entries and their read/starred state from the "
            "server set in config.toml's [sync], and push the marks made here. Marks made "
            "while the server cannot be reached wait in the cache for the next sync. The "
            "password comes from sync.password_command or YUEDU_SYNC_PASSWORD."
        ),
    )
    on_cache(sync, lambda service, _args: run_sync(service))


def run_sync(service: FeedService) -> int:
    """Sync once, report on stdout; 0 unless sync is not set up (ConfigError: 1)."""
    from tui.core.sync.session import SyncSession

    session = SyncSession(service)
    _ = session.account  # a missing password or [sync] stops here, before any output
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None

    def progress(step: SyncProgress) -> None:
        if bar:
            bar.show(step.done, step.total, _STEPS.get(step.step, step.step))

    try:
        report = asyncio.run(session.sync(progress=progress))
    except FetchError as exc:
        if bar:
            bar.finish()
        waiting = len(service.store.pending_marks())
        print(f"failed {plain(str(exc))}")
        print(f"not synced: {waiting} marks kept for the next sync")
        return 0
    if bar:
        bar.finish()
    for line in report.failures:
        print(f"failed {plain(line)}")
    for url in report.subscribed:
        print(f"subscribed {url}")
    for url in report.unsubscribed:
        print(f"unsubscribed {url}")
    for url in report.local_only:
        print(f"not on the server, not fetched while syncing: {url} (yuedu add subscribes there)")
    print(
        f"synced {report.feeds} feeds: {report.new_entries} new entries, "
        f"{report.pushed} marks pushed, {report.marks_changed} marks pulled"
        + (f", {report.waiting} marks waiting" if report.waiting else "")
    )
    if service.full_text_feeds():
        print(f"{service.fetch_full_articles_blocking()} full articles fetched")
    return 0
