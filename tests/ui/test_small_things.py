"""Small things: the status line's ellipsis and "1 entry", the palette's descriptions, the
binding ids in the key list, and entries without a date."""

from __future__ import annotations

from pathlib import Path

from tests.httpserver import HTTPTestServer
from tests.ui.support import (
    NOW,
    FeedSpec,
    Item,
    frozen_clock,
    open_service,
    rss,
    started,
    subscribe_async,
    widget_text,
)
from tui.core.service import FeedService
from tui.ui.app import ReaderApp
from tui.ui.commands import ReaderCommands
from tui.ui.screens.help import HelpScreen
from tui.ui.views import View


async def test_the_status_line_says_1_entry_and_ends_cut_text_with_an_ellipsis(
    tmp_path: Path, server: HTTPTestServer
) -> None:
    service = open_service(tmp_path / "home")
    await subscribe_async(service, server, [FeedSpec("/one.xml", "One", [Item("Only item")])])
    try:
        app = ReaderApp(service, clock=frozen_clock)
        async with app.run_test(size=(120, 30)) as pilot:
            await started(pilot)
            main = app.main_screen
            assert "1 entry ·" in str(main.query_one("#status-view").render())
            main.status.refresh_finished("Updated 04:22 · 0 new · 2 failing (e) and more words")
            await pilot.resize_terminal(40, 20)
            await pilot.pause()
            parts = [widget_text(main.query_one(f"#status-{p}")) for p in ("view", "count")]
            assert all(part.rstrip().endswith("…") for part in parts), parts
    finally:
        service.close()


async def test_palette_commands_say_what_they_do(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        await started(pilot)
        provider = ReaderCommands(app.screen)
        helps = [help_text for _p, _run, help_text in provider._commands(app.main_screen)]
        assert not {"command", "feed", "virtual feed", "theme"} & set(helps)
        assert all(len(h.split()) >= 3 for h in helps)


async def test_the_key_list_shows_binding_ids(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(120, 50)) as pilot:
        await started(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        shown = "\n".join(widget_text(w) for w in app.screen.query("Static"))
        for binding_id in ("next_unread", "zoom", "toggle_star", "down"):
            assert binding_id in shown


async def test_an_entry_without_a_date_shows_none_and_sorts_after_the_dated(
    tmp_path: Path, server: HTTPTestServer
) -> None:
    body = rss("Mixed", [Item("Dated one", age_hours=5), Item("Dated two", age_hours=30)])
    undated = b"<item><title>No date here</title><link>https://example.org/nd</link></item>"
    body = body.replace(b"</channel>", undated + b"</channel>")
    url = server.url(server.serve_bytes("/mixed.xml", body, content_type="application/rss+xml"))
    service = open_service(tmp_path / "home")
    await service.add_feed(url)
    try:
        app = ReaderApp(service, clock=frozen_clock)
        async with app.run_test(size=(120, 35)) as pilot:
            await started(pilot)
            main = app.main_screen
            main.lists.show_view(View("all"))
            entries = main.entry_list
            titles = [entries.entry_at(i).title for i in range(len(entries.ids))]  # type: ignore[union-attr]
            assert titles == ["Dated one", "Dated two", "No date here"]
            row = entries.render_row(2, 80).plain
            assert row[3:8].strip() == "", row
            assert NOW.strftime("%m-%d") not in row
    finally:
        service.close()
