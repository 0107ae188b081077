"""What the entry list can show: a feed, a tag, a saved query, or one of the virtual feeds,
perhaps narrowed by a filter expression."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from tui.core.models import EntryFilter
from tui.core.query.parser import conjoin

ViewKind = Literal["all", "unread", "starred", "search", "tag", "feed", "query"]

VIRTUAL_LABELS: dict[str, str] = {"all": "All", "unread": "Unread", "starred": "Starred"}


@dataclass(frozen=True, slots=True)
class View:
    """One list of entries. ``value`` is the tag, the search text, the feed URL or the
    saved query's name."""

    kind: ViewKind
    value: str = ""
    feed_id: int | None = None
    query: str | None = None
    """A saved query's expression."""
    filter: str | None = None
    """An expression narrowing the list (``F``); not part of the key."""

    @property
    def key(self) -> str:
        """A stable name, also used in the saved state file ("feed:<url>", "tag:<name>")."""
        return self.kind if self.kind in VIRTUAL_LABELS else f"{self.kind}:{self.value}"

    @property
    def is_virtual(self) -> bool:
        """Entries from many feeds: the list shows each entry's feed name."""
        return self.kind != "feed"

    def filtered(self, expression: str | None) -> View:
        """This list narrowed by ``expression`` (None: not narrowed)."""
        return replace(self, filter=expression)

    @property
    def entry_filter(self) -> EntryFilter:
        base = self._base_filter()
        if self.filter is None:
            return base
        return replace(base, query=conjoin(base.query, self.filter))

    def _base_filter(self) -> EntryFilter:
        if self.kind == "query":
            return EntryFilter(query=self.query)
        if self.kind == "unread":
            return EntryFilter(unread_only=True)
        if self.kind == "starred":
            return EntryFilter(starred_only=True)
        if self.kind == "search":
            return EntryFilter(search=self.value)
        if self.kind == "tag":
            return EntryFilter(tag=self.value)
        if self.kind == "feed":
            return EntryFilter(feed_id=self.feed_id)
        return EntryFilter()


ALL = View("all")


def parse_key(key: str) -> tuple[str, str]:
    """Split a view key into its kind and value; the inverse of ``View.key``."""
    kind, _, value = key.partition(":")
    return kind, value
