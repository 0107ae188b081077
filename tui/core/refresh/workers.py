"""The worker processes that run ingest jobs off the caller's thread (or one thread).

feedparser is pure Python (about 0.1-0.3 s of CPU per MB) and indexing an entry for search
costs about as much again; in a thread either would hold the GIL and freeze the reader.
So a refresh hands each body to a worker process that parses it and writes its entries to
the cache itself (SQLite in WAL mode takes writers from several processes, one short
transaction each), and only a count comes back. The forkserver start method keeps the
workers clean of the reader's threads and warm with the parser already imported.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import forkserver
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, TypeVar

from tui.core.errors import ParseError, StoreError
from tui.core.refresh.forkserver import start_fork_server
from tui.core.refresh.ingest import (
    BUSY_TIMEOUT,
    Ingest,
    Outcome,
    ingest_in_worker,
    ingest_into,
)
from tui.core.store import Store

if TYPE_CHECKING:
    from tui.core.text.extract import ExtractedArticle

T = TypeVar("T")

# How much longer than a job's own limits the caller waits before giving up on the worker.
_GRACE = 1.0
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class WorkerPool:
    def __init__(self, workers: int, *, batch: int = 1) -> None:
        """``workers`` 0 works in a thread of the caller's event loop. ``batch``: how many
        bodies waiting for a worker it takes at once, at most: parsed one by one and saved
        in one transaction (a transaction per feed cost a lock, a log write and a
        search-index segment each)."""
        self._workers = max(0, workers)
        self._batch = max(1, batch)
        self._executor: Executor | None = None
        # One job per worker at a time, so a job's timeout counts its own work, not the
        # queue in front of it (a refresh hands over hundreds of bodies at once).
        self._slots: asyncio.Semaphore | None = None
        self._slots_loop: asyncio.AbstractEventLoop | None = None
        self._starting: asyncio.Lock | None = None
        self._abandoned: list[BaseProcess] = []
        self._running = 0
        self._waiting: list[_Waiting] = []
        self._drains: set[asyncio.Task[None]] = set()

    def _size(self) -> int:
        return min(self._workers, os.cpu_count() or 1)

    def _pool(self) -> Executor:
        if self._executor is None:
            start_fork_server()
            workers = self._size()
            executor = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=_start_worker,
            )
            # Start the workers here: the first job would start them on the caller's thread,
            # waiting for the fork server to import the parser (a quarter of a second).
            for started in [executor.submit(os.getpid) for _ in range(workers)]:
                started.result()
            self._executor = executor
        return self._executor

    async def start(self) -> None:
        """Start the worker processes now, in a thread, if they are not running yet.

        Starting takes about half a second (the fork server imports the parser): a caller
        that expects bodies soon starts the workers while its first downloads run.
        """
        if self._workers > 0:
            self._bind_loop()
            await self._ready_pool()

    def _bind_loop(self) -> None:
        # A semaphore belongs to one event loop, and each asyncio.run() is a new one.
        loop = asyncio.get_running_loop()
        if self._slots is None or self._slots_loop is not loop:
            self._slots = asyncio.Semaphore(max(1, self._size()))
            self._starting = asyncio.Lock()
            self._slots_loop = loop
            self._waiting, self._drains = [], set()

    async def _ready_pool(self) -> Executor:
        """The pool, started in a thread the first time: the caller's loop may be a UI's."""
        if self._executor is None:
            assert self._starting is not None
            async with self._starting:
                if self._executor is None:
                    await asyncio.to_thread(self._pool)
        assert self._executor is not None
        return self._executor

    async def ingest(self, store: Store, job: Ingest, *, timeout: float) -> int:
        """Parse a body and save its entries and fetch result; return the new entries.

        Bodies that arrive while every worker is busy wait, and the next free worker takes
        up to ``batch`` of them. Each parse may take ``timeout`` seconds (a worker process
        stops its own); the save may then wait up to the cache's busy timeout for another
        process's write, and fails with StoreBusyError past it.
        """
        self._bind_loop()
        waiting = _Waiting(store, job, timeout, asyncio.get_running_loop().create_future())
        self._waiting.append(waiting)
        # Only drains still running count: a finished one leaves the set by a callback that
        # may run after this (the caller of its last batch wakes up first), and waiting on
        # it would wait forever.
        if sum(not drain.done() for drain in self._drains) < max(1, self._size()):
            # A task of its own: a caller cancelled must not strand the bodies it took.
            drain = asyncio.create_task(self._drain())
            self._drains.add(drain)
            drain.add_done_callback(self._drains.discard)
        return await waiting.result

    async def _drain(self) -> None:
        batch: list[_Waiting] = []
        try:
            while batch := self._next_batch():
                await self._ingest_batch(batch)
        finally:
            for waiting in batch:  # cancelled with the loop: never leave a caller hanging
                waiting.result.cancel()

    def _next_batch(self) -> list[_Waiting]:
        # A body whose caller was cancelled is dropped.
        live = [w for w in self._waiting if not w.result.done()]
        batch = [w for w in live if w.store is live[0].store][: self._batch] if live else []
        self._waiting = [w for w in live if w not in batch]
        return batch

    async def _ingest_batch(self, batch: list[_Waiting]) -> None:
        jobs = [w.job for w in batch]
        limit = max(w.timeout for w in batch)
        wait = limit * len(jobs) + BUSY_TIMEOUT + _GRACE
        store = batch[0].store
        function: Callable[..., list[Outcome]] = ingest_into
        args: tuple[object, ...] = (store, jobs)
        if self._workers > 0:
            function, args = ingest_in_worker, (str(store.path), jobs, limit)
        try:
            outcomes = await self._run(function, args, url=jobs[0].url, limit=limit, wait=wait)
        except StoreError as exc:
            outcomes = [exc] * len(batch)
        except Exception as exc:
            if len(batch) == 1:
                outcomes = [exc]
            else:
                # The worker timed out or died on the batch: each body again on its own,
                # so that only the feed at fault fails.
                for waiting in batch:
                    await self._ingest_batch([waiting])
                return
        for waiting, outcome in zip(batch, outcomes, strict=True):
            if waiting.result.done():
                continue
            if isinstance(outcome, BaseException):
                waiting.result.set_exception(outcome)
            else:
                waiting.result.set_result(outcome)

    async def extract(
        self, body: bytes, url: str, content_type: str | None, *, timeout: float
    ) -> ExtractedArticle:
        """The article of a fetched page, extracted off the caller's thread (about 1 MB a
        second of CPU); raises ExtractError, or ParseError past ``timeout``."""
        args = (body, url, content_type)
        return await self._run(_extract, args, url=url, limit=timeout, wait=timeout)

    async def _run(
        self,
        function: Callable[..., T],
        args: tuple[object, ...],
        *,
        url: str,
        limit: float,
        wait: float,
    ) -> T:
        loop = asyncio.get_running_loop()
        self._bind_loop()
        assert self._slots is not None
        async with self._slots:
            self._running += 1
            try:
                if self._workers == 0:
                    return await asyncio.wait_for(asyncio.to_thread(function, *args), wait)
                future = loop.run_in_executor(await self._ready_pool(), function, *args)
                return await asyncio.wait_for(future, wait)
            except TimeoutError:
                # The worker is still busy with it: give later feeds a fresh pool.
                self._abandon()
                raise ParseError(f"parsing took over {limit:g} s", subject=url) from None
            except BrokenProcessPool:
                # A worker died (memory, a signal); start afresh for the next feed.
                self._abandon()
                raise ParseError("the parser crashed on this feed", subject=url) from None
            except RecursionError:
                raise ParseError("not a feed (nested too deeply)", subject=url) from None
            finally:
                self._running -= 1

    def _abandon(self) -> None:
        """Leave the current pool to finish what it runs; later jobs get a new one."""
        if self._executor is not None:
            self._abandoned.extend(_processes_of(self._executor))
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def close(self) -> None:
        """Stop every worker now, killing any job still running.

        A job left running (a parse past its time, a save waiting for another process's
        lock) would otherwise keep the process alive until it ends: an interpreter waits
        for its pool's workers before it exits. Killing one mid-save is a crash SQLite
        recovers from.
        """
        if self._running == 0 and self._executor is not None:
            # Idle: a clean shutdown. Leaving the pool's thread to the interpreter's exit
            # races it on Python 3.11 ("Bad file descriptor" printed from its wakeup pipe).
            self._executor.shutdown(wait=True)
            self._executor = None
        self._abandon()
        processes, self._abandoned = self._abandoned, []
        for process in processes:
            if process.is_alive():
                process.terminate()


@dataclass(eq=False)
class _Waiting:
    """A body waiting for a worker, and where its caller waits for the outcome."""

    store: Store
    job: Ingest
    timeout: float
    result: asyncio.Future[int]


def _extract(body: bytes, url: str, content_type: str | None) -> ExtractedArticle:
    # Imported on first use: lxml and readability cost a process that never extracts.
    from tui.core.text.extract import extract_article

    return extract_article(body, url, content_type)


def _processes_of(executor: Executor) -> list[BaseProcess]:
    # A ProcessPoolExecutor keeps its processes to itself (Python 3.14 adds
    # terminate_workers()), and forgets them on shutdown: take them before.
    processes = getattr(executor, "_processes", None) or {}
    return list(processes.values())


def _start_worker() -> None:
    """Each worker yields the CPU to the reader and dies with the process that started it.

    On two cores a busy refresh must not lag keys. And a worker's parent is the fork
    server, which lives as long as any worker does (each holds its "alive" pipe): after a
    kill -9 of the CLI or the reader, workers, fork server and resource tracker would all
    wait forever on pipes whose other ends they hold themselves, a worker keeping its
    connection to the cache open.
    """
    with contextlib.suppress(OSError, AttributeError):
        os.nice(10)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), name="lifeline", daemon=True).start()
    _die_with_fork_server()


def _die_with_fork_server() -> None:
    """On Linux, have the kernel kill this worker when the fork server exits.

    The thread of _exit_with needs the GIL, which a parse holds for as long as one regex
    of feedparser's runs on a hostile field (a minute, for some). So the worker also asks
    for SIGKILL at its parent's death, and lets go of the fork server's alive pipe: the
    fork server then exits as soon as the process that started it is gone, and the kernel
    kills the workers whatever they are doing.
    """
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return  # not Linux: the lifeline thread alone
    if prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return
    server = getattr(forkserver, "_forkserver", None)
    alive = getattr(server, "_forkserver_alive_fd", None)
    if isinstance(alive, int):
        with contextlib.suppress(OSError):
            os.close(alive)
        server._forkserver_alive_fd = None  # type: ignore[union-attr]


def _exit_with(parent: BaseProcess) -> None:
    # The parent's sentinel is a pipe whose write end only the parent holds: it reads as
    # closed once the parent is gone, however it went. Then the fork server and the
    # resource tracker see their own pipes close and exit too.
    parent.join()
    os._exit(1)
