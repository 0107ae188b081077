"""Article HTML (or plain text) -> neutral blocks that the layout engine typesets.

Feed HTML is broken, junk-laden and hostile, so the converter is a single forward pass over
the stdlib tokenizer with an explicit element stack: it never recurses, nesting of
quotes and lists deeper than ``MAX_NESTING`` is flattened, every piece of text goes through
``strip_controls`` and every URL through ``safe_url``. Longer than the house ~300 lines
because the browser's tolerance rules (implicit closes, foster parenting, hidden content)
only make sense together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from typing import TypeAlias
from urllib.parse import unquote, urlsplit

from tui.core.text.sanitize import clean_line, limit_marks, safe_url, strip_controls

# Deeper quotes/lists are merged into their ancestor: layout recursion stays bounded.
MAX_NESTING = 32
_MAX_COLSPAN = 32


@dataclass(frozen=True, slots=True)
class Span:
    """A style over ``text[start:end]``; ``style`` is strong, em, code or link.

    For links ``link`` is the 1-based number of the URL in ``Document.links``.
    """

    start: int
    end: int
    style: str
    link: int | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Inline text; ``\\n`` inside ``text`` is a hard line break (``<br>``)."""

    text: str
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True, slots=True)
class Quote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Preformatted:
    """Text kept as written (tabs expanded); never reflowed."""

    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of single-line cell texts, all rows the same length; ``header``: row 0 is a header."""

    rows: tuple[tuple[str, ...], ...]
    header: bool


@dataclass(frozen=True, slots=True)
class Rule:
    pass


Block: TypeAlias = Paragraph | Heading | ListBlock | Quote | Preformatted | Table | Rule


@dataclass(frozen=True, slots=True)
class Document:
    """The blocks of an article and its numbered links: ``links[0]`` is reference ``[1]``."""

    blocks: tuple[Block, ...]
    links: tuple[str, ...] = ()


# --- character classes ---------------------------------------------------------------------

_CJK = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
_CJK_CHAR = re.compile(f"[{_CJK}]")
# Patterns start with a literal: Python's re scans CJK text slowly for a leading class.
_NEWLINE_RUN = re.compile(r"\n[ \t\n]*")
# The characters sanitize.strip_controls removes, ESC and C1 included.
_CONTROL_PROBE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufff9-\ufffb]"
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n[ \t\n]*")
_EDGE_SPACE = " \t\n\xa0\u3000"
# Invisible characters that terminals draw inconsistently.
_INVISIBLE = re.compile("[\xad\ufeff]")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Line-number gutters of syntax highlighters (Hexo, Rouge, Pygments, Prism).
_GUTTER_CLASSES = frozenset({"gutter", "linenos", "linenodiv", "lineno", "line-numbers-rows"})
# A list marker whose item was removed (spam templates leave "1." behind) says nothing.
_ORPHAN_MARKER = re.compile(r"[0-9]{1,3}[.)]|[•·*\-–]")
_AUDIO_EXT = re.compile(r"\.(?:mp3|m4a|aac|ogg|oga|opus|wav|flac)$", re.IGNORECASE)


def _is_cjk(ch: str) -> bool:
    return _CJK_CHAR.match(ch) is not None


def _join_cjk_lines(text: str) -> str:
    """Drop source line breaks between two CJK characters: an editor's artefact, not a space."""
    pieces: list[str] = []
    pos = 0
    for match in _NEWLINE_RUN.finditer(text):
        start, end = match.span()
        while start > pos and text[start - 1] in " \t":
            start -= 1
        if start and end < len(text) and _is_cjk(text[start - 1]) and _is_cjk(text[end]):
            pieces.append(text[pos:start])
            pos = end
    if not pieces:
        return text
    pieces.append(text[pos:])
    return "".join(pieces)


