"""One ingest job: parse a fetched body and store its entries and fetch result.

This is what a worker process runs (or a thread, without workers). It parses under a
time limit of its own, because a worker abandoned by its caller would otherwise go on.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from tui.core.errors import ParseError
from tui.core.models import FetchRecord, ParsedEntry, ParsedFeed
from tui.core.query.evaluate import ArticleRecord, FeedRecord, matches
from tui.core.query.parser import Node, QueryError, parse
from tui.core.store import Store
from tui.core.store.codec import to_epoch
from tui.core.store.entries import FeedSave

BUSY_TIMEOUT = 10.0
"""Seconds a worker's save waits for another process's write to the cache."""


@dataclass(frozen=True, slots=True)
class Ingest:
    """One fetched body to parse and store for a feed."""

    feed_id: int
    body: bytes
    url: str
    content_type: str | None
    status: int
    etag: str | None
    last_modified: str | None
    max_entries: int | None
    ignore: tuple[str, ...] = ()
    """Expressions of the ignore rules for this feed: matching entries are not stored."""


Outcome = int | Exception
"""How one job went: its new entries, or why it failed (ParseError, or a bug's exception)."""


def ingest_into(store: Store, jobs: Sequence[Ingest], limit: float | None = None) -> list[Outcome]:
    """Parse each body, then save every feed that parsed, with its fetch result, in one
    transaction; the outcome of each job, in order.

    A body that fails to parse costs its own feed only. A save that fails (StoreError)
    raises: nothing of the batch was stored.
    """
    outcomes: list[Outcome] = []
    saves: list[FeedSave] = []
    for job in jobs:
        try:
            parsed = _parse_within(job, limit)
        except RecursionError:
            outcomes.append(ParseError("not a feed (nested too deeply)", subject=job.url))
            continue
        except Exception as exc:  # a bug costs its own feed: raised again for its caller
            outcomes.append(exc)
            continue
        now = datetime.now(UTC)
        entries: Sequence[ParsedEntry] = parsed.entries
        if job.ignore:
            entries = kept_entries(store, job.feed_id, job.ignore, parsed, to_epoch(now))
        fetch = FetchRecord(
            job.feed_id,
            fetched_at=now,
            status=job.status,
            error=None,
            etag=job.etag,
            last_modified=job.last_modified,
            title=parsed.title or None,
            site_link=parsed.site_link or None,
        )
        outcomes.append(len(saves))  # replaced by the count below
        saves.append(FeedSave(job.feed_id, entries, now, job.max_entries, fetch))
    counts = store.save_fetches(saves) if saves else []
    return [counts[o] if isinstance(o, int) else o for o in outcomes]


def kept_entries(
    store: Store, feed_id: int, ignore: Sequence[str], parsed: ParsedFeed, now: int
) -> list[ParsedEntry]:
    """The entries no ignore rule (``ignore``, expressions) matches, judged as newsboat
    does on download: every entry unread, ``articleindex`` its place in the feed, the feed
    as the cache has it."""
    rules: list[Node] = []
    for expr in ignore:
        try:
            rules.append(parse(expr))
        except QueryError:
            continue  # checked when the rule was added; a damaged one drops nothing
    feed = store.feed_record(feed_id)
    if feed is None or not rules:
        return list(parsed.entries)
    feed = replace(
        feed, title=feed.title or parsed.title, site_link=feed.site_link or parsed.site_link
    )
    return [
        entry
        for index, entry in enumerate(parsed.entries, 1)
        if not any(matches(rule, _article(entry, feed, index, now), now) for rule in rules)
    ]


def _article(entry: ParsedEntry, feed: FeedRecord, index: int, now: int) -> ArticleRecord:
    dated = entry.published or entry.updated
    enclosure = entry.enclosures[0] if entry.enclosures else None
    return ArticleRecord(
        id=0,
        feed=feed,
        title=entry.title,
        link=entry.link or "",
        author=entry.author,
        content=entry.content or entry.summary,
        date=now if dated is None else min(to_epoch(dated), now),
        guid=entry.guid or "",
        enclosure_url=enclosure.url if enclosure else "",
        enclosure_type=enclosure.type if enclosure else "",
        index=index,
    )


# Each worker process keeps one connection per cache it has written to.
_worker_stores: dict[str, Store] = {}


def ingest_in_worker(database: str, jobs: Sequence[Ingest], limit: float) -> list[Outcome]:
    """``ingest_into`` in a worker process, through its own connection to ``database``."""
    store = _worker_stores.get(database)
    if store is None:
        store = _worker_stores[database] = Store(Path(database), busy_timeout=BUSY_TIMEOUT)
    return ingest_into(store, jobs, limit)


class _Overtime(BaseException):
    """Raised into a parse that ran out of time; a BaseException so that no ``except
    Exception`` in feedparser or the parser swallows it and carries on."""


def _overtime(signum: int, frame: object) -> None:
    raise _Overtime


def _parse_within(job: Ingest, limit: float | None) -> ParsedFeed:
    """parse_feed, stopped after ``limit`` seconds when this is a worker's main thread.

    A worker abandoned by its caller would otherwise parse on (a body nested a million deep
    takes minutes), holding a core, and then store a feed already reported as failed; and a
    CLI process waits for its workers before it exits.
    """
    # Imported here: the main process never parses, and the parser is slow to import.
    from tui.core.feeds.parse.feed import parse_feed

    usable = (
        limit is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable or limit is None:
        return parse_feed(job.body, url=job.url, content_type=job.content_type)
    previous = signal.signal(signal.SIGALRM, _overtime)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        try:
            return parse_feed(job.body, url=job.url, content_type=job.content_type)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Overtime:  # also when the alarm went off just as the parse returned
        raise ParseError(f"parsing took over {limit:g} s", subject=job.url) from None
    finally:
        signal.signal(signal.SIGALRM, previous)
