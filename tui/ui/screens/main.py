"""The main screen's keys: reading, marking, refreshing, searching, adding and deleting feeds.

Every binding has an id, so ``[keymap]`` in config.toml can rebind it; ``check_action``
hides the keys that mean nothing in the current context (no entry, not a feed).
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType

from tui.core.models import RefreshProgress, RefreshReport
from tui.core.service import AddResult, FeedService
from tui.core.text.sanitize import clean_line
from tui.ui.messages import FeedRefreshed, RefreshFinished, RefreshProgressed, RefreshStarted
from tui.ui.screens.errors import ErrorsScreen
from tui.ui.screens.modals import AddFeedScreen, ConfirmScreen, PromptScreen
from tui.ui.screens.reading import ReadingScreen
from tui.ui.snapshot import take_snapshot
from tui.ui.state import SavedView
from tui.ui.views import ALL, View

_RELOAD_DELAY = 0.4
_PROGRESS_INTERVAL = 0.1


class MainScreen(ReadingScreen):
    """The reader's screen: every key is bound here (reading actions live in reading.py)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit_or_back", "Back; quit from the lists", id="quit"),
        Binding("escape", "back", "Back", id="back", show=False),
        Binding("tab", "next_pane", "Next pane", id="next_pane", show=False),
        Binding("shift+tab", "previous_pane", "Previous pane", id="previous_pane", show=False),
        Binding("n", "next_unread", "Next unread", id="next_unread"),
        Binding("p", "previous_unread", "Previous unread", id="previous_unread"),
        Binding("o", "open_in_browser", "Open in browser", id="open_in_browser"),
        *(
            Binding(
                str(n), f"open_link({n})", "Open numbered link", id=f"open_link_{n}", show=False
            )
            for n in range(1, 10)
        ),
        Binding("m", "toggle_read", "Toggle read", id="toggle_read"),
        Binding("s", "toggle_star", "Toggle star", id="toggle_star"),
        Binding("A", "mark_all_read", "Mark all in this list read", id="mark_all_read"),
        Binding("r", "refresh_feed", "Refresh this feed", id="refresh_feed"),
        Binding("R", "refresh_all", "Refresh all feeds", id="refresh_all"),
        Binding("slash", "search", "Search", id="search"),
        Binding("a", "add_feed", "Add a feed", id="add_feed"),
        Binding("d", "delete_feed", "Delete this feed", id="delete_feed"),
        Binding("e", "show_errors", "Failing feeds", id="show_errors"),
    ]

    def __init__(
        self,
        service: FeedService,
        *,
        clock: Callable[[], datetime],
        saved: SavedView | None = None,
        refresh_on_start: bool = False,
        help_key: str = "?",
        add_key: str = "a",
        demo: bool = False,
    ) -> None:
        super().__init__(service, clock=clock, saved=saved)
        self._refresh_on_start = refresh_on_start
        self._help_key = help_key
        self._add_key = add_key
        self._demo = demo
        self._reload_pending = False
        self._progress: tuple[int, int] | None = None
        self.refreshing = False

    def started(self) -> None:
        self.status.set_help_key(self._help_key, demo=self._demo)
        self.call_after_refresh(_settle_memory)
        minutes = self.service.config.auto_reload_minutes
        if minutes > 0:
            self.set_interval(minutes * 60, self._auto_reload, name="auto-reload")
        if not self.service.feeds():
            # A first start: say how to get feeds, in every layout.
            hint = (
                f"No feeds yet. Press {self._add_key} to add a feed or a site's address, "
                "or run: yuedu import subscriptions.opml"
            )
            self.app.notify(hint, title="Welcome to yuedu", timeout=15, markup=False)
        elif self._refresh_on_start:
            self.run_refresh(None)

    def _auto_reload(self) -> None:
        if not self.refreshing:
            self.run_refresh(None)

    # context ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_in_browser", "toggle_read", "toggle_star"):
            return self.current_entry() is not None
        if action == "open_link":
            return self.article_open
        if action == "delete_feed":
            return self.view.kind == "feed"
        if action == "mark_all_read":
            return bool(self.entry_list.ids)
        return True

    # feeds -----------------------------------------------------------------------------

    def _feed_urls(self) -> list[str] | None:
        """The feeds behind the current list: one feed, a tag's feeds, or all (None)."""
        if self.view.kind == "feed":
            return [self.view.value]
        if self.view.kind == "tag":
            return [f.url for f in self.service.feeds() if self.view.value in f.tags]
        return None

    def action_refresh_feed(self) -> None:
        self.start_refresh(self._feed_urls())

    def action_refresh_all(self) -> None:
        self.start_refresh(None)

    def start_refresh(self, urls: list[str] | None) -> None:
        if self.refreshing:
            self.app.notify("A refresh is already running", timeout=2)
            return
        if not self.service.feeds():
            self.app.notify("No feeds yet: press a to add one", timeout=3)
            return
        self.run_refresh(urls)

    def action_search(self) -> None:
        current = self.search_view.value if self.search_view else ""
        self.app.push_screen(
            PromptScreen("Search all entries", placeholder="words, 中文, 日本語…", value=current),
            self._searched,
        )

    def _searched(self, query: str | None) -> None:
        if not query:
            return
        self.search_view = View("search", clean_line(query))
        self.reload_feeds()
        self.show_view(self.search_view)
        self.focus_pane("entries")

    def action_add_feed(self) -> None:
        self.app.push_screen(AddFeedScreen(self.service.add_feed), self._added)

    def _added(self, result: AddResult | None) -> None:
        if result is None:
            return
        feed = result.feed
        self.reload_feeds()
        self.show_view(View("feed", feed.url, feed.id))
        self.focus_pane("entries")
        name = clean_line(feed.display_title)
        if result.already_subscribed:
            message = f"Already subscribed to {name}"
        else:
            message = f"Subscribed to {name}: {result.new_entries} entries"
        self.app.notify(message, markup=False)

    def action_delete_feed(self) -> None:
        if self.view.kind != "feed":
            return
        feed = self.service.feed(self.view.value)
        if feed is None:
            return
        if not self.service.config.confirm_delete:
            self._delete(feed.url, True)
            return
        question = Text("Delete the feed ")
        question.append(clean_line(feed.display_title), style="bold")
        question.append(" and its entries?")
        self.app.push_screen(ConfirmScreen(question), lambda yes: self._delete(feed.url, yes))

    def _delete(self, url: str, yes: bool | None) -> None:
        if not yes:
            return
        self.service.remove_feed(url)
        self._forget_view(url)
        self.reload_feeds()
        self.show_view(ALL)
        self.feed_list.select_view(ALL, notify=False)
        self.app.notify("Feed deleted", markup=False, timeout=2)

    def _forget_view(self, url: str) -> None:
        self._cursor_memory.pop(View("feed", url).key, None)
        self.view = ALL

    def action_show_errors(self) -> None:
        self.app.push_screen(ErrorsScreen(self.service.failing_feeds()), self._error_chosen)

    def _error_chosen(self, url: str | None) -> None:
        if url is None:
            return
        feed = self.service.feed(url)
        if feed is not None:
            self.show_view(View("feed", feed.url, feed.id))
            self.focus_pane("entries")

    def on_unmount(self) -> None:
        # What start-up built is garbage now; let the collector have it back.
        gc.unfreeze()

    # refresh ---------------------------------------------------------------------------

    @work(exclusive=True, group="refresh", exit_on_error=False)
    async def run_refresh(self, urls: list[str] | None) -> None:
        """Refresh in the background; lists update as feeds land, the cursor stays put."""
        self.refreshing = True
        total = len(urls) if urls is not None else len(self.service.feeds())
        self.post_message(RefreshStarted(total))

        def progressed(progress: RefreshProgress) -> None:
            self.post_message(FeedRefreshed(progress.status))
            self.post_message(RefreshProgressed(progress.done, progress.total))

        try:
            report = await self.service.refresh(urls, progress=progressed)
        except asyncio.CancelledError:
            self.refreshing = False
            self.post_message(RefreshFinished(None, "refresh cancelled"))
            raise
        except Exception as exc:
            self.refreshing = False
            self.post_message(RefreshFinished(None, f"refresh failed: {clean_line(str(exc))}"))
            return
        self.refreshing = False
        self.post_message(RefreshFinished(report))

    @on(RefreshStarted)
    def _refresh_started(self, message: RefreshStarted) -> None:
        self.entry_list.load_in_background = True
        self._progress = None
        self.status.refresh_started(message.total)

    @on(RefreshProgressed)
    def _refresh_progressed(self, message: RefreshProgressed) -> None:
        # Feeds land hundreds a second when they answer 304; a count drawn ten times a
        # second reads the same and leaves the frames to the keys.
        if self._progress is None:
            self.set_timer(_PROGRESS_INTERVAL, self._show_progress)
        self._progress = (message.done, message.total)

    def _show_progress(self) -> None:
        progress, self._progress = self._progress, None
        if progress is not None and self.refreshing:
            self.status.refresh_progressed(*progress)

    @on(FeedRefreshed)
    def _feed_refreshed(self, message: FeedRefreshed) -> None:
        if message.status.new_entries or not message.status.ok or message.status.moved_to:
            self._schedule_reload()

    def _schedule_reload(self) -> None:
        # Coalesce: a refresh of 500 feeds must not rebuild the lists 500 times.
        if not self._reload_pending:
            self._reload_pending = True
            self.set_timer(_RELOAD_DELAY, self._reload_now)

    def _reload_now(self) -> None:
        self._reload_pending = False
        entries = self.entry_list
        self._reload_in_thread(self.view, entries.current_id, entries.cursor)

    @work(thread=True, exclusive=True, group="reload", exit_on_error=False)
    def _reload_in_thread(self, view: View, cursor_id: int | None, index: int) -> None:
        # The store is busy with the refresh's writes; waiting for it here, not on the
        # event loop, keeps keys responsive while feeds land.
        snapshot = take_snapshot(
            self.service, view, with_entries=True, cursor_id=cursor_id, fallback_index=index
        )
        self.app.call_from_thread(self.apply_snapshot, snapshot)

    @on(RefreshFinished)
    def _refresh_finished(self, message: RefreshFinished) -> None:
        self._progress = None
        self.entry_list.load_in_background = False
        self.reload_lists()
        self.status.refresh_finished(summarise(message.report, message.error, self._clock()))


def _settle_memory() -> None:
    """Exempt what start-up built (modules, styles, widgets) from garbage collection.

    A full collection walks every object that lives on, and those are most of them: during
    a refresh, full collections took up to 70 ms each, and a key pressed meanwhile waited.
    """
    gc.collect()
    gc.freeze()


def summarise(report: RefreshReport | None, error: str | None, now: datetime) -> str:
    """The status line after a refresh: time, new entries, failures."""
    if report is None:
        return error or "refresh stopped"
    parts = [f"Updated {now.astimezone():%H:%M}", f"{report.new_entries} new"]
    if report.failed:
        parts.append(f"{len(report.failed)} failing (e)")
    return " · ".join(parts)
