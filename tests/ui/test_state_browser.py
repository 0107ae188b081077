"""The saved last view, and opening links: http(s) only, no shell, the URL as one argument."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from tui.ui.browser import BrowserError, browser_command, open_in_browser
from tui.ui.state import SavedView, load_view, save_view


def test_view_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "data" / "state.json"
    save_view(path, SavedView("feed:https://example.org/feed", 42))
    assert load_view(path) == SavedView("feed:https://example.org/feed", 42)
    assert not list(path.parent.glob("*.tmp"))


@pytest.mark.parametrize(
    "content", ["", "{", "[]", '{"version": 9, "view": "all"}', '{"version": 1, "view": 3}']
)
def test_a_damaged_state_file_is_ignored(tmp_path: Path, content: str) -> None:
    path = tmp_path / "state.json"
    path.write_text(content)
    assert load_view(path) is None
    assert load_view(tmp_path / "missing.json") is None


def test_a_bad_entry_id_keeps_the_view(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"version": 1, "view": "starred", "entry_id": "x"}))
    assert load_view(path) == SavedView("starred", None)


def test_browser_command_appends_the_url_as_one_argument() -> None:
    url = "https://example.org/a b;rm -rf"
    assert browser_command(url, ("firefox", "--new-tab"), {}) == ["firefox", "--new-tab", url]
    assert browser_command(url, (), {"BROWSER": "lynx -dump"}) == ["lynx", "-dump", url]
    assert browser_command(url, ("open", "%s", "-x"), {}) == ["open", url, "-x"]
    assert browser_command(url, (), {}) == []


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,hi",
        "vbscript:x",
        "ssh://host",
        "-oProxyCommand=evil",
        "",
        None,
    ],
)
def test_unsafe_links_are_refused(url: str | None, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    command = (sys.executable, "-c", f"open({str(marker)!r}, 'w')")
    with pytest.raises(BrowserError):
        open_in_browser(url, configured=command)
    assert not marker.exists()


def test_the_configured_browser_gets_the_url(tmp_path: Path) -> None:
    out = tmp_path / "argv.json"
    script = f"import json,sys; json.dump(sys.argv[1:], open({str(out)!r}, 'w'))"
    opened = open_in_browser(
        "/post?q=1&x=$(id)", configured=(sys.executable, "-c", script), base="https://example.org/"
    )
    assert opened == "https://example.org/post?q=1&x=$(id)"
    deadline = time.monotonic() + 10
    while not out.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert json.loads(out.read_text()) == [opened]
