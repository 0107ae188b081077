"""The main screen's dialogs about feeds: search, add, delete, and the failing feeds."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Literal

from rich.text import Text

from tui.core.errors import YueduError
from tui.core.service import AddResult
from tui.core.text.sanitize import clean_line
from tui.ui.screens.errors import ErrorsScreen
from tui.ui.screens.modals import AddFeedScreen, ConfirmScreen, PromptScreen, SearchScreen
from tui.ui.views import ALL, View

if TYPE_CHECKING:
    from tui.core.text.convert import Target
    from tui.ui.screens.main import MainScreen

SCRIPT_NAMES: dict[Target | Literal["default"], str] = {
    "keep": "its own script",
    "hans": "Simplified Chinese",
    "hant": "Traditional Chinese",
    "hant-tw": "Traditional Chinese (Taiwan)",
    "hant-hk": "Traditional Chinese (Hong Kong)",
    "default": "the script the config sets",
}
"""What the reader offers for "Show this feed in …"."""


class FeedActions:
    """Each action opens its dialog; the answer changes the lists of ``screen``."""

    def __init__(self, screen: MainScreen) -> None:
        self._screen = screen
        self._service = screen.service
        self._scope: int | None = None

    def search(self) -> None:
        """Search the current feed (or all feeds); in an open article, find in it."""
        screen = self._screen
        if screen.article_open and screen.panes.pane == "article":
            screen.app.push_screen(PromptScreen("Find in this article"), self._find)
            return
        lists = screen.lists
        search_view = lists.search_view
        feed = lists.view if lists.view.kind == "feed" else None
        if feed is None and search_view is not None and search_view.feed_id is not None:
            feed = View("feed", "", search_view.feed_id)
        name = None
        if feed is not None:
            found = next((f for f in self._service.feeds() if f.id == feed.feed_id), None)
            name = found.display_title if found is not None else None
        self._scope = feed.feed_id if feed is not None and name is not None else None
        value = search_view.value if search_view else ""
        screen.app.push_screen(SearchScreen(name, value=value), self._searched)

    def _searched(self, answer: tuple[str, bool] | None) -> None:
        if answer is None:
            return
        query, everywhere = answer
        lists = self._screen.lists
        scope = None if everywhere else self._scope
        lists.search_view = View("search", clean_line(query), scope)
        lists.reload_feeds()
        self._go_to(lists.search_view)

    def _find(self, text: str | None) -> None:
        if not text:
            return
        found = self._screen.article.find(clean_line(text))
        if found:
            self._screen.app.notify(f"{found} lines hold it: n next, N previous", timeout=3)
        else:
            self._screen.app.notify("Not in this article", timeout=2)

    def _go_to(self, view: View) -> None:
        self._screen.lists.show_view(view)
        self._screen.focus_pane("entries")

    def add(self) -> None:
        server = self._screen.refresher.server
        add = server.add if server.enabled else self._service.add_feed
        self._screen.app.push_screen(AddFeedScreen(add), self._added)

    def _added(self, result: AddResult | None) -> None:
        if result is None:
            return
        feed = result.feed
        self._screen.lists.reload_feeds()
        self._go_to(View("feed", feed.url, feed.id))
        name = self._service.show_line(feed.display_title, feed.id)
        if result.already_subscribed:
            message = f"Already subscribed to {name}"
        else:
            message = f"Subscribed to {name}: {result.new_entries} entries"
        self._screen.app.notify(message, markup=False)

    def delete(self) -> None:
        view = self._screen.lists.view
        feed = self._service.feed(view.value) if view.kind == "feed" else None
        if feed is None:
            what = {"tag": "a tag", "search": "a search"}.get(view.kind, "a list of all feeds")
            self._screen.app.notify(
                f"d deletes a feed: this is {what}. Choose a feed in the feeds pane first.",
                timeout=4,
                markup=False,
            )
            return
        if not self._service.config.confirm_delete:
            self._delete(feed.url, True)
            return
        question = Text("Delete the feed ")
        question.append(self._service.show_line(feed.display_title, feed.id), style="bold")
        question.append(" and its entries?")
        self._screen.app.push_screen(
            ConfirmScreen(question), lambda yes: self._delete(feed.url, yes)
        )

    def _delete(self, url: str, yes: bool | None) -> None:
        if not yes:
            return
        if not self._screen.refresher.server.enabled:
            self._service.remove_feed(url)
            self._deleted(url)
            return
        self._screen.run_worker(
            partial(self._delete_on_server, url), thread=True, group="delete", exit_on_error=False
        )

    def _delete_on_server(self, url: str) -> None:
        app = self._screen.app
        try:
            self._screen.refresher.server.remove(url)
        except YueduError as exc:
            app.call_from_thread(app.notify, f"Not deleted: {exc}", severity="error", markup=False)
            return
        app.call_from_thread(self._deleted, url)

    def _deleted(self, url: str) -> None:
        lists = self._screen.lists
        lists.forget_feed(url)
        lists.reload_feeds()
        self._go_to(ALL)
        self._screen.app.notify("Feed deleted", markup=False, timeout=2)

    def set_script(self, script: Target | None) -> None:
        """Show the current feed in ``script`` from now on (None: as the config says)."""
        view = self._screen.lists.view
        if view.kind != "feed":
            return
        feed = self._service.set_feed_script(view.value, script)
        screen = self._screen
        screen.lists.reload_feeds()
        screen.entry_list.redraw()
        screen.article.forget_layout()
        name = self._service.show_line(feed.display_title, feed.id)
        shown = SCRIPT_NAMES[script or "default"]
        screen.app.notify(f"{name}: shown in {shown}", markup=False, timeout=3)

    def show_errors(self) -> None:
        self._screen.app.push_screen(
            ErrorsScreen(self._service.failing_feeds()), self._error_chosen
        )

    def _error_chosen(self, url: str | None) -> None:
        if url is None:
            return
        feed = self._service.feed(url)
        if feed is not None:
            self._go_to(View("feed", feed.url, feed.id))
