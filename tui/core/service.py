"""FeedService: the one API the CLI and the reader call.

A thin facade: the store answers questions, the refresh pipeline fetches, parses and
stores, the config says how. Typed feed URLs resolve through ``tui.core.urls`` here and
nowhere else.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core import article_pages, subscription_files
from tui.core.backup import Recovery
from tui.core.config import Config
from tui.core.errors import FetchError, ParseError, StoreCorruptError, StoreError, YueduError
from tui.core.feeds.opml import (
    write_opml,
)
from tui.core.models import (
    Entry,
    EntryFilter,
    Feed,
    IgnoreRule,
    RefreshReport,
    SavedQuery,
)
from tui.core.paths import Paths
from tui.core.refresh.pipeline import ProgressCallback, RefreshPipeline
from tui.core.store import Store
from tui.core.subscription_files import ImportReport
from tui.core.text.display import DisplayOptions, LineCache
from tui.core.text.sanitize import clean_line
from tui.core.urls import candidate_urls, normalise_url

if TYPE_CHECKING:
    from tui.core.feeds.download import Progress
    from tui.core.store.articles import StoredArticle
    from tui.core.text.breaker import WrapOptions
    from tui.core.text.convert import Target
    from tui.core.text.lines import Article, LayoutOptions

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AddResult:
    feed: Feed
    new_entries: int
    already_subscribed: bool = False
    discovered_from: str | None = None
    """The page the feed was found on, when the URL given was a web page."""


class FeedService:
    def __init__(self, store: Store, *, config: Config, paths: Paths, parse_workers: int = 0):
        """``parse_workers`` 0 parses in a thread; more uses that many worker processes."""
        self.store = store
        self.config = config
        self.paths = paths
        self.recovery: Recovery | None = None
        """What happened when this service found the cache damaged and rebuilt it."""
        self._pipeline = RefreshPipeline(store, config, parse_workers=parse_workers)
        self._lines = LineCache(config.text.display_options())
        self._scripts: dict[int, Target] | None = None  # feed id -> its own script

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
            service.recovery = service._restore_backup(recovered)
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
                self.write_backup()
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
        existing = self.store.get_feed(feed_url)
        if existing is not None:  # the URL typed redirects to a feed already subscribed
            return AddResult(existing, 0, True, discovered_from)
        feed = self.store.add_feed(feed_url, title=clean_line(title), tags=tags)
        try:
            new = await self._pipeline.ingest(feed, result)
        except BaseException as exc:
            # Nothing usable there, or the parse broke: either way no subscription.
            self.store.remove_feed(feed_url)
            if isinstance(exc, Exception) and not isinstance(exc, YueduError):
                log.debug("adding %s failed", feed_url, exc_info=exc)
                reason = f"the parser failed on this feed ({type(exc).__name__})"
                raise ParseError(reason, subject=feed_url) from exc
            raise
        self.write_backup()
        return AddResult(self.store.get_feed(feed_url) or feed, new, False, discovered_from)

    def add_feed_blocking(
        self, url: str, *, title: str | None = None, tags: Sequence[str] = ()
    ) -> AddResult:
        return asyncio.run(self.add_feed(url, title=title, tags=tags))

    def tag_feed(self, url: str, tags: Sequence[str], *, add: bool = True) -> Feed | None:
        """Add ``tags`` to a feed (or take them off, ``add`` False); None if not subscribed."""
        feed = self.feed(url)
        if feed is None:
            return None
        kept = tuple(tag for tag in feed.tags if tag not in tags)
        return self.set_tags(feed.url, (*feed.tags, *tags) if add else kept)

    def set_tags(self, url: str, tags: Sequence[str]) -> Feed | None:
        """Replace a feed's tags; None if not subscribed."""
        feed = self.feed(url)
        if feed is None:
            return None
        self.store.set_feed_tags(feed.url, tags)
        self.write_backup()
        return self.store.get_feed(feed.url)

    def remove_feed(self, url: str) -> bool:
        feed = self.feed(url)
        if feed is None or not self.store.remove_feed(feed.url):
            return False
        self.write_backup()
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
            self.write_backup()
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

    # saved queries and ignore rules ---------------------------------------------------

    def saved_queries(self) -> list[SavedQuery]:
        return self.store.saved_queries()

    def saved_query(self, name: str) -> SavedQuery | None:
        return next((q for q in self.store.saved_queries() if q.name == name), None)

    def save_query(self, name: str, query: str) -> SavedQuery:
        """Raises QueryError (one line naming the column) when ``query`` does not parse."""
        return self.store.save_query(name, query)

    def remove_query(self, name: str) -> bool:
        return self.store.remove_query(name)

    def ignore_rules(self) -> list[IgnoreRule]:
        return self.store.ignore_rules()

    def add_ignore_rule(self, expr: str, feed_url: str = "*") -> bool:
        """A rule for every feed ("*") or one (a subscribed feed as typed, else the URL
        as given); False if it was there. Raises QueryError when ``expr`` does not parse."""
        if feed_url != "*":
            feed = self.feed(feed_url)
            feed_url = feed.url if feed is not None else feed_url
        return self.store.add_ignore_rule(expr, feed_url)

    def remove_ignore_rule(self, expr: str) -> int:
        return self.store.remove_ignore_rule(expr)

    # article text ----------------------------------------------------------------------

    def wrap_options(self) -> WrapOptions:
        """How titles in lists are measured and cut (``ambiguous_width`` and friends)."""
        return self.config.text.wrap_options()

    def layout_options(self) -> LayoutOptions:
        """How articles are laid out, from the config's ``[text]``."""
        return self.config.text.layout_options()

    def feed_script(self, feed_id: int) -> Target | None:
        """The script feed ``feed_id`` is shown in when it overrides the config, else None."""
        if self._scripts is None:
            from tui.core.text.convert import TARGETS

            found = self.store.feed_scripts()
            self._scripts = {i: s for i, s in found.items() if s in TARGETS}
        return self._scripts.get(feed_id)

    def set_feed_script(self, url: str, script: Target | None) -> Feed:
        """Show feed ``url`` in ``script`` whatever the config says; None follows the config."""
        feed = self.feed(url)
        if feed is None:
            raise StoreError("not subscribed", subject=url)
        self.store.set_feed_script(feed.url, script)
        self._scripts = None
        self.write_backup()
        return feed

    def display_options(self, feed_id: int | None = None) -> DisplayOptions:
        """How text is shown: the config's ``[text]``, with feed ``feed_id``'s own script."""
        options = self.config.text.display_options()
        script = self.feed_script(feed_id) if feed_id is not None else None
        return options if script is None else replace(options, script=script)

    def show_line(self, text: str | None, feed_id: int | None = None) -> str:
        """One line of feed text (a title, a feed's name) as shown; remembered, for lists."""
        script = self.feed_script(feed_id) if feed_id is not None else None
        return self._lines(text, script)

    def article_lines(self, entry: Entry, width: int) -> Article:
        """The entry laid out at ``width`` cells (title, header, body, numbered links), with
        the URLs of those links."""
        return article_pages.feed_body(entry, width, self._article_options(entry))

    # full articles ---------------------------------------------------------------------

    async def full_article(self, entry: Entry) -> StoredArticle:
        """The article behind the entry's link, cached or fetched now; raises YueduError
        with a one-line reason ("no article found on the page", "HTTP 404 Not Found")."""
        return await self._pipeline.articles.article(entry)

    def full_article_blocking(self, entry: Entry) -> StoredArticle:
        return asyncio.run(self.full_article(entry))

    def full_article_lines(self, entry: Entry, article: StoredArticle, width: int) -> Article:
        """The full article laid out as ``article_lines`` lays out the feed's body."""
        return article_pages.full_article(entry, article, width, self._article_options(entry))

    def _article_options(self, entry: Entry) -> LayoutOptions:
        return replace(self.layout_options(), display=self.display_options(entry.feed_id))

    async def fetch_full_articles(self) -> int:
        """Fetch the missing articles of feeds set to always full text; how many arrived."""
        return await self._pipeline.articles.fetch_missing()

    def fetch_full_articles_blocking(self) -> int:
        return asyncio.run(self.fetch_full_articles())

    def set_full_text(self, url: str, on: bool) -> Feed | None:
        """Always fetch the feed's full articles, or stop; None if not subscribed."""
        feed = self.feed(url)
        if feed is None or not self.store.set_feed_full_text(feed.url, on):
            return None
        self.write_backup()
        return feed

    def full_text_feeds(self) -> set[str]:
        """The URLs of the feeds set to always fetch full articles."""
        return self.store.full_text_feeds()

    def download_enclosure(self, url: str, progress: Progress) -> Path:
        """Download an enclosure to ``[player] download_dir`` (resuming a partial file)."""
        from tui.core.feeds.download import download

        player = self.config.player
        limits = player.download_limits(self.config.fetch)
        return download(url, player.download_folder(), limits, progress)

    # subscriptions ---------------------------------------------------------------------

    def import_subscriptions(self, path: Path) -> ImportReport:
        """Subscribe to every feed of an OPML or newsboat urls file, without fetching."""
        report = subscription_files.subscribe(self.store, subscription_files.read_file(path))
        self._scripts = None
        self.write_backup()
        return report

    def export_opml(self) -> str:
        return write_opml(subscription_files.current(self.store))

    def write_backup(self) -> None:
        """Write the subscriptions to the OPML backup (after the feeds changed)."""
        subscription_files.save_backup(self.store, self.paths.opml_backup)

    def _restore_backup(self, moved_to: Path) -> Recovery:
        recovery = subscription_files.restore(self.store, self.paths.opml_backup, moved_to)
        if recovery.restored is not None:  # an unreadable backup stays as it is, for the user
            self.write_backup()
        return recovery


__all__ = [
    "AddResult",
    "FeedService",
    "FetchError",
    "ImportReport",
    "ParseError",
]
