"""ASCII punctuation inside Chinese and Japanese text shown in its full-width form.

Feeds mix ASCII ``, : ; ? ! ( )`` into CJK sentences (``4月21日,廣東``). Between CJK
characters they become ``，：；？！（）``. Anything touching Latin text or a number on its
left stays (``1,240``, ``Hello, world (really)``, ``3:30``), as does everything inside a
URL or a protected range (code, ruby). A mark may stand before a number that carries a CJK
unit (``第九,2017年`` is a clause end). Parentheses change as a pair or not at all: a CJK
character before ``(`` decides, or after ``)`` when the parenthesis holds CJK text itself
(``API(应用程序接口)是``), so ``f(x)的`` stays.

One character in, one character out, so offsets of spans stay valid. Korean is left alone:
Korean writes ASCII punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_KANA = "\u3041-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_CJK_LETTER = re.compile(f"[{_HAN}{_KANA}\u3005\u3007]")
# CJK punctuation and full-width forms belong to the CJK side as neighbours; so do curly
# quotes, which Chinese text uses as its quotation marks (``“粵省事”,2018``).
_CJK_SIDE = f"{_HAN}{_KANA}\u3000-\u303f\uff01-\uff60\ufe30-\ufe4f"
_LEFT = re.compile(f"[{_CJK_SIDE}\u201d\u2019]")
_RIGHT = re.compile(f"[{_CJK_SIDE}\u201c\u201d\u2018\u2019]|[0-9]+[{_HAN}]")
_MARKS = re.compile(r"[,:;?!]+")
_PARENS = re.compile(r"[()]")
_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*://|www\.)[!-~]*")
_WIDE = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in ",:;?!()"})


def fix_punctuation(text: str, protected: Sequence[tuple[int, int]] = ()) -> str:
    """``text`` with ASCII ``, : ; ? ! ( )`` between CJK characters made full-width.

    ``protected``: ``(start, end)`` ranges left exactly as they are (code, ruby readings).
    The result has the same length as ``text``.
    """
    if not text.isascii() and (
        "," in text or ":" in text or ";" in text or "?" in text or "!" in text or "(" in text
    ):
        return _fix(text, protected)
    return text


def _fix(text: str, protected: Sequence[tuple[int, int]]) -> str:
    keep = [*protected, *_urls(text)] if "/" in text else protected
    # Parentheses first: a widened one is a CJK neighbour to the marks (``(注),後面``).
    wide = _paired(text, keep)
    for match in _MARKS.finditer(text):
        start, end = match.span()
        if (
            start
            and (start - 1 in wide or _LEFT.match(text, start - 1))
            and (end in wide or _RIGHT.match(text, end))
            and not _kept(start, end, keep)
        ):
            wide.update(range(start, end))
    if not wide:
        return text
    chars = list(text)
    for i in wide:
        chars[i] = chars[i].translate(_WIDE)
    return "".join(chars)


def _paired(text: str, keep: Sequence[tuple[int, int]]) -> set[int]:
    """Positions of the parentheses to widen: both of a matched pair, in CJK context."""
    pairs: list[tuple[int, int]] = []
    opened: list[int] = []
    for match in _PARENS.finditer(text):
        i = match.start()
        if text[i] == "(":
            opened.append(i)
        elif opened:
            pairs.append((opened.pop(), i))
    out: set[int] = set()
    # Outer pairs first: a pair just inside a widened one sees it as the full-width
    # neighbour it becomes (``（(注)）``, ``(a(中))文``), so fixing twice changes nothing.
    for j, i in sorted(pairs):
        # A pair right after a widened pair continues it: ``（注）(一)``.
        before = j > 0 and (j - 1 in out or _LEFT.match(text, j - 1) is not None)
        after = (
            i + 1 < len(text)
            and (i + 1 in out or _RIGHT.match(text, i + 1) is not None)
            and _CJK_LETTER.search(text, j + 1, i) is not None
        )
        if (before or after) and not _kept(j, j + 1, keep) and not _kept(i, i + 1, keep):
            out.update((j, i))
    return out


def _urls(text: str) -> list[tuple[int, int]]:
    """URL spans; a ``)`` that closes a parenthesis opened before the URL is not part of it."""
    out = []
    for match in _URL.finditer(text):
        start, end = match.span()
        if text[end - 1] == ")" and match[0].count("(") < match[0].count(")"):
            end -= 1
        out.append((start, end))
    return out


def _kept(start: int, end: int, keep: Sequence[tuple[int, int]]) -> bool:
    return any(a < end and start < b for a, b in keep)
