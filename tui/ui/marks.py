"""Writes of read and starred state: off the UI thread, one at a time, in the order made.

A refresh's workers hold the cache's write lock for a few to a hundred milliseconds per
feed; a key that marked an entry read on the UI thread waited for them. The screen shows
the new state at once (``EntryList.mark``) and hands the write to a ``MarkWriter``, which
posts ``MarksWritten`` when the store has it, with the feed counts read afterwards.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from textual.message import Message

from tui.core.errors import YueduError
from tui.core.service import FeedService
from tui.core.text.sanitize import clean_line
from tui.ui.snapshot import ListSnapshot, take_snapshot
from tui.ui.views import View

Write = Callable[[], str | None]
"""A write to the service; it may return a line to tell the user."""


@dataclass
class MarksWritten(Message):
    """A write of read or starred state finished (``error`` says why it did not)."""

    entry_ids: list[int] | None
    """The entries written, or None for a whole list (mark all read)."""
    snapshot: ListSnapshot | None
    """The feeds and their counts after the write."""
    note: str | None = None
    error: str | None = None


class MarkWriter:
    """One thread that runs writes in order and posts what came of each."""

    def __init__(self, service: FeedService, post: Callable[[Message], object]) -> None:
        self._service = service
        self._post = post
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="yuedu-marks")

    def submit(self, write: Write, entry_ids: list[int] | None, view: View) -> None:
        """Queue ``write``; the counts posted after it are read for ``view``."""
        self._thread.submit(self._run, write, entry_ids, view)

    def _run(self, write: Write, entry_ids: list[int] | None, view: View) -> None:
        note = error = None
        try:
            note = write()
        except YueduError as exc:
            error = clean_line(str(exc)) or "the cache could not be written"
        except Exception as exc:  # a bug must not leave the rows showing an unsaved state
            error = f"internal error ({exc.__class__.__name__})"
        snapshot = None
        # Unreadable now: the counts stay as they were until the next reload.
        with contextlib.suppress(YueduError):
            snapshot = take_snapshot(self._service, view, with_entries=False)
        self._post(MarksWritten(entry_ids, snapshot, note, error))

    def close(self) -> None:
        """Wait for the writes still queued: a key pressed before quitting must count."""
        self._thread.shutdown(wait=True)
