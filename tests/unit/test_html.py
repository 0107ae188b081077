"""Article HTML -> blocks: golden files, hostile input, the seed article and corpus feeds."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.text.html.blocks import (
    Block,
    Document,
    Heading,
    ListBlock,
    Paragraph,
    Preformatted,
    Quote,
    Rule,
    Span,
    Table,
)
from tui.core.text.html.elements import MAX_NESTING
from tui.core.text.html.tree import looks_like_html, parse_html, parse_plain

DATA = Path(__file__).resolve().parents[1] / "data" / "html"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
SEED = SHARED / "articles" / "zh-hant-news-guangdong.html"
GOLDEN_CASES = sorted(path.stem for path in DATA.glob("*.html"))
# What sanitize.strip_controls removes: nothing of it may reach a block or a link.
CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


@pytest.fixture(scope="module")
def corpus() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared corpus not found at {SHARED}")
    return SHARED


def feed_bodies(corpus: Path, name: str) -> list[str]:
    """The raw (unsanitized) HTML bodies of a corpus feed's entries."""
    parsed = feedparser.parse(
        (corpus / "feeds" / name).read_bytes(), sanitize_html=False, resolve_relative_uris=False
    )
    bodies = []
    for entry in parsed.entries:
        for content in entry.get("content", []):
            bodies.append(content.value)
        if "summary" in entry:
            bodies.append(entry.summary)
    return bodies


# --- helpers ---------------------------------------------------------------------------------


def dump(doc: Document) -> str:
    """A stable, readable rendering of a document for golden files."""
    out: list[str] = []

    def spans(text: str, items: tuple[Span, ...]) -> str:
        out = []
        for span in items:
            name = f"{span.style}#{span.link}" if span.link else span.style
            out.append(f"  {name}={text[span.start : span.end]!r}")
        return "".join(out)

    def emit(blocks: tuple[Block, ...], depth: int) -> None:
        pad = "  " * depth
        for block in blocks:
            match block:
                case Paragraph(text, items):
                    out.append(f"{pad}P {text!r}{spans(text, items)}")
                case Heading(level, text, items):
                    out.append(f"{pad}H{level} {text!r}{spans(text, items)}")
                case ListBlock(ordered, start, items):
                    out.append(f"{pad}{f'OL start={start}' if ordered else 'UL'}")
                    for item in items:
                        out.append(f"{pad}  ITEM")
                        emit(item, depth + 2)
                case Quote(inner):
                    out.append(f"{pad}QUOTE")
                    emit(inner, depth + 1)
                case Preformatted(text):
                    out.append(f"{pad}PRE")
                    out.extend(f"{pad}  |{line!r}" for line in text.split("\n"))
                case Table(rows, header):
                    out.append(f"{pad}TABLE header={header}")
                    out.extend(f"{pad}  {list(row)!r}" for row in rows)
                case Rule():
                    out.append(f"{pad}RULE")

    emit(doc.blocks, 0)
    out.extend(f"[{number}] {url}" for number, url in enumerate(doc.links, 1))
    return "\n".join(out) + "\n"


def walk(blocks: tuple[Block, ...]) -> Iterator[tuple[Block, int]]:
    """Every block with its nesting depth, without recursion."""
    stack = [(block, 0) for block in reversed(blocks)]
    while stack:
        block, depth = stack.pop()
        yield block, depth
        if isinstance(block, Quote):
            stack.extend((inner, depth + 1) for inner in reversed(block.blocks))
        elif isinstance(block, ListBlock):
            for item in reversed(block.items):
                stack.extend((inner, depth + 1) for inner in reversed(item))


def texts(doc: Document) -> Iterator[str]:
    for block, _ in walk(doc.blocks):
        if isinstance(block, Paragraph | Heading | Preformatted):
            yield block.text
        elif isinstance(block, Table):
            for row in block.rows:
                yield from row
    yield from doc.links


def paragraphs(doc: Document) -> list[str]:
    return [b.text for b, _ in walk(doc.blocks) if isinstance(b, Paragraph)]


