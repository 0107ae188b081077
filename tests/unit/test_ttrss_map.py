"""tt-rss's JSON to sync types, fed what a broken or hostile server could send."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tui.core.sync.ttrss_map import (
    as_int,
    category_titles,
    headline_ids,
    remote_entries,
    remote_feeds,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _row(**fields: Any) -> dict[str, Any]:
    return {"id": 7, "feed_id": 3, "title": "T", "unread": True, "marked": False, **fields}


def test_content_that_is_not_a_list_of_objects_gives_nothing() -> None:
    for content in (None, "x", 3, {"id": 1}, [None, "x", 3, []]):
        assert list(remote_entries(content, NOW)) == []
        assert remote_feeds(content, {}) == []
        assert category_titles(content) == {}
        assert headline_ids(content) == []


def test_ids_are_integers_sent_as_numbers_or_digits() -> None:
    assert [as_int(v) for v in (5, "5", " 6 ", "-4")] == [5, 5, 6, -4]
    assert [as_int(v) for v in (True, 1.5, "x", "9" * 30, None, [1], "--4", "١٢")] == [None] * 8


def test_rows_without_an_id_are_skipped_and_the_rest_kept() -> None:
    rows = [_row(id=None), _row(id="abc"), _row(id="12")]
    assert [e.remote_id for e in remote_entries(rows, NOW)] == ["12"]


def test_marks_are_only_what_the_server_plainly_says() -> None:
    rows = [
        _row(id=1, unread=False, marked=True),
        _row(id=2, unread="false", marked="true"),
        _row(id=3),
    ]
    marks = [(e.read, e.starred) for e in remote_entries(rows, NOW)]
    assert marks == [(True, True), (False, False), (False, False)]


def test_hostile_fields_are_cleaned() -> None:
    row = _row(
        title="\x1b[2JBad\u202e \ud800title &lt;b&gt;",
        link="javascript:alert(1)",
        author=["not", "text"],
        content="<p>ok</p>\x1b]8;;http://evil\x07",
        tags=["", "a", 3, "a", "\x00b"],
        labels=[[1, "Later"], "junk", [2]],
        attachments=[{"content_url": "data:x"}, {"content_url": "https://e.com/x.mp3"}, "junk"],
        guid="\x1b" + "g" * 5000,
    )
    [entry] = list(remote_entries([row], NOW))
    parsed = entry.entry
    assert parsed.title == "Bad title <b>"
    assert parsed.link is None
    assert parsed.author == ""
    assert parsed.content == "<p>ok</p>"
    assert parsed.categories == ("a", "b", "Later")
    assert [e.url for e in parsed.enclosures] == ["https://e.com/x.mp3"]
    assert parsed.guid is not None and len(parsed.guid) == 1000


def test_an_untitled_entry_is_titled_from_its_body() -> None:
    [entry] = list(remote_entries([_row(title="", content="<p>First words here.</p>")], NOW))
    assert entry.entry.title == "First words here."


def test_dates_out_of_range_or_of_the_wrong_type_are_dropped() -> None:
    stamps = [1_700_000_000, 0, -5, 10**20, "1700000000", True, 4_000_000_000]
    dates = [e.entry.published for e in remote_entries([_row(updated=s) for s in stamps], NOW)]
    assert dates == [datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)] + [None] * 6


def test_feeds_need_an_http_address_and_take_their_category() -> None:
    categories = category_titles(
        [{"id": 4, "title": "Tech &amp; more"}, {"id": -1, "title": "Special"}]
    )
    assert categories == {4: "Tech & more"}
    rows = [
        {"id": 1, "feed_url": "https://e.com/a.xml", "title": "A", "cat_id": 4},
        {"id": 2, "feed_url": "file:///etc/passwd", "title": "B", "cat_id": 0},
        {"id": 3, "feed_url": "http://e.com/c.xml", "title": "C\x07", "cat_id": 99},
        {"id": -1, "feed_url": "https://e.com/v.xml", "title": "Virtual"},
    ]
    feeds = remote_feeds(rows, categories)
    assert [(f.remote_id, f.title, f.categories) for f in feeds] == [
        ("1", "A", ("Tech & more",)),
        ("3", "C", ()),
    ]
