"""Rows and article lines as Text: exact widths with CJK, literal markup, local dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from rich.text import Text

from tui.core.models import Entry, Feed
from tui.core.text.breaker import cell_width
from tui.core.text.lines import Line
from tui.ui.render import entry_row, feed_row, fit, format_date, line_text
from tui.ui.views import View
from tui.ui.widgets.feed_list import build_rows

NOW = datetime(2024, 5, 20, 12, 0, tzinfo=UTC)
HOSTILE = ["[@click=app.quit]q[/]", "[/]", "[bold]x", "\x1b[31mred\x1b]0;pwned\x07", ":skull:"]


def entry(title: str, **changes: object) -> Entry:
    values: dict[str, object] = {
        "id": 1,
        "feed_id": 1,
        "feed_url": "https://example.org/feed",
        "feed_title": "Example",
        "guid": "g",
        "link": "https://example.org/1",
        "title": title,
        "published": NOW - timedelta(days=3),
    }
    values.update(changes)
    return Entry(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("width", [20, 37, 60, 101])
@pytest.mark.parametrize(
    "title",
    [
        "Plain title",
        "臺灣的新聞標題很長很長很長很長很長很長很長",
        "日本語のタイトルです。とても長い",
        "🇯🇵👨‍👩‍👧‍👦 emoji",
    ],
)
def test_entry_rows_are_exactly_the_width(title: str, width: int) -> None:
    for show_feed in (False, True):
        row = entry_row(entry(title, feed_title="新聞台"), width, now=NOW, show_feed=show_feed)
        assert row.cell_len == width
        assert cell_width(row.plain) == width


def test_titles_are_cut_with_an_ellipsis_on_a_cell_boundary() -> None:
    row = entry_row(entry("中文標題" * 10), 30, now=NOW, show_feed=False)
    title = row.plain[10:]
    assert "…" in title
    assert cell_width(title) == 20


@pytest.mark.parametrize("title", HOSTILE)
def test_markup_and_escapes_are_shown_literally(title: str) -> None:
    row = entry_row(entry(title, feed_title=title), 80, now=NOW, show_feed=True)
    assert "\x1b" not in row.plain and "\x07" not in row.plain
    assert row.spans == [] or all(isinstance(s.style, object) for s in row.spans)
    printable = title.replace("\x1b[31m", "").replace("\x1b]0;pwned\x07", "")
    assert printable in row.plain
    rendered = feed_row(title, 3, 30)
    assert printable[:20] in rendered.plain


def test_dates_are_local_time_today_and_dates_before() -> None:
    assert format_date(NOW - timedelta(hours=2), NOW) == "10:00"
    assert format_date(NOW - timedelta(days=2), NOW) == "05-18"
    assert format_date(NOW - timedelta(days=200), NOW) == "2023"
    assert format_date(None, NOW) == ""


def test_unread_and_star_markers() -> None:
    fresh = entry_row(entry("t", read=False, starred=True), 40, now=NOW, show_feed=False)
    old = entry_row(entry("t", read=True, starred=False), 40, now=NOW, show_feed=False)
    assert fresh.plain.startswith("●★")
    assert old.plain.startswith("  ")


def test_fit_pads_and_cuts() -> None:
    assert fit("ab", 4) == "ab  "
    assert cell_width(fit("漢字漢字漢字", 5)) == 5
    assert fit("x", 0) == ""


def test_line_segments_become_styled_text() -> None:
    line = Line((("Hello ", "text"), ("[bold]", "strong")))
    text = line_text(line)
    assert isinstance(text, Text)
    assert text.plain == "Hello [bold]"
    assert any(span.style and "bold" in str(span.style) for span in text.spans)


def test_feed_rows_group_by_tag_untagged_last() -> None:
    feeds = [
        Feed(1, "https://a/", "A", tags=("news",), unread=2),
        Feed(2, "https://b/", "B", unread=1, error="HTTP 404 Not Found"),
        Feed(3, "https://c/", "C", tags=("news", "tech")),
    ]
    rows = build_rows(feeds, unread=3, starred=1, search=View("search", "中文"))
    labels = [row.label for row in rows]
    assert labels == [
        "All", "Unread", "Starred", "Search: 中文",
        "news", "A", "C", "tech", "C", "Untagged", "B",
    ]  # fmt: skip
    assert rows[labels.index("B")].failing
    assert rows[labels.index("news")].count == 2
    assert rows[labels.index("Untagged")].view is None
    assert feed_row("B", 1, 20, failing=True).plain.startswith("!")
