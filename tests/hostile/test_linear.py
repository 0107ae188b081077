"""Hostile text that used to make a regex backtrack or a builder walk its whole stack.

Each input is sized so that the quadratic version takes seconds and a linear one a few
milliseconds: the bound sits far from both.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from tui.core.feeds.parse.feed import parse_feed
from tui.core.feeds.parse.sniff import root_kind
from tui.core.text.html.tree import parse_html
from tui.core.text.layout import render_article

BOUND = 1.0
"""Seconds; each case took 2 s to well over 60 s before."""


def _cpu(call: Callable[[], object]) -> float:
    started = time.process_time()
    call()
    return time.process_time() - started


@pytest.mark.parametrize(
    ("prefix", "fill", "size"),
    [
        ("<a", "x", 30_000),  # a start tag that never closes: 2.5 s at 16k before
        ("<p>text <img", "x", 30_000),
        ("</a", "x", 60_000),  # an end tag that never closes
        ("<table", "中", 30_000),
    ],
)
def test_an_unclosed_tag_before_a_long_run_of_text_is_linear(
    prefix: str, fill: str, size: int
) -> None:
    source = prefix + fill * size
    took = _cpu(lambda: parse_html(source))
    assert took < BOUND, f"{took:.2f} s for {len(source)} characters"
    assert _cpu(lambda: render_article(source, 80)) < BOUND


def test_the_unclosed_tag_does_not_swallow_the_text_after_it() -> None:
    doc = parse_html("<p>before <a" + "x" * 10 + "\n\nafter</p>")
    assert "after" in str(doc.blocks)


def test_tables_nested_without_cells_are_linear() -> None:
    # Each <table> opened a frame, and each run of text walked them all to find its owner.
    source = "<table>中</script>" * 20_000
    assert _cpu(lambda: render_article(source, 80)) < BOUND * 2


def _rss(item: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<link>https://example.org/</link><item><guid>g</guid>{item}</item>"
        "</channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    "item",
    [
        "<title>&#" + "0" * 40_000 + "</title>",  # a character reference with no ";"
        "<title>&#x" + "0" * 40_000 + "</title>",
        "<author>" + "a@" * 20_000 + "</author>",  # "email (Name)" over every "@"
        "<author>" + "a." * 30_000 + "</author>",  # feedparser's e-mail pattern
        "<author>x@" + "a." * 30_000 + "</author>",
    ],
    ids=["char-ref", "hex-char-ref", "author-at", "author-dots", "author-domain"],
)
def test_hostile_feed_fields_are_linear(item: str) -> None:
    body = _rss(item)
    took = _cpu(lambda: parse_feed(body, url="https://example.org/feed"))
    assert took < BOUND * 2, f"{took:.2f} s"


def test_a_character_reference_of_thousands_of_digits_is_replaced() -> None:
    # int() refuses more than 4,300 decimal digits: it was a traceback.
    body = _rss("<title>a&#" + "1" * 5000 + ";b</title>")
    feed = parse_feed(body, url="https://example.org/feed")
    assert feed.entries[0].title == "a\ufffdb"


def test_a_long_doctype_name_is_sniffed_in_linear_time() -> None:
    took = _cpu(lambda: root_kind(b"<!doctype " + b"a" * 8192))
    assert took < 0.2, f"{took:.2f} s"  # 1.3 s before, for the first 8 KB of a body
