"""Keys that cannot act say why, and failures say what failed: d outside a feed, a failing
feed's empty list, an add of something that is no address, and A with its undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tests.httpserver import HTTPTestServer
from tests.ui.support import (
    FEEDS,
    FeedSpec,
    Item,
    frozen_clock,
    open_service,
    started,
    subscribe_async,
    wait_for,
)
from tui.core.models import EntryFilter
from tui.core.service import FeedService
from tui.ui.app import ReaderApp
from tui.ui.screens.modals import AddFeedScreen, ConfirmScreen
from tui.ui.views import View

WIDE = (120, 35)


def messages(app: ReaderApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.mark.parametrize(
    ("view", "said"),
    [
        (View("all"), "all feeds"),
        (View("unread"), "all feeds"),
        (View("starred"), "all feeds"),
        (View("tag", "English"), "a tag"),
        (View("search", "story"), "a search"),
    ],
)
async def test_d_outside_a_feed_says_why_it_does_nothing(
    service: FeedService, view: View, said: str
) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await started(pilot)
        app.main_screen.lists.show_view(view)
        await pilot.press("d")
        await pilot.pause()
        assert any(said in m and "d deletes a feed" in m for m in messages(app))
        assert app.screen is app.main_screen
        assert len(service.feeds()) == len(FEEDS)


async def test_a_failing_feed_shows_its_error_in_its_empty_list(
    tmp_path: Path, server: HTTPTestServer
) -> None:
    service = open_service(tmp_path / "home")
    await subscribe_async(service, server, [FeedSpec("/empty.xml", "Quiet Feed", [])])
    server.serve_status("/empty.xml", 503)
    await service.refresh()
    try:
        app = ReaderApp(service, clock=frozen_clock)
        async with app.run_test(size=WIDE) as pilot:
            await started(pilot)
            main = app.main_screen
            feed = service.feeds()[0]
            main.lists.show_view(View("feed", feed.url, feed.id))
            await pilot.pause()
            note = main.entry_list.empty_text
            assert "Quiet Feed failed" in note and "503" in note
            assert "Enter opens" not in note
            await wait_for(pilot, lambda: any("503" in line.plain for line in main.article.lines))
    finally:
        service.close()


async def test_adding_text_that_is_no_address_says_so(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, AddFeedScreen)
        app.screen.query_one(Input).value = "not a url"
        await pilot.press("enter")
        message = str(app.screen.query_one("#prompt-message").render())
        assert "“not a url” is not a web address" in message


async def test_A_asks_beyond_a_screenful_and_u_undoes_it(
    tmp_path: Path, server: HTTPTestServer
) -> None:
    service = open_service(tmp_path / "home")
    items = [Item(f"Item {n}", age_hours=n + 1) for n in range(60)]
    await subscribe_async(service, server, [FeedSpec("/many.xml", "Many", items)])
    service.mark_read(service.entry_ids()[:5], True)
    try:
        app = ReaderApp(service, clock=frozen_clock)
        async with app.run_test(size=WIDE, notifications=True) as pilot:
            await started(pilot)
            await pilot.press("A")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            assert service.count(EntryFilter(unread_only=True)) == 55
            await pilot.press("A", "y")
            await wait_for(pilot, lambda: service.count(EntryFilter(unread_only=True)) == 0)
            await pilot.press("u")
            await wait_for(pilot, lambda: service.count(EntryFilter(unread_only=True)) == 55)
            assert all(service.entries_by_ids(service.entry_ids()[:5])[i].read for i in range(5))
            await wait_for(pilot, lambda: "55 entries unread again" in messages(app))
            await pilot.press("u")
            await wait_for(pilot, lambda: "No mark-all to undo" in messages(app))
    finally:
        service.close()
