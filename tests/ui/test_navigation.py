"""Stepping back as newsboat does, and quitting: q, Esc and Ctrl+C at every level."""

from __future__ import annotations

import pytest

from tests.httpserver import HTTPTestServer
from tests.ui.support import (
    frozen_clock,
    settled,
    started,
    wait_for,
)
from tui.core.service import FeedService
from tui.ui.app import ReaderApp
from tui.ui.screens.modals import ConfirmScreen

WIDE = (120, 35)


@pytest.mark.parametrize("size", [WIDE, (100, 30), (60, 24)])
async def test_q_steps_back_article_list_feeds_then_quits(
    service: FeedService, size: tuple[int, int]
) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=size) as pilot:
        await started(pilot)
        main = app.main_screen
        await pilot.press("enter")
        await settled(pilot)
        assert main.article_open and app.focused is main.article
        await pilot.press("q")
        assert not main.article_open and app.focused is main.entry_list
        await pilot.press("q")
        assert app.focused is main.feed_list and app.return_code is None
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_escape_steps_back_in_the_lists_and_never_quits(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        await pilot.press("enter")
        await settled(pilot)
        await pilot.press("escape")
        assert not main.article_open and app.focused is main.entry_list
        await pilot.press("escape")
        assert app.focused is main.feed_list
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.focused is main.feed_list and app.return_code is None


async def test_ctrl_c_quits_at_once(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await pilot.press("enter")
        await settled(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 0


async def test_ctrl_c_asks_while_a_refresh_writes(
    service: FeedService, server: HTTPTestServer
) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        server.latency = 1.0
        await pilot.press("R")
        await wait_for(pilot, lambda: main.refreshing)
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await pilot.pause()
        assert app.return_code is None and app.screen is main
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
