"""Read and starred state: the writes the reader makes as the user reads.

A mark on an entry synced from a server is also queued in ``pending_marks``, in the same
transaction, until a sync pushes it: marks made offline are never lost.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import replace

from tui.core.models import EntryFilter
from tui.core.store import saving
from tui.core.store.connection import Connection, writing
from tui.core.store.queries import filtered_ids
from tui.core.store.search import filter_clause


class Marks(Connection):
    @writing
    def set_read(self, ids: Sequence[int], read: bool = True) -> int:
        """Mark entries read or unread; return how many changed."""
        return self._set_flag("read", ids, read)

    @writing
    def set_starred(self, ids: Sequence[int], starred: bool = True) -> int:
        """Star or unstar entries; return how many changed."""
        return self._set_flag("starred", ids, starred)

    def _set_flag(self, column: str, ids: Sequence[int], value: bool) -> int:
        changed = 0
        with self._write() as db:
            for chunk in saving.chunks(ids):
                marks = ",".join("?" * len(chunk))
                _queue(
                    db, column, value, f"{column} <> ? AND id IN ({marks})", (int(value), *chunk)
                )
                cur = db.execute(
                    f"UPDATE entries SET {column} = ? WHERE {column} <> ? "
                    f"AND id IN ({','.join('?' * len(chunk))})",
                    (int(value), int(value), *chunk),
                )
                changed += cur.rowcount
        return changed

    @writing
    def mark_all_read(self, flt: EntryFilter = EntryFilter()) -> int:
        """Mark every entry the filter matches read; return how many changed."""
        if flt.query is not None:
            ids = filtered_ids(self._conn(), replace(flt, unread_only=True), int(time.time()))
            return self._set_flag("read", ids, True)
        where, params = filter_clause(flt)
        with self._write() as db:
            _queue(
                db, "read", True, f"read = 0 AND id IN (SELECT e.id FROM entries e{where})", params
            )
            cur = db.execute(
                f"UPDATE entries SET read = 1 WHERE read = 0 AND id IN "
                f"(SELECT e.id FROM entries e{where})",
                params,
            )
            return cur.rowcount


def _queue(
    db: sqlite3.Connection, column: str, value: bool, where: str, params: Sequence[object]
) -> None:
    """Queue the change for the synced entries among those ``where`` picks."""
    db.execute(
        f"INSERT INTO pending_marks(entry_id, {column}, changed) "
        f"SELECT id, ?, ? FROM entries WHERE remote_id IS NOT NULL AND {where} "
        f"ON CONFLICT(entry_id) DO UPDATE SET {column} = excluded.{column}, "
        "changed = excluded.changed",
        (int(value), int(time.time()), *params),
    )
