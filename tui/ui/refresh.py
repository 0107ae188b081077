"""Refreshing feeds from the main screen: the worker, its progress on the status line, and
the lists reloaded off the event loop as feeds land.

The screen holds one ``Refresher`` and hands it every ``RefreshMessage`` the worker posts.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from tui.core.errors import YueduError
from tui.core.models import RefreshProgress, RefreshReport
from tui.core.sync.engine import SyncProgress
from tui.core.text.sanitize import clean_line
from tui.ui.messages import (
    FeedRefreshed,
    RefreshFinished,
    RefreshMessage,
    RefreshProgressed,
    RefreshStarted,
    SyncProgressed,
)
from tui.ui.snapshot import take_snapshot
from tui.ui.sync import ServerSync, progress_text, summarise_sync
from tui.ui.views import View

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen

_RELOAD_DELAY = 0.4
_PROGRESS_INTERVAL = 0.1
AUTO_RELOAD_TICK = 30.0
"""Seconds between looks at the clock for auto-reload."""


class Refresher:
    """Runs one refresh at a time for ``screen`` and shows what it does."""

    def __init__(self, screen: MainScreen) -> None:
        self._screen = screen
        self._service = screen.service
        self._reload_pending = False
        self._progress: tuple[int, int] | None = None
        self._period: timedelta | None = None
        self._due: datetime | None = None
        self.running = False
        self.server = ServerSync(screen.service)
        """With ``[sync]`` set, refreshing asks the server instead of fetching feeds."""

    def reload_every(self, minutes: int) -> None:
        """Refresh all feeds ``minutes`` after the last refresh, by the screen's clock."""
        if minutes > 0:
            self._period = timedelta(minutes=minutes)
            self._due = self._screen.clock() + self._period
            self._screen.set_interval(AUTO_RELOAD_TICK, self.tick, name="auto-reload")

    def tick(self) -> None:
        """Start the auto-reload if it is due and no refresh runs.

        Time is the screen's clock, not the timer's count, so a suspended laptop reloads on
        waking and tests can move the clock on.
        """
        if self._period is None or self._due is None or self.running:
            return
        now = self._screen.clock()
        if now >= self._due:
            self._due = now + self._period
            self.run(None)

    def start(self, urls: list[str] | None) -> None:
        """Refresh ``urls`` (None: all) as the user asked, or say why not."""
        notify = self._screen.app.notify
        if self.running:
            notify("A refresh is already running", timeout=2)
        elif not self._service.feeds() and not self.server.enabled:
            notify("No feeds yet: press a to add one", timeout=3)
        else:
            self.run(urls)

    def run(self, urls: list[str] | None) -> None:
        """Refresh in the background; lists update as feeds land, the cursor stays put."""
        work = self._sync() if self.server.enabled else self._refresh(urls)
        self._screen.run_worker(work, group="refresh", exclusive=True, exit_on_error=False)

    async def _sync(self) -> None:
        post = self._screen.post_message
        self.running = True
        post(RefreshStarted(0))

        def progressed(progress: SyncProgress) -> None:
            post(SyncProgressed(progress_text(progress)))

        try:
            report = await asyncio.to_thread(self.server.sync, progressed)
        except YueduError as exc:
            reason = f"Sync failed: {clean_line(str(exc))} · marks kept for the next sync"
            post(RefreshFinished(None, reason))
            return
        finally:
            self.running = False
        post(RefreshFinished(None, summary=summarise_sync(report, self._screen.clock())))

    async def _refresh(self, urls: list[str] | None) -> None:
        post = self._screen.post_message
        self.running = True
        total = len(urls) if urls is not None else len(self._service.feeds())
        post(RefreshStarted(total))

        def progressed(progress: RefreshProgress) -> None:
            post(FeedRefreshed(progress.status))
            post(RefreshProgressed(progress.done, progress.total))

        try:
            report = await self._service.refresh(urls, progress=progressed)
        except asyncio.CancelledError:
            self.running = False
            post(RefreshFinished(None, "refresh cancelled"))
            raise
        except Exception as exc:
            self.running = False
            post(RefreshFinished(None, f"refresh failed: {clean_line(str(exc))}"))
            return
        self.running = False
        post(RefreshFinished(report))

    # what the worker posted --------------------------------------------------------------

    def handle(self, message: RefreshMessage) -> None:
        screen = self._screen
        if isinstance(message, RefreshStarted):
            screen.entry_list.load_in_background = True
            self._progress = None
            screen.status.refresh_started(message.total)
        elif isinstance(message, RefreshProgressed):
            # Feeds land hundreds a second when they answer 304; a count drawn ten times a
            # second reads the same and leaves the frames to the keys.
            if self._progress is None:
                screen.set_timer(_PROGRESS_INTERVAL, self._show_progress)
            self._progress = (message.done, message.total)
        elif isinstance(message, SyncProgressed):
            screen.status.show_progress(message.text)
        elif isinstance(message, FeedRefreshed):
            status = message.status
            if status.new_entries or not status.ok or status.moved_to:
                self._schedule_reload()
        elif isinstance(message, RefreshFinished):
            if self._period is not None:
                self._due = screen.clock() + self._period
            self._progress = None
            screen.entry_list.load_in_background = False
            self._reload_now()  # off the event loop: saved-query counts can take 100 ms
            summary = message.summary or summarise(message.report, message.error, screen.clock())
            screen.status.refresh_finished(summary)
            if message.report is not None or message.summary is not None:
                # The refresh is over; the pages of "always full text" feeds come after it.
                screen.opener.full_text.fetch_missing()

    def _show_progress(self) -> None:
        progress, self._progress = self._progress, None
        if progress is not None and self.running:
            self._screen.status.refresh_progressed(*progress)

    def _schedule_reload(self) -> None:
        # Coalesce: a refresh of 500 feeds must not rebuild the lists 500 times.
        if not self._reload_pending:
            self._reload_pending = True
            self._screen.set_timer(_RELOAD_DELAY, self._reload_now)

    def _reload_now(self) -> None:
        self._reload_pending = False
        entries = self._screen.entry_list
        reload = partial(self._reload, self._screen.lists.view, entries.current_id, entries.cursor)
        self._screen.run_worker(
            reload, thread=True, group="reload", exclusive=True, exit_on_error=False
        )

    def _reload(self, view: View, cursor_id: int | None, index: int) -> None:
        # The store is busy with the refresh's writes; waiting for it here, not on the
        # event loop, keeps keys responsive while feeds land.
        snapshot = take_snapshot(
            self._service, view, with_entries=True, cursor_id=cursor_id, fallback_index=index
        )
        self._screen.app.call_from_thread(self._screen.lists.apply_snapshot, snapshot)


def summarise(report: RefreshReport | None, error: str | None, now: datetime) -> str:
    """The status line after a refresh: time, new entries, failures."""
    if report is None:
        return error or "refresh stopped"
    parts = [f"Updated {now.astimezone():%H:%M}", f"{report.new_entries} new"]
    if report.failed:
        parts.append(f"{len(report.failed)} failing (e)")
    return " · ".join(parts)
