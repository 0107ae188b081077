"""What a layout produces and how it is asked for: options, styled lines, an article.

Plain data shared by the layout, the reader and the commands.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.text.breaker import WrapOptions
from tui.core.text.display import DisplayOptions
from tui.core.text.spans import Segment

# No terminal is wider; a rule or grid at an absurd width would allocate without bound.
MAX_WIDTH = 4096


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
