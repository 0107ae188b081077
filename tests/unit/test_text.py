"""Cell widths and the CJK-aware line breaker (tui.core.text.breaker).

The properties are checked against an oracle written from the rules in cjk-rules.md, not
from the implementation. The oracle only commits where the rules are clear. A boundary
between two clusters is *legal* (whitespace not next to a closing/opening mark; between
two ideographs, kana or emoji; between one of those and a Latin letter), or illegal as
*spaced* kinsoku (a closing mark after a space, an opening mark before one), *word*
(inside a Latin or full-width word, number or URL, a prefix sign and its digits,
anything touching Hangul), *glued* (a link number ``[5]`` after what it follows),
*kinsoku* (a closing mark right after it, an opening mark right before it) or *glue*
(inside ``——``/``……``), or it is left open (soft cases such as ``258|億``, a break after an
ASCII comma ending a Chinese clause).

"Unavoidable" is defined on that basis. A *unit* is a run of clusters joined by
boundaries that are not legal (whitespace inside it counts). A line may start with a
closing mark or end with an opening one only when the unit around that break is wider
than the line, and the unit's part on that line holds no spaced or word boundary (a
unit is cut inside its words before a closing mark starts a line: ``2018|.png``). A
word may be split only when the line before the split holds no legal or spaced
boundary, and ``——``/``……`` only when it holds no better boundary at all.
"""

from __future__ import annotations

import subprocess
import sys
import time
import unicodedata
from bisect import bisect_left
from itertools import accumulate, pairwise
from pathlib import Path

import pytest
import regex
import wcwidth
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tui.core.text import tables as bt
from tui.core.text.breaker import (
    WrapOptions,
    add_cjk_spacing,
    cell_width,
    clusters,
    pad,
    truncate,
    wrap,
    wrap_spans,
)

# --- the oracle ----------------------------------------------------------------------

