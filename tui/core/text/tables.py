"""Line-break classes and the pair table behind ``tui.core.text.breaker``.

Every grapheme cluster gets a one-letter class; the break level between two adjacent
clusters is looked up from their classes. Lower levels are better places to break:

* 0: a normal break opportunity (whitespace, between ideographs).
* 1: allowed but discouraged: inside a budoux phrase, or between a number and a
  CJK unit/classifier (``258|億``).
* 2: kinsoku across a space (``Bonjour : oui``, UAX #14 LB13/LB14).
* 3: inside a word: a Latin or full-width word, number or URL, a prefix sign and its
  digits, a Korean eojeol (keep-all), a no-break space.
* 4: before a link number ``[5]``: it moves down with what it follows unless that
  word alone is wider than the line.
* 5: kinsoku (jlreq/clreq): before a closing mark, after an opening mark. A unit wider
  than the line is cut inside its words first, so ``2018|.png``, ``요|”``, ``[5]|。``
  and ``(|2018`` are the last resort.
* 6: inside the two-em marks ``——`` and ``……`` (one mark in two characters).

Levels 2 and up are used only to fold a unit that is wider than the line by itself.

Classes (one letter each, so a paragraph's classes form a str the regex engine can scan):

====  ===========================================================================
S     whitespace (breakable, dropped at a break)
G     no-break glue: NBSP, narrow NBSP, figure space, word joiner, ZWNBSP
Z     zero-width space: break after, never before
O/P   opening bracket or quote, narrow/wide: never at a line end
C/D   closing, stop, comma, iteration or postfix mark, narrow/wide: never at a line start
L     leader ``…‥⋯``: a ``C`` that also never splits from its twin
Y     a ``C`` run right after a wide character (``看來,廣東``, ``事”,2018``):
      it ends a CJK clause, so it may end a line like its full-width cousins, even
      before a digit or letter
J     the ``[`` of a link number ``[5]``: glued to what precedes, never at a line end
F/X   full-width ASCII punctuation, closing/other (``，．：％``/``－／＠``): ``D``/``I``
      between CJK text, ``V``/``W`` inside a full-width word or number (``１，２４０``)
V     a full-width closing mark inside a full-width word: a ``C`` of wide text
K     small kana: ``D`` under strict kinsoku, an ideograph otherwise
H     Hangul: a letter of a word, broken at spaces (keep-all)
I     ideograph, kana, wide symbol or emoji: breaks on both sides
N/M   digit, narrow/full-width
W     full-width Latin letter
R/Q   prefix sign (currency, ``#``), narrow/wide: stays with the digits after it
E     em dash or horizontal bar: a pair never splits either
A     anything else: Latin and other alphabetic scripts, ASCII symbols
====  ===========================================================================
"""

from __future__ import annotations

import wcwidth

# Closing marks that never start a line. Full-width or not is decided from the width
# table, so one set serves both; jlreq cl-02..07, cl-09, cl-11, cl-13 and the clreq basic
# set, plus the ASCII forms real zh news text mixes in.
NOT_AT_START = frozenset(
    ")]},.:;!?%"
    "）〕］｝〉》」』】〙〗〟〞’”»›｠｣"  # closing brackets and quotes
    "‐〜゠–～"  # hyphens
    "！？‼⁇⁈⁉"  # dividing punctuation
    "・：；·‧･"  # middle dots and colons
    "。．｡、，､"  # full stops and commas
    "﹐﹑﹒﹔﹕﹖﹗"  # small form variants
    "ヽヾゝゞ々〻゛゜"  # iteration and sound marks
    "ーｰ"  # prolonged sound mark: design.md keeps it off line starts in every mode
    "‰‱°℃℉′″‴％"  # postfix units
    "…‥⋯"  # leaders: the second of a pair never starts a line either
)
# Small kana (UAX #14 class CJ): kept off line starts only under strict kinsoku.
SMALL_KANA = frozenset(
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｬｭｮｯ"
)
NOT_AT_END = frozenset("([{（〔［｛〈《「『【〘〖〝‘“«‹｟｢﹙﹛﹝")
PREFIX = frozenset("$¥£€#№＄￥￡＃₩")
DASHES = frozenset("—―")
LEADERS = frozenset("…‥⋯")
GLUE = frozenset("\u00a0\u2007\u202f\u2060\ufeff")
ZWSP = "\u200b"

_FULLWIDTH_BRACKETS = frozenset("）］｝")
_EMOJI_MARKS = frozenset("\u200d\ufe0f\u20e3")


