"""Search from the reader: the current feed by default (Ctrl+T: all), matches highlighted in
the list and the article, and / inside an article finding within it (n, N)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.httpserver import HTTPTestServer, server_fixture
from tests.ui.support import (
    FEEDS,
    TECH,
    FeedSpec,
    Item,
    frozen_clock,
    open_service,
    settled,
    started,
    subscribe,
    wait_for,
)
from tui.core.service import FeedService
from tui.ui.app import ReaderApp
from tui.ui.screens.modals import SearchScreen

server = server_fixture()
WIDE = (120, 35)
OTHER = FeedSpec("/other.xml", "Other", [Item("Another story", age_hours=0.2)])


@pytest.fixture
def service(tmp_path: Path, server: HTTPTestServer) -> Iterator[FeedService]:
    svc = open_service(tmp_path / "home")
    subscribe(svc, server, [*FEEDS, OTHER])
    yield svc
    svc.close()


def titles(app: ReaderApp) -> list[str]:
    entries = app.main_screen.entry_list
    return [entries.entry_at(i).title for i in range(len(entries.ids))]  # type: ignore[union-attr]


async def search_for(app: ReaderApp, pilot: object, query: str, *keys: str) -> None:
    await pilot.press("slash")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))  # type: ignore[arg-type]
    app.screen.query_one(Input).value = query
    await pilot.press(*keys, "enter")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: app.screen is app.main_screen)  # type: ignore[arg-type]


async def test_search_looks_in_the_current_feed_and_ctrl_t_in_all(service: FeedService) -> None:
    tech = next(f for f in service.feeds() if f.title == TECH.title)
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        main.lists.show_view(main.lists.view_for_key(f"feed:{tech.url}"))  # type: ignore[arg-type]
        await search_for(app, pilot, "story")
        assert sorted(titles(app)) == ["Newest tech story", "Older tech story", "Oldest tech story"]
        await search_for(app, pilot, "story", "ctrl+t")
        assert "Another story" in titles(app) and len(titles(app)) == 4


async def test_matches_are_highlighted_in_the_list_and_the_article(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        await search_for(app, pilot, '"tech story"')
        assert titles(app)[0] == "Newest tech story"
        row = main.entry_list.render_row(0, 60)
        start = row.plain.index("tech story")
        match = main.entry_list.get_component_rich_style("entry-list--match", partial=True)
        assert any(s.start <= start < s.end and s.style == match for s in row.spans)
        await pilot.press("enter")
        await settled(pilot)
        first = main.article.render_line(0)
        assert "tech story" in first.text
        styles = {seg.style for seg in first if "tech story" in seg.text}
        assert any(style is not None and style.bgcolor is not None for style in styles)


async def test_slash_in_an_article_finds_within_it_with_n_and_capital_n(
    service: FeedService,
) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        await pilot.press("j", "enter")
        await settled(pilot)
        article = main.article
        await pilot.press("slash")
        app.screen.query_one(Input).value = "Paragraph 1"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is main)
        holding = [i for i, line in enumerate(article.lines) if "Paragraph 1" in line.plain]
        assert len(holding) > 3  # 1, 10 to 19

        def top_match() -> int:
            top = int(article.scroll_offset.y)
            visible = range(top, top + article.scrollable_content_region.height)
            return next(i for i in holding if i in visible)

        first = top_match()
        await pilot.press("n")
        assert top_match() > first
        await pilot.press("N")
        assert top_match() == first
        assert main.entry_list.cursor == 1  # n found, it did not jump to the next unread
