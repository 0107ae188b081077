"""The article pane shows the entry under the cursor, or says why it shows none; keys that
act on an entry say so when there is none."""

from __future__ import annotations

from tests.httpserver import HTTPTestServer
from tests.ui.support import (
    ZH,
    FeedSpec,
    Item,
    frozen_clock,
    serve,
    settled,
    started,
    wait_for,
)
from tui.core.service import FeedService
from tui.ui.app import ReaderApp

WIDE = (120, 35)


def shown_id(app: ReaderApp) -> int | None:
    entry = app.main_screen.article.entry
    return entry.id if entry is not None else None


def messages(app: ReaderApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_moving_the_cursor_after_opening_shows_the_new_entry(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        await pilot.press("enter")
        await settled(pilot)
        opened = shown_id(app)
        await pilot.press("shift+tab")
        assert app.focused is main.entry_list
        await pilot.press("j")
        await wait_for(pilot, lambda: shown_id(app) == main.entry_list.current_id)
        assert shown_id(app) != opened and not main.article_open


async def test_after_a_delete_the_pane_shows_an_entry_that_still_exists(
    service: FeedService,
) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        zh = next(f for f in service.feeds() if f.title == ZH.title)
        main.lists.show_view(main.lists.view_for_key(f"feed:{zh.url}"))  # type: ignore[arg-type]
        await pilot.press("enter")
        await settled(pilot)
        assert main.article.entry is not None and main.article.entry.feed_url == zh.url
        await pilot.press("d", "y")
        await wait_for(pilot, lambda: service.feed(zh.url) is None)
        await wait_for(pilot, lambda: shown_id(app) == main.entry_list.current_id)
        assert main.article.entry is not None and main.article.entry.feed_url != zh.url
        await pilot.press("s")
        starred = main.entry_list.current_id
        await wait_for(pilot, lambda: service.entries_by_ids([starred])[0].starred)  # type: ignore[list-item]


async def test_after_an_add_the_pane_shows_the_new_feeds_entry(
    service: FeedService, server: HTTPTestServer
) -> None:
    url = serve(server, FeedSpec("/new.xml", "Brand New", [Item("Fresh item")]))
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        await pilot.press("enter")
        await settled(pilot)
        await pilot.press("a")
        app.screen.query_one("Input").value = url  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is main)
        await wait_for(
            pilot,
            lambda: main.article.entry is not None and main.article.entry.title == "Fresh item",
        )
        assert app.focused is main.entry_list


async def test_an_empty_list_says_so_and_s_and_m_say_why_they_do_nothing(
    service: FeedService,
) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await started(pilot)
        main = app.main_screen
        main.lists.show_view(main.lists.view_for_key("starred"))  # type: ignore[arg-type]
        await wait_for(pilot, lambda: main.article.entry is None and main.article.lines != [])
        assert "No starred entries" in main.article.lines[0].plain
        assert "No starred entries" in main.entry_list.empty_text
        await pilot.press("s", "m")
        await wait_for(pilot, lambda: messages(app).count("No entry under the cursor") == 2)
