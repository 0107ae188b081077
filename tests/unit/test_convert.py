"""Script conversion, CJK punctuation, search folding and ruby text (tui.core.text)."""

from __future__ import annotations

import importlib.util
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.text import convert as convert_module
from tui.core.text import script_tables
from tui.core.text.breaker import cell_width, wrap
from tui.core.text.convert import (
    TARGETS,
    ArticleScript,
    Target,
    convert_text,
    converter,
    detect_script,
    evidence,
)
from tui.core.text.fold import fold_scripts
from tui.core.text.html.blocks import Paragraph
from tui.core.text.html.tree import parse_html
from tui.core.text.punctuation import fix_punctuation
from tui.core.text.ruby import ruby_text
from tui.core.text.tables import NOT_AT_START

ROOT = Path(__file__).resolve().parents[2]
SEED = Path("/work/shared/corpus/articles/zh-hant-news-guangdong.html")
if not SEED.exists():
    SEED = ROOT.parent.parent / "shared" / "corpus" / "articles" / SEED.name

SIMPLIFIED = "台风“山竹”过后，软件工程师们发布了新版本，信息安全问题得到了解决。"
TRADITIONAL = "颱風過後，臺灣的軟體工程師們發布了新版本，了解局限所在。"
JAPANESE = "東京の天気は晴れです。国会図書館で会議が開かれた。"
KOREAN = "大韓民國 헌법 제1조는 國民主權을 말한다."
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_WIDE_PUNCT = dict(zip(",:;?!()", "，：；？！（）", strict=True))


# --- script conversion ------------------------------------------------------------------


def test_simplified_to_each_traditional_target() -> None:
    assert convert_text(SIMPLIFIED, "hant") == (
        "颱風“山竹”過後，軟件工程師們發佈了新版本，信息安全問題得到了解決。"
    )
    assert convert_text(SIMPLIFIED, "hant-tw") == (
        "颱風“山竹”過後，軟體工程師們釋出了新版本，資訊安全問題得到了解決。"
    )
    assert convert_text(SIMPLIFIED, "hant-hk") == (
        "颱風“山竹”過後，軟件工程師們發佈了新版本，信息安全問題得到了解決。"
    )
    assert convert_text("出租车和方便面", "hant-tw") == "計程車和泡麵"


def test_traditional_to_simplified_and_never_onto_itself() -> None:
    assert (
        convert_text(TRADITIONAL, "hans")
        == "台风过后，台湾的软体工程师们发布了新版本，了解局限所在。"
    )
    for target in ("hant", "hant-tw", "hant-hk"):
        # s2t over this text would write 瞭解 and 侷限: it must not run.
        assert convert_text(TRADITIONAL, target) == TRADITIONAL
    assert convert_text(SIMPLIFIED, "hans") == SIMPLIFIED
    assert convert_text(SIMPLIFIED, "keep") == SIMPLIFIED


def test_detection() -> None:
    assert detect_script(SIMPLIFIED) == "hans"
    assert detect_script(TRADITIONAL) == "hant"
    assert detect_script(JAPANESE) is None
    assert detect_script(KOREAN) is None
    assert detect_script("中文 and English") is None
    assert detect_script("哈利・波特的电影") == "hans"
    assert evidence("后來并").traditional == 1  # 后 is Traditional too (皇后); 并 is not


def seed_paragraphs() -> list[str]:
    document = parse_html(SEED.read_text(encoding="utf-8"))
    return [block.text for block in document.blocks if isinstance(block, Paragraph)]


def test_seed_is_unchanged_under_traditional_targets_except_punctuation() -> None:
    paragraphs = seed_paragraphs()
    for target in ("hant", "hant-tw", "hant-hk"):
        article = ArticleScript(target, paragraphs)
        # The leftovers 后來 and 并 stay: the text is Traditional, not ours to correct.
        assert [article.convert(p) for p in paragraphs] == paragraphs
    fixed = [fix_punctuation(p) for p in paragraphs]
    assert "4月21日，廣東省政務服務數據管理局（以下簡稱“廣東政數局”）召開" in "".join(fixed)
    assert "1620787404686494.png" in fixed
    for before, after in zip(paragraphs, fixed, strict=True):
        assert len(before) == len(after)
        for a, b in zip(before, after, strict=True):
            assert a == b or _WIDE_PUNCT[a] == b


def test_seed_goes_to_simplified_whole() -> None:
    paragraphs = seed_paragraphs()
    article = ArticleScript("hans", paragraphs)
    out = [article.convert(p) for p in paragraphs]
    assert out[0] == "新闻动态"
    assert "广东省政务服务数据管理局" in out[3]


