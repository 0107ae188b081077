"""What most reader tests start from: the local feed server and a service subscribed to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.httpserver import HTTPTestServer, server_fixture
from tests.ui.support import FEEDS, open_service, subscribe
from tui.core.service import FeedService

server = server_fixture()


@pytest.fixture
def service(tmp_path: Path, server: HTTPTestServer) -> Iterator[FeedService]:
    """A home subscribed to ``FEEDS`` on the local server, not yet refreshed; modules that
    need another config define their own."""
    svc = open_service(tmp_path / "home")
    subscribe(svc, server, FEEDS)
    yield svc
    svc.close()
