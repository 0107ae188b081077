"""Matching an expression against one article in Python, as newsboat does.

An attribute's value is the text newsboat would show for it; operators then work on that
text (see :mod:`tui.core.query.parser`). Dates are integer seconds since the epoch, UTC.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from tui.core.query.parser import And, Comparison, Node

T = TypeVar("T")

_I32 = 2**31 - 1
_DAY = 86400


class Article(Protocol):
    """What an expression can ask of an article; :class:`ArticleRecord` is the plain one."""

    @property
    def title(self) -> str: ...
    @property
    def link(self) -> str: ...
    @property
    def author(self) -> str: ...
    @property
    def content(self) -> str: ...
    @property
    def date(self) -> int: ...
    @property
    def guid(self) -> str: ...
    @property
    def read(self) -> bool: ...
    @property
    def starred(self) -> bool: ...
    @property
    def enclosure_url(self) -> str: ...
    @property
    def enclosure_type(self) -> str: ...
    @property
    def index(self) -> int: ...
    @property
    def feed(self) -> FeedRecord: ...


@dataclass(frozen=True, slots=True)
class FeedRecord:
    id: int
    url: str
    title: str
    site_link: str = ""
    tags: tuple[str, ...] = ()
    unread: int = 0
    total: int = 0
    index: int = 1
    """1-based position in subscription order (newsboat's: the line in the urls file)."""


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    id: int
    feed: FeedRecord
    title: str = ""
    link: str = ""
    author: str = ""
    content: str = ""
    date: int = 0
    """The date lists sort by: published, else updated, but never after first seen (a
    feed's clock running ahead does not make its articles younger than their arrival)."""
    guid: str = ""
    read: bool = False
    starred: bool = False
    enclosure_url: str = ""
    enclosure_type: str = ""
    index: int = 1
    """1-based position in its feed's list, newest first."""


def age_days(date: int, now: int) -> int:
    """Whole days from ``date`` to ``now``, truncated toward zero (C's integer division)."""
    days = abs(now - date) // _DAY
    return -days if now < date else days


def format_date(date: int) -> str:
    """newsboat's ``date``: RFC 822 style in local time, English names."""
    return time.strftime("%a, %d %b %Y %H:%M:%S %z", time.localtime(date))


def tag_text(tags: Sequence[str]) -> str:
    """newsboat's ``tags``: each tag followed by one space."""
    return "".join(f"{tag} " for tag in tags)


def feed_value(feed: FeedRecord, attribute: str) -> str:
    """The text of a feed attribute; ``description`` and ``feeddate`` are not kept: empty."""
    match attribute:
        case "feedtitle":
            return feed.title
        case "feedlink":
            return feed.site_link
        case "rssurl":
            return feed.url
        case "unread_count":
            return str(feed.unread)
        case "total_count":
            return str(feed.total)
        case "tags":
            return tag_text(feed.tags)
        case "feedindex":
            return str(feed.index)
    return ""


def article_value(article: Article, attribute: str, now: int) -> str:
    """The text of any attribute for one article."""
    match attribute:
        case "title" | "link" | "author" | "content" | "guid" | "enclosure_url" | "enclosure_type":
            return str(getattr(article, attribute))
        case "unread":
            return "no" if article.read else "yes"
        case "flags":
            return "s" if article.starred else ""
        case "date":
            return format_date(article.date)
        case "age":
            return str(age_days(article.date, now))
        case "articleindex":
            return str(article.index)
    return feed_value(article.feed, attribute)


def string_to_num(text: str) -> int:
    """The number a text starts with (0 if none), clamped to 32 bits, as newsboat reads it."""
    start = 1 if text.startswith("-") else 0
    end = start
    while end < len(text) and text[end].isnumeric():
        end += 1
    if end == start:
        return 0
    digits = text[start:end]
    if not (digits.isascii() and digits.isdigit()):
        return -_I32 - 1 if start else _I32  # newsboat's failed parse: an overflow
    number = int(text[:end])
    return max(-_I32 - 1, min(_I32, number))


def between(value: int, literal: str) -> bool:
    fields = literal.split(":")
    if len(fields) != 2:
        return False
    a, b = string_to_num(fields[0]), string_to_num(fields[1])
    return min(a, b) <= value <= max(a, b)


def test(comparison: Comparison) -> Callable[[str], bool]:
    """The comparison as a function of the attribute's text, decided once, run per article."""
    literal = comparison.literal
    pattern = comparison.pattern
    number = string_to_num(literal)
    match comparison.op:
        case "=" | "==":
            return lambda value: value == literal
        case "!=":
            return lambda value: value != literal
        case "=~":
            assert pattern is not None
            return lambda value: pattern.search(value) is not None
        case "!~":
            assert pattern is not None
            return lambda value: pattern.search(value) is None
        case "<":
            return lambda value: string_to_num(value) < number
        case ">":
            return lambda value: string_to_num(value) > number
        case "<=":
            return lambda value: string_to_num(value) <= number
        case ">=":
            return lambda value: string_to_num(value) >= number
        case "between":
            return lambda value: between(string_to_num(value), literal)
        case "#":
            return lambda value: literal in value.split(" ")
        case "!#":
            return lambda value: literal not in value.split(" ")


def predicate(node: Node, getter: Callable[[str], Callable[[T], str]]) -> Callable[[T], bool]:
    """``node`` as a function of one item, given how to read each attribute's text from it."""
    if isinstance(node, Comparison):
        read, check = getter(node.attribute), test(node)
        return lambda item: check(read(item))
    left, right = predicate(node.left, getter), predicate(node.right, getter)
    if isinstance(node, And):
        return lambda item: left(item) and right(item)
    return lambda item: left(item) or right(item)


def matches(node: Node, article: Article, now: int) -> bool:
    """Whether the article matches; ``now`` (epoch seconds) is what ``age`` counts from."""

    def getter(attribute: str) -> Callable[[Article], str]:
        return lambda a: article_value(a, attribute, now)

    return predicate(node, getter)(article)


def feed_matches(node: Node, feed: FeedRecord) -> bool:
    """Whether a feed matches an expression that names only feed attributes."""

    def getter(attribute: str) -> Callable[[FeedRecord], str]:
        return lambda f: feed_value(f, attribute)

    return predicate(node, getter)(feed)