NO_START = frozenset(
    "，。、；：？！）」』】〕〉》”’…‥ー々ゝゞ〙〗〟»‐〜゠–‼⁇⁈⁉・·‧．ヽヾ〻‰°℃′″,.;:?!)]}%％"
)
NO_END = frozenset("（「『【〔〈《“‘«〝〘〖([{")
PREFIX = frozenset("$¥£€#№")
SMALL_KANA = frozenset("ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
INSEPARABLE = frozenset("—…‥")
FULLWIDTH_JOINERS = frozenset("．，：；！？％～－／＿＠＆＊＋＝＜＞＾｀｜＂＇＼")
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_HAN = regex.compile(r"\p{Han}")


def is_space(c: str) -> bool:
    return all(ch.isspace() and ch not in "\u00a0\u2007\u202f" for ch in c)


def is_emoji(c: str) -> bool:
    if any(
        ch in "\u200d\ufe0f\u20e3" or 0x1F3FB <= ord(ch) <= 0x1F3FF or 0x1F1E6 <= ord(ch) <= 0x1F1FF
        for ch in c
    ):
        return True
    return wcwidth.wcwidth(c[0]) == 2 and unicodedata.category(c[0]) == "So"


def is_hangul(c: str) -> bool:
    cp = ord(c[0])
    return 0xAC00 <= cp <= 0xD7A3 or 0x1100 <= cp <= 0x11FF


def is_alnum(c: str) -> bool:
    return c[0].isascii() and c[0].isalnum() and not is_emoji(c)


def is_plain_cjk(c: str, *, at_start: bool = False, strict: bool = False) -> bool:
    """An ideograph, kana or emoji that may stand on either side of a break."""
    if is_emoji(c) or _HAN.match(c):
        return True
    if not _KANA.match(c) or c[0] in NO_START:
        return False
    return not (at_start and strict and c[0] in SMALL_KANA)


def cells(c: str, ambiguous: int = 1) -> int:
    if is_space(c):
        return 2 if any(unicodedata.east_asian_width(ch) in "WF" for ch in c) else 1
    return max(0, wcwidth.wcswidth(c, ambiguous_width=ambiguous))


def is_wide(c: str) -> bool:
    return is_emoji(c) or unicodedata.east_asian_width(c[0]) in "WF"


def boundary(
    x: str, y: str, spaced: bool, strict: bool, after_wide: bool = False, glued: bool = False
) -> str | None:
    """'legal', 'spaced', 'word', 'glued', 'kinsoku', 'glue' or None (left open).

    The illegal kinds in the order the breaker gives them up when a unit is wider than
    the line: kinsoku across a space first, then word integrity, then link numbers, then
    kinsoku, then the two-em marks. ``after_wide`` says ``x`` is an ASCII closing mark
    ending a Chinese clause (``九,2017年``): the rules say nothing firm about breaking
    after it. ``glued`` says ``y`` opens a link number (``[5]``) right after ``x``.
    """
    starts_badly = y[0] in NO_START or (strict and y[0] in SMALL_KANA)
    if spaced:
        return "spaced" if starts_badly or x[0] in NO_END else "legal"
    if x[0] == y[0] and x[0] in INSEPARABLE:
        return "glue"
    if glued:
        return "glued"
    if after_wide:
        return "kinsoku" if starts_badly else None
    if x[0] in PREFIX and y[0].isdecimal() and not is_emoji(y):
        return "word"
    if not (is_wide(x) or is_wide(y)):  # a Latin word, number or URL, or brackets round one
        return "kinsoku" if x[0] in NO_END or starts_badly else "word"
    if starts_badly or x[0] in NO_END:
        return "kinsoku"
    if is_hangul(x) or is_hangul(y):
        return "word"
    if is_plain_cjk(y, at_start=True, strict=strict) and (
        is_plain_cjk(x) or (is_alnum(x) and not x[0].isdigit()) or x[0] in NO_START
    ):
        return "legal"
    if is_plain_cjk(x) and is_alnum(y):
        return "legal"
    return None


def clause_end(units: list[str], p: int) -> bool:
    """Whether units[p] is in a run of narrow closing marks right after a wide cluster."""

    def narrow_closer(u: str) -> bool:
        return u[0] in NO_START and u[0] not in INSEPARABLE and not is_wide(u)

    if not narrow_closer(units[p]):
        return False
    while p >= 0 and narrow_closer(units[p]):
        p -= 1
    return p >= 0 and is_wide(units[p])


def is_fullwidth_alnum(u: str) -> bool:
    return len(u) == 1 and "\uff01" <= u <= "\uff5e" and u.isalnum()


def in_fullwidth_words(units: list[str]) -> list[bool]:
    """Which units belong to a full-width word: its letters and digits, and runs of
    full-width joiners (``．，：－／``) between two of them (``１，２４０``)."""
    inside = [is_fullwidth_alnum(u) for u in units]
    p = 0
    while p < len(units):
        q = p
        while q < len(units) and units[q] in FULLWIDTH_JOINERS:
            q += 1
        if q > p and p > 0 and q < len(units) and inside[p - 1] and inside[q]:
            inside[p:q] = [True] * (q - p)
        p = max(q, p + 1)
    return inside


def halfwidth(u: str) -> str:
    return chr(ord(u) - 0xFEE0)


BETTER = {
    "word": {"legal", "spaced"},
    "glued": {"legal", "spaced", "word"},
    "kinsoku": {"spaced", "word", "glued"},
    "glue": {"legal", "spaced", "word", "glued", "kinsoku"},
}


class Oracle:
    """One paragraph analysed once, so its rules can be checked at many widths."""

    def __init__(self, text: str, options: WrapOptions = WrapOptions()) -> None:
        self.text = text
        self.options = options
        self.units = units = regex.findall(r"\X", text)
        starts = list(accumulate(map(len, units), initial=0))
        self.index = {offset: i for i, offset in enumerate(starts)}
        self.cum = list(accumulate((cells(u, options.ambiguous_width) for u in units), initial=0))
        # Boundary kinds between consecutive non-space clusters, keyed by the left one.
        self.solid = solid = [i for i, u in enumerate(units) if not is_space(u)]
        self.kind: dict[int, str | None] = {}
        self.following: dict[int, int] = {}
        self.preceding: dict[int, int] = {}
        fullwidth = in_fullwidth_words(units)
        link_numbers = {self.index[m.start()] for m in regex.finditer(r"(?<=\S)\[[0-9]+\]", text)}
        for p, q in pairwise(solid):
            spaced = q > p + 1
            x, y = units[p], units[q]
            if fullwidth[p] and fullwidth[q] and not spaced:  # as its half-width twin
                x, y = halfwidth(x), halfwidth(y)
            self.kind[p] = boundary(
                x, y, spaced, options.strict_kana, clause_end(units, p), q in link_numbers
            )
            self.following[p] = q
            self.preceding[q] = p

    def span_width(self, a: int, b: int) -> int:
        return self.cum[b] - self.cum[a]

    def unit_end(self, q: int) -> int:
        """One past the last cluster joined to cluster ``q`` by boundaries not legal."""
        while q in self.kind and self.kind[q] != "legal":
            q = self.following[q]
        return q + 1

    def unit_start(self, p: int) -> int:
        while p in self.preceding and self.kind[self.preceding[p]] != "legal":
            p = self.preceding[p]
        return p

    def lines(self, width: int) -> list[tuple[int, int]]:
        """The breaker's lines as cluster ranges, checked to lose nothing and split no cluster."""
        text, units, index = self.text, self.units, self.index
        spans = wrap_spans(text, width, self.options)
        lines: list[tuple[int, int]] = []
        previous = 0
        for a, b in spans:
            assert a in index and b in index, f"cluster split at {a}:{b} in {text!r}"
            ia, ib = index[a], index[b]
            assert previous <= a < b
            assert is_space(text[previous:a]) or previous == a, text[previous:a]
            assert not is_space(units[ia]) and not is_space(units[ib - 1])
            lines.append((ia, ib))
            previous = b
        assert previous == len(text) or is_space(text[previous:])
        assert spans or not text or is_space(text)
        assert wrap(text, width, self.options) == [
            text[a:b].replace("\n", " ").replace("\r", " ").replace("\t", " ") for a, b in spans
        ]
        return lines

    def check(self, width: int) -> None:
        """Assert every rule of the breaker at one width."""
        units, kind, solid = self.units, self.kind, self.solid
        lines = self.lines(width)
        for n, (ia, ib) in enumerate(lines):
            w = self.span_width(ia, ib)
            assert w <= width or ib - ia == 1, f"line {n} is {w} cells > {width}: {units[ia:ib]}"
            if n + 1 == len(lines):
                break
            p, q = ib - 1, lines[n + 1][0]
            x, y = units[p], units[q]
            line_text = "".join(units[ia:ib])
            split = kind[p]
            if split in BETTER:
                # A kinsoku split is checked within its unit's part of the line: the line
                # may end a shorter unit before folding one wider than itself.
                first = ia if split != "kinsoku" else max(ia, self.unit_start(p))
                inner = solid[bisect_left(solid, first) : bisect_left(solid, ib) - 1]
                better = BETTER[split]
                assert all(kind[s] not in better for s in inner), (
                    f"{split} split after {line_text!r} though the line could break earlier"
                )
            if y[0] in NO_START or x[0] in NO_END:
                assert self.span_width(self.unit_start(p), self.unit_end(q)) > width, (
                    f"avoidable kinsoku at {line_text!r}|{y!r}"
                )
            # No waste: the next unit would not have fitted on this line.
            room = width - w - self.span_width(ib, q)
            nxt = self.span_width(q, self.unit_end(q))
            if self.options.phrases:  # documented: a phrase may leave a quarter of the line
                assert nxt > room or width - w <= width // 4, line_text
            else:
                assert nxt > room, f"{line_text!r} had room for {units[q : self.unit_end(q)]}"


def check_paragraph(text: str, width: int, options: WrapOptions = WrapOptions()) -> None:
    """Assert every rule of the breaker on one paragraph at one width."""
    Oracle(text, options).check(width)


# --- generated paragraphs ------------------------------------------------------------

HAN = "廣東省級數據中臺歸集已超億條年月日在艾媒咨詢張毅看來具備很多能拿下政府網上務服力"
KANA = (
    "あいうえおかきくけこさしすせそたちつてとアイウエオカキクケコサシスセソタチツテトぁっゃょァッャ"
)
HANGUL = "서울특별시이며약천만명입니다한국어뉴스"
EMOJI = ["👨\u200d👩\u200d👧\u200d👦", "🇯🇵", "🇰🇷", "👍🏽", "❤️", "1️⃣", "😀"]
COMBINING = ["e\u0301", "か\u3099", "a\u0308\u0301"]
PUNCT = (
    list("，。、；：？！）」』】〕〉》”’…‥ー々ゝゞ")
    + list(",.;:?!)]}%")
    + list("（「『【〔〈《“‘([{")
)
SPACES = [" ", " ", " ", "  ", "\n", "\u3000"]


def _run(alphabet: str, low: int, high: int) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(alphabet), min_size=low, max_size=high)


