"""The structural half of the tree builder: blocks, quotes, lists, tables and preformatted text.

Browsers' tolerance rules live here: implicit closes (a new ``<li>`` ends the open one, a
cell ends the open cell), tables inside cells flattened into the cell's text, quotes and
lists deeper than ``MAX_NESTING`` merged into their ancestor so layout recursion stays
bounded, and a frame stack instead of recursion so no input can exhaust the Python stack.
"""

from __future__ import annotations

from tui.core.text.html.blocks import ListBlock, Preformatted, Quote, Rule, Table
from tui.core.text.html.elements import (
    K_BODY,
    K_BOUNDARY,
    K_CELL,
    K_HEADING,
    K_ITEM,
    K_LINK,
    K_LIST,
    K_MEDIA,
    K_PARA,
    K_PRE,
    K_QUOTE,
    K_ROW,
    K_SKIP,
    K_TABLE,
    K_TERM,
    K_TSECTION,
    MAX_COLSPAN,
    MAX_NESTING,
    attr,
    int_attr,
    is_hidden,
)
from tui.core.text.html.frames import (
    CellFrame,
    Container,
    Frame,
    HeadingFrame,
    ListFrame,
    Open,
    PreFrame,
    RowFrame,
    TableFrame,
)
from tui.core.text.html.links import LinkedContent
from tui.core.text.html.tokenizer import Attrs


