"""Feeds in the cache: subscribing, tags, following a move, and reading them back."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence

from tui.core.errors import StoreError
from tui.core.models import Feed
from tui.core.store import codec, saving
from tui.core.store.connection import Connection, guarded, writing
from tui.core.text.sanitize import clean_line


class Subscriptions(Connection):
    @writing
    def add_feed(
        self, url: str, *, title: str = "", tags: Sequence[str] = (), site_link: str = ""
    ) -> Feed:
        """Subscribe to ``url``, or return the existing feed with ``tags`` merged in.

        ``title`` is the user's name for the feed: it wins over the title the feed gives.
        ``site_link`` (OPML's htmlUrl) fills an empty one; the feed's own link replaces it.
        """
        if not url:
            raise ValueError("a feed needs a url")
        title = clean_line(title)
        with self._write() as db:
            row = db.execute("SELECT id, custom_title FROM feeds WHERE url = ?", (url,)).fetchone()
            if row is None:
                cur = db.execute(
                    "INSERT INTO feeds(url, custom_title, site_link) VALUES (?, ?, ?)",
                    (url, title, site_link),
                )
                feed_id = int(cur.lastrowid or 0)
            else:
                feed_id = row[0]
                if title and not row[1]:
                    db.execute("UPDATE feeds SET custom_title = ? WHERE id = ?", (title, feed_id))
                if site_link:
                    db.execute(
                        "UPDATE feeds SET site_link = ? WHERE id = ? AND site_link = ''",
                        (site_link, feed_id),
                    )
            _merge_tags(db, feed_id, codec.clean_tags(tags))
            feed = _feed(db, "f.id = ?", feed_id)
        assert feed is not None
        return feed

    @writing
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

    @guarded
    def get_feed(self, url: str) -> Feed | None:
        return _feed(self._conn(), "f.url = ?", url)

    @guarded
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

    @writing
    def set_feed_tags(self, url: str, tags: Sequence[str]) -> None:
        """Replace the feed's tags."""
        with self._write() as db:
            feed_id = _feed_id(db, url)
            db.execute("DELETE FROM feed_tags WHERE feed_id = ?", (feed_id,))
            _merge_tags(db, feed_id, codec.clean_tags(tags))

    @writing
    def change_feed_url(self, old: str, new: str) -> None:
        """Follow a permanent redirect, keeping entries and their read/starred state.

        When ``new`` is already subscribed the two feeds merge: entries both hold are kept
        once (read or starred if either copy was), tags and the custom title carry over.
        """
        if old == new:
            return
        with self._write() as db:
            old_id = _feed_id(db, old)
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
            _merge_tags(db, new_id, _tags(db, old_id))
            db.execute(
                "UPDATE feeds SET custom_title = (SELECT custom_title FROM feeds WHERE id = ?) "
                "WHERE id = ? AND custom_title = ''",
                (old_id, new_id),
            )
            db.execute("DELETE FROM feeds WHERE id = ?", (old_id,))


def _feed(db: sqlite3.Connection, where: str, value: object) -> Feed | None:
    row = db.execute(f"SELECT {codec.FEED_COLUMNS} FROM feeds f WHERE {where}", (value,))
    found = row.fetchone()
    if found is None:
        return None
    return codec.feed_from_row(found, _tags(db, found[0]))


def _tags(db: sqlite3.Connection, feed_id: int) -> list[str]:
    rows = db.execute("SELECT tag FROM feed_tags WHERE feed_id = ? ORDER BY pos", (feed_id,))
    return [tag for (tag,) in rows]


def _feed_id(db: sqlite3.Connection, url: str) -> int:
    row = db.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
    if row is None:
        raise StoreError("not subscribed", subject=url)
    return int(row[0])


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
