"""The one text pipeline from what a feed sent to what is shown: sanitize -> convert the
script -> fix CJK punctuation. The layout then breaks the result into lines.

Articles go through ``ArticleText`` (per paragraph, style spans carried along); titles,
feed names and status text through ``display_line``, or ``LineCache`` where rows are drawn
again and again. Nothing here changes what is stored: the cache keeps what the feed sent.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.core.text.html.blocks import Block, Heading, ListBlock, Paragraph, Quote, Span, Table
from tui.core.text.punctuation import fix_punctuation
from tui.core.text.sanitize import clean_line

if TYPE_CHECKING:
    from tui.core.text.convert import ArticleScript, Target
    from tui.core.text.ruby import RubyMode

# Spans whose text is left exactly as written by the punctuation fixer: a link's text may
# be a URL or a name, code is code, a ruby unit's reading keeps its ASCII parentheses.
PROTECTED_STYLES = frozenset(("link", "code", "ruby"))
# Spans the line breaker keeps whole unless wider than the line.
UNBROKEN_STYLES = frozenset(("ruby",))


@dataclass(frozen=True, slots=True)
class DisplayOptions:
    """How feed text is shown: in which Chinese script, with which punctuation, and ruby."""

    script: Target = "keep"
    fix_punctuation: bool = True
    ruby: RubyMode = "show"


def display_line(text: str | None, options: DisplayOptions) -> str:
    """One line of feed text (a title, a feed name) as shown: cleaned, converted, fixed."""
    line = clean_line(text)
    if options.script != "keep" and line:
        from tui.core.text.convert import convert_text

        line = convert_text(line, options.script)
    if options.fix_punctuation:
        line = fix_punctuation(line)
    return line


class LineCache:
    """``display_line`` remembered per text and script, for list rows drawn on every scroll.

    Bounded: when full it starts again, which costs one conversion per row on screen.
    """

    def __init__(self, options: DisplayOptions, limit: int = 4096) -> None:
        self.options = options
        self._limit = limit
        self._shown: dict[tuple[str, Target], str] = {}

    def __call__(self, text: str | None, script: Target | None = None) -> str:
        target = self.options.script if script is None else script
        key = (text or "", target)
        shown = self._shown.get(key)
        if shown is None:
            if len(self._shown) >= self._limit:
                self._shown.clear()
            options = self.options
            if target != options.script:
                options = DisplayOptions(target, options.fix_punctuation, options.ruby)
            shown = self._shown[key] = display_line(text, options)
        return shown


class ArticleText:
    """The pipeline for the paragraphs of one article; the script is decided once for all."""

    __slots__ = ("_fix", "_script")

    def __init__(self, options: DisplayOptions, paragraphs: Sequence[str] = ()) -> None:
        self._fix = options.fix_punctuation
        self._script: ArticleScript | None = None
        if options.script != "keep":
            from tui.core.text.convert import ArticleScript

            self._script = ArticleScript(options.script, paragraphs)

    def paragraph(self, text: str, spans: Sequence[Span]) -> tuple[str, tuple[Span, ...]]:
        """A paragraph and its spans as shown; the spans are moved where conversion changed
        the length of a phrase."""
        moved = tuple(spans)
        if self._script is not None:
            cuts = {edge for span in spans for edge in (span.start, span.end)}
            text, where = self._script.convert_cut(text, sorted(cuts))
            if spans:
                moved = tuple(
                    Span(where[s.start], where[s.end], s.style, s.link)
                    for s in spans
                    if s.start in where and s.end in where
                )
        if self._fix:
            protected = [(s.start, s.end) for s in moved if s.style in PROTECTED_STYLES]
            text = fix_punctuation(text, protected)
        return text, moved

    def line(self, text: str) -> str:
        """A short piece of the article without spans: a table cell, a header value."""
        if self._script is not None:
            text = self._script.convert(text)
        return fix_punctuation(text) if self._fix else text


def block_texts(blocks: Sequence[Block]) -> Iterator[str]:
    """The texts of the blocks that are converted, in order (not preformatted text)."""
    stack: list[Block] = list(reversed(blocks))
    while stack:
        block = stack.pop()
        if isinstance(block, Paragraph | Heading):
            yield block.text
        elif isinstance(block, Table):
            for row in block.rows:
                yield from row
        elif isinstance(block, Quote):
            stack.extend(reversed(block.blocks))
        elif isinstance(block, ListBlock):
            for item in reversed(block.items):
                stack.extend(reversed(item))
