"""The reader with ``[sync]`` set, against the Google Reader contract server: it syncs on
start and on R, and a mark made with a key reaches the server on its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import Label

from tests.sync.greader_server import Feed, GReaderServer, Item
from tests.ui.support import open_service, started, wait_for
from tui.core.config import Config, SyncConfig
from tui.core.service import FeedService
from tui.ui.app import ReaderApp


@pytest.fixture
def greader() -> Iterator[GReaderServer]:
    state = GReaderServer()
    state.feeds = {"feed/1": Feed("https://example.com/one.xml", "新聞", "中文")}
    state.items = [
        Item(number=n, feed="feed/1", crawl_ms=1_700_000_000_000 + n * 1000, title=f"颱風 {n}")
        for n in (1, 2, 3)
    ]
    with state.http:
        yield state


def status_text(app: ReaderApp) -> str:
    label = app.main_screen.query_one("#status-count", Label)
    shown = label.render()
    return shown.plain if isinstance(shown, Text) else str(shown)


@pytest.fixture
def service(
    greader: GReaderServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FeedService]:
    """A fresh home set to sync with ``greader``, syncing when the reader starts."""
    monkeypatch.setenv("YUEDU_SYNC_PASSWORD", greader.password)
    sync = SyncConfig(service="greader", url=greader.url, user=greader.user)
    svc = open_service(tmp_path / "home", Config(refresh_on_start=True, sync=sync))
    yield svc
    svc.close()


async def test_the_reader_syncs_and_pushes_marks_by_itself(
    greader: GReaderServer, service: FeedService
) -> None:
    app = ReaderApp(service)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot)
        screen = app.main_screen
        await wait_for(pilot, lambda: len(screen.entry_list.ids) == 3)
        await wait_for(pilot, lambda: "Synced" in status_text(app))
        first = screen.entry_list.current_id
        entry = service.entry(first or 0)
        assert entry is not None and not entry.read
        number = int(entry.title.split()[-1])
        await pilot.press("m")
        # Pushed a couple of seconds after the mark, without a sync being asked for.
        await wait_for(pilot, lambda: greader.item(number).read, timeout=15)
        assert service.store.pending_marks() == []

        other = next(item for item in greader.items if item.number != number)
        other.starred = True  # starred on the phone
        await pilot.press("R")
        await wait_for(pilot, lambda: any(e.starred for e in service.entries()), timeout=15)
        assert greader.refused == []


async def test_a_mark_made_just_before_quitting_still_reaches_the_server(
    greader: GReaderServer, service: FeedService
) -> None:
    app = ReaderApp(service)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot)
        screen = app.main_screen
        await wait_for(pilot, lambda: "Synced" in status_text(app))
        entry = service.entry(screen.entry_list.current_id or 0)
        assert entry is not None
        number = int(entry.title.split()[-1])
        await pilot.press("m")
        await wait_for(pilot, lambda: service.store.pending_marks() != [])
        await pilot.press("ctrl+c")
    assert greader.item(number).read
