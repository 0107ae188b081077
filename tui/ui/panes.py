"""The main screen's panes: which show at this width, which has focus, how wide each is, and
the article zoomed to the whole screen.

Wide terminals (>= 120 columns) show all three panes; medium ones show feeds and entries,
and the article full-width while it has focus; narrow ones (< 70) show the focused pane only.
Keys and a drag on a pane's border change the widths (``PaneSizes``, kept between runs).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from textual import events
from textual.css.scalar import Scalar, Unit

from tui.ui.state import PaneSizes

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen

Pane = Literal["feeds", "entries", "article"]
Border = Literal["feeds", "article"]
WIDE = 120
NARROW = 70
FEEDS_STEP = 4
ARTICLE_STEP = 5


class Panes:
    """Layout classes, focus and widths of the panes of ``screen``."""

    def __init__(self, screen: MainScreen, sizes: PaneSizes) -> None:
        self._screen = screen
        self.sizes = sizes.clamped()
        self.layout = ""
        """One of "wide", "medium" or "narrow"."""
        self.pane: Pane = "entries"
        self.zoomed = False
        self._dragging: Border | None = None

    # layout and focus ------------------------------------------------------------------

    def apply_layout(self, width: int) -> bool:
        """Take the layout for ``width`` columns; True when it changed."""
        layout = "wide" if width >= WIDE else "narrow" if width < NARROW else "medium"
        if layout == self.layout:
            return False
        for name in ("wide", "medium", "narrow"):
            self._screen.set_class(name == layout, f"-{name}")
        self.layout = layout
        self._apply_sizes()
        return True

    def focus(self, pane: Pane) -> None:
        """Show (in medium and narrow layouts) and focus a pane."""
        self.set_pane(pane)
        # At once, not later as Widget.focus does: a key typed next must find it focused.
        self._screen.set_focus(self._screen.query_one(f"#{pane}"))

    def set_pane(self, pane: Pane) -> None:
        self.pane = pane
        for name in ("feeds", "entries", "article"):
            self._screen.set_class(name == pane, f"-pane-{name}")

    def focused(self, widget_id: str | None) -> None:
        """A pane took focus (by a key, a click or a dialog closing)."""
        for pane in ("feeds", "entries", "article"):
            if widget_id == pane:
                self.set_pane(pane)

    def cycle(self, step: int, *, with_article: bool) -> None:
        panes: list[Pane] = (
            ["feeds", "entries", "article"] if with_article else ["feeds", "entries"]
        )
        index = panes.index(self.pane) if self.pane in panes else 0
        self.focus(panes[(index + step) % len(panes)])

    def zoom(self, on: bool) -> None:
        """The article alone over the whole width (on), or back among the lists."""
        self.zoomed = on
        self._screen.set_class(on, "-zoom")

    def toggle_zoom(self) -> None:
        """Zoom the opened article, or open the cursor's entry zoomed; or zoom back out."""
        screen = self._screen
        if self.zoomed:
            self.zoom(False)
        elif screen.article_open or (entry_id := screen.entry_list.current_id) is None:
            self.zoom(screen.article_open)
        else:
            screen.opener.open(entry_id)
            self.zoom(True)

    def step_back(self) -> bool:
        """One level up, as newsboat: article, entry list, feeds; False at the feeds."""
        pane = self.pane
        if self.zoomed:
            self.zoom(False)
        elif self._screen.article_open:
            self._screen.opener.close()
        elif pane in ("article", "entries"):
            self.focus("feeds" if pane == "entries" else "entries")
        else:
            return False
        return True

    # widths ----------------------------------------------------------------------------

    def resize(self, *, feeds: int = 0, article: int = 0) -> None:
        """Widen (positive) or narrow the feeds pane by cells, the article by percent."""
        sizes = self.sizes
        self.set_sizes(PaneSizes(sizes.feeds + feeds, sizes.article + article))

    def set_sizes(self, sizes: PaneSizes) -> None:
        self.sizes = sizes.clamped()
        self._apply_sizes()

    def _apply_sizes(self) -> None:
        screen = self._screen
        feeds, entries, article = (
            screen.query_one(f"#{pane}") for pane in ("feeds", "entries", "article")
        )
        if self.layout == "narrow":
            # One pane at a time, each the whole width: the stylesheet's widths hold.
            feeds.styles.width = None
            entries.styles.width = None
            article.styles.width = None
            return
        feeds.styles.width = Scalar(self.sizes.feeds, Unit.CELLS, Unit.WIDTH)
        share = self.sizes.article if self.layout == "wide" else 50
        entries.styles.width = Scalar(100 - share, Unit.FRACTION, Unit.WIDTH)
        article.styles.width = Scalar(share, Unit.FRACTION, Unit.WIDTH)

    # dragging a border -----------------------------------------------------------------

    def mouse_down(self, event: events.MouseDown) -> None:
        """A press on the feeds pane's right border or the article's left one starts a drag."""
        if self.layout == "narrow" or self.zoomed:
            return
        screen = self._screen
        feeds = screen.feed_list.region
        article = screen.article.region
        x, y = event.screen_x, event.screen_y
        if feeds.height and x == feeds.right - 1 and feeds.y <= y < feeds.bottom:
            self._dragging = "feeds"
        elif article.width and x == article.x and article.y <= y < article.bottom:
            self._dragging = "article"
        else:
            return
        screen.capture_mouse()
        event.stop()

    def mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging is None:
            return
        screen = self._screen
        x = event.screen_x
        if self._dragging == "feeds":
            self.set_sizes(replace(self.sizes, feeds=x - screen.feed_list.region.x + 1))
        else:
            panes = screen.query_one("#panes").region
            room = max(1, panes.right - screen.feed_list.region.right)
            share = round((panes.right - x) * 100 / room)
            self.set_sizes(replace(self.sizes, article=share))
        event.stop()

    def mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging is not None:
            self._dragging = None
            self._screen.capture_mouse(False)
            event.stop()
