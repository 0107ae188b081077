"""One sync: pull the server's feeds, entries and marks into the cache, push the marks
made here.

The order matters. New entries come first, each page stored with its marks and the
cursor moved past it, so an interrupted first sync resumes where it stopped. Marks made
here go next: a mark waiting here is the later change unless the server said otherwise
(``RemoteEntry.marks_changed``). Last, the server's read and starred sets are applied to
every synced entry, which brings back changes made elsewhere to older entries.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from tui.core.errors import YueduError
from tui.core.models import IgnoreRule, ParsedFeed
from tui.core.refresh.ingest import kept_entries
from tui.core.store import Store
from tui.core.store.codec import to_epoch
from tui.core.store.synced import PendingMark, PulledEntry
from tui.core.sync.base import Account, MarkChange, RemoteEntry, SyncClient

CURSOR = "cursor"
ACCOUNT = "account"
FULL_MARKS = "full_marks"
"""When every feed's unread list was last read."""
FULL_CHECK = 24 * 3600
"""Seconds between syncs that read every feed's unread list whatever the counts say."""


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Sent as a sync goes: what it is doing, and how far (``total`` None when unknown)."""

    step: str
    done: int
    total: int | None = None


ProgressCallback = Callable[[SyncProgress], None]


@dataclass(slots=True)
class SyncReport:
    feeds: int = 0
    new_entries: int = 0
    pulled: int = 0
    """Entries the server sent (new or changed)."""
    pushed: int = 0
    """Marks made here that the server now has."""
    marks_changed: int = 0
    """Entries whose read or starred state changed here to follow the server."""
    subscribed: list[str] = field(default_factory=list)
    unsubscribed: list[str] = field(default_factory=list)
    waiting: int = 0
    """Marks made here still waiting to be pushed (the server could not be reached)."""
    failures: list[str] = field(default_factory=list)
    """One line each; the sync went on past them."""
    local_only: list[str] = field(default_factory=list)
    """Feeds subscribed here and not on the server: nothing fetches them while syncing."""


def account_key(account: Account) -> str:
    """Names the account without the password: a different one means a different server."""
    return f"{account.service} {account.user} {account.url.rstrip('/')}"


class Syncer:
    def __init__(
        self, store: Store, client: SyncClient, account: Account, *, keep: int | None = None
    ) -> None:
        """``keep``: entries kept per feed (``max_entries_per_feed``), None for all."""
        self.keep = keep
        self.store = store
        self.client = client
        self.account = account
        self._rules: list[IgnoreRule] = []
        self._feed_urls: dict[int, str] = {}

    async def run(self, progress: ProgressCallback | None = None) -> SyncReport:
        """Sync once. Raises YueduError (SyncAuthError, FetchError) when the server cannot
        be reached or refuses the login; marks made here then stay queued."""
        report = SyncReport()
        note = progress or (lambda _: None)
        self._claim_cache()
        await self.client.login()
        note(SyncProgress("feeds", 0))
        feed_ids = await self._pull_feeds(report)
        first = self.store.sync_value(CURSOR) is None
        await self._pull_entries(feed_ids, report, note)
        await self._push(report, note)
        now = str(int(time.time()))
        if first:  # every entry came with its marks: as good as reading every list
            self.store.set_sync_values({FULL_MARKS: now})
        else:
            note(SyncProgress("marks", 0))
            report.marks_changed = await self._pull_marks()
        report.waiting = len(self.store.pending_marks())
        return report

    async def push_only(self) -> int:
        """Push the marks waiting here, nothing else; how many the server took."""
        report = SyncReport()
        self._claim_cache()
        if not self.store.pending_marks():
            return 0  # nothing to say: no login either
        await self.client.login()
        await self._push(report, lambda _: None)
        if report.failures:
            raise YueduError(report.failures[0])
        return report.pushed

    def _claim_cache(self) -> None:
        key = account_key(self.account)
        held = self.store.sync_value(ACCOUNT)
        if held != key:
            if held is not None:
                self.store.forget_remote()
            self.store.set_sync_values({ACCOUNT: key})

    async def _pull_feeds(self, report: SyncReport) -> dict[str, int]:
        """Store the server's feeds here; server id to id here."""
        known = self.store.remote_feed_ids()
        remote = await self.client.feeds()
        feed_ids: dict[str, int] = {}
        for feed in remote:
            feed_ids[feed.remote_id] = self.store.save_remote_feed(
                feed.remote_id, feed.url, feed.title, feed.site_link, feed.categories
            )
            if feed.remote_id not in known:
                report.subscribed.append(feed.url)
        if feed_ids or not known:
            report.unsubscribed = self.store.drop_remote_feeds(set(feed_ids))
        else:
            # An empty list where there were feeds is likelier a server's hiccup than a user
            # who left them all: dropping them would delete their starred entries too.
            report.failures.append("the server listed no feeds: none unsubscribed here")
        report.feeds = len(feed_ids)
        synced = set(self.store.remote_feed_ids().values())
        report.local_only = [f.url for f in self.store.list_feeds() if f.url not in synced]
        return feed_ids

    async def _pull_marks(self) -> int:
        """Apply the server's read and starred state to every synced entry.

        The newest entries' state comes first where the server gives it in one request
        (tt-rss: 200 of them). Then unread lists are asked for only for feeds whose
        unread count differs from the cache's (all of them when the server gives no
        counts). Counts can match while an older entry was read and another made unread
        there; every ``FULL_CHECK`` the lists of every feed are read to catch that.
        """
        now = int(time.time())
        recent = await self.client.recent_marks()
        marked = self.store.apply_listed_marks([(m.remote_id, m.read, m.starred) for m in recent])
        last_full = int(self.store.sync_value(FULL_MARKS) or 0)
        changed: set[str] | None = None
        # Counted now, after this sync's pushes: counts from before would be stale.
        remote_counts = {
            f.remote_id: f.unread for f in await self.client.feeds() if f.unread is not None
        }
        if remote_counts and now - last_full < FULL_CHECK:
            local = self.store.remote_unread_counts()
            changed = {f for f, n in local.items() if remote_counts.get(f) != n}
        unread = await self.client.unread_ids(changed) if changed != set() else set()
        starred = await self.client.starred_ids()
        marked += self.store.apply_remote_marks(unread, starred, changed)
        if changed is None:
            self.store.set_sync_values({FULL_MARKS: str(now)})
        return marked

    async def _pull_entries(
        self, feed_ids: dict[str, int], report: SyncReport, note: ProgressCallback
    ) -> None:
        now = int(time.time())
        self._rules = self.store.ignore_rules()
        self._feed_urls = {f.id: f.url for f in self.store.list_feeds()}
        async for page in self.client.entries(self.store.sync_value(CURSOR)):
            by_feed: defaultdict[int, list[PulledEntry]] = defaultdict(list)
            for remote in page.entries:
                feed_id = feed_ids.get(remote.feed_remote_id)
                if feed_id is not None:  # an entry of a feed the user has since left
                    by_feed[feed_id].append(_pulled(remote))
            kept = {f: self._unignored(f, pulled, now) for f, pulled in by_feed.items()}
            report.new_entries += self.store.save_pulled(kept, now=now, keep=self.keep)
            report.pulled += len(page.entries)
            self.store.set_sync_values({CURSOR: page.cursor})
            note(SyncProgress("entries", report.pulled))

    def _unignored(self, feed_id: int, pulled: list[PulledEntry], now: int) -> list[PulledEntry]:
        """The entries no ignore rule drops, judged as on a refresh."""
        url = self._feed_urls.get(feed_id, "")
        rules = [r.expr for r in self._rules if r.feed_url in ("*", url)]
        if not rules:
            return pulled
        feed = ParsedFeed("", "", tuple(p.entry for p in pulled), "sync")
        kept = {id(e) for e in kept_entries(self.store, feed_id, rules, feed, now)}
        return [p for p in pulled if id(p.entry) in kept]

    async def _push(self, report: SyncReport, note: ProgressCallback) -> None:
        pending = self.store.pending_marks()
        if not pending:
            return
        note(SyncProgress("push", 0, len(pending)))
        try:
            await self.client.push(_changes(pending))
        except YueduError as exc:
            report.failures.append(f"marks not pushed, kept for the next sync: {exc}")
            return
        self.store.clear_pending(pending)
        report.pushed = len(pending)
        note(SyncProgress("push", len(pending), len(pending)))


def _pulled(remote: RemoteEntry) -> PulledEntry:
    entry = remote.entry
    if not entry.guid:
        # The entry's own key: without a guid two entries sharing a link would be one.
        entry = replace(entry, guid=f"yuedu-sync:{remote.remote_id}")
    changed = None if remote.marks_changed is None else to_epoch(remote.marks_changed)
    return PulledEntry(remote.remote_id, entry, remote.read, remote.starred, changed)


def _changes(pending: Sequence[PendingMark]) -> list[MarkChange]:
    return [MarkChange(m.remote_id, read=m.read, starred=m.starred) for m in pending]
