"""What the entry list can show: a feed, a tag, a saved query, or one of the virtual feeds,
perhaps narrowed by a filter expression."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from tui.core.models import EntryFilter
from tui.core.query.parser import conjoin

ViewKind = Literal["all", "unread", "starred", "search", "tag", "feed", "query"]

VIRTUAL_LABELS: dict[str, str] = {"all": "All", "unread": "Unread", "starred": "Starred"}
QUOTES = '"“”「」'


@dataclass(frozen=True, slots=True)
class View:
    """One list of entries. ``value`` is the tag, the search text, the feed URL or the
    saved query's name; ``feed_id`` the feed's, or the one feed a search looks in."""

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
        if self.kind == "search" and self.feed_id is not None:
            return f"search@{self.feed_id}:{self.value}"
        return self.kind if self.kind in VIRTUAL_LABELS else f"{self.kind}:{self.value}"

    @property
    def is_virtual(self) -> bool:
        """Entries from many feeds: the list shows each entry's feed name."""
        return self.kind != "feed"

    def filtered(self, expression: str | None) -> View:
        """This list narrowed by ``expression`` (None: not narrowed)."""
        return replace(self, filter=expression)

    @property
    def terms(self) -> tuple[str, ...]:
        """What a search's entries highlight: the quoted phrase, else each word typed."""
        if self.kind != "search":
            return ()
        text = self.value.strip()
        if len(text) >= 2 and text[0] in QUOTES and text[-1] in QUOTES:
            return (text[1:-1].strip(),) if text[1:-1].strip() else ()
        words = (word.strip(QUOTES) for word in text.split())
        return tuple(word for word in dict.fromkeys(words) if word)

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
            return EntryFilter(search=self.value, feed_id=self.feed_id)
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
