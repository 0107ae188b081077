"""Cell widths and the CJK-aware line breaker.

Widths are terminal cells per extended grapheme cluster, as wcwidth measures the cluster
(a malformed jamo sequence or a wide character with a spacing mark may take 3 or more).
The breaker follows /shared/cjk-rules.md: kinsoku by push-out (jlreq/clreq), no split
Latin words, numbers, URLs or clusters, Korean broken at spaces (keep-all), greedy fill
with nothing wasted, and lines that join back to the paragraph minus the whitespace
dropped at the breaks. Everything here is pure: ``str`` in, offsets or ``str`` out.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

import regex
import wcwidth

from tui.core.text import tables as bt
from tui.core.text.phrases import phrase_edges
from tui.core.text.scripts import LATIN_SPACED

__all__ = [
    "WrapOptions",
    "add_cjk_spacing",
    "cell_width",
    "clusters",
    "pad",
    "truncate",
    "wrap",
    "wrap_spans",
]


@dataclass(frozen=True, slots=True)
class WrapOptions:
    """How to break lines; the defaults suit a news reader in a Western-width terminal."""

    strict_kana: bool = False
    """Keep small kana (``っゃァ``) off line starts, as jlreq's strict rules do."""
    phrases: bool = False
    """Prefer budoux phrase boundaries in Japanese and Chinese (needs the optional budoux).

    A phrase that does not fit moves down whole when that leaves at most a quarter of the
    line empty; otherwise it is broken between characters as usual."""
    ambiguous_width: int = 1
    """Cells for East Asian Ambiguous characters (``“…—·``): 2 for CJK-legacy terminals."""


_CLUSTER = regex.compile(r"\X")
# Any character that can share a cluster with a neighbour. Without one, every code point is
# its own cluster and the slow \X pass can be skipped.
_JOINER = regex.compile(
    r"[\r\p{Grapheme_Cluster_Break=Extend}\p{Grapheme_Cluster_Break=ZWJ}"
    r"\p{Grapheme_Cluster_Break=Regional_Indicator}\p{Grapheme_Cluster_Break=Prepend}"
    r"\p{Grapheme_Cluster_Break=SpacingMark}\p{Grapheme_Cluster_Break=L}"
    r"\p{Grapheme_Cluster_Break=V}\p{Grapheme_Cluster_Break=T}]"
)
# Regional indicators pair up from the start of their run (UAX #29 GB12/13), so the end of
# a pair that another indicator follows is a cluster boundary. Cutting there first keeps
# segmentation linear: ``\X`` alone is quadratic on a long run of them.
_RI_PAIR = re.compile("[\U0001f1e6-\U0001f1ff]{2}(?=[\U0001f1e6-\U0001f1ff])")
_NON_SPACE = re.compile("[^S]")
# A window of only these classes has no boundary below WORD (see tables.HIGH_ONLY).
_ANY_LOW = re.compile(f"[^{bt.HIGH_ONLY}]")
_NOT_WIDE_CLOSER = re.compile("[^D]")
# Pairs among these are all at level WORD (inside a word, URL or number).
_NOT_WORDLIKE = re.compile("[^ANR]")
_CJK_CONTEXT = re.compile(f"(?<=[{bt.WIDE_BEFORE_CONTEXT}])C+")
# Full-width punctuation between full-width letters or digits belongs to their word.
_FULLWIDTH_WORD = re.compile("(?<=[WM])[FX]+(?=[WM])")
_IN_FULLWIDTH_WORD = str.maketrans("FX", "VW")
# A link number the layout puts after link text (and a citation in plain text).
_LINK_NUMBER = re.compile(r"(?<=\S)\[[0-9]+\]")
# Boundaries a chain of kinsoku is cut at before its kinsoku: a chain holding one starts
# on a line of its own (a word, or the glue before a link number: ``上|上[5]，``).
_BELOW_KINSOKU = frozenset((bt.LEGAL, bt.DISCOURAGED, bt.WORD, bt.LINK_NUMBER))
_SPACE_TO_BLANK = {ord(c): " " for c in "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"}
_CACHE_LIMIT = 1 << 16


