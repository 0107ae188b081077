"""What a sync keeps in the cache: the server's ids, the marks waiting to be pushed, the
cursor and the account synced with.

Entries pulled from a server are written by the same ``Saver`` as fetched ones, so they
are indexed, searched and queried alike. Marks the server sends are applied without being
queued back; a mark made here and still waiting wins over the server's, unless the server
says its own change came later.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tui.core.models import ParsedEntry
from tui.core.store import codec, saving
from tui.core.store.connection import Connection, guarded, writing
from tui.core.store.subscriptions import _merge_tags


@dataclass(frozen=True, slots=True)
class PendingMark:
    entry_id: int
    remote_id: str
    read: bool | None
    starred: bool | None
    changed: int
    """When it was made, seconds since the epoch."""


@dataclass(frozen=True, slots=True)
class PulledEntry:
    """An entry as a server sent it: its id there, its marks, and when they last changed
    there (None when the server does not say)."""

    remote_id: str
    entry: ParsedEntry
    read: bool
    starred: bool
    marks_changed: int | None = None


class Synced(Connection):
    @guarded
    def sync_value(self, key: str) -> str | None:
        row = self._conn().execute("SELECT value FROM sync_state WHERE key = ?", (key,))
        found = row.fetchone()
        return None if found is None else str(found[0])

    @writing
    def set_sync_values(self, values: Mapping[str, str]) -> None:
        with self._write() as db:
            db.executemany(
                "INSERT OR REPLACE INTO sync_state(key, value) VALUES (?, ?)", values.items()
            )

    @writing
    def forget_remote(self) -> None:
        """Drop every server id, queued mark and cursor: the cache now syncs elsewhere.
        Feeds and entries stay, as if fetched here."""
        with self._write() as db:
            db.execute("UPDATE feeds SET remote_id = NULL WHERE remote_id IS NOT NULL")
            db.execute("UPDATE entries SET remote_id = NULL WHERE remote_id IS NOT NULL")
            db.execute("DELETE FROM pending_marks")
            db.execute("DELETE FROM sync_state")

    @guarded
    def remote_feed_ids(self) -> dict[str, str]:
        """Server feed id to the feed's URL here, for the feeds that came from the server."""
        rows = self._conn().execute("SELECT remote_id, url FROM feeds WHERE remote_id IS NOT NULL")
        return {str(remote): str(url) for remote, url in rows}

    @writing
    def save_remote_feed(
        self, remote_id: str, url: str, title: str, site_link: str, tags: Sequence[str]
    ) -> int:
        """The feed's id here, subscribing or updating it: matched by server id, else by
        URL (a feed subscribed here before the first sync). The server's tags are added."""
        with self._write() as db:
            row = db.execute("SELECT id FROM feeds WHERE remote_id = ?", (remote_id,)).fetchone()
            if row is None:
                row = db.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
            if row is None:
                cur = db.execute(
                    "INSERT INTO feeds(url, title, site_link, remote_id) VALUES (?, ?, ?, ?)",
                    (url, title, site_link, remote_id),
                )
                feed_id = int(cur.lastrowid or 0)
            else:
                feed_id = int(row[0])
                taken = db.execute(
                    "SELECT 1 FROM feeds WHERE url = ? AND id <> ?", (url, feed_id)
                ).fetchone()
                db.execute(
                    "UPDATE feeds SET url = CASE WHEN ? THEN url ELSE ? END, "
                    "title = CASE WHEN ? <> '' THEN ? ELSE title END, "
                    "site_link = CASE WHEN ? <> '' THEN ? ELSE site_link END, remote_id = ? "
                    "WHERE id = ?",
                    (
                        taken is not None,
                        url,
                        title,
                        title,
                        site_link,
                        site_link,
                        remote_id,
                        feed_id,
                    ),
                )
            _merge_tags(db, feed_id, codec.clean_tags(tags))
        return feed_id

    @guarded
    def feed_remote_id(self, url: str) -> str | None:
        row = self._conn().execute("SELECT remote_id FROM feeds WHERE url = ?", (url,))
        found = row.fetchone()
        return None if found is None or found[0] is None else str(found[0])

    @writing
    def save_pulled(
        self,
        pulled: Mapping[int, Sequence[PulledEntry]],
        *,
        now: int,
        keep: int | None = None,
    ) -> int:
        """Store pulled entries (feed id to its entries) with their marks in one
        transaction; the new ones. With ``keep``, each feed's oldest entries past that
        many go, as on a refresh."""
        new = 0
        with self._write() as db:
            savers = []
            for feed_id, entries in pulled.items():
                saver, added = _save_feed(db, feed_id, entries, now)
                if keep is not None:
                    saving.apply_retention(db, feed_id, keep, saver.touched)
                savers.append(saver)
                new += added
            for saver in savers:  # index writes last: see Saver.write_index
                saver.write_index()
        return new

    @guarded
    def pending_marks(self) -> list[PendingMark]:
        rows = self._conn().execute(
            "SELECT p.entry_id, e.remote_id, p.read, p.starred, p.changed "
            "FROM pending_marks p JOIN entries e ON e.id = p.entry_id "
            "WHERE e.remote_id IS NOT NULL ORDER BY p.changed"
        )
        return [
            PendingMark(
                i, str(r), None if rd is None else bool(rd), None if st is None else bool(st), c
            )
            for i, r, rd, st, c in rows
        ]

    @writing
    def clear_pending(self, pushed: Sequence[PendingMark]) -> None:
        """Forget marks the server now has; one changed again meanwhile stays queued."""
        with self._write() as db:
            db.executemany(
                "DELETE FROM pending_marks WHERE entry_id = ? AND changed = ? "
                "AND read IS ? AND starred IS ?",
                [(m.entry_id, m.changed, _flag(m.read), _flag(m.starred)) for m in pushed],
            )

    @writing
    def apply_listed_marks(self, marks: Sequence[tuple[str, bool, bool]]) -> int:
        """Set (server id, read, starred) on the synced entries listed, except those with
        a mark of their own waiting; how many changed."""
        changed = 0
        with self._write() as db:
            for remote_id, read, starred in marks:
                cur = db.execute(
                    "UPDATE entries SET read = ?, starred = ? WHERE remote_id = ? "
                    "AND (read <> ? OR starred <> ?) "
                    "AND id NOT IN (SELECT entry_id FROM pending_marks)",
                    (int(read), int(starred), remote_id, int(read), int(starred)),
                )
                changed += cur.rowcount
        return changed

    @guarded
    def remote_unread_counts(self) -> dict[str, int]:
        """Server feed id to how many of its synced entries are unread here."""
        rows = self._conn().execute(
            "SELECT f.remote_id, count(e.id) FROM feeds f LEFT JOIN entries e "
            "ON e.feed_id = f.id AND e.read = 0 AND e.remote_id IS NOT NULL "
            "WHERE f.remote_id IS NOT NULL GROUP BY f.id"
        )
        return {str(remote): int(count) for remote, count in rows}

    @writing
    def apply_remote_marks(
        self, unread: set[str], starred: set[str], feeds: set[str] | None = None
    ) -> int:
        """Make synced entries starred when in ``starred`` and read unless in ``unread``
        (only those of ``feeds``, server ids, when given: ``unread`` lists those feeds
        alone), except those with a mark of their own waiting; how many changed."""
        with self._write() as db:
            rows = db.execute(
                "SELECT e.id, e.remote_id, e.read, e.starred, f.remote_id FROM entries e "
                "JOIN feeds f ON f.id = e.feed_id WHERE e.remote_id IS NOT NULL "
                "AND e.id NOT IN (SELECT entry_id FROM pending_marks)"
            ).fetchall()
            changes = []
            for entry_id, rid, read, star, feed in rows:
                listed = feeds is None or feed in feeds
                now_read = int(rid not in unread) if listed else read
                if (read, star) != (now_read, int(rid in starred)):
                    changes.append((now_read, int(rid in starred), entry_id))
            db.executemany("UPDATE entries SET read = ?, starred = ? WHERE id = ?", changes)
        return len(changes)

    @writing
    def drop_remote_feeds(self, keep: set[str]) -> list[str]:
        """Unsubscribe the feeds that came from the server and are gone from it; their URLs."""
        with self._write() as db:
            gone = [
                (int(i), str(url))
                for i, remote, url in db.execute(
                    "SELECT id, remote_id, url FROM feeds WHERE remote_id IS NOT NULL"
                ).fetchall()
                if remote not in keep
            ]
            for feed_id, _ in gone:
                ids = [
                    e for (e,) in db.execute("SELECT id FROM entries WHERE feed_id = ?", (feed_id,))
                ]
                saving.delete_entries(db, ids)
                db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
        return [url for _, url in gone]


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _ids_by_key(db: sqlite3.Connection, feed_id: int, keys: Sequence[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for chunk in saving.chunks(keys):
        rows = db.execute(
            f"SELECT key_hash, id FROM entries WHERE feed_id = ? "
            f"AND key_hash IN ({','.join('?' * len(chunk))})",
            (feed_id, *chunk),
        )
        found.update((int(k), int(i)) for k, i in rows)
    return found


def _pending_times(db: sqlite3.Connection, ids: Sequence[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for chunk in saving.chunks(ids):
        rows = db.execute(
            f"SELECT entry_id, changed FROM pending_marks "
            f"WHERE entry_id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        found.update((int(i), int(c)) for i, c in rows)
    return found


def _save_feed(
    db: sqlite3.Connection, feed_id: int, pulled: Sequence[PulledEntry], now: int
) -> tuple[saving.Saver, int]:
    """Write one feed's pulled entries, their server ids and marks; the Saver (its index
    writes still to do) and how many entries were new."""
    incoming = [codec.prepare(p.entry) for p in pulled]
    saver = saving.Saver(db, feed_id, now, incoming)
    new = saver.run()
    ids = _ids_by_key(db, feed_id, [i.key_hash for i in incoming])
    pending = _pending_times(db, list(ids.values()))
    for item, p in zip(incoming, pulled, strict=True):
        entry_id = ids.get(item.key_hash)
        if entry_id is None:
            continue
        db.execute(
            "UPDATE entries SET remote_id = NULL WHERE remote_id = ? AND id <> ?",
            (p.remote_id, entry_id),
        )
        db.execute("UPDATE entries SET remote_id = ? WHERE id = ?", (p.remote_id, entry_id))
        waiting = pending.get(entry_id)
        if waiting is not None:
            if p.marks_changed is None or p.marks_changed <= waiting:
                continue  # the mark made here is the later one: it will be pushed
            db.execute("DELETE FROM pending_marks WHERE entry_id = ?", (entry_id,))
        db.execute(
            "UPDATE entries SET read = ?, starred = ? WHERE id = ? AND (read <> ? OR starred <> ?)",
            (int(p.read), int(p.starred), entry_id, int(p.read), int(p.starred)),
        )
    return saver, new
