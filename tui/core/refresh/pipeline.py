"""The refresh pipeline: fetch on the event loop, parse and store in workers, batch the rest.

Downloads run on the caller's event loop, parsing runs in worker processes (feedparser is
pure Python and would starve a UI thread through the GIL), and each worker writes its feed
to the store in one transaction. Fetches that store no entries (304s, failures) are
written together in batches from here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from tui.core.config import READER_DOWNLOADS, Config
from tui.core.errors import StoreError, YueduError
from tui.core.feeds.fetch import Fetcher, FetchResult
from tui.core.models import (
    Feed,
    FeedStatus,
    FetchRecord,
    IgnoreRule,
    RefreshProgress,
    RefreshReport,
)
from tui.core.refresh.fulltext import FullArticles
from tui.core.refresh.ingest import Ingest
from tui.core.refresh.workers import WorkerPool
from tui.core.store import Store

log = logging.getLogger(__name__)

ProgressCallback = Callable[[RefreshProgress], None]

_RETRY_AFTER_CAP = 7 * 24 * 3600
"""A server may ask to wait at most a week; longer is taken as a week."""
_OPTIMIZE_AFTER = 500
"""New entries in one refresh past which the store refreshes the planner's statistics."""


class PendingRecords:
    """Fetch records waiting to be written together, a few dozen or a second's worth at a time."""

    BATCH = 64
    MAX_AGE = 1.0

    def __init__(self, store: Store) -> None:
        self._store = store
        self._pending: list[FetchRecord] = []
        self._since: float | None = None

    def add(self, record: FetchRecord) -> None:
        self._pending.append(record)

    async def flush_if_due(self) -> None:
        now = asyncio.get_running_loop().time()
        if self._pending and self._since is None:
            self._since = now
        if len(self._pending) >= self.BATCH or (
            self._since is not None and now - self._since >= self.MAX_AGE
        ):
            await self.flush()

    async def flush(self) -> None:
        batch, self._pending = self._pending, []
        self._since = None
        if batch:
            await asyncio.to_thread(self._store.record_fetches, batch)


_READER_BATCH = 3


