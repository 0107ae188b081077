"""An expression as a SQL condition on the cache's tables, and what is left for Python.

The condition is on ``entries e`` and always holds for every matching article (it may
hold for more). When ``exact`` is true it holds for exactly the matching ones and Python
need not look at the rows. What SQL takes:

- any part naming only feed attributes: matched in Python against each feed (there are
  few), then ``e.feed_id IN (...)``, which uses the feed indices;
- ``unread`` and ``flags``: the operator is tried on both texts they can have, leaving
  ``e.read``/``e.starred`` tests that the partial indices serve;
- ``age``: arithmetic on the date, with a range on ``sort_key`` the indices serve;
- ``title``, ``link``, ``author``, ``guid``: ``=``, ``!=``, ``#`` and ``!#`` as text
  comparisons; a title pattern made of CJK words is narrowed by the search index.

Other patterns, ``content`` (stored compressed), ``date``, the enclosure and
``articleindex`` are left to Python on the rows the condition lets through.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from tui.core.query.evaluate import FeedRecord, feed_matches, string_to_num, test
from tui.core.query.parser import (
    ARTICLE_ATTRIBUTES,
    And,
    Comparison,
    Node,
    attributes,
)

DATE_SQL = "e.sort_key"
"""The article's date, as :class:`~tui.core.query.evaluate.ArticleRecord` has it."""
_DAY = 86400
# Letters whose runs the search index holds as n-grams, so that any text holding a run of
# them holds its n-gram tokens: a subset of tui.core.store.search's CJK class, kept
# narrow on purpose (kana, the main ideograph blocks, Hangul syllables).
_NGRAM_LETTERS = re.compile("[\u3041-\u3096\u30a1-\u30fa\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3]+")

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
    residual: Node | None = None
    """What Python must still check on the rows the condition lets through: the parts
    of the expression SQL did not answer exactly (None when ``exact``)."""


IndexMatch = Callable[[str], str | None]
"""The search index's MATCH expression for a word (tui.core.store.search.match_expression)."""


def compile_query(
    node: Node, feeds: Sequence[FeedRecord], now: int, *, index_match: IndexMatch | None = None
) -> Compiled:
    """``node`` as SQL over ``entries e``, given every feed and the time ``age`` counts from.

    With ``index_match``, title patterns of CJK words are narrowed by the search index.
    """
    return _Compiler(feeds, now, index_match).node(node)


