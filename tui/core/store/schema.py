"""The cache's tables and the steps that bring an older cache up to date.

``PRAGMA user_version`` holds the number of steps applied. Steps only ever append: a
released step is never edited, so every cache in the wild reaches the same schema. Each
step runs inside the caller's write transaction.

Dates are integer seconds since the epoch, UTC. Article bodies live in ``entry_bodies``,
apart from the list columns, so list queries never page through HTML; a body is stored as
TEXT when short and as a compressed BLOB otherwise (see ``compression``). ``entries.key_hash``
and ``link_hash`` are 64-bit hashes of the dedup key and the link: indexing them instead of
the strings keeps the indices a fifth of the size.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from tui.core.store.codec import stored_fts_text

_V1 = """
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    custom_title TEXT NOT NULL DEFAULT '',
    site_link TEXT NOT NULL DEFAULT '',
    etag TEXT,
    last_modified TEXT,
    last_fetched INTEGER,
    status INTEGER,
    error TEXT
);
CREATE TABLE feed_tags (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    pos INTEGER NOT NULL,
    PRIMARY KEY (feed_id, tag)
) WITHOUT ROWID;
CREATE INDEX feed_tags_tag ON feed_tags(tag);
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    key_hash INTEGER NOT NULL,
    link_hash INTEGER,
    content_hash INTEGER NOT NULL,
    guid TEXT,
    link TEXT,
    title TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    published INTEGER,
    updated INTEGER,
    first_seen INTEGER NOT NULL,
    sort_key INTEGER NOT NULL,
    enclosures TEXT,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX entries_key ON entries(feed_id, key_hash);
CREATE INDEX entries_link ON entries(feed_id, link_hash) WHERE link_hash IS NOT NULL;
CREATE INDEX entries_sort ON entries(sort_key);
CREATE INDEX entries_feed_sort ON entries(feed_id, sort_key);
CREATE INDEX entries_unread_sort ON entries(sort_key) WHERE read = 0;
CREATE INDEX entries_unread_feed_sort ON entries(feed_id, sort_key) WHERE read = 0;
CREATE INDEX entries_starred_sort ON entries(sort_key) WHERE starred = 1;
CREATE TABLE entry_bodies (
    entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
    summary,
    content
);
"""

# v2: do-not-fetch-before times (429/503), per-feed counters kept by triggers so the feed
# list costs one row per feed, and the full-text index.
_V2 = """
ALTER TABLE feeds ADD COLUMN retry_after INTEGER;
ALTER TABLE feeds ADD COLUMN unread INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN total INTEGER NOT NULL DEFAULT 0;
UPDATE feeds SET
    total = (SELECT count(*) FROM entries WHERE feed_id = feeds.id),
    unread = (SELECT count(*) FROM entries WHERE feed_id = feeds.id AND read = 0);
CREATE TRIGGER entries_counted_in AFTER INSERT ON entries BEGIN
    UPDATE feeds SET total = total + 1, unread = unread + (NEW.read = 0) WHERE id = NEW.feed_id;
END;
CREATE TRIGGER entries_counted_out AFTER DELETE ON entries BEGIN
    UPDATE feeds SET total = total - 1, unread = unread - (OLD.read = 0) WHERE id = OLD.feed_id;
END;
CREATE TRIGGER entries_recounted AFTER UPDATE OF read, feed_id ON entries
WHEN OLD.read IS NOT NEW.read OR OLD.feed_id IS NOT NEW.feed_id BEGIN
    UPDATE feeds SET total = total - 1, unread = unread - (OLD.read = 0) WHERE id = OLD.feed_id;
    UPDATE feeds SET total = total + 1, unread = unread + (NEW.read = 0) WHERE id = NEW.feed_id;
END;
CREATE VIRTUAL TABLE entry_fts USING fts5(
    text, content='', detail=none, columnsize=0, tokenize='unicode61 remove_diacritics 2'
);
"""

# v3: per-feed settings (always fetch the full article; a script to show it in, NULL
# following the config), an entry's categories (a JSON list), full articles fetched from
# the entry's link (the body compressed, as entry bodies are), saved queries and
# ignore rules in the filter language.
_V3 = """
ALTER TABLE feeds ADD COLUMN full_text INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN script TEXT;
ALTER TABLE entries ADD COLUMN categories TEXT;
CREATE TABLE entry_articles (
    entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    fetched INTEGER NOT NULL,
    etag TEXT,
    last_modified TEXT,
    title TEXT NOT NULL DEFAULT '',
    byline TEXT NOT NULL DEFAULT '',
    published INTEGER,
    body BLOB,
    error TEXT
);
CREATE TABLE saved_queries (
    name TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    pos INTEGER NOT NULL
);
CREATE TABLE ignore_rules (
    id INTEGER PRIMARY KEY,
    expr TEXT NOT NULL,
    feed_url TEXT NOT NULL DEFAULT '*',
    UNIQUE (expr, feed_url)
);
"""


# v5: sync with a feed server. The server's ids of feeds and entries; marks made here on
# synced entries, waiting to be pushed (NULL: that flag was not changed; ``changed`` is
# when, to tell a later change on the server from an earlier one); the cursor and account.
_V5 = """
ALTER TABLE feeds ADD COLUMN remote_id TEXT;
ALTER TABLE entries ADD COLUMN remote_id TEXT;
CREATE UNIQUE INDEX entries_remote ON entries(remote_id) WHERE remote_id IS NOT NULL;
CREATE TABLE pending_marks (
    entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
    read INTEGER,
    starred INTEGER,
    changed INTEGER NOT NULL
);
CREATE TABLE sync_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