def _is_hangul(cp: int) -> bool:
    return (
        0xAC00 <= cp <= 0xD7A3
        or 0x1100 <= cp <= 0x11FF
        or 0x3130 <= cp <= 0x318F
        or 0xA960 <= cp <= 0xA97F
        or 0xD7B0 <= cp <= 0xD7FF
        or 0xFFA0 <= cp <= 0xFFDC
    )


def _is_emoji_cluster(cluster: str) -> bool:
    for ch in cluster:
        cp = ord(ch)
        if (
            ch in _EMOJI_MARKS
            or 0x1F3FB <= cp <= 0x1F3FF  # skin tones
            or 0x1F1E6 <= cp <= 0x1F1FF  # regional indicators
            or 0xE0020 <= cp <= 0xE007F  # tag sequences (subdivision flags)
        ):
            return True
    return False


def _is_fullwidth_ascii(cp: int) -> bool:
    return 0xFF01 <= cp <= 0xFF5E


def is_space(ch: str) -> bool:
    """Whitespace the breaker may drop at a break (no-break spaces excluded)."""
    return ch.isspace() and ch not in GLUE


def classify(cluster: str) -> str:
    """The one-letter break class of a grapheme cluster (see the module docstring)."""
    ch = cluster[0]
    if ch.isspace() and ch not in GLUE:
        return "S" if all(is_space(c) for c in cluster) else "A"
    if len(cluster) > 1 and _is_emoji_cluster(cluster):
        return "I"
    if ch in GLUE:
        return "G"
    if ch == ZWSP:
        return "Z"
    wide = wcwidth.wcwidth(ch) == 2
    cp = ord(ch)
    if ch in LEADERS:
        return "L"
    if ch in NOT_AT_START:
        if _is_fullwidth_ascii(cp) and ch not in _FULLWIDTH_BRACKETS:
            return "F"
        return "D" if wide else "C"
    if ch in NOT_AT_END:
        return "P" if wide else "O"
    if ch in PREFIX:
        return "Q" if wide else "R"
    if ch in DASHES:
        return "E"
    if ch in SMALL_KANA:
        return "K"
    if ch.isdecimal():
        return "M" if wide else "N"
    if _is_hangul(cp):
        return "H"
    if 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A:
        return "W"
    if _is_fullwidth_ascii(cp):
        return "X"
    # Half-width katakana are narrow but break like kana (UAX #14 class ID).
    if wide or 0x1F1E6 <= cp <= 0x1F1FF or 0xFF66 <= cp <= 0xFF9D:
        return "I"
    return "A"


# Break levels, best first (see the module docstring).
LEGAL, DISCOURAGED, ACROSS_SPACE, WORD, LINK_NUMBER, KINSOKU, TWO_EM = range(7)
LEVELS = 7

ALL_CLASSES = "SGZOPCDLYJFXVKHINMWRQEA"
# Classes that may not follow a break, and may not follow a whitespace break either
# (UAX #14 LB13: ``Bonjour : oui`` keeps its colon).
_NO_START = "CDLYJFV"
_NO_END = "OPJ"
_NARROW = "ANOCLREJ"
_WORD = "ANMWV"
# Wide classes: a narrow closing mark right after one of these may end a line.
WIDE_BEFORE_CONTEXT = "IDKHMWPQFXV"
# Outside a full-width word, its punctuation breaks like other wide punctuation.
_OUTSIDE_WORD = {"F": "D", "X": "I", "K": "I"}


def _pair_level(a: str, b: str, strict: bool) -> int:
    a = _OUTSIDE_WORD.get(a, a)
    b = "D" if b == "K" and strict else _OUTSIDE_WORD.get(b, b)
    if (a == "E" and b == "E") or (a == "L" and b == "L"):
        return TWO_EM
    if b == "J":
        return LINK_NUMBER
    if a == "G" or b in "GZ" or (a in "RQ" and b in "NM"):
        return WORD
    if b in _NO_START or a in _NO_END:
        return KINSOKU
    if a in _NARROW and b in _NARROW:
        return WORD
    if a == "Z":
        return LEGAL
    if a == "H" or b == "H" or (a in _WORD and b in _WORD):
        return WORD
    if a in "NM" and b == "I":
        return DISCOURAGED
    return LEGAL


def pair_table(strict: bool) -> dict[str, int]:
    """Break level for every two-letter class pair ``a + b`` (neither a space)."""
    return {a + b: _pair_level(a, b, strict) for a in ALL_CLASSES for b in ALL_CLASSES}


def no_start_after_space(strict: bool) -> str:
    """Classes that keep a preceding whitespace run from being a break."""
    return _NO_START + ("K" if strict else "")


NO_END_BEFORE_SPACE = _NO_END
# Classes whose pairs with each other are all at level WORD or above (checked by the tests).
HIGH_ONLY = "ANOCLREHGJ"
