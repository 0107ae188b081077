"""The bundled demo: its local feed server, its feed files and its throwaway home."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from tui.core.config import Config, load_config
from tui.core.errors import FetchError
from tui.core.feeds.opml import read_opml
from tui.core.paths import resolve_paths
from tui.demo import (
    DEMO_FEEDS,
    FAILING_FEED,
    DemoServer,
    demo_feed_files,
    demo_opml,
    make_demo_home,
    remove_demo_home,
)

EXPECTED_ENTRIES = {
    "terminal-notes.xml": 5,
    "harbour-daily.atom": 4,
    "classics-zh-hant.xml": 4,
    "jiushu-zh-hans.xml": 4,
    "aozora-picks.atom": 5,
    "siwa-geul.json": 5,
}
# file -> (codec, declared encoding, a phrase that only comes out right with that codec)
LEGACY_ENCODED = {
    "classics-zh-hant.xml": ("big5", "Big5", "晉太元中，武陵人捕魚為業"),
    "jiushu-zh-hans.xml": ("gbk", "GBK", "其实地上本没有路，走的人多了，也便成了路"),
}
LANGUAGES = {
    "terminal-notes.xml": r"[A-Za-z]",
    "harbour-daily.atom": r"[臺灣資際點]",  # Traditional-only forms
    "classics-zh-hant.xml": r"[晉為與從]",
    "jiushu-zh-hans.xml": r"[乡这说们]",  # Simplified-only forms
    "aozora-picks.atom": r"[\u3040-\u30ff]",  # kana
    "siwa-geul.json": r"[\uac00-\ud7a3]",  # Hangul syllables
}
CJK = r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]"


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Message
    body: bytes


@dataclass(frozen=True)
class Item:
    title: str
    html: str
    published: tuple[int, ...]


def request(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> Reply:
    """One raw HTTP exchange, without a client that decodes or follows anything."""
    parts = urlsplit(url)
    assert parts.hostname is not None
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, parts.path, headers=headers or {})
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


def feed_file(name: str) -> Path:
    return next(p for p in demo_feed_files() if p.name == name)


def parse_items(name: str) -> tuple[str, list[Item]]:
    """(feed title, entries) of a bundled file, with feedparser or, for JSON Feed, json."""
    data = feed_file(name).read_bytes()
    feed = next(f for f in DEMO_FEEDS if f.filename == name)
    if name.endswith(".json"):
        doc = json.loads(data)
        items = [
            Item(i["title"], i["content_html"], _iso_tuple(i["date_published"]))
            for i in doc["items"]
        ]
        return doc["title"], items
    parsed = feedparser.parse(data, response_headers={"content-type": feed.content_type})
    assert not parsed.bozo, parsed.get("bozo_exception")
    items = [
        Item(e.title, e.content[0].value if "content" in e else e.summary, e.published_parsed[:6])
        for e in parsed.entries
    ]
    return parsed.feed.title, items


def _iso_tuple(text: str) -> tuple[int, ...]:
    return datetime.fromisoformat(text).astimezone(UTC).timetuple()[:6]


def all_items() -> Iterator[tuple[str, Item]]:
    for name in EXPECTED_ENTRIES:
        for item in parse_items(name)[1]:
            yield name, item


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as running:
        yield running


# the server ------------------------------------------------------------------------------


def test_server_listens_on_loopback_only(server: DemoServer) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", server.base_url)
    assert all(url.startswith(server.base_url) for url, _, _ in server.feed_urls())


def test_server_stops_cleanly_and_leaves_no_thread() -> None:
    before = set(threading.enumerate())
    with DemoServer() as demo:
        urls = [url for url, _, _ in demo.feed_urls()] * 3
        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(pool.map(lambda u: request(u).status, urls))
    assert statuses.count(404) == 3
    assert statuses.count(200) == len(urls) - 3
    left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert left == []
    demo.close()  # a second close is harmless
    with pytest.raises(OSError):
        request(demo.feed_urls()[0][0])


def test_each_feed_is_served_with_its_content_type(server: DemoServer) -> None:
    urls = {url: title for url, title, _ in server.feed_urls()}
    for feed, path in zip(DEMO_FEEDS, demo_feed_files(), strict=True):
        reply = request(server.url_for(feed))
        assert reply.status == 200
        assert reply.headers["Content-Type"] == feed.content_type
        assert reply.body == path.read_bytes()
        assert reply.headers["ETag"] and reply.headers["Last-Modified"]
        assert urls[server.url_for(feed)] == feed.title
    kinds = {f.filename: f.content_type.split(";")[0] for f in DEMO_FEEDS}
    assert set(kinds.values()) == {
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
    }


def test_legacy_encoded_feeds_name_their_charset_only_in_the_xml(server: DemoServer) -> None:
    for name in LEGACY_ENCODED:
        feed = next(f for f in DEMO_FEEDS if f.filename == name)
        reply = request(server.url_for(feed))
        assert "charset" not in reply.headers["Content-Type"]


def test_conditional_requests_get_304(server: DemoServer) -> None:
    url = server.url_for(DEMO_FEEDS[0])
    first = request(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    by_etag = request(url, {"If-None-Match": etag})
    assert (by_etag.status, by_etag.body) == (304, b"")
    assert by_etag.headers["ETag"] == etag

    by_date = request(url, {"If-Modified-Since": modified})
    assert by_date.status == 304

    assert request(url, {"If-None-Match": '"stale", W/' + etag}).status == 304
    # If-None-Match decides when both are sent: a stale tag means a full answer.
    stale = request(url, {"If-None-Match": '"stale"', "If-Modified-Since": modified})
    assert (stale.status, stale.body) == (200, first.body)
    old_date = request(url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert old_date.status == 200


def test_gzip_when_asked(server: DemoServer) -> None:
    feed = DEMO_FEEDS[0]
    url = server.url_for(feed)
    plain = request(url)
    packed = request(url, {"Accept-Encoding": "br, gzip;q=0.8"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.body) == plain.body
    assert packed.headers["ETag"] != plain.headers["ETag"]
    assert request(url, {"If-None-Match": packed.headers["ETag"]}).status == 304
    refused = request(url, {"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers


def test_head_sends_headers_only(server: DemoServer) -> None:
    reply = request(server.url_for(DEMO_FEEDS[1]), method="HEAD")
    assert reply.status == 200
    assert reply.body == b""
    assert int(reply.headers["Content-Length"]) == feed_file(DEMO_FEEDS[1].filename).stat().st_size


def test_the_failing_feed_and_unknown_paths_answer_404(server: DemoServer) -> None:
    failing = [entry for entry in server.feed_urls() if entry[1] == FAILING_FEED.title]
    assert len(failing) == 1
    assert request(failing[0][0]).status == 404
    for path in ("feeds/nothing.xml", "feeds/../__init__.py", "feeds/%2e%2e/__init__.py"):
        assert request(server.base_url + path).status == 404


def test_front_page_advertises_every_feed(server: DemoServer) -> None:
    reply = request(server.base_url)
    assert reply.status == 200
    page = reply.body.decode("utf-8")
    for feed in DEMO_FEEDS:
        assert f'href="/feeds/{feed.filename}"' in page
    assert page.count('rel="alternate"') == len(DEMO_FEEDS)


# the feed files ----------------------------------------------------------------------------


def test_feed_files_ship_complete_and_small() -> None:
    files = demo_feed_files()
    assert [p.name for p in files] == [f.filename for f in DEMO_FEEDS]
    assert {p.name for p in files[0].parent.iterdir()} == set(EXPECTED_ENTRIES)
    assert sum(p.stat().st_size for p in files) < 300_000


@pytest.mark.parametrize("name", list(EXPECTED_ENTRIES))
def test_every_feed_parses_cleanly(name: str) -> None:
    title, items = parse_items(name)
    assert title
    assert len(items) == EXPECTED_ENTRIES[name]
    assert 4 <= len(items) <= 8
    for item in items:
        assert item.title and "\ufffd" not in item.title
        assert "\ufffd" not in item.html
        assert re.search(LANGUAGES[name], item.title + item.html)
    dates = [item.published for item in items]
    assert dates == sorted(dates, reverse=True), "entries must be newest first"
    assert len(set(dates)) == len(dates)


@pytest.mark.parametrize("name", list(LEGACY_ENCODED))
def test_legacy_encodings_decode_right(name: str) -> None:
    codec, declared, phrase = LEGACY_ENCODED[name]
    raw = feed_file(name).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode(codec)  # strict: every byte is valid in the declared charset
    assert text.startswith(f'<?xml version="1.0" encoding="{declared}"?>')
    assert phrase in text
    parsed = feedparser.parse(raw, response_headers={"content-type": "application/rss+xml"})
    assert parsed.encoding.lower() == codec
    assert any(
        phrase in e.summary or phrase in e.get("content", [{}])[0].get("value", "")
        for e in parsed.entries
    )


def test_every_entry_says_where_its_text_comes_from() -> None:
    for name, item in all_items():
        assert re.search(r"Text: .*(public domain|CC0)", item.html), (name, item.title)


def test_articles_exercise_the_typesetting() -> None:
    """The demo exists to show layout: keep every kind of block it promises."""
    items = list(all_items())
    html = "\n".join(item.html for _, item in items)
    for tag in ("<img", "<table", "<blockquote", "<pre", "<ol", "<ul", "<h2", "<h3", "<a href"):
        assert tag in html, tag
    assert re.search(r"<li>[^<]*<ul>", html), "a nested list"
    assert re.search(r'<img src="https://example\.org/[^"]+" alt="[^"]+"', html)
    # Mixed-script titles show truncation in lists.
    assert (
        sum(bool(re.search(CJK, i.title) and re.search("[A-Za-z]{3}", i.title)) for _, i in items)
        >= 2
    )
    # Every CJK feed has at least one long paragraph, with Latin and numbers in the CJK.
    for name in EXPECTED_ENTRIES:
        if name == "terminal-notes.xml":
            continue
        paragraphs = re.findall(r"<p>(.*?)</p>", "\n".join(i.html for n, i in items if n == name))
        assert max(map(len, paragraphs)) >= 250, name
        assert re.search(r"\d{4}年|\d+億|\d+亿|\d+년|[A-Z]{2,}", "".join(paragraphs)), name


def test_messy_news_entry_keeps_its_mess() -> None:
    _, items = parse_items("harbour-daily.atom")
    messy = items[0].html
    assert re.search(CJK + r"[,:]" + CJK, messy), "ASCII punctuation inside Chinese sentences"
    assert "<small" in messy
    assert "258億" in messy and "CEO" in messy and "https://data.example.org/apply" in messy


# the home and the subscriptions ----------------------------------------------------------------


def test_make_demo_home_gives_a_fresh_empty_directory() -> None:
    first, second = make_demo_home(), make_demo_home()
    try:
        assert first != second
        for home in (first, second):
            assert home.is_dir() and not any(home.iterdir())
            assert home.name.startswith("yuedu-demo-")
            assert home.parent.resolve() == Path(tempfile.gettempdir()).resolve()
    finally:
        remove_demo_home(first)
        remove_demo_home(second)
    assert not first.exists() and not second.exists()


def test_remove_demo_home_refuses_other_directories(tmp_path: Path) -> None:
    for other in (tmp_path, Path.home(), tmp_path / "yuedu-demo-x"):
        with pytest.raises(ValueError):
            remove_demo_home(other)
    assert tmp_path.exists()


def test_demo_opml_subscribes_to_every_feed_with_its_tags(server: DemoServer) -> None:
    opml = demo_opml(server)
    subs = read_opml(opml).subscriptions
    got = {(s.url, s.title, s.tags) for s in subs}
    assert got == set(server.feed_urls())
    assert '<opml version="2.0"' in opml
    assert re.search(r'<outline text="中文"[^>]*>\s*<outline type="rss"', opml), "nested by tag"


# the real pipeline, once the parser exists ---------------------------------------------------


def test_parse_feed_reads_every_demo_feed() -> None:
    parse = pytest.importorskip("tui.core.feeds.parse.feed", exc_type=ImportError)
    for feed, path in zip(DEMO_FEEDS, demo_feed_files(), strict=True):
        parsed = parse.parse_feed(
            path.read_bytes(), url="http://127.0.0.1/", content_type=feed.content_type
        )
        assert len(parsed.entries) == EXPECTED_ENTRIES[feed.filename], feed.filename
        for entry in parsed.entries:
            assert entry.title and entry.content
            assert "\ufffd" not in entry.title + entry.content, (feed.filename, entry.title)
            assert entry.published is not None


def test_the_demo_refreshes_through_the_service() -> None:
    # Skipped only while the core is still being assembled (tui.core.store missing).
    service_module = pytest.importorskip("tui.core.service", exc_type=ImportError)
    home = make_demo_home()
    try:
        with DemoServer() as demo:
            opml = home / "demo.opml"
            opml.write_text(demo_opml(demo), encoding="utf-8")
            service = service_module.FeedService.open(
                resolve_paths(home), Config(), parse_workers=0
            )
            try:
                assert service.import_subscriptions(opml).added == len(DEMO_FEEDS) + 1
                first = service.refresh_blocking()
                assert first.new_entries == sum(EXPECTED_ENTRIES.values())
                assert [s.url for s in first.failed] == [demo.url_for(FAILING_FEED)]
                assert "404" in (service.failing_feeds()[0].error or "")
                second = service.refresh_blocking()
                assert second.new_entries == 0
                assert sum(s.not_modified for s in second.statuses) == len(DEMO_FEEDS)
            finally:
                service.close()
    finally:
        remove_demo_home(home)


async def test_the_real_fetcher_downloads_parses_and_revalidates(server: DemoServer) -> None:
    fetch = pytest.importorskip("tui.core.feeds.fetch", exc_type=ImportError)
    parse = pytest.importorskip("tui.core.feeds.parse.feed", exc_type=ImportError)
    async with fetch.Fetcher() as fetcher:
        for feed in DEMO_FEEDS:
            url = server.url_for(feed)
            first = await fetcher.fetch(url)
            parsed = parse.parse_feed(first.body, url=url, content_type=first.content_type)
            assert len(parsed.entries) == EXPECTED_ENTRIES[feed.filename]
            again = await fetcher.fetch(url, etag=first.etag, last_modified=first.last_modified)
            assert again.not_modified, feed.filename
        with pytest.raises(FetchError) as failure:
            await fetcher.fetch(server.url_for(FAILING_FEED))
        assert "404" in str(failure.value)


def test_the_config_example_in_the_welcome_entry_loads(tmp_path: Path) -> None:
    welcome = parse_items("terminal-notes.xml")[1][0]
    example = re.search(r"<pre><code>(.*?)</code></pre>", welcome.html, re.DOTALL)
    assert example is not None
    (tmp_path / "config.toml").write_text(unescape(example.group(1)), encoding="utf-8")
    config = load_config(tmp_path / "config.toml")
    assert config.fetch.concurrency == 8 and config.text.strict_kana
