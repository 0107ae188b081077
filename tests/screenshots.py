"""Make the README's pictures from the real app on the bundled demo feeds.

    python -m tests.screenshots            # writes screenshots/*.svg
    python -m tests.screenshots OUT_DIR

Each picture is the reader driven by keys through Textual's Pilot, as a person would
reach that screen, then saved with the app's own screenshot export (SVG).
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from tui.core.config import Config
from tui.core.feeds.opml import Subscription, write_opml
from tui.core.paths import resolve_paths
from tui.core.service import FeedService
from tui.demo import DemoServer
from tui.ui.app import ReaderApp

REPO = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
CONFIG = Config(refresh_on_start=False)

# name, terminal size, keys pressed after the first screen is up, what it shows
SHOTS: list[tuple[str, tuple[int, int], tuple[str, ...], str]] = [
    ("list", (140, 36), (), "The feeds, the entry list and the article side by side"),
    ("article-chinese", (110, 40), ("j", "enter"), "A Traditional Chinese article, typeset"),
    ("narrow", (60, 30), ("j", "enter"), "The narrow layout: one pane at a time"),
    ("errors", (120, 30), ("e",), "Why feeds failed, one line each"),
]


def fill_demo_home(home: Path) -> None:
    """A cache with the demo feeds, fetched through the real service from the demo server."""
    with DemoServer() as server:
        subs = [Subscription(url, title, tags) for url, title, tags in server.feed_urls()]
        opml = home.parent / f"{home.name}.opml"
        opml.write_text(write_opml(subs), encoding="utf-8")
        with FeedService.open(resolve_paths(home), CONFIG, parse_workers=0) as service:
            service.import_subscriptions(opml)
            service.refresh_blocking()


async def take(home: Path, size: tuple[int, int], keys: tuple[str, ...], out: Path) -> None:
    with FeedService.open(resolve_paths(home), CONFIG, parse_workers=0) as service:
        app = ReaderApp(service, clock=lambda: NOW)
        async with app.run_test(size=size) as pilot:
            main = app.main_screen
            while not (main.ready and main.article_settled):
                await pilot.pause(0.01)
            if keys:
                await pilot.press(*keys)
            await app.workers.wait_for_complete()
            while not main.article_settled:
                await pilot.pause(0.01)
            await pilot.pause()
            app.save_screenshot(filename=out.name, path=str(out.parent))


def make_screenshots(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="yuedu-shots-") as tmp:
        home = Path(tmp) / "home"
        fill_demo_home(home)
        for name, size, keys, _caption in SHOTS:
            # Each picture starts from the same cache: opening an article marks it read
            # and the reader restores the last view on its next start.
            fresh = Path(tmp) / name
            shutil.copytree(home, fresh)
            out = out_dir / f"{name}.svg"
            asyncio.run(take(fresh, size, keys, out))
            written.append(out)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "screenshots"
    for path in make_screenshots(target):
        print(path)
