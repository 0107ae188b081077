"""Text to syntax tree for newsboat's filter language.

``attribute op value``, joined by ``and`` (binding tighter) and ``or``, grouped by
parentheses. Every value keeps its literal text: newsboat compares ``=`` as text
(``age = 007`` never matches), orders by the numeric prefix of both sides, and uses the
literal of a number as a pattern for ``=~``. Errors name a 1-based column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from tui.core.errors import YueduError

ARTICLE_ATTRIBUTES = frozenset(
    {"title", "link", "author", "content", "date", "guid", "unread", "enclosure_url",
     "enclosure_type", "flags", "age", "articleindex"}
)  # fmt: skip
FEED_ATTRIBUTES = frozenset(
    {"feedtitle", "description", "feedlink", "feeddate", "rssurl", "unread_count",
     "total_count", "tags", "feedindex"}
)  # fmt: skip
ATTRIBUTES = ARTICLE_ATTRIBUTES | FEED_ATTRIBUTES

Operator = Literal["=", "==", "!=", "=~", "!~", "<", ">", "<=", ">=", "between", "#", "!#"]
OPERATORS: tuple[Operator, ...] = (
    "==", "!=", "=~", "!~", "<=", ">=", "!#", "=", "<", ">", "#", "between"
)  # fmt: skip
"""Longest first, so ``<=`` is never read as ``<`` followed by ``=``."""
REGEX_OPERATORS = frozenset({"=~", "!~"})

_WORD = re.compile(r"[A-Za-z0-9_]+")
_NUMBER = re.compile(r"-?[0-9]+(?::-?[0-9]+)?")
_SPACE = re.compile(r"\s*")


class QueryError(YueduError):
    """An expression that does not parse; ``column`` is 1-based."""

    def __init__(self, reason: str, column: int) -> None:
        super().__init__(f"column {column}: {reason}")
        self.column = column


@dataclass(frozen=True, slots=True)
class Comparison:
    attribute: str
    op: Operator
    literal: str
    """The value as written: a string's text without quotes, or the digits of a number."""
    column: int
    pattern: re.Pattern[str] | None = field(default=None, compare=False)
    """The compiled pattern of ``=~`` and ``!~``."""


@dataclass(frozen=True, slots=True)
class And:
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Or:
    left: Node
    right: Node


Node = Comparison | And | Or


def parse(text: str) -> Node:
    """The tree of ``text``; raises QueryError naming the column of the first problem."""
    return _Parser(text).parse()


def conjoin(*texts: str | None) -> str | None:
    """Expressions joined with ``and`` (None when none is given), each checked first so
    that an error names the column in the text the user wrote."""
    given = [text for text in texts if text is not None]
    for text in given:
        parse(text)
    if len(given) < 2:
        return given[0] if given else None
    return " and ".join(f"({text})" for text in given)


def attributes(node: Node) -> frozenset[str]:
    """Every attribute the expression names."""
    if isinstance(node, Comparison):
        return frozenset({node.attribute})
    return attributes(node.left) | attributes(node.right)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.opened: list[int] = []
        """Positions of the parentheses still open."""

    def parse(self) -> Node:
        self._skip()
        if self.pos == len(self.text):
            raise QueryError("empty expression", 1)
        node = self._or()
        self._skip()
        if self.pos < len(self.text):
            if self.text[self.pos] == ")":
                raise QueryError("')' without a matching '('", self.pos + 1)
            raise QueryError(f"unexpected {self._shown()}", self.pos + 1)
        return node

    def _or(self) -> Node:
        node = self._and()
        while self._keyword("or"):
            node = Or(node, self._and())
        return node

    def _and(self) -> Node:
        node = self._primary()
        while self._keyword("and"):
            node = And(node, self._primary())
        return node

    def _primary(self) -> Node:
        self._skip()
        if self.text.startswith("(", self.pos):
            self.opened.append(self.pos)
            self.pos += 1
            node = self._or()
            self._skip()
            if not self.text.startswith(")", self.pos):
                if self.pos == len(self.text):
                    raise QueryError("'(' is never closed", self.opened[-1] + 1)
                raise QueryError(f"expected ')' or and/or, found {self._shown()}", self.pos + 1)
            self.opened.pop()
            self.pos += 1
            return node
        return self._comparison()

    def _comparison(self) -> Comparison:
        start = self.pos
        word = _WORD.match(self.text, self.pos)
        if word is None:
            raise QueryError(f"expected an attribute, found {self._shown()}", start + 1)
        attribute = word.group()
        if attribute not in ATTRIBUTES:
            raise QueryError(f"unknown attribute '{attribute}'", start + 1)
        self.pos = word.end()
        self._skip()
        op = self._operator(attribute)
        self._skip()
        column = self.pos + 1
        literal = self._value(op)
        pattern = None
        if op in REGEX_OPERATORS:
            try:
                pattern = re.compile(literal, re.IGNORECASE)
            except re.error as exc:
                raise QueryError(f"bad regular expression: {exc.msg}", column) from None
        return Comparison(attribute, op, literal, start + 1, pattern)

    def _operator(self, attribute: str) -> Operator:
        for op in OPERATORS:
            if self.text.startswith(op, self.pos):
                end = self.pos + len(op)
                if op == "between" and _WORD.match(self.text, end):
                    continue
                self.pos = end
                return op
        raise QueryError(f"expected an operator after '{attribute}'", self.pos + 1)

    def _value(self, op: Operator) -> str:
        if self.pos == len(self.text) or self.text[self.pos] in "()":
            raise QueryError(f"missing value after '{op}'", self.pos + 1)
        if self.text[self.pos] == '"':
            return self._string()
        number = _NUMBER.match(self.text, self.pos)
        if number is None:
            raise QueryError(
                f"expected a quoted string or a number, found {self._shown()}", self.pos + 1
            )
        self.pos = number.end()
        return number.group()

    def _string(self) -> str:
        quote = self.pos
        chars: list[str] = []
        i = quote + 1
        while i < len(self.text):
            c = self.text[i]
            if c == '"':
                self.pos = i + 1
                return "".join(chars)
            if c == "\\" and i + 1 < len(self.text) and self.text[i + 1] in '"\\':
                # Other backslashes stay: they belong to regular expressions ("\.", "\d").
                c = self.text[i + 1]
                i += 1
            chars.append(c)
            i += 1
        raise QueryError("unclosed quote", quote + 1)

    def _keyword(self, word: str) -> bool:
        self._skip()
        if not self.text.startswith(word, self.pos):
            return False
        end = self.pos + len(word)
        if _WORD.match(self.text, end):
            return False  # "order": an attribute-like word, not the keyword
        self.pos = end
        return True

    def _skip(self) -> None:
        match = _SPACE.match(self.text, self.pos)
        if match is not None:
            self.pos = match.end()

    def _shown(self) -> str:
        if self.pos >= len(self.text):
            return "the end"
        match = _WORD.match(self.text, self.pos)
        return f"'{match.group() if match else self.text[self.pos]}'"
