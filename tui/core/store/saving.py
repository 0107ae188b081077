"""Writing one fetch's entries: matching them to stored ones, updating, retention, deleting.

Everything here runs inside the caller's write transaction.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

from tui.core.store import codec

# Ids per statement: far below every SQLite build's limit on bound parameters.
CHUNK = 500

_INSERT = """
INSERT INTO entries(id, feed_id, key_hash, link_hash, content_hash, guid, link, title, author,
                    published, updated, first_seen, sort_key, enclosures, categories)
VALUES (:id, :feed_id, :key_hash, :link_hash, :content_hash, :guid, :link, :title, :author,
        :published, :updated, :now, min(coalesce(:published, :updated, :undated), :now),
        :enclosures, :categories)
"""
# A date missing from the new copy keeps the stored one (an entry that never had one keeps
# its place) rather than re-sorting the entry to when it was first seen. The sort key never
# goes past first sight: a feed with a skewed clock would otherwise pin its items to the top
# of every list.
_UPDATE = """
UPDATE entries SET key_hash = :key_hash, link_hash = :link_hash, content_hash = :content_hash,
    guid = :guid, link = :link, title = :title, author = :author,
    published = coalesce(:published, published), updated = coalesce(:updated, updated),
    sort_key = min(coalesce(:published, published, :updated, updated, sort_key), first_seen),
    enclosures = :enclosures, categories = :categories
WHERE id = :id
"""


def chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def indexed_texts(db: sqlite3.Connection, ids: Sequence[int]) -> list[tuple[int, str]]:
    """The text each stored entry is in the search index with, as (id, text).

    The contentless index deletes a row only when handed that exact text again, so every
    delete and re-index starts here; it counts the entry's cached full article in.
    """
    texts: list[tuple[int, str]] = []
    for chunk in chunks(ids):
        rows = db.execute(
            "SELECT e.id, e.title, b.summary, b.content, a.body FROM entries e "
            "LEFT JOIN entry_bodies b ON b.entry_id = e.id "
            "LEFT JOIN entry_articles a ON a.entry_id = e.id "
            f"WHERE e.id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        texts.extend((i, codec.stored_fts_text(t, s, c, a)) for i, t, s, c, a in rows)
    return texts


def delete_entries(db: sqlite3.Connection, ids: Sequence[int]) -> None:
    """Delete entries (their bodies and full articles with them) and take them out of the
    search index."""
    for chunk in chunks(ids):
        texts = indexed_texts(db, chunk)
        db.execute(f"DELETE FROM entries WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        # After the DELETE: see Saver.write_index for why index writes come last.
        db.executemany(
            "INSERT INTO entry_fts(entry_fts, rowid, text) VALUES ('delete', ?, ?)", texts
        )


def apply_retention(db: sqlite3.Connection, feed_id: int, keep: int, spare: set[int]) -> None:
    """Delete the feed's entries beyond the newest ``keep``, except starred and ``spare``."""
    doomed = [
        entry_id
        for entry_id, starred in db.execute(
            "SELECT id, starred FROM entries WHERE feed_id = ? "
            "ORDER BY sort_key DESC, id DESC LIMIT -1 OFFSET ?",
            (feed_id, max(keep, 0)),
        )
        if not starred and entry_id not in spare
    ]
    delete_entries(db, doomed)


Prepared = tuple[str | bytes | None, str | bytes | None, str]
"""An entry's stored summary, stored content and search-index text."""


def prepare_write(item: codec.Incoming) -> Prepared:
    """The costly part of writing an entry (compression, index text), done outside any lock."""
    summary, content = item.stored_bodies()
    return summary, content, item.fts_text()


def prepare_changed(
    stored: Mapping[int, int], incoming: Sequence[codec.Incoming]
) -> dict[int, Prepared]:
    """Prepare the entries that are new or changed, judged by ``stored`` (key hash to
    content hash, read before the write).

    Holding the write lock while building index text would serialise every process
    refreshing the cache on it; the write re-checks and prepares anything this missed.
    """
    return {
        item.key_hash: prepare_write(item)
        for item in incoming
        if stored.get(item.key_hash) != item.content_hash
    }


