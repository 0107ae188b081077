"""Caches at an older schema, made with today's code for the migration tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def recount(path: Path) -> None:
    """Set every feed's counters from its entries.

    A schema before 7 counts each new entry by trigger, and today's saving code counts the
    fetch's new entries itself: a cache made at such a schema with today's code counts
    them twice, where the code of its day counted them once.
    """
    db = sqlite3.connect(path)
    with db:
        db.execute(
            "UPDATE feeds SET"
            " total = (SELECT count(*) FROM entries WHERE feed_id = feeds.id),"
            " unread = (SELECT count(*) FROM entries WHERE feed_id = feeds.id AND read = 0)"
        )
    db.close()
