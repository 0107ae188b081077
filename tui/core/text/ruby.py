"""Ruby annotations (``<ruby>漢字<rt>かんじ</rt></ruby>``) as terminal text.

A terminal has no line above the text, so the reading follows its base in parentheses:
``漢字(かんじ)``, or the base alone when readings are hidden. Per-character ruby
(``<ruby>漢<rt>かん</rt>字<rt>じ</rt></ruby>``) reads as one word, so the bases are
joined and the readings are joined: ``漢字(かんじ)``, not ``漢(かん)字(じ)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

RubyMode = Literal["show", "hide"]
RUBY_MODES: tuple[RubyMode, ...] = ("show", "hide")


def ruby_text(pairs: Sequence[tuple[str, str]], mode: RubyMode = "show") -> tuple[str, int]:
    """The text of one ruby element from its ``(base, reading)`` pairs, and the length of
    the base part within it.

    Whitespace around the pieces is dropped; ``<rp>`` content must not be passed in (the
    parentheses are added here). A reading that is empty or repeats the base adds nothing.
    The whole result is one unit that the line breaker must not split; the reading's
    parentheses stay ASCII (``fix_punctuation`` must treat the unit as protected).
    """
    base = "".join(b.strip() for b, _ in pairs)
    reading = "".join(r.strip() for _, r in pairs)
    if mode == "hide" or not reading or reading == base:
        return base, len(base)
    if not base:
        return reading, len(reading)
    return f"{base}({reading})", len(base)
