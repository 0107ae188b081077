"""The wide layout previews the entry under the cursor; nothing is marked read until Enter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.httpserver import HTTPTestServer, server_fixture
from tests.ui.support import (
    FEEDS,
    frozen_clock,
    open_service,
    started,
    subscribe,
    wait_for,
    widget_text,
)
from tui.core.config import Config
from tui.core.service import FeedService
from tui.ui.app import ReaderApp

server = server_fixture()


@pytest.fixture
def service(tmp_path: Path, server: HTTPTestServer) -> Iterator[FeedService]:
    svc = open_service(tmp_path / "home", Config(refresh_on_start=False))
    subscribe(svc, server, FEEDS)
    yield svc
    svc.close()


async def test_the_article_pane_follows_the_resting_cursor(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot)
        main = app.main_screen
        ids = service.entry_ids()
        await wait_for(pilot, lambda: main.article.entry is not None)
        assert main.article.entry is not None and main.article.entry.id == ids[0]
        await pilot.press("j", "j")
        await wait_for(pilot, lambda: main.article_settled)
        assert main.article.entry is not None and main.article.entry.id == ids[2]
        assert not main.article_open, "a preview is not an opened article"
        assert app.focused is main.entry_list
        assert not any(e.read for e in service.entries())
        await pilot.press("enter")
        assert main.article_open

        def opened_read() -> bool:
            opened = service.entry(ids[2])
            return opened is not None and opened.read

        await wait_for(pilot, opened_read)
        await pilot.press("q")
        assert not main.article_open and app.return_code is None


async def test_no_preview_where_the_article_would_cover_the_lists(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await started(pilot)
        main = app.main_screen
        await pilot.press("j")
        await wait_for(pilot, lambda: main.article_settled)
        assert main.article.entry is None


async def test_a_first_start_without_feeds_says_how_to_get_some(tmp_path: Path) -> None:
    svc = open_service(tmp_path / "empty", Config(refresh_on_start=True))
    try:
        app = ReaderApp(svc, clock=frozen_clock)
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await started(pilot)
            await wait_for(pilot, lambda: bool(app.screen.query("Toast")))
            shown = " ".join(widget_text(toast) for toast in app.screen.query("Toast"))
            assert "No feeds yet. Press a to add" in shown
            assert "yuedu import" in shown.replace("\n", " ")
            assert not app.main_screen.refreshing
    finally:
        svc.close()