token = st.one_of(
    _run(HAN, 1, 12),
    _run(KANA, 1, 8),
    _run(HANGUL, 1, 6),
    _run("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 1, 12),
    _run("0123456789", 1, 8),
    _run("０１２３４５６７８９", 1, 4),
    st.sampled_from(PUNCT),
    st.sampled_from(["——", "……", "$", "¥", "https://example.com/a-b"]),
    st.sampled_from(["( ", "「 ", " )", " 」", " :", " ,", "« ", " »"]),
    st.sampled_from(EMOJI),
    st.sampled_from(COMBINING),
    st.sampled_from(SPACES),
    _run("ＡＢＣｘｙｚ０１２３", 1, 6),
    st.sampled_from([*"，．－／％", "[5]", "[12]", "\u1100\u1100\u1100", "漢\u0e33"]),
    _run("\U0001f1ef\U0001f1f5\U0001f1f0", 1, 7),
)
paragraphs = st.lists(token, max_size=40).map("".join)
options = st.builds(WrapOptions, strict_kana=st.booleans(), ambiguous_width=st.sampled_from([1, 2]))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs, st.integers(min_value=2, max_value=120), options)
# Found by this test: ％ (a postfix unit) after a space, and a kinsoku chain holding a
# link number that is wider than the line.
@example("，é ％", 4, WrapOptions())
@example("上上[5]，", 5, WrapOptions())
def test_every_rule_holds_on_generated_text(text: str, width: int, opts: WrapOptions) -> None:
    check_paragraph(text, width, opts)


