"""The SQLite cache: feeds, entries, read and starred state, and the search index.

The Store is the one facade the service codes against, so it stays one class (a long
module of short methods, each one statement or one transaction). One connection per
Store, guarded by a lock so a worker thread may use it. Every write is a short
``BEGIN IMMEDIATE`` transaction (one per feed when refreshing), so two yuedu processes can
refresh the same cache at once: WAL lets readers go on while one writes, and the busy
timeout queues the writers. sqlite3 errors never leave this module: they become StoreError
(or StoreBusyError, StoreCorruptError) with a one-line reason and the cache path.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import threading
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Concatenate, ParamSpec, TypeVar

from tui.core.errors import StoreBusyError, StoreCorruptError, StoreError
from tui.core.models import Entry, EntryFilter, Feed, FetchRecord, ParsedEntry
from tui.core.store import codec, failures, saving, schema
from tui.core.store.search import filter_clause
from tui.core.store.writer_lock import WriterLock
from tui.core.text.sanitize import clean_line

# Larger pages pack the 1-4 KB compressed bodies with less slack than the default 4 KiB.
_PAGE_SIZE = 16384
_CACHE_KIB = 16384
_WAL_LIMIT = 32 * 1024 * 1024

_FETCH_OK = """
UPDATE feeds SET last_fetched = :at, status = :status, error = NULL, retry_after = :retry,
    etag = coalesce(:etag, etag), last_modified = coalesce(:last_modified, last_modified),
    title = coalesce(nullif(:title, ''), title),
    site_link = coalesce(nullif(:site_link, ''), site_link)
