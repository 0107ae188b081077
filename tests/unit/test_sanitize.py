"""What sanitize lets through: text XML and a terminal can hold, URLs urllib can split."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.text.layout import render_article
from tui.core.text.sanitize import clean_line, join_url, safe_url, strip_controls
from tui.core.urls import normalise_url

NONCHARACTERS = [
    "\ufffe",
    "\uffff",
    "\ufdd0",
    "\ufdef",
    "\U0001fffe",
    "\U0002ffff",
    "\U0010fffe",
    "\U0010ffff",
]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]
# Neighbours of the noncharacters, which are ordinary characters and stay.
KEPT = ["\ufdcf", "\ufdf0", "\ufffd", "\U0001fffd", "\U00020000", "\U0010fffd", "😀"]
BAD_BRACKET = "http://example.c[o.test/"


@pytest.mark.parametrize("char", NONCHARACTERS + SURROGATES)
def test_noncharacters_and_lone_surrogates_are_removed(char: str) -> None:
    assert clean_line(f"a{char}b") == "ab"
    assert strip_controls(f"a{char}\nb", keep_newlines=True) == "a\nb"
    article = render_article(f"<p>a{char}b</p>", 40, title=f"t{char}", header=[])
    assert [text for line in article.lines for text, _ in line.segments] == ["t", "", "ab"]


@pytest.mark.parametrize("char", KEPT)
def test_their_neighbours_stay(char: str) -> None:
    assert clean_line(f"a{char}b") == f"a{char}b"


@given(st.text(st.characters(codec=None, exclude_categories=()), max_size=80))
def test_any_cleaned_line_is_an_xml_attribute(text: str) -> None:
    cleaned = clean_line(text)
    root = ET.fromstring(f"<a v={quoteattr(cleaned)}/>")
    assert root.get("v") == cleaned


@pytest.mark.parametrize(
    ("url", "base"),
    [
        (BAD_BRACKET, None),
        (BAD_BRACKET, "https://example.org/"),
        ("/relative", BAD_BRACKET),
        ("http://[::1/", None),
        ("http://example.org]/", None),
    ],
)
def test_an_unbalanced_bracket_is_no_url_and_no_exception(url: str, base: str | None) -> None:
    assert safe_url(url, base) is None


def test_join_url_says_none_for_what_urllib_cannot_split() -> None:
    assert join_url(BAD_BRACKET, "/x") is None
    assert join_url("https://example.org/a/", "b") == "https://example.org/a/b"
    assert safe_url("http://[::1]:8080/feed") == "http://[::1]:8080/feed"


def test_a_typed_address_loses_what_sanitize_strips() -> None:
    assert normalise_url("https://example.org/feed\ufffe\x1b[2J") == "https://example.org/feed"
    assert normalise_url("example.c[o.test/feed") == "https://example.c[o.test/feed"
