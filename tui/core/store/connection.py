"""The cache's connection: opening, schema, locks, transactions and error translation.

One connection per Store, guarded by a lock so a worker thread may use it. Every write is
a short ``BEGIN IMMEDIATE`` transaction (one per feed when refreshing), so two yuedu
processes can refresh the same cache at once: WAL lets readers go on while one writes,
and the busy timeout queues the writers. sqlite3 errors never leave the store: they
become StoreError (or StoreBusyError, StoreCorruptError) with a one-line reason and the
cache path.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from tui.core.errors import StoreBusyError, StoreCorruptError, StoreError
from tui.core.store import compression, failures, schema
from tui.core.store.writer_lock import WriterLock

# Larger pages pack the 1-4 KB compressed bodies with less slack than the default 4 KiB.
_PAGE_SIZE = 16384
_CACHE_KIB = 16384
_WAL_LIMIT = 32 * 1024 * 1024

_C = TypeVar("_C", bound="Connection")
_P = ParamSpec("_P")
_R = TypeVar("_R")


def guarded(method: Callable[Concatenate[_C, _P], _R]) -> Callable[Concatenate[_C, _P], _R]:
    """Run a public method under the lock and turn sqlite3 errors into StoreErrors."""

    @functools.wraps(method)
    def wrapper(self: _C, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self._lock:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise self._error(exc) from exc
            except compression.DAMAGED as exc:
                raise StoreCorruptError(
                    "cache is damaged (unreadable article body)", subject=str(self.path)
                ) from exc

    return wrapper


def writing(method: Callable[Concatenate[_C, _P], _R]) -> Callable[Concatenate[_C, _P], _R]:
    """``guarded`` for a method that writes: the writer lock first, then the Store's lock.

    Waiting for another process's write (a refresh worker's feed) while holding the
    Store's lock would stop every thread reading through this Store, the reader's UI
    thread among them. Every method that writes takes the two in this order.
    """
    under_lock = guarded(method)

    @functools.wraps(method)
    def wrapper(self: _C, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        if self._writer_thread == threading.get_ident():
            return under_lock(self, *args, **kwargs)  # called from a write already under way
        with self._writers.held() as ours:
            if not ours:
                raise StoreBusyError("database is locked by another yuedu", subject=str(self.path))
            self._writer_thread = threading.get_ident()
            try:
                return under_lock(self, *args, **kwargs)
            finally:
                self._writer_thread = None

    return wrapper


class Connection:
    """Opens the cache and hands out its connection; the domain parts of Store build on it."""

    def __init__(self, path: Path, *, busy_timeout: float = 10.0) -> None:
        """Open or create the cache at ``path`` and bring its schema up to date.

        Raises StoreError: StoreCorruptError when the file is damaged, StoreBusyError when
        another process holds it past ``busy_timeout`` seconds.
        """
        self.path = Path(path)
        self._lock = threading.RLock()
        self._writer_thread: int | None = None
        """The thread holding the writer lock, if any."""
        self._busy_timeout = busy_timeout
        self._writers = WriterLock(Path(f"{self.path}-writer"), busy_timeout)
        try:
            self._db: sqlite3.Connection | None = sqlite3.connect(
                self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        try:
            self._setup()
        except BaseException as exc:
            self._db.close()
            self._db = None
            self._writers.close()
            if isinstance(exc, sqlite3.Error):
                raise self._error(exc) from exc
            raise

    def close(self) -> None:
        """Close the connection; later calls raise StoreError. Closing twice is fine."""
        with self._lock:
            if self._db is None:
                return
            # Statistics are an optimisation: closing must not fail over them.
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("PRAGMA optimize")
            self._db.close()
            self._db = None
            self._writers.close()

    @staticmethod
    def quarantine(path: Path) -> Path:
        """Move a damaged cache and its -wal/-shm files aside; return the db's new path.

        Close every Store on the file first. Raises StoreError if the files cannot move.
        """
        return failures.quarantine(path)

    def _setup(self) -> None:
        db = self._conn()
        db.execute(f"PRAGMA page_size = {_PAGE_SIZE:d}")  # only takes effect on a new file
        self._enter_wal(db)
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA temp_store = MEMORY")
        db.execute(f"PRAGMA cache_size = -{_CACHE_KIB:d}")
        # One big transaction (a first refresh, marking 100,000 entries read) must not
        # leave a write-ahead log of that size behind once it has been checkpointed.
        db.execute(f"PRAGMA journal_size_limit = {_WAL_LIMIT:d}")
        # Bounds the ANALYZE that PRAGMA optimize may run at close to milliseconds.
        db.execute("PRAGMA analysis_limit = 400")
        version = self._user_version(db)
        if version != schema.SCHEMA_VERSION:
            with self._write() as tx:
                # Another process may have migrated while we waited for the write lock.
                version = self._user_version(tx)
                if version == 0:
                    self._refuse_foreign(tx)
                if version < schema.SCHEMA_VERSION:
                    schema.migrate(tx, version)
        self._check_not_truncated(db)

    def _enter_wal(self, db: sqlite3.Connection) -> None:
        # Switching a new file to WAL needs a lock the busy handler does not wait for: two
        # processes creating the cache at once would see "database is locked" at once.
        deadline = time.monotonic() + self._busy_timeout
        while True:
            try:
                db.execute("PRAGMA journal_mode = WAL").fetchone()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.01)

    def _user_version(self, db: sqlite3.Connection) -> int:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if version > schema.SCHEMA_VERSION:
            raise StoreError(
                f"cache was written by a newer yuedu (schema {version})", subject=str(self.path)
            )
        return version

    def _refuse_foreign(self, db: sqlite3.Connection) -> None:
        names = {
            name
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith("sqlite_")
        }
        if names:
            raise StoreError("not a yuedu cache (it holds other tables)", subject=str(self.path))

    def _check_not_truncated(self, db: sqlite3.Connection) -> None:
        # A file cut short still opens; SQLite only fails when it reaches a missing page.
        # With an empty log the header's page count must fit in the file.
        wal = Path(f"{self.path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return
        page_size = int(db.execute("PRAGMA page_size").fetchone()[0])
        pages = int(db.execute("PRAGMA page_count").fetchone()[0])
        if self.path.stat().st_size < page_size * pages:
            raise StoreCorruptError("cache is damaged (file is truncated)", subject=str(self.path))

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreError("cache is closed", subject=str(self.path))
        return self._db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        db = self._conn()
        ours_already = self._writer_thread == threading.get_ident()
        with contextlib.nullcontext(True) if ours_already else self._writers.held() as ours:
            if not ours:
                raise StoreBusyError("database is locked by another yuedu", subject=str(self.path))
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _error(self, exc: sqlite3.Error) -> StoreError:
        return failures.translate_error(exc, self.path)