def test_japanese_and_korean_are_never_converted() -> None:
    for target in TARGETS:
        assert convert_text(JAPANESE, target) == JAPANESE
        assert convert_text(KOREAN, target) == KOREAN
    # A kanji-only heading of a Japanese article: 国会 would pass for Simplified alone.
    article = ArticleScript("hant", ["国会図書館", JAPANESE])
    assert article.convert("国会図書館") == "国会図書館"


def test_paragraphs_decide_alone_only_with_enough_evidence() -> None:
    quoted = "新华社报道说，这个软件的发布时间还没有确定。"
    article = ArticleScript("hant", ["臺灣新聞", TRADITIONAL, quoted, "床前明月光"])
    assert article.convert(quoted) == "新華社報道說，這個軟件的發佈時間還沒有確定。"
    # One telling character (OpenCC writes 牀) is too little: the article says Traditional.
    assert article.convert("床前明月光") == "床前明月光"
    simplified = ArticleScript("hant-tw", [SIMPLIFIED, "信息安全"])
    assert simplified.convert("信息安全") == "資訊安全"  # no telling character: the article's


def test_span_edges_move_with_the_conversion() -> None:
    article = ArticleScript("hant-tw", [SIMPLIFIED])
    text, moved = article.convert_cut("下载U盘软件", [2, 4])
    assert text == "下載隨身碟軟體"
    assert moved == {0: 0, 2: 2, 4: 5, 6: 7}
    same = ArticleScript("hant", [TRADITIONAL])
    assert same.convert_cut("中文English", [2, 99]) == ("中文English", {0: 0, 2: 2, 9: 9})


def test_unencodable_text_is_left_as_sent() -> None:
    convert = converter("hans", "hant")
    assert convert is not None
    assert convert("软件\ud800") == "软件\ud800"


def test_converters_are_built_once_per_config() -> None:
    converter("hans", "hant-hk")
    before = convert_module._opencc.cache_info()
    for _ in range(3):
        converter("hans", "hant-hk")
    after = convert_module._opencc.cache_info()
    assert after.misses == before.misses
    assert converter("hant", "hant") is None
    assert converter(None, "hans") is None


_WORDS = ["软件", "发布", "信息", "台风", "问题", "们", "了解", "方便面", "U盘", "中文", "2021年"]
_MARKS = ["", "", "，", "。", "（", "）", "“", "”", ",", " ", "(", ")", ":", " CEO "]
# A word, then at most one mark: every closing mark has a word before it to go down with.
_TOKENS = st.tuples(st.sampled_from(_WORDS), st.sampled_from(_MARKS)).map("".join)


@settings(max_examples=120, deadline=None)
@given(
    st.lists(_TOKENS, min_size=1, max_size=40),
    st.sampled_from(TARGETS),
    st.integers(min_value=12, max_value=60),
)
def test_conversion_keeps_widths_and_kinsoku(words: list[str], target: Target, width: int) -> None:
    text = "".join(words)
    converted = convert_text(text, target)
    # Only ideographs change, to ideographs: two cells a character. A phrase may take in a
    # Latin letter (U盘 -> 隨身碟) but never adds one; everything else stays in order.
    remaining = iter(_HAN.sub("", text))
    assert all(c in remaining for c in _HAN.sub("", converted))
    assert all(cell_width(c) == 2 for c in _HAN.findall(converted))
    lines = wrap(fix_punctuation(converted), width)
    assert all(cell_width(line) <= width for line in lines)
    assert all(line[0] not in NOT_AT_START for line in lines[1:] if line)


_TRADITIONAL_ONLY = script_tables.TRADITIONAL[200:400]


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=_TRADITIONAL_ONLY, min_size=2, max_size=30),
    st.text(alphabet="了解局限發布后台里於中文，。 ,abc123", max_size=30),
)
def test_traditional_input_is_identity_under_traditional_targets(trad: str, mixed: str) -> None:
    text = trad + mixed
    targets: tuple[Target, ...] = ("hant", "hant-tw", "hant-hk")
    for target in targets:
        assert convert_text(text, target) == text


