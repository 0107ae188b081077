"""The promised keyboard flow, key by key, against the real service and a local server."""

from __future__ import annotations

import asyncio
import fcntl
import gc
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from tests.httpserver import HTTPTestServer, server_fixture
from tests.ui.support import (
    FEEDS,
    TECH,
    ZH,
    frozen_clock,
    open_service,
    settled,
    started,
    subscribe,
    subscribe_async,
    wait_for,
    widget_text,
)
from tui.core.config import Config
from tui.core.models import EntryFilter
from tui.core.service import FeedService
from tui.ui.app import ReaderApp
from tui.ui.screens.errors import ErrorsScreen
from tui.ui.screens.help import HelpScreen
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.entry_list import EntryList
from tui.ui.widgets.feed_list import FeedList

server = server_fixture()
WIDE = (140, 40)


@pytest.fixture
def browser_log(tmp_path: Path) -> Path:
    return tmp_path / "browser.jsonl"


@pytest.fixture
def service(tmp_path: Path, server: HTTPTestServer, browser_log: Path) -> Iterator[FeedService]:
    script = (
        f"import json,sys; open({str(browser_log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')"
    )
    config = Config(refresh_on_start=False, browser=(sys.executable, "-c", script))
    svc = open_service(tmp_path / "home", config)
    subscribe(svc, server, FEEDS)
    yield svc
    svc.close()


def app_for(service: FeedService) -> ReaderApp:
    return ReaderApp(service, clock=frozen_clock)


def is_read(service: FeedService, entry_id: int) -> bool:
    return service.entries_by_ids([entry_id])[0].read


async def test_opens_on_the_newest_entry_of_all(service: FeedService) -> None:
    app = app_for(service)
    async with app.run_test(size=WIDE):
        main = app.main_screen
        assert main.view.kind == "all"
        assert main.entry_list.cursor == 0
        assert main.entry_list.current_id == service.entry_ids()[0]
        newest = service.entries(limit=1)[0]
        assert newest.title == "Newest tech story"
        assert app.focused is main.entry_list


async def test_enter_opens_marks_read_and_q_goes_back_then_quits(service: FeedService) -> None:
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        first = main.entry_list.current_id
        assert first is not None
        await pilot.press("enter")
        await settled(pilot)
        assert main.article.entry is not None and main.article.entry.id == first
        assert app.focused is main.article
        await wait_for(pilot, lambda: is_read(service, first))
        assert "Newest tech story" in main.article.lines[0].plain
        await pilot.press("q")
        assert not main.article_open
        assert app.focused is main.entry_list
        await pilot.press("enter", "escape")
        assert not main.article_open
        assert app.return_code is None
        await pilot.press("q")
        assert app.focused is main.feed_list and app.return_code is None
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_j_k_arrows_g_and_G_move_the_cursor(service: FeedService) -> None:
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        entries = app.main_screen.entry_list
        total = len(service.entry_ids())
        await pilot.press("j", "j")
        assert entries.cursor == 2
        await pilot.press("k")
        assert entries.cursor == 1
        await pilot.press("down", "down", "up")
        assert entries.cursor == 2
        await pilot.press("G")
        assert entries.cursor == total - 1
        await pilot.press("g")
        assert entries.cursor == 0


async def test_tab_and_shift_tab_switch_panes(service: FeedService) -> None:
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        await pilot.press("tab")
        assert app.focused is main.feed_list
        await pilot.press("tab")
        assert app.focused is main.entry_list
        await pilot.press("enter")
        assert app.focused is main.article
        await pilot.press("shift+tab")
        assert app.focused is main.entry_list
        await pilot.press("tab")
        assert app.focused is main.article


async def test_feed_list_moves_change_the_entry_list(service: FeedService) -> None:
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        await pilot.press("tab")
        feed = service.feed(service.feeds()[1].url)
        assert feed is not None
        rows = [row.label for row in main.feed_list.rows]
        target = rows.index(feed.title)
        for _ in range(target):
            await pilot.press("j")
        assert main.view.kind == "feed" and main.view.feed_id == feed.id
        assert list(main.entry_list.ids) == service.entry_ids(EntryFilter(feed_id=feed.id))
        await pilot.press("enter")
        assert app.focused is main.entry_list
        await pilot.press("tab", "k")  # back to the feeds, up one row
        await pilot.press("j", "tab")
        assert main.view.feed_id == feed.id


