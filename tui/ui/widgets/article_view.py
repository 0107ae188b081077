"""The article pane: an entry laid out by the text engine at the pane's width, and its links."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.models import Entry
from tui.core.text.lines import Article
from tui.core.text.sanitize import clean_line
from tui.ui.browser import BrowserError, open_in_browser
from tui.ui.render import ROLE_STYLES, line_text
from tui.ui.terminal import run_suspended

LayoutFunction = Callable[[Entry, int], Article]
VariantLayout = Callable[[int], Article]
"""Another rendering of the shown entry (its full article, say) at a width."""

_CACHE_SIZE = 16


class ArticleView(ScrollView, can_focus=True):
    """Draws only the visible lines; a new width lays the article out again at once.

    Laid-out lines are cached per (entry id, width), so going back to a width (or to
    an article) already seen costs nothing.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_lines(1)", "Down", id="down", show=False),
        Binding("k,up", "scroll_lines(-1)", "Up", id="up", show=False),
        Binding("pagedown,space", "scroll_pages(1)", "Page down", id="page_down", show=False),
        Binding("pageup,b", "scroll_pages(-1)", "Page up", id="page_up", show=False),
        Binding("g,home", "scroll_to_end(False)", "Top", id="top", show=False),
        Binding("G,end", "scroll_to_end(True)", "Bottom", id="bottom", show=False),
        Binding("n", "find_next(1)", "Next match of / in the article", id="find_next"),
        Binding("N", "find_next(-1)", "Previous match of / in the article", id="find_previous"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--title",
        "article-view--heading",
        "article-view--link",
        "article-view--meta",
        "article-view--match",
    }

    DEFAULT_CSS = """
    ArticleView {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        padding: 0 1;
        & > .article-view--title { color: $accent; text-style: bold; }
        & > .article-view--heading { color: $secondary; text-style: bold; }
        & > .article-view--link { color: $primary; text-style: underline; }
        & > .article-view--meta { color: $text-muted; }
        & > .article-view--match { background: $warning 40%; text-style: bold; }
    }
    """

    # Which roles take which theme colour (the rest keep render.ROLE_STYLES).
    _THEMED_ROLES: ClassVar[dict[str, str]] = {
        "title": "article-view--title",
        "h1": "article-view--heading",
        "h2": "article-view--heading",
        "h3": "article-view--heading",
        "link": "article-view--link",
        "meta-label": "article-view--meta",
    }

    def __init__(
        self,
        layout: LayoutFunction,
        *,
        browser: Sequence[str] = (),
        placeholder: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._layout = layout
        self._browser = tuple(browser)
        self._placeholder = placeholder
        self._note: str | None = None
        self._terms: tuple[str, ...] = ()
        self._finding = ""
        self._entry: Entry | None = None
        self._variant: tuple[str, VariantLayout] | None = None
        self._width = 0
        self._lines: list[Text] = []
        self._links: tuple[str, ...] = ()
        self._cache: OrderedDict[tuple[int, int, str], tuple[list[Text], tuple[str, ...]]] = (
            OrderedDict()
        )

    @property
    def entry(self) -> Entry | None:
        return self._entry

    @property
    def variant(self) -> str | None:
        """The name of what is shown instead of the entry's body, if anything."""
        return self._variant[0] if self._variant is not None else None

    @property
    def lines(self) -> Sequence[Text]:
        """The article as laid out for the current width (for tests and copying)."""
        return self._lines

    @property
    def links(self) -> tuple[str, ...]:
        """The URLs of the article's ``[n]`` references, as laid out."""
        return self._links

    @property
    def layout_width(self) -> int:
        return self._width

    def show(
        self, entry: Entry | None, *, note: str | None = None, terms: Sequence[str] = ()
    ) -> None:
        """Show ``entry`` from the top (None: the empty pane, saying ``note`` or the
        placeholder), with ``terms`` (a search's words) highlighted."""
        self._entry = entry
        self._terms = tuple(terms)
        self._finding = ""
        self._note = note
        self._variant = None
        self._redraw()

    def show_variant(self, name: str | None, layout: VariantLayout | None = None) -> None:
        """Show the entry as ``layout`` lays it out (cached under ``name``) from the top;
        None goes back to the entry's body."""
        self._variant = (name, layout) if name is not None and layout is not None else None
        self._redraw()

    def _redraw(self) -> None:
        self._width = 0
        self._lines = []
        self._links = ()
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True)

    def update_flags(self, entry: Entry) -> None:
        """Take the read and starred state of ``entry`` (a light row of the same entry)."""
        if self._entry is not None and self._entry.id == entry.id:
            self._entry = replace(self._entry, read=entry.read, starred=entry.starred)

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        if self._entry is None:
            note = self._note if self._note is not None else self._placeholder
            self._lines = [Text(note, style="dim", end="")] if note else []
        elif width != self._width or not self._lines:
            name = self._variant[0] if self._variant is not None else ""
            key = (self._entry.id, width, name)
            cached = self._cache.get(key)
            if cached is None:
                styles = self._role_styles()
                if self._variant is not None:
                    article = self._variant[1](width)
                else:
                    article = self._layout(self._entry, width)
                cached = [line_text(line, styles) for line in article.lines], article.links
                self._cache[key] = cached
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(key)
            self._lines, self._links = cached
        self._width = width
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def _role_styles(self) -> dict[str, Style]:
        styles = dict(ROLE_STYLES)
        for role, component in self._THEMED_ROLES.items():
            styles[role] = self.get_component_rich_style(component, partial=True)
        return styles

    def on_resize(self, event: events.Resize) -> None:
        # Keep reading where the reader was: the text at the top stays at the top, found by
        # how many visible characters come before it (new widths move only the breaks).
        top = int(self.scroll_offset.y)
        before = sum(_ink(line) for line in self._lines[:top])
        self._relayout()
        if not self._lines or not before:
            return
        seen = 0
        for index, line in enumerate(self._lines):
            seen += _ink(line)
            if seen > before:
                self.scroll_to(y=index, animate=False, immediate=True)
                return

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.call_after_refresh(self._relayout)

    def _theme_changed(self, _theme: object) -> None:
        # Cached lines carry the old theme's colours.
        self.forget_layout()

    def forget_layout(self) -> None:
        """Lay out again: the look or the text of the lines changed."""
        self._cache.clear()
        self._width = 0
        self.call_after_refresh(self._relayout)

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[index]
        if self._terms and self._entry is not None:
            line = line.copy()
            match = self.get_component_rich_style("article-view--match", partial=True)
            line.highlight_words(self._terms, match, case_sensitive=False)
        segments = [
            Segment(seg.text, base + seg.style if seg.style else base)
            for seg in line.render(self.app.console)
            if seg.text and seg.text != "\n"
        ]
        return Strip(segments).adjust_cell_length(width, base)

    def action_scroll_lines(self, count: int) -> None:
        self.scroll_to(y=self.scroll_offset.y + count, animate=False, immediate=True)

    def action_scroll_pages(self, count: int) -> None:
        page = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_offset.y + count * page, animate=False, immediate=True)

    def action_scroll_to_end(self, bottom: bool) -> None:
        y = max(0, len(self._lines) - self.scrollable_content_region.height) if bottom else 0
        self.scroll_to(y=y, animate=False, immediate=True)

    # finding -------------------------------------------------------------------------

    def find(self, text: str) -> int:
        """Highlight ``text`` and scroll to its first match from the top line on; the count
        of lines that hold it."""
        self._finding = text.casefold()
        self._terms = (text,) if text else ()
        self.refresh()
        found = self._matching_lines()
        if found:
            top = int(self.scroll_offset.y)
            self._scroll_to_line(next((i for i in found if i >= top), found[0]))
        return len(found)

    def _matching_lines(self) -> list[int]:
        wanted = self._finding
        return [i for i, line in enumerate(self._lines) if wanted in line.plain.casefold()]

    def _scroll_to_line(self, index: int) -> None:
        self.scroll_to(y=max(0, index - 2), animate=False, immediate=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # n and N mean next unread entry unless a find is under way.
        return bool(self._finding) if action == "find_next" else True

    def action_find_next(self, step: int) -> None:
        found = self._matching_lines()
        if not found:
            self.app.notify(f"Not in this article: {clean_line(self._finding)}", timeout=2)
            return
        top = int(self.scroll_offset.y) + 2
        after = [i for i in found if (i > top if step > 0 else i < top)]
        target = (min(after) if step > 0 else max(after)) if after else found[0 if step > 0 else -1]
        self._scroll_to_line(target)

    # links -----------------------------------------------------------------------------

    def open_link(self, number: int) -> None:
        """Open the article's link ``[number]`` in the browser."""
        if self._entry is None:
            return
        if not 1 <= number <= len(self._links):
            self.app.notify(f"This article has no link [{number}]", markup=False, timeout=2)
            return
        self.open_url(self._links[number - 1])

    def open_url(self, url: str | None, *, base: str | None = None) -> bool:
        """Open ``url`` (relative to ``base``) in the configured browser; say what happened."""
        try:
            opened = open_in_browser(
                url, configured=self._browser, base=base, run_in_terminal=self._in_terminal
            )
        except BrowserError as exc:
            self.app.notify(clean_line(str(exc)), severity="error", markup=False)
            return False
        self.app.notify(clean_line(f"Opened {opened}"), markup=False, timeout=3)
        return True

    def _in_terminal(self, argv: list[str]) -> None:
        run_suspended(self.app, argv)


def _ink(line: Text) -> int:
    """Characters of a laid-out line that are not spaces or soft hyphens."""
    return sum(1 for ch in line.plain if not ch.isspace() and ch != "\u00ad")
