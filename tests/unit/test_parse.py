"""parse_feed, find_feed_links and is_web_page on the real corpus and on hostile input."""

from __future__ import annotations

import contextlib
import pickle
import re
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.errors import ParseError
from tui.core.feeds.discover import find_feed_links, is_web_page
from tui.core.feeds.parse.feed import parse_feed
from tui.core.models import Enclosure, ParsedFeed

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "feeds"
URL = "https://example.com/blog/feed.xml"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def manifest() -> dict[str, list[str]]:
    lines = (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    return {line.split("\t")[0]: line.split("\t") for line in lines[1:] if line.strip()}


MANIFEST = manifest()
# Bytes the feed itself holds that no codec can decode; U+FFFD is the truth there.
BROKEN_BYTES = {"feedparser__encoding-bozo_invalid-bytes-with-bom.xml"}


@pytest.fixture(scope="module")
def corpus() -> Path:
    return CORPUS


def parse_file(name: str, content_type: str | None = None) -> ParsedFeed:
    return parse_feed((CORPUS / name).read_bytes(), url=URL, content_type=content_type, now=NOW)


def rss(items: str, channel: str = "<title>T</title>") -> bytes:
    doc = f'<?xml version="1.0"?><rss version="2.0"><channel>{channel}{items}</channel></rss>'
    return doc.encode()


# --- the corpus --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_corpus_file(name: str, corpus: Path) -> None:
    feed = parse_feed((corpus / name).read_bytes(), url=URL, now=NOW)
    assert feed.kind in {"rss", "atom", "rdf", "json"}
    expected = re.search(r"(\d+) entries per feedparser", MANIFEST[name][8])
    if expected:
        assert len(feed.entries) == int(expected.group(1))
    elif "JSON" in MANIFEST[name][5]:
        assert feed.entries
    texts = [feed.title] + [
        t for e in feed.entries for t in (e.title, e.author, e.summary, e.content)
    ]
    if name not in BROKEN_BYTES:
        assert not any("\ufffd" in t for t in texts)
    for entry in feed.entries:
        assert not CONTROL.search(entry.title + entry.author)
        assert "\x1b" not in entry.content + entry.summary
        for link in [entry.link, *(e.url for e in entry.enclosures)]:
            assert link is None or link.startswith(("http://", "https://"))
        for when in (entry.published, entry.updated):
            assert when is None or (
                when.tzinfo is UTC and datetime(1970, 1, 1, tzinfo=UTC) <= when <= NOW
            )


# Titles read from the files by decoding their bytes with the right codec by hand.
CJK_TITLES = [
    ("chardet__Big5-0804.blogspot.com.xml", "big5hkscs", "《11月的蕭邦》"),
    (
        "chardet__Big5-coolloud.org.tw.xml",
        "big5hkscs",
        "1226檔下點交之後 不見棺材不走人 進輪自救會長期抗戰",
    ),
    ("chardet__Big5-ebao.us.xml", "big5hkscs", "新年快樂"),
    ("chardet__CP932-y-moto.com.xml", "cp932", "さらなる防寒対策"),
    ("chardet__EUC-JP-arclamp.jp.xml", "euc_jp", "あなたには選択権がある（フリーランスのススメ2）"),
    (
        "chardet__EUC-JP-artifact-jp.com.xml",
        "euc_jp",
        "Linuxで動作するTV録画サーバーのベアボーンセット",
    ),
    ("chardet__EUC-JP-atom.ycf.nanet.co.jp.xml", "euc_jp", "さだまさし"),
    ("chardet__EUC-KR-alogblog.com.xml", "cp949", "EUC-KR 에서 TypeKey 한글닉네임 표시하기"),
    (
        "chardet__EUC-KR-blog.rss.naver.com.xml",
        "cp949",
        "2003년 업 그레이드된 기본강의시리즈 수강 안내",
    ),
    ("chardet__EUC-KR-xenix.egloos.com.xml", "cp949", "2005년 내 이글루 결산"),
    ("chardet__GB2312-14.blog.westca.com.xml", "gb18030", "想要飞 却怎么样也飞不高"),
    ("chardet__GB2312-bbs.blogsome.com.xml", "gb18030", "活该麦当劳"),
    ("chardet__GB2312-w3cn.org.xml", "gb18030", "如何以及何时使用sIFR"),
    ("chardet__SHIFT_JIS-10e.org.xml", "cp932", "いろいろちょっと待ってネ。"),
    ("chardet__SHIFT_JIS-moon-light.ne.jp.xml", "cp932", "2005年大晦日視聴率"),
    ("chardet__SHIFT_JIS-yasuhisa.com.xml", "cp932", "ポータル 2.0"),
    ("feedparser__illformed-chardet-eucjp.xml", "euc_jp", "ゲーム三昧な正月"),
    ("feedparser__illformed-chardet-gb2312.xml", "gb18030", "不归移民漫画系列：专业工作"),
    ("feedparser__illformed-chardet-shiftjis.xml", "cp932", "DrecomRSSに記事投稿が反映されない…"),
    ("feedparser__illformed-chardet-euckr.xml", "cp949", "EUC-KR 에서 TypeKey 한글닉네임 표시하기"),
]


@pytest.mark.parametrize(("name", "encoding", "title"), CJK_TITLES)
def test_cjk_first_titles(name: str, encoding: str, title: str) -> None:
    feed = parse_file(name)
    assert feed.encoding == encoding
    assert feed.entries[0].title == title


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("chardet__Big5-coolloud.org.tw.xml", "苦勞網"),
        ("chardet__CP932-y-moto.com.xml", "BD-1で楽々通勤～BD-wonderful"),
        ("chardet__EUC-JP-misuzilla.org.xml", "ぷろじぇくと、みすじら。"),
        ("chardet__EUC-KR-xenix.egloos.com.xml", "▒ 제닉스의 사고뭉치 ▒"),
        ("chardet__GB2312-14.blog.westca.com.xml", "加西公社温哥华大队向阳生产队温暖小分队"),
        ("feedparser__encoding-euc-kr.xml", "\ub144"),
    ],
)
def test_cjk_feed_titles(name: str, title: str) -> None:
    assert parse_file(name).title == title


