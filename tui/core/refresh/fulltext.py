"""Full articles: fetch the page behind an entry, extract its article, cache it.

Pages come through the feeds' ``Fetcher`` (per-host limit, deadline, redirects, http and
https only), capped at the extractor's page size, and are extracted in the refresh worker
pool, off the caller's event loop. A cached article is used for a day, then checked again
with a conditional GET; when the check fails (offline, say) the cached copy still serves.
A page without an article is cached as its reason, so it is not fetched on every look.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import UTC, datetime, timedelta

from tui.core.config import Config
from tui.core.errors import ExtractError, FetchError, StoreError, YueduError
from tui.core.feeds.fetch import Fetcher, FetchResult
from tui.core.models import Entry
from tui.core.refresh.workers import WorkerPool
from tui.core.store import Store
from tui.core.store.articles import StoredArticle
from tui.core.text.sanitize import safe_url

log = logging.getLogger(__name__)

FRESH_FOR = timedelta(days=1)
"""How long a cached article is shown without asking the server whether it changed."""
BACKGROUND_BATCH = 200
"""Most pages one background round fetches for "always full text" feeds."""
# The extractor refuses pages over 5 MB; no need to download more than that.
_MAX_PAGE_BYTES = 5 * 1024 * 1024 + 1


class FullArticles:
    """Gets entries' full articles into the cache; shares the refresh's worker pool."""

    def __init__(self, store: Store, config: Config, pool: WorkerPool) -> None:
        self._store = store
        self._config = config
        self._pool = pool

    def fetcher(self) -> Fetcher:
        """A fetcher with the feeds' limits and the page size cap; enter it with ``async with``."""
        settings = self._config.fetch.settings()
        cap = min(settings.max_bytes, _MAX_PAGE_BYTES)
        return Fetcher(dataclasses.replace(settings, max_bytes=cap))

    async def article(self, entry: Entry, fetcher: Fetcher | None = None) -> StoredArticle:
        """The entry's article, from the cache or fetched; raises YueduError (one line)
        when there is none, for a reason the cached row may hold."""
        if fetcher is None:
            async with self.fetcher() as own:
                return await self.article(entry, own)
        link = safe_url(entry.link)
        if not link:
            raise FetchError("the entry has no web link to fetch", subject=entry.title)
        cached = await asyncio.to_thread(self._store.get_article, entry.id)
        if cached is not None and cached.url != link:
            cached = None  # the feed changed the entry's link
        now = datetime.now(UTC)
        if cached is None or now - cached.fetched >= FRESH_FOR:
            cached = await self._fetch(entry.id, link, cached, fetcher, now)
        if cached.document is None:
            raise ExtractError(cached.error or "no article found on the page", subject=link)
        return cached

    async def _fetch(
        self,
        entry_id: int,
        link: str,
        cached: StoredArticle | None,
        fetcher: Fetcher,
        now: datetime,
    ) -> StoredArticle:
        try:
            result = await fetcher.fetch(
                link,
                etag=cached.etag if cached else None,
                last_modified=cached.last_modified if cached else None,
            )
        except FetchError:
            if cached is not None:
                return cached  # offline or the site is down: the copy we have still reads
            raise
        if result.not_modified and cached is not None:
            await asyncio.to_thread(self._store.touch_article, entry_id, now)
            return dataclasses.replace(cached, fetched=now)
        stored = await self._extract(entry_id, link, result, now)
        if stored.document is None and cached is not None and cached.document is not None:
            # The page lost its article (a paywall, an error page served as 200): the copy
            # we have is worth more than the reason.
            await asyncio.to_thread(self._store.touch_article, entry_id, now)
            return dataclasses.replace(cached, fetched=now)
        await asyncio.to_thread(self._store.save_article, stored)
        return stored

    async def _extract(
        self, entry_id: int, link: str, result: FetchResult, now: datetime
    ) -> StoredArticle:
        found = StoredArticle(
            entry_id=entry_id,
            url=link,
            fetched=now,
            etag=result.etag,
            last_modified=result.last_modified,
            title="",
            byline="",
            published=None,
            document=None,
            error=None,
        )
        try:
            article = await self._pool.extract(
                result.body,
                result.final_url,
                result.content_type,
                timeout=self._config.fetch.timeout,
            )
        except ExtractError as exc:
            return dataclasses.replace(found, error=exc.reason)
        return dataclasses.replace(
            found,
            title=article.title,
            byline=article.byline or "",
            published=article.date,
            document=article.document,
        )

    async def fetch_missing(self) -> int:
        """Fetch the articles of "always full text" feeds' entries that have none yet;
        return how many arrived. One page's failure never stops the others."""
        ids = await asyncio.to_thread(self._store.entries_without_article, BACKGROUND_BATCH)
        if not ids:
            return 0
        entries = await asyncio.to_thread(self._store.entries_by_ids, ids)
        async with self.fetcher() as fetcher:

            async def one(entry: Entry) -> bool:
                try:
                    await self.article(entry, fetcher)
                except StoreError:
                    raise
                except YueduError:
                    return False
                return True

            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(one(entry)) for entry in entries]
        return sum(task.result() for task in tasks)
