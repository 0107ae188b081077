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

from tui.core.text.sanitize import clean_line
from tui.ui.screens.feeds import SCRIPT_NAMES
from tui.ui.screens.main import MainScreen
from tui.ui.screens.tags import edit_tags
from tui.ui.views import VIRTUAL_LABELS, View

Command = tuple[str, Callable[[], None], str]
"""(prompt, what to run, help)."""

_VIRTUAL_HELP = {
    "all": "Every entry of every feed, newest first",
    "unread": "The entries not read yet",
    "starred": "The entries you starred (s)",
}


class ReaderCommands(Provider):
    """Commands of the main screen, offered only while it is the screen below the palette."""

    def _main(self) -> MainScreen | None:
        screen = self.screen
        return screen if isinstance(screen, MainScreen) else None

    def _commands(self, main: MainScreen) -> Iterator[Command]:
        yield "Refresh all feeds", main.action_refresh_all, "Fetch every feed now (R)"
        yield "Refresh this feed", main.action_refresh_feed, "Fetch the feeds of this list (r)"
        yield (
            "Mark all in this list read",
            main.action_mark_all_read,
            "Every entry of this list, read; u undoes it (A)",
        )
        yield "Search entries", main.action_search, "Words or a phrase, in this feed or all (/)"
        yield "Add a feed", main.action_add_feed, "A feed's URL or a site's address (a)"
        yield "Show failing feeds", main.action_show_errors, "Which feeds fail, and why (e)"
        yield "Zoom the article", main.action_zoom, "The article over the whole screen, or back (z)"
        entry = main.current_entry()
        url = main.view.value if main.view.kind == "feed" else entry.feed_url if entry else None
        if url:
            on = url in main.service.full_text_feeds()
            prompt = f"Always fetch full articles of this feed: {'off' if on else 'on'}"
            yield (
                prompt,
                partial(main.opener.full_text.set_feed, url, not on),
                "Open this feed's entries as the full web page (f for one)",
            )
        yield "Filter this list", main.action_filter, "Narrow this list by an expression (F)"
        yield "Save filter as query", main.filters.save_as_query, "Keep the filter, by name"
        yield "Edit tags of this feed", partial(edit_tags, main), "Group feeds under tags"
        for kind, label in VIRTUAL_LABELS.items():
            view = View(kind)  # type: ignore[arg-type]
            yield f"Go to {label}", partial(self._go, main, view), _VIRTUAL_HELP[kind]
        if main.view.kind == "feed":
            for script, name in SCRIPT_NAMES.items():
                choice = None if script == "default" else script
                yield (
                    f"Show this feed in {name}",
                    partial(main.feed_actions.set_script, choice),
                    "Convert its Chinese text to this script",
                )
        for feed in main.service.feeds():
            view = View("feed", feed.url, feed.id)
            title = main.service.show_line(feed.display_title, feed.id)
            state = (
                f"failing: {clean_line(feed.error)}" if feed.error else f"{feed.unread:,} unread"
            )
            yield (
                f"Go to feed: {title}",
                partial(self._go, main, view),
                f"Show its entries ({state})",
            )
        for saved in main.service.saved_queries():
            view = View("query", saved.name, query=saved.query)
            name = main.service.show_line(saved.name)
            yield f"Go to query: {name}", partial(self._go, main, view), "Show the entries it finds"

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
