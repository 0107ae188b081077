"""Blocks -> lines of styled segments at a width: the one article layout.

The article view, ``yuedu render`` and ``yuedu show`` all typeset through here, so a line
never exceeds the width in cells and the CJK rules of ``tui.core.text.breaker`` hold everywhere.
Inline text is wrapped as plain text with ``wrap_spans`` and the style spans are then cut at
the returned offsets. Nothing is cached: the caller caches by width.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tui.core.text.breaker import WrapOptions, cell_width, clusters, wrap_spans
from tui.core.text.display import UNBROKEN_STYLES, ArticleText, DisplayOptions, block_texts
from tui.core.text.html.blocks import (
    Block,
    Document,
    Heading,
    ListBlock,
    Paragraph,
    Preformatted,
    Quote,
    Rule,
    Span,
    Table,
)
from tui.core.text.html.tree import looks_like_html, parse_html, parse_plain
from tui.core.text.sanitize import clean_line
from tui.core.text.spans import Segment, cut, decorate, glued, spaced, split_lines

_Lines = list[list[Segment]]  # [] is a blank line

# Below this many cells a quote bar or list indent is dropped rather than crushing the text.
_MIN_TEXT = 2
_BULLETS = ("•", "◦", "▪")


@dataclass(frozen=True, slots=True)
class LayoutOptions:
    """How to typeset: line breaking, the optional CJK/Latin spacing filter, and how feed
    text is shown (script, punctuation, ruby)."""

    wrap: WrapOptions = WrapOptions()
    cjk_spacing: bool = False
    display: DisplayOptions = DisplayOptions()


@dataclass(frozen=True, slots=True)
class Line:
    """One screen line: ``(text, role)`` segments.

    Roles: text, strong, em, code, link, linkref, h1..h6, quote-bar, bullet, pre,
    fold-marker, table, rule, meta-label, meta, title, blank.
    """

    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.segments)


BLANK = Line((("", "blank"),))


@dataclass(frozen=True, slots=True)
class Article:
    """An article laid out: its lines, and the URLs its ``[n]`` references point to."""

    lines: list[Line]
    links: tuple[str, ...]
    """Safe absolute URLs; ``[n]`` in the lines is ``links[n - 1]``."""


class _Typesetter:
    def __init__(self, options: LayoutOptions, text: ArticleText) -> None:
        self.options = options
        self.text = text
        self.wrap = options.wrap
        self.ambiguous = options.wrap.ambiguous_width

    def width_of(self, text: str) -> int:
        return cell_width(text, ambiguous_width=self.ambiguous)

    def repeat(self, char: str, cells: int) -> str:
        """``char`` repeated to fill ``cells``; spaces make up what it cannot fill."""
        size = max(1, self.width_of(char))
        return char * (cells // size) + " " * (cells % size)

    # --- blocks ---

    def blocks(self, blocks: Sequence[Block], width: int, depth: int, tight: bool) -> _Lines:
        """Blocks one blank line apart; ``depth`` is the list nesting (it picks the bullet)."""
        out: _Lines = []
        previous: Block | None = None
        for block in blocks:
            lines = self.block(block, width, depth)
            if not lines:
                continue
            if previous is not None and not (
                tight and (isinstance(block, ListBlock) or isinstance(previous, ListBlock))
            ):
                out.append([])
            out.extend(lines)
            previous = block
        return out

    def block(self, block: Block, width: int, depth: int) -> _Lines:
        if isinstance(block, Paragraph):
            return self.inline(block.text, block.spans, width, "text")
        if isinstance(block, Heading):
            return self.inline(block.text, block.spans, width, f"h{block.level}")
        if isinstance(block, ListBlock):
            return self.list_block(block, width, depth)
        if isinstance(block, Quote):
            return self.quote(block, width, depth)
        if isinstance(block, Preformatted):
            return self.preformatted(block.text, width)
        if isinstance(block, Table):
            return self.table(block, width)
        if isinstance(block, Rule):
            return [[(self.repeat("─", width), "rule")]]
        return []

    def quote(self, block: Quote, width: int, depth: int) -> _Lines:
        bar = "│ "
        inner = width - self.width_of(bar)
        if inner < _MIN_TEXT:
            return self.blocks(block.blocks, width, depth, False)
        lines = self.blocks(block.blocks, inner, depth, False)
        return [[(bar, "quote-bar"), *line] if line else [("│", "quote-bar")] for line in lines]

    def list_block(self, block: ListBlock, width: int, depth: int) -> _Lines:
        count = len(block.items)
        if block.ordered:
            last = block.start + count - 1
            size = max(len(str(block.start)), len(str(last)))
            bullets = [f"{block.start + i:>{size}}. " for i in range(count)]
        else:
            bullets = [_BULLETS[depth % len(_BULLETS)] + " "] * count
        indent = max(self.width_of(bullet) for bullet in bullets)
        inner = width - indent
        loose = any(sum(not isinstance(b, ListBlock) for b in item) > 1 for item in block.items)
        out: _Lines = []
        for bullet, item in zip(bullets, block.items, strict=True):
            if loose and out:
                out.append([])
            if inner < _MIN_TEXT:
                out.append([(bullet.strip()[:width], "bullet")])
                out.extend(self.blocks(item, width, depth + 1, True))
                continue
            lines = self.blocks(item, inner, depth + 1, True)
            pad = " " * (indent - self.width_of(bullet))
            hang = " " * indent
            for index, line in enumerate(lines):
                if index == 0:
                    out.append([(pad + bullet, "bullet"), *line])
                elif line:
                    out.append([(hang, "text"), *line])
                else:
                    out.append([])
        return out

    # --- inline text ---

    def inline(self, text: str, spans: Sequence[Span], width: int, base: str) -> _Lines:
        """A paragraph of feed text, shown through the text pipeline, then typeset."""
        text, spans = self.text.paragraph(text, spans)
        return self.typeset(text, spans, width, base)

    def typeset(self, text: str, spans: Sequence[Span], width: int, base: str) -> _Lines:
        out: _Lines = []
        for piece, piece_spans in split_lines(text, spans):
            if not piece.strip():
                out.append([])
                continue
            if self.options.cjk_spacing:
                piece, piece_spans = spaced(piece, piece_spans)
            display, runs = decorate(piece, piece_spans, base)
            starts = [run[0] for run in runs]
            units = [span for span in piece_spans if span.style in UNBROKEN_STYLES]
            breakable = display
            if units:
                breakable = decorate(glued(piece, units, self.ambiguous), piece_spans, base)[0]
            for start, end in wrap_spans(breakable, width, self.wrap):
                out.append(cut(display, runs, starts, start, end))
        return out

    def wrapped(self, text: str, width: int) -> list[str]:
        return [text[a:b] for a, b in wrap_spans(text, max(1, width), self.wrap)]

    # --- preformatted ---

    def preformatted(self, text: str, width: int) -> _Lines:
        out: _Lines = []
        for line in text.split("\n"):
            if not line:
                out.append([])
            elif self.width_of(line) <= width:
                out.append([(line, "pre")])
            else:
                out.extend(self.fold(line, width, "pre", marker=True))
        return out

    def fold(self, text: str, width: int, role: str, *, marker: bool) -> _Lines:
        """Cut ``text`` at cluster boundaries into pieces of at most ``width`` cells.

        With ``marker`` every piece but the last ends in a fold marker inside the width.
        """
        mark = "↩" if marker else ""
        mark_width = self.width_of(mark) if marker else 0
        if width - mark_width < 1:
            mark, mark_width = "", 0
        room = width - mark_width
        if text.isascii() and text.isprintable():
            units: list[str] = list(text)
            sizes = [1] * len(units)
        else:
            units = clusters(text)
            sizes = [self.width_of(unit) for unit in units]
        remaining = sum(sizes)
        out: _Lines = []
        i = 0
        while i < len(units):
            if remaining <= width:
                out.append([("".join(units[i:]), role)])
                break
            j, taken = i, 0
            while j < len(units) and taken + sizes[j] <= room:
                taken += sizes[j]
                j += 1
            if j == i:
                # One cluster wider than the room left beside the marker.
                unit = units[i] if sizes[i] <= width else "?"
                out.append([(unit, role)])
                remaining -= sizes[i]
                i += 1
                continue
            piece: list[Segment] = [("".join(units[i:j]), role)]
            if mark:
                piece.append((mark, "fold-marker"))
            out.append(piece)
            remaining -= taken
            i = j
        return out

    # --- tables ---

    def table(self, block: Table, width: int) -> _Lines:
        rows = tuple(tuple(self.text.line(cell) for cell in row) for row in block.rows)
        block = Table(rows, block.header)
        columns = len(rows[0]) if rows else 0
        if not columns:
            return []
        widths = [max(self.width_of(row[c]) for row in rows) for c in range(columns)]
        bar = " │ "
        bar_width = self.width_of(bar)
        if sum(widths) + bar_width * (columns - 1) <= width:
            return self.grid(block, widths, bar)
        return self.row_blocks(block, width)

    def grid(self, block: Table, widths: list[int], bar: str) -> _Lines:
        out: _Lines = []
        last = len(widths) - 1
        for index, row in enumerate(block.rows):
            role = "strong" if block.header and index == 0 else "text"
            line: list[Segment] = []
            for c, cell in enumerate(row):
                if c:
                    line.append((bar, "table"))
                fill = "" if c == last else " " * (widths[c] - self.width_of(cell))
                if cell or fill:
                    line.append((cell + fill, role))
            out.append(line or [("", "table")])
            if block.header and index == 0:
                cross = self.repeat("─", 1) + "┼" + self.repeat("─", 1)
                out.append([(cross.join(self.repeat("─", w) for w in widths), "table")])
        return out

    def row_blocks(self, block: Table, width: int) -> _Lines:
        """A table too wide for a grid: each row becomes "Header: value" lines."""
        header = block.rows[0] if block.header else None
        hang = max((self.width_of(f"{label}: ") for label in header or ()), default=0)
        out: _Lines = []
        for row in block.rows[1:] if header else block.rows:
            if out:
                out.append([])
            for c, cell in enumerate(row):
                if not cell:
                    continue
                label = header[c] if header else ""
                if label:
                    out.extend(self.labelled(label, cell, width, "strong", "text", hang))
                else:
                    out.extend(self.typeset(cell, (), width, "text"))
        return out

    def labelled(
        self, label: str, value: str, width: int, label_role: str, value_role: str, hang: int = 0
    ) -> _Lines:
        """``Label: value`` with the value's continuation lines under its first character."""
        head = f"{label}: "
        indent = max(hang, self.width_of(head))
        if width - indent < max(_MIN_TEXT, width // 3):
            lines = [[(text, label_role)] for text in self.wrapped(head.rstrip(), width)]
            lines.extend([(text, value_role)] for text in self.wrapped(value, width))
            return lines
        out: _Lines = []
        for index, text in enumerate(self.wrapped(value, width - indent)):
            if index == 0:
                pad = " " * (indent - self.width_of(head))
                out.append(
                    [(head.rstrip(), label_role), (" " + pad, value_role), (text, value_role)]
                )
            else:
                out.append([(" " * indent, value_role), (text, value_role)])
        return out


def _to_lines(lines: _Lines) -> list[Line]:
    return [Line(tuple(line)) if line else BLANK for line in lines]


def render_article(
    source: str,
    width: int,
    *,
    base_url: str | None = None,
    header: Sequence[tuple[str, str]] = (),
    title: str | None = None,
    options: LayoutOptions = LayoutOptions(),
    enclosures: Sequence[tuple[str, str]] = (),
) -> Article:
    """A whole article: title, "Label: value" header rows, the body, then its numbered links,
    then ``enclosures`` (``(safe url, what it is)``) numbered on from the links.

    The body may be HTML or plain text (told apart by ``looks_like_html``). Header labels
    and values are feed data and are cleaned of control characters here; the title, the
    values and the body are shown through the text pipeline (``tui.core.text.display``).
    """
    ruby = options.display.ruby
    doc = (
        parse_html(source, base_url=base_url, ruby=ruby)
        if looks_like_html(source)
        else parse_plain(source)
    )
    return render_document(
        doc, width, header=header, title=title, options=options, enclosures=enclosures
    )


def render_document(
    doc: Document,
    width: int,
    *,
    header: Sequence[tuple[str, str]] = (),
    title: str | None = None,
    options: LayoutOptions = LayoutOptions(),
    enclosures: Sequence[tuple[str, str]] = (),
) -> Article:
    """``render_article`` for a body already parsed into blocks (a full article, say)."""
    width = max(1, width)
    clean_title = clean_line(title)
    text = ArticleText(options.display, [clean_title, *block_texts(doc.blocks)])
    typesetter = _Typesetter(options, text)
    lines: _Lines = []
    if clean_title:
        shown = text.line(clean_title)
        lines.extend([(piece, "title")] for piece in typesetter.wrapped(shown, width))
    rows = [(clean_line(label), text.line(clean_line(value))) for label, value in header]
    rows = [(label, value) for label, value in rows if value]
    hang = max((typesetter.width_of(f"{label}: ") for label, _ in rows), default=0)
    for label, value in rows:
        lines.extend(typesetter.labelled(label, value, width, "meta-label", "meta", hang))
    body = typesetter.blocks(doc.blocks, width, 0, False)
    if lines and body:
        lines.append([])
    lines.extend(body)
    if doc.links:
        if lines:
            lines.append([])
        lines.extend([(piece, "meta-label")] for piece in typesetter.wrapped("Links:", width))
        lines.extend(_link_list(typesetter, [(url, "") for url in doc.links], width))
    if enclosures:
        if lines:
            lines.append([])
        heading = typesetter.wrapped("Enclosures:", width)
        lines.extend([(piece, "meta-label")] for piece in heading)
        lines.extend(_link_list(typesetter, enclosures, width, first=len(doc.links) + 1))
    return Article(_to_lines(lines), doc.links + tuple(url for url, _ in enclosures))


def _link_list(
    typesetter: _Typesetter, links: Sequence[tuple[str, str]], width: int, *, first: int = 1
) -> _Lines:
    """``[n] url`` entries, each ``(url, what it is)``; a long URL folds under itself and is
    never split into entries; what it is, if said, goes on the lines below."""
    size = len(f"[{first + len(links) - 1}] ")
    out: _Lines = []
    for number, (url, facts) in enumerate(links, first):
        ref = f"[{number}]"
        prefix = ref + " " * (size - len(ref))
        room = width - size
        narrow = room < max(_MIN_TEXT, width // 3)
        if narrow:
            out.append([(ref[:width], "linkref")])
            out.extend(typesetter.fold(url, width, "link", marker=False))
        else:
            for index, piece in enumerate(typesetter.fold(url, room, "link", marker=False)):
                lead = (prefix, "linkref") if index == 0 else (" " * size, "text")
                out.append([lead, *piece])
        said = typesetter.wrapped(clean_line(facts), width if narrow else room) if facts else []
        out.extend(
            [(text, "meta")] if narrow else [(" " * size, "text"), (text, "meta")] for text in said
        )
    return out


def render_plain(lines: Sequence[Line]) -> str:
    """The lines as plain text joined with newlines, without styling."""
    return "\n".join(line.text for line in lines)
