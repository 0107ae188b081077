from __future__ import annotations

from tui.core.feeds.opml import Subscription, read_subscriptions, write_opml
from tui.core.models import SavedQuery

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
