"""The text pipeline in the layout: script conversion, CJK punctuation and ruby, as shown."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.text.breaker import cell_width
from tui.core.text.convert import Target
from tui.core.text.display import DisplayOptions, LineCache, display_line
from tui.core.text.html.blocks import Paragraph, Span
from tui.core.text.html.tree import parse_html
from tui.core.text.layout import LayoutOptions, Line, render_article, render_plain
from tui.core.text.ruby import RubyMode

SEED = Path("/work/shared/corpus/articles/zh-hant-news-guangdong.html")
SIMPLIFIED_PAGE = (
    "<h2>软件新闻</h2>"
    "<p>据新华社报道,软件更新后,<a href='https://example.com/noodles'>方便面</a>"
    "和U盘的信息安全得到了保障(试行)。</p>"
    "<p>Hello, world (really): 1,240 元, see https://example.com/a,b?c=(1)</p>"
)
NO_START = set("，。、；：？！）」』】〕〉》”’…‥ー々ゝゞ,.;:?!)]}")


def options(script: Target = "keep", fix: bool = True, ruby: RubyMode = "show") -> LayoutOptions:
    return LayoutOptions(display=DisplayOptions(script, fix, ruby))


def body(source: str, width: int = 80, **kw: object) -> list[Line]:
    return render_article(source, width, options=options(**kw)).lines  # type: ignore[arg-type]


def test_a_simplified_page_read_in_taiwan_traditional() -> None:
    header = [("Feed", "新华网")]
    article = render_article(
        SIMPLIFIED_PAGE, 80, title="软件新闻", header=header, options=options("hant-tw")
    )
    text = render_plain(article.lines)
    assert text.splitlines()[:2] == ["軟體新聞", "Feed: 新華網"]
    assert "據新華社報道，軟體更新後，泡麵[1]和隨身碟的資訊安全得到了保障（試行）。" in text
    # Latin text, numbers and URLs keep their ASCII punctuation.
    assert "Hello, world (really): 1,240 元, see https://example.com/a,b?c=(1)" in text
    link = next(seg for line in article.lines for seg in line.segments if seg[1] == "link")
    assert link == ("泡麵", "link")  # 方便面 -> 泡麵: the span moved with the shorter phrase
    assert article.links == ("https://example.com/noodles",)


def test_keep_shows_the_script_as_sent_and_fixes_only_punctuation() -> None:
    text = render_plain(body(SIMPLIFIED_PAGE))
    assert "据新华社报道，软件更新后，方便面[1]和U盘的信息安全得到了保障（试行）。" in text
    unfixed = render_plain(body(SIMPLIFIED_PAGE, fix=False))
    assert "据新华社报道,软件更新后,方便面[1]和U盘的信息安全得到了保障(试行)。" in unfixed


def test_the_seed_is_unchanged_under_hant_except_punctuation() -> None:
    source = SEED.read_text(encoding="utf-8")
    kept = render_plain(body(source, 60, fix=False))
    for target in ("hant", "hant-tw", "hant-hk"):
        shown = render_plain(body(source, 60, script=target, fix=False))
        assert shown == kept, target
    fixed = render_plain(body(source, 60, script="hant"))
    assert "4月21日，廣東省" in fixed
    assert "4月21日,廣東" in kept


def test_traditional_to_simplified_and_japanese_left_alone() -> None:
    page = "<p>颱風來了,氣象局發布警報。</p>"
    assert render_plain(body(page, script="hans")) == "台风来了，气象局发布警报。"
    japanese = "<p>台風が来ました,気象庁が発表。</p><p>漢字の發表</p>"
    shown = render_plain(body(japanese, script="hans"))
    assert shown == "台風が来ました，気象庁が発表。\n\n漢字の發表"


def test_code_links_and_urls_keep_their_punctuation() -> None:
    page = (
        "<p>运行<code>f(a,b)</code>之后,打开<a href='https://x.example/'>网站</a>,"
        "或者 https://x.example/a,b(c) 看看。</p>"
    )
    text = render_plain(body(page))
    assert "运行f(a,b)之后，打开网站[1]，或者 https://x.example/a,b(c) 看看。" in text


def test_titles_and_list_text_go_through_the_same_pipeline() -> None:
    hant_tw = DisplayOptions("hant-tw")
    assert display_line("软件更新\x1b[31m,台风来了", hant_tw) == "軟體更新，颱風來了"
    assert display_line("Hello, world (really)", hant_tw) == "Hello, world (really)"
    assert display_line("台風が来ました,東京", hant_tw) == "台風が来ました，東京"
    cache = LineCache(DisplayOptions())
    assert cache("软件,更新") == "软件，更新"
    assert cache("软件,更新", "hant") == "軟件，更新"
    assert cache(None) == ""


def test_ruby_shows_the_reading_or_hides_it() -> None:
    page = "<p>これは<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>です。</p>"
    assert render_plain(body(page)) == "これは漢字(かんじ)です。"
    assert render_plain(body(page, ruby="hide")) == "これは漢字です。"
    per_character = "<p><ruby>東<rt>とう</rt>京<rt>きょう</rt></ruby>へ</p>"
    assert render_plain(body(per_character)) == "東京(とうきょう)へ"


def test_ruby_in_the_html_builder() -> None:
    cases = {
        "<p>a<ruby>漢字<rt>かんじ</rt></ruby>b</p>": ("a漢字(かんじ)b", Span(1, 8, "ruby")),
        "<p><ruby><rb>東京</rb><rp>（</rp><rt>とうきょう</rt><rp>）</rp></ruby></p>": (
            "東京(とうきょう)",
            Span(0, 9, "ruby"),
        ),
        # rt closed by the next rt; a ruby in a ruby is part of it.
        "<p><ruby>明<rt>あ<rt>か</ruby></p>": ("明(あか)", Span(0, 5, "ruby")),
        "<p><ruby>外<ruby>内<rt>ない</rt></ruby><rt>そと</rt></ruby></p>": (
            "外内(ないそと)",
            Span(0, 8, "ruby"),
        ),
        "<p><a href='https://x.example/'><ruby>漢字<rt>かんじ</rt></ruby></a></p>": (
            "漢字(かんじ)",
            Span(0, 7, "ruby"),
        ),
        "<p><ruby><a href='https://x.example/'>漢字</a><rt>かんじ</rt></ruby></p>": (
            "漢字(かんじ)",
            Span(0, 7, "ruby"),
        ),
        # A block inside an unclosed ruby ends it.
        "<p><ruby>漢字<rt>かんじ</p><p>次</p>": ("漢字(かんじ)", Span(0, 7, "ruby")),
    }
    for source, (text, span) in cases.items():
        first = parse_html(source).blocks[0]
        assert isinstance(first, Paragraph)
        assert (first.text, [s for s in first.spans if s.style == "ruby"]) == (text, [span])
    pre = parse_html("<pre><ruby>漢字<rt>かんじ</rt></ruby></pre>").blocks[0]
    assert "ruby" not in repr(pre)


def test_ruby_breaks_as_one_unit_unless_wider_than_the_line() -> None:
    page = "<p>あいうえおかきくけこ<ruby>漢字<rt>かんじ</rt></ruby>です。</p>"
    lines = [line.text for line in body(page, 24)]
    assert lines == ["あいうえおかきくけこ", "漢字(かんじ)です。"]
    narrow = [line.text for line in body(page, 8)]
    assert "".join(narrow) == "あいうえおかきくけこ漢字(かんじ)です。"
    assert all(cell_width(line) <= 8 for line in narrow)
    # The reading's parentheses stay ASCII: the unit is protected from the fixer.
    assert "(かんじ)" in "".join(narrow)


_CJK = st.sampled_from(list("软件台风发布颱風發佈了的是在廣东广東漢字かなカナ"))
_PUNCT = st.sampled_from(list(",.:;?!()，。、；：？！（）「」“”"))
_LATIN = st.sampled_from(["", "a", "Z", "1", "2021"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.lists(_CJK, min_size=1, max_size=4), _LATIN, _PUNCT)),
    st.integers(min_value=10, max_value=30),
    st.sampled_from(["keep", "hans", "hant", "hant-tw", "hant-hk"]),
)
def test_conversion_keeps_widths_and_closing_marks_off_line_starts(
    pieces: list[tuple[list[str], str, str]], width: int, script: Target
) -> None:
    # Short words and single marks: no unit wider than the line, which would have to fold.
    text = "".join("".join(han) + latin + mark for han, latin, mark in pieces)
    lines = [line.text for line in body(f"<p>{escape(text)}</p>", width, script=script)]
    for line in lines:
        assert cell_width(line) <= width
    for line in lines[1:]:
        assert line[:1] not in NO_START, lines
