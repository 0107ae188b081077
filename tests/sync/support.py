"""What the sync contract tests share."""

from __future__ import annotations

import socket

from tui.core.sync.base import EntryPage, SyncClient


async def all_pages(client: SyncClient, cursor: str | None) -> list[EntryPage]:
    return [page async for page in client.entries(cursor)]


def closed_port_url(path: str) -> str:
    """An address on 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"