class _ClassCache(dict[str, str]):
    def __missing__(self, cluster: str) -> str:
        if len(self) > _CACHE_LIMIT:
            self.clear()
        value = self[cluster] = bt.classify(cluster)
        return value


class _WidthCache(dict[str, int]):
    def __init__(self, ambiguous: int) -> None:
        super().__init__()
        self.ambiguous = ambiguous

    def __missing__(self, cluster: str) -> int:
        if len(self) > _CACHE_LIMIT:
            self.clear()
        if bt.is_space(cluster[0]) and all(bt.is_space(c) for c in cluster):
            # Breakable whitespace is shown as a blank (U+3000 as a wide one).
            value = 2 if wcwidth.wcwidth(cluster[0]) == 2 else 1
        else:
            value = max(0, wcwidth.wcswidth(cluster, ambiguous_width=self.ambiguous))
        self[cluster] = value
        return value


_CLASSES = _ClassCache()
_WIDTHS = {1: _WidthCache(1), 2: _WidthCache(2)}
_PAIRS = {False: bt.pair_table(False), True: bt.pair_table(True)}


def _widths(ambiguous_width: int) -> _WidthCache:
    return _WIDTHS[2 if ambiguous_width == 2 else 1]


def clusters(text: str) -> list[str]:
    """The extended grapheme clusters of ``text`` (UAX #29), in order."""
    if _JOINER.search(text) is None:
        return list(text)
    if _RI_PAIR.search(text) is None:
        return list(_CLUSTER.findall(text))
    out: list[str] = []
    start = 0
    for match in _RI_PAIR.finditer(text):
        if match.start() == start:  # a pair between two cuts is one cluster
            out.append(match.group())
        else:
            out.extend(_CLUSTER.findall(text[start : match.end()]))
        start = match.end()
    out.extend(_CLUSTER.findall(text[start:]))
    return out