def _date(item: codec.Incoming) -> int | None:
    return item.published if item.published is not None else item.updated


class Saver:
    """Matches one fetch's entries against the feed's stored ones and writes the differences."""

    def __init__(
        self,
        db: sqlite3.Connection,
        feed_id: int,
        now: int,
        incoming: list[codec.Incoming],
        ready: Mapping[int, Prepared] | None = None,
    ) -> None:
        self.db = db
        self.feed_id = feed_id
        self.now = now
        self.incoming = incoming
        self._ready = ready or {}
        self._index_deletes: list[tuple[int, str]] = []
        self._index_inserts: list[tuple[int, str]] = []
        self.touched: set[int] = set()
        """Ids of the stored entries this fetch matched or inserted."""
        self._batch_keys = {i.key_hash for i in incoming}
        self._link_uses = Counter(i.link_hash for i in incoming if i.link_hash is not None)
        # A new entry without a date sorts just after the new dated ones of its fetch (it
        # is no newer than they are for all anyone knows), not at the top of every list;
        # alone in its fetch, it sorts at first sight.
        self._stored_keys = {
            k for (k,) in db.execute("SELECT key_hash FROM entries WHERE feed_id = ?", (feed_id,))
        }
        dated = [
            d
            for i in incoming
            if i.key_hash not in self._stored_keys and (d := _date(i)) is not None
        ]
        self._undated = min(min(dated), now) - 1 if dated else now

    def run(self) -> int:
        """Write the fetch; return the number of new entries."""
        seen: set[int] = set()
        new: list[codec.Incoming] = []
        for item in self.incoming:
            if item.key_hash in seen:
                continue  # a repeated guid within one fetch: the first wins
            seen.add(item.key_hash)
            stored = self._find(item)
            if stored is None:
                new.append(item)
            elif stored[1] != item.content_hash:
                self._update(stored[0], item)
        # New entries go in together, after the updates: no match above can find one of
        # them (their keys are this fetch's, see _find), and a statement per row cost about
        # 5 of the 100 µs it takes to write an entry.
        if new:
            self._insert(new)
        return len(new)

    def _find(self, item: codec.Incoming) -> tuple[int, int] | None:
        """The stored (id, content hash) this item is, if any."""
        if not self._stored_keys:
            # Nothing was stored before this fetch, and what it inserted has other keys and
            # is never matched by link or content: a first fetch asks nothing per entry.
            return None
        row = None
        if item.key_hash in self._stored_keys:
            # Otherwise no entry had the key, and none took it since: an entry re-keyed by
            # this fetch takes the key of an item already seen.
            row = self.db.execute(
                "SELECT id, content_hash FROM entries WHERE feed_id = ? AND key_hash = ?",
                (self.feed_id, item.key_hash),
            ).fetchone()
        if row is None and item.link_hash is not None and self._link_uses[item.link_hash] == 1:
            # Feeds that mint a new guid on every fetch: the same link is the same entry, as
            # long as the link points at one item and not at a homepage shared by many.
            rows = self.db.execute(
                "SELECT id, content_hash, key_hash FROM entries "
                "WHERE feed_id = ? AND link_hash = ? LIMIT 2",
                (self.feed_id, item.link_hash),
            ).fetchall()
            if (
                len(rows) == 1
                and rows[0][0] not in self.touched
                and rows[0][2] not in self._batch_keys
            ):
                row = rows[0][:2]
        if row is None and (item.link_hash is None or self._link_uses[item.link_hash] > 1):
            row = self._find_same_content(item)
        if row is None:
            return None
        self.touched.add(row[0])
        return int(row[0]), int(row[1])

    def _find_same_content(self, item: codec.Incoming) -> tuple[int, int] | None:
        """An unmatched stored entry with the same title, link and text, if there is one.

        The last resort for feeds that mint a new guid (or a new date, when there is no
        guid) on every fetch and give no link of the item's own. Text must match too, so a
        daily digest that keeps its title and homepage link is still a new entry each day.
        """
        rows = self.db.execute(
            "SELECT e.id, e.content_hash, e.key_hash, e.link, b.summary, b.content "
            "FROM entries e LEFT JOIN entry_bodies b ON b.entry_id = e.id "
            "WHERE e.feed_id = ? AND e.title = ?",
            (self.feed_id, item.title),
        )
        for entry_id, content_hash, key_hash, link, summary, content in rows:
            if entry_id in self.touched or key_hash in self._batch_keys or link != item.link:
                continue
            stored_content = codec.decode_body(content)
            if (
                stored_content == item.content
                and codec.decode_summary(summary, stored_content) == item.summary
            ):
                return int(entry_id), int(content_hash)
        return None

    def _params(self, item: codec.Incoming) -> dict[str, object]:
        return {
            "feed_id": self.feed_id,
            "now": self.now,
            "undated": self._undated,
            "key_hash": item.key_hash,
            "link_hash": item.link_hash,
            "content_hash": item.content_hash,
            "guid": item.guid,
            "link": item.link,
            "title": item.title,
            "author": item.author,
            "published": item.published,
            "updated": item.updated,
            "enclosures": item.enclosures,
            "categories": item.categories,
        }

    def _insert(self, items: list[codec.Incoming]) -> None:
        # The ids SQLite would give one row at a time: one past the largest. Inside the
        # write transaction nothing else can take them.
        (largest,) = self.db.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()
        first = int(largest) + 1
        self.db.executemany(
            _INSERT, [{**self._params(item), "id": n} for n, item in enumerate(items, first)]
        )
        bodies = []
        for entry_id, item in enumerate(items, first):
            summary, content, fts_text = self._prepared(item)
            if summary is not None or content is not None:
                bodies.append((entry_id, summary, content))
            self._index_inserts.append((entry_id, fts_text))
        self.db.executemany(
            "INSERT INTO entry_bodies(entry_id, summary, content) VALUES (?, ?, ?)", bodies
        )
        self.touched.update(range(first, first + len(items)))
        # Entries come in unread. Counted here, not by a trigger per row (schema v7).
        self.db.execute(
            "UPDATE feeds SET total = total + ?, unread = unread + ? WHERE id = ?",
            (len(items), len(items), self.feed_id),
        )

    def _prepared(self, item: codec.Incoming) -> Prepared:
        ready = self._ready.get(item.key_hash)
        return ready if ready is not None else prepare_write(item)

    def _update(self, entry_id: int, item: codec.Incoming) -> None:
        ((_, old_text),) = indexed_texts(self.db, [entry_id])
        new_summary, new_content, new_text = self._prepared(item)
        # A cached full article stays with the entry when the feed changes its copy.
        article = self.db.execute(
            "SELECT body FROM entry_articles WHERE entry_id = ?", (entry_id,)
        ).fetchone()
        if article is not None:
            new_text += codec.article_fts_text(article[0])
        self.db.execute(_UPDATE, {**self._params(item), "id": entry_id})
        self.db.execute(
            "INSERT OR REPLACE INTO entry_bodies(entry_id, summary, content) VALUES (?, ?, ?)",
            (entry_id, new_summary, new_content),
        )
        if new_text != old_text:
            self._index_deletes.append((entry_id, old_text))
            self._index_inserts.append((entry_id, new_text))

    def write_index(self) -> None:
        """Write the search-index changes of this fetch; call it last in the transaction.

        A statement that fires a trigger (deleting or updating an entry keeps the feed's
        counters; so did every insert before schema v7) opens a statement savepoint, and
        FTS5 flushes its pending terms to a new segment at every savepoint: interleaved
        with the index writes, that made one tiny segment per entry and merging them cost
        several times the rest of the save.
        """
        self.db.executemany(
            "INSERT INTO entry_fts(entry_fts, rowid, text) VALUES ('delete', ?, ?)",
            self._index_deletes,
        )
        self.db.executemany("INSERT INTO entry_fts(rowid, text) VALUES (?, ?)", self._index_inserts)
        self._index_deletes.clear()
        self._index_inserts.clear()
