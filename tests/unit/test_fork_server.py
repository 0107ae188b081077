"""Starting the parser workers' fork server early, as the refresh command does."""

from __future__ import annotations

import multiprocessing
from multiprocessing import forkserver, resource_tracker

import pytest

from tui.core.refresh.forkserver import start_fork_server


def test_a_system_without_a_fork_server_starts_nothing_and_raises_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[str] = []
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(forkserver, "ensure_running", lambda: started.append("fork server"))
    monkeypatch.setattr(resource_tracker, "ensure_running", lambda: started.append("tracker"))
    start_fork_server()
    assert started == []


def test_the_fork_server_is_started_with_the_parser_preloaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[str] = []
    monkeypatch.setattr(forkserver, "ensure_running", lambda: started.append("fork server"))
    monkeypatch.setattr(resource_tracker, "ensure_running", lambda: started.append("tracker"))
    start_fork_server()
    assert started == ["tracker", "fork server"]
    preload = forkserver._forkserver._preload_modules  # type: ignore[attr-defined]
    assert "tui.core.feeds.parse.feed" in preload
