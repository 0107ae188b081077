"""The breaker's gaps found by held-out cases: full-width words, Hangul before closing
quotes, units folded below ten columns, link numbers, regional indicators and clusters
wider than two cells."""

from __future__ import annotations

import time

import pytest

from tests.unit.test_text import check_paragraph
from tui.core.text.breaker import cell_width, clusters, wrap, wrap_spans

CLOSERS = tuple(",.;:!?)]}%。，、；：？！）」』】〕〉》”’")


def _starts_badly(lines: list[str]) -> list[str]:
    return [line for line in lines[1:] if line.startswith(CLOSERS)]


@pytest.mark.parametrize(
    ("half", "full", "word"),
    [
        ("增長12.5%達到", "增長１２．５％達到", "１２．５％"),
        (
            "網站www.example.com的",
            "網站ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ的",
            "ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ",
        ),
        ("型號ABC-123發布", "型號ＡＢＣ－１２３發布", "ＡＢＣ－１２３"),
        ("共1,240人", "共１，２４０人", "１，２４０"),
    ],
)
def test_full_width_words_stay_whole_like_half_width_ones(half: str, full: str, word: str) -> None:
    for width in range(cell_width(word), 40):
        lines = wrap(full, width)
        assert any(word in line for line in lines), (width, lines)
    for width in range(2, 40):
        check_paragraph(half, width)
        check_paragraph(full, width)


def test_full_width_comma_after_an_ideograph_still_ends_a_clause() -> None:
    assert wrap("居全國第九，２０１７年", 12) == ["居全國第九，", "２０１７年"]


@pytest.mark.parametrize("width", range(3, 24))
def test_closing_quote_after_hangul_never_starts_a_line(width: int) -> None:
    text = "그는 “안녕하세요”라고 말했다. ‘좋아요’라는 답이 왔다."
    lines = wrap(text, width)
    assert not any(line.startswith(("”", "’")) for line in lines), lines
    check_paragraph(text, width)


@pytest.mark.parametrize("width", [4, 5, 6, 7, 8, 9, 16])
def test_overlong_units_fold_without_a_closer_at_a_line_start(width: int) -> None:
    for text in (
        "看圖片1620787404686494.png。",
        "screenshot_of_the_long_report_2018.png",
        "檔名report.final.v2,請看",
        "規劃(2018-2020",
        "It said (approximately) so.",
    ):
        lines = wrap(text, width)
        assert not _starts_badly(lines), lines
        assert not any(line.endswith("(") for line in lines[:-1]), lines
        check_paragraph(text, width)


def test_the_width_nine_seed_does_not_end_a_line_with_an_opening_bracket() -> None:
    text = "廣東省政府發布《廣東省“數字政府”建設總體規劃(2018-2020年)》(以下簡稱)。"
    for width in range(4, 10):
        lines = wrap(text, width)
        assert not any(line.endswith("(") for line in lines[:-1]), lines
        check_paragraph(text, width)


@pytest.mark.parametrize("width", range(4, 40))
def test_link_numbers_are_glued_and_keep_kinsoku(width: int) -> None:
    for text in (
        "詳情見http://example.com/news/2021/0421[5]。",
        "請看這裡的公告頁面[3]。然後",
        "明記しています（https://example.jp/guide[4]）。",
    ):
        lines = wrap(text, width)
        tail = text[text.index("[") :].rstrip("然後")
        if width >= cell_width(tail):  # the number and its closers fit on one line
            assert not any(line.startswith(("。", "）")) for line in lines[1:]), lines
        assert not any(line.startswith("]") for line in lines), lines
        assert not any(line.endswith("（") for line in lines[:-1]), lines
        check_paragraph(text, width)


def test_link_number_moves_down_with_the_character_before_it() -> None:
    assert wrap("請看這裡的公告頁面[3]。然後", 8) == ["請看這裡", "的公告頁", "面[3]。", "然後"]


def test_a_citation_after_a_space_is_not_glued() -> None:
    assert wrap("word [5]", 4) == ["word", "[5]"]


@pytest.mark.parametrize("size", [64_000, 1_200_000])
def test_regional_indicator_runs_segment_in_linear_time(size: int) -> None:
    flags = "\U0001f1ef\U0001f1f5" * (size // 2)
    t0 = time.perf_counter()
    units = clusters(flags + "\U0001f1f0\u0301")
    spans = wrap_spans("看" + flags, 80)
    elapsed = time.perf_counter() - t0
    assert len(units) == size // 2 + 1
    assert units[-1] == "\U0001f1f0\u0301"
    assert spans[-1][1] == size + 1
    assert elapsed < 5, elapsed


def test_regional_indicators_pair_from_the_start_of_each_run() -> None:
    ri = [chr(0x1F1E6 + i) for i in range(5)]
    assert clusters("a" + "".join(ri) + "b" + "".join(ri[:2])) == [
        "a",
        ri[0] + ri[1],
        ri[2] + ri[3],
        ri[4],
        "b",
        ri[0] + ri[1],
    ]


@pytest.mark.parametrize(
    ("cluster", "cells"), [("\u1100\u1100\u1100", 6), ("漢\u0e33", 3), ("\u1100\u1161", 2)]
)
def test_clusters_wider_than_two_cells_are_measured_whole(cluster: str, cells: int) -> None:
    assert clusters(cluster) == [cluster]
    assert cell_width(cluster) == cells
    text = f"ab{cluster}cd{cluster}漢字"
    for width in range(cells, 20):
        assert all(cell_width(line) <= width for line in wrap(text, width))
