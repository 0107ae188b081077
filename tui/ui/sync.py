"""The reader's side of ``[sync]``: refreshing by syncing, marks pushed in the background
soon after they are made, and subscribing and unsubscribing on the server.

Every call to the server runs off the event loop, one at a time: a sync and a push never
overlap, so a mark is never pushed twice nor lost between them.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import datetime

from tui.core.errors import YueduError
from tui.core.service import AddResult, FeedService
from tui.core.sync.engine import SyncProgress, SyncReport
from tui.core.sync.session import SyncSession
from tui.core.urls import candidate_urls

PUSH_DELAY = 2.0
"""Seconds after the last mark before the marks go to the server: reading down a list
with j marks one entry after another, and one request carries them all."""


QUIT_PUSH = 3.0
"""Seconds quitting waits for the last marks to reach the server."""


class ServerSync:
    def __init__(self, service: FeedService) -> None:
        self._service = service
        self._session = SyncSession(service)
        self._turn = threading.Lock()
        self._timer: threading.Timer | None = None
        self.enabled = service.config.sync.enabled

    def sync(self, progress: Callable[[SyncProgress], None]) -> SyncReport:
        """Sync once (in a worker thread); raises YueduError with a one-line reason."""
        with self._turn:
            return asyncio.run(self._session.sync(progress))

    def push_soon(self) -> None:
        """Push the marks waiting, ``PUSH_DELAY`` after the last call; quietly, since a
        failed push leaves them queued for the next sync."""
        if not self.enabled:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(PUSH_DELAY, self._push)
        self._timer.daemon = True
        self._timer.start()

    def _push(self) -> None:
        try:
            with self._turn:
                asyncio.run(self._session.push_marks())
        except YueduError:
            pass  # kept in the cache; the next sync pushes them

    def close(self) -> None:
        """Push marks still waiting for their delay, giving the server ``QUIT_PUSH`` s;
        what does not go in time waits in the cache for the next sync."""
        timer, self._timer = self._timer, None
        if timer is None or not timer.is_alive():
            return
        timer.cancel()
        last = threading.Thread(target=self._push, daemon=True, name="yuedu-last-push")
        last.start()
        last.join(QUIT_PUSH)

    async def add(self, url: str) -> AddResult:
        """Subscribe on the server, then sync so the feed arrives; raises YueduError."""
        report = await asyncio.to_thread(self._subscribe, url)
        wanted = set(candidate_urls(url))
        for feed in self._service.feeds():
            if feed.url in report.subscribed or feed.url in wanted:
                return AddResult(feed, report.new_entries, feed.url not in report.subscribed)
        raise YueduError("the server subscribed, but sent no such feed back", subject=url)

    def _subscribe(self, url: str) -> SyncReport:
        with self._turn:
            return asyncio.run(self._session.subscribe(url))

    def remove(self, url: str) -> None:
        """Unsubscribe on the server and here; raises YueduError when the server says no."""
        with self._turn:
            if not asyncio.run(self._session.unsubscribe(url)):
                self._service.remove_feed(url)  # a feed of this cache's own, not the server's


def summarise_sync(report: SyncReport, now: datetime) -> str:
    """The status line after a sync: time, new entries, marks, failures."""
    parts = [f"Synced {now.astimezone():%H:%M}", f"{report.new_entries} new"]
    if report.waiting:
        parts.append(f"{report.waiting} marks waiting")
    if report.failures:
        parts.append(report.failures[0])
    return " · ".join(parts)


def progress_text(progress: SyncProgress) -> str:
    if progress.step == "entries":
        return f"Syncing: {progress.done:,} entries"
    if progress.step == "push":
        return "Syncing: pushing marks"
    return "Syncing"