def cell_width(text: str, *, ambiguous_width: int = 1) -> int:
    """Terminal cells ``text`` occupies: 2 per wide character, 0 for controls and marks."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(map(_widths(ambiguous_width).__getitem__, clusters(text)))


def truncate(text: str, width: int, *, ellipsis: str = "…", ambiguous_width: int = 1) -> str:
    """``text`` cut to at most ``width`` cells on a cluster boundary, ending in ``ellipsis``.

    Text that fits comes back unchanged. When even the ellipsis does not fit, the result is
    the longest prefix that does, without one.
    """
    if width <= 0:
        return ""
    if cell_width(text, ambiguous_width=ambiguous_width) <= width:
        return text
    units = clusters(text)
    cum = list(accumulate(map(_widths(ambiguous_width).__getitem__, units), initial=0))
    mark_width = cell_width(ellipsis, ambiguous_width=ambiguous_width)
    if mark_width > width:
        ellipsis, mark_width = "", 0
    keep = bisect_right(cum, width - mark_width) - 1
    head = "".join(units[:keep]).rstrip()
    return head + ellipsis


def pad(text: str, width: int) -> str:
    """``text`` truncated to ``width`` cells, then padded with spaces to exactly ``width``."""
    if width <= 0:
        return ""
    cut = truncate(text, width)
    return cut + " " * (width - cell_width(cut))


@dataclass(slots=True)
class _Paragraph:
    """A paragraph as parallel per-cluster arrays."""

    classes: str  # one class letter per cluster
    cum: list[int]  # cum[i] = cells before cluster i
    starts: list[int] | None  # code-point offset of each cluster; None when one cp each


def _as_clause_end(match: re.Match[str]) -> str:
    return "Y" * (match.end() - match.start())


def _in_fullwidth_word(match: re.Match[str]) -> str:
    return match.group().translate(_IN_FULLWIDTH_WORD)


def _glue_link_numbers(text: str, classes: str, starts: list[int] | None) -> str:
    """``classes`` with the ``[`` of each link number marked as glued (class J)."""
    marked: list[str] | None = None
    for match in _LINK_NUMBER.finditer(text):
        at = match.start()
        if starts is not None:
            at = bisect_right(starts, at) - 1
            if starts[at] != match.start():
                continue
        if classes[at] == "O":
            if marked is None:
                marked = list(classes)
            marked[at] = "J"
    return classes if marked is None else "".join(marked)


def _analyse(text: str, ambiguous_width: int) -> _Paragraph:
    widths = _widths(ambiguous_width)
    units: str | list[str] = text
    starts = None
    if _JOINER.search(text) is not None:
        units = clusters(text)
        starts = list(accumulate(map(len, units), initial=0))
    classes = "".join(map(_CLASSES.__getitem__, units))
    classes = _CJK_CONTEXT.sub(_as_clause_end, classes)
    classes = _FULLWIDTH_WORD.sub(_in_fullwidth_word, classes)
    if "[" in text:
        classes = _glue_link_numbers(text, classes, starts)
    cum = list(accumulate(map(widths.__getitem__, units), initial=0))
    return _Paragraph(classes, cum, starts)


def wrap_spans(
    text: str, width: int, options: WrapOptions = WrapOptions()
) -> list[tuple[int, int]]:
    """Break one paragraph into lines of at most ``width`` cells.

    Returns ``(start, end)`` code-point offsets into ``text``, one pair per line; the
    whitespace at each break, and at the paragraph's edges, lies between the pairs. Any
    ``\\n`` counts as a space. A line is wider than ``width`` only when it holds a single
    cluster wider than the width (a wide character at width 1). An empty or blank
    paragraph gives no lines.
    """
    width = max(1, width)
    para = _analyse(text, options.ambiguous_width)
    classes, cum = para.classes, para.cum
    first = _NON_SPACE.search(classes)
    if first is None:
        return []
    end = len(classes.rstrip("S"))
    edges = phrase_edges(text, para.starts) if options.phrases else None
    find_break = _Breaker(classes, cum, width, options.strict_kana, edges)

    lines: list[tuple[int, int]] = []
    start = first.start()
    while start < end:
        # Clusters start..fit-1 fit; a lone cluster wider than the line still goes.
        fit = max(bisect_right(cum, cum[start] + width, start, end + 1) - 1, start + 1)
        if fit >= end:
            lines.append((start, end))
            break
        stop = find_break(start, fit) + 1
        lines.append((start, stop))
        nxt = _NON_SPACE.search(classes, stop)
        start = nxt.start() if nxt is not None else end
    if para.starts is not None:
        offsets = para.starts
        return [(offsets[a], offsets[b]) for a, b in lines]
    return lines


class _Breaker:
    """Chooses where a line ends, scanning back from the last cluster that fits."""

    def __init__(
        self, classes: str, cum: list[int], width: int, strict: bool, edges: set[int] | None
    ) -> None:
        self.classes = classes
        self.cum = cum
        self.width = width
        self.pairs = _PAIRS[strict]
        self.no_start = bt.no_start_after_space(strict)
        self.edges = edges
        # A discouraged break (inside a phrase, 258|億) is taken only when keeping the
        # phrase whole would leave more than this many cells empty.
        self.slack = width // 4

    def level(self, i: int) -> int:
        """Break level of boundary ``i`` (after cluster i); ``i`` must not be inside a space run."""
        classes = self.classes
        a, b = classes[i], classes[i + 1]
        if b == "S":
            after = _NON_SPACE.search(classes, i + 1)
            nxt = classes[after.start()] if after is not None else "A"
            # A space does not lift kinsoku (UAX #14 LB13/LB14): ``Bonjour :`` keeps its colon.
            blocked = nxt in self.no_start or a in bt.NO_END_BEFORE_SPACE
            return bt.ACROSS_SPACE if blocked else bt.LEGAL
        level = self.pairs[a + b]
        if level == bt.LEGAL and self.edges is not None and i not in self.edges:
            return bt.DISCOURAGED
        return level

    def __call__(self, start: int, fit: int) -> int:
        """The boundary index ``i`` (a break between clusters i and i+1), start <= i < fit."""
        classes = self.classes
        # Fast paths for long runs without a real break (a 1 MB word, a page of 。): a
        # window of one level throughout breaks at its end, and in a window with nothing
        # below WORD the first WORD boundary met from the right is the answer.
        if (
            _NOT_WIDE_CLOSER.search(classes, start + 1, fit + 1) is None
            or _NOT_WORDLIKE.search(classes, start, fit + 1) is None
        ):
            return fit - 1
        words_only = _ANY_LOW.search(classes, start, fit + 1) is None
        latest = [-1] * bt.LEVELS  # the last boundary of each level in the window
        i = fit - 1
        while i >= start:
            if classes[i] == "S":  # inside a whitespace run; the run breaks at its start
                i -= 1
                continue
            level = self.level(i)
            if level == bt.LEGAL:
                return self._settle(start, i, latest)
            if level == bt.WORD and words_only:
                return i
            if latest[level] < 0:
                latest[level] = i
            i -= 1
        for last in latest:
            if last >= 0:
                return last
        return start

    def _settle(self, start: int, i: int, latest: list[int]) -> int:
        """Choose between the last real break ``i`` and the worse ones after it."""
        soft = latest[bt.DISCOURAGED]
        if soft > i:
            waste = self.width - (self.cum[i + 1] - self.cum[start])
            return soft if waste > self.slack else i
        # Every boundary in ``latest`` lies after ``i``: the scan runs right to left.
        kinsoku = max(latest[bt.ACROSS_SPACE], latest[bt.KINSOKU])
        if kinsoku >= 0 and latest[bt.WORD] < 0 and self._overlong_chain(i + 1):
            # A kinsoku chain wider than the line (``た！？`` at width 4) is folded anyway:
            # start folding it here rather than leave this line short. A chain with words
            # or a link number in it starts on a line of its own, to be cut there.
            return latest[bt.ACROSS_SPACE] if latest[bt.ACROSS_SPACE] >= 0 else kinsoku
        return i

    def _overlong_chain(self, first: int) -> bool:
        """Whether the clusters from ``first``, joined by kinsoku alone, are wider than the
        line (a chain with a word in it is cut inside the word instead)."""
        classes, cum = self.classes, self.cum
        j = first
        if classes[j] == "S":
            return False
        limit = cum[j] + self.width
        last = len(classes) - 1
        while cum[j + 1] <= limit:
            if j == last or (classes[j] != "S" and self.level(j) in _BELOW_KINSOKU):
                return False
            j += 1
        return True


def wrap(text: str, width: int, options: WrapOptions = WrapOptions()) -> list[str]:
    """The lines of ``wrap_spans`` as strings, with tabs and newlines inside shown as spaces."""
    return [text[a:b].translate(_SPACE_TO_BLANK) for a, b in wrap_spans(text, width, options)]


# --- pangu-style spacing --------------------------------------------------------------

_SPACING = regex.compile(
    rf"(?<=[{LATIN_SPACED}])(?=[A-Za-z0-9@#$&(\[{{])"
    rf"|(?<=[A-Za-z0-9%)\]}}])(?=[{LATIN_SPACED}])"
    rf"|(?<=[{LATIN_SPACED}][,.;:!?])(?=[{LATIN_SPACED}])"
)


def add_cjk_spacing(text: str) -> str:
    """Insert a space between CJK and half-width letters, digits and brackets (pangu style).

    ``在艾媒咨詢CEO張毅看來,廣東`` becomes ``在艾媒咨詢 CEO 張毅看來, 廣東``. Idempotent;
    existing spaces are left alone. Apply it before wrapping, as a display choice.
    """
    return str(_SPACING.sub(" ", text))
