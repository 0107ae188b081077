"""Running an expression over the cache: SQL narrows, Python decides the rest.

Takes a plain sqlite3 connection and only reads; the other filters of an
:class:`~tui.core.models.EntryFilter` join the compiled condition. Feeds are few and read
whole; articles are read only as far as the compiled condition lets through, as plain rows, and an
article's body is decompressed only when the expression gets to asking for ``content``.

A SQLite REGEXP function calling the same compiled pattern was measured against this:
at 100,000 articles, ``title =~ "颱風|台風"`` over every title took the same CPU time
either way (about 240 ms on a loaded two-core machine), since every title crosses into
Python in both; narrowing by the search index first cut it to about 100 ms. So no
function is registered and the connection is left as it came.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from itertools import islice

from tui.core.models import EntryFilter
from tui.core.query.compile import DATE_SQL, compile_query
from tui.core.query.evaluate import (
    FeedRecord,
    age_days,
    feed_value,
    format_date,
    predicate,
)
from tui.core.query.parser import Node, attributes, parse
from tui.core.store.codec import decode_body, decode_enclosures, decode_summary
from tui.core.store.search import filter_conditions, match_expression

_ORDER = " ORDER BY e.sort_key DESC, e.id DESC"
# Positions count every article of the feed, so they are numbered before any narrowing.
_INDEX_JOIN = (
    " JOIN (SELECT id, row_number() OVER (PARTITION BY feed_id ORDER BY sort_key DESC, id DESC)"
    " AS n FROM entries) ai ON ai.id = e.id"
)
_COLUMNS = (
    f"e.id, e.feed_id, e.title, coalesce(e.link, ''), e.author, {DATE_SQL}, "
    "coalesce(e.guid, ''), e.read, e.starred, e.enclosures"
)
_Row = tuple[object, ...]
_TEXT_AT = {"title": 2, "link": 3, "author": 4, "guid": 6}


def load_feeds(db: sqlite3.Connection) -> list[FeedRecord]:
    """Every feed, in subscription order, with its tags and counts."""
    tags: defaultdict[int, list[str]] = defaultdict(list)
    for feed_id, tag in db.execute("SELECT feed_id, tag FROM feed_tags ORDER BY feed_id, pos"):
        tags[feed_id].append(tag)
    rows = db.execute(
        "SELECT id, url, title, custom_title, site_link, unread, total FROM feeds ORDER BY id"
    )
    return [
        FeedRecord(
            id=feed_id,
            url=url,
            title=custom or title,
            site_link=site_link,
            tags=tuple(tags[feed_id]),
            unread=unread,
            total=total,
            index=position,
        )
        for position, (feed_id, url, title, custom, site_link, unread, total) in enumerate(
            rows.fetchall(), 1
        )
    ]


def filtered_ids(
    db: sqlite3.Connection, flt: EntryFilter, now: int, *, limit: int | None = None
) -> list[int]:
    """Ids of the entries ``flt`` selects, its ``query`` included, newest first.

    Raises QueryError when the query does not parse.
    """
    conditions, params = filter_conditions(replace(flt, query=None))
    node = parse(flt.query or "")
    return matching_ids(db, node, now, conditions=(conditions, params), limit=limit)


def matching_ids(
    db: sqlite3.Connection,
    node: Node,
    now: int,
    *,
    conditions: tuple[list[str], list[object]] = ([], []),
    limit: int | None = None,
) -> list[int]:
    """Ids of the articles matching ``node``, newest first; ``now`` is epoch seconds.

    ``conditions`` are more SQL conditions on ``entries e`` with their parameters.
    """
    feeds = load_feeds(db)
    compiled = compile_query(node, feeds, now, index_match=match_expression)
    clauses = [compiled.sql] if compiled.sql is not None else []
    clauses += conditions[0]
    params = (*compiled.params, *conditions[1])
    where = f" WHERE {' AND '.join(f'({c})' for c in clauses)}" if clauses else ""
    if compiled.exact:
        rows = db.execute(
            f"SELECT e.id FROM entries e{where}{_ORDER} LIMIT ?",
            (*params, -1 if limit is None else limit),
        )
        return [entry_id for (entry_id,) in rows]
    rest = compiled.residual
    assert rest is not None  # an inexact condition leaves something for Python
    named = attributes(rest)
    columns, join = _COLUMNS, ""
    if "content" in named:
        columns += ", b.summary, b.content"
        join += " LEFT JOIN entry_bodies b ON b.entry_id = e.id"
    if "articleindex" in named:
        columns += ", ai.n"
        join += _INDEX_JOIN
    by_id = {feed.id: feed for feed in feeds}
    getters = _Getters(by_id, now, content_at=10, index_at=12 if "content" in named else 10)
    check = predicate(rest, getters.getter)
    rows = db.execute(f"SELECT {columns} FROM entries e{join}{where}{_ORDER}", params)
    return list(islice((row[0] for row in rows if check(row)), limit))


class _Getters:
    """How to read each attribute's text from a row of ``_COLUMNS`` and the extras."""

    def __init__(
        self, feeds: dict[int, FeedRecord], now: int, *, content_at: int, index_at: int
    ) -> None:
        self.feeds = feeds
        self.now = now
        self.content_at = content_at
        self.index_at = index_at

    def getter(self, attribute: str) -> Callable[[_Row], str]:
        at = _TEXT_AT.get(attribute)
        if at is not None:
            return lambda row: row[at]  # type: ignore[return-value]
        match attribute:
            case "content":
                return self._content
            case "date":
                return lambda row: format_date(row[5])  # type: ignore[arg-type]
            case "age":
                return lambda row: str(age_days(row[5], self.now))  # type: ignore[arg-type]
            case "unread":
                return lambda row: "no" if row[7] else "yes"
            case "flags":
                return lambda row: "s" if row[8] else ""
            case "enclosure_url":
                return lambda row: _first_enclosure(row)[0]
            case "enclosure_type":
                return lambda row: _first_enclosure(row)[1]
            case "articleindex":
                return lambda row: str(row[self.index_at])
        return lambda row: feed_value(self.feeds[row[1]], attribute)  # type: ignore[index]

    def _content(self, row: _Row) -> str:
        body = decode_body(row[self.content_at + 1])
        return body or decode_summary(row[self.content_at], body)


def _first_enclosure(row: _Row) -> tuple[str, str]:
    enclosures = decode_enclosures(row[9])  # type: ignore[arg-type]
    return (enclosures[0].url, enclosures[0].type) if enclosures else ("", "")
