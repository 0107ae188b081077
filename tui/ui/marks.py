"""Writes of read and starred state: off the UI thread, one at a time, in the order made.

A refresh's workers hold the cache's write lock for a few to a hundred milliseconds per
feed; a key that marked an entry read on the UI thread waited for them. The screen shows
the new state at once (``Marks``) and hands the write to a ``MarkWriter``, which posts
``MarksWritten`` when the store has it, with the feed counts read afterwards.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial

from rich.text import Text
from textual.app import App
from textual.message import Message

from tui.core.errors import YueduError
from tui.core.models import Entry
from tui.core.service import FeedService
from tui.core.text.sanitize import clean_line
from tui.ui.lists import Lists
from tui.ui.render import plural
from tui.ui.screens.modals import ConfirmScreen
from tui.ui.snapshot import ListSnapshot, take_snapshot
from tui.ui.sync import ServerSync
from tui.ui.views import View
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.entry_list import EntryList

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

    def __init__(
        self,
        service: FeedService,
        post: Callable[[Message], object],
        written: Callable[[], None] | None = None,
    ) -> None:
        """``written`` runs after each write that went through (pushing marks to a server)."""
        self._service = service
        self._post = post
        self._written = written
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="yuedu-marks")

    def submit(self, write: Write, entry_ids: list[int] | None, view: View) -> None:
        """Queue ``write``; the counts posted after it are read for ``view``."""
        self._thread.submit(self._run, write, entry_ids, view)

    def _run(self, write: Write, entry_ids: list[int] | None, view: View) -> None:
        note = error = None
        try:
            note = write()
            if self._written is not None:
                self._written()
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


class Marks:
    """Read and starred state: shown at once in the list and the article, stored by a
    ``MarkWriter`` behind the writes before it."""

    def __init__(
        self,
        service: FeedService,
        lists: Lists,
        entries: EntryList,
        article: ArticleView,
        post: Callable[[Message], object],
        *,
        pushed_by: ServerSync | None = None,
    ) -> None:
        """``pushed_by`` sends the marks to the ``[sync]`` server soon after they are made."""
        self._service = service
        self._lists = lists
        self._entries = entries
        self._article = article
        self._writer = MarkWriter(service, post, pushed_by.push_soon if pushed_by else None)
        self._undo: list[int] = []

    def set_flags(
        self, entry: Entry, *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        """Show ``entry`` read or starred at once; the store gets it on the marks thread."""
        self._entries.mark(entry.id, read=read, starred=starred)
        shown = self._article.entry
        if shown is not None and shown.id == entry.id:
            self._article.update_flags(
                replace(
                    shown,
                    read=shown.read if read is None else read,
                    starred=shown.starred if starred is None else starred,
                )
            )
        ids = [entry.id]
        service = self._service

        def write() -> None:
            if read is not None:
                service.mark_read(ids, read)
            if starred is not None:
                service.mark_starred(ids, starred)

        self._writer.submit(write, ids, self._lists.view)

    def ask_mark_all_read(self, app: App[None], screenful: int) -> None:
        """Mark the list's unread entries read, asking first when they are more than a
        screenful (``A`` sits beside ``a``); ``undo`` takes it back."""
        ids = self._service.entry_ids(replace(self._lists.view.entry_filter, unread_only=True))
        if not ids:
            app.notify("Nothing unread in this list", timeout=2)
        elif len(ids) <= screenful:
            self._mark_all_read(ids)
        else:
            question = Text(f"Mark {len(ids):,} entries read? (u undoes it)")
            app.push_screen(ConfirmScreen(question), partial(self._confirmed, ids))

    def _confirmed(self, ids: list[int], yes: bool | None) -> None:
        if yes:
            self._mark_all_read(ids)

    def _mark_all_read(self, ids: list[int]) -> None:
        service = self._service
        self._undo = ids

        def write() -> str:
            count = service.mark_read(ids, True)
            return f"Marked {count:,} {plural(count, 'entry', 'entries')} read (u undoes it)"

        self._writer.submit(write, None, self._lists.view)

    def undo(self, notify: Callable[..., object]) -> None:
        """Unread again what the last mark-all marked read."""
        ids, self._undo = self._undo, []
        if not ids:
            notify("No mark-all to undo", timeout=2)
            return
        service = self._service

        def write() -> str:
            count = service.mark_read(ids, False)
            return f"{count:,} {plural(count, 'entry', 'entries')} unread again"

        self._writer.submit(write, None, self._lists.view)

    def written(self, message: MarksWritten, notify: Callable[..., object]) -> None:
        """Show what the store now holds after a write."""
        if message.entry_ids is None:
            self._entries.forget()
        else:
            self._entries.marked(message.entry_ids, failed=message.error is not None)
        if message.snapshot is not None:
            self._lists.apply_snapshot(message.snapshot)
        if message.error is not None:
            notify(message.error, severity="error", markup=False)
        elif message.note is not None:
            notify(message.note, markup=False, timeout=2)

    def close(self) -> None:
        """Wait for the writes still queued."""
        self._writer.close()
