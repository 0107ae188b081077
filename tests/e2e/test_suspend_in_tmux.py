"""Programs that need the terminal (a text-mode browser, the player) get it in a real one,
and the reader comes back after them."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.e2e.tmux import TmuxSession
from tests.httpserver import HTTPTestServer, server_fixture
from tests.unit.test_cli import run

pytestmark = pytest.mark.e2e
server = server_fixture()


def waiting_program(path: Path, says: str) -> Path:
    """A program that prints ``says`` and its first argument, then waits for Enter."""
    path.write_text(f'#!/bin/sh\necho "{says} $1"\nread answer\n')
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_lynx_and_the_player_run_with_the_reader_suspended(
    server: HTTPTestServer, tmp_path: Path
) -> None:
    media = server.url(server.serve_bytes("/ep.mp3", b"ID3", content_type="audio/mpeg"))
    feed = f"""<rss version="2.0"><channel><title>Cast</title>
<item><title>Episode one</title><link>https://example.org/one</link>
<enclosure url="{media}" type="audio/mpeg" length="3"/></item></channel></rss>"""
    url = server.url(server.serve_bytes("/cast.xml", feed.encode()))
    home = tmp_path / "home"
    home.mkdir()
    lynx = waiting_program(tmp_path / "lynx", "LYNX SHOWS")
    player = waiting_program(tmp_path / "player", "PLAYER PLAYS")
    (home / "config.toml").write_text(
        f'refresh_on_start = false\nbrowser = ["{lynx}", "%u"]\n'
        f'[player]\ncommand = ["{player}", "%u"]\n',
        encoding="utf-8",
    )
    assert run("--home", str(home), "add", url).returncode == 0
    command = [sys.executable, "-m", "tui", "--home", str(home)]
    with TmuxSession(command, cwd=REPO, width=120, height=30) as tmux:
        tmux.wait_until(lambda s: any("Episode one" in line for line in s), what="the entry")
        tmux.send("o")
        screen = tmux.wait_until(lambda s: any("LYNX SHOWS" in line for line in s), what="lynx")
        assert not any("Episode one" in line for line in screen), "the reader stepped aside"
        tmux.send("Enter")
        tmux.wait_until(lambda s: any("Episode one" in line for line in s), what="the reader")
        tmux.send("P")
        tmux.wait_until(lambda s: any(f"PLAYER PLAYS {media}" in line for line in s))
        tmux.send("Enter")
        tmux.wait_until(lambda s: any("Episode one" in line for line in s), what="the reader")
        tmux.send("q", "q")  # the list, the feeds: out
        tmux.wait_for_exit()
