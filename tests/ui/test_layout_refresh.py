"""Layouts by width, re-layout on resize, background refresh with progress, a big list."""

from __future__ import annotations

from pathlib import Path

from tests.httpserver import HTTPTestServer
from tests.ui.support import (
    TECH,
    FeedSpec,
    Item,
    frozen_clock,
    open_service,
    rss,
    settled,
    started,
    subscribe_async,
    wait_for,
    widget_text,
)
from tui.core.service import FeedService
from tui.core.text.breaker import cell_width
from tui.ui.app import ReaderApp
from tui.ui.widgets.status_bar import StatusBar


def shown(app: ReaderApp) -> set[str]:
    main = app.main_screen
    return {w.id or "" for w in (main.feed_list, main.entry_list, main.article) if w.display}


async def test_wide_terminals_show_three_panes(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(130, 40)) as pilot:
        await started(pilot)
        assert app.main_screen.layout_mode == "wide"
        assert shown(app) == {"feeds", "entries", "article"}
        await pilot.press("enter")
        assert shown(app) == {"feeds", "entries", "article"}


async def test_medium_terminals_show_the_article_full_width(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        main = app.main_screen
        assert main.layout_mode == "medium"
        assert shown(app) == {"feeds", "entries"}
        await pilot.press("enter")
        await pilot.pause()
        assert shown(app) == {"article"}
        assert main.article.size.width >= 95
        assert main.article.lines and main.article.layout_width > 90
        await pilot.press("q")
        await pilot.pause()
        assert shown(app) == {"feeds", "entries"}


async def test_narrow_terminals_show_one_pane(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(60, 24)) as pilot:
        await started(pilot)
        main = app.main_screen
        assert main.layout_mode == "narrow"
        assert shown(app) == {"entries"}
        await pilot.press("tab")
        assert shown(app) == {"feeds"}
        await pilot.press("tab")
        assert shown(app) == {"entries"}
        await pilot.press("enter")
        await pilot.pause()
        assert shown(app) == {"article"}
        await pilot.press("escape")
        assert shown(app) == {"entries"}
        await pilot.press("escape")
        assert shown(app) == {"feeds"}


async def test_resizing_lays_the_article_out_again(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(200, 40)) as pilot:
        await started(pilot)
        article = app.main_screen.article
        await pilot.press("enter")
        await settled(pilot)
        seen = {article.layout_width: len(article.lines)}
        for width in (130, 100, 60, 200):
            before = article.layout_width
            await pilot.resize_terminal(width, 40)
            await wait_for(pilot, lambda before=before: article.layout_width != before)
            assert article.layout_width == article.scrollable_content_region.width
            assert max(cell_width(line.plain) for line in article.lines) <= article.layout_width
            seen.setdefault(article.layout_width, len(article.lines))
            assert len(article.lines) == seen[article.layout_width]
        assert len(seen) == 4
        assert seen[min(seen)] > seen[max(seen)]


async def test_refresh_shows_progress_and_keeps_the_cursor(
    service: FeedService, server: HTTPTestServer
) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(130, 40)) as pilot:
        await started(pilot)
        main = app.main_screen
        await pilot.press("j")
        kept = main.entry_list.current_id
        # A newer item lands above the cursor while the refresh runs slowly.
        items = [Item("Breaking: even newer", age_hours=0.5), *TECH.items]
        server.serve_bytes("/tech.xml", rss(TECH.title, items, slug="tech"))
        server.latency = 0.3
        status = main.query_one(StatusBar)
        await pilot.press("R")
        await wait_for(pilot, lambda: status.has_class("-refreshing"))
        assert "Refreshing" in str(main.query_one("#status-count").render())
        await wait_for(pilot, lambda: not main.refreshing)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not status.has_class("-refreshing")
        assert "1 new" in str(main.query_one("#status-count").render())
        assert main.entry_list.current_id == kept
        assert main.entry_list.cursor == 2
        assert main.entry_list.entry_at(0).title == "Breaking: even newer"  # type: ignore[union-attr]


async def test_refresh_on_start_when_configured(tmp_path: Path, server: HTTPTestServer) -> None:
    from tui.core.config import Config

    service = open_service(tmp_path / "home", Config(refresh_on_start=True))
    await subscribe_async(service, server, [FeedSpec("/one.xml", "One", [Item("first")])])
    server.clear_log()
    try:
        app = ReaderApp(service, clock=frozen_clock)
        async with app.run_test(size=(130, 40)) as pilot:
            await started(pilot)
            await wait_for(pilot, lambda: len(server.requests) == 1)
            await app.workers.wait_for_complete()
    finally:
        service.close()


async def test_a_long_list_builds_only_what_is_on_screen(
    tmp_path: Path, server: HTTPTestServer
) -> None:
    items = [Item(f"Entry number {n}", body="", age_hours=n / 10) for n in range(3000)]
    service = open_service(tmp_path / "home")
    await subscribe_async(service, server, [FeedSpec("/long.xml", "Long", items)])
    try:
        app = ReaderApp(service, clock=frozen_clock)
        async with app.run_test(size=(130, 30)) as pilot:
            await started(pilot)
            entries = app.main_screen.entry_list
            assert entries.row_count == 3000
            assert len(list(app.screen.walk_children())) < 30
            await pilot.press("G")
            await pilot.pause()
            last = entries.entry_at(entries.cursor)
            assert last is not None and last.title == "Entry number 2999"
            assert "Entry number 2999" in widget_text(entries)
            await pilot.press("pageup", "pageup", "k", "k")
            await pilot.pause()
            assert entries.cached_rows < 400
            # While a refresh holds the store, rows are read by a thread and drawn on arrival.
            entries.load_in_background = True
            entries.forget()
            await pilot.press("g")
            await wait_for(pilot, lambda: entries.entry_at(0) is not None)
            assert "Entry number 0" in widget_text(entries)
    finally:
        service.close()


async def test_entries_landing_above_keep_the_cursor_on_its_screen_line(
    tmp_path: Path, server: HTTPTestServer
) -> None:
    items = [Item(f"Entry {n}", body="", age_hours=n + 1) for n in range(100)]
    service = open_service(tmp_path / "home")
    await subscribe_async(service, server, [FeedSpec("/many.xml", "Many", items)])
    try:
        app = ReaderApp(service, clock=frozen_clock)
        async with app.run_test(size=(130, 20)) as pilot:
            await started(pilot)
            entries = app.main_screen.entry_list
            await pilot.press(*["j"] * 40)
            kept, line = entries.current_id, entries.cursor - entries.scroll_offset.y
            assert entries.scroll_offset.y > 0
            fresh = [Item(f"Fresh {n}", body="", age_hours=0.1 * (n + 1)) for n in range(3)]
            server.serve_bytes("/many.xml", rss("Many", [*fresh, *items], slug="many"))
            await pilot.press("R")
            await wait_for(pilot, lambda: entries.row_count == 103)
            assert entries.current_id == kept and entries.cursor == 43
            assert entries.cursor - entries.scroll_offset.y == line
    finally:
        service.close()
