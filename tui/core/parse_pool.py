"""Run the parser off the caller's thread: in worker processes, or in a thread for small jobs.

feedparser is pure Python (about 0.5 s of CPU per MB); in a thread it would hold the GIL
and freeze the reader, so a refresh hands bodies to processes. The forkserver start method
keeps the workers clean of the reader's threads and warm with the parser already imported.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from tui.core.errors import ParseError
from tui.core.models import ParsedFeed
from tui.core.parse import parse_feed


class ParsePool:
    def __init__(self, workers: int) -> None:
        """``workers`` 0 parses in a thread of the caller's event loop."""
        self._workers = max(0, workers)
        self._executor: Executor | None = None
        # One job per worker at a time, so a parse's timeout counts its own work, not the
        # queue in front of it (a refresh hands over hundreds of bodies at once).
        self._slots: asyncio.Semaphore | None = None

    def _pool(self) -> Executor:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["tui.core.parse"])
            workers = min(self._workers, os.cpu_count() or 1)
            self._executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        return self._executor

    async def parse(
        self, body: bytes, *, url: str, content_type: str | None, timeout: float
    ) -> ParsedFeed:
        """Parse one body; a parse that runs past ``timeout`` seconds is reported, not awaited."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(max(1, min(self._workers, os.cpu_count() or 1)))
        async with self._slots:
            return await self._parse_now(body, url=url, content_type=content_type, timeout=timeout)

    async def _parse_now(
        self, body: bytes, *, url: str, content_type: str | None, timeout: float
    ) -> ParsedFeed:
        try:
            if self._workers == 0:
                job = asyncio.to_thread(parse_feed, body, url=url, content_type=content_type)
                return await asyncio.wait_for(job, timeout)
            loop = asyncio.get_running_loop()
            future = loop.run_in_executor(self._pool(), _parse_job, body, url, content_type)
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
