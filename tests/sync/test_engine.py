"""The sync engine's rules, against a server kept in memory: what is pulled, pushed,
queued while offline, and which side wins a mark changed on both."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.sync.memory_server import PASSWORD, MemoryServer
from tests.ui.support import open_service
from tui.core.config import Config, SyncConfig
from tui.core.errors import FetchError
from tui.core.models import EntryFilter
from tui.core.service import FeedService
from tui.core.sync.base import SyncAuthError
from tui.core.sync.engine import SyncReport
from tui.core.sync.session import SyncSession

SYNC = SyncConfig(service="ttrss", url="http://127.0.0.1:9/tt-rss/", user="admin")


@pytest.fixture
def server() -> MemoryServer:
    srv = MemoryServer()
    srv.add_feed("1", "https://news.example/zh.xml", "中文新聞", "中文", "新聞")
    srv.add_feed("2", "https://blog.example/feed", "A blog")
    srv.add_entry("10", "1", "颱風接近台灣", "<p>中央氣象署發布颱風警報</p>")
    srv.add_entry("11", "1", "半導體出口創新高", read=True)
    srv.add_entry("12", "2", "Release notes")
    srv.add_entry("13", "2", "Second post")
    return srv


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedService]:
    monkeypatch.setenv("YUEDU_SYNC_PASSWORD", PASSWORD)
    svc = open_service(tmp_path / "home", Config(refresh_on_start=False, sync=SYNC))
    yield svc
    svc.close()


def sync(service: FeedService, server: MemoryServer) -> SyncReport:
    return asyncio.run(SyncSession(service, client=server.client()).sync())


def test_first_sync_pulls_feeds_categories_entries_and_marks(
    service: FeedService, server: MemoryServer
) -> None:
    report = sync(service, server)
    feeds = {f.url: f for f in service.feeds()}
    assert set(feeds) == {"https://news.example/zh.xml", "https://blog.example/feed"}
    assert feeds["https://news.example/zh.xml"].tags == ("中文", "新聞")
    assert feeds["https://news.example/zh.xml"].unread == 1
    entries = {e.title: e for e in service.entries()}
    assert entries["半導體出口創新高"].read and not entries["颱風接近台灣"].read
    assert report.new_entries == 4 and report.pulled == 4


def test_synced_entries_are_searched_and_queried_like_fetched_ones(
    service: FeedService, server: MemoryServer
) -> None:
    sync(service, server)
    found = service.entries(EntryFilter(search="氣象"))
    assert [e.title for e in found] == ["颱風接近台灣"]
    assert [e.title for e in service.entries(EntryFilter(search="台风"))] == ["颱風接近台灣"]
    queried = service.entries(EntryFilter(query='title =~ "颱風" and unread = "yes"'))
    assert [e.title for e in queried] == ["颱風接近台灣"]


def test_local_marks_are_pushed_and_server_marks_pulled(
    service: FeedService, server: MemoryServer
) -> None:
    sync(service, server)
    entries = {e.title: e for e in service.entries()}
    service.mark_read([entries["颱風接近台灣"].id])
    service.mark_starred([entries["Release notes"].id])
    server.mark("13", read=True)  # read on the phone meanwhile
    report = sync(service, server)
    assert server.entries["10"].read and server.entries["12"].starred
    assert report.pushed == 2 and report.waiting == 0
    assert {e.title: e for e in service.entries()}["Second post"].read


def test_marks_made_offline_wait_and_go_on_the_next_sync(
    service: FeedService, server: MemoryServer
) -> None:
    sync(service, server)
    entry = {e.title: e for e in service.entries()}["Second post"]
    server.down = True
    service.mark_read([entry.id])
    with pytest.raises(FetchError):
        sync(service, server)
    assert len(service.store.pending_marks()) == 1
    assert not server.entries["13"].read
    server.down = False
    sync(service, server)
    assert server.entries["13"].read
    assert service.store.pending_marks() == []
    synced = service.entry(entry.id)
    assert synced is not None and synced.read


def test_new_entries_arrive_on_the_next_sync_after_the_cursor(
    service: FeedService, server: MemoryServer
) -> None:
    sync(service, server)
    server.add_entry("20", "2", "Third post")
    report = sync(service, server)
    assert report.pulled == 1 and report.new_entries == 1
    assert "Third post" in {e.title for e in service.entries()}


def test_a_later_change_on_the_server_wins_an_earlier_one_loses(
    service: FeedService, server: MemoryServer
) -> None:
    sync(service, server)
    entries = {e.title: e for e in service.entries()}
    service.mark_read([entries["颱風接近台灣"].id])
    service.mark_read([entries["Release notes"].id])
    later = datetime.now(UTC) + timedelta(minutes=5)
    earlier = datetime.now(UTC) - timedelta(days=1)
    server.mark("10", read=False, starred=True, at=later)
    server.mark("12", read=False, at=earlier)
    server.changed = {"10", "12"}
    sync(service, server)
    now = {e.title: e for e in service.entries()}
    assert not now["颱風接近台灣"].read and now["颱風接近台灣"].starred
    assert now["Release notes"].read and server.entries["12"].read


def test_a_feed_left_on_the_server_is_left_here(service: FeedService, server: MemoryServer) -> None:
    sync(service, server)
    del server.feeds["2"]
    report = sync(service, server)
    assert report.unsubscribed == ["https://blog.example/feed"]
    assert [f.url for f in service.feeds()] == ["https://news.example/zh.xml"]


def test_a_refused_login_changes_nothing_and_never_shows_the_password(
    service: FeedService, server: MemoryServer, tmp_path: Path
) -> None:
    session = SyncSession(service, client=server.client("wrong"))
    with pytest.raises(SyncAuthError) as caught:
        asyncio.run(session.sync())
    assert PASSWORD not in str(caught.value)
    assert service.feeds() == []


def test_the_password_is_never_written_to_the_cache_or_config(
    service: FeedService, server: MemoryServer
) -> None:
    sync(service, server)
    service.close()
    home = service.paths.data_dir
    for path in home.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_a_different_account_starts_afresh(
    service: FeedService, server: MemoryServer, tmp_path: Path
) -> None:
    sync(service, server)
    entry = {e.title: e for e in service.entries()}["Second post"]
    service.mark_read([entry.id])
    other = Config(refresh_on_start=False, sync=SyncConfig("miniflux", "https://m.example/", "me"))
    service.config = other
    fresh = MemoryServer()
    fresh.add_feed("1", "https://other.example/rss", "Other")
    asyncio.run(SyncSession(service, client=fresh.client()).sync())
    assert fresh.pushes == []  # the first account's queued mark is not sent to the second
    assert "https://other.example/rss" in {f.url for f in service.feeds()}


def test_ignore_rules_drop_synced_entries_as_they_drop_fetched_ones(
    service: FeedService, server: MemoryServer
) -> None:
    service.add_ignore_rule('title =~ "^Release"')
    sync(service, server)
    titles = {e.title for e in service.entries()}
    assert "Release notes" not in titles and "Second post" in titles


def test_entries_past_max_entries_per_feed_go_as_on_a_refresh_starred_kept(
    tmp_path: Path, server: MemoryServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YUEDU_SYNC_PASSWORD", PASSWORD)
    config = Config(refresh_on_start=False, max_entries_per_feed=1, sync=SYNC)
    svc = open_service(tmp_path / "home", config)
    try:
        server.page_size = 1
        server.add_entry("14", "2", "Third post")
        server.mark("12", starred=True)
        sync(svc, server)
        blog = {e.title for e in svc.entries() if e.feed_url == "https://blog.example/feed"}
        assert blog == {"Release notes", "Third post"}
    finally:
        svc.close()


def test_unread_lists_are_read_only_for_feeds_whose_counts_changed(
    service: FeedService, server: MemoryServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.counts = True
    sync(service, server)
    sync(service, server)
    assert server.unread_asked == []  # nothing changed: no list asked for
    server.mark("13", read=True)
    sync(service, server)
    assert server.unread_asked[-1] == {"2"}
    assert {e.title: e for e in service.entries()}["Second post"].read
    # A swap keeps the count: read one, unread another. The daily full check sees it.
    server.mark("12", read=True)
    server.mark("13", read=False)
    sync(service, server)
    assert not {e.title: e for e in service.entries()}["Release notes"].read
    monkeypatch.setattr("tui.core.sync.engine.FULL_CHECK", 0)
    sync(service, server)
    assert server.unread_asked[-1] is None
    now = {e.title: e for e in service.entries()}
    assert now["Release notes"].read and not now["Second post"].read


def test_an_empty_feed_list_never_deletes_every_feed(
    service: FeedService, server: MemoryServer
) -> None:
    sync(service, server)
    kept = server.feeds
    server.feeds = {}
    report = sync(service, server)
    assert report.failures == ["the server listed no feeds: none unsubscribed here"]
    assert len(service.feeds()) == 2
    server.feeds = kept


def test_the_newest_entries_marks_are_exact_even_when_counts_match(
    service: FeedService, server: MemoryServer
) -> None:
    server.counts = True
    server.recent = 2  # the server gives its two newest entries' marks in one request
    sync(service, server)
    # A swap within one feed keeps its unread count: one read, the other made unread.
    server.mark("11", read=False)  # an older entry: the swap of it is left to the daily list
    server.mark("10", read=True)
    server.mark("12", read=True)  # the two newest (12, 13), both in feed 2
    server.mark("13", read=False, starred=True)
    entries = {e.title: e for e in service.entries()}
    sync(service, server)
    now = {e.title: e for e in service.entries()}
    assert now["Release notes"].read and not now["Second post"].read
    assert now["Second post"].starred
    assert server.unread_asked == []  # every count matched
    assert now["颱風接近台灣"].read == entries["颱風接近台灣"].read  # older: not yet


def test_feeds_only_here_are_named_in_the_report(
    service: FeedService, server: MemoryServer
) -> None:
    service.store.add_feed("https://only.example/here.xml")
    report = sync(service, server)
    assert report.local_only == ["https://only.example/here.xml"]