async def test_n_and_p_go_to_unread_entries_across_feeds(service: FeedService) -> None:
    zh = service.feed(next(f.url for f in service.feeds() if f.title == ZH.title))
    assert zh is not None
    tech_ids = [f.id for f in service.feeds() if f.title == TECH.title]
    service.mark_read(service.entry_ids(EntryFilter(feed_id=tech_ids[0]))[1:])
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        all_ids = service.entry_ids()
        unread = service.entry_ids(EntryFilter(unread_only=True))
        await pilot.press("n")
        assert main.entry_list.current_id == unread[1]
        await pilot.press("p")
        assert main.entry_list.current_id == unread[0] == all_ids[0]
        # In a feed with nothing unread left, n moves on to the next feed with unread entries.
        tech = service.feeds()[0]
        main.lists.show_view(main.lists.view_for_key(f"feed:{tech.url}"))  # type: ignore[arg-type]
        main.entry_list.move_cursor(len(main.entry_list.ids) - 1)
        await pilot.press("n")
        assert main.view.kind == "feed" and main.view.feed_id != tech.id
        current = main.entry_list.current_id
        assert current in unread


async def test_space_and_b_page_the_article(service: FeedService) -> None:
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        await pilot.press("enter")
        await settled(pilot)
        article = main.query_one(ArticleView)
        assert len(article.lines) > 60
        await pilot.press("space")
        first_page = article.scroll_offset.y
        assert first_page > 10
        await pilot.press("space")
        assert article.scroll_offset.y > first_page
        await pilot.press("b")
        assert article.scroll_offset.y == first_page
        await pilot.press("G")
        assert article.scroll_offset.y == article.max_scroll_y
        await pilot.press("g")
        assert article.scroll_offset.y == 0


async def _browser_calls(log: Path, count: int) -> list[list[str]]:
    import asyncio

    for _ in range(500):
        if log.exists():
            lines = log.read_text().splitlines()
            if len(lines) >= count and all(line.endswith("]") for line in lines):
                return [json.loads(line) for line in lines]
        await asyncio.sleep(0.02)
    raise AssertionError("the browser was not started")


async def test_o_opens_the_link_and_marks_read(service: FeedService, browser_log: Path) -> None:
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        entry = main.current_entry()
        assert entry is not None and not entry.read
        await pilot.press("o")
        calls = await _browser_calls(browser_log, 1)
        assert calls == [[entry.link]]
        await wait_for(pilot, lambda: is_read(service, entry.id))


async def test_number_keys_open_numbered_links(service: FeedService, browser_log: Path) -> None:
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await pilot.press("enter")
        await settled(pilot)
        text = "\n".join(line.plain for line in app.main_screen.article.lines)
        assert "[1]" in text and "[2]" in text
        await pilot.press("2")
        calls = await _browser_calls(browser_log, 1)
        assert calls == [["https://example.org/b"]]
        await pilot.press("1")
        calls = await _browser_calls(browser_log, 2)
        assert calls[1] == ["https://example.org/a"]
        await pilot.press("9")  # no such link: a message, no browser
        await pilot.pause()
        assert len(browser_log.read_text().splitlines()) == 2


async def test_m_s_and_A_change_state(service: FeedService) -> None:
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        entry_id = main.entry_list.current_id
        assert entry_id is not None
        await pilot.press("m")
        await wait_for(pilot, lambda: is_read(service, entry_id))
        await pilot.press("m")
        await wait_for(pilot, lambda: not is_read(service, entry_id))
        await pilot.press("s")
        await wait_for(pilot, lambda: service.entries_by_ids([entry_id])[0].starred)
        assert service.count(EntryFilter(starred_only=True)) == 1

        def feed_row_count(label: str) -> int:
            return next(r for r in main.feed_list.rows if r.label == label).count

        await wait_for(pilot, lambda: feed_row_count("Starred") == 1)
        await pilot.press("A")
        await wait_for(pilot, lambda: service.count(EntryFilter(unread_only=True)) == 0)
        await wait_for(pilot, lambda: feed_row_count("All") == 0)


