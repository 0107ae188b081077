"""What the article pane shows: the entry opened with Enter, or in the wide layout a preview
of the entry under the cursor once the cursor rests. Both are read from the store by the
screen's one article worker, so the event loop never waits for a busy store."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.timer import Timer

from tui.core.models import Entry
from tui.ui.full_text import FullText

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen

PREVIEW_DELAY = 0.12
"""Seconds the cursor rests on an entry before the wide layout previews it."""


class ArticleOpener:
    """Opens, previews and closes articles on ``screen``."""

    def __init__(self, screen: MainScreen) -> None:
        self._screen = screen
        self._timer: Timer | None = None
        self._loading: tuple[int, bool] | None = None
        """(entry id, opened rather than previewed) of the entry being read."""
        self.is_open = False
        """An entry was opened (Enter): not the preview the wide layout shows."""
        self.opened_id: int | None = None
        self.full_text = FullText(screen)
        """The full article of the shown entry, toggled with ``f``."""

    @property
    def settled(self) -> bool:
        """No article waits for the cursor to rest or for the store."""
        return self._timer is None and self._loading is None

    def schedule_preview(self) -> None:
        """In the wide layout, preview the entry under the cursor once it rests.

        Holding j must not lay out every article it passes. A preview does not mark the
        entry read; Enter opens it.
        """
        screen = self._screen
        self._stop_timer()
        if screen.layout_mode == "wide" and not self.is_open and screen.is_mounted:
            self._timer = screen.set_timer(PREVIEW_DELAY, self._preview)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _preview(self) -> None:
        self._timer = None
        screen = self._screen
        if screen.layout_mode != "wide" or self.is_open:
            return
        entry_id = screen.entry_list.current_id
        current = screen.article.entry
        if current is not None and current.id == entry_id:
            return
        if entry_id is None:
            self._show(None)
        else:
            self._load(entry_id, opened=False)

    def open(self, entry_id: int) -> None:
        """Open the entry in the article pane and focus it; it is marked read once read."""
        screen = self._screen
        entries = screen.entry_list
        index = entries.index_of(entry_id)
        if index is not None and index != entries.cursor:
            entries.move_cursor(index, notify=False)
        self.is_open = True
        self.opened_id = entry_id
        self._stop_timer()
        screen.add_class("-article-open")
        screen.focus_pane("article")
        self._load(entry_id, opened=True)

    def close(self) -> None:
        """Back to the list, which gets the focus."""
        self.release()
        self._screen.focus_pane("entries")

    def release(self) -> None:
        """The pane previews the cursor's entry again (the cursor left the opened one)."""
        screen = self._screen
        self.is_open = False
        self.opened_id = None
        self._loading = None
        screen.panes.zoom(False)
        self._show(None)
        screen.remove_class("-article-open")
        self.schedule_preview()

    def _load(self, entry_id: int, *, opened: bool) -> None:
        self._loading = (entry_id, opened)
        self._screen.read_entry(entry_id, opened, self._read)

    def _read(self, entry_id: int, opened: bool, entry: Entry | None) -> None:
        if self._loading != (entry_id, opened):
            return  # closed, or another article was asked for since
        self._loading = None
        screen = self._screen
        if not opened:
            if screen.entry_list.current_id == entry_id and screen.layout_mode == "wide":
                self._show(entry, opened=False)
        elif entry is None:
            self.close()
        else:
            if not entry.read:
                screen.marks.set_flags(entry, read=True)
                entry = replace(entry, read=True)
            self._show(entry, opened=True)

    def _show(self, entry: Entry | None, *, opened: bool = False) -> None:
        screen = self._screen
        if entry is None:
            screen.article.show(None, note=screen.lists.empty_note())
        else:
            screen.article.show(entry, terms=screen.view.terms)
        self.full_text.shown(entry, opened=opened)
