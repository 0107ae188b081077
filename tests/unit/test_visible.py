"""The one visible-text function: titles and stand-in titles, and the search index's text."""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.text.html.visible import visible_text
from tui.core.text.sanitize import clean_line

# The search index's recipe as it was first written: rows already stored were made with it,
# and a contentless FTS5 row is deleted by handing the index the same text again.
_INDEXED_HIDDEN = re.compile(
    r"<(script|style|template|noscript)\b[^>]*>.*?</\1\s*>|<!--.*?(?:-->|$)", re.S | re.I
)
_INDEXED_TAG = re.compile(r"<[^>]*>?")


def _indexed_text(markup: str) -> str:
    if "<" not in markup and "&" not in markup:
        return markup
    return html.unescape(_INDEXED_TAG.sub(" ", _INDEXED_HIDDEN.sub(" ", markup)))


PIECES = [
    "<script>", "</script>", "</SCRIPT >", "<style x='>'>", "</style>", "<!--", "-->",
    "<b>", "</b>", "<p>", "a", "中", "&amp;", "&lt;", "\n", "<", "<noscript", "</noscript>",
    "<template>", "</template>", "<scriptx>", "<!-->", "</script", "&#x4e2d;", "<p", "x>",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=16))
def test_index_recipe_is_unchanged(pieces: list[str]) -> None:
    markup = "".join(pieces)
    assert visible_text(markup, tags_split_words=True) == _indexed_text(markup)


def test_inline_tags_vanish_and_block_tags_separate() -> None:
    source = (
        "<style>p{}</style><p>中<b>文</b> &amp; <!-- c --> more</p><script>x()</script>"
        "<ul><li>one</li><li>two</li></ul>a < b<br>end"
    )
    assert clean_line(visible_text(source)) == "中文 & more one two a < b end"
    assert visible_text("<p>x</p>", tags_split_words=True) == " x "


def test_unclosed_hidden_parts() -> None:
    assert visible_text("a<!-- never closed\nb") == "a "
    # An unclosed script is not hidden: a browser would show nothing, the index always kept it.
    assert clean_line(visible_text("a<script>b")) == "a b"


def test_plain_text_passes_through() -> None:
    assert visible_text("one\n\n two  spaces") == "one\n\n two  spaces"


def test_seed_article(corpus: Path) -> None:
    seed = corpus / "articles" / "zh-hant-news-guangdong.html"
    text = clean_line(visible_text(seed.read_text(encoding="utf-8")))
    assert "新聞動態 廣東省級數據中臺歸集數據已超258億條 2021-05-12" in text
    assert "<" not in text


@pytest.mark.parametrize(
    "unit",
    ["<a ", "<a<", "</", "<!", "<a x='", "&", "<!--", "<script>", "<style", "<script x"],
)
def test_hostile_markup_is_linear(unit: str) -> None:
    source = unit * (200_000 // len(unit))
    started = time.perf_counter()
    visible_text(source)
    visible_text(source, tags_split_words=True)
    visible_text("<" + "a" * 200_000)
    assert time.perf_counter() - started < 5
