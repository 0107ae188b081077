"""Entries in the cache: saving a fetch's entries, and reading them back by filter or id."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tui.core.models import Entry, EntryFilter, FetchRecord, ParsedEntry
from tui.core.store import codec, ranking, saving
from tui.core.store.connection import Connection, guarded, writing
from tui.core.store.fetches import record_in
from tui.core.store.queries import filtered_ids
from tui.core.store.search import filter_clause


@dataclass(frozen=True, slots=True)
class FeedSave:
    """One fetch's entries to store for a feed (see Entries.save_entries)."""

    feed_id: int
    entries: Sequence[ParsedEntry]
    now: datetime
    max_entries: int | None = None
    fetch: FetchRecord | None = None


class Entries(Connection):
    def save_entries(
        self,
        feed_id: int,
        entries: Sequence[ParsedEntry],
        *,
        now: datetime,
        max_entries: int | None = None,
        fetch: FetchRecord | None = None,
    ) -> int:
        """Store a fetch's entries in one transaction; return how many were new.

        Entries already stored (same guid, else link, else title and date) are updated in
        place when they changed, keeping read and starred. When a guid is unknown but the
        link matches exactly one stored entry, and no other incoming entry has that link, it
        is the same entry under a new guid. Entries missing from ``entries`` stay. With
        ``max_entries``, the feed's oldest entries beyond that many are deleted, except
        starred ones and the ones in this fetch. ``fetch``, how the fetch went, is recorded
        in the same transaction. A feed removed meanwhile stores nothing.
        """
        (new,) = self.save_fetches([FeedSave(feed_id, entries, now, max_entries, fetch)])
        return new

    def save_fetches(self, saves: Sequence[FeedSave]) -> list[int]:
        """Store several fetches as ``save_entries`` does each, in one transaction; return
        how many entries were new in each.

        A transaction per feed cost a lock, a log write and a small search-index segment
        each: a refresh's parser workers save the feeds that arrived together at once.
        """
        prepared = []
        for save in saves:
            incoming = [codec.prepare(e) for e in save.entries]
            # Compressing and indexing cost most of a save. Done before taking any lock, so
            # processes saving at once overlap here and queue only for the writes.
            ready = saving.prepare_changed(self._content_hashes(save.feed_id), incoming)
            prepared.append((save, incoming, ready))
        return self._save(prepared)

    @guarded
    def _content_hashes(self, feed_id: int) -> dict[int, int]:
        """The feed's stored entries: key hash to content hash."""
        rows = self._conn().execute(
            "SELECT key_hash, content_hash FROM entries WHERE feed_id = ?", (feed_id,)
        )
        return dict(rows.fetchall())

    @writing
    def _save(
        self, prepared: list[tuple[FeedSave, list[codec.Incoming], dict[int, saving.Prepared]]]
    ) -> list[int]:
        counts: list[int] = []
        savers: list[saving.Saver] = []
        with self._write() as db:
            for save, incoming, ready in prepared:
                exists = db.execute("SELECT 1 FROM feeds WHERE id = ?", (save.feed_id,))
                if exists.fetchone() is None:
                    counts.append(0)
                    continue
                saver = saving.Saver(db, save.feed_id, codec.to_epoch(save.now), incoming, ready)
                counts.append(saver.run())
                if save.max_entries is not None:
                    saving.apply_retention(db, save.feed_id, save.max_entries, saver.touched)
                if save.fetch is not None:
                    record_in(db, save.fetch)
                savers.append(saver)
            for saver in savers:  # last: see Saver.write_index
                saver.write_index()
        return counts

    @guarded
    def list_entries(
        self,
        flt: EntryFilter = EntryFilter(),
        *,
        limit: int | None = None,
        offset: int = 0,
        with_content: bool = False,
    ) -> list[Entry]:
        """Entries newest first. Without ``with_content`` summary and content are "".

        Raises QueryError when ``flt.query`` does not parse.
        """
        if flt.query is not None:
            end = None if limit is None else offset + limit
            ids = filtered_ids(self._conn(), flt, int(time.time()), limit=end)[offset:]
            return self._by_ids(ids, with_content=with_content)
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

    @guarded
    def count_entries(self, flt: EntryFilter = EntryFilter()) -> int:
        if flt.query is not None:
            return len(filtered_ids(self._conn(), flt, int(time.time())))
        where, params = filter_clause(flt)
        row = self._conn().execute(f"SELECT count(*) FROM entries e{where}", params)
        return int(row.fetchone()[0])

    @guarded
    def entry_ids(self, flt: EntryFilter = EntryFilter()) -> list[int]:
        """Ids of the matching entries in list order (newest first; a search's phrase
        matches before the rest)."""
        if flt.query is not None:
            return filtered_ids(self._conn(), flt, int(time.time()))
        where, params = filter_clause(flt)
        if flt.search:
            return ranking.ranked_ids(self._conn(), where, params, flt.search)
        rows = self._conn().execute(
            f"SELECT e.id FROM entries e{where} ORDER BY e.sort_key DESC, e.id DESC", params
        )
        return [i for (i,) in rows]

    @guarded
    def entries_by_ids(self, ids: Sequence[int]) -> list[Entry]:
        """Light entries (no bodies) in the order of ``ids``; unknown ids are skipped."""
        return self._by_ids(ids, with_content=False)

    def _by_ids(self, ids: Sequence[int], *, with_content: bool) -> list[Entry]:
        db = self._conn()
        bodies = ", b.summary, b.content" if with_content else ""
        join = " LEFT JOIN entry_bodies b ON b.entry_id = e.id" if with_content else ""
        found: dict[int, Entry] = {}
        for chunk in saving.chunks(ids):
            marks = ",".join("?" * len(chunk))
            for row in db.execute(
                f"SELECT {codec.ENTRY_COLUMNS}{bodies} FROM entries e "
                f"JOIN feeds f ON f.id = e.feed_id{join} WHERE e.id IN ({marks})",
                chunk,
            ):
                entry = (
                    codec.entry_from_row(row[:-2], row[-2], row[-1])
                    if with_content
                    else codec.entry_from_row(row)
                )
                found[entry.id] = entry
        return [found[i] for i in ids if i in found]

    @guarded
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