def test_declared_gb2312_atom_without_entries_is_an_empty_feed() -> None:
    feed = parse_file(
        "feedparser__encoding-http_application_atom_xml_gb2312_encoding.xml",
        content_type="application/atom+xml",
    )
    assert (feed.kind, feed.encoding, feed.entries) == ("atom", "gb18030", ())


def test_cp932_feed_keeps_windows_only_characters() -> None:
    feed = parse_file("chardet__CP932-y-moto.com.xml")
    text = "".join(e.content for e in feed.entries)
    assert re.search("[①-⑳]", text)


def test_rss_feed_fields() -> None:
    feed = parse_file("NetNewsWire__theomnishow.rss")
    assert (feed.title, feed.site_link, feed.kind) == (
        "The Omni Show",
        "https://theomnishow.omnigroup.com/",
        "rss",
    )
    entry = feed.entries[0]
    assert entry.title == "Andrea McVittie, User Experience Designer"
    assert entry.author == "The Omni Group"
    assert entry.published == datetime(2017, 12, 6, 14, 0, tzinfo=UTC)
    assert entry.enclosures == (
        Enclosure(
            "https://d2vstsfo8knv0p.cloudfront.net/audio/the-omni-show-004.mp3",
            "audio/mpeg",
            24388318,
        ),
    )
    assert entry.content.startswith("Full transcript and show notes at <a href=")
    assert entry.summary.startswith('Andrea studied fine art at <a href="https://msu.edu/">')


def test_untitled_items_take_the_start_of_their_text() -> None:
    feed = parse_file("NetNewsWire__scriptingNews.rss")
    assert feed.entries[0].title == "Good morning students and teachers! 🍏"
    assert feed.entries[1].title == "This is the human side of Health care is socialist."
    long = feed.entries[2].title
    assert long.startswith("Interesting Politico piece posits that Trump") and long.endswith("…")
    assert len(long) <= 101


def test_relative_links_resolve_against_the_feed_url_and_xml_base() -> None:
    entry = parse_file("feed-rs__atom_xml_base.xml").entries[0]
    assert entry.link == "https://numi.st/post/2022/travel-uke"
    feed = parse_feed(
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/base/"><title>x</title>'
        b'<entry><title>a</title><link href="post/1"/></entry>'
        b'<entry xml:base="https://other.example/"><title>b</title><link href="p"/></entry>'
        b'<entry><title>c</title><link href="../up"/></entry></feed>',
        url=URL,
    )
    assert [e.link for e in feed.entries] == [
        "https://example.com/base/post/1",
        "https://other.example/p",
        "https://example.com/up",
    ]


