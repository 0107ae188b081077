"""The reader shows Chinese in the configured script, and a feed in its own from the palette."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Label

from tests.httpserver import HTTPTestServer, server_fixture
from tests.ui.support import (
    FeedSpec,
    Item,
    frozen_clock,
    open_service,
    settled,
    started,
    subscribe,
    wait_for,
    widget_text,
)
from tui.core.config import Config, TextConfig
from tui.core.service import FeedService
from tui.ui.app import ReaderApp
from tui.ui.views import View

server = server_fixture()

NEWS = FeedSpec(
    "/xinwen.xml",
    "新闻,快讯",
    [Item("软件更新,台风来袭", body="<p>据报道,软件更新后的信息系统运行正常。</p>")],
)


@pytest.fixture
def service(tmp_path: Path, server: HTTPTestServer) -> Iterator[FeedService]:
    config = Config(refresh_on_start=False, text=TextConfig(script="hant-tw"))
    with open_service(tmp_path / "home", config) as service:
        subscribe(service, server, [NEWS])
        yield service


async def test_lists_status_and_article_in_the_configured_script_then_the_feeds_own(
    service: FeedService,
) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(140, 30)) as pilot:
        await started(pilot)
        main = app.screen
        feed = service.feeds()[0]
        main.lists.show_view(View("feed", feed.url, feed.id))  # type: ignore[attr-defined]
        await pilot.pause()
        assert "軟體更新，颱風來襲" in widget_text(main.query_one("#entries"))
        assert "新聞，快訊" in widget_text(main.query_one("#feeds"))
        assert "新聞，快訊" in str(main.query_one("#status-view", Label).render())
        await pilot.press("enter")
        await settled(pilot)
        article = widget_text(main.query_one("#article"))
        assert "據報道，軟體更新後的資訊系統執行正常。" in article

        await pilot.press("ctrl+p")
        await pilot.pause()
        app.screen.query_one("Input").value = "Show this feed in Simplified"  # type: ignore[attr-defined]
        await wait_for(
            pilot, lambda: "Simplified" in widget_text(app.screen.query_one("CommandList"))
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: service.feed_script(feed.id) == "hans")
        await wait_for(
            pilot, lambda: "软件更新，台风来袭" in widget_text(main.query_one("#entries"))
        )
        await wait_for(
            pilot,
            lambda: (
                "据报道，软件更新后的信息系统运行正常。" in widget_text(main.query_one("#article"))
            ),
        )
        assert "新闻，快讯" in widget_text(main.query_one("#feeds"))
        # The cache keeps what the feed sent.
        assert service.entries()[0].title == "软件更新,台风来袭"
