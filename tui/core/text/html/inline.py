"""The inline half of the tree builder: the text run being built, its styles and line breaks.

Text arrives in pieces between tags; this keeps one buffer per run (a paragraph, a heading,
a cell) with the style spans over it, and hands the run to the frame that owns it when a
block boundary ends it. Every piece of text has passed ``chars.clean_text`` first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.text.html.blocks import Block, Heading, Paragraph, Span
from tui.core.text.html.chars import EDGE_SPACE, ORPHAN_MARKER, collapse, is_line_joined
from tui.core.text.html.elements import K_PARA, STYLE_NAMES
from tui.core.text.html.frames import (
    CellFrame,
    Container,
    Frame,
    HeadingFrame,
    ListFrame,
    Open,
)
from tui.core.text.html.ruby import RubyCollector
from tui.core.text.ruby import ruby_text

if TYPE_CHECKING:
    from tui.core.text.ruby import RubyMode


class InlineText:
    """The state of the pass, the stack primitives and the inline text buffer."""

    def __init__(self, base_url: str | None, ruby: RubyMode = "show") -> None:
        self._base = base_url
        self._ruby_mode: RubyMode = ruby
        self._ruby: RubyCollector | None = None  # the open ruby element's pairs
        self._root = Container("root", [])
        self._stack: list[Open] = []
        self._frames: list[Frame] = [self._root]
        self._frame_entries: list[Open | None] = [None]  # the element that opened each frame
        # The innermost Container or ListFrame at each depth of _frames: text goes there, and
        # finding it by walking the frames costs the nesting depth a run of text.
        self._owners: list[Container | ListFrame] = [self._root]
        self._counts: dict[str, int] = {}
        self._depth = 0  # real (non-ghost) quote and list frames
        self._skip = 0  # open elements whose content is dropped
        self._pre = 0
        self._paragraphs = 0  # open <p>: the blank-line heuristic stays off inside them
        self._nested_tables = 0  # tables inside a cell are flattened into its text
        self._media: list[Open] = []  # open media elements still waiting for a source URL
        # inline buffer
        self._buf: list[str] = []
        self._len = 0
        self._last = ""
        self._pending = False
        self._pending_nl = False
        self._spans: list[Span] = []
        self._style_count = dict.fromkeys(STYLE_NAMES, 0)
        self._style_start: dict[str, int | None] = dict.fromkeys(STYLE_NAMES)
        self._link_url: str | None = None
        self._link_number: int | None = None
        self._link_start: int | None = None
        self._link_open = False
        self._waiting = False  # styles or a link that start at the next text
        # links
        self.links: list[str] = []
        self._link_ids: dict[str, int] = {}

    # --- stack ---

    def _push(self, entry: Open) -> None:
        self._stack.append(entry)
        self._counts[entry.tag] = self._counts.get(entry.tag, 0) + 1
        if entry.frame is not None:
            self._frames.append(entry.frame)
            self._frame_entries.append(entry)
            frame = entry.frame
            owner = frame if isinstance(frame, Container | ListFrame) else self._owners[-1]
            self._owners.append(owner)

    def _pop_frame(self) -> None:
        self._frames.pop()
        self._frame_entries.pop()
        self._owners.pop()

    def _pop_to(self, entry: Open) -> None:
        while self._stack:
            if self._pop() is entry:
                return

    def _open_entry(self, frame_type: type) -> Open | None:
        """The element that opened the innermost frame, if that frame is of this type."""
        if isinstance(self._frames[-1], frame_type):
            return self._frame_entries[-1]
        return None

    def _pop(self) -> Open:
        """Close the innermost open element; the structure builder knows what each kind undoes."""
        raise NotImplementedError

    def _close_open_paragraph(self) -> None:
        if not self._paragraphs:
            return
        stop = self._frame_entries[-1]
        for entry in reversed(self._stack):
            if entry is stop:
                return
            if entry.kind == K_PARA:
                self._pop_to(entry)
                return

    def _container_blocks(self) -> list[Block]:
        owner = self._owners[-1]
        return owner.blocks if isinstance(owner, Container) else owner.last_item()

    # --- inline content ---

    def _blank_lines_split(self) -> bool:
        # Feeds often carry text paragraphs separated only by blank lines, with no <p>.
        return not self._paragraphs and isinstance(self._frames[-1], Container | ListFrame)

    def _text(self, data: str) -> None:
        stripped = data.strip(" \t\n")
        if not stripped:
            if data:
                self._pending = True
                self._pending_nl = self._pending_nl or "\n" in data
            return
        lead = len(data) - len(data.lstrip(" \t\n"))
        lead_nl = "\n" in data[:lead]
        stripped = collapse(stripped)
        if self._len and self._last != "\n" and (self._pending or lead):
            newline = self._pending_nl or lead_nl
            if not (newline and is_line_joined(self._last) and is_line_joined(stripped[0])):
                self._buf.append(" ")
                self._len += 1
        if self._waiting:
            self._start_styles()
        self._buf.append(stripped)
        self._len += len(stripped)
        self._last = stripped[-1]
        trail = data[len(data.rstrip(" \t\n")) :]
        self._pending = bool(trail)
        self._pending_nl = "\n" in trail

    def _start_styles(self) -> None:
        self._waiting = False
        starts = self._style_start
        for name in STYLE_NAMES:
            if self._style_count[name] and starts[name] is None:
                starts[name] = self._len
        if self._link_open and self._link_start is None:
            self._link_start = self._len
            if self._link_url is not None and self._link_number is None:
                self._link_number = self._number(self._link_url)

    def _style_open(self, style: str) -> None:
        self._style_count[style] += 1
        self._waiting = True

    def _style_close(self, style: str) -> None:
        self._style_count[style] -= 1
        if self._style_count[style] == 0:
            start = self._style_start[style]
            if start is not None and self._len > start:
                self._spans.append(Span(start, self._len, style))
            self._style_start[style] = None

    def _ruby_open(self) -> None:
        if self._ruby is None:
            self._ruby = RubyCollector()
        self._push(Open("ruby"))

    def _ruby_closed(self) -> None:
        """A ruby element left the stack: the outermost one adds its text as one unit."""
        if self._counts.get("ruby") or self._ruby is None:
            return
        text, _ = ruby_text(self._ruby.pairs(), self._ruby_mode)
        self._ruby = None
        if text.strip():
            self._text(text)
            end = self._len
            self._spans.append(Span(end - len(self._buf[-1]), end, "ruby"))

    def _number(self, url: str) -> int:
        number = self._link_ids.get(url)
        if number is None:
            self.links.append(url)
            number = self._link_ids[url] = len(self.links)
        return number

    def _append_raw(self, text: str) -> None:
        self._buf.append(text)
        self._len += len(text)
        self._last = text[-1]
        self._pending = self._pending_nl = False

    def _line_break(self) -> None:
        if self._pre:
            self._append_raw("\n")
            return
        top = self._frames[-1]
        if isinstance(top, CellFrame | HeadingFrame):
            self._pending = True
            return
        if not self._len:
            return
        if self._last == "\n":
            self._flush()  # <br><br>: the feed's way of starting a paragraph
            return
        self._append_raw("\n")

    def _boundary(self) -> None:
        if self._pre:
            if self._len and self._last != "\n":
                self._append_raw("\n")
            return
        if isinstance(self._frames[-1], CellFrame | HeadingFrame):
            self._pending = True
            return
        self._flush()

    def _reset_buffer(self) -> None:
        self._buf = []
        self._len = 0
        self._last = ""
        self._pending = self._pending_nl = False
        self._spans = []

    def _flush(self) -> None:
        """End the current run of inline text and hand it to the frame that owns it."""
        if self._pre:
            return
        if not self._len:
            self._pending = self._pending_nl = False
            return
        text = "".join(self._buf)
        spans = self._spans
        end = self._len
        for name in STYLE_NAMES:
            start = self._style_start[name]
            if start is not None:
                if end > start:
                    spans.append(Span(start, end, name))
                self._style_start[name] = None
        if self._link_start is not None:
            if end > self._link_start and self._link_number is not None:
                spans.append(Span(self._link_start, end, "link", self._link_number))
            self._link_start = None
        self._waiting = self._link_open or any(self._style_count.values())
        self._reset_buffer()
        if not text:
            return
        owner = self._frames[-1]
        if isinstance(owner, CellFrame):
            owner.parts.append(text.replace("\n", " ").strip(EDGE_SPACE))
            return
        left = len(text) - len(text.lstrip(EDGE_SPACE))
        text = text.strip(EDGE_SPACE)
        if not text or ORPHAN_MARKER.fullmatch(text):
            return
        if left or spans:
            size = len(text)
            spans = sorted(
                (
                    Span(max(0, s.start - left), min(size, s.end - left), s.style, s.link)
                    for s in spans
                    if min(size, s.end - left) > max(0, s.start - left)
                ),
                key=lambda s: (s.start, -s.end),
            )
        if isinstance(owner, HeadingFrame):
            self._container_blocks().append(Heading(owner.level, text, tuple(spans)))
        else:
            self._container_blocks().append(Paragraph(text, tuple(spans)))
