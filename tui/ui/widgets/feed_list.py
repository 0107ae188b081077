"""The feeds pane: virtual feeds, saved queries, then feeds grouped by tag, with unread
counts."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.message import Message

from tui.core.models import Feed, SavedQuery
from tui.ui.render import RowStyles, ShowText, as_sent, feed_row, header_row
from tui.ui.views import View
from tui.ui.widgets.virtual_list import VirtualList


@dataclass(frozen=True, slots=True)
class FeedRow:
    """One row: a view to show, or a heading (``view`` None) the cursor skips."""

    label: str
    view: View | None
    count: int = 0
    failing: bool = False
    indent: int = 1


def build_rows(
    feeds: Sequence[Feed],
    *,
    unread: int,
    starred: int,
    search: View | None = None,
    show: ShowText = as_sent,
    queries: Sequence[tuple[SavedQuery, int]] = (),
) -> list[FeedRow]:
    """All, Unread, Starred (and the search, if any); the saved queries under their
    heading; then each tag's feeds; untagged last.

    A tag heading shows the tag's own list; a feed with two tags appears under both.
    Feed names are shown through ``show``.
    """
    rows = [
        FeedRow("All", View("all"), unread),
        FeedRow("Unread", View("unread"), unread),
        FeedRow("Starred", View("starred"), starred),
    ]
    if search is not None:
        rows.append(FeedRow(f"Search: {search.value}", search))
    if queries:
        rows.append(FeedRow("Saved queries", None, indent=0))
        rows.extend(
            FeedRow(saved.name, View("query", saved.name, query=saved.query), unread, indent=2)
            for saved, unread in queries
        )
    by_tag: dict[str, list[Feed]] = {}
    untagged: list[Feed] = []
    for feed in feeds:
        for tag in feed.tags:
            by_tag.setdefault(tag, []).append(feed)
        if not feed.tags:
            untagged.append(feed)
    for tag in sorted(by_tag, key=str.casefold):
        members = by_tag[tag]
        rows.append(FeedRow(tag, View("tag", tag), sum(f.unread for f in members), indent=0))
        rows.extend(_feed_row(feed, show) for feed in members)
    if untagged:
        if by_tag:
            rows.append(FeedRow("Untagged", None, indent=0))
        rows.extend(_feed_row(feed, show) for feed in untagged)
    return rows


def _feed_row(feed: Feed, show: ShowText) -> FeedRow:
    view = View("feed", feed.url, feed.id)
    return FeedRow(
        show(feed.display_title, feed.id), view, feed.unread, failing=bool(feed.error), indent=2
    )


class FeedList(VirtualList):
    """Feeds and virtual feeds; moving the cursor shows that list, Enter goes to its entries."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-list--cursor",
        "feed-list--heading",
        "feed-list--count",
        "feed-list--error",
        "feed-list--unread",
    }

    DEFAULT_CSS = """
    FeedList {
        & > .feed-list--heading { color: $text-muted; text-style: bold; }
        & > .feed-list--count { color: $text-muted; }
        & > .feed-list--error { color: $error; text-style: bold; }
        & > .feed-list--unread { text-style: bold; }
    }
    """

    class ViewHighlighted(Message):
        """The cursor moved to the row for ``view``."""

        def __init__(self, feed_list: FeedList, view: View) -> None:
            super().__init__()
            self.feed_list = feed_list
            self.view = view

        @property
        def control(self) -> FeedList:
            return self.feed_list

    class ViewSelected(Message):
        """Enter or a click on the row for ``view``."""

        def __init__(self, feed_list: FeedList, view: View) -> None:
            super().__init__()
            self.feed_list = feed_list
            self.view = view

        @property
        def control(self) -> FeedList:
            return self.feed_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._items: list[FeedRow] = []

    @property
    def rows(self) -> Sequence[FeedRow]:
        return self._items

    @property
    def current_view(self) -> View | None:
        if 0 <= self.cursor < len(self._items):
            return self._items[self.cursor].view
        return None

    def set_rows(self, rows: list[FeedRow], *, keep: View | None = None) -> None:
        """Replace the rows, keeping the cursor on ``keep`` (by key) without a message."""
        self._items = rows
        self.set_row_count(len(rows))
        if keep is not None:
            index = self.index_of(keep)
            if index is not None:
                self.move_cursor(index, notify=False)

    def index_of(self, view: View) -> int | None:
        for index, row in enumerate(self._items):
            if row.view is not None and row.view.key == view.key:
                return index
        return None

    def select_view(self, view: View, *, notify: bool = True) -> bool:
        """Move the cursor to ``view``'s row; False when there is none."""
        index = self.index_of(view)
        if index is None:
            return False
        self.move_cursor(index, notify=notify)
        return True

    def is_selectable(self, index: int) -> bool:
        return self._items[index].view is not None

    def _row_styles(self) -> tuple[RowStyles, Style]:
        """The row parts' styles, and an unread feed's label style."""
        style = self.get_component_rich_style
        styles = RowStyles(
            error=style("feed-list--error", partial=True),
            count=style("feed-list--count", partial=True),
            header=style("feed-list--heading", partial=True),
        )
        return styles, style("feed-list--unread", partial=True)

    def shared_key(self) -> Hashable:
        return self._row_styles()

    def row_key(self, index: int) -> Hashable | None:
        return self._items[index]

    def render_row(self, index: int, width: int) -> Text:
        row = self._items[index]
        styles, unread = self._row_styles()
        if row.view is None or row.indent == 0:
            if row.view is None:
                return header_row(row.label, width, styles=styles)
            return feed_row(
                row.label,
                row.count,
                width,
                indent=0,
                styles=styles,
                label_style=styles.header,
            )
        label_style = unread if row.count else None
        return feed_row(
            row.label,
            row.count,
            width,
            failing=row.failing,
            indent=row.indent,
            styles=styles,
            label_style=label_style,
        )

    def cursor_moved(self, index: int) -> None:
        view = self.current_view
        if view is not None:
            self.post_message(self.ViewHighlighted(self, view))

    def row_chosen(self, index: int) -> None:
        view = self.current_view
        if view is not None:
            self.post_message(self.ViewSelected(self, view))
