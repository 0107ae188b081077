"""What the lists show, read from the service in one go (on any thread) and applied later."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace

from tui.core.errors import YueduError
from tui.core.models import Entry, EntryFilter, Feed, SavedQuery
from tui.core.service import FeedService
from tui.ui.views import View

_PAGE = 96


@dataclass(frozen=True, slots=True)
class ListSnapshot:
    """The feeds with their counts, and optionally one view's entry ids with a page of rows."""

    feeds: list[Feed]
    starred: int
    view: View
    ids: list[int] | None = None
    page: list[Entry] | None = None
    """Light rows around where the cursor will land, so drawing needs no query."""
    queries: list[tuple[SavedQuery, int]] | None = None
    """The saved queries with their unread counts."""


def take_snapshot(
    service: FeedService,
    view: View,
    *,
    with_entries: bool,
    cursor_id: int | None = None,
    fallback_index: int = 0,
) -> ListSnapshot:
    """Everything the panes need. Only calls the service, so it may run in a thread."""
    feeds = service.feeds()
    starred = service.count(EntryFilter(starred_only=True))
    queries = saved_query_counts(service)
    if not with_entries:
        return ListSnapshot(feeds, starred, view, queries=queries)
    ids = service.entry_ids(view.entry_filter)
    index = fallback_index
    if cursor_id is not None:
        with contextlib.suppress(ValueError):
            index = ids.index(cursor_id)
    start = max(0, index - _PAGE // 2)
    page = service.entries_by_ids(ids[start : start + _PAGE])
    return ListSnapshot(feeds, starred, view, ids, page, queries)


def saved_query_counts(service: FeedService) -> list[tuple[SavedQuery, int]]:
    """Each saved query with its unread entries (0 for one that no longer parses)."""
    counted = []
    for saved in service.saved_queries():
        try:
            unread = service.count(EntryFilter(query=saved.query, unread_only=True))
        except YueduError:
            unread = 0
        counted.append((saved, unread))
    return counted


def unread_count(service: FeedService, view: View, feeds: list[Feed]) -> int:
    """Unread entries in ``view``, from the feed counts when they say it, else by a query."""
    if view.filter is not None:
        return service.count(replace(view.entry_filter, unread_only=True))
    if view.kind in ("all", "unread"):
        return sum(feed.unread for feed in feeds)
    if view.kind == "feed":
        return sum(feed.unread for feed in feeds if feed.id == view.feed_id)
    if view.kind == "tag":
        return sum(feed.unread for feed in feeds if view.value in feed.tags)
    return service.count(replace(view.entry_filter, unread_only=True))