korean = st.lists(
    st.one_of(_run(HANGUL, 1, 8), _run("0123456789", 1, 4), st.sampled_from([",", ".", "?"])),
    min_size=1,
    max_size=12,
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(korean, st.integers(min_value=2, max_value=40))
def test_korean_breaks_only_between_words_unless_a_word_is_too_wide(text: str, width: int) -> None:
    check_paragraph(text, width)
    words = text.split()
    for line in wrap(text, width):
        for piece in line.split(" "):
            if piece not in words:  # a piece of a folded word: only when the word is too wide
                assert any(piece in w and cell_width(w) > width for w in words), piece


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(_run(HAN, 1, 10), _run(KANA, 1, 10), st.sampled_from(PUNCT)), max_size=30
    ).map("".join),
    st.integers(min_value=2, max_value=60),
)
def test_phrase_preference_keeps_every_rule(text: str, width: int) -> None:
    check_paragraph(text, width, WrapOptions(phrases=True))


# --- the cases from cjk-rules.md -----------------------------------------------------


@pytest.mark.parametrize("width", range(3, 40))
def test_ascii_comma_in_chinese_never_starts_a_line(width: int) -> None:
    text = "在艾媒咨詢CEO張毅看來,廣東具備很多能拿下省級政府網上政務服務能力桂冠的優勢,例如說"
    lines = wrap(text, width)
    assert all(not line.startswith(",") for line in lines)
    assert any("CEO" in line for line in lines)
    check_paragraph(text, width)