# --- punctuation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("4月21日,廣東", "4月21日，廣東"),
        ("居全國第九,2017年,上升", "居全國第九，2017年，上升"),
        ("后來居上:2016年", "后來居上：2016年"),
        ("真的?不是吧!走", "真的？不是吧！走"),
        ("缺失?!坝缮", "缺失？！坝缮"),
        ("他說:“你好”", "他說：“你好”"),
        ("“粵省事”,2018年", "“粵省事”，2018年"),
        ("規劃(2018-2020年)》", "規劃（2018-2020年）》"),
        ("阿里巴巴(中國)網絡", "阿里巴巴（中國）網絡"),
        ("API(应用程序接口)是", "API（应用程序接口）是"),
        ("中文(注)(一),後面", "中文（注）（一），後面"),
        ("東京,大阪", "東京，大阪"),
        # left alone
        ("共1,240人", "共1,240人"),
        ("Hello, world (really)", "Hello, world (really)"),
        ("在 Hello, world 裡", "在 Hello, world 裡"),
        ("下午3:30開會", "下午3:30開會"),
        ("f(x)的值", "f(x)的值"),
        ("你好, 世界", "你好, 世界"),
        ("結尾,", "結尾,"),
        ("(未閉合的括號", "(未閉合的括號"),
        ("서울,부산(한국)", "서울,부산(한국)"),
        ("見http://a.com/(中)文", "見http://a.com/(中)文"),
        ("中文(http://a.com/x_(y))後", "中文（http://a.com/x_(y)）後"),
        ("CEO張毅看來,廣東", "CEO張毅看來，廣東"),
        # A pair nested in a widened one follows it, whichever side decided.
        ("”(())", "”（（））"),
        ("(a(中))文", "（a（中））文"),
        ("中(a(b)c)文", "中（a(b)c）文"),
    ],
)
def test_punctuation_cases(before: str, after: str) -> None:
    assert fix_punctuation(before) == after


def test_protected_ranges_stay_as_written() -> None:
    text = "漢字(かんじ)と代碼a,b中,文"
    assert fix_punctuation(text, protected=[(0, 7)]) == "漢字(かんじ)と代碼a,b中，文"
    assert fix_punctuation("代碼中,文", protected=[(3, 4)]) == "代碼中,文"


_MIXED = st.text(alphabet="中文東京かなabcXYZ019 ,:;?!()/.“”，", max_size=60)


@settings(max_examples=300, deadline=None)
@given(_MIXED)
def test_punctuation_properties(text: str) -> None:
    out = fix_punctuation(text)
    assert len(out) == len(text)
    assert fix_punctuation(out) == out
    for i, (a, b) in enumerate(zip(text, out, strict=True)):
        if a == b:
            continue
        assert _WIDE_PUNCT[a] == b
        left = text[i - 1] if i else ""
        right = text[i + 1] if i + 1 < len(text) else ""
        # Never after Latin or a digit; never before a Latin letter.
        if a not in "()":
            assert not (left.isascii() and left.isalnum())
            assert not (right.isascii() and right.isalpha())


# --- search folding ---------------------------------------------------------------------


def test_folding_meets_across_scripts() -> None:
    assert fold_scripts("颱風") == fold_scripts("台风") == "台风"
    assert fold_scripts("防災") == fold_scripts("防灾") == "防灾"
    assert fold_scripts("桜") == fold_scripts("櫻") == fold_scripts("樱")
    assert fold_scripts("駅") == fold_scripts("驛") == fold_scripts("驿")
    # Everyday Chinese characters that only look like shinjitai stay themselves.
    assert fold_scripts("欠沪翻研芸") == "欠沪翻研芸"
    assert fold_scripts("abc 123 한국어 かな") == "abc 123 한국어 かな"
    assert fold_scripts("𡞵") == "㛟"  # supplementary ideographs too


def test_folding_is_idempotent_and_keeps_length() -> None:
    every = script_tables.TRADITIONAL + script_tables.SHINJITAI
    once = fold_scripts(every)
    assert len(once) == len(every)
    assert fold_scripts(once) == once


def test_checked_in_tables_match_opencc() -> None:
    generator_path = ROOT / "tests" / "tools" / "make_script_tables.py"
    spec = importlib.util.spec_from_file_location("gen", generator_path)
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    # If this fails after an OpenCC upgrade: regenerate, and migrate the search index.
    expected = generator.render(*generator.tables()).split("\n", 8)[8]
    actual = (ROOT / "tui" / "core" / "text" / "script_tables.py").read_text(encoding="utf-8")
    assert actual.split("\n", 8)[8] == expected


def test_folding_is_fast() -> None:
    text = "".join(seed_paragraphs()) * 3
    fold_scripts(text)
    start = time.perf_counter()
    for _ in range(20):
        fold_scripts(text)
    per_kb = (time.perf_counter() - start) / 20 / (len(text.encode()) / 1024)
    assert per_kb < 200e-6  # measured ~14 µs per KB; generous for a shared machine


# --- ruby -------------------------------------------------------------------------------


def test_ruby_text() -> None:
    assert ruby_text([("漢字", "かんじ")]) == ("漢字(かんじ)", 2)
    assert ruby_text([("漢", "かん"), ("字", "じ")]) == ("漢字(かんじ)", 2)
    assert ruby_text([("漢字", "かんじ")], "hide") == ("漢字", 2)
    assert ruby_text([("東京", " ")]) == ("東京", 2)
    assert ruby_text([("かな", "かな")]) == ("かな", 2)
    assert ruby_text([("", "よみ")]) == ("よみ", 2)
    assert ruby_text([("", "よみ")], "hide") == ("", 0)
