"""A refresh from inside the running reader, with parsing in worker processes as in real use."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CORPUS
from tests.httpserver import HTTPTestServer
from tui.core.config import Config
from tui.core.paths import resolve_paths
from tui.core.service import FeedService
from tui.ui.app import ReaderApp


async def test_refresh_inside_the_app_starts_worker_processes(tmp_path: Path) -> None:
    # Textual swaps sys.stderr for an object whose fileno() is -1; starting the fork server
    # under it used to fail every feed with "bad value(s) in fds_to_keep".
    with HTTPTestServer() as server:
        base = server.url(server.serve_dir("/f/", CORPUS / "feeds"))
        config = Config(refresh_on_start=False)
        with FeedService.open(resolve_paths(tmp_path), config, parse_workers=2) as service:
            for name in ("chardet__Big5-ebao.us.xml", "newsboat__rss091_1.xml"):
                service.store.add_feed(base + name)
            app = ReaderApp(service)
            async with app.run_test():
                report = await service.refresh()
            assert [s.error for s in report.statuses] == [None, None]
            assert service.count() > 0