def test_rss_authors_written_email_first() -> None:
    entries = parse_file("feed-rs__rss_2.0_relurl_1.xml").entries
    assert entries[0].author == "Jonas Große Sundrup"
    assert [e.author for e in parse_file("newsboat__rss_094_with_bracket_author.xml").entries] == [
        "Author name)",
        "Author",
        "Author (name)",
    ]


def test_atom_authors_fall_back_to_the_feed() -> None:
    authors = [e.author for e in parse_file("newsboat__atom10_feed_authors.xml").entries]
    assert authors[:3] == [
        "First Feed Author, Second Feed Author",
        "Entry Author",
        "Entry Author 1, Entry Author 2",
    ]


# --- JSON Feed ---------------------------------------------------------------------------


def test_json_feed_1_1_fields() -> None:
    feed = parse_file("reader__full.json")
    assert (feed.title, feed.site_link, feed.kind) == (
        "My Example Feed",
        "https://example.org/",
        "json",
    )
    first, second = feed.entries
    assert first.guid == "2"
    assert first.link == "https://example.org/second-item"
    assert first.title == "Title"
    assert first.author == "Joe, Jane"  # the item's only author has no name: the feed's
    assert first.published == datetime(2020, 1, 2, 21, 0, tzinfo=UTC)
    assert first.updated == datetime(2020, 1, 4, 0, 0, tzinfo=UTC)
    assert first.content == 'Content with <a href="http://example.com/">link</a>'
    assert first.summary == "<p>A summary</p>"
    assert first.enclosures == (
        Enclosure("http://example.com/downloads/file.m4a", "audio/x-m4a", 12345678),
        Enclosure("http://example.com/downloads/another.mp3", "", None),
    )
    assert second.title == "Hello, world!"  # no title: the start of its text
    assert second.author == "Jane"
    assert second.published == datetime(2020, 1, 2, 12, 0, tzinfo=UTC)


def test_json_feed_1_0_fields() -> None:
    feed = parse_file("feedparser__json-example.json")
    first, second = feed.entries
    assert first.content == "<p>This is a second item.</p>"
    assert first.categories == ("test", "JSON")
    assert first.author == "me"  # the feed's author
    assert first.enclosures == (
        Enclosure("https://example.org/second-item-show.mp4", "video/mp4", 12000000),
    )
    assert second.author == "you"


def test_json_feed_authors() -> None:
    authors = [e.author for e in parse_file("NetNewsWire__authors.json").entries]
    assert authors == [
        "Root Author 1, Root Author 2",
        "Legacy Item Author",
        "Item Author 1, Item Author 2",
        "Item Author 1, Item Author 2",
    ]


def test_json_feed_with_wrong_types_keeps_what_is_usable() -> None:
    feed = parse_file("reader__invalid.json")
    assert feed.title == ""
    assert [e.guid for e in feed.entries][:3] == ["2", "3.1415", "author name"]
    assert feed.entries[1].title == "float id"
    assert feed.entries[0].published is None
    assert feed.entries[-1].author == "Jane"


def test_json_feed_title_entities_and_external_url() -> None:
    body = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "Blog &#8211; X",'
        b' "items": [{"id": 7, "external_url": "https://ext.example/a",'
        b' "content_text": "a < b\\n\\nc", "title": "\\u001b[31mred\\ud800"}]}'
    )
    feed = parse_feed(body, url=URL)
    entry = feed.entries[0]
    assert feed.title == "Blog – X"
    assert (entry.guid, entry.link) == ("7", "https://ext.example/a")
    assert entry.content == "<p>a &lt; b</p><p>c</p>"
    assert entry.title == "red\ufffd"