async def test_marks_show_at_once_while_another_process_writes(
    service: FeedService,
) -> None:
    """A refresh in another process holds the cache: m and s answer at once, the store
    gets them, in order, when it is free."""
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        entries = app.main_screen.entry_list
        entry_id = entries.current_id
        assert entry_id is not None
        # Another yuedu writing: it holds the writers' file lock, then SQLite's.
        lock = os.open(f"{service.store.path}-writer", os.O_RDWR)
        fcntl.flock(lock, fcntl.LOCK_EX)
        other = sqlite3.connect(service.store.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("m", "s", "m")
            row = entries.entry_at(entries.cursor)
            assert row is not None and (row.read, row.starred) == (False, True)
            # Reading goes on while the marks wait for the lock (not for its 10 s timeout).
            read = asyncio.to_thread(service.entries_by_ids, [entry_id])
            assert not (await asyncio.wait_for(read, 2))[0].starred
        finally:
            other.execute("COMMIT")
            other.close()
            os.close(lock)
        await wait_for(pilot, lambda: service.entries_by_ids([entry_id])[0].starred)
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: not entries._marks)
        stored = service.entries_by_ids([entry_id])[0]
        assert (stored.read, stored.starred) == (False, True)
        row = entries.entry_at(entries.cursor)
        assert row is not None and (row.read, row.starred) == (False, True)


async def test_r_refreshes_the_feed_and_R_all(service: FeedService, server: HTTPTestServer) -> None:
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        tech = service.feeds()[0]
        main.lists.show_view(main.lists.view_for_key(f"feed:{tech.url}"))  # type: ignore[arg-type]
        server.clear_log()
        await pilot.press("r")
        await wait_for(pilot, lambda: not main.refreshing and server.requests)
        await app.workers.wait_for_complete()
        assert {r.route_path for r in server.requests} == {"/tech.xml"}
        server.clear_log()
        await pilot.press("R")
        await wait_for(pilot, lambda: len(server.requests) >= 3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert {r.route_path for r in server.requests} == {"/tech.xml", "/zh.xml", "/ja.xml"}
        assert "Updated" in str(main.query_one("#status-count").render())


async def test_slash_searches_chinese_and_japanese(service: FeedService) -> None:
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        for query, title in (
            ("颱風", "颱風逼近臺灣東部海面"),
            ("桜", "東京の桜が満開になりました"),
        ):
            await pilot.press("slash")
            app.screen.query_one("Input").value = query  # type: ignore[attr-defined]
            await pilot.press("enter")
            await pilot.pause()
            assert main.view.kind == "search" and main.view.value == query
            found = main.entry_list.entry_at(0)
            assert found is not None and found.title == title
            assert any(row.label == f"Search: {query}" for row in main.feed_list.rows)


async def test_a_adds_a_feed_and_shows_errors_on_one_line(
    service: FeedService, server: HTTPTestServer
) -> None:
    from tests.ui.support import FeedSpec, Item, serve

    url = serve(server, FeedSpec("/new.xml", "Brand New", [Item("Fresh item")]))
    server.serve_status("/gone.xml", 404)
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        await pilot.press("a")
        field = app.screen.query_one("Input")
        field.value = server.url("/gone.xml")  # type: ignore[attr-defined]
        await pilot.press("enter")
        message = app.screen.query_one("#prompt-message")
        await wait_for(pilot, lambda: "404" in str(message.render()))
        assert "\n" not in str(message.render())
        field.value = url  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is main)
        assert main.view.kind == "feed" and main.view.value == url
        assert main.entry_list.entry_at(0).title == "Fresh item"  # type: ignore[union-attr]
        assert service.feed(url) is not None


