"""The main screen: feeds, entries and the article, laid out by terminal width (``Panes``),
and its keys.

Every binding has an id, so ``[keymap]`` in config.toml can rebind it. A key that cannot
act here (no entry under the cursor, not a feed) says why rather than doing nothing.

The lists' contents are kept by ``Lists``, refreshing by ``Refresher``, writes of read and
starred state by ``MarkWriter``, the article's links by ``ArticleView``; the store is read
for an article on a thread, whether it is opened or previewed.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen

from tui.core.models import Entry
from tui.core.service import FeedService
from tui.ui.article_actions import ArticleActions
from tui.ui.lists import Lists
from tui.ui.marks import Marks, MarksWritten
from tui.ui.messages import RefreshMessage
from tui.ui.opening import ArticleOpener
from tui.ui.panes import Pane, Panes
from tui.ui.refresh import Refresher
from tui.ui.screens.feeds import FeedActions
from tui.ui.screens.filter import FilterActions
from tui.ui.state import PaneSizes, SavedView
from tui.ui.views import View
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.entry_list import EntryList
from tui.ui.widgets.feed_list import FeedList
from tui.ui.widgets.status_bar import StatusBar

EntryRead = Callable[[int, bool, Entry | None], None]


class MainScreen(Screen[None]):
    """Lists on the left, the article on the right; see the module docstring for layouts."""

    AUTO_FOCUS = "#entries"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit_or_back", "Back one level; quit from the feeds", id="quit"),
        Binding("escape", "back", "Back one level", id="back", show=False),
        Binding("tab", "next_pane", "Next pane", id="next_pane", show=False),
        Binding("shift+tab", "previous_pane", "Previous pane", id="previous_pane", show=False),
        Binding("n", "next_unread", "Next unread", id="next_unread"),
        Binding("p", "previous_unread", "Previous unread", id="previous_unread"),
        Binding("o", "open_in_browser", "Open in browser", id="open_in_browser"),
        Binding("f", "full_text", "Full article / feed text", id="full_text"),
        *(
            Binding(
                str(n), f"open_link({n})", "Open numbered link", id=f"open_link_{n}", show=False
            )
            for n in range(1, 10)
        ),
        Binding("m", "toggle_read", "Toggle read", id="toggle_read"),
        Binding("s", "toggle_star", "Toggle star", id="toggle_star"),
        Binding("A", "mark_all_read", "Mark all in this list read", id="mark_all_read"),
        Binding("u", "undo_mark_all", "Undo the last mark-all", id="undo_mark_all"),
        Binding("r", "refresh_feed", "Refresh this feed", id="refresh_feed"),
        Binding("R", "refresh_all", "Refresh all feeds", id="refresh_all"),
        Binding("slash", "search", "Search", id="search"),
        Binding("F", "filter", "Filter this list", id="filter", show=False),
        Binding("ctrl+f", "clear_filter", "Clear the filter", id="clear_filter", show=False),
        Binding("a", "add_feed", "Add a feed", id="add_feed"),
        Binding("d", "delete_feed", "Delete this feed", id="delete_feed"),
        Binding("e", "show_errors", "Failing feeds", id="show_errors"),
        Binding("z", "zoom", "Article full-screen, or back", id="zoom"),
        Binding("left_square_bracket", "resize(-4, 0)", "Narrower feeds pane", id="feeds_narrower"),
        Binding("right_square_bracket", "resize(4, 0)", "Wider feeds pane", id="feeds_wider"),
        Binding("less_than_sign", "resize(0, 5)", "Wider article pane", id="article_wider"),
        Binding(
            "greater_than_sign", "resize(0, -5)", "Narrower article pane", id="article_narrower"
        ),
        Binding("y", "article('copy_link')", "Copy the link", id="copy_link"),
        Binding("S", "article('save')", "Save the article as text", id="save_article"),
        Binding("vertical_line", "article('pipe')", "Pipe the article to", id="pipe_article"),
        Binding("P", "article('play')", "Play the enclosure", id="open_enclosure"),
        Binding("D", "article('download')", "Download the enclosure", id="download_enclosure"),
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
        super().__init__()
        self.service = service
        self.clock = clock
        self._saved = saved
        self._refresh_on_start = refresh_on_start
        self._help_key = help_key
        self._add_key = add_key
        self._demo = demo
        self.panes = Panes(self, saved.sizes if saved is not None else PaneSizes())
        self.opener = ArticleOpener(self)
        self.refresher = Refresher(self)
        self.feed_actions = FeedActions(self)
        self.filters = FilterActions(self)
        self.article_actions = ArticleActions(self)
        self.ready = False
        """True once the first list is on screen."""

    def compose(self) -> ComposeResult:
        ascii_markers = self.service.config.text.ambiguous_width == 2
        # Kept as attributes: the app reads the cursor after the widgets are unmounted.
        self.feed_list = FeedList(id="feeds")
        self.entry_list = EntryList(
            self.service.entries_by_ids,
            clock=self.clock,
            ascii_markers=ascii_markers,
            show=self.service.show_line,
            id="entries",
        )
        self.article = ArticleView(
            self.service.article_lines,
            browser=self.service.config.browser,
            placeholder="Enter opens the entry under the cursor.",
            id="article",
        )
        self.status = StatusBar(id="status")
        self.lists = Lists(self.service, self.feed_list, self.entry_list, self.status)
        self.marks = Marks(
            self.service,
            self.lists,
            self.entry_list,
            self.article,
            self.post_message,
            pushed_by=self.refresher.server,
        )
        with Horizontal(id="panes"):
            yield self.feed_list
            yield self.entry_list
            yield self.article
        yield self.status

    @property
    def view(self) -> View:
        return self.lists.view

    @property
    def refreshing(self) -> bool:
        return self.refresher.running

    @property
    def article_open(self) -> bool:
        """An entry was opened (Enter): not the preview the wide layout shows of the cursor's."""
        return self.opener.is_open

    @property
    def layout_mode(self) -> str:
        """One of "wide", "medium" or "narrow"."""
        return self.panes.layout

    @property
    def article_settled(self) -> bool:
        """No article is waiting for the cursor to rest or for the store (pictures and tests
        wait on it)."""
        return self.opener.settled

    def on_mount(self) -> None:
        self.panes.apply_layout(self.app.size.width)
        self.lists.start(self._saved)
        self.focus_pane("entries")
        self.ready = True
        self.status.set_help_key(self._help_key, demo=self._demo)
        self.call_after_refresh(_settle_memory)
        self.refresher.reload_every(self.service.config.auto_reload_minutes)
        if not self.service.feeds() and not self.refresher.server.enabled:
            # A first start: say how to get feeds, in every layout.
            hint = (
                f"No feeds yet. Press {self._add_key} to add a feed or a site's address, "
                "or run: yuedu import subscriptions.opml"
            )
            self.app.notify(hint, title="Welcome to yuedu", timeout=15, markup=False)
        elif self._refresh_on_start:
            self.refresher.run(None)

    def on_unmount(self) -> None:
        # What start-up built is garbage now; let the collector have it back.
        gc.unfreeze()
        self.marks.close()
        self.refresher.server.close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_link":
            return self.article_open
        return True

    # layout and panes ------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        if self.panes.apply_layout(event.size.width):
            self.opener.schedule_preview()

    def focus_pane(self, pane: Pane) -> None:
        """Show (in medium and narrow layouts) and focus a pane."""
        self.panes.focus(pane)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.panes.focused(event.widget.id)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.panes.mouse_down(event)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.panes.mouse_move(event)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self.panes.mouse_up(event)

    def action_next_pane(self) -> None:
        self.panes.cycle(1, with_article=self.article_open)

    def action_previous_pane(self) -> None:
        self.panes.cycle(-1, with_article=self.article_open)

    def action_resize(self, feeds: int, article: int) -> None:
        self.panes.resize(feeds=feeds, article=article)

    def action_zoom(self) -> None:
        self.panes.toggle_zoom()

    def action_quit_or_back(self) -> None:
        if not self.panes.step_back():
            self.app.exit()

    def action_back(self) -> None:
        self.panes.step_back()

    # routing ---------------------------------------------------------------------------

    @on(FeedList.ViewHighlighted)
    def _view_highlighted(self, event: FeedList.ViewHighlighted) -> None:
        if event.view.key != self.view.key:
            self.lists.show_view(event.view)

    @on(FeedList.ViewSelected)
    def _view_selected(self, event: FeedList.ViewSelected) -> None:
        if event.view.key != self.view.key:
            self.lists.show_view(event.view)
        self.focus_pane("entries")

    @on(EntryList.EntrySelected)
    def _entry_selected(self, event: EntryList.EntrySelected) -> None:
        self.opener.open(event.entry_id)

    @on(EntryList.EntryHighlighted)
    def _entry_highlighted(self, event: EntryList.EntryHighlighted) -> None:
        # The list's cursor left the opened entry (a key, a new list after a feed was added
        # or deleted): the pane follows the cursor rather than keep a stale article.
        opener = self.opener
        if opener.is_open and event.entry_id != opener.opened_id and self.panes.pane != "article":
            opener.release()
        opener.schedule_preview()

    @on(RefreshMessage)
    def _refresh_message(self, message: RefreshMessage) -> None:
        self.refresher.handle(message)

    @on(MarksWritten)
    def _marks_written(self, message: MarksWritten) -> None:
        self.marks.written(message, self.app.notify)

    # the article -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def read_entry(self, entry_id: int, opened: bool, then: EntryRead) -> None:
        """Read an entry on a thread, then ``then(entry_id, opened, entry)`` on the event loop."""
        # During a refresh the store may be busy for tens of ms.
        entry = None
        try:
            entry = self.service.entry(entry_id)
        finally:
            self.app.call_from_thread(then, entry_id, opened, entry)

    def current_entry(self) -> Entry | None:
        """The entry keys act on: the article when it has focus, else the one under the cursor."""
        if self.article_open and (self.panes.pane == "article" or self.layout_mode != "wide"):
            return self.article.entry
        entry_id = self.entry_list.current_id
        return self.entry_list.entry_at(self.entry_list.cursor) if entry_id is not None else None

    # keys ------------------------------------------------------------------------------

    def action_next_unread(self) -> None:
        self._jump_to_unread(1)

    def action_previous_unread(self) -> None:
        self._jump_to_unread(-1)

    def _jump_to_unread(self, step: int) -> None:
        entry_id = self.lists.next_unread(step)
        if entry_id is None:
            self.app.notify("No more unread entries", timeout=2)
        elif self.article_open:
            self.opener.open(entry_id)
        elif (index := self.entry_list.index_of(entry_id)) is not None:
            self.entry_list.move_cursor(index)

    def _entry_or_say(self) -> Entry | None:
        """The entry keys act on, or None after saying there is none."""
        entry = self.current_entry()
        if entry is None:
            self.app.notify("No entry under the cursor", timeout=2)
        return entry

    def action_open_in_browser(self) -> None:
        entry = self._entry_or_say()
        if entry is None:
            return
        if self.article.open_url(entry.link, base=entry.feed_url) and not entry.read:
            self.marks.set_flags(entry, read=True)

    def action_full_text(self) -> None:
        self.opener.full_text.toggle()

    def action_open_link(self, number: int) -> None:
        self.article.open_link(number)

    def action_toggle_read(self) -> None:
        if (entry := self._entry_or_say()) is not None:
            self.marks.set_flags(entry, read=not entry.read)

    def action_toggle_star(self) -> None:
        if (entry := self._entry_or_say()) is not None:
            self.marks.set_flags(entry, starred=not entry.starred)

    def action_mark_all_read(self) -> None:
        self.marks.ask_mark_all_read(self.app, max(1, self.entry_list.size.height))

    def action_undo_mark_all(self) -> None:
        self.marks.undo(self.app.notify)

    def action_refresh_feed(self) -> None:
        self.refresher.start(self.lists.feed_urls())

    def action_refresh_all(self) -> None:
        self.refresher.start(None)

    def action_search(self) -> None:
        self.feed_actions.search()

    def action_filter(self) -> None:
        self.filters.prompt()

    def action_clear_filter(self) -> None:
        self.filters.clear()

    def action_add_feed(self) -> None:
        self.feed_actions.add()

    def action_delete_feed(self) -> None:
        self.feed_actions.delete()

    def action_show_errors(self) -> None:
        self.feed_actions.show_errors()

    def action_article(self, name: str) -> None:
        if (entry := self._entry_or_say()) is not None:
            getattr(self.article_actions, name)(entry)


def _settle_memory() -> None:
    """Exempt what start-up built (modules, styles, widgets) from garbage collection.

    A full collection walks every object that lives on, and those are most of them: during
    a refresh, full collections took up to 70 ms each, and a key pressed meanwhile waited.
    """
    gc.collect()
    gc.freeze()