def test_rss_in_json() -> None:
    feed = parse_file("NetNewsWire__ScriptingNews.json")
    assert (feed.title, feed.site_link, len(feed.entries)) == (
        "Scripting News",
        "http://scripting.com/",
        50,
    )
    entry = feed.entries[0]
    assert entry.guid == entry.link == "http://scripting.com/2017/06/26.html#a080605"
    assert entry.title == "Good morning students and teachers! 🍏"
    assert entry.published == datetime(2017, 6, 26, 12, 20, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"items": [', "not a feed (invalid JSON)"),
        (b"[" * 100_000, "not a feed (invalid JSON)"),
        (b'{"hello": "world"}', "not a feed (JSON without items)"),
        (b"[1, 2]", "not a feed (JSON without items)"),
    ],
)
def test_bad_json(body: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_feed(body, url=URL, content_type="application/feed+json")
    assert (raised.value.reason, raised.value.subject) == (reason, URL)


# --- not feeds ---------------------------------------------------------------------------

PAGE = b"""<!DOCTYPE html>
<html><head><base href="https://cdn.example.org/site/">
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/feed+json" href="feed.json">
<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">
<link rel="Alternate Feed" type="application/atom+xml; charset=utf-8" href="atom.xml">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" type="application/rss+xml" href="https://cdn.example.org/rss.xml">
<link rel="alternate" type="text/html" href="/other.html">
<link rel="alternate" type="application/json" href="ftp://example.org/x.json">
<!-- <link rel="alternate" type="application/rss+xml" href="/commented.xml"> -->
</head><body><p>Hello</p></body></html>"""


def test_find_feed_links() -> None:
    assert find_feed_links(PAGE, base_url="https://www.example.org/page") == [
        "https://cdn.example.org/rss.xml",
        "https://cdn.example.org/site/atom.xml",
        "https://cdn.example.org/site/feed.json",
    ]


def test_find_feed_links_without_base_and_in_legacy_encoding() -> None:
    page = (
        '<html><head><meta charset="gb2312"><title>新闻</title>'
        '<link rel=alternate type=application/atom+xml href="/新闻.xml"></head></html>'
    ).encode("gb2312")
    assert find_feed_links(page, base_url="http://news.example.cn/a/b.html") == [
        "http://news.example.cn/新闻.xml"
    ]
    assert find_feed_links(b"", base_url=URL) == []


def test_html_page_is_not_a_feed() -> None:
    assert is_web_page(PAGE, None)
    with pytest.raises(ParseError) as raised:
        parse_feed(PAGE, url=URL, content_type="text/html; charset=utf-8")
    assert raised.value.reason == "not a feed (HTML page)"


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b"<html><body>x</body></html>", None, True),
        (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"></html>', None, True),
        (b"\xef\xbb\xbf<!-- hi -->\n<!doctype HTML>\n<p>x", None, True),
        (b"<p>just a fragment</p>", "text/html", True),
        (b"<p>just a fragment</p>", "application/xml", False),
        (b'<?xml version="1.0"?><!DOCTYPE html><rss version="2.0"></rss>', None, False),
        (b"<rss><channel></channel></rss>", "text/html", False),
        (b'<rdf:RDF xmlns:rdf="x"></rdf:RDF>', "text/html", False),
        ("<html></html>".encode("utf-16"), None, True),
    ],
)
def test_is_web_page(body: bytes, content_type: str | None, expected: bool) -> None:
    assert is_web_page(body, content_type) is expected


def test_feed_served_as_html_still_parses() -> None:
    feed = parse_feed(rss("<item><title>x</title></item>"), url=URL, content_type="text/html")
    assert feed.entries[0].title == "x"


