"""Layout never exceeds the width and never loses text, whatever the clusters and links,
and takes time linear in the text (issue 14.3, issue 12.5 next to links)."""

from __future__ import annotations

import html
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.text.breaker import cell_width, clusters
from tui.core.text.layout import render_article
from tui.core.text.lines import MAX_WIDTH

LINK = "http://example.com/news/2021/0421"
RI = "\U0001f1ef\U0001f1f5\U0001f1f0\U0001f1f7"
pieces = st.one_of(
    st.text(st.sampled_from("廣東省級數據中臺歸集已超億條"), min_size=1, max_size=10),
    st.text(st.sampled_from("ＡＢＣｘｙｚ０１２３，．－"), min_size=1, max_size=8),
    st.text(st.sampled_from(RI), min_size=1, max_size=9),
    st.text(st.sampled_from("\u1100\u1161\u11a8"), min_size=1, max_size=6),
    st.sampled_from(["e\u0301\u0301", "漢\u0e33", "か\u3099", "한\u1161", "。", "（", "）", "”"]),
    st.sampled_from([" ", "abc", "2018-2020", "x.png", "“", "라고"]),
)
texts = st.lists(pieces, min_size=1, max_size=30).map("".join)


def _body(before: str, link_text: str, after: str) -> str:
    return (
        f"<p>{html.escape(before)}<a href='{LINK}'>{html.escape(link_text)}</a>"
        f"{html.escape(after)}</p>"
    )


def _solid(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, texts, texts, st.integers(min_value=1, max_value=40))
def test_random_text_with_links_lays_out_within_the_width(
    before: str, link_text: str, after: str, width: int
) -> None:
    article = render_article(_body(before, link_text, after), width)
    body = [line.text for line in article.lines]
    assert all(cell_width(line) <= width for line in body), body
    wide = max(map(cell_width, clusters(before + link_text + after)))
    if width >= wide and "?" not in before + link_text + after:
        roles = [line.segments[0][1] for line in article.lines]
        end = roles.index("meta-label") if "meta-label" in roles else len(roles)
        number = "[1]" if article.links else ""
        assert _solid("".join(body[:end])) == _solid(f"{before}{link_text}{number}{after}")


@pytest.mark.parametrize("text", ["漢字", "\u1100\u1100\u1100", "漢\u0e33", RI * 3, "e\u0301" * 3])
@pytest.mark.parametrize("width", [1, 2, 3])
def test_a_cluster_wider_than_the_line_shows_as_a_question_mark(text: str, width: int) -> None:
    article = render_article(f"<p>{text}</p>", width, title=text, header=[("T", text)])
    assert all(cell_width(line.text) <= width for line in article.lines)


def test_a_rule_at_an_absurd_width_is_clamped() -> None:
    article = render_article("<p>a</p><hr><p>b</p>", 10**10)
    assert max(cell_width(line.text) for line in article.lines) == MAX_WIDTH


def _timed(source: str) -> float:
    t0 = time.perf_counter()
    render_article(source, 40)
    return time.perf_counter() - t0


@pytest.mark.parametrize(
    "unit",
    [
        RI,
        "\u1100\u1161 ",
        "漢\u0e33e\u0301",
        "ＡＢＣ１２３，",
        f"<a href='{LINK}'>見</a>。",
        "“라고”",
    ],
)
def test_layout_time_grows_linearly(unit: str) -> None:
    # The best of three runs each: the machine is shared, and one slow run is noise.
    small = min(_timed(f"<p>{unit * 1_000}</p>") for _ in range(3))
    large = min(_timed(f"<p>{unit * 10_000}</p>") for _ in range(3))
    assert large < 40 * small + 0.5, (small, large)  # quadratic would be 100 times
