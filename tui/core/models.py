"""Plain data shared by every layer. Datetimes are timezone-aware UTC."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Enclosure:
    url: str
    type: str = ""
    length: int | None = None


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """One item as a parser found it, before the store gives it an id."""

    guid: str | None
    link: str | None
    title: str
    author: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    summary: str = ""
    content: str = ""
    """HTML (or plain text) of the body; the richest of content and summary."""
    enclosures: tuple[Enclosure, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str
    site_link: str
    entries: tuple[ParsedEntry, ...]
    kind: str
    """"rss", "atom", "rdf" or "json"."""
    encoding: str = "utf-8"


@dataclass(frozen=True, slots=True)
class Feed:
    id: int
    url: str
    title: str
    site_link: str = ""
    tags: tuple[str, ...] = ()
    etag: str | None = None
    last_modified: str | None = None
    last_fetched: datetime | None = None
    status: int | None = None
    """HTTP status of the last fetch; None before the first or when no response came."""
    error: str | None = None
    """One-line reason the last fetch failed; None when it was fine."""
    unread: int = 0
    total: int = 0

    @property
    def display_title(self) -> str:
        return self.title or self.url


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    feed_id: int
    feed_url: str
    feed_title: str
    guid: str | None
    link: str | None
    title: str
    author: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    summary: str = ""
    content: str = ""
    enclosures: tuple[Enclosure, ...] = ()
    read: bool = False
    starred: bool = False
    first_seen: datetime | None = None
    categories: tuple[str, ...] = ()
    """The feed's ``<category>`` words for the entry."""

    @property
    def date(self) -> datetime | None:
        """The date to show and sort by: published, else updated, else first seen."""
        return self.published or self.updated or self.first_seen


@dataclass(frozen=True, slots=True)
class SavedQuery:
    """A named expression in newsboat's filter language, shown like a feed."""

    name: str
    query: str


@dataclass(frozen=True, slots=True)
class IgnoreRule:
    """Entries matching ``expr`` are dropped at refresh; ``feed_url`` "*" means every feed."""

    expr: str
    feed_url: str = "*"


@dataclass(frozen=True, slots=True)
class FetchRecord:
    """How one fetch of a feed went, as the store remembers it. ``error`` None: it worked.

    On success, validators, title and site link replace the stored ones where given (None
    keeps the stored one); on failure they are left alone. ``retry_after`` is the time
    before which the feed must not be fetched (429/503); None clears it.
    """

    feed_id: int
    fetched_at: datetime
    status: int | None
    error: str | None
    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None
    site_link: str | None = None
    retry_after: datetime | None = None


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """The outcome of refreshing one feed."""

    url: str
    ok: bool
    new_entries: int = 0
    not_modified: bool = False
    error: str | None = None
    moved_to: str | None = None


@dataclass(frozen=True, slots=True)
class RefreshReport:
    statuses: tuple[FeedStatus, ...] = field(default_factory=tuple)

    @property
    def failed(self) -> tuple[FeedStatus, ...]:
        return tuple(s for s in self.statuses if not s.ok)

    @property
    def new_entries(self) -> int:
        return sum(s.new_entries for s in self.statuses)


@dataclass(frozen=True, slots=True)
class EntryFilter:
    """Which entries a list shows. Fields combine with AND; the default is every entry."""

    feed_id: int | None = None
    tag: str | None = None
    unread_only: bool = False
    starred_only: bool = False
    search: str | None = None
    query: str | None = None
    """An expression in newsboat's filter language (see :mod:`tui.core.query.parser`)."""


@dataclass(frozen=True, slots=True)
class RefreshProgress:
    """Sent after each feed of a refresh finishes; done counts from 1 to total."""

    done: int
    total: int
    status: FeedStatus
