"""The main screen's dialogs about feeds: search, add, delete, and the failing feeds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from tui.core.service import AddResult
from tui.core.text.sanitize import clean_line
from tui.ui.screens.errors import ErrorsScreen
from tui.ui.screens.modals import AddFeedScreen, ConfirmScreen, PromptScreen
from tui.ui.views import ALL, View

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen


class FeedActions:
    """Each action opens its dialog; the answer changes the lists of ``screen``."""

    def __init__(self, screen: MainScreen) -> None:
        self._screen = screen
        self._service = screen.service

    def search(self) -> None:
        search_view = self._screen.lists.search_view
        current = search_view.value if search_view else ""
        self._screen.app.push_screen(
            PromptScreen("Search all entries", placeholder="words, 中文, 日本語…", value=current),
            self._searched,
        )

    def _searched(self, query: str | None) -> None:
        if not query:
            return
        lists = self._screen.lists
        lists.search_view = View("search", clean_line(query))
        lists.reload_feeds()
        self._go_to(lists.search_view)

    def _go_to(self, view: View) -> None:
        self._screen.lists.show_view(view)
        self._screen.focus_pane("entries")

    def add(self) -> None:
        self._screen.app.push_screen(AddFeedScreen(self._service.add_feed), self._added)

    def _added(self, result: AddResult | None) -> None:
        if result is None:
            return
        feed = result.feed
        self._screen.lists.reload_feeds()
        self._go_to(View("feed", feed.url, feed.id))
        name = clean_line(feed.display_title)
        if result.already_subscribed:
            message = f"Already subscribed to {name}"
        else:
            message = f"Subscribed to {name}: {result.new_entries} entries"
        self._screen.app.notify(message, markup=False)

    def delete(self) -> None:
        view = self._screen.lists.view
        if view.kind != "feed":
            return
        feed = self._service.feed(view.value)
        if feed is None:
            return
        if not self._service.config.confirm_delete:
            self._delete(feed.url, True)
            return
        question = Text("Delete the feed ")
        question.append(clean_line(feed.display_title), style="bold")
        question.append(" and its entries?")
        self._screen.app.push_screen(
            ConfirmScreen(question), lambda yes: self._delete(feed.url, yes)
        )

    def _delete(self, url: str, yes: bool | None) -> None:
        if not yes:
            return
        self._service.remove_feed(url)
        lists = self._screen.lists
        lists.forget_feed(url)
        lists.reload_feeds()
        self._go_to(ALL)
        self._screen.app.notify("Feed deleted", markup=False, timeout=2)

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
