"""The filter language: parsing, and matching one article in Python."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tui.core.query.evaluate import (
    ArticleRecord,
    FeedRecord,
    age_days,
    matches,
    string_to_num,
)
from tui.core.query.parser import And, Comparison, Node, QueryError, parse
from tui.core.store.codec import to_epoch

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
NOW_S = to_epoch(NOW)


def shape(node: Node) -> str:
    """A tree as a short s-expression, for the tables below."""
    if isinstance(node, Comparison):
        return f"[{node.attribute} {node.op} {node.literal}]"
    word = "and" if isinstance(node, And) else "or"
    return f"({word} {shape(node.left)} {shape(node.right)})"


# -- parsing -------------------------------------------------------------------------------

PARSES = [
    ('title = "a"', "[title = a]"),
    ('title == "a"', "[title == a]"),
    ('title != "a"', "[title != a]"),
    ('title =~ "a|b"', "[title =~ a|b]"),
    ('title !~ "a"', "[title !~ a]"),
    ("age < 3", "[age < 3]"),
    ("age > 3", "[age > 3]"),
    ("age <= 3", "[age <= 3]"),
    ("age >= -3", "[age >= -3]"),
    ("age between 1:7", "[age between 1:7]"),
    ("age between -2:-1", "[age between -2:-1]"),
    ('tags # "zh"', "[tags # zh]"),
    ('tags !# "zh"', "[tags !# zh]"),
    ("age=007", "[age = 007]"),
    ('title="x"and age<3', "(and [title = x] [age < 3])"),
    ('  unread  =  "yes"  ', "[unread = yes]"),
    (r'title = "say \"hi\""', '[title = say "hi"]'),
    (r'title = "back\\slash"', r"[title = back\slash]"),
    (r'title =~ "a\.b\d"', r"[title =~ a\.b\d]"),
    ('title = "颱風 台風"', "[title = 颱風 台風]"),
    ('title = ""', "[title = ]"),
    (
        'flags # "s" or unread = "yes" and age < 3',
        "(or [flags # s] (and [unread = yes] [age < 3]))",
    ),
    (
        'unread = "yes" and age < 3 or flags # "s"',
        "(or (and [unread = yes] [age < 3]) [flags # s])",
    ),
    (
        '(flags # "s" or unread = "yes") and age < 3',
        "(and (or [flags # s] [unread = yes]) [age < 3])",
    ),
    ('((title = "a"))', "[title = a]"),
    (
        'title = "a" or title = "b" or title = "c"',
        "(or (or [title = a] [title = b]) [title = c])",
    ),
    ('feedtitle = "or" and rssurl # "and"', "(and [feedtitle = or] [rssurl # and])"),
]


@pytest.mark.parametrize(("text", "expected"), PARSES)
def test_expressions_parse_to_their_trees(text: str, expected: str) -> None:
    assert shape(parse(text)) == expected


def test_every_attribute_of_newsboat_is_known() -> None:
    newsboat = [
        "title", "link", "author", "content", "date", "guid", "unread", "enclosure_url",
        "enclosure_type", "flags", "age", "articleindex", "feedtitle", "description",
        "feedlink", "feeddate", "rssurl", "unread_count", "total_count", "tags", "feedindex",
    ]  # fmt: skip
    for attribute in newsboat:
        assert parse(f'{attribute} = "x"')


ERRORS = [
    ("", 1, "empty expression"),
    ("   ", 1, "empty expression"),
    ('titel = "a"', 1, "unknown attribute 'titel'"),
    ('unread = "yes" and Title = "a"', 20, "unknown attribute 'Title'"),
    ("title =", 8, "missing value"),
    ("title = )", 9, "missing value"),
    ('title "a"', 7, "expected an operator"),
    ("title = abc", 9, "expected a quoted string or a number"),
    ('title = "abc', 9, "unclosed quote"),
    ('title = "abc\\"', 9, "unclosed quote"),
    ('title =~ "("', 10, "bad regular expression"),
    ('age < 3 and title !~ "[a"', 22, "bad regular expression"),
    ('(title = "a"', 1, "'(' is never closed"),
    ('((title = "a")', 1, "'(' is never closed"),
    ('title = "a")', 12, "')' without a matching '('"),
    ('(title = "a" age < 3)', 14, "expected ')'"),
    ('title = "a" age < 3', 13, "unexpected 'age'"),
    ('title = "a" and', 16, "expected an attribute, found the end"),
    ('title = "a" or or', 16, "unknown attribute 'or'"),
    ("age = 1.5", 8, "unexpected '.'"),
    ("()", 2, "expected an attribute"),
]


@pytest.mark.parametrize(("text", "column", "reason"), ERRORS)
def test_bad_expressions_fail_with_one_line_naming_the_column(
    text: str, column: int, reason: str
) -> None:
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert caught.value.column == column
    message = str(caught.value)
    assert message.startswith(f"column {column}: ")
    assert reason in message
    assert "\n" not in message


# -- matching in Python --------------------------------------------------------------------

FEED = FeedRecord(id=1, url="https://x.test/feed", title="X News", tags=("zh", "news"))


def record(**kw: object) -> ArticleRecord:
    fields: dict[str, object] = {"id": 1, "feed": FEED, "title": "Hello", "date": NOW_S}
    fields.update(kw)
    return ArticleRecord(**fields)  # type: ignore[arg-type]


def test_numbers_are_read_from_the_start_of_the_text_as_newsboat_does() -> None:
    assert [string_to_num(t) for t in ("42", "-7", "12abc", "abc", "", "-", "+5")] == [
        42, -7, 12, 0, 0, 0, 0,
    ]  # fmt: skip
    assert string_to_num("99999999999") == 2**31 - 1
    assert string_to_num("-99999999999") == -(2**31)


def test_age_is_whole_days_truncated_toward_zero() -> None:
    assert age_days(NOW_S - 86399, NOW_S) == 0
    assert age_days(NOW_S - 86400 * 3 - 5, NOW_S) == 3
    assert age_days(NOW_S + 86400 + 5, NOW_S) == -1


EVALUATIONS = [
    ('title = "Hello"', True),
    ('title = "hello"', False),  # equality is exact
    ('title =~ "^hel"', True),  # patterns ignore case
    ('title !~ "xyz"', True),
    ("age = 0", True),
    ("age = 00", False),  # "=" compares text: "0" is not "00"
    ("age < 1", True),
    ("age between 0:0", True),
    ("age between 1:0", True),  # the bounds in either order
    ('age between "0:2"', True),
    ("age between 5", False),
    ('unread = "yes"', True),
    ('unread = "no"', False),
    ('flags # "s"', False),
    ('tags # "zh"', True),
    ('tags # "z"', False),
    ('tags # ""', True),  # the tag text ends in a space: an empty word
    ('tags !# "en"', True),
    ('feedtitle =~ "x n"', True),
    ("total_count > -1", True),
    ('title > "3"', False),  # ordering reads numbers from the text: "Hello" is 0
    ('title < "3"', True),
    ('date =~ "2024"', True),
    ('content = ""', True),
    ("articleindex = 1 and feedindex = 1", True),
]


@pytest.mark.parametrize(("text", "expected"), EVALUATIONS)
def test_operators_match_as_newsboat_does(text: str, expected: bool) -> None:
    assert matches(parse(text), record(), NOW_S) is expected


def test_flags_and_read_state_show_as_newsboat_texts() -> None:
    article = record(read=True, starred=True)
    assert matches(parse('unread = "no" and flags = "s"'), article, NOW_S)
    assert matches(parse('flags =~ "S"'), article, NOW_S)
