"""How the cache fails: sqlite3 errors as one-line StoreErrors, and moving a damaged file aside."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from tui.core.errors import StoreBusyError, StoreCorruptError, StoreError


def translate_error(exc: sqlite3.Error, path: Path) -> StoreError:
    """A sqlite3 error as the one-line StoreError a user can act on, about ``path``."""
    subject = str(path)
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    detail = str(exc) or type(exc).__name__
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreBusyError("database is locked by another yuedu", subject=subject)
    if primary == sqlite3.SQLITE_NOTADB:
        return StoreCorruptError("cache is damaged (file is not a database)", subject=subject)
    if primary == sqlite3.SQLITE_CORRUPT:
        return StoreCorruptError(f"cache is damaged ({detail})", subject=subject)
    if primary == sqlite3.SQLITE_FULL or code == _IOERR_SHMSIZE or _no_space(path):
        return StoreError("disk full", subject=subject)
    if primary in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR) and _read_only_fs(path):
        return StoreError("read-only file system", subject=subject)
    if primary == sqlite3.SQLITE_READONLY:
        if path.exists() and not os.access(path, os.W_OK):
            return StoreError("cache file is not writable", subject=subject)
        return StoreError("read-only file system", subject=subject)
    if primary in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        if not path.parent.is_dir():
            return StoreError("cannot open the cache (no such directory)", subject=subject)
        return StoreError("cannot open the cache (permission denied)", subject=subject)
    if primary == sqlite3.SQLITE_IOERR:
        return StoreError(f"disk I/O error ({detail})", subject=subject)
    if isinstance(exc, sqlite3.ProgrammingError) and "closed" in detail:
        return StoreError("cache is closed", subject=subject)
    return StoreError(detail, subject=subject)


# SQLite could not grow the shared-memory file beside the cache: no room on the disk.
_IOERR_SHMSIZE = sqlite3.SQLITE_IOERR | (19 << 8)


def _read_only_fs(path: Path) -> bool:
    """Whether the file system holding ``path`` is mounted read-only."""
    folder = path if path.is_dir() else path.parent
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def _no_space(path: Path) -> bool:
    """Whether the file system holding ``path`` has no free blocks left."""
    folder = path if path.is_dir() else path.parent
    try:
        return os.statvfs(folder).f_bavail == 0
    except (OSError, AttributeError):
        return False


def quarantine(path: Path) -> Path:
    """Move a damaged cache and its side files aside; return the new path of the database.

    The -wal and -shm files go first, so a crash halfway never leaves a fresh cache beside
    a stale write-ahead log that SQLite would replay into it.
    """
    path = Path(path)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while any(Path(f"{target}{s}").exists() for s in ("", "-wal", "-shm", "-journal")):
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        for suffix in ("-wal", "-shm", "-journal", ""):
            source = Path(f"{path}{suffix}")
            if source.exists():
                os.rename(source, f"{target}{suffix}")
    except OSError as exc:
        raise StoreError(
            f"cannot move the damaged cache aside ({exc.strerror or exc})", subject=str(path)
        ) from exc
    return target
