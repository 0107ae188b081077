"""The fuzzing that found lost subscriptions and tracebacks, kept bounded: a few seconds
here, longer with YUEDU_FUZZ_SECONDS (see tests/hostile/fuzzing.py).

Links anywhere in a feed, configs nested at random depths and backups of any titles and
tags: whatever comes in, a reader of it returns or raises its one-line domain error.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.hostile.fuzzing import budget
from tui.core.backup import read_backup, write_backup
from tui.core.config import load_config
from tui.core.errors import ConfigError, ParseError
from tui.core.feeds.opml import Subscription
from tui.core.feeds.parse.feed import parse_feed, parse_feed_slow
from tui.core.text.sanitize import clean_line

FUZZ = budget(40, per_second=10, deadline=60)

ANY_CHAR = st.characters(codec=None, exclude_categories=())
URL_PIECES = st.sampled_from(
    ["http://", "https://", "//", "/", "[", "]", "[::1]", ":", "@", "%", "#", "?", "example.c", "o"]
)
LINKS = st.lists(st.one_of(URL_PIECES, st.text(ANY_CHAR, max_size=3)), max_size=8).map("".join)
PLACES = st.sampled_from(
    [
        "<link>{}</link>",
        "<guid isPermaLink='true'>{}</guid>",
        "<enclosure url={} type='audio/mpeg' length='1'/>",
        "<comments>{}</comments>",
        "<source url={}>s</source>",
    ]
)


def placed(place: str, link: str) -> str:
    return place.format(quoteattr(link) if "={}" in place else escape(link))


@FUZZ
@given(
    st.lists(st.tuples(PLACES, LINKS), min_size=1, max_size=4),
    st.one_of(st.just(""), LINKS),
    st.booleans(),
)
def test_links_anywhere_cost_at_most_their_entry_fields(
    spoilers: list[tuple[str, str]], base: str, fast: bool
) -> None:
    inner = "".join(placed(place, link) for place, link in spoilers)
    base_attr = f" xml:base={quoteattr(base)}" if base else ""
    body = (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'{base_attr}><channel>"
        f"<title>t</title><item><title>spoilt</title>{inner}</item>"
        "<item><title>fine</title><link>https://example.org/fine</link></item>"
        "</channel></rss>"
    ).encode("utf-8", "surrogatepass")
    parse = parse_feed if fast else parse_feed_slow
    try:
        parsed = parse(body, url="https://example.org/feed")
    except ParseError:
        return  # a character XML cannot hold may cost the document, never a traceback
    assert parsed.entries[-1].title == "fine"
    assert parsed.entries[-1].link == "https://example.org/fine"


@FUZZ
@given(
    st.sampled_from(["theme", "fetch", "text", "keymap", "nonsense"]),
    st.sampled_from(["{key} = {open}{tokens}{close}", "{key}.{dots}b = 1", "[{key}]\n{dots}b = 1"]),
    st.lists(st.sampled_from(["[", "{a = ", "[[", "x = ", "]", "}", "1", ",", "\n"]), max_size=60),
    st.integers(min_value=0, max_value=3000),
)
def test_any_config_nesting_is_a_config_or_a_config_error(
    tmp_path_factory: pytest.TempPathFactory, key: str, form: str, tokens: list[str], depth: int
) -> None:
    path = tmp_path_factory.mktemp("config") / "config.toml"
    text = form.format(
        key=key, open="[" * depth, close="]" * depth, tokens="".join(tokens), dots="a." * depth
    )
    path.write_text(text, encoding="utf-8")
    try:
        load_config(path)
    except ConfigError as exc:
        assert str(path) in str(exc) and "\n" not in str(exc)


@FUZZ
@given(
    st.lists(
        st.tuples(st.text(ANY_CHAR, max_size=20), st.lists(st.text(ANY_CHAR, max_size=10))),
        max_size=5,
    ),
    st.integers(min_value=1, max_value=3),
)
def test_any_backup_parses_and_gives_back_the_cleaned_subscriptions(
    tmp_path_factory: pytest.TempPathFactory, feeds: list[tuple[str, list[str]]], writes: int
) -> None:
    path: Path = tmp_path_factory.mktemp("data") / "subscriptions.opml"
    subs = [
        Subscription(f"https://example.org/{n}", title, tuple(tags))
        for n, (title, tags) in enumerate(feeds)
    ]
    for count in range(writes):
        write_backup(path, subs[: len(subs) - count])
    ET.fromstring(path.read_bytes())
    restored = {s.url: s for s in read_backup(path)[0].subscriptions}
    assert restored == {
        s.url: Subscription(s.url, clean_line(s.title), _cleaned(s.tags))
        for s in subs[: len(subs) - writes + 1]
    }


def _cleaned(tags: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in map(clean_line, tags) if t))
