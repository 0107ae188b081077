"""Syncing a cache with the ``[sync]`` server: the entry point the CLI and the reader call.

``SyncSession`` wraps a ``FeedService``: it picks the client for the configured service,
asks for the password once per session, and keeps the subscription backup current after
a sync changed the feeds.
"""

from __future__ import annotations

from tui.core.errors import ConfigError
from tui.core.service import FeedService
from tui.core.sync.account import account
from tui.core.sync.base import Account, SyncClient
from tui.core.sync.engine import ProgressCallback, Syncer, SyncReport


def client_for(acct: Account) -> SyncClient:
    """The client speaking ``acct.service``'s API (each loads only when used)."""
    if acct.service == "ttrss":
        from tui.core.sync.ttrss import TtrssClient

        return TtrssClient(acct)
    if acct.service == "greader":
        from tui.core.sync.greader import GReaderClient

        return GReaderClient(acct)
    if acct.service == "miniflux":
        from tui.core.sync.miniflux import MinifluxClient

        return MinifluxClient(acct)
    raise ConfigError(f"unknown sync service {acct.service!r}")


class SyncSession:
    def __init__(self, service: FeedService, *, client: SyncClient | None = None) -> None:
        """``client`` replaces the one ``[sync]`` names (for tests and the bench)."""
        self.service = service
        self._client = client
        self._account: Account | None = None

    @property
    def account(self) -> Account:
        """The configured account; raises ConfigError when sync is off or no password."""
        if self._account is None:
            self._account = account(self.service.config.sync)
        return self._account

    def _syncer(self, client: SyncClient) -> Syncer:
        keep = self.service.config.max_entries_per_feed or None
        return Syncer(self.service.store, client, self.account, keep=keep)

    async def sync(self, progress: ProgressCallback | None = None) -> SyncReport:
        """Pull and push once. Raises ConfigError when sync is not set up, SyncAuthError or
        FetchError when the server refuses or cannot be reached (marks stay queued)."""
        async with self._open() as client:
            report = await self._syncer(client).run(progress)
        self.service.write_backup()
        return report

    async def push_marks(self) -> int:
        """Push the marks waiting here; how many went."""
        async with self._open() as client:
            return await self._syncer(client).push_only()

    async def subscribe(self, url: str, category: str | None = None) -> SyncReport:
        """Subscribe on the server, then sync so the feed and its entries arrive."""
        async with self._open() as client:
            await client.login()
            await client.subscribe(url, category)
        return await self.sync()

    async def unsubscribe(self, url: str) -> bool:
        """Unsubscribe on the server and here; False when the feed did not come from it."""
        feed = self.service.feed(url)
        remote = None if feed is None else self.service.store.feed_remote_id(feed.url)
        if feed is None or remote is None:
            return False
        async with self._open() as client:
            await client.login()
            await client.unsubscribe(remote)
        return self.service.remove_feed(feed.url)

    def _open(self) -> SyncClient:
        return self._client if self._client is not None else client_for(self.account)