class RefreshPipeline:
    """Fetches feeds and ingests what they send into ``store``; owns the worker pool."""

    def __init__(self, store: Store, config: Config, *, parse_workers: int) -> None:
        """``parse_workers`` 0 parses in a thread; more uses that many worker processes."""
        self._store = store
        self._config = config
        # A worker takes up to a third of the downloads' bodies at once for a command: ten
        # of 32 measured fastest (six and sixteen were slower). The reader's workers take
        # three of its 16: with five its memory went past budget.
        downloads = config.fetch.downloads
        batch = max(1, downloads // 3) if downloads > READER_DOWNLOADS else _READER_BATCH
        self._pool = WorkerPool(parse_workers, batch=batch)
        self.articles = FullArticles(store, config, self._pool)
        """Full articles, extracted in the same worker pool as feeds are parsed."""

    def close(self) -> None:
        self._pool.close()

    def fetcher(self) -> Fetcher:
        """A fetcher with the configured limits; enter it with ``async with``."""
        return Fetcher(self._config.fetch.settings())

    async def refresh(
        self, feeds: Sequence[Feed], *, progress: ProgressCallback | None = None
    ) -> RefreshReport:
        """Fetch and store ``feeds``; one feed's failure never stops the others.

        Raises StoreError (StoreBusyError when another process holds the cache past its
        busy timeout) when the cache cannot be written: every other feed would wait or fail
        the same way, so the refresh stops there.
        """
        if not feeds:
            return RefreshReport(())
        total = len(feeds)
        statuses: list[FeedStatus] = []
        async with self.fetcher() as fetcher:
            # Bodies wait in memory between download and parse; bound how many may wait.
            pipeline = asyncio.Semaphore(self._config.fetch.downloads)
            records = PendingRecords(self._store)
            # Read once: a store call per feed on this loop would wait whenever another
            # thread (the reader's list reload) holds the store.
            waits = self._store.retry_times()
            rules = self._store.ignore_rules()

            async def refresh_one(feed: Feed) -> FeedStatus:
                async with pipeline:
                    return await self._refresh_one(
                        fetcher, feed, records, waits.get(feed.id), rules
                    )

            tasks = [asyncio.create_task(refresh_one(feed)) for feed in feeds]
            # A feed never fetched sends a body: have the workers ready for it. Whether the
            # start failed shows in the first feed that needs them.
            starting: list[asyncio.Task[None]] = []
            if any(feed.last_fetched is None for feed in feeds):
                starting.append(asyncio.create_task(self._pool.start()))
            try:
                for done in asyncio.as_completed(tasks):
                    status = await done
                    statuses.append(status)
                    await records.flush_if_due()
                    if progress is not None:
                        progress(RefreshProgress(len(statuses), total, status))
                await records.flush()
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                await asyncio.gather(*starting, return_exceptions=True)
        if sum(s.new_entries for s in statuses) > _OPTIMIZE_AFTER:
            await asyncio.to_thread(self._store.optimize)
        return RefreshReport(tuple(statuses))

    async def _refresh_one(
        self,
        fetcher: Fetcher,
        feed: Feed,
        records: PendingRecords,
        wait_until: datetime | None,
        rules: Sequence[IgnoreRule],
    ) -> FeedStatus:
        """Fetch and store one feed, unless ``wait_until`` (a server's Retry-After) is ahead.

        How a fetch that stored nothing went goes to ``records``.
        """
        now = datetime.now(UTC)
        if wait_until is not None and wait_until > now:
            local = wait_until.astimezone().strftime("%H:%M")
            return FeedStatus(feed.url, ok=False, error=f"server asked to wait until {local}")
        try:
            result = await fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
            if result.not_modified:
                records.add(
                    FetchRecord(
                        feed.id,
                        fetched_at=now,
                        status=result.status,
                        error=None,
                        etag=result.etag or feed.etag,
                        last_modified=result.last_modified or feed.last_modified,
                    )
                )
                return FeedStatus(feed.url, ok=True, not_modified=True)
            moved_to = None
            if result.permanent_url and result.permanent_url != feed.url:
                await asyncio.to_thread(self._store.change_feed_url, feed.url, result.permanent_url)
                moved_to = result.permanent_url
            # The move may have merged this feed into one already at the new URL; the
            # status still names the URL that was refreshed.
            target = self._store.get_feed(moved_to) if moved_to else None
            new = await self.ingest(target or feed, result, rules)
            return FeedStatus(feed.url, ok=True, new_entries=new, moved_to=moved_to)
        except (asyncio.CancelledError, StoreError):
            raise
        except YueduError as exc:
            reason = exc.reason
            http_status = getattr(exc, "status", None)
            retry_at = _retry_at(now, getattr(exc, "retry_after", None))
        except Exception as exc:  # a bug must cost one feed, not the refresh
            # The status says it in one line; the traceback is for whoever turns debug on.
            log.debug("refreshing %s failed", feed.url, exc_info=True)
            reason = f"internal error ({exc.__class__.__name__})"
            http_status = None
            retry_at = None
        records.add(
            FetchRecord(
                feed.id,
                fetched_at=now,
                status=http_status if isinstance(http_status, int) else None,
                error=reason,
                retry_after=retry_at,
            )
        )
        return FeedStatus(feed.url, ok=False, error=reason)

    async def ingest(
        self,
        feed: Feed,
        result: FetchResult,
        rules: Sequence[IgnoreRule] | None = None,
    ) -> int:
        """Parse a fetched body and store it for ``feed`` (in a worker); the new entries.

        Entries the ignore ``rules`` (read from the store when None) match are not stored.
        """
        if rules is None:
            rules = await asyncio.to_thread(self._store.ignore_rules)
        job = Ingest(
            feed_id=feed.id,
            body=result.body,
            url=result.final_url,
            content_type=result.content_type,
            status=result.status,
            etag=result.etag,
            last_modified=result.last_modified,
            max_entries=self._config.max_entries_per_feed or None,
            ignore=tuple(r.expr for r in rules if r.feed_url in ("*", feed.url)),
        )
        return await self._pool.ingest(self._store, job, timeout=self._config.fetch.timeout)


def _retry_at(now: datetime, retry_after: object) -> datetime | None:
    """When a server's Retry-After (seconds) lets the feed be fetched again, if it named one."""
    if isinstance(retry_after, int | float) and retry_after > 0:
        return now + timedelta(seconds=min(retry_after, _RETRY_AFTER_CAP))
    return None