class _Compiler:
    def __init__(
        self, feeds: Sequence[FeedRecord], now: int, index_match: IndexMatch | None
    ) -> None:
        self.feeds = feeds
        self.now = now
        self.index_match = index_match

    def node(self, node: Node) -> Compiled:
        if not attributes(node) & ARTICLE_ATTRIBUTES:
            return self._feeds(node)
        if isinstance(node, Comparison):
            compiled = self._comparison(node)
            return compiled if compiled.exact else replace(compiled, residual=node)
        left, right = self.node(node.left), self.node(node.right)
        exact = left.exact and right.exact
        if isinstance(node, And):
            parts = [part for part in (left, right) if part.sql is not None]
            rest = [part.residual for part in (left, right) if part.residual is not None]
            residual = And(rest[0], rest[1]) if len(rest) == 2 else (rest[0] if rest else None)
            sql = " AND ".join(f"({part.sql})" for part in parts) if parts else None
            params = tuple(p for part in parts for p in part.params)
            return Compiled(sql, params, exact, residual)
        # Either side may hold on its own, so Python must check the whole alternative.
        if left.sql is None or right.sql is None:
            return Compiled(None, (), False, node)
        sql = f"({left.sql}) OR ({right.sql})"
        return Compiled(sql, left.params + right.params, exact, None if exact else node)

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
        if node.op == "=~" and attribute == "title" and self.index_match is not None:
            return _indexed_words(node, self.index_match)
        column = _TEXT_COLUMNS.get(attribute)
        if column is not None:
            return _text(node, column)
        return Compiled(None, (), False)

    def _age(self, node: Comparison) -> Compiled:
        exact = self._age_test(node)
        bounds = _age_bounds(node)
        if exact.sql in (_TRUE, _FALSE) or bounds is None:
            return exact
        # The exact test is arithmetic on the date, which no index serves; a day's slack
        # either side turns the bounds into a range on sort_key that the indices do.
        lo, hi = bounds
        parts, params = [], []
        if hi is not None:
            parts.append("e.sort_key > ?")
            params.append(self.now - (hi + 1) * _DAY)
        if lo is not None:
            parts.append("e.sort_key < ?")
            params.append(self.now - (lo - 1) * _DAY)
        sql = " AND ".join([*parts, exact.sql or _TRUE])
        return Compiled(sql, (*params, *exact.params), True)

    def _age_test(self, node: Comparison) -> Compiled:
        # SQLite's integer division truncates toward zero, as newsboat's does.
        age = f"((? - {DATE_SQL}) / {_DAY})"
        literal = node.literal
        if node.op in ("<", ">", "<=", ">="):
            return Compiled(f"{age} {node.op} ?", (self.now, string_to_num(literal)), True)
        if node.op == "between":
            span = _span(literal)
            if span is None:
                return Compiled(_FALSE, (), True)
            return Compiled(f"{age} BETWEEN ? AND ?", (self.now, *span), True)
        if node.op in ("=", "==", "#", "!=", "!#"):
            # The age's text is a plain integer: only a literal written the same way equals it.
            equal = _canonical_int(literal)
            negated = node.op in ("!=", "!#")
            if equal is None:
                return Compiled(_TRUE if negated else _FALSE, (), True)
            return Compiled(f"{age} {'!=' if negated else '='} ?", (self.now, equal), True)
        return Compiled(None, (), False)


def _span(literal: str) -> tuple[int, int] | None:
    fields = literal.split(":")
    if len(fields) != 2:
        return None
    a, b = string_to_num(fields[0]), string_to_num(fields[1])
    return min(a, b), max(a, b)


def _age_bounds(node: Comparison) -> tuple[int | None, int | None] | None:
    """The least and greatest age a comparison lets through (None: unbounded)."""
    n = string_to_num(node.literal)
    match node.op:
        case "<":
            return None, n - 1
        case "<=":
            return None, n
        case ">":
            return n + 1, None
        case ">=":
            return n, None
        case "between":
            return _span(node.literal)
        case "=" | "==" | "#":
            equal = _canonical_int(node.literal)
            return None if equal is None else (equal, equal)
    return None


def _indexed_words(node: Comparison, index_match: IndexMatch) -> Compiled:
    """For a title pattern of CJK words (``颱風|台風``): the articles the index says hold one.

    The index holds every title whole, each CJK run as n-grams, so every title holding
    one of the words is among these; Python then runs the pattern. Bodies are indexed by
    their visible text only (not their markup, not past a length), so ``content``
    patterns cannot be narrowed this way without missing articles.
    """
    words = node.literal.split("|")
    if not all(_NGRAM_LETTERS.fullmatch(word) for word in words):
        return Compiled(None, (), False)
    expressions = [index_match(word) for word in words]
    match = " OR ".join(f"({expression})" for expression in expressions if expression)
    return Compiled(
        "e.id IN (SELECT rowid FROM entry_fts WHERE entry_fts MATCH ?)", (match,), False
    )


def _two_texts(node: Comparison, when_a: str, when_b: str, a: str, b: str) -> Compiled:
    """An attribute with two possible texts: try the operator on both."""
    check = test(node)
    match check(a), check(b):
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
        word = f"instr(' ' || {column} || ' ', ?) {'=' if negated else '>'} 0"
        return Compiled(word, (f" {literal} ",), True)
    return Compiled(None, (), False)


def _canonical_int(literal: str) -> int | None:
    try:
        number = int(literal)
    except ValueError:
        return None
    # No age reaches past SQLite's 64 bits, and sqlite3 raises OverflowError on such a number.
    if not -(2**63) <= number < 2**63:
        return None
    return number if str(number) == literal else None
