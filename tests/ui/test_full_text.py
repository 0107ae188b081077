"""``f`` in the reader: the full article replaces the feed's summary, fetched by a worker."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import OptionList

from tests.httpserver import HTTPTestServer, Request, Response, server_fixture
from tests.pages_feed import PAGES, serve_pages_feed
from tests.ui.support import frozen_clock, open_service, started, wait_for, widget_text
from tui.core.config import Config
from tui.core.service import FeedService
from tui.ui.app import ReaderApp
from tui.ui.full_text import FETCHING
from tui.ui.views import View

server = server_fixture()

ITEMS = (
    ("Slow page", "/slow.html", "A short summary."),
    ("Only scripts", "/scripts-only.html", "An app shell."),
    ("SQLite at the edge", "/pages/en-blog-sqlite.html", "Another summary."),
)


@pytest.fixture
def gate(server: HTTPTestServer) -> Iterator[threading.Event]:
    """``/slow.html`` answers with the blog page once the gate opens."""
    opened = threading.Event()
    page = (PAGES / "en-blog-sqlite.html").read_bytes()

    def slow(request: Request) -> Response:
        while not opened.is_set():
            if not request.wait(0.02):
                return Response.dropped()
        return Response(200, page, {"Content-Type": "text/html; charset=utf-8"})

    server.route("/slow.html", slow)
    yield opened
    opened.set()


@pytest.fixture
def service(tmp_path: Path, server: HTTPTestServer) -> Iterator[FeedService]:
    svc = open_service(tmp_path / "home", Config(refresh_on_start=False))
    svc.add_feed_blocking(serve_pages_feed(server, ITEMS))
    yield svc
    svc.close()


async def test_f_fetches_shows_and_toggles_back_without_blocking_keys(
    service: FeedService, server: HTTPTestServer, gate: threading.Event
) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot)
        main = app.main_screen
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.article.entry is not None and main.article_settled)
        assert "A short summary." in widget_text(main.article)
        await pilot.press("f")
        assert main.article.variant == "fetching"
        assert FETCHING in widget_text(main.article)
        await wait_for(pilot, lambda: len(server.requests_to("/slow.html")) == 1)
        # Keys still work while the page is on its way.
        await pilot.press("tab")
        assert app.focused is main.feed_list
        await pilot.press("shift+tab")
        gate.set()
        await wait_for(pilot, lambda: main.article.variant == "full")
        text = "\n".join(line.plain for line in main.article.lines)
        assert text.startswith("Why our SQLite writes got slower")
        flowing = " ".join(text.split())  # the words, wherever the pane's width broke them
        assert "suddenly took nineteen" in flowing and "A short summary." not in flowing
        await pilot.press("f")
        assert main.article.variant is None
        assert "A short summary." in widget_text(main.article)


async def test_a_failure_shows_its_reason_and_moving_on_cancels_the_fetch(
    service: FeedService, server: HTTPTestServer, gate: threading.Event
) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot)
        main = app.main_screen
        await pilot.press("j", "enter")
        await wait_for(pilot, lambda: main.article.entry is not None and main.article_settled)
        await pilot.press("f")
        await wait_for(pilot, lambda: (main.article.variant or "").startswith("error:"))
        assert "no article found on the page" in widget_text(main.article)
        # Back to the slow page: fetching, then the user moves to the next entry.
        await pilot.press("q", "k", "enter")
        await wait_for(pilot, lambda: main.article.entry is not None and main.article_settled)
        assert main.article.entry is not None and main.article.entry.title == "Slow page"
        await pilot.press("f")
        await wait_for(pilot, lambda: len(server.requests_to("/slow.html")) == 1)
        await pilot.press("q", "j", "j", "enter")
        await wait_for(pilot, lambda: main.article.entry is not None and main.article_settled)
        assert main.article.entry is not None and main.article.entry.title == "SQLite at the edge"
        assert not main.opener.full_text.fetching
        assert main.article.variant is None
        await wait_for(pilot, lambda: server.requests_to("/slow.html")[0].ended is not None)


async def test_the_palette_sets_always_full_text_and_the_pages_arrive_in_the_background(
    service: FeedService, server: HTTPTestServer, gate: threading.Event
) -> None:
    gate.set()
    (feed,) = service.feeds()
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot)
        main = app.main_screen
        main.lists.show_view(View("feed", feed.url, feed.id))
        await wait_for(pilot, lambda: main.view.kind == "feed")
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: bool(app.screen.query("CommandInput")))
        app.screen.query_one("CommandInput").value = "always fetch full"  # type: ignore[attr-defined]
        commands = app.screen.query_one("CommandList", OptionList)
        await wait_for(pilot, lambda: commands.option_count > 0)
        assert "Always fetch full articles of this feed: on" in str(
            commands.get_option_at_index(0).prompt
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: service.full_text_feeds() == {feed.url})
        ids = service.entry_ids()

        def arrived() -> bool:
            return all(service.store.get_article(i) is not None for i in ids)

        await wait_for(pilot, arrived)
        # An opened entry of the feed shows its full article at once, from the cache.
        server.stop()
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.article.variant == "full")
        await pilot.press("f")
        assert main.article.variant is None
