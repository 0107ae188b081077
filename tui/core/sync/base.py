"""What every sync service offers, in yuedu's own terms.

A client speaks one server's API and hands back plain data: the feeds subscribed there,
entries page by page after a cursor, the ids of the entries unread and starred there. It
never touches the cache; ``tui.core.sync.engine`` does, so every service is stored,
indexed and searched the same way.

Ids are the server's, as strings. Every failure is a ``YueduError`` with one line: a
``SyncAuthError`` when the server refuses the credentials, a ``FetchError`` when it cannot
be reached or answers nonsense. No message ever carries the password.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from tui.core.errors import YueduError
from tui.core.models import ParsedEntry


class SyncAuthError(YueduError):
    """The server refused the user or password, or its API is switched off for the user."""


@dataclass(frozen=True, slots=True)
class Account:
    """Where and as whom to sync; ``password`` is read when syncing and never stored."""

    service: str
    """"ttrss", "greader" or "miniflux"."""
    url: str
    user: str
    password: str


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    remote_id: str
    url: str
    """The feed's own address, as a local subscription would have it."""
    title: str
    site_link: str = ""
    categories: tuple[str, ...] = ()
    """The server's category (or categories, for Google Reader labels); stored as tags."""
    unread: int | None = None
    """How many of its entries are unread there, when the feed list says (tt-rss): a feed
    whose count matches the cache's needs no list of unread ids."""


@dataclass(frozen=True, slots=True)
class RemoteEntry:
    remote_id: str
    feed_remote_id: str
    entry: ParsedEntry
    read: bool
    starred: bool
    marks_changed: datetime | None = None
    """When the server last changed read or starred, for services that say (Miniflux's
    ``changed_at``); a local mark made later wins, an earlier one loses."""


@dataclass(frozen=True, slots=True)
class RemoteMarks:
    remote_id: str
    read: bool
    starred: bool


@dataclass(frozen=True, slots=True)
class EntryPage:
    entries: Sequence[RemoteEntry]
    cursor: str
    """Where the next sync starts, once this page is stored: opaque to everyone but the
    client that made it."""


@dataclass(frozen=True, slots=True)
class MarkChange:
    """A local mark to push: None leaves that flag as the server has it."""

    remote_id: str
    read: bool | None = None
    starred: bool | None = None


class SyncClient(Protocol):
    """One server. Use as ``async with client:``; ``login`` first, then any of the rest."""

    async def __aenter__(self) -> SyncClient: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def login(self) -> None:
        """Authenticate; raises SyncAuthError when refused, FetchError when unreachable."""

    async def feeds(self) -> list[RemoteFeed]:
        """Every feed the user is subscribed to on the server."""

    def entries(self, cursor: str | None) -> AsyncIterator[EntryPage]:
        """Entries new since ``cursor`` (every entry the server keeps when None), with
        their content and marks, oldest pages first where the API allows."""

    async def unread_ids(self, feeds: Collection[str] | None = None) -> set[str]:
        """Ids of the entries unread on the server: in the feeds ``feeds`` names (server
        ids) when given, else in all. A client may return more; none may return fewer."""

    async def starred_ids(self) -> set[str]:
        """Ids of every entry starred on the server."""

    async def recent_marks(self) -> list[RemoteMarks]:
        """Read and starred state of the server's newest entries, as many as one cheap
        request gives; [] where the API has no such request."""

    async def push(self, changes: Sequence[MarkChange]) -> None:
        """Set these marks on the server, in as few requests as the API allows."""

    async def subscribe(self, url: str, category: str | None = None) -> None:
        """Subscribe the user to ``url`` on the server."""

    async def unsubscribe(self, feed_remote_id: str) -> None:
        """Unsubscribe the user from a feed the server knows by ``feed_remote_id``."""
