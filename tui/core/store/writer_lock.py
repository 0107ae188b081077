"""A lock that queues writers to one cache across processes without SQLite's busy sleeps.

When a write finds the database locked, SQLite's busy handler sleeps in growing steps
(up to 100 ms) and retries. Two refresh workers each writing a feed every few tens of
milliseconds then spend much of their time asleep after the other has finished. Taking a
file lock first queues them with a millisecond's latency instead.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: SQLite's own busy handling orders the writers
    fcntl = None  # type: ignore[assignment]

_POLL = 0.001


class WriterLock:
    def __init__(self, path: Path, timeout: float) -> None:
        """``path``: the lock file (created on first use); ``timeout``: seconds to wait."""
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None
        # flock() is per open file: threads of one process sharing the descriptor would all
        # "hold" it at once. They queue on this first.
        self._threads = threading.Lock()

    @contextlib.contextmanager
    def held(self) -> Iterator[bool]:
        """Hold the lock for a write; yields False when it could not be had in time."""
        deadline = time.monotonic() + self.timeout
        if not self._threads.acquire(timeout=max(0.0, self.timeout)):
            yield False
            return
        try:
            fd = self._open()
            if fd is None:
                yield True  # no lock file possible (read-only folder): SQLite decides alone
                return
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(_POLL)
            try:
                yield True
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def _open(self) -> int | None:
        if fcntl is None:
            return None
        if self._fd is None:
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                return None
        return self._fd

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
