"""Saved queries and ignore rules: expressions the user keeps, checked before they are kept."""

from __future__ import annotations

from tui.core.errors import StoreError
from tui.core.models import IgnoreRule, SavedQuery
from tui.core.query.evaluate import FeedRecord
from tui.core.query.parser import parse
from tui.core.store.connection import Connection, guarded, writing
from tui.core.store.queries import load_feeds
from tui.core.text.sanitize import clean_line


class Rules(Connection):
    @guarded
    def saved_queries(self) -> list[SavedQuery]:
        """Saved queries in the order they were added."""
        rows = self._conn().execute("SELECT name, query FROM saved_queries ORDER BY pos")
        return [SavedQuery(name, query) for name, query in rows]

    @writing
    def save_query(self, name: str, query: str) -> SavedQuery:
        """Add a saved query, or change the expression of the one of that name.

        Raises QueryError when ``query`` does not parse, StoreError for an empty name.
        """
        name = clean_line(name)
        if not name:
            raise StoreError("a saved query needs a name")
        parse(query)
        with self._write() as db:
            (top,) = db.execute("SELECT coalesce(max(pos), -1) FROM saved_queries").fetchone()
            db.execute(
                "INSERT INTO saved_queries(name, query, pos) VALUES (?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET query = excluded.query",
                (name, query, top + 1),
            )
        return SavedQuery(name, query)

    @writing
    def remove_query(self, name: str) -> bool:
        """Forget a saved query; False if there was none of that name."""
        with self._write() as db:
            return db.execute("DELETE FROM saved_queries WHERE name = ?", (name,)).rowcount > 0

    @guarded
    def ignore_rules(self) -> list[IgnoreRule]:
        """Ignore rules in the order they were added."""
        rows = self._conn().execute("SELECT expr, feed_url FROM ignore_rules ORDER BY id")
        return [IgnoreRule(expr, feed_url) for expr, feed_url in rows]

    @writing
    def add_ignore_rule(self, expr: str, feed_url: str = "*") -> bool:
        """Add a rule; False if the same one was there. Raises QueryError when it does not
        parse."""
        parse(expr)
        with self._write() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO ignore_rules(expr, feed_url) VALUES (?, ?)", (expr, feed_url)
            )
            return cur.rowcount > 0

    @writing
    def remove_ignore_rule(self, expr: str) -> int:
        """Remove every rule with this expression, whatever its feed; how many went."""
        with self._write() as db:
            return db.execute("DELETE FROM ignore_rules WHERE expr = ?", (expr,)).rowcount

    @guarded
    def feed_record(self, feed_id: int) -> FeedRecord | None:
        """One feed as the filter language sees it (counts, tags, position)."""
        return next((f for f in load_feeds(self._conn()) if f.id == feed_id), None)