class StructureBuilder(LinkedContent):
    """Opening and closing block-level elements: the frames and the blocks they make."""

    def _pop(self) -> Open:
        entry = self._stack.pop()
        self._counts[entry.tag] -= 1
        kind = entry.kind
        if kind == K_SKIP:
            self._skip -= 1
        elif kind == K_MEDIA:
            self._skip -= 1
            if self._media and self._media[-1] is entry:
                self._media.pop()
        if entry.style is not None:
            self._style_close(entry.style)
        if kind == K_LINK:
            self._link_close()
        elif entry.tag == "ruby":
            self._ruby_closed()
        elif kind == K_PARA:
            self._paragraphs -= 1
        elif kind == K_TABLE and entry.frame is None:
            self._nested_tables -= 1
        if entry.frame is not None:
            self._close_frame(entry.frame)
        elif entry.boundary:
            self._boundary()
        return entry

    # --- structure ---

    def _start_structural(self, tag: str, kind: int, attrs: Attrs) -> None:
        top = self._frames[-1]
        # Cells and headings hold one line of text: structure inside them is a space.
        inline_owner = isinstance(top, CellFrame | HeadingFrame)
        if kind == K_LINK:
            self._start_link(tag, attrs)
            return
        if kind == K_MEDIA:
            media = Open(tag, K_MEDIA)
            self._skip += 1
            self._push(media)
            url = attr(attrs, "data" if tag == "object" else "src")
            if url:
                self._media_line(url, "audio" if tag == "audio" else "video")
            else:
                self._media.append(media)
            return
        if kind in (K_TABLE, K_ROW, K_CELL, K_TSECTION):
            self._start_table_part(tag, kind, attrs)
            return
        if kind == K_HEADING and isinstance(top, HeadingFrame):
            heading = self._open_entry(HeadingFrame)
            if heading is not None:
                self._pop_to(heading)
            inline_owner = isinstance(self._frames[-1], CellFrame)
        if kind == K_PRE:
            self._close_open_paragraph()
            self._flush()
            self._pre += 1
            self._push(Open(tag, kind, frame=PreFrame()))
            return
        if inline_owner or kind in (K_BOUNDARY, K_BODY, K_TERM):
            if tag == "p" or kind == K_TERM:
                self._close_open_paragraph()
            self._boundary()
            if tag == "p":
                entry = Open(tag, K_PARA, boundary=True)
                self._paragraphs += 1
            else:
                entry = Open(tag, boundary=True)
            if kind == K_TERM and not inline_owner:
                entry.style = "strong"
                self._style_open("strong")
            self._push(entry)
            return
        self._close_open_paragraph()
        self._boundary()
        if kind == K_HEADING:
            self._push(Open(tag, kind, frame=HeadingFrame(int(tag[1]))))
        elif kind == K_QUOTE:
            ghost = self._depth >= MAX_NESTING
            self._depth += not ghost
            frame = Container("quote", self._container_blocks() if ghost else [], ghost)
            self._push(Open(tag, kind, frame=frame))
        elif kind == K_LIST:
            ghost = self._depth >= MAX_NESTING
            self._depth += not ghost
            start = int_attr(attr(attrs, "start"), 1, -(10**9), 10**9)
            target = self._container_blocks() if ghost else None
            self._push(Open(tag, kind, frame=ListFrame(tag == "ol", start, target)))
        elif kind == K_ITEM:
            self._start_item(tag)

    def _start_item(self, tag: str) -> None:
        open_item = self._open_entry(Container)
        if open_item is not None and open_item.tag == "li":
            self._pop_to(open_item)
        top = self._frames[-1]
        if not isinstance(top, ListFrame):
            # A stray <li> outside any list renders as a plain block.
            self._push(Open(tag, boundary=True))
            return
        if top.ghost_target is not None:
            self._push(Open(tag, K_ITEM, frame=Container("item", top.ghost_target, True)))
            return
        top.items.append([])
        self._push(Open(tag, K_ITEM, frame=Container("item", top.items[-1])))

    def _start_table_part(self, tag: str, kind: int, attrs: Attrs) -> None:
        top = self._frames[-1]
        if self._nested_tables or (kind == K_TABLE and isinstance(top, CellFrame | HeadingFrame)):
            # A table inside a cell becomes part of that cell's text.
            self._boundary()
            if kind == K_TABLE:
                self._nested_tables += 1
                self._push(Open(tag, K_TABLE, boundary=True))
            else:
                self._push(Open(tag, boundary=True))
            return
        if kind == K_TABLE:
            self._close_open_paragraph()
            self._boundary()
            self._push(Open(tag, kind, frame=TableFrame()))
            return
        table_entry = self._innermost_table()
        if table_entry is None:
            # Table parts outside a table are ignored by browsers.
            self._push(Open(tag))
            return
        # Close the cells, rows and sections that the new part implicitly ends.
        while self._stack and self._stack[-1] is not table_entry:
            top_entry = self._stack[-1]
            if kind == K_CELL and isinstance(top_entry.frame, RowFrame):
                break
            if kind == K_ROW and top_entry.kind == K_TSECTION:
                break
            self._pop()
        self._boundary()  # text loose in the table goes before it, as browsers do
        in_thead = self._counts.get("thead", 0) > 0
        if kind == K_ROW:
            self._push(Open(tag, kind, frame=RowFrame(in_thead)))
        elif kind == K_CELL:
            if not isinstance(self._frames[-1], RowFrame):
                self._push(Open("", K_ROW, frame=RowFrame(in_thead)))
            colspan = int_attr(attr(attrs, "colspan"), 1, 1, MAX_COLSPAN)
            self._push(Open(tag, kind, frame=CellFrame(tag == "th", colspan)))
        else:
            self._push(Open(tag, kind, boundary=tag == "caption"))

    def _innermost_table(self) -> Open | None:
        for index in range(len(self._frames) - 1, 0, -1):
            frame = self._frames[index]
            if isinstance(frame, TableFrame):
                return self._frame_entries[index]
            if isinstance(frame, Container | ListFrame | HeadingFrame | PreFrame):
                return None
        return None

    def _close_frame(self, frame: Frame) -> None:
        if isinstance(frame, PreFrame):
            text = "".join(self._buf)
            self._reset_buffer()
            self._pre -= 1
            self._pop_frame()
            text = text.lstrip("\n").rstrip()
            if text:
                self._container_blocks().append(Preformatted(text))
            return
        self._flush()
        self._pop_frame()
        if isinstance(frame, Container):
            if frame.kind == "quote" and not frame.ghost:
                self._depth -= 1
                if frame.blocks:
                    self._container_blocks().append(Quote(tuple(frame.blocks)))
        elif isinstance(frame, ListFrame):
            if frame.ghost_target is None:
                self._depth -= 1
                items = tuple(tuple(item) for item in frame.items if item)
                if items:
                    self._container_blocks().append(ListBlock(frame.ordered, frame.start, items))
        elif isinstance(frame, CellFrame):
            row = self._frames[-1]
            if isinstance(row, RowFrame):
                text = " ".join(part for part in frame.parts if part)
                row.cells.append(text)
                row.headers.append(frame.header)
                for _ in range(frame.colspan - 1):
                    row.cells.append("")
                    row.headers.append(frame.header)
        elif isinstance(frame, RowFrame):
            table = self._frames[-1]
            if isinstance(table, TableFrame) and any(frame.cells):
                table.rows.append(frame.cells)
                table.header_rows.append(frame.in_thead or all(frame.headers))
        elif isinstance(frame, TableFrame):
            table_block = finish_table(frame)
            if table_block is not None:
                self._container_blocks().append(table_block)

    def _void(self, tag: str, attrs: Attrs) -> None:
        if tag == "br":
            self._line_break()
        elif tag == "hr":
            if self._pre:
                self._boundary()
            elif not isinstance(self._frames[-1], CellFrame):
                self._close_open_paragraph()
                self._boundary()
                self._container_blocks().append(Rule())
        elif tag == "img":
            if not is_hidden(attrs):
                self._image(attrs)
        elif tag == "embed":
            self._media_line(attr(attrs, "src"), "video")


def finish_table(frame: TableFrame) -> Table | None:
    """Rows padded to one length, columns that are empty everywhere (gutters) dropped."""
    rows = frame.rows  # rows without any text never got here
    if not rows:
        return None
    columns = max(len(row) for row in rows)
    padded = [row + [""] * (columns - len(row)) for row in rows]
    keep = [c for c in range(columns) if any(row[c] for row in padded)]
    table_rows = tuple(tuple(row[c] for c in keep) for row in padded)
    return Table(table_rows, frame.header_rows[0] and len(table_rows) > 1)
