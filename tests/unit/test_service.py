"""The service end to end: real HTTP server on 127.0.0.1, real SQLite files, real parser."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.httpserver import HTTPTestServer, server_fixture
from tui.core.config import Config, FetchConfig
from tui.core.models import EntryFilter, RefreshProgress
from tui.core.paths import Paths, resolve_paths
from tui.core.service import FeedService
from tui.core.store import Store
from tui.core.urls import candidate_urls, normalise_url

server = server_fixture()

FEEDS = CORPUS / "feeds"
NOT_FEEDS = {"reader__invalid.json"}

# First entry titles, read from the files with the right codec by hand.
CJK_TITLES = {
    "chardet__Big5-0804.blogspot.com.xml": "《11月的蕭邦》",
    "chardet__Big5-ebao.us.xml": "新年快樂",
    "chardet__CP932-y-moto.com.xml": "さらなる防寒対策",
    "chardet__EUC-JP-arclamp.jp.xml": "あなたには選択権がある（フリーランスのススメ2）",
    "chardet__EUC-JP-atom.ycf.nanet.co.jp.xml": "さだまさし",
    "chardet__EUC-KR-alogblog.com.xml": "EUC-KR 에서 TypeKey 한글닉네임 표시하기",
    "chardet__EUC-KR-xenix.egloos.com.xml": "2005년 내 이글루 결산",
    "chardet__GB2312-14.blog.westca.com.xml": "想要飞 却怎么样也飞不高",
    "chardet__GB2312-bbs.blogsome.com.xml": "活该麦当劳",
    "chardet__GB2312-w3cn.org.xml": "如何以及何时使用sIFR",
    "chardet__SHIFT_JIS-10e.org.xml": "いろいろちょっと待ってネ。",
    "chardet__SHIFT_JIS-moon-light.ne.jp.xml": "2005年大晦日視聴率",
    "chardet__SHIFT_JIS-yasuhisa.com.xml": "ポータル 2.0",
    "feedparser__illformed-chardet-gb2312.xml": "不归移民漫画系列：专业工作",
    "feedparser__illformed-chardet-euckr.xml": "EUC-KR 에서 TypeKey 한글닉네임 표시하기",
}


def fast_config(**fetch: float) -> Config:
    return Config(fetch=FetchConfig(**{"timeout": 5.0, "connect_timeout": 2.0, **fetch}))


@pytest.fixture
def home(tmp_path: Path) -> Paths:
    return resolve_paths(tmp_path / "home")


@pytest.fixture
def service(home: Paths) -> FeedService:
    with FeedService.open(home, fast_config(), parse_workers=0) as svc:
        yield svc


def manifest_entry_counts() -> dict[str, int]:
    """Entries per file as the corpus MANIFEST records them ("N entries per feedparser")."""
    counts = {}
    for line in (FEEDS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        name, *_, notes = line.split("\t")
        found = re.search(r"(\d+) entries per feedparser", notes)
        if found:
            counts[name] = int(found.group(1))
    return counts


def corpus_files() -> list[Path]:
    return sorted(p for p in FEEDS.iterdir() if p.name != "MANIFEST.tsv")


def subscribe_corpus(service: FeedService, server: HTTPTestServer, tmp_path: Path) -> None:
    base = server.url(server.serve_dir("/feeds/", FEEDS))
    opml = tmp_path / "subs.opml"
    outlines = "".join(
        f'<outline text="{p.name}" xmlUrl="{base}{p.name}"/>' for p in corpus_files()
    )
    opml.write_text(f'<opml version="2.0"><body>{outlines}</body></opml>', encoding="utf-8")
    report = service.import_subscriptions(opml)
    assert report.added == len(corpus_files())


async def test_whole_corpus_refreshes_through_worker_processes(
    home: Paths, server: HTTPTestServer, tmp_path: Path
) -> None:
    with FeedService.open(home, fast_config(), parse_workers=2) as service:
        subscribe_corpus(service, server, tmp_path)
        seen: list[RefreshProgress] = []
        report = await service.refresh(progress=seen.append)
        assert [p.done for p in seen] == list(range(1, len(corpus_files()) + 1))
        failed = {s.url.rsplit("/", 1)[1]: s.error for s in report.failed}
        assert set(failed) <= NOT_FEEDS, failed
        by_name = {f.url.rsplit("/", 1)[1]: f for f in service.feeds()}
        for name, expected in manifest_entry_counts().items():
            assert (by_name[name].total > 0) == (expected > 0), (name, expected)
        for name, title in CJK_TITLES.items():
            titles = [e.title for e in service.entries(EntryFilter(feed_id=by_name[name].id))]
            assert title in titles, (name, titles[:3])
        cjk = [n for n in by_name if n.startswith(("chardet__", "feedparser__illformed-chardet"))]
        for name in cjk:
            for entry in service.entries(EntryFilter(feed_id=by_name[name].id)):
                assert "\ufffd" not in entry.title, (name, entry.title)


async def test_second_refresh_sends_validators_and_parses_nothing(
    service: FeedService, server: HTTPTestServer, tmp_path: Path
) -> None:
    subscribe_corpus(service, server, tmp_path)
    first = await service.refresh()
    total_before = service.count()
    server.clear_log()
    second = await service.refresh()
    assert all(s.ok and s.not_modified for s in second.statuses if s.url.endswith(".xml"))
    assert second.new_entries == 0
    assert service.count() == total_before
    for request in server.requests:
        assert request.headers["if-none-match"] or request.headers["if-modified-since"]
        assert request.status == 304
    assert len(first.statuses) == len(second.statuses)


async def test_each_failure_is_one_line_and_never_stops_the_others(
    home: Paths, server: HTTPTestServer
) -> None:
    good = server.serve_bytes("/good.xml", (FEEDS / "newsboat__rss091_1.xml").read_bytes())
    cases = {
        server.serve_status("/404", 404): "HTTP 404 Not Found",
        server.serve_status("/500", 500): "HTTP 500 Internal Server Error",
        server.hang("/hang"): "timed out after 1 s",
        server.redirect_loop("/loop/a", "/loop/b"): "redirect",
        server.serve_bytes(
            "/page.html", b"<!doctype html><html><body>hi</body></html>", content_type="text/html"
        ): "not a feed (HTML page)",
        server.huge("/huge", size=3 * 1024 * 1024): "too large",
        server.serve_bytes("/empty", b""): "empty response",
    }
    config = Config(fetch=FetchConfig(timeout=1.0, connect_timeout=1.0, max_size_mib=1))
    with FeedService.open(home, config, parse_workers=0) as service:
        for path in [good, *cases]:
            service.store.add_feed(server.url(path))
        report = await service.refresh()
        errors = {s.url.removeprefix(server.base_url): s.error for s in report.statuses}
        assert errors[good] is None
        for path, expected in cases.items():
            reason = errors[path]
            assert reason is not None and expected in reason, (path, reason)
            assert "\n" not in reason and "Traceback" not in reason
        failing = {f.url.removeprefix(server.base_url): f.error for f in service.failing_feeds()}
        assert set(failing) == set(cases)


async def test_read_and_starred_survive_refreshes_and_failures(
    service: FeedService, server: HTTPTestServer
) -> None:
    body = (FEEDS / "chardet__Big5-ebao.us.xml").read_bytes()
    path = server.serve_bytes("/big5.xml", body, etag=False)
    result = await service.add_feed(server.url(path))
    ids = service.entry_ids(EntryFilter(feed_id=result.feed.id))
    service.mark_read(ids[:3])
    service.mark_starred(ids[3:5])
    await service.refresh()
    server.serve_status(path, 500)
    await service.refresh()
    server.serve_bytes(path, b"<?xml version='1.0'?><rss version='2.0'><channel/></rss>")
    await service.refresh()
    after = {e.id: e for e in service.entries(EntryFilter(feed_id=result.feed.id))}
    assert set(after) == set(ids), "entries that drop out of a feed stay cached"
    assert all(after[i].read for i in ids[:3])
    assert all(after[i].starred for i in ids[3:5])
    assert not any(after[i].read for i in ids[3:])


async def test_add_finds_the_feed_on_a_web_page(
    service: FeedService, server: HTTPTestServer
) -> None:
    feed = server.serve_bytes("/feed.atom", (FEEDS / "miniflux-v2__small_atom.xml").read_bytes())
    page = server.serve_bytes(
        "/",
        b'<!doctype html><html><head><link rel="alternate" type="application/atom+xml" '
        b'href="/feed.atom"></head><body>blog</body></html>',
        content_type="text/html; charset=utf-8",
    )
    result = await service.add_feed(server.url(page))
    assert result.feed.url == server.url(feed)
    assert result.discovered_from == server.url(page)
    assert result.new_entries > 0
    again = await service.add_feed(server.url(feed))
    assert again.already_subscribed


async def test_a_subscribed_feed_that_turns_into_html_is_not_switched(
    service: FeedService, server: HTTPTestServer
) -> None:
    path = server.serve_bytes("/f.xml", (FEEDS / "newsboat__rss091_1.xml").read_bytes())
    result = await service.add_feed(server.url(path))
    server.serve_bytes(
        path,
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/other.xml">'
        b"</head></html>",
        content_type="text/html",
    )
    report = await service.refresh()
    assert report.statuses[0].error == "not a feed (HTML page)"
    assert [f.url for f in service.feeds()] == [result.feed.url]


async def test_permanent_redirect_updates_the_stored_url(
    service: FeedService, server: HTTPTestServer
) -> None:
    target = server.serve_bytes("/new.xml", (FEEDS / "newsboat__rss091_1.xml").read_bytes())
    service.store.add_feed(server.url("/old.xml"))
    server.redirect("/old.xml", target, status=301)
    report = await service.refresh()
    assert report.statuses[0].moved_to == server.url(target)
    assert [f.url for f in service.feeds()] == [server.url(target)]
    assert server.url(target) in service.paths.opml_backup.read_text(encoding="utf-8")


async def test_retry_after_is_honoured_without_a_tight_loop(
    service: FeedService, server: HTTPTestServer
) -> None:
    path = server.serve_status("/busy", 429, retry_after=600)
    service.store.add_feed(server.url(path))
    first = await service.refresh()
    assert "429" in (first.statuses[0].error or "")
    second = await service.refresh()
    assert "wait" in (second.statuses[0].error or "")
    assert len(server.requests_to(path)) == 1


async def test_gzip_feed_and_search_in_chinese(
    service: FeedService, server: HTTPTestServer
) -> None:
    body = (FEEDS / "chardet__GB2312-w3cn.org.xml").read_bytes()
    path = server.serve_bytes("/gz.xml", body, encoding="gzip")
    await service.add_feed(server.url(path))
    assert service.count() > 0
    hits = service.entries(EntryFilter(search="使用"))
    assert any("使用" in e.title for e in hits)
    assert gzip.decompress(gzip.compress(body)) == body


def test_a_damaged_cache_is_set_aside_and_subscriptions_restored(
    home: Paths, tmp_path: Path
) -> None:
    subs = tmp_path / "urls"
    subs.write_text('https://example.org/feed.xml news "~Kept"\n', encoding="utf-8")
    with FeedService.open(home, fast_config(), parse_workers=0) as service:
        service.import_subscriptions(subs)
    home.database.write_bytes(b"this is not a database" * 100)
    with FeedService.open(home, fast_config(), parse_workers=0) as service:
        recovery = service.recovery
        assert recovery is not None and recovery.moved_to.exists()
        assert (recovery.restored, recovery.source) == (1, home.opml_backup)
        feeds = service.feeds()
        assert [(f.url, f.tags) for f in feeds] == [("https://example.org/feed.xml", ("news",))]
    assert Store(home.database).integrity_ok()


@pytest.mark.parametrize(
    ("typed", "url"),
    [
        ("example.org/feed", "https://example.org/feed"),
        ("127.0.0.1:8080/f.xml", "http://127.0.0.1:8080/f.xml"),
        ("localhost:3000/rss", "http://localhost:3000/rss"),
        ("http://example.org/", "http://example.org/"),
    ],
)
def test_an_address_without_a_scheme_gets_the_likely_one(typed: str, url: str) -> None:
    assert normalise_url(typed) == url


def test_a_feed_is_found_by_the_url_it_was_added_or_imported_under(tmp_path: Path) -> None:
    assert candidate_urls("example.org/feed") == ("https://example.org/feed", "example.org/feed")
    assert candidate_urls("https://example.org/feed") == ("https://example.org/feed",)
    with FeedService.open(resolve_paths(tmp_path), fast_config(), parse_workers=0) as service:
        added = service.store.add_feed("https://example.org/feed")
        imported = service.store.add_feed("news.example/rss")
        for typed, feed in [
            ("example.org/feed", added),
            ("https://example.org/feed", added),
            ("news.example/rss", imported),
        ]:
            found = service.feed(typed)
            assert found is not None and found.id == feed.id
        assert service.feed("example.org/other") is None
        assert service.remove_feed("news.example/rss")
        assert service.remove_feed("example.org/feed")
        assert service.feeds() == []
