"""The line breaker on real CJK text: the seed article and titles/descriptions of feeds.

Every rule checked by ``check_paragraph`` (see test_text.py) must hold at every width
from 4 to 120 columns.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import feedparser
import pytest
import regex

from tests.unit.test_text import Oracle
from tui.core.text.breaker import WrapOptions, cell_width, wrap
from tui.core.text.sanitize import clean_line

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
WIDTHS = range(4, 121)
_TAG = re.compile(r"<[^>]*>")
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")

# feedparser reads these right; y-moto.com declares Shift_JIS but holds CP932-only bytes,
# which feedparser turns into Latin-2 mojibake, so it is decoded here instead.
FEEDS = {
    "chardet__GB2312-bbs.blogsome.com.xml": None,
    "chardet__GB2312-cnblog.org.xml": None,
    "chardet__GB2312-w3cn.org.xml": None,
    "chardet__Big5-ebao.us.xml": None,
    "chardet__SHIFT_JIS-10e.org.xml": None,
    "chardet__SHIFT_JIS-blog.inkase.net.xml": None,
    "chardet__EUC-JP-arclamp.jp.xml": None,
    "chardet__CP932-y-moto.com.xml": "cp932",
    "chardet__EUC-KR-acnnewswire.net.xml": None,
    "chardet__EUC-KR-alogblog.com.xml": None,
    "chardet__EUC-KR-xenix.egloos.com.xml": None,
}
ENTRIES_PER_FEED = 6


@pytest.fixture(scope="module")
def corpus_dir() -> Path:
    assert CORPUS.is_dir(), f"the shared corpus belongs beside the repo: {CORPUS}"
    return CORPUS


def paragraphs_of(markup: str) -> list[str]:
    """Crude HTML to text: every tag ends a paragraph."""
    text = html.unescape(_TAG.sub("\n", markup))
    return [line for line in (clean_line(part) for part in text.split("\n")) if line]


def read_feed(path: Path, codec: str | None) -> feedparser.FeedParserDict:
    raw = path.read_bytes()
    if codec is not None:
        decoded = raw.decode(codec)
        decoded = re.sub(r"""encoding=["'][^"']+["']""", 'encoding="utf-8"', decoded, count=1)
        raw = decoded.encode("utf-8")
    return feedparser.parse(raw)


@pytest.fixture(scope="module")
def article(corpus_dir: Path) -> list[str]:
    markup = (corpus_dir / "articles" / "zh-hant-news-guangdong.html").read_text("utf-8")
    return paragraphs_of(markup)


def test_article_paragraphs_obey_every_rule_at_every_width(article: list[str]) -> None:
    assert sum(len(p) for p in article) > 3000
    for paragraph in article:
        oracle = Oracle(paragraph)
        for width in WIDTHS:
            oracle.check(width)


@pytest.mark.parametrize("width", [4, 7, 13, 40, 80])
def test_article_under_other_options(article: list[str], width: int) -> None:
    for options in (WrapOptions(strict_kana=True, ambiguous_width=2), WrapOptions(phrases=True)):
        for paragraph in article:
            Oracle(paragraph, options).check(width)


_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.:%/_-]*")
# A word with the marks kinsoku binds to it: a unit wider than the line is cut inside its
# word rather than put a closing mark at a line start.
_BOUND_WORD = re.compile(
    r"[(\[（「『【〔〈《“‘]*[A-Za-z0-9][A-Za-z0-9.:%/_-]*[,.;:!?)\]}%。，、；：？！）」』】〕〉》”’]*"
)


def test_article_keeps_numbers_and_latin_words_whole(article: list[str]) -> None:
    for paragraph in article:
        words = _WORD.findall(paragraph)
        widest = max(map(cell_width, _BOUND_WORD.findall(paragraph)), default=0)
        for width in range(max(widest, 4), 121):
            lines = wrap(paragraph, width)
            assert [w for line in lines for w in _WORD.findall(line)] == words, width


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_feed_titles_and_descriptions_obey_every_rule(corpus_dir: Path, name: str) -> None:
    feed = read_feed(corpus_dir / "feeds" / name, FEEDS[name])
    texts: list[str] = []
    for entry in feed.entries[:ENTRIES_PER_FEED]:
        texts.append(clean_line(entry.get("title", "")))
        texts.extend(paragraphs_of(entry.get("summary", ""))[:4])
    texts = [t for t in texts if t]
    cjk = [t for t in texts if _CJK.search(t)]
    assert len(cjk) * 2 >= len(texts), f"{name} did not decode to CJK text: {texts[:3]}"
    for text in texts:
        oracle = Oracle(text)
        for width in WIDTHS:
            oracle.check(width)
            if width > cell_width(text):
                break  # one line from here on
