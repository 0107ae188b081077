"""Command palette (Ctrl+P): go to a feed, refresh, mark all read, search, and more (Textual's
own commands pick the theme).

Feed titles are untrusted: prompts are ``Text`` built from plain strings, never markup, and
the fuzzy matcher's own highlighter (which parses markup) is not used on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.core.text.sanitize import clean_line
from tui.ui.screens.main import MainScreen
from tui.ui.views import VIRTUAL_LABELS, View

Command = tuple[str, Callable[[], None], str]
"""(prompt, what to run, help)."""


class ReaderCommands(Provider):
    """Commands of the main screen, offered only while it is the screen below the palette."""

    def _main(self) -> MainScreen | None:
        screen = self.screen
        return screen if isinstance(screen, MainScreen) else None

    def _commands(self, main: MainScreen) -> Iterator[Command]:
        yield "Refresh all feeds", main.action_refresh_all, "command"
        yield "Refresh this feed", main.action_refresh_feed, "command"
        yield "Mark all in this list read", main.action_mark_all_read, "command"
        yield "Search entries", main.action_search, "command"
        yield "Add a feed", main.action_add_feed, "command"
        yield "Show failing feeds", main.action_show_errors, "command"
        for kind, label in VIRTUAL_LABELS.items():
            yield f"Go to {label}", partial(self._go, main, View(kind)), "virtual feed"  # type: ignore[arg-type]
        for feed in main.service.feeds():
            view = View("feed", feed.url, feed.id)
            title = clean_line(feed.display_title)
            yield f"Go to feed: {title}", partial(self._go, main, view), "feed"

    @staticmethod
    def _go(main: MainScreen, view: View) -> None:
        main.lists.show_view(view)
        main.focus_pane("entries")

    async def discover(self) -> Hits:
        main = self._main()
        if main is None:
            return
        for prompt, run, help_text in list(self._commands(main))[:6]:
            yield DiscoveryHit(Text(prompt), run, text=prompt, help=help_text)

    async def search(self, query: str) -> Hits:
        main = self._main()
        if main is None:
            return
        matcher = self.matcher(query)
        for prompt, run, help_text in self._commands(main):
            score = matcher.match(prompt)
            if score > 0:
                yield Hit(score, Text(prompt), run, text=prompt, help=help_text)
