"""Chinese script conversion for display: Simplified <-> Traditional with OpenCC.

Only text written in the other script is converted. Running Simplified -> Traditional over
text that is already Traditional damages it (了解 -> 瞭解, 局限 -> 侷限), so each paragraph's
script is detected first from the characters only one script writes that way (廣 vs 广).
A paragraph too short to tell (a heading like 新聞動態 has evidence, 中文 has none) takes
the article's script. Text with kana or Hangul is Japanese or Korean and is never touched:
their kanji and hanja are neither script's business.

Conversion may change the length of a phrase (方便面 -> 泡麵, U盘 -> 隨身碟), so spans
must not be carried over by offset: ``ArticleScript.convert_cut`` converts between span
edges and says where each edge moved.
What callers can rely on: OpenCC writes only ideographs (2 cells each); every other
character stays, in order, except a Latin letter inside a phrase (the U of U盘); it never
adds a newline, a space or a control character. Lay out after converting, never before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Literal, get_args

from tui.core.text import script_tables

Target = Literal["keep", "hans", "hant", "hant-tw", "hant-hk"]
Script = Literal["hans", "hant"]
TARGETS: tuple[Target, ...] = get_args(Target)

# Script-only for hans and hant; hant-tw and hant-hk also take the regional words (软件 ->
# 軟體 in Taiwan, 軟件 in Hong Kong). A source in Traditional is left as written for every
# Traditional target: its regional choices are the author's.
_CONFIGS: dict[tuple[Script, Target], str] = {
    ("hant", "hans"): "t2s",
    ("hans", "hant"): "s2t",
    ("hans", "hant-tw"): "s2twp",
    ("hans", "hant-hk"): "s2hkp",
}
# Kana and Hangul: Japanese or Korean text. Not the katakana middle dot, which Chinese text
# uses in foreign names (哈利・波特).
_FOREIGN = (
    *((0x3041, 0x309F), (0x30A1, 0x30FA), (0x30FC, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)),
    *((0x1100, 0x11FF), (0xAC00, 0xD7A3)),
)
# Evidence is counted by translating every telling character to one of these markers: one
# C-level pass instead of a Python loop over the characters.
_SIMPLIFIED, _TRADITIONAL, _KANA_HANGUL = "\x01", "\x02", "\x03"
# A paragraph decides for itself only with at least this many telling characters, and this
# many times more for one script than for the other: Traditional news carries Simplified
# leftovers (后來, 并), mojibake carries both, and 床前明月光 is Traditional in Taiwan
# although OpenCC writes 牀.
_MINIMUM = 2
_MARGIN = 2


@cache
def _markers() -> str:
    table = [chr(cp) for cp in range(0x10000)]
    for low, high in _FOREIGN:
        table[low : high + 1] = [_KANA_HANGUL] * (high + 1 - low)
    for c in script_tables.SIMPLIFIED_ONLY:
        if ord(c) < 0x10000:
            table[ord(c)] = _SIMPLIFIED
    for c in script_tables.TRADITIONAL:
        if ord(c) < 0x10000:
            table[ord(c)] = _TRADITIONAL
    return "".join(table)


@dataclass(frozen=True, slots=True)
class Evidence:
    """How many characters of a text only Simplified, or only Traditional, writes that way."""

    simplified: int = 0
    traditional: int = 0
    foreign: bool = False  # kana or Hangul: Japanese or Korean, never converted

    def __add__(self, other: Evidence) -> Evidence:
        return Evidence(
            self.simplified + other.simplified,
            self.traditional + other.traditional,
            self.foreign or other.foreign,
        )

    def script(self, margin: int = 1, minimum: int = 1) -> Script | None:
        """The script this evidence points to: one side counts at least ``minimum`` and more
        than ``margin`` times the other."""
        if self.foreign:
            return None
        if self.simplified >= minimum and self.simplified > self.traditional * margin:
            return "hans"
        if self.traditional >= minimum and self.traditional > self.simplified * margin:
            return "hant"
        return None


def evidence(text: str) -> Evidence:
    """Count the script evidence in ``text`` (ideographs beyond the BMP are not counted)."""
    marked = text.translate(_markers())
    if marked.count(_KANA_HANGUL) > text.count(_KANA_HANGUL):
        return Evidence(foreign=True)
    return Evidence(
        marked.count(_SIMPLIFIED) - text.count(_SIMPLIFIED),
        marked.count(_TRADITIONAL) - text.count(_TRADITIONAL),
    )


def detect_script(text: str) -> Script | None:
    """``hans`` or ``hant`` when ``text`` is Chinese in that script; None when not Chinese
    (kana or Hangul present) or when it cannot tell."""
    return evidence(text).script()


@cache
def _opencc(config: str) -> Callable[[str], str]:
    import opencc  # the dictionaries load on first use, and only where conversion is on

    # The tofu-risk dictionaries map to rare code points that terminal fonts often lack.
    converter = opencc.OpenCC(config, include_tofu_risk_dictionaries=False)
    convert: Callable[[str], str] = converter.convert
    return convert


def _safe(convert: Callable[[str], str]) -> Callable[[str], str]:
    def run(text: str) -> str:
        if not text:
            return text
        try:
            return convert(text)
        except (UnicodeError, RuntimeError):
            return text  # lone surrogates cannot go to UTF-8; the text stays as sent

    return run


def converter(source: Script | None, target: Target) -> Callable[[str], str] | None:
    """The function that turns text in ``source`` into ``target``; None when nothing to do."""
    if source is None:
        return None
    config = _CONFIGS.get((source, target))
    return None if config is None else _safe(_opencc(config))


class ArticleScript:
    """Script decisions for the paragraphs of one article (or one title)."""

    __slots__ = ("_known", "fallback", "foreign", "target")

    def __init__(self, target: Target, paragraphs: Sequence[str] = ()) -> None:
        """Look at every paragraph once: the whole text decides where a paragraph can't."""
        self.target = target
        self._known: dict[str, Evidence] = {}
        total = Evidence()
        if target != "keep":
            for text in paragraphs:
                found = self._known[text] = evidence(text)
                total += found
        self.fallback = total.script()
        self.foreign = total.foreign

    def converter_for(self, paragraph: str) -> Callable[[str], str] | None:
        """The conversion for one paragraph, or None to show it as written."""
        if self.target == "keep" or self.foreign:
            return None
        found = self._known.get(paragraph)
        if found is None:
            found = evidence(paragraph)
        if found.foreign:
            return None
        return converter(found.script(_MARGIN, _MINIMUM) or self.fallback, self.target)

    def convert(self, paragraph: str) -> str:
        convert = self.converter_for(paragraph)
        return paragraph if convert is None else convert(paragraph)

    def convert_cut(self, paragraph: str, cuts: Sequence[int]) -> tuple[str, dict[int, int]]:
        """``paragraph`` converted piece by piece between the offsets ``cuts`` (the edges of
        its style spans), and where each cut lands in the result.

        The paragraph is decided as a whole; a phrase across a cut is left to its pieces.
        """
        convert = self.converter_for(paragraph)
        edges = sorted({0, len(paragraph), *(c for c in cuts if 0 <= c <= len(paragraph))})
        if convert is None:
            return paragraph, {edge: edge for edge in edges}
        moved = {0: 0}
        pieces: list[str] = []
        size = 0
        for start, end in pairwise(edges):
            piece = convert(paragraph[start:end])
            pieces.append(piece)
            size += len(piece)
            moved[end] = size
        return "".join(pieces), moved


def convert_text(text: str, target: Target) -> str:
    """``text`` (one title, or paragraphs separated by newlines) shown in ``target``."""
    if target == "keep" or not text:
        return text
    paragraphs = text.split("\n")
    article = ArticleScript(target, paragraphs)
    return "\n".join(article.convert(p) for p in paragraphs)
