"""How each feed's last fetch went: validators, status, error, and a server's Retry-After."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from tui.core.models import FetchRecord
from tui.core.store import codec
from tui.core.store.connection import Connection, guarded, writing
from tui.core.text.sanitize import clean_line

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


class FetchRecords(Connection):
    @writing
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
            record_in(db, record)

    @writing
    def record_fetches(self, records: Sequence[FetchRecord]) -> None:
        """Remember how several fetches went, in one transaction.

        A refresh where most feeds answer 304 would otherwise spend a transaction, with its
        lock and log write, on each of them.
        """
        if not records:
            return
        with self._write() as db:
            for record in records:
                record_in(db, record)

    @guarded
    def retry_times(self) -> dict[int, datetime]:
        """The feeds a server asked to wait (429/503), each with the time it named."""
        rows = self._conn().execute(
            "SELECT id, retry_after FROM feeds WHERE retry_after IS NOT NULL"
        )
        return {feed_id: datetime.fromtimestamp(at, UTC) for feed_id, at in rows}


def record_in(db: sqlite3.Connection, record: FetchRecord) -> None:
    """Write ``record`` in the caller's write transaction."""
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