def _collapse(text: str) -> str:
    """Whitespace runs to one space, as a browser does; str.replace beats re on CJK text."""
    if "\n" in text:
        text = _join_cjk_lines(text).replace("\n", " ")
    if "\t" in text:
        text = text.replace("\t", " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def _strip_controls(text: str, *, keep_newlines: bool) -> str:
    # Cheap proofs that there is nothing to strip come first: the common case.
    probe = text.replace("\n", " ").replace("\t", " ") if "\n" in text or "\t" in text else text
    if probe.isprintable() or _CONTROL_PROBE.search(text) is None:
        return limit_marks(text if keep_newlines else probe)
    return strip_controls(text, keep_newlines=keep_newlines)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# --- element kinds -------------------------------------------------------------------------

(
    K_INLINE,
    K_BOUNDARY,
    K_HEADING,
    K_LIST,
    K_ITEM,
    K_QUOTE,
    K_PRE,
    K_TABLE,
    K_ROW,
    K_CELL,
    K_TSECTION,
    K_LINK,
    K_SKIP,
    K_MEDIA,
    K_BODY,
    K_TERM,
    K_PARA,
) = range(17)

_KINDS: dict[str, int] = {
    **dict.fromkeys(
        _words(
            "p div section article header footer main aside nav figure figcaption address center "
            "details summary dl dd fieldset legend hgroup html search"
        ),
        K_BOUNDARY,
    ),
    **dict.fromkeys(_words("h1 h2 h3 h4 h5 h6"), K_HEADING),
    **dict.fromkeys(_words("ul ol menu dir"), K_LIST),
    "li": K_ITEM,
    "blockquote": K_QUOTE,
    **dict.fromkeys(_words("pre listing xmp plaintext"), K_PRE),
    "table": K_TABLE,
    "tr": K_ROW,
    "td": K_CELL,
    "th": K_CELL,
    **dict.fromkeys(_words("thead tbody tfoot caption"), K_TSECTION),
    "a": K_LINK,
    **dict.fromkeys(
        _words(
            "script style head title template noscript form button input select textarea option "
            "optgroup datalist svg canvas noembed noframes frameset dialog map"
        ),
        K_SKIP,
    ),
    **dict.fromkeys(_words("iframe video audio object"), K_MEDIA),
    "body": K_BODY,
    "dt": K_TERM,
}
_STYLES: dict[str, str] = {
    **dict.fromkeys(_words("b strong"), "strong"),
    **dict.fromkeys(_words("i em cite var dfn"), "em"),
    **dict.fromkeys(_words("code kbd samp tt"), "code"),
}
_VOID = frozenset(
    _words(
        "area base br col embed hr img input keygen link meta param source track wbr basefont "
        "bgsound frame image"
    )
)
# Elements whose content a browser does not parse as markup.
_RAW_TEXT = frozenset(_words("title textarea noscript noembed noframes xmp iframe plaintext"))
_STYLE_NAMES = ("strong", "em", "code")


# --- frames: the structural state of the pass ----------------------------------------------


class _Container:
    """Root, quote or list item: a list of blocks. A ghost shares its ancestor's list."""

    __slots__ = ("blocks", "ghost", "kind")

    def __init__(self, kind: str, blocks: list[Block], ghost: bool = False) -> None:
        self.kind = kind
        self.blocks = blocks
        self.ghost = ghost


class _ListFrame:
    __slots__ = ("ghost_target", "items", "ordered", "start")

    def __init__(self, ordered: bool, start: int, ghost_target: list[Block] | None) -> None:
        self.ordered = ordered
        self.start = start
        self.items: list[list[Block]] = []
        self.ghost_target = ghost_target

    def last_item(self) -> list[Block]:
        if self.ghost_target is not None:
            return self.ghost_target
        if not self.items:
            self.items.append([])
        return self.items[-1]


class _HeadingFrame:
    __slots__ = ("level",)

    def __init__(self, level: int) -> None:
        self.level = level


class _TableFrame:
    __slots__ = ("header_rows", "rows")

    def __init__(self) -> None:
        self.rows: list[list[str]] = []
        self.header_rows: list[bool] = []


class _RowFrame:
    __slots__ = ("cells", "headers", "in_thead")

    def __init__(self, in_thead: bool) -> None:
        self.cells: list[str] = []
        self.headers: list[bool] = []
        self.in_thead = in_thead


class _CellFrame:
    __slots__ = ("colspan", "header", "parts")

    def __init__(self, header: bool, colspan: int) -> None:
        self.header = header
        self.colspan = colspan
        self.parts: list[str] = []


class _PreFrame:
    __slots__ = ()


_Frame: TypeAlias = (
    _Container | _ListFrame | _HeadingFrame | _TableFrame | _RowFrame | _CellFrame | _PreFrame
)


class _Open:
    """One open element on the stack and what closing it must undo."""

    __slots__ = ("boundary", "frame", "kind", "style", "tag")

    def __init__(
        self,
        tag: str,
        kind: int = K_INLINE,
        frame: _Frame | None = None,
        style: str | None = None,
        boundary: bool = False,
    ) -> None:
        self.tag = tag
        self.kind = kind
        self.frame = frame
        self.style = style
        self.boundary = boundary


def _attr(attrs: list[tuple[str, str | None]], name: str) -> str | None:
    for key, value in attrs:
        if key == name:
            return value
    return None


def _is_hidden(attrs: list[tuple[str, str | None]]) -> bool:
    for key, value in attrs:
        if key == "hidden":
            return True
        if not value:
            continue
        if key == "style" and _HIDDEN_STYLE.search(value):
            return True
        if key == "aria-hidden" and value.strip().lower() == "true":
            return True
        if key == "class" and not _GUTTER_CLASSES.isdisjoint(value.split()):
            return True
    return False


def _int_attr(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int((value or "").strip())
    except ValueError:
        return default
    return max(low, min(high, number))


def _file_name(url: str) -> str:
    parts = urlsplit(url)
    name = unquote(parts.path.rstrip("/").rpartition("/")[2])
    return clean_line(name) or (parts.hostname or "")


class _Builder:
    """The single pass: tokenizer callbacks drive a stack of open elements and frames."""

    def __init__(self, base_url: str | None) -> None:
        self._base = base_url
        self._root = _Container("root", [])
        self._stack: list[_Open] = []
        self._frames: list[_Frame] = [self._root]
        self._frame_entries: list[_Open | None] = [None]  # the element that opened each frame
        self._counts: dict[str, int] = {}
        self._depth = 0  # real (non-ghost) quote and list frames
        self._skip = 0  # open elements whose content is dropped
        self._pre = 0
        self._paragraphs = 0  # open <p>: the blank-line heuristic stays off inside them
        self._nested_tables = 0  # tables inside a cell are flattened into its text
        self._media: list[_Open] = []  # open media elements still waiting for a source URL
        # inline buffer
        self._buf: list[str] = []
        self._len = 0
        self._last = ""
        self._pending = False
        self._pending_nl = False
        self._spans: list[Span] = []
        self._style_count = dict.fromkeys(_STYLE_NAMES, 0)
        self._style_start: dict[str, int | None] = dict.fromkeys(_STYLE_NAMES)
        self._link_url: str | None = None
        self._link_number: int | None = None
        self._link_start: int | None = None
        self._link_open = False
        self._waiting = False  # styles or a link that start at the next text
        # links
        self.links: list[str] = []
        self._link_ids: dict[str, int] = {}

    # --- results ---

    def document(self) -> Document:
        while self._stack:
            self._pop()
        self._flush()
        return Document(tuple(self._root.blocks), tuple(self.links))

    # --- tokenizer callbacks ---

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # XHTML-style <x/>: an empty element. Raw-text ones must not enter raw mode.
        if tag in _VOID:
            self.handle_starttag(tag, attrs)
        elif tag in _RAW_TEXT:
            if tag == "iframe" and not self._skip:
                self._media_line(_attr(attrs, "src"), "video")
        else:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip:
            if tag == "body" and self._counts.get("head"):
                self.handle_endtag("head")  # </head> was left out
            else:
                if tag in ("source", "embed") and self._media:
                    self._media_source(attrs)
                if tag not in _VOID:
                    self._push(_Open(tag))
                return
        if tag in _VOID:
            self._void(tag, attrs)
            return
        kind = _KINDS.get(tag, K_INLINE)
        if kind == K_SKIP or (attrs and _is_hidden(attrs)):
            self._skip += 1
            self._push(_Open(tag, K_SKIP))
            return
        if kind == K_INLINE:
            style = _STYLES.get(tag)
            if style is not None and not self._pre:
                self._style_open(style)
            self._push(_Open(tag, style=style if not self._pre else None))
            return
        if self._pre:
            if kind == K_MEDIA:
                self._skip += 1
                self._push(_Open(tag, K_SKIP))
                return
            # Inside <pre>, structure is only line breaks (highlighters wrap lines in divs);
            # links are left as text.
            if kind != K_LINK:
                self._boundary()
            self._push(_Open(tag))
            return
        self._start_structural(tag, kind, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "br" and not self._skip:
            self._line_break()
            return
        if not self._counts.get(tag):
            if tag == "p" and not self._skip:
                self._boundary()
            return
        while self._stack:
            if self._pop().tag == tag:
                break

    def handle_raw(self, data: str) -> None:
        """Text of a raw-text element: shown only where such an element is shown (<xmp>)."""
        self.handle_data(data)

    def handle_data(self, data: str) -> None:
        if self._skip or not data:
            return
        data = _strip_controls(data, keep_newlines=True)
        if "\xad" in data or "\ufeff" in data:
            data = _INVISIBLE.sub("", data)
        if self._pre:
            if "\t" in data:
                data = data.expandtabs(4)
            self._buf.append(data)
            self._len += len(data)
            if data:
                self._last = data[-1]
            return
        if self._blank_lines_split() and "\n" in data:
            pieces = _BLANK_LINE.split(data)
            for index, piece in enumerate(pieces):
                if index:
                    self._flush()
                self._text(piece)
        else:
            self._text(data)

    # --- stack ---

    def _push(self, entry: _Open) -> None:
        self._stack.append(entry)
        self._counts[entry.tag] = self._counts.get(entry.tag, 0) + 1
        if entry.frame is not None:
            self._frames.append(entry.frame)
            self._frame_entries.append(entry)

    def _pop(self) -> _Open:
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
        elif kind == K_PARA:
            self._paragraphs -= 1
        elif kind == K_TABLE and entry.frame is None:
            self._nested_tables -= 1
        if entry.frame is not None:
            self._close_frame(entry.frame)
        elif entry.boundary:
            self._boundary()
        return entry

    def _pop_to(self, entry: _Open) -> None:
        while self._stack:
            if self._pop() is entry:
                return

    def _open_entry(self, frame_type: type) -> _Open | None:
        """The element that opened the innermost frame, if that frame is of this type."""
        if isinstance(self._frames[-1], frame_type):
            return self._frame_entries[-1]
        return None

    # --- structure ---

    def _start_structural(self, tag: str, kind: int, attrs: list[tuple[str, str | None]]) -> None:
        top = self._frames[-1]
        # Cells and headings hold one line of text: structure inside them is a space.
        inline_owner = isinstance(top, _CellFrame | _HeadingFrame)
        if kind == K_LINK:
            self._start_link(tag, attrs)
            return
        if kind == K_MEDIA:
            media = _Open(tag, K_MEDIA)
            self._skip += 1
            self._push(media)
            url = _attr(attrs, "data" if tag == "object" else "src")
            if url:
                self._media_line(url, "audio" if tag == "audio" else "video")
            else:
                self._media.append(media)
            return
        if kind in (K_TABLE, K_ROW, K_CELL, K_TSECTION):
            self._start_table_part(tag, kind, attrs)
            return
        if kind == K_HEADING and isinstance(top, _HeadingFrame):
            heading = self._open_entry(_HeadingFrame)
            if heading is not None:
                self._pop_to(heading)
            inline_owner = isinstance(self._frames[-1], _CellFrame)
        if kind == K_PRE:
            self._close_open_paragraph()
            self._flush()
            self._pre += 1
            self._push(_Open(tag, kind, frame=_PreFrame()))
            return
        if inline_owner or kind in (K_BOUNDARY, K_BODY, K_TERM):
            if tag == "p" or kind == K_TERM:
                self._close_open_paragraph()
            self._boundary()
            if tag == "p":
                entry = _Open(tag, K_PARA, boundary=True)
                self._paragraphs += 1
            else:
                entry = _Open(tag, boundary=True)
            if kind == K_TERM and not inline_owner:
                entry.style = "strong"
                self._style_open("strong")
            self._push(entry)
            return
        self._close_open_paragraph()
        self._boundary()
        if kind == K_HEADING:
            self._push(_Open(tag, kind, frame=_HeadingFrame(int(tag[1]))))
        elif kind == K_QUOTE:
            ghost = self._depth >= MAX_NESTING
            self._depth += not ghost
            frame = _Container("quote", self._container_blocks() if ghost else [], ghost)
            self._push(_Open(tag, kind, frame=frame))
        elif kind == K_LIST:
            ghost = self._depth >= MAX_NESTING
            self._depth += not ghost
            start = _int_attr(_attr(attrs, "start"), 1, -(10**9), 10**9)
            target = self._container_blocks() if ghost else None
            self._push(_Open(tag, kind, frame=_ListFrame(tag == "ol", start, target)))
        elif kind == K_ITEM:
            self._start_item(tag)

    def _start_item(self, tag: str) -> None:
        open_item = self._open_entry(_Container)
        if open_item is not None and open_item.tag == "li":
            self._pop_to(open_item)
        top = self._frames[-1]
        if not isinstance(top, _ListFrame):
            # A stray <li> outside any list renders as a plain block.
            self._push(_Open(tag, boundary=True))
            return
        if top.ghost_target is not None:
            self._push(_Open(tag, K_ITEM, frame=_Container("item", top.ghost_target, True)))
            return
        top.items.append([])
        self._push(_Open(tag, K_ITEM, frame=_Container("item", top.items[-1])))

    def _start_table_part(self, tag: str, kind: int, attrs: list[tuple[str, str | None]]) -> None:
        top = self._frames[-1]
        if self._nested_tables or (kind == K_TABLE and isinstance(top, _CellFrame | _HeadingFrame)):
            # A table inside a cell becomes part of that cell's text.
            self._boundary()
            if kind == K_TABLE:
                self._nested_tables += 1
                self._push(_Open(tag, K_TABLE, boundary=True))
            else:
                self._push(_Open(tag, boundary=True))
            return
        if kind == K_TABLE:
            self._close_open_paragraph()
            self._boundary()
            self._push(_Open(tag, kind, frame=_TableFrame()))
            return
        table_entry = self._innermost_table()
        if table_entry is None:
            # Table parts outside a table are ignored by browsers.
            self._push(_Open(tag))
            return
        # Close the cells, rows and sections that the new part implicitly ends.
        while self._stack and self._stack[-1] is not table_entry:
            top_entry = self._stack[-1]
            if kind == K_CELL and isinstance(top_entry.frame, _RowFrame):
                break
            if kind == K_ROW and top_entry.kind == K_TSECTION:
                break
            self._pop()
        self._boundary()  # text loose in the table goes before it, as browsers do
        in_thead = self._counts.get("thead", 0) > 0
        if kind == K_ROW:
            self._push(_Open(tag, kind, frame=_RowFrame(in_thead)))
        elif kind == K_CELL:
            if not isinstance(self._frames[-1], _RowFrame):
                self._push(_Open("", K_ROW, frame=_RowFrame(in_thead)))
            colspan = _int_attr(_attr(attrs, "colspan"), 1, 1, _MAX_COLSPAN)
            self._push(_Open(tag, kind, frame=_CellFrame(tag == "th", colspan)))
        else:
            self._push(_Open(tag, kind, boundary=tag == "caption"))

    def _innermost_table(self) -> _Open | None:
        for index in range(len(self._frames) - 1, 0, -1):
            frame = self._frames[index]
            if isinstance(frame, _TableFrame):
                return self._frame_entries[index]
            if isinstance(frame, _Container | _ListFrame | _HeadingFrame | _PreFrame):
                return None
        return None

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

    def _close_frame(self, frame: _Frame) -> None:
        if isinstance(frame, _PreFrame):
            text = "".join(self._buf)
            self._reset_buffer()
            self._pre -= 1
            self._frames.pop()
            self._frame_entries.pop()
            text = text.lstrip("\n").rstrip()
            if text:
                self._container_blocks().append(Preformatted(text))
            return
        self._flush()
        self._frames.pop()
        self._frame_entries.pop()
        if isinstance(frame, _Container):
            if frame.kind == "quote" and not frame.ghost:
                self._depth -= 1
                if frame.blocks:
                    self._container_blocks().append(Quote(tuple(frame.blocks)))
        elif isinstance(frame, _ListFrame):
            if frame.ghost_target is None:
                self._depth -= 1
                items = tuple(tuple(item) for item in frame.items if item)
                if items:
                    self._container_blocks().append(ListBlock(frame.ordered, frame.start, items))
        elif isinstance(frame, _CellFrame):
            row = self._frames[-1]
            if isinstance(row, _RowFrame):
                text = " ".join(part for part in frame.parts if part)
                row.cells.append(text)
                row.headers.append(frame.header)
                for _ in range(frame.colspan - 1):
                    row.cells.append("")
                    row.headers.append(frame.header)
        elif isinstance(frame, _RowFrame):
            table = self._frames[-1]
            if isinstance(table, _TableFrame) and any(frame.cells):
                table.rows.append(frame.cells)
                table.header_rows.append(frame.in_thead or all(frame.headers))
        elif isinstance(frame, _TableFrame):
            table_block = _finish_table(frame)
            if table_block is not None:
                self._container_blocks().append(table_block)

    def _container_blocks(self) -> list[Block]:
        for frame in reversed(self._frames):
            if isinstance(frame, _Container):
                return frame.blocks
            if isinstance(frame, _ListFrame):
                return frame.last_item()
        return self._root.blocks

    # --- inline content ---

    def _blank_lines_split(self) -> bool:
        # Feeds often carry text paragraphs separated only by blank lines, with no <p>.
        return not self._paragraphs and isinstance(self._frames[-1], _Container | _ListFrame)

    def _text(self, data: str) -> None:
        stripped = data.strip(" \t\n")
        if not stripped:
            if data:
                self._pending = True
                self._pending_nl = self._pending_nl or "\n" in data
            return
        lead = len(data) - len(data.lstrip(" \t\n"))
        lead_nl = "\n" in data[:lead]
        stripped = _collapse(stripped)
        if self._len and self._last != "\n" and (self._pending or lead):
            newline = self._pending_nl or lead_nl
            if not (newline and _is_cjk(self._last) and _is_cjk(stripped[0])):
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
        for name in _STYLE_NAMES:
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

    def _start_link(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._link_open:
            for entry in reversed(self._stack):
                if entry.kind == K_LINK:
                    self._pop_to(entry)
                    break
        url = self._url(_attr(attrs, "href")) if not self._pre else None
        self._link_open = self._waiting = True
        self._link_url = url
        self._link_number = None
        self._link_start = None
        self._push(_Open(tag, K_LINK))

    def _link_close(self) -> None:
        number, start = self._link_number, self._link_start
        self._link_open = False
        self._link_url = self._link_number = self._link_start = None
        if number is None or start is None or self._len <= start:
            return
        if isinstance(self._frames[-1], _CellFrame):
            self._append_raw(f"[{number}]")
        else:
            self._spans.append(Span(start, self._len, "link", number))

    def _url(self, raw: str | None) -> str | None:
        if raw and ("\t" in raw or "\n" in raw):
            # A browser's URL parser drops these: "java\tscript:" is still javascript:.
            raw = raw.replace("\t", "").replace("\n", "")
        return safe_url(raw, self._base)

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

    def _void(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._line_break()
        elif tag == "hr":
            if self._pre:
                self._boundary()
            elif not isinstance(self._frames[-1], _CellFrame):
                self._close_open_paragraph()
                self._boundary()
                self._container_blocks().append(Rule())
        elif tag == "img":
            if not _is_hidden(attrs):
                self._image(attrs)
        elif tag == "embed":
            self._media_line(_attr(attrs, "src"), "video")

    def _image(self, attrs: list[tuple[str, str | None]]) -> None:
        if _attr(attrs, "width") in ("0", "1") or _attr(attrs, "height") in ("0", "1"):
            return  # a tracking pixel
        raw = _attr(attrs, "src") or _attr(attrs, "data-src")
        url = self._url(raw)
        alt = clean_line(_attr(attrs, "alt")) or (_file_name(url) if url else "")
        if not alt:
            return
        label = f"[image: {alt}]"
        if self._pre:
            self._append_raw(label)
            return
        # The image's own number comes before that of a link around it.
        number = self._number(url) if url is not None else None
        self._text(label)
        if number is None:
            return
        start = self._len - len(label)
        if isinstance(self._frames[-1], _CellFrame):
            self._append_raw(f"[{number}]")
        else:
            self._spans.append(Span(start, self._len, "link", number))

    def _media_source(self, attrs: list[tuple[str, str | None]]) -> None:
        media = self._media[-1]
        url = _attr(attrs, "src")
        if not url:
            return
        kind_attr = (_attr(attrs, "type") or "").lower()
        audio = media.tag == "audio" or kind_attr.startswith("audio/")
        if self._media_line(url, "audio" if audio else "video"):
            self._media.pop()

    def _media_line(self, raw: str | None, kind: str) -> bool:
        url = self._url(raw)
        if url is None:
            return False
        if kind == "video" and _AUDIO_EXT.search(urlsplit(url).path):
            kind = "audio"
        number = self._number(url)
        label = f"[{kind}: {url}]"
        if isinstance(self._frames[-1], _CellFrame) or self._pre:
            self._append_raw(f"{label}[{number}]" if self._len == 0 else f" {label}[{number}]")
            return True
        self._flush()
        self._container_blocks().append(Paragraph(label, (Span(0, len(label), "link", number),)))
        return True

    def _line_break(self) -> None:
        if self._pre:
            self._append_raw("\n")
            return
        top = self._frames[-1]
        if isinstance(top, _CellFrame | _HeadingFrame):
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
        if isinstance(self._frames[-1], _CellFrame | _HeadingFrame):
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
        for name in _STYLE_NAMES:
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
        if isinstance(owner, _CellFrame):
            owner.parts.append(text.replace("\n", " ").strip(_EDGE_SPACE))
            return
        left = len(text) - len(text.lstrip(_EDGE_SPACE))
        text = text.strip(_EDGE_SPACE)
        if not text or _ORPHAN_MARKER.fullmatch(text):
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
        if isinstance(owner, _HeadingFrame):
            self._container_blocks().append(Heading(owner.level, text, tuple(spans)))
        else:
            self._container_blocks().append(Paragraph(text, tuple(spans)))


def _finish_table(frame: _TableFrame) -> Table | None:
    """Rows padded to one length, columns that are empty everywhere (gutters) dropped."""
    rows = frame.rows  # rows without any text never got here
    if not rows:
        return None
    columns = max(len(row) for row in rows)
    padded = [row + [""] * (columns - len(row)) for row in rows]
    keep = [c for c in range(columns) if any(row[c] for row in padded)]
    table_rows = tuple(tuple(row[c] for c in keep) for row in padded)
    return Table(table_rows, frame.header_rows[0] and len(table_rows) > 1)


# --- tokenizer ------------------------------------------------------------------------------

# The stdlib HTMLParser is several times slower a tag and, in Python 3.11, super-linear on
# hostile input (30 KB of "<a " takes it over 20 s). This is one regex scan, linear by
# construction: a quote delimits a value only after "=", attribute text stops at "<", and
# every quantifier is possessive, so a tag that never closes costs one short scan.
_MARKUP = re.compile(
    r"""<(?:
        (?P<start>[a-zA-Z][^\s/<>]*)
        (?P<attrs>(?:[^<>"'=]|=\s*+(?:"[^"]*"|'[^']*')|[="'])*+)>
      | /(?P<end>[a-zA-Z][^\s/<>]*)[^<>]*+>
      | !--.*?(?:-->|\Z)
      | !\[CDATA\[(?P<cdata>.*?)(?:\]\]>|\Z)
      | [!?/][^<>]*>
    )""",
    re.DOTALL | re.VERBOSE,
)
_ATTRIBUTE = re.compile(
    r"""([^\s"'<>/=][^\s"'<>/=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>=`]+)))?"""
)
_RAW_END: dict[str, re.Pattern[str]] = {
    tag: re.compile(f"</{tag}(?=[\\s/>]|\\Z)[^>]*>?", re.IGNORECASE)
    for tag in ("script", "style", *_RAW_TEXT)
}


def _attributes(raw: str) -> list[tuple[str, str | None]]:
    attrs: list[tuple[str, str | None]] = []
    for name, double, single, bare in _ATTRIBUTE.findall(raw):
        value = double or single or bare
        if value and "&" in value:
            value = unescape(value)
        attrs.append((name.lower(), value))
    return attrs


def _tokenize(source: str, builder: _Builder) -> None:
    """Feed ``source`` to ``builder`` as start tags, end tags and text, as a browser reads it."""
    pos = 0
    size = len(source)
    search = _MARKUP.search
    while pos < size:
        match = search(source, pos)
        if match is None:
            break
        if match.start() > pos:
            text = source[pos : match.start()]
            builder.handle_data(unescape(text) if "&" in text else text)
        pos = match.end()
        tag = match.group("start")
        if tag is not None:
            tag = tag.lower()
            raw = match.group("attrs")
            closed = raw.endswith("/") and (len(raw) == 1 or raw[-2] in " \t\n\"'")
            attrs = _attributes(raw) if raw and not raw.isspace() and raw != "/" else []
            if closed:
                builder.handle_startendtag(tag, attrs)
                continue
            builder.handle_starttag(tag, attrs)
            end = _RAW_END.get(tag)
            if end is not None:
                # Script, style, title and friends hold text up to their own end tag only.
                close = end.search(source, pos)
                stop = close.start() if close is not None else size
                if stop > pos:
                    builder.handle_raw(source[pos:stop])
                builder.handle_endtag(tag)
                pos = close.end() if close is not None else size
            continue
        tag = match.group("end")
        if tag is not None:
            builder.handle_endtag(tag.lower())
            continue
        cdata = match.group("cdata")
        if cdata:
            builder.handle_raw(cdata)
    if pos < size:
        text = source[pos:]
        builder.handle_data(unescape(text) if "&" in text else text)


# --- public API -------------------------------------------------------------------------------


def parse_html(source: str, *, base_url: str | None = None) -> Document:
    """Convert article HTML into blocks and the list of safe link URLs, in reading order."""
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    builder = _Builder(base_url)
    _tokenize(source, builder)
    return builder.document()


def parse_plain(source: str) -> Document:
    """Plain text: each non-blank input line is one paragraph."""
    blocks: list[Block] = []
    for line in source.splitlines():
        text = clean_line(line).strip(_EDGE_SPACE)
        if text:
            blocks.append(Paragraph(text))
    return Document(tuple(blocks))


_KNOWN_TAG = re.compile(
    r"<(?:/?(?:a|abbr|acronym|address|article|aside|audio|b|big|blockquote|body|br|button|"
    r"caption|center|cite|code|dd|del|details|div|dl|dt|em|embed|figcaption|figure|font|"
    r"footer|h[1-6]|head|header|hr|html|i|iframe|img|ins|kbd|li|main|mark|menuitem|meta|nav|"
    r"object|ol|p|picture|pre|q|rp|rt|ruby|s|script|section|small|source|span|strike|strong|"
    r"style|sub|sup|table|tbody|td|th|thead|time|tr|tt|u|ul|video|wbr)\b[^<>]*>|!--)"
    r"|&(?:[a-zA-Z]{2,8}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});",
    re.IGNORECASE,
)


def looks_like_html(source: str) -> bool:
    """True when the text carries HTML tags or character references."""
    return _KNOWN_TAG.search(source) is not None


_DROPPED_ELEMENTS = re.compile(
    r"<(script|style|head|template|noscript|svg|title|textarea|select|button)\b[^<>]*>"
    r".*?(?:</\1\s*>|\Z)|<!--.*?(?:-->|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|pre|table|tr|td|th|hr|section|article|header|"
    r"footer|figure|figcaption|dd|dt|dl)\b[^<>]*>",
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^<>]*>|<![^<>]*>")
_BREAK = "\ue000"


def plain_text(source: str) -> str:
    """Tag-free text for search indexes and summaries: one line per block, no markup.

    A fast approximation of ``parse_html``: it drops scripts, styles and comments but does
    not evaluate hidden attributes.
    """
    if not source:
        return ""
    text = source.replace(_BREAK, "").replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_html(text):
        text = _DROPPED_ELEMENTS.sub("", text)
        text = _BLOCK_TAG.sub(_BREAK, text)
        text = _ANY_TAG.sub("", text)
        text = _strip_controls(unescape(text), keep_newlines=True)
        text = _BLANK_LINE.sub(_BREAK, text)
    else:
        text = _strip_controls(text, keep_newlines=True).replace("\n", _BREAK)
    if "\xad" in text or "\ufeff" in text:
        text = _INVISIBLE.sub("", text)
    lines = (_collapse(part).strip(_EDGE_SPACE) for part in text.split(_BREAK))
    return "\n".join(line for line in lines if line and not _ORPHAN_MARKER.fullmatch(line))