def test_html_fragment_served_as_html() -> None:
    with pytest.raises(ParseError, match="HTML page"):
        parse_feed(b"<div><p>Sorry, not found</p></div>", url=URL, content_type="text/html")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty response"),
        (b" \r\n\t ", "empty response"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a feed (binary data)"),
        (b"\x1f\x8b\x08\x00" + bytes(range(256)), "not a feed (binary data)"),
        (bytes(range(32)) * 20, "not a feed (binary data)"),
        (
            b"<?xml version='1.0'?><note><to>you</to></note>",
            "not a feed (no RSS, Atom or RDF root element)",
        ),
    ],
)
def test_not_feeds(body: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_feed(body, url=URL)
    assert (raised.value.reason, raised.value.subject) == (reason, URL)


@pytest.mark.parametrize("body", [b"/etc/passwd", b"https://example.com/feed.xml"])
def test_a_body_is_never_opened_as_a_path_or_url(body: bytes) -> None:
    # feedparser.parse(bytes) would read the file or fetch the URL it names.
    with pytest.raises(ParseError, match="not a feed"):
        parse_feed(body, url=URL)


def test_broken_xml_without_a_feed_names_the_cause() -> None:
    with pytest.raises(ParseError) as raised:
        parse_feed(b"<?xml version='1.0'?>\n<foo>\n<bar></foo>", url=URL)
    assert raised.value.reason == "not a feed (XML error: mismatched tag, line 3)"


def test_feed_with_title_and_no_entries_is_valid() -> None:
    feed = parse_feed(rss(""), url=URL)
    assert (feed.title, feed.entries) == ("T", ())


def test_broken_feed_with_entries_is_accepted() -> None:
    feed = parse_feed(
        rss("<item><title>a &amp b</title><link>/x</link></item><item><title>c"), url=URL
    )
    assert [e.title for e in feed.entries][:1] == ["a & b"]


# --- field cleaning ----------------------------------------------------------------------


def test_control_characters_leave_titles_and_bodies() -> None:
    feed = parse_feed(
        rss(
            "<item><title>red &#27;[31mALERT&#27;[0m\u202eevil\u2066 done</title>"
            "<description>line one&#27;]0;pwned&#7;\nline two</description>"
            "<author>\x1b[2Jx@y.z (Mallory&#8238;)</author></item>",
            "<title>Feed&#27;[1m title</title>",
        ),
        url=URL,
    )
    entry = feed.entries[0]
    assert feed.title == "Feed title"
    assert entry.title == "red ALERTevil done"
    assert entry.summary == "line one\nline two"
    assert entry.author == "Mallory"


def test_c1_controls_leave_json_titles() -> None:
    body = b'{"items": [{"id": "1", "title": "a\\u009b31mb\\u0085c\\u200fd"}]}'
    assert parse_feed(body, url=URL).entries[0].title == "abcd"


def test_html_titles_become_text() -> None:
    feed = parse_feed(
        b'<feed xmlns="http://www.w3.org/2005/Atom">'
        b'<title type="html">A &amp;amp; &lt;b&gt;B&lt;/b&gt;</title>'
        b'<entry><title type="html">&lt;em&gt;\xe6\x9d\xb1&lt;/em&gt;\xe4\xba\xac &amp;lt;3</title>'
        b'<content type="text">1 &lt; 2\n\nsecond</content></entry></feed>',
        url=URL,
    )
    assert feed.title == "A & B"
    assert feed.entries[0].title == "東京 <3"
    assert feed.entries[0].content == "<p>1 &lt; 2</p><p>second</p>"


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "mailto:a@b.c", "ftp://h/x"],
)
def test_unsafe_links_are_dropped(link: str) -> None:
    enclosure = f'<enclosure url="{link}" type="audio/mpeg"/>'
    item = f"<item><title>x</title><link>{link}</link>{enclosure}</item>"
    feed = parse_feed(rss(item, f"<title>T</title><link>{link}</link>"), url=URL)
    assert feed.entries[0].link is None
    assert feed.entries[0].enclosures == ()
    assert feed.site_link == ""


def test_enclosures_resolve_and_lengths_are_checked() -> None:
    items = (
        '<item><title>x</title><enclosure url="/a.mp3" length="12" type="audio/mpeg"/></item>'
        '<item><title>y</title><enclosure url="b.ogg" length="-4" type="audio/ogg"/></item>'
        '<item><title>z</title><enclosure url="c.ogg" length="many"/></item>'
    )
    feed = parse_feed(rss(items), url=URL)
    assert [e.enclosures for e in feed.entries] == [
        (Enclosure("https://example.com/a.mp3", "audio/mpeg", 12),),
        (Enclosure("https://example.com/blog/b.ogg", "audio/ogg", None),),
        (Enclosure("https://example.com/blog/c.ogg", "", None),),
    ]


def test_categories_deduplicated() -> None:
    categories = "<category>a</category><category> b </category><category>a</category>"
    items = f"<item><title>x</title>{categories}</item>"
    assert parse_feed(rss(items), url=URL).entries[0].categories == ("a", "b")


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Sat, 07 Sep 2002 09:00:01 +0900", datetime(2002, 9, 7, 0, 0, 1, tzinfo=UTC)),
        ("Tue, 10 Jun 2003 04:00:00 EST", datetime(2003, 6, 10, 9, 0, tzinfo=UTC)),
        ("2025-12-31T20:00:00-05:00", datetime(2026, 1, 1, 1, 0, tzinfo=UTC)),
        ("Mon, 01 Jan 0001 00:00:00 GMT", None),
        ("Wed, 31 Dec 1969 23:59:59 GMT", None),
        ("Fri, 01 Jan 2100 00:00:00 GMT", None),
        ("2026-01-03T00:00:00Z", None),
        ("yesterday-ish", None),
    ],
)
def test_dates(date: str, expected: datetime | None) -> None:
    item = f"<item><title>x</title><pubDate>{date}</pubDate></item>"
    entry = parse_feed(rss(item), url=URL, now=NOW).entries[0]
    assert entry.published == expected
    assert entry.published is None or entry.published.tzinfo is UTC