def test_family_emoji_is_never_split() -> None:
    family = "👨\u200d👩\u200d👧\u200d👦"
    text = f"全家{family}旅行"
    assert wrap(text, 4) == ["全家", f"{family}旅", "行"]
    assert wrap(text, 5) == ["全家", f"{family}旅", "行"]
    assert wrap(text, 6) == [f"全家{family}", "旅行"]


@pytest.mark.parametrize("width", range(2, 40))
def test_korean_sentence_breaks_only_at_spaces(width: int) -> None:
    text = "서울특별시이며 약 천만 명입니다"
    words = text.split()
    for line in wrap(text, width):
        for piece in line.split(" "):
            assert piece in words or any(piece in w and cell_width(w) > width for w in words)
    if width >= 14:
        assert wrap(text, width)[0].startswith("서울특별시이며")


@pytest.mark.parametrize("width", range(2, 30))
def test_two_em_dash_and_ellipsis_stay_whole(width: int) -> None:
    text = "廣東能舉辦峰會，有其底氣所在——廣東已經連續兩年……位居全國首位。"
    lines = wrap(text, width)
    for before, after in pairwise(lines):
        for mark in "—…":
            assert not (before.endswith(mark) and after.startswith(mark)), (before, after)
    check_paragraph(text, width)


def test_word_then_space_then_long_cjk_run_wastes_nothing() -> None:
    text = "Hello world 在艾媒咨詢張毅看來廣東具備很多能拿下省級政府"
    lines = wrap(text, 20)
    assert lines[0] == "Hello world 在艾媒咨"
    assert all(cell_width(line) >= 19 for line in lines[:-1])


def test_number_with_its_cjk_unit_stays_together_when_it_costs_little() -> None:
    text = "廣東省級數據中臺歸集數據已超258億條"
    assert wrap(text, 10) == ["廣東省級數", "據中臺歸集", "數據已超", "258億條"]
    for width in range(29, 33):  # "258" would fit after 超, "258億" would not
        assert wrap(text, width) == ["廣東省級數據中臺歸集數據已超", "258億條"]
    for width in range(3, 40):
        assert all("25" not in line or "258" in line for line in wrap(text, width))


def test_ascii_comma_after_chinese_may_end_a_line_before_digits() -> None:
    # UAX #14 glues ",2017" (LB25); in Chinese text the comma ends the clause.
    text = "廣東省級政府網上政務服務能力指數居全國第九,2017年,上升為全國第四"
    assert wrap(text, 44) == [
        "廣東省級政府網上政務服務能力指數居全國第九,",
        "2017年,上升為全國第四",
    ]


def test_kinsoku_chain_wider_than_the_line_is_folded() -> None:
    assert wrap("「好。」", 4) == ["「好", "。」"]
    assert wrap("「好。」", 8) == ["「好。」"]
    assert wrap("わかった！？", 4) == ["わか", "った", "！？"]
    assert wrap("わかった！？", 6) == ["わかっ", "た！？"]


def test_closing_mark_pushes_the_previous_character_down() -> None:
    assert wrap("東京都は日本の首都です。", 22) == ["東京都は日本の首都で", "す。"]
    assert wrap("「東京都」は日本", 8) == ["「東京", "都」は日", "本"]


def test_strict_kana_keeps_small_kana_off_line_starts() -> None:
    text = "あいうえおちょっと"
    assert wrap(text, 12) == ["あいうえおち", "ょっと"]
    assert wrap(text, 12, WrapOptions(strict_kana=True)) == ["あいうえお", "ちょっと"]


def test_half_width_katakana_break_like_kana() -> None:
    assert wrap("ﾊﾟｿｺﾝﾃﾞｽｸﾄｯﾌﾟ", 5) == ["ﾊﾟｿｺﾝ", "ﾃﾞｽｸﾄ", "ｯﾌﾟ"]


