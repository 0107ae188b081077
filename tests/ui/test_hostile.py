"""Markup and escape sequences in every field are shown literally in every widget."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Label

from tests.httpserver import HTTPTestServer, server_fixture
from tests.ui.support import frozen_clock, open_service, started, wait_for, widget_text
from tui.core.service import FeedService
from tui.ui.app import ReaderApp
from tui.ui.screens.errors import ErrorsScreen
from tui.ui.screens.modals import ConfirmScreen

server = server_fixture()

CLICK = "[@click=app.quit]q[/]"
TITLE = f"{CLICK} [/] [bold]x :skull: [$accent]"
FEED_TITLE = "[link=file:///etc/passwd]Evil[/link] [/] Feed"
# &#27; is decoded to ESC by feedparser's loose parser; raw ESC/C1 bytes go in the body too.
ESCAPES = "&amp;#27;[2J&amp;#27;]0;pwned&amp;#7; &#xC2;&#x9B;31m"


def hostile_feed() -> bytes:
    item = (
        "<item>"
        f"<title>{TITLE} \x1b[31mred</title>"
        "<link>https://example.org/evil</link><guid>evil-1</guid>"
        "<pubDate>Mon, 20 May 2024 10:00:00 GMT</pubDate>"
        f"<author>{CLICK} author</author>"
        "<description>&lt;p&gt;Body [/] [@click=app.quit]click me[/] "
        '&lt;a href="javascript:alert(1)"&gt;[bold]link text&lt;/a&gt; '
        '&lt;a href="https://example.org/ok"&gt;fine&lt;/a&gt; \x1b]52;c;AAAA\x07 '
        "&#27;[2Jgone&lt;/p&gt;</description>"
        "</item>"
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{FEED_TITLE} \x1b]0;title\x07</title><link>https://example.org/</link>"
        f"<description>d</description>{item}</channel></rss>"
    )
    return body.encode("utf-8")


@pytest.fixture
def service(tmp_path: Path, server: HTTPTestServer) -> Iterator[FeedService]:
    svc = open_service(tmp_path / "home")
    url = server.url(
        server.serve_bytes("/evil.xml", hostile_feed(), content_type="application/rss+xml")
    )
    svc.add_feed_blocking(url)
    yield svc
    svc.close()


def assert_clean(text: str) -> None:
    for bad in ("\x1b", "\x07", "\x9b", "\x00"):
        assert bad not in text, repr(text)


async def test_every_widget_shows_markup_literally(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(160, 40)) as pilot:
        await started(pilot)
        main = app.main_screen
        feeds = widget_text(main.feed_list)
        entries = widget_text(main.entry_list)
        assert "[link=file://…" in feeds  # cut to the pane, still literal
        assert "[@click=app.quit]q[/]" in entries
        assert "[link=fi" in entries  # the feed-name column of All, cut to fit
        for text in (feeds, entries):
            assert_clean(text)

        # Clicking the title where a [@click] would sit does nothing harmful.
        await pilot.click(type(main.entry_list), offset=(40, 0))
        await pilot.pause()
        assert app.return_code is None
        article = "\n".join(line.plain for line in main.article.lines)
        assert "[@click=app.quit]q[/] [/] [bold]x :skull: [$accent]" in article
        assert "author" in article and "Body [/] [@click=app.quit]click me[/]" in article
        assert "javascript:" not in article
        assert_clean(article)
        assert_clean(widget_text(main.article))
        await pilot.click(type(main.article), offset=(5, 0))
        assert app.return_code is None

        # The status line names the feed.
        feed = service.feeds()[0]
        main.lists.show_view(main.lists.view_for_key(f"feed:{feed.url}"))  # type: ignore[arg-type]
        status = str(main.query_one("#status-view", Label).render())
        assert "[link=file:///etc/passwd]Evil[/link]" in status
        assert_clean(status)

        # A confirmation dialog quotes the title literally.
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one(".dialog-title", Label).render())
        assert "[link=file:///etc/passwd]Evil[/link] [/] Feed" in question
        assert_clean(question)
        await pilot.press("n")

        # The command palette lists the feed title as plain text.
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette_input = app.screen.query_one("Input")
        palette_input.value = "Evil"  # type: ignore[attr-defined]
        await pilot.pause(0.5)
        assert "Go to feed: [link=file:///etc/passwd]Evil" in widget_text(
            app.screen.query_one("CommandList")
        )
        await pilot.press("escape")
        assert app.return_code is None


async def test_notifications_and_errors_are_literal(
    service: FeedService, server: HTTPTestServer
) -> None:
    server.serve_status("/evil.xml", 500)
    await service.refresh()
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await started(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, ErrorsScreen)
        listing = widget_text(app.screen.query_one("#errors-list"))
        assert "[link=file:///etc/passwd]Evil[/link]" in listing
        assert "500" in listing
        assert_clean(listing)
        await pilot.press("escape")
        await pilot.press("o")  # a javascript: link in the body is not the entry's link
        await pilot.press("9")  # no article open: nothing happens
        await pilot.press("slash")
        app.screen.query_one("Input").value = CLICK  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert app.main_screen.view.value == CLICK
        assert any(row.label == f"Search: {CLICK}" for row in app.main_screen.feed_list.rows)
        assert "Search: [@click=…" in widget_text(app.main_screen.feed_list)
        assert app.return_code is None


async def test_adding_a_hostile_feed_notifies_literally(
    tmp_path: Path, server: HTTPTestServer
) -> None:
    url = server.url(
        server.serve_bytes("/evil.xml", hostile_feed(), content_type="application/rss+xml")
    )
    service = open_service(tmp_path / "home")
    try:
        app = ReaderApp(service, clock=frozen_clock)
        async with app.run_test(size=(160, 40), notifications=True) as pilot:
            await started(pilot)
            await pilot.press("a")
            app.screen.query_one("Input").value = url  # type: ignore[attr-defined]
            await pilot.press("enter")
            expected = "Subscribed to [link=file:///etc/passwd]Evil[/link] [/] Feed"

            def toasts() -> str:
                return "\n".join(str(t.render()) for t in app.screen.query("Toast"))

            await wait_for(pilot, lambda: expected in toasts())
            toast = toasts()
            assert_clean(toast)
            assert app.return_code is None
    finally:
        service.close()