# --- golden files ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_golden(case: str) -> None:
    source = (DATA / f"{case}.html").read_text(encoding="utf-8")
    actual = dump(parse_html(source, base_url="https://base.example.org/dir/page.html"))
    expected_path = DATA / f"{case}.txt"
    if os.environ.get("YUEDU_UPDATE_GOLDEN"):
        expected_path.write_text(actual, encoding="utf-8")
    assert actual == expected_path.read_text(encoding="utf-8")


def test_golden_cases_exist() -> None:
    assert {"broken", "junk", "hostile", "structure", "cjk"} <= set(GOLDEN_CASES)


# --- links -----------------------------------------------------------------------------------


def test_links_are_numbered_in_order_of_first_appearance_and_reused() -> None:
    doc = parse_html(
        '<p><a href="http://b/">b</a> <a href="http://a/">a</a> <a href="http://b/">b again</a></p>'
    )
    assert doc.links == ("http://b/", "http://a/")
    assert [(s.style, s.link) for s in doc.blocks[0].spans] == [
        ("link", 1),
        ("link", 2),
        ("link", 1),
    ]


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "vbscript:x",
        "-oProxyCommand=x",
        "",
    ],
)
def test_unsafe_links_are_not_numbered_and_keep_their_text(href: str) -> None:
    doc = parse_html(f'<p>see <a href="{href}">the text</a>.</p>')
    assert doc.links == ()
    assert doc.blocks == (Paragraph("see the text."),)


def test_relative_links_resolve_against_the_base() -> None:
    doc = parse_html('<a href="../x?a=1&amp;b=2">x</a>', base_url="https://h.example/a/b/c")
    assert doc.links == ("https://h.example/a/x?a=1&b=2",)


def test_links_without_text_get_no_number() -> None:
    doc = parse_html('<p><a href="http://a/"></a><a href="http://b/"> </a>text</p>')
    assert doc.links == ()


def test_images_show_alt_or_file_name_and_are_numbered() -> None:
    doc = parse_html(
        '<p><img src="http://h/p/photo%20one.jpg?x=1"> <img alt=" An  alt " src="/a.png">'
        ' <img src="data:image/png;base64,AA" alt="inline"> <img src="data:x">'
        ' <img src="http://t/p.gif" width="1" height="1"></p>',
        base_url="http://h/",
    )
    assert doc.blocks[0].text == "[image: photo one.jpg] [image: An alt] [image: inline]"
    assert doc.links == ("http://h/p/photo%20one.jpg?x=1", "http://h/a.png")


def test_media_become_link_lines() -> None:
    doc = parse_html(
        '<p>before</p><iframe src="https://y.example/embed/1"></iframe>'
        '<video><source src="/v.mp4"></video><audio src="https://a.example/e.mp3"></audio>'
        '<embed src="https://e.example/x.mp3"><p>after</p>',
        base_url="https://h.example/",
    )
    assert paragraphs(doc) == [
        "before",
        "[video: https://y.example/embed/1]",
        "[video: https://h.example/v.mp4]",
        "[audio: https://a.example/e.mp3]",
        "[audio: https://e.example/x.mp3]",
        "after",
    ]
    assert len(doc.links) == 4