async def test_d_deletes_a_feed_after_confirmation(service: FeedService) -> None:
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        zh = next(f for f in service.feeds() if f.title == ZH.title)
        main.lists.show_view(main.lists.view_for_key(f"feed:{zh.url}"))  # type: ignore[arg-type]
        await pilot.press("d")
        await pilot.press("n")
        assert service.feed(zh.url) is not None
        await pilot.press("d", "y")
        await pilot.pause()
        assert service.feed(zh.url) is None
        assert main.view.kind == "all"
        assert all(row.label != ZH.title for row in main.feed_list.rows)


async def test_e_lists_failing_feeds_with_reasons(
    service: FeedService, server: HTTPTestServer
) -> None:
    server.serve_status("/zh.xml", 500)
    await service.refresh()
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        failing = next(r for r in main.feed_list.rows if r.label == ZH.title)
        assert failing.failing
        await pilot.press("e")
        assert isinstance(app.screen, ErrorsScreen)
        options = app.screen.query_one("#errors-list")
        prompt = str(options.get_option_at_index(0).prompt)  # type: ignore[attr-defined]
        assert ZH.title in prompt and "500" in prompt
        await pilot.press("enter")
        assert app.screen is main
        assert main.view.kind == "feed" and main.view.value == failing.view.value  # type: ignore[union-attr]


async def test_question_mark_lists_every_key(service: FeedService) -> None:
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(
            f"{keys} {description} {ids}"
            for _t, rows in app.help_sections()
            for keys, description, ids in rows
        )
        for binding_id in ("next_unread", "zoom", "undo_mark_all", "open_link_1…9", "down"):
            assert binding_id in text
        for expected in ("Next unread", "Search", "Open in browser", "Refresh all", "palette"):
            assert expected.lower() in text.lower()
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_keymap_from_config_rebinds_keys(tmp_path: Path, server: HTTPTestServer) -> None:
    config = Config(refresh_on_start=False, keymap={"down": "x", "next_unread": "ctrl+n"})
    service = open_service(tmp_path / "home", config)
    await subscribe_async(service, server, FEEDS)
    try:
        app = app_for(service)
        async with app.run_test(size=WIDE) as pilot:
            await started(pilot)
            entries = app.main_screen.entry_list
            await pilot.press("x")
            assert entries.cursor == 1
            await pilot.press("j")  # no longer bound
            assert entries.cursor == 1
            await pilot.press("ctrl+n")
            assert entries.cursor == 2
            rows = dict((d, k) for _t, rs in app.help_sections() for k, d, _ids in rs)
            assert rows["Down"] == "x"
            assert rows["Next unread"] == "^n"
    finally:
        service.close()


async def test_command_palette_goes_to_a_feed(service: FeedService) -> None:
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: bool(app.screen.query("CommandInput")))
        app.screen.query_one("CommandInput").value = "日本語"  # type: ignore[attr-defined]
        commands = app.screen.query_one("CommandList", OptionList)
        await wait_for(pilot, lambda: commands.option_count > 0)
        assert "Go to feed: 日本語ブログ" in str(commands.get_option_at_index(0).prompt)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: main.view.kind == "feed")
        chosen = [f.title for f in service.feeds() if f.id == main.view.feed_id]
        assert chosen == ["日本語ブログ"]


async def test_mouse_clicks_select_feeds_and_open_entries(service: FeedService) -> None:
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        await pilot.click(FeedList, offset=(3, 2))  # the third row: Starred
        assert main.view.kind == "starred"
        await pilot.click(FeedList, offset=(3, 0))
        assert main.view.kind == "all"
        await pilot.click(EntryList, offset=(20, 1))
        second = service.entry_ids()[1]
        assert main.article.entry is not None and main.article.entry.id == second


