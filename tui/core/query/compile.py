"""An expression as a SQL condition on the cache's tables, and what is left for Python.

The condition is on ``entries e`` and always holds for every matching article (it may
hold for more). When ``exact`` is true it holds for exactly the matching ones and Python
need not look at the rows. What SQL takes:

- any part naming only feed attributes: matched in Python against each feed (there are
  few), then ``e.feed_id IN (...)``, which uses the feed indices;
- ``unread`` and ``flags``: the operator is tried on both texts they can have, leaving
  ``e.read``/``e.starred`` tests that the partial indices serve;
- ``age``: arithmetic on the date; ``title``, ``link``, ``author``, ``guid``: ``=``,
  ``!=``, ``#`` and ``!#`` as text comparisons.

Regular expressions on article text, ``content`` (stored compressed), ``date``, the
enclosure and ``articleindex`` are left to Python on the rows the condition lets through.
A registered REGEXP function was measured against that: slower (see run.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tui.core.query.evaluate import FeedRecord, apply, feed_matches, string_to_num
from tui.core.query.parser import (
    ARTICLE_ATTRIBUTES,
    And,
    Comparison,
    Node,
    attributes,
)

DATE_SQL = "coalesce(e.published, e.updated, e.first_seen)"
"""The article's date, as :class:`~tui.core.query.evaluate.ArticleRecord` has it."""

_TEXT_COLUMNS = {
    "title": "e.title",
    "author": "e.author",
    "link": "coalesce(e.link, '')",
    "guid": "coalesce(e.guid, '')",
}
_TRUE = "1"
_FALSE = "0"


@dataclass(frozen=True, slots=True)
class Compiled:
    sql: str | None
    """The condition on ``entries e``; None when SQL cannot narrow the articles at all."""
    params: tuple[object, ...]
    exact: bool


def compile_query(node: Node, feeds: Sequence[FeedRecord], now: int) -> Compiled:
    """``node`` as SQL over ``entries e``, given every feed and the time ``age`` counts from."""
    return _Compiler(feeds, now).node(node)


class _Compiler:
    def __init__(self, feeds: Sequence[FeedRecord], now: int) -> None:
        self.feeds = feeds
        self.now = now

    def node(self, node: Node) -> Compiled:
        if not attributes(node) & ARTICLE_ATTRIBUTES:
            return self._feeds(node)
        if isinstance(node, Comparison):
            return self._comparison(node)
        left, right = self.node(node.left), self.node(node.right)
        exact = left.exact and right.exact
        if isinstance(node, And):
            parts = [part for part in (left, right) if part.sql is not None]
            if not parts:
                return Compiled(None, (), exact)
            sql = " AND ".join(f"({part.sql})" for part in parts)
            return Compiled(sql, tuple(p for part in parts for p in part.params), exact)
        if left.sql is None or right.sql is None:
            return Compiled(None, (), False)
        return Compiled(f"({left.sql}) OR ({right.sql})", left.params + right.params, exact)

    def _feeds(self, node: Node) -> Compiled:
        ids = [feed.id for feed in self.feeds if feed_matches(node, feed)]
        if len(ids) == len(self.feeds):
            return Compiled(_TRUE, (), True)
        if not ids:
            return Compiled(_FALSE, (), True)
        # Our own integers, inlined: a parameter per feed could pass SQLite's limit.
        return Compiled(f"e.feed_id IN ({','.join(str(int(i)) for i in ids)})", (), True)

    def _comparison(self, node: Comparison) -> Compiled:
        attribute = node.attribute
        if attribute == "unread":
            return _two_texts(node, "e.read = 0", "e.read != 0", "yes", "no")
        if attribute == "flags":
            return _two_texts(node, "e.starred != 0", "e.starred = 0", "s", "")
        if attribute == "age":
            return self._age(node)
        column = _TEXT_COLUMNS.get(attribute)
        if column is not None:
            return _text(node, column)
        return Compiled(None, (), False)

    def _age(self, node: Comparison) -> Compiled:
        # SQLite's integer division truncates toward zero, as newsboat's does.
        age = f"((? - {DATE_SQL}) / 86400)"
        literal = node.literal
        bound = string_to_num(literal)
        ordering = {"<": "<", ">": ">", "<=": "<=", ">=": ">="}
        if node.op in ordering:
            return Compiled(f"{age} {ordering[node.op]} ?", (self.now, bound), True)
        if node.op == "between":
            fields = literal.split(":")
            if len(fields) != 2:
                return Compiled(_FALSE, (), True)
            a, b = string_to_num(fields[0]), string_to_num(fields[1])
            return Compiled(f"{age} BETWEEN ? AND ?", (self.now, min(a, b), max(a, b)), True)
        if node.op in ("=", "==", "#", "!=", "!#"):
            # The age's text is a plain integer: only a literal written the same way equals it.
            equal = _canonical_int(literal)
            negated = node.op in ("!=", "!#")
            if equal is None:
                return Compiled(_TRUE if negated else _FALSE, (), True)
            return Compiled(f"{age} {'!=' if negated else '='} ?", (self.now, equal), True)
        return Compiled(None, (), False)


def _two_texts(node: Comparison, when_a: str, when_b: str, a: str, b: str) -> Compiled:
    """An attribute with two possible texts: try the operator on both."""
    match apply(node.op, node, a), apply(node.op, node, b):
        case True, True:
            return Compiled(_TRUE, (), True)
        case True, False:
            return Compiled(when_a, (), True)
        case False, True:
            return Compiled(when_b, (), True)
    return Compiled(_FALSE, (), True)


def _text(node: Comparison, column: str) -> Compiled:
    literal = node.literal
    if node.op in ("=", "=="):
        return Compiled(f"{column} = ?", (literal,), True)
    if node.op == "!=":
        return Compiled(f"{column} != ?", (literal,), True)
    if node.op in ("#", "!#"):
        negated = node.op == "!#"
        if " " in literal:  # words are split at spaces: none holds one
            return Compiled(_TRUE if negated else _FALSE, (), True)
        # Padded with spaces, a word of the text is the literal between two spaces.
        test = f"instr(' ' || {column} || ' ', ?) {'=' if negated else '>'} 0"
        return Compiled(test, (f" {literal} ",), True)
    return Compiled(None, (), False)


def _canonical_int(literal: str) -> int | None:
    try:
        number = int(literal)
    except ValueError:
        return None
    return number if str(number) == literal else None