def test_json_dates() -> None:
    body = (
        b'{"items": [{"id": "1", "date_published": "2020-01-02T03:04:05.123+08:00",'
        b' "date_modified": "3020-01-01T00:00:00Z"},'
        b' {"id": "2", "date_published": "1969-12-31T00:00:00Z"}]}'
    )
    first, second = parse_feed(body, url=URL, now=NOW).entries
    assert first.published == datetime(2020, 1, 1, 19, 4, 5, 123000, tzinfo=UTC)
    assert first.updated is None
    assert second.published is None


def test_results_pickle() -> None:
    feed = parse_file("chardet__GB2312-w3cn.org.xml")
    assert pickle.loads(pickle.dumps(feed)) == feed
    assert pickle.loads(pickle.dumps(parse_feed)) is parse_feed


# --- hostile XML -------------------------------------------------------------------------

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>t &lol9;</title>
<item><title>&lol9;</title><description>&lol9;&lol9;</description></item></channel></rss>"""


def test_billion_laughs_does_not_expand() -> None:
    tracemalloc.start()
    started = time.monotonic()
    try:
        feed = parse_feed(LAUGHS, url=URL)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 10
    assert peak < 50_000_000
    entry = feed.entries[0]
    assert "lollol" not in feed.title + entry.title + entry.content


def test_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    uri = secret.as_uri()
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{uri}">'
        f'<!ENTITY % pe SYSTEM "{uri}"> %pe;]>\n'
        '<rss version="2.0"><channel><title>t&xxe;</title>'
        "<item><title>x&xxe;</title><description>&xxe;</description></item></channel></rss>"
    ).encode()
    feed = parse_feed(body, url=URL)
    fields = [feed.title] + [f for e in feed.entries for f in (e.title, e.summary, e.content)]
    assert not any("TOP-SECRET" in f for f in fields)


@pytest.mark.parametrize(
    "body",
    [
        # Well-formed: expat and feedparser's element stack, one namespace per level.
        b'<rss version="2.0"><channel><item>'
        + b'<x:a xmlns:x="urn:x">' * 100_000
        + b"</x:a>" * 100_000
        + b"</item></channel></rss>",
        # Never closed: the strict parser gives up and the fallback parser takes it all.
        b"<rss><channel><item>" + b"<a>" * 100_000,
    ],
    ids=["well-formed", "unclosed"],
)
def test_deep_nesting_finishes(body: bytes) -> None:
    started = time.monotonic()
    with contextlib.suppress(ParseError):
        parse_feed(body, url=URL)
    assert time.monotonic() - started < 60


def test_bad_character_references_do_not_crash() -> None:
    # Not well-formed (&#1;), so feedparser's fallback parser sees the references.
    feed = parse_feed(
        rss("<item><title>a&#xD800;b&#99999999999;c&#1;&#20013;</title></item>"), url=URL
    )
    assert feed.entries[0].title == "a\ufffdb\ufffdc中"


@settings(max_examples=100, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.text(alphabet='<>/?!&;#"= \nabcrsfeditemlnk:x\x00\x1b\ud7ff中', max_size=300).map(
            lambda s: s.encode("utf-8", "surrogatepass")
        ),
        st.text(max_size=200).map(
            lambda s: rss(f"<item><title>{s}</title></item>")[:-20] + s.encode("utf-8", "replace")
        ),
    ),
    st.sampled_from([None, "text/html", "application/json", "text/xml; charset=shift_jis"]),
)
def test_fuzz_only_parse_errors(body: bytes, content_type: str | None) -> None:
    try:
        feed = parse_feed(body, url=URL, content_type=content_type)
    except ParseError as error:
        assert error.subject == URL
        assert "\n" not in error.reason
    else:
        for entry in feed.entries:
            assert not CONTROL.search(entry.title)