async def test_the_last_view_is_restored(service: FeedService) -> None:
    zh = next(f for f in service.feeds() if f.title == ZH.title)
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        main.lists.show_view(main.lists.view_for_key(f"feed:{zh.url}"))  # type: ignore[arg-type]
        await pilot.press("j")
        chosen = main.entry_list.current_id
        await pilot.press("q")
    state = json.loads(service.paths.state_file.read_text())
    assert state["view"] == f"feed:{zh.url}" and state["entry_id"] == chosen
    again = app_for(service)
    async with again.run_test(size=WIDE):
        main = again.main_screen
        assert main.view.kind == "feed" and main.view.value == zh.url
        assert main.entry_list.current_id == chosen


async def test_each_list_keeps_its_cursor(service: FeedService) -> None:
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        await pilot.press("j", "j")
        remembered = main.entry_list.current_id
        tech = service.feeds()[0]
        main.lists.show_view(main.lists.view_for_key(f"feed:{tech.url}"))  # type: ignore[arg-type]
        await pilot.press("j")
        main.lists.show_view(main.lists.view_for_key("all"))  # type: ignore[arg-type]
        assert main.entry_list.current_id == remembered


async def palette(pilot: Pilot[None], query: str, pick: str) -> list[str]:
    """Type ``query`` in the command palette, choose the entry ``pick``; the prompts offered."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: bool(app.screen.query("CommandInput")))
    app.screen.query_one("CommandInput").value = query  # type: ignore[attr-defined]
    commands = app.screen.query_one("CommandList", OptionList)

    def prompts() -> list[str]:
        options = [commands.get_option_at_index(i) for i in range(commands.option_count)]
        return [str(option.prompt).split("\n")[0] for option in options]

    await wait_for(pilot, lambda: pick in prompts())
    offered = prompts()
    await pilot.press(*["down"] * (offered.index(pick) + 1), "enter")
    return offered


async def test_theme_from_config_and_from_the_palette(tmp_path: Path) -> None:
    home = tmp_path / "home"
    service = open_service(home, Config(refresh_on_start=False, theme="nord"))
    try:
        app = app_for(service)
        async with app.run_test(size=WIDE) as pilot:
            await started(pilot)
            assert app.theme == "nord"
            offered = await palette(pilot, "theme", "Theme")
            assert not [p for p in offered if p.startswith("Theme: ")], "Textual's own only"
            await wait_for(pilot, lambda: bool(app.screen.query("CommandInput")))
            app.screen.query_one("CommandInput").value = "gruvbox"  # type: ignore[attr-defined]
            commands = app.screen.query_one("CommandList", OptionList)
            await wait_for(pilot, lambda: commands.option_count > 0)
            await pilot.press("down", "enter")
            await wait_for(pilot, lambda: app.theme == "gruvbox")
    finally:
        service.close()
    again = open_service(home, Config(refresh_on_start=False, theme="nord"))
    try:
        app = app_for(again)
        async with app.run_test(size=WIDE) as pilot:
            await started(pilot)
            assert app.theme == "gruvbox", "the theme picked persists"
    finally:
        again.close()
    edited = open_service(home, Config(refresh_on_start=False, theme="dracula"))
    try:
        app = app_for(edited)
        async with app.run_test(size=WIDE) as pilot:
            await started(pilot)
            assert app.theme == "dracula", "a theme named in the config since wins"
    finally:
        edited.close()


async def test_rows_redraw_with_new_state_after_m_and_s(service: FeedService) -> None:
    """Drawn rows are reused while nothing they show changes; read and star do change them."""
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        entries = app.main_screen.entry_list

        def first_row() -> str:
            return widget_text(entries).splitlines()[0]

        before = first_row()
        assert before.lstrip().startswith("●"), before
        await pilot.press("m")
        await wait_for(pilot, lambda: not first_row().lstrip().startswith("●"))
        await pilot.press("s")
        await wait_for(pilot, lambda: "★" in first_row())
        await pilot.press("m", "s")
        await wait_for(pilot, lambda: first_row() == before)


async def test_startup_objects_leave_the_collector_while_running_and_return_on_exit(
    service: FeedService,
) -> None:
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await wait_for(pilot, lambda: gc.get_freeze_count() > 0)
    assert gc.get_freeze_count() == 0
