"""FeedService: the one API the CLI and the reader call.

A thin facade: the store answers questions, the refresh pipeline fetches, parses and
stores, the config says how. Typed feed URLs resolve through ``tui.core.urls`` here and
nowhere else.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.atomic import atomic_write_text
from tui.core.config import Config
from tui.core.enclosures import listed_enclosures
from tui.core.errors import FetchError, ParseError, StoreCorruptError, StoreError, YueduError
from tui.core.feeds.opml import Subscription, read_subscription_file, write_opml
from tui.core.models import Entry, EntryFilter, Feed, RefreshReport
from tui.core.paths import Paths
from tui.core.refresh.pipeline import ProgressCallback, RefreshPipeline
from tui.core.store import Store
from tui.core.text.sanitize import clean_line, safe_url
from tui.core.urls import candidate_urls, normalise_url

if TYPE_CHECKING:
    from tui.core.feeds.download import Progress
    from tui.core.text.breaker import WrapOptions
    from tui.core.text.layout import Article, LayoutOptions

log = logging.getLogger(__name__)


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
        self._pipeline = RefreshPipeline(store, config, parse_workers=parse_workers)

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
        self._pipeline.close()
        self.store.close()

    def __enter__(self) -> FeedService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # feeds -----------------------------------------------------------------------------

    def feeds(self) -> list[Feed]:
        return self.store.list_feeds()

    def feed(self, url: str) -> Feed | None:
        """The subscribed feed ``url`` names, as typed (``example.com/feed.xml`` will do)."""
        for candidate in candidate_urls(url):
            found = self.store.get_feed(candidate)
            if found is not None:
                return found
        return None

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
        existing = self.feed(url)
        if existing is not None:
            if tags:
                merged = tuple(dict.fromkeys((*existing.tags, *tags)))
                self.store.set_feed_tags(existing.url, merged)
                self._write_backup()
            return AddResult(self.store.get_feed(existing.url) or existing, 0, True)
        wanted = normalise_url(url)
        async with self._pipeline.fetcher() as fetcher:
            result = await fetcher.fetch(wanted)
            discovered_from: str | None = None
            # The parser loads in the workers; here only to look for links on a web page.
            from tui.core.feeds import discover

            if discover.is_web_page(result.body, result.content_type):
                links = discover.find_feed_links(
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
            new = await self._pipeline.ingest(feed.id, result)
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
        feed = self.feed(url)
        if feed is None or not self.store.remove_feed(feed.url):
            return False
        self._write_backup()
        return True

    # refresh ---------------------------------------------------------------------------

    async def refresh(
        self, urls: Sequence[str] | None = None, *, progress: ProgressCallback | None = None
    ) -> RefreshReport:
        """Fetch feeds (all when ``urls`` is None); one feed's failure never stops the others.

        Raises StoreError (StoreBusyError when another process holds the cache past its
        busy timeout) when the cache cannot be written.
        """
        feeds = self.store.list_feeds()
        if urls is not None:
            wanted = {candidate for url in urls for candidate in candidate_urls(url)}
            feeds = [f for f in feeds if f.url in wanted]
        report = await self._pipeline.refresh(feeds, progress=progress)
        if any(s.moved_to for s in report.statuses):
            self._write_backup()
        return report

    def refresh_blocking(
        self, urls: Sequence[str] | None = None, *, progress: ProgressCallback | None = None
    ) -> RefreshReport:
        return asyncio.run(self.refresh(urls, progress=progress))

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

    def wrap_options(self) -> WrapOptions:
        """How titles in lists are measured and cut (``ambiguous_width`` and friends)."""
        return self.config.text.wrap_options()

    def layout_options(self) -> LayoutOptions:
        """How articles are laid out, from the config's ``[text]``."""
        return self.config.text.layout_options()

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
        return render_article(
            entry.content or entry.summary,
            width,
            base_url=entry.link or entry.feed_url,
            header=header,
            title=entry.title or "(untitled)",
            options=self.layout_options(),
            enclosures=listed_enclosures(entry.enclosures),
        )

    def download_enclosure(self, url: str, progress: Progress) -> Path:
        """Download an enclosure to ``[player] download_dir`` (resuming a partial file)."""
        from tui.core.feeds.download import download

        player = self.config.player
        limits = player.download_limits(self.config.fetch)
        return download(url, player.download_folder(), limits, progress)

    # subscriptions ---------------------------------------------------------------------

    def import_subscriptions(self, path: Path) -> ImportReport:
        """Subscribe to every feed of an OPML or newsboat urls file, without fetching."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ParseError(f"cannot read the file ({exc.strerror})", subject=str(path)) from exc
        subs = read_subscription_file(data, source=str(path))
        added = existing = 0
        for sub in subs.subscriptions:
            if self.store.get_feed(sub.url) is not None:
                existing += 1
                if sub.tags or sub.site_link:
                    self.store.add_feed(sub.url, tags=sub.tags, site_link=sub.site_link)
                continue
            self.store.add_feed(sub.url, title=sub.title, tags=sub.tags, site_link=sub.site_link)
            added += 1
        self._write_backup()
        return ImportReport(added, existing, tuple(subs.skipped))

    def export_opml(self) -> str:
        feeds = self.store.list_feeds()
        return write_opml(Subscription(f.url, f.title, f.tags, f.site_link) for f in feeds)

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


def format_local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


__all__ = [
    "AddResult",
    "FeedService",
    "FetchError",
    "ImportReport",
    "ParseError",
    "format_local",
]
