"""A pre-filled cache for figures c, d and e: M articles spread over the server's feeds.

Built once per benchmark run straight through the Store (what a long-used reader would
have accumulated), in a home whose config does not refresh on start. Its feeds are the
feed server's, so a refresh inside the reader (figure d, during) fetches real feeds.
"""

from __future__ import annotations

import multiprocessing
import shutil
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tui.bench.fixtures import cache_entries, feed_specs
from tui.bench.refresh import cache_size, write_home
from tui.core.models import EntryFilter, ParsedEntry


@dataclass(frozen=True, slots=True)
class CacheInfo:
    home: Path
    articles: int
    feeds: int
    seconds: float
    """How long building it took (generation and writes)."""
    bytes: int
    newest_titles: tuple[str, ...]
    """Titles of the newest entries, in list order: what the first screen must show."""


def build_cache(
    home: Path, feeds: list[tuple[str, str]], articles: int, *, seed: int = 0
) -> CacheInfo:
    """Fill ``home``'s cache with ``articles`` entries over ``feeds`` (url, title)."""
    from tui.core.store import Store

    start = time.perf_counter()
    shutil.rmtree(home, ignore_errors=True)
    write_home(home, feeds)
    per_feed, extra = divmod(articles, len(feeds))
    counts = [per_feed + (1 if i < extra else 0) for i in range(len(feeds))]
    now = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
    store = Store(home / "cache.db")
    # Text is generated in another process while this one writes: the two overlap.
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            ahead: deque[Future[list[ParsedEntry]]] = deque()
            for index, (url, title) in enumerate(feeds):
                # A few feeds ahead, not all: the text of 100,000 articles is 400 MB.
                while len(ahead) < 4 and index + len(ahead) < len(feeds):
                    n = index + len(ahead)
                    ahead.append(pool.submit(_generate, len(feeds), n, counts[n], seed))
                entries = ahead.popleft().result()
                feed = store.add_feed(url, title=title)
                store.save_entries(feed.id, entries, now=now)
        store.optimize()
        titles = tuple(e.title for e in store.list_entries(EntryFilter(), limit=3))
    finally:
        store.close()
    return CacheInfo(
        home=home,
        articles=articles,
        feeds=len(feeds),
        seconds=time.perf_counter() - start,
        bytes=cache_size(home),
        newest_titles=titles,
    )


def _generate(feeds: int, index: int, count: int, seed: int) -> list[ParsedEntry]:
    return list(cache_entries(feed_specs(feeds, seed)[index], count, seed))


def copy_home(source: Path, target: Path) -> Path:
    """A private copy of a cache home, for a run that writes to it."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    return target
