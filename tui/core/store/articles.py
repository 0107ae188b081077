"""Full articles fetched from entries' links, cached with their entries.

A row holds either an article (its blocks compressed) or the one-line reason there is
none, with the validators of the page either way, so a later fetch can be conditional.
The article's text is part of its entry's search-index row: saving one re-indexes the
entry, and deleting the entry (``saving.delete_entries``) takes it out again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tui.core.store import codec, saving
from tui.core.store.connection import Connection, guarded, writing
from tui.core.text.html.blocks import Document


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """A cached fetch of an entry's page: ``document`` is None when ``error`` says why."""

    entry_id: int
    url: str
    fetched: datetime
    etag: str | None
    last_modified: str | None
    title: str
    byline: str
    published: str | None
    """``YYYY-MM-DD`` as the page gave it."""
    document: Document | None
    error: str | None


_COLUMNS = "entry_id, url, fetched, etag, last_modified, title, byline, published, body, error"


class Articles(Connection):
    @guarded
    def get_article(self, entry_id: int) -> StoredArticle | None:
        row = (
            self._conn()
            .execute(f"SELECT {_COLUMNS} FROM entry_articles WHERE entry_id = ?", (entry_id,))
            .fetchone()
        )
        if row is None:
            return None
        entry, url, fetched, etag, last_modified, title, byline, published, body, error = row
        document = codec.decode_article(body)
        if document is None and not error:
            error = "the cached article is unreadable"
        return StoredArticle(
            entry_id=entry,
            url=url,
            fetched=codec.from_epoch(fetched) or datetime.now(UTC),
            etag=etag,
            last_modified=last_modified,
            title=title,
            byline=byline,
            published=_day(published),
            document=document,
            error=error,
        )

    @writing
    def save_article(self, article: StoredArticle) -> bool:
        """Cache a fetch of an entry's page and re-index the entry; False when the entry
        is gone (deleted while its page was being fetched)."""
        body = codec.encode_article(article.document) if article.document is not None else None
        with self._write() as db:
            old = saving.indexed_texts(db, [article.entry_id])
            if not old:
                return False
            db.execute(
                f"INSERT OR REPLACE INTO entry_articles({_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article.entry_id,
                    article.url,
                    codec.to_epoch(article.fetched),
                    article.etag,
                    article.last_modified,
                    codec.storable(article.title),
                    codec.storable(article.byline),
                    _epoch(article.published),
                    body,
                    article.error,
                ),
            )
            new = saving.indexed_texts(db, [article.entry_id])
            if new != old:
                db.executemany(
                    "INSERT INTO entry_fts(entry_fts, rowid, text) VALUES ('delete', ?, ?)", old
                )
                db.executemany("INSERT INTO entry_fts(rowid, text) VALUES (?, ?)", new)
        return True

    @writing
    def touch_article(self, entry_id: int, fetched: datetime) -> None:
        """Record that the page was found unchanged (a 304) at ``fetched``."""
        with self._write() as db:
            db.execute(
                "UPDATE entry_articles SET fetched = ? WHERE entry_id = ?",
                (codec.to_epoch(fetched), entry_id),
            )

    @guarded
    def entries_without_article(self, limit: int) -> list[int]:
        """Entries of feeds set to always fetch the full article whose page was never
        fetched, newest first."""
        rows = self._conn().execute(
            "SELECT e.id FROM entries e JOIN feeds f ON f.id = e.feed_id AND f.full_text = 1 "
            "WHERE e.link IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM entry_articles a WHERE a.entry_id = e.id) "
            "ORDER BY e.sort_key DESC, e.id DESC LIMIT ?",
            (limit,),
        )
        return [entry_id for (entry_id,) in rows]

    @writing
    def set_feed_full_text(self, url: str, on: bool) -> bool:
        """Whether the feed's entries always get their full article; False if not subscribed."""
        with self._write() as db:
            cur = db.execute("UPDATE feeds SET full_text = ? WHERE url = ?", (int(on), url))
            return cur.rowcount > 0

    @guarded
    def full_text_feeds(self) -> set[str]:
        """The URLs of the feeds set to always fetch full articles."""
        return {url for (url,) in self._conn().execute("SELECT url FROM feeds WHERE full_text = 1")}


def _epoch(day: str | None) -> int | None:
    if not day:
        return None
    try:
        return codec.to_epoch(datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC))
    except ValueError:
        return None


def _day(epoch: int | None) -> str | None:
    moment = codec.from_epoch(epoch)
    return moment.strftime("%Y-%m-%d") if moment is not None else None
