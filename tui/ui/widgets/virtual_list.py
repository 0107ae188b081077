"""A keyboard list that draws only the rows on screen, for lists of any length."""

from __future__ import annotations

from collections.abc import Hashable
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class VirtualList(ScrollView, can_focus=True):
    """Rows are drawn on demand by ``render_row``; nothing per row is built ahead.

    Subclasses give the row count (``set_row_count``) and draw a row; this class moves
    the cursor, scrolls, and calls ``cursor_moved`` / ``row_chosen`` (Enter or a click).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", id="down", show=False),
        Binding("k,up", "cursor_up", "Up", id="up", show=False),
        Binding("g,home", "cursor_top", "Top", id="top", show=False),
        Binding("G,end", "cursor_bottom", "Bottom", id="bottom", show=False),
        Binding("pagedown,space", "cursor_page_down", "Page down", id="page_down", show=False),
        Binding("pageup,b", "cursor_page_up", "Page up", id="page_up", show=False),
        Binding("enter", "choose", "Open", id="open", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"virtual-list--cursor"}

    DEFAULT_CSS = """
    VirtualList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .virtual-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .virtual-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self._rows = 0
        self._cursor = 0
        # Drawn rows by what they show: scrolling one line redraws every row on screen,
        # and a row costs more to draw (width-aware fitting, segments) than to look up.
        self._drawn: LRUCache[Hashable, Strip] = LRUCache(1024)
        # The base style, the cursor's and ``shared_key``, looked up once per frame rather
        # than once per row: style lookups walk the DOM, and a scrolled list redraws every row.
        self._frame: tuple[Style, Style, Hashable] | None = None
        self._empty_text = ""

    @property
    def empty_text(self) -> str:
        return self._empty_text

    def set_empty_text(self, text: str) -> None:
        """What the list says while it has no rows (plain text, cleaned by the caller)."""
        if text != self._empty_text:
            self._empty_text = text
            self.refresh()

    # what subclasses provide -----------------------------------------------------------

    def render_row(self, index: int, width: int) -> Text:
        """Row ``index`` as ``width`` cells of plain-string-built ``Text``."""
        raise NotImplementedError

    def shared_key(self) -> Hashable:
        """What every row's drawing depends on besides its own data (styles, the day...)."""
        return None

    def row_key(self, index: int) -> Hashable | None:
        """What row ``index`` shows: its drawing is reused while this and ``shared_key``
        hold. None (the default) draws the row every time."""
        return None

    def is_selectable(self, index: int) -> bool:
        """Rows that are not selectable (headings) are skipped by the cursor."""
        return True

    def cursor_moved(self, index: int) -> None:
        """Called after the cursor lands on a new row."""

    def row_chosen(self, index: int) -> None:
        """Called on Enter or a click."""

    # state -----------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return self._rows

    @property
    def cursor(self) -> int:
        return self._cursor

    def set_row_count(self, rows: int) -> None:
        """Change the length; the caller moves the cursor afterwards if it should move."""
        self._rows = rows
        self.virtual_size = Size(0, rows)
        self._cursor = max(0, min(self._cursor, rows - 1))
        self.refresh()

    def move_cursor(
        self, index: int, *, direction: int = 1, notify: bool = True, scroll: bool = True
    ) -> None:
        """Put the cursor on ``index`` (or the next selectable row in ``direction``);
        ``scroll`` brings it into view."""
        if self._rows == 0:
            self._cursor = 0
            return
        index = self._selectable_from(max(0, min(index, self._rows - 1)), direction)
        old = self._cursor
        self._cursor = index
        self._refresh_row(old)
        self._refresh_row(index)
        if scroll:
            self.scroll_to_region(
                Region(0, index, 1, 1), animate=False, force=True, immediate=True, x_axis=False
            )
        if notify:
            self.cursor_moved(index)

    def _selectable_from(self, index: int, direction: int) -> int:
        step = 1 if direction >= 0 else -1
        probe = index
        while 0 <= probe < self._rows:
            if self.is_selectable(probe):
                return probe
            probe += step
        probe = index - step
        while 0 <= probe < self._rows:
            if self.is_selectable(probe):
                return probe
            probe -= step
        return index

    def _refresh_row(self, index: int) -> None:
        y = index - int(self.scroll_offset.y)
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def refresh_rows(self) -> None:
        """Redraw every visible row (after the data behind them changed)."""
        self.refresh()

    def redraw(self) -> None:
        """Draw every row again, even those whose data did not change (how text is shown did)."""
        self._drawn.clear()
        self.refresh()

    # drawing ---------------------------------------------------------------------------

    def _frame_context(self) -> tuple[Style, Style, Hashable]:
        base = self.rich_style
        cursor = base + self.get_component_rich_style("virtual-list--cursor")
        return base, cursor, self.shared_key()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame = self._frame_context()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        scroll_y = int(self.scroll_offset.y)
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base, cursor, shared = self._frame or self._frame_context()
        if index >= self._rows or width <= 0:
            if index == 0 and self._empty_text and width > 0:
                empty = Text(" " + self._empty_text, style="italic", end="")
                return Strip(list(empty.render(self.app.console))).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        style: Style = cursor if index == self._cursor else base
        row_key = self.row_key(index)
        key = None if row_key is None else (row_key, shared, width, style)
        if key is not None:
            drawn = self._drawn.get(key)
            if drawn is not None:
                return drawn
        text = self.render_row(index, width)
        segments = [
            Segment(seg.text, style + seg.style if seg.style else style, seg.control)
            for seg in text.render(self.app.console)
            if seg.text and seg.text != "\n"
        ]
        strip = Strip(segments).adjust_cell_length(width, style)
        if key is not None:
            self._drawn[key] = strip
        return strip

    # keys and mouse --------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1, direction=1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1, direction=-1)

    def action_cursor_top(self) -> None:
        self.move_cursor(0, direction=1)

    def action_cursor_bottom(self) -> None:
        self.move_cursor(self._rows - 1, direction=-1)

    def action_cursor_page_down(self) -> None:
        self.move_cursor(self._cursor + max(1, self.size.height - 1), direction=1)

    def action_cursor_page_up(self) -> None:
        self.move_cursor(self._cursor - max(1, self.size.height - 1), direction=-1)

    def action_choose(self) -> None:
        if 0 <= self._cursor < self._rows and self.is_selectable(self._cursor):
            self.row_chosen(self._cursor)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = int(self.scroll_offset.y) + offset.y
        if 0 <= index < self._rows and self.is_selectable(index):
            event.stop()
            self.focus()
            self.move_cursor(index)
            self.row_chosen(index)

    def on_resize(self, event: events.Resize) -> None:
        self.refresh()
