"""The panes of the main screen: feeds, entries and the article, laid out by terminal width.

Wide terminals (>= 120 columns) show all three panes; medium ones show feeds and entries,
and the article full-width while it has focus; narrow ones (< 70) show the focused pane only.
This module holds layout, moving between lists and opening entries; actions on entries
are in ``reading.py``, the keys and the feed actions in ``main.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Literal

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

from tui.core.models import Entry, Feed
from tui.core.service import FeedService
from tui.ui.marks import MarksWritten, MarkWriter, Write
from tui.ui.snapshot import ListSnapshot, take_snapshot, unread_count
from tui.ui.state import SavedView
from tui.ui.views import ALL, View, parse_key
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.entry_list import EntryList
from tui.ui.widgets.feed_list import FeedList, build_rows
from tui.ui.widgets.status_bar import StatusBar

Pane = Literal["feeds", "entries", "article"]
WIDE = 120
NARROW = 70
PREVIEW_DELAY = 0.12
"""Seconds the cursor rests on an entry before the wide layout previews it."""


class PanesScreen(Screen[None]):
    """Lists on the left, the article on the right; see the module docstring for layouts."""

    AUTO_FOCUS = "#entries"

    def __init__(
        self,
        service: FeedService,
        *,
        clock: Callable[[], datetime],
        saved: SavedView | None = None,
    ) -> None:
        super().__init__()
        self.service = service
        self._clock = clock
        self._saved = saved
        self.view: View = ALL
        self.search_view: View | None = None
        self._cursor_memory: dict[str, int] = {}
        self._layout = ""
        self._pane: Pane = "entries"
        self._feeds_now: list[Feed] = []
        self._article_open = False
        self._preview_timer: Timer | None = None
        self._preview_loading: int | None = None
        self._mark_writer = MarkWriter(service, self.post_message)
        self.ready = False
        """True once the first list is on screen."""

    def compose(self) -> ComposeResult:
        ascii_markers = self.service.config.text.ambiguous_width == 2
        # Kept as attributes: the app reads the cursor after the widgets are unmounted.
        self._feeds = FeedList(id="feeds")
        self._entries = EntryList(
            self.service.entries_by_ids,
            clock=self._clock,
            ascii_markers=ascii_markers,
            id="entries",
        )
        self._article = ArticleView(
            self.service.article_lines,
            placeholder="Enter opens the entry under the cursor.",
            id="article",
        )
        self._status = StatusBar(id="status")
        with Horizontal(id="panes"):
            yield self._feeds
            yield self._entries
            yield self._article
        yield self._status

    # widgets ---------------------------------------------------------------------------

    @property
    def feed_list(self) -> FeedList:
        return self._feeds

    @property
    def entry_list(self) -> EntryList:
        return self._entries

    @property
    def article(self) -> ArticleView:
        return self._article

    @property
    def status(self) -> StatusBar:
        return self._status

    @property
    def article_open(self) -> bool:
        """An entry was opened (Enter): not the preview the wide layout shows of the cursor's."""
        return self._article_open

    @property
    def layout_mode(self) -> str:
        """One of "wide", "medium" or "narrow"."""
        return self._layout

    @property
    def pane(self) -> Pane:
        return self._pane

    # start -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._apply_layout(self.app.size.width)
        self.reload_feeds()
        view, entry_id = ALL, None
        if self._saved is not None:
            restored = self.view_for_key(self._saved.view_key)
            if restored is not None:
                view, entry_id = restored, self._saved.entry_id
        self.show_view(view, cursor_id=entry_id)
        self.focus_pane("entries")
        self.ready = True
        self.started()

    def started(self) -> None:
        """Called once the panes show their first list."""

    def view_for_key(self, key: str) -> View | None:
        kind, value = parse_key(key)
        if kind in ("all", "unread", "starred"):
            return View(kind)  # type: ignore[arg-type]
        if kind == "tag" and value in self.service.tags():
            return View("tag", value)
        if kind == "feed":
            feed = self.service.feed(value)
            if feed is not None:
                return View("feed", feed.url, feed.id)
        return None

    def saved_view(self) -> SavedView:
        """What to restore next time (a search is not restored; its list is)."""
        view = self.view if self.view.kind != "search" else ALL
        entry_id = self._entries.current_id if view is self.view else None
        return SavedView(view.key, entry_id)

    # layout ----------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._apply_layout(event.size.width)

    def _apply_layout(self, width: int) -> None:
        layout = "wide" if width >= WIDE else "narrow" if width < NARROW else "medium"
        if layout != self._layout:
            for name in ("wide", "medium", "narrow"):
                self.set_class(name == layout, f"-{name}")
            self._layout = layout
            self._schedule_preview()

    def _panes(self) -> list[Pane]:
        panes: list[Pane] = ["feeds", "entries"]
        if self.article_open:
            panes.append("article")
        return panes

    def _pane_widget(self, pane: Pane) -> Widget:
        return {"feeds": self._feeds, "entries": self._entries, "article": self._article}[pane]

    def focus_pane(self, pane: Pane) -> None:
        """Show (in medium and narrow layouts) and focus a pane."""
        self._set_pane(pane)
        self._pane_widget(pane).focus()

    def _set_pane(self, pane: Pane) -> None:
        self._pane = pane
        for name in ("feeds", "entries", "article"):
            self.set_class(name == pane, f"-pane-{name}")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        for pane in ("feeds", "entries", "article"):
            if event.widget.id == pane:
                self._set_pane(pane)

    def action_next_pane(self) -> None:
        self._cycle_pane(1)

    def action_previous_pane(self) -> None:
        self._cycle_pane(-1)

    def _cycle_pane(self, step: int) -> None:
        panes = self._panes()
        index = panes.index(self._pane) if self._pane in panes else 0
        self.focus_pane(panes[(index + step) % len(panes)])

    # lists -----------------------------------------------------------------------------

    def reload_feeds(self) -> None:
        """Rebuild the feeds pane from the store (counts, failures), keeping the cursor."""
        self.apply_snapshot(take_snapshot(self.service, self.view, with_entries=False))

    def reload_lists(self) -> None:
        """Both lists again from the store; the entry cursor stays on the same entry."""
        entries = self.entry_list
        snapshot = take_snapshot(
            self.service,
            self.view,
            with_entries=True,
            cursor_id=entries.current_id,
            fallback_index=entries.cursor,
        )
        self.apply_snapshot(snapshot)

    def apply_snapshot(self, snapshot: ListSnapshot) -> None:
        """Show what ``take_snapshot`` read (perhaps on another thread, a moment ago)."""
        self._feeds_now = snapshot.feeds
        unread = sum(feed.unread for feed in snapshot.feeds)
        rows = build_rows(
            snapshot.feeds, unread=unread, starred=snapshot.starred, search=self.search_view
        )
        self.feed_list.set_rows(rows, keep=self.view)
        if snapshot.ids is not None and snapshot.view.key == self.view.key:
            entries = self.entry_list
            entries.set_ids(
                snapshot.ids,
                show_feed=self.view.is_virtual,
                cursor_id=entries.current_id,
                index=entries.cursor,
                page=snapshot.page,
                keep_screen_row=True,
            )
        self._show_status()

    def show_view(self, view: View, *, cursor_id: int | None = None) -> None:
        """Show ``view``'s entries with the cursor where it was last (or on ``cursor_id``)."""
        current = self.entry_list.current_id
        if current is not None:
            self._cursor_memory[self.view.key] = current
        self.view = view
        ids = self.service.entry_ids(view.entry_filter)
        remembered = cursor_id if cursor_id is not None else self._cursor_memory.get(view.key)
        self.entry_list.set_ids(ids, show_feed=view.is_virtual, cursor_id=remembered)
        self.feed_list.select_view(view, notify=False)
        self._show_status()

    def _show_status(self) -> None:
        row = next((r for r in self.feed_list.rows if r.view and r.view.key == self.view.key), None)
        label = row.label if row is not None else self.view.value or self.view.kind
        unread = unread_count(self.service, self.view, self._feeds_now)
        self.status.show_view(label, len(self.entry_list.ids), unread)

    @on(FeedList.ViewHighlighted)
    def _view_highlighted(self, event: FeedList.ViewHighlighted) -> None:
        if event.view.key != self.view.key:
            self.show_view(event.view)

    @on(FeedList.ViewSelected)
    def _view_selected(self, event: FeedList.ViewSelected) -> None:
        if event.view.key != self.view.key:
            self.show_view(event.view)
        self.focus_pane("entries")

    @on(EntryList.EntrySelected)
    def _entry_selected(self, event: EntryList.EntrySelected) -> None:
        self.open_entry(event.entry_id)

    @on(EntryList.EntryHighlighted)
    def _entry_highlighted(self, _event: EntryList.EntryHighlighted) -> None:
        self._schedule_preview()

    def _schedule_preview(self) -> None:
        """In the wide layout the article pane previews the entry under the cursor.

        Only once the cursor rests: holding j must not lay out every article it passes.
        A preview does not mark the entry read; Enter opens it.
        """
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        if self._layout == "wide" and not self._article_open and self.is_mounted:
            self._preview_timer = self.set_timer(PREVIEW_DELAY, self._preview)

    @property
    def preview_settled(self) -> bool:
        """No preview is waiting for the cursor to rest or for its article (pictures and
        tests wait on it)."""
        return self._preview_timer is None and self._preview_loading is None

    def _preview(self) -> None:
        self._preview_timer = None
        if self._layout != "wide" or self._article_open:
            return
        entry_id = self.entry_list.current_id
        current = self.article.entry
        if current is not None and current.id == entry_id:
            return
        if entry_id is None:
            self.article.show(None)
            return
        # Read in a thread: during a refresh the store may be busy for tens of ms.
        self._preview_loading = entry_id
        self.run_worker(
            partial(self._load_preview, entry_id),
            thread=True,
            group="preview",
            exit_on_error=False,
        )

    def _load_preview(self, entry_id: int) -> None:
        entry = None
        try:
            entry = self.service.entry(entry_id)
        finally:
            self.app.call_from_thread(self._preview_loaded, entry_id, entry)

    def _preview_loaded(self, entry_id: int, entry: Entry | None) -> None:
        if self._preview_loading != entry_id:
            return  # a later preview was asked for
        self._preview_loading = None
        still_wanted = self.entry_list.current_id == entry_id and not self._article_open
        if still_wanted and self._layout == "wide":
            self.article.show(entry)

    # the article -----------------------------------------------------------------------

    def open_entry(self, entry_id: int) -> None:
        """Show the entry in the article pane, mark it read and focus the article."""
        entry = self.service.entry(entry_id)
        if entry is None:
            return
        index = self.entry_list.index_of(entry_id)
        if index is not None and index != self.entry_list.cursor:
            self.entry_list.move_cursor(index, notify=False)
        if not entry.read:
            self.set_flags(entry, read=True)
            entry = replace(entry, read=True)
        self._article_open = True
        self.add_class("-article-open")
        self.article.show(entry)
        self.focus_pane("article")

    def close_article(self) -> None:
        self._article_open = False
        self.article.show(None)
        self.remove_class("-article-open")
        self.focus_pane("entries")
        self._schedule_preview()

    def current_entry(self) -> Entry | None:
        """The entry keys act on: the article when it has focus, else the one under the cursor."""
        if self.article_open and (self._pane == "article" or self._layout != "wide"):
            return self.article.entry
        entry_id = self.entry_list.current_id
        return self.entry_list.entry_at(self.entry_list.cursor) if entry_id is not None else None

    def set_flags(
        self, entry: Entry, *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        """Show ``entry`` read or starred at once; the store gets it on the marks thread."""
        self.entry_list.mark(entry.id, read=read, starred=starred)
        shown = self.article.entry
        if shown is not None and shown.id == entry.id:
            self.article.update_flags(
                replace(
                    shown,
                    read=shown.read if read is None else read,
                    starred=shown.starred if starred is None else starred,
                )
            )
        ids = [entry.id]

        def write() -> None:
            if read is not None:
                self.service.mark_read(ids, read)
            if starred is not None:
                self.service.mark_starred(ids, starred)

        self.write_marks(write, ids)

    def write_marks(self, write: Write, entry_ids: list[int] | None) -> None:
        """Queue a write of read or starred state behind those before it."""
        self._mark_writer.submit(write, entry_ids, self.view)

    @on(MarksWritten)
    def _marks_written(self, message: MarksWritten) -> None:
        if message.entry_ids is None:
            self.entry_list.forget()
        else:
            self.entry_list.marked(message.entry_ids, failed=message.error is not None)
        if message.snapshot is not None:
            self.apply_snapshot(message.snapshot)
        if message.error is not None:
            self.app.notify(message.error, severity="error", markup=False)
        elif message.note is not None:
            self.app.notify(message.note, markup=False, timeout=2)

    def on_unmount(self) -> None:
        self._mark_writer.close()

    def action_quit_or_back(self) -> None:
        if self.article_open:
            self.close_article()
        else:
            self.app.exit()

    def action_back(self) -> None:
        if self.article_open:
            self.close_article()
        elif self._layout == "narrow" and self._pane == "entries":
            self.focus_pane("feeds")
        elif self._pane == "feeds":
            self.focus_pane("entries")
