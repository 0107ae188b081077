"""Parse and store feed bodies off the caller's thread: in worker processes, or in a thread.

feedparser is pure Python (about 0.1-0.3 s of CPU per MB) and indexing an entry for search
costs about as much again; in a thread either would hold the GIL and freeze the reader.
So a refresh hands each body to a worker process that parses it and writes its entries to
the cache itself (SQLite in WAL mode takes writers from several processes, one short
transaction each), and only a count comes back. The forkserver start method keeps the
workers clean of the reader's threads and warm with the parser already imported.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from tui.core.errors import ParseError
from tui.core.models import ParsedFeed
from tui.core.parse import parse_feed
from tui.core.store import Store

T = TypeVar("T")


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


class ParsePool:
    def __init__(self, workers: int) -> None:
        """``workers`` 0 works in a thread of the caller's event loop."""
        self._workers = max(0, workers)
        self._executor: Executor | None = None
        # One job per worker at a time, so a job's timeout counts its own work, not the
        # queue in front of it (a refresh hands over hundreds of bodies at once).
        self._slots: asyncio.Semaphore | None = None

    def _pool(self) -> Executor:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["tui.core.parse_pool"])
            workers = min(self._workers, os.cpu_count() or 1)
            self._executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        return self._executor

    async def parse(
        self, body: bytes, *, url: str, content_type: str | None, timeout: float
    ) -> ParsedFeed:
        """Parse one body; a parse that runs past ``timeout`` seconds is reported, not awaited."""
        return await self._run(_parse_job, (body, url, content_type), url=url, timeout=timeout)

    async def ingest(self, store: Store, job: Ingest, *, timeout: float) -> int:
        """Parse a body and save its entries and fetch result; return the new entries."""
        if self._workers == 0:
            return await self._run(_ingest_into, (store, job), url=job.url, timeout=timeout)
        return await self._run(_ingest_job, (str(store.path), job), url=job.url, timeout=timeout)

    async def _run(
        self, function: Callable[..., T], args: tuple[object, ...], *, url: str, timeout: float
    ) -> T:
        if self._slots is None:
            self._slots = asyncio.Semaphore(max(1, min(self._workers, os.cpu_count() or 1)))
        async with self._slots:
            try:
                if self._workers == 0:
                    return await asyncio.wait_for(asyncio.to_thread(function, *args), timeout)
                loop = asyncio.get_running_loop()
                future = loop.run_in_executor(self._pool(), function, *args)
                return await asyncio.wait_for(future, timeout)
            except TimeoutError:
                # The worker is still busy with it: give later feeds a fresh pool.
                self.close()
                raise ParseError(f"parsing took over {timeout:g} s", subject=url) from None
            except BrokenProcessPool:
                # A worker died (memory, a signal); start afresh for the next feed.
                self.close()
                raise ParseError("the parser crashed on this feed", subject=url) from None
            except RecursionError:
                raise ParseError("not a feed (nested too deeply)", subject=url) from None

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None


def _parse_job(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    return parse_feed(body, url=url, content_type=content_type)


def _ingest_into(store: Store, job: Ingest) -> int:
    parsed = parse_feed(job.body, url=job.url, content_type=job.content_type)
    now = datetime.now(UTC)
    new = store.save_entries(job.feed_id, parsed.entries, now=now, max_entries=job.max_entries)
    store.record_fetch(
        job.feed_id,
        fetched_at=now,
        status=job.status,
        error=None,
        etag=job.etag,
        last_modified=job.last_modified,
        title=parsed.title or None,
        site_link=parsed.site_link or None,
    )
    return new


# Each worker process keeps one connection per cache it has written to.
_worker_stores: dict[str, Store] = {}


def _ingest_job(database: str, job: Ingest) -> int:
    store = _worker_stores.get(database)
    if store is None:
        store = _worker_stores[database] = Store(Path(database))
    return _ingest_into(store, job)
