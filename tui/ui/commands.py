"""Command palette (Ctrl+P): go to a feed or a saved query, refresh, mark all read, search,
filter and save the filter as a query, edit a feed's tags, and more (Textual's own commands
pick the theme).

Feed titles are untrusted: prompts are ``Text`` built from plain strings, never markup, and
the fuzzy matcher's own highlighter (which parses markup) is not used on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.ui.screens.feeds import SCRIPT_NAMES
from tui.ui.screens.main import MainScreen
from tui.ui.screens.tags import edit_tags
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
        entry = main.current_entry()
        url = main.view.value if main.view.kind == "feed" else entry.feed_url if entry else None
        if url:
            on = url in main.service.full_text_feeds()
            prompt = f"Always fetch full articles of this feed: {'off' if on else 'on'}"
            yield prompt, partial(main.opener.full_text.set_feed, url, not on), "feed setting"
        yield "Filter this list", main.action_filter, "command"
        yield "Save filter as query", main.filters.save_as_query, "command"
        yield "Edit tags of this feed", partial(edit_tags, main), "command"
        for kind, label in VIRTUAL_LABELS.items():
            yield f"Go to {label}", partial(self._go, main, View(kind)), "virtual feed"  # type: ignore[arg-type]
        if main.view.kind == "feed":
            for script, name in SCRIPT_NAMES.items():
                choice = None if script == "default" else script
                yield (
                    f"Show this feed in {name}",
                    partial(main.feed_actions.set_script, choice),
                    "feed",
                )
        for feed in main.service.feeds():
            view = View("feed", feed.url, feed.id)
            title = main.service.show_line(feed.display_title, feed.id)
            yield f"Go to feed: {title}", partial(self._go, main, view), "feed"
        for saved in main.service.saved_queries():
            view = View("query", saved.name, query=saved.query)
            name = main.service.show_line(saved.name)
            yield f"Go to query: {name}", partial(self._go, main, view), "query"

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
