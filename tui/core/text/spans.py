"""Style spans carried through the steps that turn a paragraph into segments.

A paragraph is text plus ``Span`` ranges; the layout wraps the plain text and then needs
the spans moved along at each step: split at hard line breaks, shifted by inserted CJK/Latin
spaces, turned into role runs with link references inserted, and cut at the wrap offsets.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence

from tui.core.text.breaker import add_cjk_spacing, cell_width
from tui.core.text.html.blocks import Span

Segment = tuple[str, str]
# The first of these a text run is inside gives its role.
STYLE_ORDER = ("link", "code", "strong", "em")


def split_lines(text: str, spans: Sequence[Span]) -> Iterator[tuple[str, tuple[Span, ...]]]:
    """The ``\\n``-separated pieces of a paragraph with their spans moved along."""
    if "\n" not in text:
        yield text, tuple(spans)
        return
    offset = 0
    for piece in text.split("\n"):
        end = offset + len(piece)
        moved = tuple(
            Span(max(s.start, offset) - offset, min(s.end, end) - offset, s.style, s.link)
            for s in spans
            if s.start < end and s.end > offset
        )
        yield piece, moved
        offset = end + 1


def spaced(text: str, spans: tuple[Span, ...]) -> tuple[str, tuple[Span, ...]]:
    """``add_cjk_spacing`` with the spans carried over to the spaced text."""
    spaced = add_cjk_spacing(text)
    if spaced == text:
        return text, spans
    where = [0] * (len(text) + 1)
    j = 0
    try:
        for i, char in enumerate(text):
            while spaced[j] != char:
                j += 1
            where[i] = j
            j += 1
    except IndexError:
        return text, spans  # not a pure insertion of spaces: keep the original
    where[len(text)] = len(spaced)
    moved = tuple(
        Span(where[s.start], where[s.end - 1] + 1, s.style, s.link)
        for s in spans
        if s.end > s.start
    )
    return spaced, moved


def glued(text: str, spans: Sequence[Span], ambiguous_width: int = 1) -> str:
    """``text`` as the line breaker should see it when ``spans`` must stay whole: each
    character inside them becomes a letter of the same width, so the unit reads as one word
    (broken only when wider than the line). The length and the widths are unchanged."""
    chars = list(text)
    for span in spans:
        for i in range(span.start, min(span.end, len(chars))):
            cells = cell_width(chars[i], ambiguous_width=ambiguous_width)
            if cells:
                chars[i] = "\uff37" if cells == 2 else "w"  # Ｗ or w
    return "".join(chars)


def decorate(text: str, spans: Sequence[Span], base: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The display text (link references inserted after link text) and its role runs."""
    if not spans:
        return text, [(0, len(text), base)]
    size = len(text)
    starts: dict[int, list[Span]] = {}
    ends: dict[int, list[Span]] = {}
    for span in spans:
        start, end = max(0, span.start), min(size, span.end)
        if end <= start:
            continue
        starts.setdefault(start, []).append(span)
        ends.setdefault(end, []).append(span)
    points = sorted({0, size, *starts, *ends})
    active = dict.fromkeys(STYLE_ORDER, 0)
    heading = base.startswith("h")
    parts: list[str] = []
    runs: list[tuple[int, int, str]] = []
    position = 0

    def emit(piece: str, role: str) -> None:
        nonlocal position
        if not piece:
            return
        if runs and runs[-1][2] == role and runs[-1][1] == position:
            runs[-1] = (runs[-1][0], position + len(piece), role)
        else:
            runs.append((position, position + len(piece), role))
        parts.append(piece)
        position += len(piece)

    for index, point in enumerate(points):
        # Inner spans close first, so an image inside a link reads "[image: x][2][1]".
        for span in sorted(ends.get(point, ()), key=lambda s: -s.start):
            if span.style in active:
                active[span.style] -= 1
            if span.style == "link" and span.link is not None:
                emit(f"[{span.link}]", "linkref")
        for span in starts.get(point, ()):
            if span.style in active:
                active[span.style] += 1
        if index + 1 < len(points):
            role = base
            for style in STYLE_ORDER:
                if active[style] and not (heading and style in ("strong", "em")):
                    role = style
                    break
            emit(text[point : points[index + 1]], role)
    return "".join(parts), runs


def cut(
    display: str, runs: list[tuple[int, int, str]], starts: list[int], start: int, end: int
) -> list[Segment]:
    """The segments of ``display[start:end]``."""
    if len(runs) == 1:
        return [(display[start:end], runs[0][2])]
    out: list[Segment] = []
    index = max(0, bisect_right(starts, start) - 1)
    while index < len(runs):
        run_start, run_end, role = runs[index]
        if run_start >= end:
            break
        a, b = max(start, run_start), min(end, run_end)
        if b > a:
            out.append((display[a:b], role))
        index += 1
    return out