def test_prolonged_sound_mark_never_starts_a_line() -> None:
    for width in range(4, 20):
        assert not any(line.startswith("ー") for line in wrap("あいコーヒーをください", width))


def test_marks_keep_their_side_across_spaces() -> None:
    assert wrap("Il a dit : oui", 10) == ["Il a dit :", "oui"]
    assert wrap("Bonjour : oui", 8) == ["Bonjour", ": oui"]
    text = "see the note ( in brackets ) and 「 這裡 」 too"
    for width in range(10, 40):  # from 10 cells, "brackets )" fits a line
        lines = wrap(text, width)
        assert not any(line.endswith(("(", "「")) for line in lines), lines
        assert not any(line.startswith((")", "」")) for line in lines), lines


@pytest.mark.parametrize("width", range(28, 60, 5))
def test_url_shorter_than_the_line_is_kept_whole(width: int) -> None:
    url = "https://example.com/a/b?c=1"
    for text in (f"請看 {url} 的說明文件與更多內容", f"請看{url}的說明文件與更多內容"):
        assert any(url in line for line in wrap(text, width)), wrap(text, width)


def test_url_wider_than_the_line_is_folded_to_the_width() -> None:
    url = "https://example.com/" + "x" * 50
    lines = wrap(url, 20)
    assert "".join(lines) == url
    assert [cell_width(line) for line in lines[:-1]] == [20] * (len(lines) - 1)


def test_paragraph_edges_newlines_and_width_below_one() -> None:
    assert wrap_spans("", 10) == []
    assert wrap_spans(" \n\u3000 ", 10) == []
    assert wrap_spans("  ab cd  ", 10) == [(2, 7)]
    assert wrap("ab\ncd", 10) == ["ab cd"]
    assert wrap("ab\ncd", 2) == ["ab", "cd"]
    assert wrap("漢字", 0) == ["漢", "字"]
    assert wrap("漢字", -3) == ["漢", "字"]


def test_ambiguous_width_two_counts_quotes_and_ellipsis_wide() -> None:
    text = "“引號”與……"
    assert cell_width(text) == 10
    assert cell_width(text, ambiguous_width=2) == 14
    for width in range(2, 16):
        check_paragraph(text, width, WrapOptions(ambiguous_width=2))


def test_phrases_prefer_budoux_boundaries() -> None:
    text = (
        "TextualはPythonの高速アプリケーション開発フレームワークです。"
        "ちょっと待ってください。きょうはとても暑いですね。"
    )
    assert wrap(text, 30)[2:] == ["す。ちょっと待ってください。き", "ょうはとても暑いですね。"]
    assert wrap(text, 30, WrapOptions(phrases=True))[2:] == [
        "す。ちょっと待ってください。",
        "きょうはとても暑いですね。",
    ]
    # A 42-cell phrase cannot move down whole: it is broken like any other text.
    assert wrap(text, 30, WrapOptions(phrases=True))[0] == "TextualはPythonの高速アプリ"


def test_phrases_fall_back_to_character_breaks_without_budoux() -> None:
    script = (
        "import sys; sys.modules['budoux'] = None\n"
        "from tui.core.text.breaker import wrap, WrapOptions\n"
        "print(wrap('ちょっと待ってください。きょうはとても暑いですね。', 10,"
        " WrapOptions(phrases=True)))\n"
    )
    repo = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=repo
    ).stdout
    assert out.strip() == str(wrap("ちょっと待ってください。きょうはとても暑いですね。", 10))


def test_pathological_paragraphs_stay_linear() -> None:
    def timed(text: str) -> tuple[float, list[tuple[int, int]]]:
        t0 = time.perf_counter()
        spans = wrap_spans(text, 80)
        return time.perf_counter() - t0, spans

    _, spans = timed("。" * 1_000_000)
    assert len(spans) == 25_000
    _, spans = timed("a" * 1_000_000)
    assert len(spans) == 12_500
    _, spans = timed("x" * 100_000)
    assert spans[0] == (0, 80)
    small, _ = timed("ab。" * 50_000)
    large, _ = timed("ab。" * 200_000)
    assert large < 12 * small + 0.1, (small, large)


