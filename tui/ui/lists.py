"""What the feed and entry lists show: the current view, its cursor, and reloads from the store."""

from __future__ import annotations

from dataclasses import replace

from tui.core.models import Feed, SavedQuery
from tui.core.service import FeedService
from tui.core.text.sanitize import clean_line
from tui.ui.snapshot import ListSnapshot, take_snapshot, unread_count
from tui.ui.state import SavedView
from tui.ui.views import ALL, View, parse_key
from tui.ui.widgets.entry_list import EntryList
from tui.ui.widgets.feed_list import FeedList, build_rows
from tui.ui.widgets.status_bar import StatusBar


class Lists:
    """The main screen's two lists and the status line's count, kept in step."""

    def __init__(
        self, service: FeedService, feeds: FeedList, entries: EntryList, status: StatusBar
    ) -> None:
        self._service = service
        self._feeds = feeds
        self._entries = entries
        self._status = status
        self.view: View = ALL
        self.search_view: View | None = None
        self._cursor_memory: dict[str, int] = {}
        self._feeds_now: list[Feed] = []
        self._queries_now: list[tuple[SavedQuery, int]] = []

    def start(self, saved: SavedView | None) -> None:
        """The first lists: the saved view with its cursor if it still exists, else all."""
        self.reload_feeds()
        view, entry_id = ALL, None
        if saved is not None:
            restored = self.view_for_key(saved.view_key)
            if restored is not None:
                view, entry_id = restored, saved.entry_id
        self.show_view(view, cursor_id=entry_id)

    def view_for_key(self, key: str) -> View | None:
        """The view a saved key names, if it still exists."""
        kind, value = parse_key(key)
        if kind in ("all", "unread", "starred"):
            return View(kind)  # type: ignore[arg-type]
        if kind == "tag" and value in self._service.tags():
            return View("tag", value)
        if kind == "feed":
            feed = self._service.feed(value)
            if feed is not None:
                return View("feed", feed.url, feed.id)
        if kind == "query":
            saved = self._service.saved_query(value)
            if saved is not None:
                return View("query", saved.name, query=saved.query)
        return None

    def saved_view(self) -> SavedView:
        """What to restore next time (a search is not restored; its list is)."""
        view = self.view if self.view.kind != "search" else ALL
        entry_id = self._entries.current_id if view is self.view else None
        return SavedView(view.key, entry_id)

    def feed_urls(self) -> list[str] | None:
        """The feeds behind the current list: one feed, a tag's feeds, or all (None)."""
        if self.view.kind == "feed":
            return [self.view.value]
        if self.view.kind == "tag":
            return [f.url for f in self._service.feeds() if self.view.value in f.tags]
        return None

    def forget_feed(self, url: str) -> None:
        """A deleted feed: no cursor to go back to, and the list shows all entries."""
        self._cursor_memory.pop(View("feed", url).key, None)
        self.view = ALL

    # reading the store -----------------------------------------------------------------

    def reload_feeds(self) -> None:
        """Rebuild the feeds pane from the store (counts, failures), keeping the cursor."""
        self.apply_snapshot(take_snapshot(self._service, self.view, with_entries=False))

    def reload_lists(self) -> None:
        """Both lists again from the store; the entry cursor stays on the same entry."""
        snapshot = take_snapshot(
            self._service,
            self.view,
            with_entries=True,
            cursor_id=self._entries.current_id,
            fallback_index=self._entries.cursor,
        )
        self.apply_snapshot(snapshot)

    def apply_snapshot(self, snapshot: ListSnapshot) -> None:
        """Show what ``take_snapshot`` read (perhaps on another thread, a moment ago)."""
        self._feeds_now = snapshot.feeds
        unread = sum(feed.unread for feed in snapshot.feeds)
        if snapshot.queries is not None:
            self._queries_now = snapshot.queries
        rows = build_rows(
            snapshot.feeds,
            unread=unread,
            starred=snapshot.starred,
            search=self.search_view,
            show=self._service.show_line,
            queries=self._queries_now,
        )
        self._feeds.set_rows(rows, keep=self.view)
        if snapshot.ids is not None and snapshot.view == self.view:
            entries = self._entries
            entries.set_ids(
                snapshot.ids,
                show_feed=self.view.is_virtual,
                cursor_id=entries.current_id,
                index=entries.cursor,
                page=snapshot.page,
                keep_screen_row=True,
            )
        self._show_status()

    def show_view(self, view: View, *, cursor_id: int | None = None) -> None:
        """Show ``view``'s entries with the cursor where it was last (or on ``cursor_id``)."""
        current = self._entries.current_id
        if current is not None:
            self._cursor_memory[self.view.key] = current
        self.view = view
        self._entries.terms = view.terms
        ids = self._service.entry_ids(view.entry_filter)
        remembered = cursor_id if cursor_id is not None else self._cursor_memory.get(view.key)
        self._entries.set_ids(ids, show_feed=view.is_virtual, cursor_id=remembered)
        self._feeds.select_view(view, notify=False)
        self._show_status()

    def empty_note(self) -> str:
        """What to say where no entry is shown: why the list is empty, or how to open one."""
        view = self.view
        if view.kind == "feed":
            feed = next((f for f in self._feeds_now if f.url == view.value), None)
            if feed is not None and feed.error:
                name = clean_line(feed.display_title)
                return f"{name} failed: {clean_line(feed.error)} (r tries again, e lists failures)"
        if self._entries.ids:
            return "Enter opens the entry under the cursor."
        if view.filter is not None:
            return f"Nothing here passes the filter {view.filter} (F changes it)."
        if view.kind == "search":
            return f"Nothing matches {view.value}."
        if view.kind == "unread":
            return "No unread entries."
        if view.kind == "starred":
            return "No starred entries: s stars the entry under the cursor."
        return "No entries here."

    def set_filter(self, expression: str | None) -> None:
        """Narrow the current list by an expression (None: show it whole), keeping the
        cursor on its entry when that entry is still in the list."""
        self.show_view(self.view.filtered(expression), cursor_id=self._entries.current_id)

    def _show_status(self) -> None:
        self._entries.set_empty_text("" if self._entries.ids else self.empty_note())
        row = next((r for r in self._feeds.rows if r.view and r.view.key == self.view.key), None)
        label = row.label if row is not None else self.view.value or self.view.kind
        if self.view.filter is not None:
            label = f"{label} (filter: {self.view.filter})"
        unread = unread_count(self._service, self.view, self._feeds_now)
        self._status.show_view(label, len(self._entries.ids), unread)

    def next_unread(self, step: int) -> int | None:
        """The next unread entry below (``step`` 1) or above (-1) the cursor; else, in a
        feed's list, the first of the next feed with unread entries, which is then shown."""
        entries = self._entries
        unread = self._service.entry_ids(replace(self.view.entry_filter, unread_only=True))
        positions = [p for p in map(entries.index_of, unread) if p is not None]
        here = entries.cursor
        after = [p for p in positions if (p > here if step > 0 else p < here)]
        if after:
            return entries.ids[min(after) if step > 0 else max(after)]
        if self.view.kind != "feed":
            return None
        rows = self._feeds.rows
        start = self._feeds.cursor + step
        for index in range(start, len(rows)) if step > 0 else range(start, -1, -1):
            row = rows[index]
            if row.view is None or row.view.kind != "feed" or row.count == 0:
                continue
            unread = self._service.entry_ids(replace(row.view.entry_filter, unread_only=True))
            if unread:
                self.show_view(row.view)
                return unread[0] if step > 0 else unread[-1]
        return None
