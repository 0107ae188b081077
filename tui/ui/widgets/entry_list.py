"""The entry list: a virtual list over entry ids, drawing rows from a small page cache."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.message import Message

from tui.core.models import Entry
from tui.ui.render import ASCII_MARKERS, Markers, RowStyles, ShowText, as_sent, entry_row
from tui.ui.widgets.virtual_list import VirtualList

FetchEntries = Callable[[Sequence[int]], list[Entry]]
Clock = Callable[[], datetime]

_CACHE_LIMIT = 2000


class EntryList(VirtualList):
    """Shows the entries whose ids it is given; fetches only the rows on screen."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-list--cursor",
        "entry-list--unread",
        "entry-list--read",
        "entry-list--marker",
        "entry-list--star",
        "entry-list--date",
        "entry-list--feed",
        "entry-list--match",
    }

    DEFAULT_CSS = """
    EntryList {
        & > .entry-list--unread { text-style: bold; }
        & > .entry-list--read { color: $text-muted; }
        & > .entry-list--marker { color: $accent; }
        & > .entry-list--star { color: $warning; }
        & > .entry-list--date { color: $text-muted; }
        & > .entry-list--feed { color: $secondary; }
        & > .entry-list--match { background: $warning 40%; }
    }
    """

    class EntryHighlighted(Message):
        """The cursor moved to ``entry_id`` (None: the list is empty)."""

        def __init__(self, entry_list: EntryList, entry_id: int | None) -> None:
            super().__init__()
            self.entry_list = entry_list
            self.entry_id = entry_id

        @property
        def control(self) -> EntryList:
            return self.entry_list

    class EntrySelected(Message):
        """Enter or a click on ``entry_id``: open it."""

        def __init__(self, entry_list: EntryList, entry_id: int) -> None:
            super().__init__()
            self.entry_list = entry_list
            self.entry_id = entry_id

        @property
        def control(self) -> EntryList:
            return self.entry_list

    def __init__(
        self,
        fetch: FetchEntries,
        *,
        clock: Clock,
        ascii_markers: bool = False,
        show: ShowText = as_sent,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._fetch = fetch
        self._show = show
        self._clock = clock
        self._markers = ASCII_MARKERS if ascii_markers else Markers()
        self._ids: list[int] = []
        self._positions: dict[int, int] | None = None
        self._cache: dict[int, Entry] = {}
        self._pending: set[int] = set()
        self._generation = 0
        self.show_feed = True
        self.terms: tuple[str, ...] = ()
        """A search's words, highlighted in the rows."""
        # Entry id -> (read, starred, writes queued) for marks not yet in the store.
        self._marks: dict[int, tuple[bool | None, bool | None, int]] = {}
        self.load_in_background = False
        """Set while the store is busy (a refresh): rows are then read by a thread, so the
        event loop never waits for the store's lock."""

    # data ------------------------------------------------------------------------------

    @property
    def ids(self) -> Sequence[int]:
        return self._ids

    @property
    def current_id(self) -> int | None:
        if 0 <= self.cursor < len(self._ids):
            return self._ids[self.cursor]
        return None

    def set_ids(
        self,
        ids: list[int],
        *,
        show_feed: bool,
        cursor_id: int | None = None,
        index: int = 0,
        page: Sequence[Entry] | None = None,
        keep_screen_row: bool = False,
    ) -> None:
        """Show ``ids`` (newest first); put the cursor on ``cursor_id`` if it is there, else
        on row ``index``. ``page``: rows already read, so drawing them needs no query.
        ``keep_screen_row``: the cursor stays on the same screen line (entries arriving
        above it scroll the list instead of moving it)."""
        screen_row = self.cursor - int(self.scroll_offset.y)
        visible = keep_screen_row and 0 <= screen_row < self.size.height
        self._ids = ids
        self._positions = None
        self._generation += 1
        self._pending.clear()
        self._cache.clear()
        self._store_page(page or ())
        self.show_feed = show_feed
        self.set_row_count(len(ids))
        target = index
        if cursor_id is not None:
            with contextlib.suppress(ValueError):
                target = ids.index(cursor_id)
        self.move_cursor(target, notify=False, scroll=not visible)
        if visible:
            self.scroll_to(y=max(0, target - screen_row), animate=False, immediate=True)
        self.post_message(self.EntryHighlighted(self, self.current_id))

    @property
    def cached_rows(self) -> int:
        """Rows read from the service and kept; stays small however long the list is."""
        return len(self._cache)

    def index_of(self, entry_id: int | None) -> int | None:
        if entry_id is None:
            return None
        if self._positions is None:
            self._positions = {entry_id: i for i, entry_id in enumerate(self._ids)}
        return self._positions.get(entry_id)

    def entry_at(self, index: int) -> Entry | None:
        """The light entry at row ``index``, fetched with the rows around it when missing.

        While ``load_in_background`` is set, a missing row is fetched by a thread worker
        and this returns None for now; the row is drawn when it arrives.
        """
        if not 0 <= index < len(self._ids):
            return None
        entry_id = self._ids[index]
        entry = self._cache.get(entry_id)
        if entry is None:
            wanted = self._page_around(index)
            if self.load_in_background:
                self._request(wanted)
                return None
            self._store_page(self._fetch(wanted))
            entry = self._cache.get(entry_id)
        return entry

    def _page_around(self, index: int) -> list[int]:
        page = max(64, self.size.height * 2)
        start = max(0, index - page // 4)
        return [i for i in self._ids[start : start + page] if i not in self._cache]

    def _store_page(self, entries: Sequence[Entry]) -> None:
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        for entry in entries:
            self._cache[entry.id] = self._as_marked(entry)

    def _as_marked(self, entry: Entry) -> Entry:
        """``entry`` with the marks not yet written over it (a row read from the store
        while a write of its state was still queued would show the old state)."""
        marked = self._marks.get(entry.id)
        if marked is None:
            return entry
        read, starred, _writes = marked
        return replace(
            entry,
            read=entry.read if read is None else read,
            starred=entry.starred if starred is None else starred,
        )

    def mark(self, entry_id: int, *, read: bool | None = None, starred: bool | None = None) -> None:
        """Show a state being written: it holds over rows read meanwhile until the write
        is done (``marked``)."""
        old_read, old_starred, writes = self._marks.get(entry_id, (None, None, 0))
        self._marks[entry_id] = (
            old_read if read is None else read,
            old_starred if starred is None else starred,
            writes + 1,
        )
        cached = self._cache.get(entry_id)
        if cached is not None:
            self._cache[entry_id] = self._as_marked(cached)
        self.refresh_rows()

    def marked(self, entry_ids: Sequence[int], *, failed: bool = False) -> None:
        """A write begun by ``mark`` is done; ``failed``: show what the store holds."""
        for entry_id in entry_ids:
            marked = self._marks.get(entry_id)
            if marked is None:
                continue
            read, starred, writes = marked
            if writes > 1 and not failed:
                self._marks[entry_id] = (read, starred, writes - 1)
            else:
                del self._marks[entry_id]
        if failed:
            self.forget(entry_ids)

    def _request(self, wanted: list[int]) -> None:
        if not wanted or wanted[0] in self._pending:
            return
        self._pending.update(wanted)
        generation = self._generation
        self.run_worker(
            partial(self._fetch_in_thread, wanted, generation),
            thread=True,
            group="entry-pages",
            exit_on_error=False,
        )

    def _fetch_in_thread(self, wanted: list[int], generation: int) -> None:
        entries = self._fetch(wanted)
        self.app.call_from_thread(self._page_arrived, wanted, entries, generation)

    def _page_arrived(self, wanted: list[int], entries: list[Entry], generation: int) -> None:
        self._pending.difference_update(wanted)
        # Rows read before the list changed (or was marked read) may be stale: drop them.
        if generation == self._generation:
            self._store_page(entries)
            self.refresh_rows()

    def forget(self, entry_ids: Sequence[int] | None = None) -> None:
        """Drop cached rows so they are fetched again (all when ``entry_ids`` is None)."""
        self._generation += 1
        self._pending.clear()
        if entry_ids is None:
            self._cache.clear()
        else:
            for entry_id in entry_ids:
                self._cache.pop(entry_id, None)
        self.refresh_rows()

    # drawing and events ----------------------------------------------------------------

    def shared_key(self) -> Hashable:
        # Dates of today show the time, others the date: the day is what the clock changes.
        today = self._clock().astimezone().date()
        return (today, self.show_feed, self.terms, self._markers, self._row_styles())

    def row_key(self, index: int) -> Hashable | None:
        return self.entry_at(index)

    def render_row(self, index: int, width: int) -> Text:
        entry = self.entry_at(index)
        if entry is None:
            return Text(" " * width, end="")
        return entry_row(
            entry,
            width,
            now=self._clock(),
            show_feed=self.show_feed,
            styles=self._row_styles(),
            markers=self._markers,
            terms=self.terms,
            show=self._show,
        )

    def _row_styles(self) -> RowStyles:
        style = self.get_component_rich_style
        return RowStyles(
            unread=style("entry-list--unread", partial=True),
            read=style("entry-list--read", partial=True),
            marker=style("entry-list--marker", partial=True),
            star=style("entry-list--star", partial=True),
            date=style("entry-list--date", partial=True),
            feed=style("entry-list--feed", partial=True),
            match=style("entry-list--match", partial=True),
        )

    def cursor_moved(self, index: int) -> None:
        self.post_message(self.EntryHighlighted(self, self.current_id))

    def row_chosen(self, index: int) -> None:
        entry_id = self.current_id
        if entry_id is not None:
            self.post_message(self.EntrySelected(self, entry_id))
