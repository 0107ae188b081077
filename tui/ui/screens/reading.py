"""Reading: next/previous unread, opening links, marking read and starred.

The keys are bound in ``main.py``; this layer holds what they do to entries.
"""

from __future__ import annotations

from dataclasses import replace

from tui.core.text.sanitize import clean_line
from tui.ui.browser import BrowserError, open_in_browser
from tui.ui.links import entry_links
from tui.ui.screens.panes import PanesScreen


class ReadingScreen(PanesScreen):
    """Actions on entries: the one under the cursor, or the open article."""

    def action_next_unread(self) -> None:
        self._jump_to_unread(1)

    def action_previous_unread(self) -> None:
        self._jump_to_unread(-1)

    def _jump_to_unread(self, step: int) -> None:
        """The next unread entry below (or above) the cursor; then in the next feeds."""
        entries = self.entry_list
        unread = self.service.entry_ids(replace(self.view.entry_filter, unread_only=True))
        positions = [p for p in map(entries.index_of, unread) if p is not None]
        here = entries.cursor
        after = [p for p in positions if (p > here if step > 0 else p < here)]
        if after:
            self._land_on(entries.ids[min(after) if step > 0 else max(after)])
            return
        if self.view.kind == "feed" and self._next_feed_with_unread(step):
            return
        self.app.notify("No more unread entries", timeout=2)

    def _next_feed_with_unread(self, step: int) -> bool:
        rows = self.feed_list.rows
        start = self.feed_list.cursor + step
        indices = range(start, len(rows)) if step > 0 else range(start, -1, -1)
        for index in indices:
            row = rows[index]
            if row.view is None or row.view.kind != "feed" or row.count == 0:
                continue
            unread = self.service.entry_ids(replace(row.view.entry_filter, unread_only=True))
            if not unread:
                continue
            self.show_view(row.view)
            self._land_on(unread[0] if step > 0 else unread[-1])
            return True
        return False

    def _land_on(self, entry_id: int) -> None:
        if self.article_open:
            self.open_entry(entry_id)
            return
        index = self.entry_list.index_of(entry_id)
        if index is not None:
            self.entry_list.move_cursor(index)

    def action_open_in_browser(self) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        if self._open_url(entry.link, base=entry.feed_url) and not entry.read:
            self.set_flags(entry, read=True)

    def action_open_link(self, number: int) -> None:
        entry = self.article.entry
        if entry is None:
            return
        links = entry_links(entry)
        if not 1 <= number <= len(links):
            self.app.notify(f"This article has no link [{number}]", markup=False, timeout=2)
            return
        self._open_url(links[number - 1])

    def _open_url(self, url: str | None, *, base: str | None = None) -> bool:
        try:
            opened = open_in_browser(url, configured=self.service.config.browser, base=base)
        except BrowserError as exc:
            self.app.notify(clean_line(str(exc)), severity="error", markup=False)
            return False
        self.app.notify(clean_line(f"Opened {opened}"), markup=False, timeout=3)
        return True

    # marking ---------------------------------------------------------------------------

    def action_toggle_read(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self.set_flags(entry, read=not entry.read)

    def action_toggle_star(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self.set_flags(entry, starred=not entry.starred)

    def action_mark_all_read(self) -> None:
        entry_filter = self.view.entry_filter

        def write() -> str:
            count = self.service.mark_all_read(entry_filter)
            return f"Marked {count:,} entries read"

        self.write_marks(write, None)