# --- hostile text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        "\x1b[2J",
        "&#27;[2J",
        "&#x1b;]0;title&#7;",
        "\x9b31m",
        "&#x9b;31m",
        "\u202eevil\u202c",
        "&#x202E;evil",
        "\u2066iso\u2069",
        "\x00nul",
        "&#0;",
        "\x85next",
        "\u2028line",
    ],
)
def test_control_characters_never_survive(payload: str) -> None:
    source = (
        f"<h1>t{payload}</h1><p>a{payload}b</p><pre>{payload}</pre>"
        f"<table><tr><td>{payload}x</td></tr></table><img alt='{payload}' src='http://i/{payload}'>"
        f"<a href='http://h/{payload}'>l{payload}</a>"
    )
    doc = parse_html(source)
    for text in texts(doc):
        assert not CONTROL.search(text), (payload, text)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<b>",
                "</b>",
                "<ul>",
                "<li>",
                "</ul>",
                "<blockquote>",
                "<pre>",
                "</pre>",
                "<table>",
                "<tr>",
                "<td>",
                "</table>",
                "<a href='http://x/'>",
                "</a>",
                "<br>",
                "<script>",
                "</script>",
                "<div hidden>",
                "</div>",
                "&#27;",
                "\x1b[1m",
                "\u202e",
                "中",
                "文",
                "\n",
                " ",
                "word",
                "&amp;",
                "<",
                ">",
                "<img alt=i src=/i>",
            ]
        ),
        max_size=60,
    )
)
def test_any_tag_soup_converts_without_controls(parts: list[str]) -> None:
    source = "".join(parts)
    doc = parse_html(source, base_url="http://base/")
    for text in texts(doc):
        assert not CONTROL.search(text)
    for block, _ in walk(doc.blocks):
        if isinstance(block, Paragraph | Heading):
            assert block.text and block.text == block.text.strip()
            for span in block.spans:
                assert 0 <= span.start < span.end <= len(block.text)
                assert span.style != "link" or 1 <= (span.link or 0) <= len(doc.links)


# --- whitespace and text ---------------------------------------------------------------------


def test_a_source_line_break_between_cjk_characters_is_not_a_space() -> None:
    assert paragraphs(parse_html("<p>中\n文</p><p>中 文</p><p>a\nb</p><p>中\nA</p>")) == [
        "中文",
        "中 文",
        "a b",
        "中 A",
    ]


def test_line_break_across_an_inline_tag_between_cjk() -> None:
    assert paragraphs(parse_html("<p>中\n<b>文</b>字<i>\n</i>句</p>")) == ["中文字句"]


def test_br_breaks_a_line_and_two_br_start_a_paragraph() -> None:
    assert paragraphs(parse_html("<p><br>one <br> two<br><br><br>three<br></p>")) == [
        "one\ntwo",
        "three",
    ]


def test_preformatted_text_is_kept() -> None:
    doc = parse_html("<pre>\n  a  b\n\tc\n<span>d</span>\n\n</pre>")
    assert doc.blocks == (Preformatted("  a  b\n    c\nd"),)


def test_blank_lines_in_bare_text_separate_paragraphs() -> None:
    assert paragraphs(parse_html("<b></b>one\nstill one\n\n two <i>x</i>\n \n three")) == [
        "one still one",
        "two x",
        "three",
    ]


def test_styles_continue_across_a_block_boundary() -> None:
    doc = parse_html("<b>x<p>y</p>z</b>")
    assert [(b.text, b.spans) for b in doc.blocks] == [
        ("x", (Span(0, 1, "strong"),)),
        ("y", (Span(0, 1, "strong"),)),
        ("z", (Span(0, 1, "strong"),)),
    ]


def test_table_with_colspan_and_header() -> None:
    doc = parse_html(
        "<table><tr><th>A</th><th>B</th><th>C</th></tr>"
        "<tr><td colspan=2>wide</td><td>c</td></tr><tr><td colspan=99>all</td></tr></table>"
    )
    assert doc.blocks == (
        Table((("A", "B", "C"), ("wide", "", "c"), ("all", "", "")), header=True),
    )


def test_code_tables_of_highlighters_become_preformatted() -> None:
    doc = parse_html(
        '<figure class="highlight"><table><tr><td class="gutter"><pre>1<br>2</pre></td>'
        '<td class="code"><pre><span class="line">if x:</span><br>'
        '<span class="line">    y()</span></pre></td></tr></table></figure>'
    )
    assert doc.blocks == (Preformatted("if x:\n    y()"),)


# --- limits ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "elements"),
    [
        ("<blockquote>", 100_000),
        ("<div><blockquote><ol><li><b><span>", 100_000),
        ("<ul><li>", 20_000),
        ("<table><tr><td>", 20_000),
    ],
)
def test_deep_nesting_is_bounded(unit: str, elements: int) -> None:
    depth = elements // unit.count("<")
    doc = parse_html(unit * depth + "deep text" + "</blockquote></li></ul></div>" * 10)
    assert "deep text" in " ".join(texts(doc))
    assert max(d for _, d in walk(doc.blocks)) <= 2 * MAX_NESTING + 2
    repr(doc)  # no recursion error on the dataclass repr either


