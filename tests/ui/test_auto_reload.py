"""Auto-reload, driven by a clock the test moves on (no waiting for minutes to pass)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from tests.httpserver import HTTPTestServer, server_fixture
from tests.ui.support import NOW, TECH, open_service, started, subscribe_async, wait_for
from tui.core.config import Config
from tui.ui.app import ReaderApp

server = server_fixture()


class Clock:
    """A "now" that moves only when told."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


async def test_feeds_reload_every_n_minutes_after_the_last_refresh(
    tmp_path: Path, server: HTTPTestServer
) -> None:
    service = open_service(tmp_path / "home", Config(refresh_on_start=False, auto_reload_minutes=5))
    await subscribe_async(service, server, [TECH])
    clock = Clock()
    fetched = len(server.requests)
    try:
        app = ReaderApp(service, clock=clock)
        async with app.run_test(size=(140, 40)) as pilot:
            await started(pilot)
            refresher = app.main_screen.refresher
            clock.advance(4)
            refresher.tick()
            await pilot.pause()
            assert not refresher.running and len(server.requests) == fetched

            clock.advance(1)
            refresher.tick()
            await wait_for(pilot, lambda: len(server.requests) == fetched + 1)
            await wait_for(pilot, lambda: not refresher.running)

            clock.advance(4)  # five minutes are counted from the end of the last refresh
            refresher.tick()
            await pilot.pause()
            assert len(server.requests) == fetched + 1
            clock.advance(1.5)
            refresher.tick()
            await wait_for(pilot, lambda: len(server.requests) == fetched + 2)
    finally:
        service.close()


async def test_no_auto_reload_when_off(tmp_path: Path, server: HTTPTestServer) -> None:
    service = open_service(tmp_path / "home", Config(refresh_on_start=False))
    await subscribe_async(service, server, [TECH])
    clock = Clock()
    fetched = len(server.requests)
    try:
        app = ReaderApp(service, clock=clock)
        async with app.run_test(size=(140, 40)) as pilot:
            await started(pilot)
            clock.advance(600)
            app.main_screen.refresher.tick()
            await pilot.pause()
            assert len(server.requests) == fetched
    finally:
        service.close()
