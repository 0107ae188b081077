"""Blocks -> lines: every block kind, the width invariant on real articles, CJK rules."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import feedparser
import pytest

from tui.core.text.breaker import WrapOptions, cell_width
from tui.core.text.html.tree import parse_html
from tui.core.text.layout import render_article, render_plain
from tui.core.text.lines import BLANK, LayoutOptions, Line

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
SEED = SHARED / "articles" / "zh-hant-news-guangdong.html"
WIDE = LayoutOptions(wrap=WrapOptions(ambiguous_width=2), cjk_spacing=True)


@pytest.fixture(scope="module")
def corpus() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared corpus not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="module")
def seed(corpus: Path) -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def corpus_html(corpus: Path) -> dict[str, str]:
    """A few real HTML bodies: English with links and images, Chinese with code, MathML."""
    picks = {
        "NetNewsWire__DaringFireball.rss": range(4),
        "Quanfita.github.io__atom-2018-02.xml": range(1),
        "NetNewsWire__yakubin.atom": range(1),
    }
    bodies: dict[str, str] = {}
    for name, indexes in picks.items():
        parsed = feedparser.parse(
            (corpus / "feeds" / name).read_bytes(),
            sanitize_html=False,
            resolve_relative_uris=False,
        )
        for index in indexes:
            # A slice keeps the test quick; the parser takes cut-off HTML in its stride.
            bodies[f"{name}#{index}"] = parsed.entries[index].content[0].value[:15_000]
    return bodies


def texts(html: str, width: int, **kwargs: object) -> list[str]:
    return [line.text for line in render_article(html, width, **kwargs).lines]  # type: ignore[arg-type]


def roles(line: Line) -> list[str]:
    return [role for _, role in line.segments]


def styled(lines: list[Line], role: str) -> str:
    return "".join(text for line in lines for text, r in line.segments if r == role)


# --- the width invariant ---------------------------------------------------------------------


@pytest.mark.parametrize("options", [LayoutOptions(), WIDE], ids=["default", "wide-ambiguous"])
def test_no_seed_line_exceeds_the_width(seed: str, options: LayoutOptions) -> None:
    header = [("Feed", "新聞動態"), ("Link", "https://example.com/news/" + "x" * 130)]
    for width in range(4, 121):
        lines = render_article(
            seed, width, title="廣東省級數據中臺歸集數據已超258億條", header=header, options=options
        ).lines
        for line in lines:
            assert cell_width(line.text, ambiguous_width=options.wrap.ambiguous_width) <= width, (
                width,
                line.text,
            )


def test_no_corpus_line_exceeds_the_width(corpus_html: dict[str, str]) -> None:
    for name, html in corpus_html.items():
        doc = parse_html(html, base_url="https://example.org/")
        assert doc.blocks, name
        for width in range(4, 121):
            for line in render_article(html, width, base_url="https://example.org/").lines:
                assert cell_width(line.text) <= width, (name, width, line.text)


def test_tiny_widths_do_not_fail(seed: str) -> None:
    html = seed + "<blockquote><ul><li><pre>中文 code</pre></li></ul></blockquote><hr>"
    for width in (-3, 0, 1, 2, 3):
        assert render_article(html, width).lines


# --- CJK rules on the seed article -----------------------------------------------------------


@pytest.mark.parametrize("width", [20, 40, 80])
def test_seed_lines_obey_kinsoku_and_keep_numbers(seed: str, width: int) -> None:
    lines = texts(seed, width)
    body = [line for line in lines if line]
    assert body[0] == "新聞動態"
    for line in body:
        assert line[0] not in ",，。:、", line
    for before, after in itertools.pairwise(lines):
        for word in ("2021", "CEO", "258"):
            for cut in range(1, len(word)):
                assert not (before.endswith(word[:cut]) and after.startswith(word[cut:])), (
                    word,
                    before,
                    after,
                )


def test_seed_paragraphs_are_separated_by_one_blank_line(seed: str) -> None:
    lines = render_article(seed, 40).lines
    assert lines[0].text == "新聞動態"
    assert lines[1] == BLANK
    assert all(not (a == BLANK and b == BLANK) for a, b in itertools.pairwise(lines))
    assert lines[-1] != BLANK


# --- block kinds -----------------------------------------------------------------------------


def test_paragraph_styles_and_link_references_survive_wrapping() -> None:
    html = "<p>Hello <b>bold words</b> and <a href='http://a/'>a link here</a> end.</p><p>Two</p>"
    lines = render_article(html, 16).lines
    assert [line.text for line in lines] == [
        "Hello bold words",
        "and a link",
        "here[1] end.",
        "",
        "Two",
        "",
        "Links:",
        "[1] http://a/",
    ]
    assert roles(lines[0]) == ["text", "strong"]
    assert styled(lines, "link") == "a linkherehttp://a/"
    assert roles(lines[2]) == ["link", "linkref", "text"]


def test_br_is_a_line_break_inside_a_paragraph() -> None:
    assert texts("<p>one<br>two three</p>", 40) == ["one", "two three"]


def test_headings_are_set_apart() -> None:
    lines = render_article("<p>before</p><h2>A heading that wraps</h2><p>after</p>", 12).lines
    assert [line.text for line in lines] == ["before", "", "A heading", "that wraps", "", "after"]
    assert roles(lines[2]) == ["h2"]


def test_quotes_have_bars_and_wrap_at_the_reduced_width() -> None:
    html = (
        "<blockquote><p>quoted text here</p>"
        "<blockquote><p>deeper 中文引用</p></blockquote></blockquote>"
    )
    lines = render_article(html, 12).lines
    assert [line.text for line in lines] == [
        "│ quoted",
        "│ text here",
        "│",
        "│ │ deeper",
        "│ │ 中文引用",
    ]
    assert roles(lines[3]) == ["quote-bar", "quote-bar", "text"]


def test_lists_hang_their_text_and_nest() -> None:
    html = (
        "<ul><li>alpha beta gamma<ul><li>nested item</li></ul></li><li>two</li></ul>"
        "<ol start=9><li>nine</li><li>ten</li></ol>"
    )
    lines = render_article(html, 14).lines
    assert [line.text for line in lines] == [
        "• alpha beta",
        "  gamma",
        "  ◦ nested",
        "    item",
        "• two",
        "",
        " 9. nine",
        "10. ten",
    ]
    assert roles(lines[0])[0] == "bullet"


def test_loose_list_items_are_separated() -> None:
    html = "<ol><li><p>one</p><p>more</p></li><li>two</li></ol>"
    assert texts(html, 20) == ["1. one", "", "   more", "", "2. two"]


def test_preformatted_lines_fold_with_a_marker_never_at_spaces() -> None:
    html = "<pre>x = 1\n    long_name_here = 2\n中文中文中文</pre>"
    lines = render_article(html, 12).lines
    assert [line.text for line in lines] == [
        "x = 1",
        "    long_na↩",
        "me_here = 2",
        "中文中文中文",
    ]
    assert roles(lines[1]) == ["pre", "fold-marker"]
    narrow = render_article(html, 5).lines
    assert [line.text for line in narrow][-3:] == ["中文↩", "中文↩", "中文"]
    rejoined = "".join(text for line in narrow for text, role in line.segments if role == "pre")
    assert rejoined == "x = 1    long_name_here = 2中文中文中文"


def test_tables_that_fit_are_grids() -> None:
    html = "<table><tr><th>K</th><th>Value</th></tr><tr><td>key</td><td>1</td></tr></table>"
    lines = render_article(html, 20).lines
    assert [line.text for line in lines] == ["K   │ Value", "────┼──────", "key │ 1"]
    assert roles(lines[0]) == ["strong", "table", "strong"]


def test_tables_too_wide_become_labelled_rows() -> None:
    html = (
        "<table><tr><th>Key</th><th>Value</th></tr>"
        "<tr><td>a</td><td>a long value text</td></tr><tr><td>b</td><td></td></tr></table>"
    )
    assert texts(html, 14) == [
        "Key:   a",
        "Value: a long",
        "       value",
        "       text",
        "",
        "Key:   b",
    ]
    assert texts("<table><tr><td>a</td><td>a long value text</td></tr></table>", 10) == [
        "a",
        "a long",
        "value text",
    ]


def test_rules_fill_the_width() -> None:
    assert texts("<p>a</p><hr><p>b</p>", 8) == ["a", "", "────────", "", "b"]


def test_images_show_their_reference() -> None:
    lines = render_article("<p><img src='http://i/x.png' alt='cat'> and</p>", 40).lines
    assert lines[0].text == "[image: cat][1] and"
    assert roles(lines[0]) == ["link", "linkref", "text"]


def test_spans_are_moved_by_cjk_spacing() -> None:
    html = "<p>在艾媒咨詢<a href='http://x/'>CEO</a>張毅看來</p>"
    lines = render_article(html, 40, options=LayoutOptions(cjk_spacing=True)).lines
    assert lines[0].text == "在艾媒咨詢 CEO[1] 張毅看來"
    assert styled(lines[:1], "link") == "CEO"


def test_ambiguous_width_two_measures_decorations() -> None:
    html = "<blockquote><ul><li>“quoted” item text</li></ul></blockquote><hr>"
    for width in range(6, 30):
        for line in render_article(html, width, options=WIDE).lines:
            assert cell_width(line.text, ambiguous_width=2) <= width


# --- the article frame -----------------------------------------------------------------------


def test_render_article_header_body_and_links() -> None:
    lines = render_article(
        "plain line one\n\nline two",
        20,
        title="A title that is long\x1b[2J",
        header=[
            ("Feed", "F"),
            ("Author", "Someone Long Name"),
            ("Date", ""),
            ("Link", "https://ex.com/a"),
        ],
    ).lines
    assert [line.text for line in lines] == [
        "A title that is long",
        "Feed:   F",
        "Author: Someone Long",
        "        Name",
        "Link:   https://ex.c",
        "        om/a",
        "",
        "plain line one",
        "",
        "line two",
    ]
    assert roles(lines[0]) == ["title"]
    assert roles(lines[1])[0] == "meta-label"


def test_long_link_urls_fold_under_their_number() -> None:
    url = "https://example.com/very/long/path/to/article.html"
    html = "".join(f"<a href='{url}?{n}'>l{n}</a> " for n in range(10))
    article = render_article(html, 20)
    assert article.links == tuple(f"{url}?{n}" for n in range(10))
    lines = article.lines
    start = [line.text for line in lines].index("Links:")
    entries = lines[start + 1 :]
    numbered = [line for line in entries if line.segments[0][1] == "linkref"]
    assert [line.text.split()[0] for line in numbered] == [f"[{n}]" for n in range(1, 11)]
    assert entries[0].text == "[1]  https://example"
    assert all(line.text.startswith("     ") for line in entries if line not in numbered)
    first = "".join(
        t for line in entries[: entries.index(numbered[1])] for t, r in line.segments if r == "link"
    )
    assert first == url + "?0"


def test_render_plain_joins_lines() -> None:
    lines = render_article("<p>a</p><p>b</p>", 10).lines
    assert render_plain(lines) == "a\n\nb"
    assert Line((("x", "text"), ("y", "em"))).text == "xy"


def test_preformatted_keeps_blank_lines() -> None:
    lines = render_article("<pre>a\n\nb</pre>", 10).lines
    assert [line.text for line in lines] == ["a", "", "b"]


# --- speed -----------------------------------------------------------------------------------


def test_twenty_kilobyte_cjk_article_lays_out_quickly(seed: str) -> None:
    source = seed * 2  # about 21 KB of UTF-8
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        render_article(source, 80)
        timings.append(time.perf_counter() - started)
    # Measured ~3 ms on the 2-core development machine; the bound catches a quadratic turn.
    assert min(timings) < 0.05
