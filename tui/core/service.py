"""FeedService: the one API the CLI and the reader call.

It combines the store, the fetcher and the parser; nothing else does. Downloads run on
the caller's event loop, parsing runs in worker processes (feedparser is pure Python and
would starve a UI thread through the GIL), and writes go to the store one feed at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tui.core.atomic import atomic_write_text
from tui.core.config import Config
from tui.core.errors import FetchError, ParseError, StoreCorruptError, StoreError, YueduError
from tui.core.feeds.fetch import Fetcher, FetchResult, FetchSettings
from tui.core.feeds.opml import Subscription, read_subscriptions, write_opml
from tui.core.models import (
    Entry,
    EntryFilter,
    Feed,
    FeedStatus,
    FetchRecord,
    RefreshProgress,
    RefreshReport,
)
from tui.core.paths import Paths
from tui.core.refresh.pool import Ingest, ParsePool
from tui.core.store import Store
from tui.core.text.sanitize import clean_line, safe_url

if TYPE_CHECKING:
    from tui.core.text.layout import Article, LayoutOptions

log = logging.getLogger(__name__)

ProgressCallback = Callable[[RefreshProgress], None]


class _PendingRecords:
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


@dataclass(frozen=True, slots=True)
class AddResult:
    feed: Feed
    new_entries: int
    already_subscribed: bool = False
    discovered_from: str | None = None
    """The page the feed was found on, when the URL given was a web page."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    existing: int
    skipped: tuple[str, ...]


