"""A new user's full article: subscribe to a summary-only feed, press f, read the whole
article, go offline, read it again. In a real terminal."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.e2e.tmux import TmuxSession
from tests.httpserver import HTTPTestServer
from tests.pages_feed import serve_pages_feed
from tui.cli import main

pytestmark = pytest.mark.e2e

SUMMARY = "A short summary."
ARTICLE_LINE = "suddenly took nineteen"


def _read_full_article(home: Path) -> None:
    with TmuxSession(
        [sys.executable, "-m", "tui", "--home", str(home)], cwd=REPO, width=100, height=40
    ) as tmux:
        tmux.wait_until(
            lambda s: any("SQLite at the edge" in line for line in s), what="the entry list"
        )
        tmux.send("Enter")
        tmux.wait_until(lambda s: any(SUMMARY in line for line in s), what="the feed's summary")
        tmux.send("f")
        screen = tmux.wait_until(
            lambda s: any(ARTICLE_LINE in line for line in s), what="the full article"
        )
        assert not any(SUMMARY in line for line in screen)
        assert any("Why our SQLite writes got slower" in line for line in screen)
        tmux.send("f")
        tmux.wait_until(lambda s: any(SUMMARY in line for line in s), what="the summary again")
        tmux.send("q", "q", "q")  # the article, the list, the feeds: out
        tmux.wait_for_exit()


def test_read_a_full_article_then_again_offline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    (home).mkdir()
    (home / "config.toml").write_text("refresh_on_start = false\n", encoding="utf-8")
    with HTTPTestServer() as server:
        assert main(["--home", str(home), "add", serve_pages_feed(server)]) == 0
        _read_full_article(home)
    _read_full_article(home)
