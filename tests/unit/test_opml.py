from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from tui.core.feeds.opml import Subscription, read_subscriptions, write_opml
from tui.core.models import SavedQuery
from tui.core.text.sanitize import clean_line

NESTED = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>x</title></head><body>
  <outline text="News">
    <outline text="中文">
      <outline text="人民" title="人民網" xmlUrl="http://example.org/zh.xml"/>
    </outline>
    <outline text="Bad" xmlUrl="javascript:alert(1)"/>
  </outline>
  <outline text="Loose" xmlUrl="https://example.com/feed" category="tech,/misc"/>
</body></opml>"""


def test_nested_outlines_become_tags_in_document_order() -> None:
    subs = read_subscriptions(NESTED)
    assert subs.subscriptions == [
        Subscription("http://example.org/zh.xml", "人民網", ("News", "中文")),
        Subscription("https://example.com/feed", "Loose", ("tech", "misc")),
    ]
    assert len(subs.skipped) == 1 and "not an http(s) URL" in subs.skipped[0]


def test_export_round_trips_urls_titles_and_tags() -> None:
    original = read_subscriptions(NESTED).subscriptions
    again = read_subscriptions(write_opml(original)).subscriptions
    assert {(s.url, s.title, frozenset(s.tags)) for s in again} == {
        (s.url, s.title, frozenset(s.tags)) for s in original
    }


def test_newsboat_urls_file() -> None:
    text = """# my feeds
http://example.org/a.xml news "~My Title" "two words"
https://example.org/b.xml   # a comment
"query:Unread Articles:unread = \\"yes\\""
exec:~/bin/script.sh
filter:~/bin/f.sh:http://example.org/c.xml
file:///etc/passwd
"""
    subs = read_subscriptions(text)
    assert subs.subscriptions == [
        Subscription("http://example.org/a.xml", "My Title", ("news", "two words")),
        Subscription("https://example.org/b.xml", "", ()),
    ]
    assert subs.queries == [SavedQuery("Unread Articles", 'unread = "yes"')]
    reasons = "\n".join(subs.skipped)
    assert "exec:" in reasons and "filter:" in reasons and "query:" not in reasons
    assert "file:///etc/passwd" in reasons


def test_deep_nesting_does_not_recurse() -> None:
    depth = 5000
    text = (
        "<opml version='2.0'><body>"
        + "<outline text='t'>" * depth
        + "<outline xmlUrl='https://example.org/deep'/>"
        + "</outline>" * depth
        + "</body></opml>"
    )
    subs = read_subscriptions(text)
    assert [s.url for s in subs.subscriptions] == ["https://example.org/deep"]


def test_tags_holding_commas_and_slashes_come_back_whole() -> None:
    tags = ("news,tech", "a/b", "/lead", "plain")
    subs = [Subscription("https://example.org/feed", "Feed", tags)]
    again = read_subscriptions(write_opml(subs)).subscriptions
    assert again == subs


def test_other_readers_still_see_a_folder_and_categories() -> None:
    text = write_opml([Subscription("https://example.org/feed", "Feed", ("news", "tech"))])
    outline = ET.fromstring(text).find("body/outline/outline")
    assert outline is not None and outline.get("category") == "news,tech"


def test_a_file_with_characters_xml_cannot_hold_still_imports() -> None:
    # What exporters that copy feed titles unchecked write (and yuedu once did).
    text = (
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline text="Bad\ufffe\x01 title" category="t\uffff" xmlUrl="https://example.org/a"/>'
        '<outline text="Fine" xmlUrl="https://example.org/b"/>'
        "</body></opml>"
    )
    assert read_subscriptions(text).subscriptions == [
        Subscription("https://example.org/a", "Bad title", ("t",)),
        Subscription("https://example.org/b", "Fine", ()),
    ]


ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=30)


@given(st.lists(st.tuples(ANY_TEXT, st.lists(ANY_TEXT, max_size=4)), min_size=1, max_size=6))
def test_any_titles_and_tags_survive_export_and_import_as_cleaned(
    feeds: list[tuple[str, list[str]]],
) -> None:
    subs = [
        Subscription(f"https://example.org/{n}", title, tuple(tags))
        for n, (title, tags) in enumerate(feeds)
    ]
    again = {s.url: s for s in read_subscriptions(write_opml(subs)).subscriptions}
    assert len(again) == len(subs)
    for sub in subs:
        tags = tuple(dict.fromkeys(t for t in map(clean_line, sub.tags) if t))
        assert again[sub.url] == Subscription(sub.url, clean_line(sub.title), tags)


def test_a_feeds_own_settings_travel_in_the_yuedu_namespace() -> None:
    subs = [
        Subscription("https://a.example/feed", "A", ("zh",), (("script", "hant-tw"),)),
        Subscription("https://b.example/feed", "B"),
    ]
    text = write_opml(subs)
    assert 'yuedu:script="hant-tw"' in text
    assert read_subscriptions(text).subscriptions == subs
    assert "xmlns:yuedu" not in write_opml(subs[1:])
    hostile = (
        '<opml version="2.0" xmlns:y="urn:x-yuedu:opml" xmlns:o="urn:other"><body>'
        '<outline xmlUrl="https://c.example/" y:script="hans&#x202e;" o:script="hant" '
        'y:Bad-Name="x" script="hant"/></body></opml>'
    )
    (only,) = read_subscriptions(hostile).subscriptions
    assert only.settings == (("script", "hans"),)