class FeedService:
    def __init__(self, store: Store, *, config: Config, paths: Paths, parse_workers: int = 0):
        """``parse_workers`` 0 parses in a thread; more uses that many worker processes."""
        self.store = store
        self.config = config
        self.paths = paths
        self.recovered_from: Path | None = None
        """Where a damaged cache was moved aside when this service rebuilt it."""
        self._parse_pool = ParsePool(parse_workers)

    @classmethod
    def open(cls, paths: Paths, config: Config, *, parse_workers: int = 2) -> FeedService:
        """Open (or create) the cache; a damaged one is moved aside and rebuilt from the backup."""
        try:
            paths.ensure()
        except OSError as exc:
            raise StoreError(
                f"cannot create the folder ({exc.strerror})", subject=str(paths.data_dir)
            ) from exc
        recovered: Path | None = None
        try:
            store = Store(paths.database)
        except StoreCorruptError:
            recovered = Store.quarantine(paths.database)
            store = Store(paths.database)
        service = cls(store, config=config, paths=paths, parse_workers=parse_workers)
        if recovered is not None:
            service.recovered_from = recovered
            service._restore_backup()
        return service

    def close(self) -> None:
        self._parse_pool.close()
        self.store.close()

    def __enter__(self) -> FeedService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # feeds -----------------------------------------------------------------------------

    def feeds(self) -> list[Feed]:
        return self.store.list_feeds()

    def feed(self, url: str) -> Feed | None:
        return self.store.get_feed(url)

    def feed_by_id(self, feed_id: int) -> Feed | None:
        return self.store.get_feed_by_id(feed_id)

    def tags(self) -> list[str]:
        return sorted({t for f in self.store.list_feeds() for t in f.tags}, key=str.casefold)

    def failing_feeds(self) -> list[Feed]:
        return [f for f in self.store.list_feeds() if f.error]

    async def add_feed(
        self, url: str, *, title: str | None = None, tags: Sequence[str] = ()
    ) -> AddResult:
        """Subscribe to a feed URL, or to the feed a web page links to.

        Raises FetchError or ParseError (one-line ``str``) when nothing can be subscribed.
        """
        wanted = normalise_url(url)
        existing = self.store.get_feed(wanted)
        if existing is not None:
            if tags:
                self.store.set_feed_tags(wanted, tuple(dict.fromkeys((*existing.tags, *tags))))
                self._write_backup()
            return AddResult(self.store.get_feed(wanted) or existing, 0, already_subscribed=True)
        async with Fetcher(self._fetch_settings()) as fetcher:
            result = await fetcher.fetch(wanted)
            discovered_from: str | None = None
            # The parser loads in the workers; here only to look for links on a web page.
            from tui.core.feeds.parse import feed as parse

            if parse.looks_like_html(result.body, result.content_type):
                links = parse.find_feed_links(
                    result.body, base_url=result.final_url, content_type=result.content_type
                )
                if not links:
                    raise ParseError("no feed found on this page", subject=wanted)
                discovered_from = wanted
                wanted = links[0]
                existing = self.store.get_feed(wanted)
                if existing is not None:
                    return AddResult(existing, 0, True, discovered_from)
                result = await fetcher.fetch(wanted)
        feed_url = result.permanent_url or wanted
        feed = self.store.add_feed(feed_url, title=clean_line(title), tags=tags)
        try:
            new = await self._ingest(feed.id, result)
        except YueduError:
            self.store.remove_feed(feed_url)  # nothing usable there: no subscription
            raise
        self._write_backup()
        return AddResult(self.store.get_feed(feed_url) or feed, new, False, discovered_from)

    def add_feed_blocking(
        self, url: str, *, title: str | None = None, tags: Sequence[str] = ()
    ) -> AddResult:
        return asyncio.run(self.add_feed(url, title=title, tags=tags))

    def remove_feed(self, url: str) -> bool:
        removed = self.store.remove_feed(normalise_url(url)) or self.store.remove_feed(url)
        if removed:
            self._write_backup()
        return removed

    # refresh ---------------------------------------------------------------------------

    async def refresh(
        self, urls: Sequence[str] | None = None, *, progress: ProgressCallback | None = None
    ) -> RefreshReport:
        """Fetch feeds (all when ``urls`` is None); one feed's failure never stops the others.

        Raises StoreError (StoreBusyError when another process holds the cache past its
        busy timeout) when the cache cannot be written: every other feed would wait or fail
        the same way, so the refresh stops there.
        """
        feeds = self.store.list_feeds()
        if urls is not None:
            wanted = {normalise_url(u) for u in urls} | set(urls)
            feeds = [f for f in feeds if f.url in wanted]
        total = len(feeds)
        statuses: list[FeedStatus] = []
        if not feeds:
            return RefreshReport(())
        async with Fetcher(self._fetch_settings()) as fetcher:
            # Bodies wait in memory between download and parse; bound how many may wait.
            pipeline = asyncio.Semaphore(self.config.fetch.concurrency)

            # Fetches that stored no entries (304s, failures) are written in batches.
            records = _PendingRecords(self.store)
            # Read once: a store call per feed on this loop would wait whenever another
            # thread (the reader's list reload) holds the store.
            waits = self.store.retry_times()

            async def refresh_one(feed: Feed) -> FeedStatus:
                async with pipeline:
                    wait_until = waits.get(feed.id)
                    return await self._refresh_one(fetcher, feed, records, wait_until)

            tasks = [asyncio.create_task(refresh_one(feed)) for feed in feeds]
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
        if sum(s.new_entries for s in statuses) > 500:
            await asyncio.to_thread(self.store.optimize)
        if any(s.moved_to for s in statuses):
            self._write_backup()
        return RefreshReport(tuple(statuses))

    def refresh_blocking(
        self, urls: Sequence[str] | None = None, *, progress: ProgressCallback | None = None
    ) -> RefreshReport:
        return asyncio.run(self.refresh(urls, progress=progress))

    async def _refresh_one(
        self,
        fetcher: Fetcher,
        feed: Feed,
        records: _PendingRecords,
        wait_until: datetime | None,
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
                await asyncio.to_thread(self.store.change_feed_url, feed.url, result.permanent_url)
                moved_to = result.permanent_url
            # The move may have merged this feed into one already at the new URL; the
            # status still names the URL that was refreshed.
            target = self.store.get_feed(moved_to) if moved_to else None
            new = await self._ingest((target or feed).id, result)
            return FeedStatus(feed.url, ok=True, new_entries=new, moved_to=moved_to)
        except (asyncio.CancelledError, StoreError):
            raise
        except YueduError as exc:
            reason = exc.reason
            http_status = getattr(exc, "status", None)
            retry_at = None
            retry_after = getattr(exc, "retry_after", None)
            if isinstance(retry_after, int | float) and retry_after > 0:
                retry_at = now + timedelta(seconds=min(retry_after, 7 * 24 * 3600))
        except Exception as exc:  # a bug must cost one feed, not the refresh
            log.exception("refreshing %s failed", feed.url)
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

    async def _ingest(self, feed_id: int, result: FetchResult) -> int:
        """Parse a fetched body and store it for the feed (in a worker); the new entries."""
        job = Ingest(
            feed_id=feed_id,
            body=result.body,
            url=result.final_url,
            content_type=result.content_type,
            status=result.status,
            etag=result.etag,
            last_modified=result.last_modified,
            max_entries=self.config.max_entries_per_feed or None,
        )
        return await self._parse_pool.ingest(self.store, job, timeout=self.config.fetch.timeout)

    def _fetch_settings(self) -> FetchSettings:
        fetch = self.config.fetch
        return FetchSettings(
            concurrency=fetch.concurrency,
            per_host=fetch.per_host,
            connect_timeout=fetch.connect_timeout,
            read_timeout=min(fetch.timeout, 20.0),
            deadline=fetch.timeout,
            max_bytes=int(fetch.max_size_mib * 1024 * 1024),
        )

    # entries ---------------------------------------------------------------------------

    def entries(
        self, flt: EntryFilter = EntryFilter(), *, limit: int | None = None, offset: int = 0
    ) -> list[Entry]:
        return self.store.list_entries(flt, limit=limit, offset=offset)

    def count(self, flt: EntryFilter = EntryFilter()) -> int:
        return self.store.count_entries(flt)

    def entry_ids(self, flt: EntryFilter = EntryFilter()) -> list[int]:
        return self.store.entry_ids(flt)

    def entries_by_ids(self, ids: Sequence[int]) -> list[Entry]:
        return self.store.entries_by_ids(ids)

    def entry(self, entry_id: int) -> Entry | None:
        return self.store.get_entry(entry_id)

    def mark_read(self, ids: Sequence[int], read: bool = True) -> int:
        return self.store.set_read(ids, read)

    def mark_starred(self, ids: Sequence[int], starred: bool = True) -> int:
        return self.store.set_starred(ids, starred)

    def mark_all_read(self, flt: EntryFilter = EntryFilter()) -> int:
        return self.store.mark_all_read(flt)

    # article text ----------------------------------------------------------------------

    def layout_options(self) -> LayoutOptions:
        # Layout loads on first use: a headless refresh never needs it.
        from tui.core.text.breaker import WrapOptions
        from tui.core.text.layout import LayoutOptions

        text = self.config.text
        wrap = WrapOptions(
            strict_kana=text.strict_kana,
            phrases=text.phrases,
            ambiguous_width=text.ambiguous_width,
        )
        return LayoutOptions(wrap=wrap, cjk_spacing=text.cjk_spacing)

    def article_lines(self, entry: Entry, width: int) -> Article:
        """The entry laid out at ``width`` cells (title, header, body, numbered links), with
        the URLs of those links."""
        from tui.core.text.layout import render_article

        header: list[tuple[str, str]] = [("Feed", entry.feed_title or entry.feed_url)]
        if entry.author:
            header.append(("Author", entry.author))
        if entry.date is not None:
            header.append(("Date", format_local(entry.date)))
        link = safe_url(entry.link)
        if link:
            header.append(("Link", link))
        for enclosure in entry.enclosures:
            url = safe_url(enclosure.url)
            if url:
                header.append(
                    ("Attachment", f"{url} ({enclosure.type})" if enclosure.type else url)
                )
        return render_article(
            entry.content or entry.summary,
            width,
            base_url=entry.link or entry.feed_url,
            header=header,
            title=entry.title or "(untitled)",
            options=self.layout_options(),
        )

    # subscriptions ---------------------------------------------------------------------

    def import_subscriptions(self, path: Path) -> ImportReport:
        """Subscribe to every feed of an OPML or newsboat urls file, without fetching."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ParseError(f"cannot read the file ({exc.strerror})", subject=str(path)) from exc
        text = data.decode("utf-8-sig", errors="replace")
        subs = read_subscriptions(text, source=str(path))
        added = existing = 0
        for sub in subs.subscriptions:
            if self.store.get_feed(sub.url) is not None:
                existing += 1
                if sub.tags:
                    self.store.add_feed(sub.url, tags=sub.tags)
                continue
            self.store.add_feed(sub.url, title=sub.title, tags=sub.tags)
            added += 1
        self._write_backup()
        return ImportReport(added, existing, tuple(subs.skipped))

    def export_opml(self) -> str:
        return write_opml(Subscription(f.url, f.title, f.tags) for f in self.store.list_feeds())

    def _write_backup(self) -> None:
        """Subscriptions beside the cache, so a damaged cache never costs the user them."""
        try:
            atomic_write_text(self.paths.opml_backup, self.export_opml())
        except OSError as exc:
            log.warning("cannot write %s: %s", self.paths.opml_backup, exc)

    def _restore_backup(self) -> None:
        if self.paths.opml_backup.exists():
            with contextlib.suppress(YueduError):
                self.import_subscriptions(self.paths.opml_backup)


def normalise_url(url: str) -> str:
    """What a user typed -> a URL: add a scheme when it is missing.

    https for sites; http for this machine and bare IP addresses, which rarely have
    certificates (a feed served on 127.0.0.1 during development, a router, a NAS).
    """
    url = url.strip()
    if "://" in url or url.startswith(("http:", "https:")):
        return url
    host = urlsplit("//" + url).hostname or ""
    local = host == "localhost" or host.endswith(".localhost")
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(host)
        local = True
    return ("http://" if local else "https://") + url


def format_local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


__all__ = [
    "AddResult",
    "FeedService",
    "FetchError",
    "ImportReport",
    "ParseError",
    "format_local",
    "normalise_url",
]