def test_classes_listed_as_high_only_never_pair_below_word_level() -> None:
    for strict in (False, True):
        table = bt.pair_table(strict)
        for a in bt.HIGH_ONLY:
            for b in bt.HIGH_ONLY:
                assert table[a + b] >= bt.WORD, (a, b)


# --- widths, clusters, truncation ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abc", 3),
        ("漢字", 4),
        ("👨\u200d👩\u200d👧\u200d👦", 2),
        ("🇯🇵", 2),
        ("👍🏽", 2),
        ("❤️", 2),
        ("e\u0301", 1),
        ("か\u3099", 2),
        ("서울", 4),
        ("ｶﾀｶﾅ", 4),
        ("a\x00b", 2),
        ("\u200b", 0),
    ],
)
def test_cell_width(text: str, expected: int) -> None:
    assert cell_width(text) == expected


def test_clusters_keep_sequences_whole() -> None:
    family = "👨\u200d👩\u200d👧\u200d👦"
    assert clusters(f"a{family}🇯🇵e\u0301\r\n") == ["a", family, "🇯🇵", "e\u0301", "\r\n"]
    assert clusters("漢字") == ["漢", "字"]
    assert clusters("") == []


@pytest.mark.parametrize("width", range(0, 12))
def test_truncate_cuts_on_cluster_and_cell_boundaries(width: int) -> None:
    family = "👨\u200d👩\u200d👧\u200d👦"
    for text in (
        "漢字漢字漢字",
        f"全家{family}旅行",
        "ab漢字cd",
        "e\u0301e\u0301e\u0301e\u0301e\u0301",
    ):
        cut = truncate(text, width)
        assert cell_width(cut) <= width
        if cell_width(text) <= width:
            assert cut == text
        elif width >= 1:
            assert cut.endswith("…")
            assert text.startswith(cut[:-1])
            assert clusters(cut[:-1]) == clusters(text)[: len(clusters(cut[:-1]))]
            assert cell_width(cut) >= width - 2  # at most one wide cluster's gap
        assert cell_width(pad(text, width)) == width
        assert pad(text, width).startswith(cut)


def test_truncate_examples() -> None:
    assert truncate("漢字漢字", 5) == "漢字…"
    assert truncate("漢字漢字", 4) == "漢…"
    assert truncate("全家👨\u200d👩\u200d👧\u200d👦旅行", 7) == "全家👨\u200d👩\u200d👧\u200d👦…"
    assert truncate("Hello world", 7) == "Hello…"
    assert truncate("漢字", 1, ambiguous_width=2) == ""
    assert truncate("漢字", 3, ellipsis="...") == "..."
    assert pad("漢字漢字", 5) == "漢字…"
    assert pad("ab", 4) == "ab  "
    assert pad("abc", 0) == ""


# --- pangu-style spacing -------------------------------------------------------------


def test_add_cjk_spacing_examples() -> None:
    assert add_cjk_spacing("在艾媒咨詢CEO張毅看來,廣東") == "在艾媒咨詢 CEO 張毅看來, 廣東"
    assert add_cjk_spacing("2021年4月21日") == "2021 年 4 月 21 日"
    assert add_cjk_spacing("持股49%的公司") == "持股 49% 的公司"
    assert add_cjk_spacing("廣東(以下簡稱)召開") == "廣東 (以下簡稱) 召開"
    assert add_cjk_spacing("TextualはPythonの") == "Textual は Python の"
    assert add_cjk_spacing("서울Seoul") == "서울Seoul"
    assert add_cjk_spacing("「東京」と。") == "「東京」と。"


@settings(max_examples=150, deadline=None)
@given(paragraphs)
def test_add_cjk_spacing_only_adds_spaces_and_is_idempotent(text: str) -> None:
    spaced = add_cjk_spacing(text)
    assert add_cjk_spacing(spaced) == spaced
    assert spaced.replace(" ", "") == text.replace(" ", "")
    assert len(spaced) >= len(text)
