"""Room to read: the headline's width, panes resized by keys and by a drag (remembered), the
article zoomed to the whole screen, and no palette command that hides the status line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.httpserver import HTTPTestServer, server_fixture
from tests.ui.support import (
    FEEDS,
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
from tui.core.text.breaker import cell_width
from tui.ui.app import ReaderApp

server = server_fixture()
HEADLINE = "A headline long enough to need every cell the list can give it, and more"


@pytest.fixture
def service(tmp_path: Path, server: HTTPTestServer) -> Iterator[FeedService]:
    svc = open_service(tmp_path / "home")
    long = FeedSpec("/long.xml", "A feed with a long name indeed", [Item(HEADLINE, age_hours=0.5)])
    subscribe(svc, server, [*FEEDS, long])
    yield svc
    svc.close()


def headline_cells(app: ReaderApp) -> int:
    """Cells the list gives the first row's headline (before its ellipsis)."""
    entries = app.main_screen.entry_list
    row = entries.render_row(0, entries.scrollable_content_region.width).plain
    shown = row[row.index("A headline") :].rstrip().rstrip("…")
    return cell_width(shown)


async def test_a_headline_shows_at_least_36_cells_at_120_by_35(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        await started(pilot)
        assert app.main_screen.view.kind == "all"
        assert headline_cells(app) >= 36
        assert app.main_screen.article.size.width >= 36


async def test_keys_resize_the_panes_and_the_sizes_are_kept(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        await started(pilot)
        main = app.main_screen
        feeds, article = main.feed_list.outer_size.width, main.article.outer_size.width
        await pilot.press("right_square_bracket", "less_than_sign")
        await pilot.pause()
        assert main.feed_list.outer_size.width == feeds + 4
        assert main.article.outer_size.width > article
        await pilot.press("greater_than_sign", "greater_than_sign", "greater_than_sign")
        await pilot.pause()
        assert main.article.outer_size.width < article
        narrowed = main.article.outer_size.width
    state = json.loads(service.paths.state_file.read_text())
    assert state["feeds_width"] == feeds + 4
    again = ReaderApp(service, clock=frozen_clock)
    async with again.run_test(size=(120, 35)) as pilot:
        await started(pilot)
        assert again.main_screen.feed_list.outer_size.width == feeds + 4
        assert again.main_screen.article.outer_size.width == narrowed


async def test_dragging_a_border_resizes_its_pane(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        await started(pilot)
        main = app.main_screen
        border = main.feed_list.outer_size.width - 1
        await pilot.mouse_down(offset=(border, 5))
        await pilot.hover(offset=(border + 10, 5))
        await pilot.mouse_up(offset=(border + 10, 5))
        await pilot.pause()
        assert main.feed_list.outer_size.width == border + 11
        left = main.article.region.x
        await pilot.mouse_down(offset=(left, 5))
        await pilot.hover(offset=(left - 12, 5))
        await pilot.mouse_up(offset=(left - 12, 5))
        await pilot.pause()
        assert abs(main.article.region.x - (left - 12)) <= 1
    assert json.loads(service.paths.state_file.read_text())["feeds_width"] == border + 11


async def test_z_zooms_the_article_and_q_and_escape_leave_it(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        await started(pilot)
        main = app.main_screen
        await pilot.press("z")
        await settled(pilot)
        assert main.article_open
        assert main.article.outer_size.width == 120
        assert not main.feed_list.display or main.feed_list.outer_size.width == 0
        assert main.status.display
        await pilot.press("q")
        await pilot.pause()
        assert main.article_open and main.article.outer_size.width < 60
        await pilot.press("z")
        await pilot.pause()
        assert main.article.outer_size.width == 120
        await pilot.press("escape")
        await pilot.pause()
        assert main.article_open and main.article.outer_size.width < 60
        await pilot.press("z", "z")
        await pilot.pause()
        assert main.article.outer_size.width < 60


async def test_the_palette_offers_no_maximize(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        await started(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Maximize" not in titles and "Keys" in titles


@pytest.mark.parametrize(
    "sizes", [[(120, 35), (200, 50)], [(200, 50), (120, 35)], [(80, 24), (200, 40), (100, 30)]]
)
async def test_the_first_visible_paragraph_stays_on_screen_across_resizes(
    service: FeedService, sizes: list[tuple[int, int]]
) -> None:
    tech = next(f for f in service.feeds() if f.title == "Tech News")
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=sizes[0]) as pilot:
        await started(pilot)
        main = app.main_screen
        main.lists.show_view(main.lists.view_for_key(f"feed:{tech.url}"))  # type: ignore[arg-type]
        await pilot.press("enter")
        await settled(pilot)
        article = main.article
        target = next(i for i, line in enumerate(article.lines) if "Paragraph 15." in line.plain)
        article.scroll_to(y=target, animate=False, immediate=True)
        await pilot.pause()

        def visible() -> str:
            top = int(article.scroll_offset.y)
            height = article.scrollable_content_region.height
            return "\n".join(line.plain for line in article.lines[top : top + height])

        assert "Paragraph 15." in visible()
        for size in sizes[1:]:
            before = article.layout_width
            await pilot.resize_terminal(*size)
            await wait_for(pilot, lambda before=before: article.layout_width != before)
            assert "Paragraph 15." in visible(), size
