"""A sync server kept in memory, behind the ``SyncClient`` interface: feeds, entries and
marks as a server holds them, for testing the engine's rules apart from any one API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from tui.core.errors import FetchError
from tui.core.models import ParsedEntry
from tui.core.sync.base import (
    EntryPage,
    MarkChange,
    RemoteEntry,
    RemoteFeed,
    RemoteMarks,
    SyncAuthError,
)

PASSWORD = "s3cret-Pa55"


@dataclass
class MemoryServer:
    feeds: dict[str, RemoteFeed] = field(default_factory=dict)
    entries: dict[str, RemoteEntry] = field(default_factory=dict)
    down: bool = False
    password: str = PASSWORD
    page_size: int = 3
    pushes: list[list[MarkChange]] = field(default_factory=list)
    recent: int = 0
    """How many of the newest entries ``recent_marks`` gives (tt-rss: 200)."""
    counts: bool = False
    """Whether the feed list carries unread counts (as tt-rss's does)."""
    unread_asked: list[set[str] | None] = field(default_factory=list)
    """The ``feeds`` of each ``unread_ids`` call."""
    changed: set[str] = field(default_factory=set)
    """Entries sent again on the next pull because their marks changed (as Miniflux's
    ``changed_after`` does), whatever the cursor."""

    def add_feed(self, remote_id: str, url: str, title: str, *categories: str) -> None:
        self.feeds[remote_id] = RemoteFeed(remote_id, url, title, "", tuple(categories))

    def add_entry(
        self, remote_id: str, feed: str, title: str, body: str = "", *, read: bool = False
    ) -> None:
        entry = ParsedEntry(
            guid=None,
            link=f"https://example.com/{remote_id}",
            title=title,
            content=body or f"<p>{title}</p>",
            published=datetime(2026, 12, 1, tzinfo=UTC),
        )
        self.entries[remote_id] = RemoteEntry(remote_id, feed, entry, read, False)

    def mark(
        self,
        remote_id: str,
        *,
        read: bool | None = None,
        starred: bool | None = None,
        at: datetime | None = None,
    ) -> None:
        old = self.entries[remote_id]
        self.entries[remote_id] = replace(
            old,
            read=old.read if read is None else read,
            starred=old.starred if starred is None else starred,
            marks_changed=at,
        )

    def client(self, password: str = PASSWORD) -> MemoryClient:
        return MemoryClient(self, password)


class MemoryClient:
    def __init__(self, server: MemoryServer, password: str) -> None:
        self.server = server
        self.password = password

    async def __aenter__(self) -> MemoryClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def _reach(self) -> None:
        if self.server.down:
            raise FetchError("connection refused", subject="http://127.0.0.1:9/")

    async def login(self) -> None:
        self._reach()
        if self.password != self.server.password:
            raise SyncAuthError("the server refused the login (HTTP 401 Unauthorized)")

    async def feeds(self) -> list[RemoteFeed]:
        self._reach()
        if not self.server.counts:
            return list(self.server.feeds.values())
        entries = self.server.entries.values()
        return [
            replace(f, unread=sum(1 for e in entries if e.feed_remote_id == k and not e.read))
            for k, f in self.server.feeds.items()
        ]

    async def entries(self, cursor: str | None) -> AsyncIterator[EntryPage]:
        self._reach()
        after = int(cursor or 0)
        newer = sorted(
            (int(k), v)
            for k, v in self.server.entries.items()
            if int(k) > after or k in self.server.changed
        )
        self.server.changed.clear()
        size = self.server.page_size
        for start in range(0, len(newer), size):
            page = newer[start : start + size]
            yield EntryPage([e for _, e in page], str(max(after, page[-1][0])))

    async def unread_ids(self, feeds: Collection[str] | None = None) -> set[str]:
        self._reach()
        self.server.unread_asked.append(None if feeds is None else set(feeds))
        return {
            k
            for k, e in self.server.entries.items()
            if not e.read and (feeds is None or e.feed_remote_id in feeds)
        }

    async def starred_ids(self) -> set[str]:
        self._reach()
        return {k for k, e in self.server.entries.items() if e.starred}

    async def recent_marks(self) -> list[RemoteMarks]:
        self._reach()
        if not self.server.recent:
            return []
        newest = sorted(self.server.entries.items(), key=lambda kv: int(kv[0]))
        return [RemoteMarks(k, e.read, e.starred) for k, e in newest[-self.server.recent :]]

    async def push(self, changes: Sequence[MarkChange]) -> None:
        self._reach()
        self.server.pushes.append(list(changes))
        for change in changes:
            if change.remote_id in self.server.entries:
                self.server.mark(change.remote_id, read=change.read, starred=change.starred)

    async def subscribe(self, url: str, category: str | None = None) -> None:
        self._reach()
        remote_id = str(100 + len(self.server.feeds))
        self.server.add_feed(remote_id, url, url, *([category] if category else []))

    async def unsubscribe(self, feed_remote_id: str) -> None:
        self._reach()
        self.server.feeds.pop(feed_remote_id, None)