WHERE id = :id
"""
_FETCH_FAILED = """
UPDATE feeds SET last_fetched = :at, status = :status, error = :error, retry_after = :retry
WHERE id = :id
"""

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _guarded(method: Callable[Concatenate[Store, _P], _R]) -> Callable[Concatenate[Store, _P], _R]:
    """Run a public method under the lock and turn sqlite3 errors into StoreErrors."""

    @functools.wraps(method)
    def wrapper(self: Store, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self._lock:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise self._error(exc) from exc
            except (zlib.error, UnicodeDecodeError) as exc:
                raise StoreCorruptError(
                    "cache is damaged (unreadable article body)", subject=str(self.path)
                ) from exc

    return wrapper


def _writing(method: Callable[Concatenate[Store, _P], _R]) -> Callable[Concatenate[Store, _P], _R]:
    """``_guarded`` for a method that writes: the writer lock first, then the Store's lock.

    Waiting for another process's write (a refresh worker's feed) while holding the
    Store's lock would stop every thread reading through this Store, the reader's UI
    thread among them. Every method that writes takes the two in this order.
    """
    guarded = _guarded(method)

    @functools.wraps(method)
    def wrapper(self: Store, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        if self._writer_thread == threading.get_ident():
            return guarded(self, *args, **kwargs)  # called from a write already under way
        with self._writers.held() as ours:
            if not ours:
                raise StoreBusyError("database is locked by another yuedu", subject=str(self.path))
            self._writer_thread = threading.get_ident()
            try:
                return guarded(self, *args, **kwargs)
            finally:
                self._writer_thread = None

    return wrapper


class Store:
    """The cache database. Open with ``Store(path)``; close with ``close()`` or ``with``."""

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

    @classmethod
    def open(cls, path: Path, **kw: Any) -> Store:
        return cls(path, **kw)

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

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @staticmethod
    def quarantine(path: Path) -> Path:
        """Move a damaged cache and its -wal/-shm files aside; return the db's new path.

        Close every Store on the file first. Raises StoreError if the files cannot move.
        """
        return failures.quarantine(path)

    # -- connection ---------------------------------------------------------------------

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

    # -- feeds --------------------------------------------------------------------------

    @_writing
    def add_feed(self, url: str, *, title: str = "", tags: Sequence[str] = ()) -> Feed:
        """Subscribe to ``url``, or return the existing feed with ``tags`` merged in.

        ``title`` is the user's name for the feed: it wins over the title the feed gives.
        """
        if not url:
            raise ValueError("a feed needs a url")
        title = clean_line(title)
        with self._write() as db:
            row = db.execute("SELECT id, custom_title FROM feeds WHERE url = ?", (url,)).fetchone()
            if row is None:
                cur = db.execute("INSERT INTO feeds(url, custom_title) VALUES (?, ?)", (url, title))
                feed_id = int(cur.lastrowid or 0)
            else:
                feed_id = row[0]
                if title and not row[1]:
                    db.execute("UPDATE feeds SET custom_title = ? WHERE id = ?", (title, feed_id))
            self._merge_tags(db, feed_id, codec.clean_tags(tags))
            feed = self._feed(db, "f.id = ?", feed_id)
        assert feed is not None
        return feed

    @_writing
    def remove_feed(self, url: str) -> bool:
        """Unsubscribe and delete the feed's entries; False if it was not subscribed."""
        with self._write() as db:
            row = db.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
            if row is None:
                return False
            ids = [i for (i,) in db.execute("SELECT id FROM entries WHERE feed_id = ?", row)]
            saving.delete_entries(db, ids)
            db.execute("DELETE FROM feeds WHERE id = ?", row)
        return True

    @_guarded
    def get_feed(self, url: str) -> Feed | None:
        return self._feed(self._conn(), "f.url = ?", url)

    @_guarded
    def get_feed_by_id(self, feed_id: int) -> Feed | None:
        return self._feed(self._conn(), "f.id = ?", feed_id)

    @_guarded
    def list_feeds(self) -> list[Feed]:
        """Every feed with its unread and total counts, by title (casefolded) then url."""
        db = self._conn()
        tags: defaultdict[int, list[str]] = defaultdict(list)
        for feed_id, tag in db.execute("SELECT feed_id, tag FROM feed_tags ORDER BY feed_id, pos"):
            tags[feed_id].append(tag)
        rows = db.execute(f"SELECT {codec.FEED_COLUMNS} FROM feeds f").fetchall()
        feeds = [codec.feed_from_row(row, tags[row[0]]) for row in rows]
        feeds.sort(key=lambda f: (f.display_title.casefold(), f.url))
        return feeds

    @_writing
    def set_feed_tags(self, url: str, tags: Sequence[str]) -> None:
        """Replace the feed's tags."""
        with self._write() as db:
            feed_id = self._feed_id(db, url)
            db.execute("DELETE FROM feed_tags WHERE feed_id = ?", (feed_id,))
            self._merge_tags(db, feed_id, codec.clean_tags(tags))

    @_writing
    def set_feed_title(self, url: str, title: str) -> None:
        """Name the feed; an empty title goes back to the one the feed gives."""
        with self._write() as db:
            feed_id = self._feed_id(db, url)
            db.execute(
                "UPDATE feeds SET custom_title = ? WHERE id = ?", (clean_line(title), feed_id)
            )

    @_writing
    def change_feed_url(self, old: str, new: str) -> None:
        """Follow a permanent redirect, keeping entries and their read/starred state.

        When ``new`` is already subscribed the two feeds merge: entries both hold are kept
        once (read or starred if either copy was), tags and the custom title carry over.
        """
        if old == new:
            return
        with self._write() as db:
            old_id = self._feed_id(db, old)
            row = db.execute("SELECT id FROM feeds WHERE url = ?", (new,)).fetchone()
            if row is None:
                db.execute("UPDATE feeds SET url = ? WHERE id = ?", (new, old_id))
                return
            new_id = row[0]
            twins = db.execute(
                "SELECT o.id, n.id, o.read, o.starred FROM entries o "
                "JOIN entries n ON n.feed_id = ? AND n.key_hash = o.key_hash "
                "WHERE o.feed_id = ?",
                (new_id, old_id),
            ).fetchall()
            db.executemany(
                "UPDATE entries SET read = max(read, ?), starred = max(starred, ?) WHERE id = ?",
                [(read, starred, keep) for _, keep, read, starred in twins],
            )
            saving.delete_entries(db, [gone for gone, _, _, _ in twins])
            db.execute("UPDATE entries SET feed_id = ? WHERE feed_id = ?", (new_id, old_id))
            self._merge_tags(db, new_id, self._tags(db, old_id))
            db.execute(
                "UPDATE feeds SET custom_title = (SELECT custom_title FROM feeds WHERE id = ?) "
                "WHERE id = ? AND custom_title = ''",
                (old_id, new_id),
            )
            db.execute("DELETE FROM feeds WHERE id = ?", (old_id,))

    @_writing
    def record_fetch(
        self,
        feed_id: int,
        *,
        fetched_at: datetime,
        status: int | None,
        error: str | None,
        etag: str | None = None,
        last_modified: str | None = None,
        title: str | None = None,
        site_link: str | None = None,
        retry_after: datetime | None = None,
    ) -> None:
        """Remember how a fetch went (see FetchRecord). A feed removed meanwhile is skipped."""
        record = FetchRecord(
            feed_id, fetched_at, status, error, etag, last_modified, title, site_link, retry_after
        )
        with self._write() as db:
            self._record(db, record)

    @_writing
    def record_fetches(self, records: Sequence[FetchRecord]) -> None:
        """Remember how several fetches went, in one transaction.

        A refresh where most feeds answer 304 would otherwise spend a transaction, with its
        lock and log write, on each of them.
        """
        if not records:
            return
        with self._write() as db:
            for record in records:
                self._record(db, record)

    @staticmethod
    def _record(db: sqlite3.Connection, record: FetchRecord) -> None:
        retry = record.retry_after
        params: dict[str, object] = {
            "id": record.feed_id,
            "at": codec.to_epoch(record.fetched_at),
            "status": record.status,
            "retry": None if retry is None else codec.to_epoch(retry),
        }
        if record.error is None:
            params.update(
                etag=record.etag,
                last_modified=record.last_modified,
                title=clean_line(record.title),
                site_link=record.site_link or "",
            )
            db.execute(_FETCH_OK, params)
        else:
            db.execute(_FETCH_FAILED, {**params, "error": clean_line(record.error) or "failed"})

    @_guarded
    def retry_times(self) -> dict[int, datetime]:
        """The feeds a server asked to wait (429/503), each with the time it named."""
        rows = self._conn().execute(
            "SELECT id, retry_after FROM feeds WHERE retry_after IS NOT NULL"
        )
        return {feed_id: datetime.fromtimestamp(at, UTC) for feed_id, at in rows}

    @_guarded
    def retry_after(self, feed_id: int) -> datetime | None:
        """The time before which the feed must not be fetched, if a server asked for one."""
        row = self._conn().execute("SELECT retry_after FROM feeds WHERE id = ?", (feed_id,))
        found = row.fetchone()
        return None if found is None else codec.from_epoch(found[0])

    def _feed(self, db: sqlite3.Connection, where: str, value: object) -> Feed | None:
        row = db.execute(f"SELECT {codec.FEED_COLUMNS} FROM feeds f WHERE {where}", (value,))
        found = row.fetchone()
        if found is None:
            return None
        return codec.feed_from_row(found, self._tags(db, found[0]))

    @staticmethod
    def _tags(db: sqlite3.Connection, feed_id: int) -> list[str]:
        rows = db.execute("SELECT tag FROM feed_tags WHERE feed_id = ? ORDER BY pos", (feed_id,))
        return [tag for (tag,) in rows]

    def _feed_id(self, db: sqlite3.Connection, url: str) -> int:
        row = db.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
        if row is None:
            raise StoreError("not subscribed", subject=url)
        return int(row[0])

    @staticmethod
    def _merge_tags(db: sqlite3.Connection, feed_id: int, tags: Sequence[str]) -> None:
        have = {t for (t,) in db.execute("SELECT tag FROM feed_tags WHERE feed_id = ?", (feed_id,))}
        (top,) = db.execute(
            "SELECT coalesce(max(pos), -1) FROM feed_tags WHERE feed_id = ?", (feed_id,)
        ).fetchone()
        fresh = [t for t in tags if t not in have]
        db.executemany(
            "INSERT INTO feed_tags(feed_id, tag, pos) VALUES (?, ?, ?)",
            [(feed_id, tag, top + 1 + i) for i, tag in enumerate(fresh)],
        )

    # -- saving entries -----------------------------------------------------------------

    def save_entries(
        self,
        feed_id: int,
        entries: Sequence[ParsedEntry],
        *,
        now: datetime,
        max_entries: int | None = None,
    ) -> int:
        """Store a fetch's entries in one transaction; return how many were new.

        Entries already stored (same guid, else link, else title and date) are updated in
        place when they changed, keeping read and starred. When a guid is unknown but the
        link matches exactly one stored entry, and no other incoming entry has that link, it
        is the same entry under a new guid. Entries missing from ``entries`` stay. With
        ``max_entries``, the feed's oldest entries beyond that many are deleted, except
        starred ones and the ones in this fetch. A feed removed meanwhile stores nothing.
        """
        incoming = [codec.prepare(e) for e in entries]
        # Compressing and indexing cost most of a save. Done before taking any lock, so
        # processes saving at once overlap here and queue only for the writes.
        ready = saving.prepare_changed(self._content_hashes(feed_id), incoming)
        return self._save(feed_id, incoming, ready, codec.to_epoch(now), max_entries)

    @_guarded
    def _content_hashes(self, feed_id: int) -> dict[int, int]:
        """The feed's stored entries: key hash to content hash."""
        rows = self._conn().execute(
            "SELECT key_hash, content_hash FROM entries WHERE feed_id = ?", (feed_id,)
        )
        return dict(rows.fetchall())

    @_writing
    def _save(
        self,
        feed_id: int,
        incoming: list[codec.Incoming],
        ready: dict[int, saving.Prepared],
        first_seen: int,
        max_entries: int | None,
    ) -> int:
        with self._write() as db:
            if db.execute("SELECT 1 FROM feeds WHERE id = ?", (feed_id,)).fetchone() is None:
                return 0
            saver = saving.Saver(db, feed_id, first_seen, incoming, ready)
            new = saver.run()
            if max_entries is not None:
                saving.apply_retention(db, feed_id, max_entries, saver.touched)
            saver.write_index()
        return new

    # -- reading entries ----------------------------------------------------------------

    @_guarded
    def list_entries(
        self,
        flt: EntryFilter = EntryFilter(),
        *,
        limit: int | None = None,
        offset: int = 0,
        with_content: bool = False,
    ) -> list[Entry]:
        """Entries newest first. Without ``with_content`` summary and content are ""."""
        where, params = filter_clause(flt)
        bodies = ", b.summary, b.content" if with_content else ""
        join = " LEFT JOIN entry_bodies b ON b.entry_id = e.id" if with_content else ""
        rows = self._conn().execute(
            f"SELECT {codec.ENTRY_COLUMNS}{bodies} FROM entries e "
            f"JOIN feeds f ON f.id = e.feed_id{join}{where} "
            "ORDER BY e.sort_key DESC, e.id DESC LIMIT ? OFFSET ?",
            [*params, -1 if limit is None else limit, offset],
        )
        if with_content:
            return [codec.entry_from_row(r[:-2], r[-2], r[-1]) for r in rows]
        return [codec.entry_from_row(r) for r in rows]

    @_guarded
    def count_entries(self, flt: EntryFilter = EntryFilter()) -> int:
        where, params = filter_clause(flt)
        row = self._conn().execute(f"SELECT count(*) FROM entries e{where}", params)
        return int(row.fetchone()[0])

    @_guarded
    def entry_ids(self, flt: EntryFilter = EntryFilter()) -> list[int]:
        """Ids of the matching entries in list order (newest first)."""
        where, params = filter_clause(flt)
        rows = self._conn().execute(
            f"SELECT e.id FROM entries e{where} ORDER BY e.sort_key DESC, e.id DESC", params
        )
        return [i for (i,) in rows]

    @_guarded
    def entries_by_ids(self, ids: Sequence[int]) -> list[Entry]:
        """Light entries (no bodies) in the order of ``ids``; unknown ids are skipped."""
        db = self._conn()
        found: dict[int, Entry] = {}
        for chunk in saving.chunks(ids):
            marks = ",".join("?" * len(chunk))
            for row in db.execute(
                f"SELECT {codec.ENTRY_COLUMNS} FROM entries e JOIN feeds f ON f.id = e.feed_id "
                f"WHERE e.id IN ({marks})",
                chunk,
            ):
                found[row[0]] = codec.entry_from_row(row)
        return [found[i] for i in ids if i in found]

    @_guarded
    def get_entry(self, entry_id: int) -> Entry | None:
        """One entry with its summary and content."""
        row = (
            self._conn()
            .execute(
                f"SELECT {codec.ENTRY_COLUMNS}, b.summary, b.content FROM entries e "
                "JOIN feeds f ON f.id = e.feed_id LEFT JOIN entry_bodies b ON b.entry_id = e.id "
                "WHERE e.id = ?",
                (entry_id,),
            )
            .fetchone()
        )
        return None if row is None else codec.entry_from_row(row[:-2], row[-2], row[-1])

    # -- state --------------------------------------------------------------------------

    @_writing
    def set_read(self, ids: Sequence[int], read: bool = True) -> int:
        """Mark entries read or unread; return how many changed."""
        return self._set_flag("read", ids, read)

    @_writing
    def set_starred(self, ids: Sequence[int], starred: bool = True) -> int:
        """Star or unstar entries; return how many changed."""
        return self._set_flag("starred", ids, starred)

    def _set_flag(self, column: str, ids: Sequence[int], value: bool) -> int:
        changed = 0
        with self._write() as db:
            for chunk in saving.chunks(ids):
                cur = db.execute(
                    f"UPDATE entries SET {column} = ? WHERE {column} <> ? "
                    f"AND id IN ({','.join('?' * len(chunk))})",
                    (int(value), int(value), *chunk),
                )
                changed += cur.rowcount
        return changed

    @_writing
    def mark_all_read(self, flt: EntryFilter = EntryFilter()) -> int:
        """Mark every entry the filter matches read; return how many changed."""
        where, params = filter_clause(flt)
        with self._write() as db:
            cur = db.execute(
                f"UPDATE entries SET read = 1 WHERE read = 0 AND id IN "
                f"(SELECT e.id FROM entries e{where})",
                params,
            )
            return cur.rowcount

    # -- upkeep -------------------------------------------------------------------------

    @_writing
    def optimize(self) -> None:
        """Refresh the planner's statistics and tidy the search index after bulk writes."""
        db = self._conn()
        db.execute("PRAGMA optimize")
        with self._write() as tx:
            tx.execute("INSERT INTO entry_fts(entry_fts, rank) VALUES ('merge', 500)")

    @_writing
    def integrity_ok(self) -> bool:
        """Whether the file, the search index and the feed counters are all sound.

        Reads the whole file: seconds on a large cache (5 s at 100,000 entries).
        """
        db = self._conn()
        try:
            if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                return False
            if db.execute("PRAGMA foreign_key_check").fetchone() is not None:
                return False
            with self._write() as tx:
                tx.execute("INSERT INTO entry_fts(entry_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as exc:
            if isinstance(self._error(exc), StoreCorruptError):
                return False
            raise
        drift = db.execute(
            "SELECT 1 FROM feeds f "
            "WHERE total <> (SELECT count(*) FROM entries WHERE feed_id = f.id) "
            "OR unread <> (SELECT count(*) FROM entries WHERE feed_id = f.id AND read = 0) LIMIT 1"
        ).fetchone()
        return drift is None