_INDEX_PAGE = 2000


def _v1(db: sqlite3.Connection) -> None:
    for statement in _statements(_V1):
        db.execute(statement)


def _v2(db: sqlite3.Connection) -> None:
    for statement in _statements(_V2):
        db.execute(statement)
    _index_all(db, with_articles=False)


def _index_all(db: sqlite3.Connection, *, with_articles: bool = True) -> None:
    """Index every stored entry with the current recipe, its cached full article included
    (``entry_articles`` exists from v3 on)."""
    article = "a.body" if with_articles else "NULL"
    joined = "LEFT JOIN entry_articles a ON a.entry_id = e.id " if with_articles else ""
    after = -(2**63)
    while True:
        # A page of entries at a time: a large cache's bodies need not all sit in memory.
        rows = db.execute(
            f"SELECT e.id, e.title, b.summary, b.content, {article} FROM entries e "
            f"LEFT JOIN entry_bodies b ON b.entry_id = e.id {joined}"
            "WHERE e.id > ? ORDER BY e.id LIMIT ?",
            (after, _INDEX_PAGE),
        ).fetchall()
        if not rows:
            return
        db.executemany(
            "INSERT INTO entry_fts(rowid, text) VALUES (?, ?)",
            (
                (entry_id, stored_fts_text(title, summary, content, body))
                for entry_id, title, summary, content, body in rows
            ),
        )
        after = rows[-1][0]


def _v3(db: sqlite3.Connection) -> None:
    for statement in _statements(_V3):
        db.execute(statement)


def _v4(db: sqlite3.Connection) -> None:
    # The index recipe folds Chinese and Japanese character forms to one script: every row
    # is indexed again. The table is contentless, so it is emptied as a whole.
    db.execute("INSERT INTO entry_fts(entry_fts) VALUES ('delete-all')")
    _index_all(db)


def _v5(db: sqlite3.Connection) -> None:
    for statement in _statements(_V5):
        db.execute(statement)


def _v6(db: sqlite3.Connection) -> None:
    # The index recipe leaves out single characters (they are prefixes of the grams now):
    # every row is indexed again, as in v4.
    db.execute("INSERT INTO entry_fts(entry_fts) VALUES ('delete-all')")
    # Each feed a refresh saves is one small segment of the index; merging them four at a
    # time rewrote every entry's tokens about five times over a cold refresh.
    db.execute("INSERT INTO entry_fts(entry_fts, rank) VALUES ('automerge', 8)")
    _index_all(db)


def _v7(db: sqlite3.Connection) -> None:
    # New entries are counted into their feed once per fetch (saving.Saver) rather than by
    # a trigger per row, which cost an eighth of writing an entry. The other counters stay
    # with triggers: reads, moves and deletes come from many places.
    db.execute("DROP TRIGGER IF EXISTS entries_counted_in")
    # Besides: new bodies are Zstandard frames, and the old zlib ones still read (see
    # compression). The version also tells a yuedu that reads only zlib that this cache is
    # newer than it, rather than letting it fail on the first new body.


def _statements(script: str) -> list[str]:
    """Split a DDL script on statement ends, keeping trigger bodies whole."""
    statements: list[str] = []
    pending = ""
    for line in script.strip().splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    return statements


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _v1,
    _v2,
    _v3,
    _v4,
    _v5,
    _v6,
    _v7,
)
SCHEMA_VERSION = len(MIGRATIONS)


_INDEXING_AGAIN = frozenset({_v4, _v6})


def indexes_again(current: int) -> bool:
    """Whether bringing a cache at schema ``current`` up to date indexes every entry again
    (a new cache, at 0, has none to index)."""
    steps = range(current, SCHEMA_VERSION) if current > 0 else range(0)
    return any(MIGRATIONS[step] in _INDEXING_AGAIN for step in steps)


def migrate(db: sqlite3.Connection, current: int) -> None:
    """Apply the steps after ``current``; the caller holds a write transaction."""
    for step in range(current, SCHEMA_VERSION):
        MIGRATIONS[step](db)
    # PRAGMA takes no parameters; the value is our own integer.
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