@pytest.mark.parametrize(
    "unit", ["<a ", "</", "<!", "<a x='", '<p title="', "<a<", "&", "<!--", "<script>", "<![CDATA["]
)
def test_hostile_markup_is_linear(unit: str) -> None:
    source = unit * (200_000 // len(unit))
    started = time.perf_counter()
    parse_html(source)
    # The stdlib HTMLParser of Python 3.11.7 needs over 20 s for 30 KB of "<a ".
    assert time.perf_counter() - started < 5


# --- the seed article and corpus feeds -------------------------------------------------------


def test_seed_article_has_no_junk(corpus: Path) -> None:
    doc = parse_html(SEED.read_text(encoding="utf-8"))
    texts_ = paragraphs(doc)
    assert texts_[:3] == [
        "新聞動態",
        "廣東省級數據中臺歸集數據已超258億條",
        "2021-05-12 10:37:30 20",
    ]
    assert "1620787404686494.png" in texts_
    assert texts_[-1] == "從“一網通辦”到“一網統管”的躍遷,還有待廣東提交答卷。"
    assert all(isinstance(block, Paragraph) for block in doc.blocks)
    assert doc.links == ()
    for text in texts_:
        assert "<" not in text and ">" not in text and "numdb" not in text
        assert "\n" not in text and "  " not in text


@pytest.mark.parametrize(
    "name",
    [
        "NetNewsWire__DaringFireball.rss",
        "NetNewsWire__yakubin.atom",
        "Quanfita.github.io__atom-2018-02.xml",
    ],
)
def test_corpus_feeds_convert(corpus: Path, name: str) -> None:
    bodies = feed_bodies(corpus, name)
    assert bodies
    for body in bodies:
        doc = parse_html(body, base_url="https://example.org/")
        for text in texts(doc):
            assert not CONTROL.search(text)
        if body.strip():
            assert doc.blocks, body[:200]


def test_corpus_code_blocks_keep_code_not_line_numbers(corpus: Path) -> None:
    body = feed_bodies(corpus, "Quanfita.github.io__atom-2018-02.xml")[0]
    doc = parse_html(body)
    code = [b.text for b, _ in walk(doc.blocks) if isinstance(b, Preformatted)]
    assert any("train_data = train_data.fillna(0) #缺失字段填0" in text for text in code)
    assert not any(re.fullmatch(r"[\d\s]+", text) for text in code)
    assert not any(isinstance(b, Table) for b, _ in walk(doc.blocks))


def test_parse_speed_of_a_large_cjk_article(corpus: Path) -> None:
    source = SEED.read_text(encoding="utf-8") * 20  # about 220 KB of UTF-8
    best = min(_timed(parse_html, source) for _ in range(3))
    assert best < 0.1  # measured ~7 ms; the margin absorbs a loaded CI machine


def _timed(function: object, source: str) -> float:
    started = time.perf_counter()
    function(source)  # type: ignore[operator]
    return time.perf_counter() - started


# --- plain input and detection ----------------------------------------------------------------


def test_parse_plain_makes_a_paragraph_per_line() -> None:
    doc = parse_plain("first line\n\n  \n second\x1b[2J line \r\nthird")
    assert doc == Document((Paragraph("first line"), Paragraph("second line"), Paragraph("third")))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>x</p>", True),
        ("a <b>bold</b> word", True),
        ("Tom &amp; Jerry", True),
        ("<small id=numdb></small>text", True),
        ("x<br/>y", True),
        ("plain text", False),
        ("if a < b and c > d", False),
        ("x<y and y>z", False),
        ("AT&T rocks", False),
        ("", False),
    ],
)
def test_looks_like_html(source: str, expected: bool) -> None:
    assert looks_like_html(source) is expected
