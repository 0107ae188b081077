"""Config mistakes about the reader stop yuedu with one line naming the key and the file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tui.core.config import Config
from tui.core.errors import ConfigError
from tui.ui.app import ReaderApp
from tui.ui.config_check import check_config

SOURCE = "/home/me/.config/yuedu/config.toml"


def check(config: Config) -> None:
    check_config(config, source=SOURCE, app_bindings=ReaderApp.BINDINGS)


def error_for(config: Config) -> str:
    with pytest.raises(ConfigError) as caught:
        check(config)
    message = str(caught.value)
    assert message.startswith(SOURCE + ": ") and "\n" not in message
    return message


def test_the_defaults_and_a_plain_rebinding_pass() -> None:
    check(Config())
    check(Config(theme="nord", keymap={"down": "x", "next_unread": "ctrl+n", "zoom": "Z"}))


def test_an_unknown_theme_is_named() -> None:
    assert "theme 'no-such-theme' is not a theme" in error_for(Config(theme="no-such-theme"))


def test_an_unknown_binding_id_is_named() -> None:
    assert "keymap.bogus: no key binding has this id" in error_for(Config(keymap={"bogus": "x"}))


def test_a_key_bound_to_two_actions_names_both() -> None:
    message = error_for(Config(keymap={"next_unread": "j"}))
    assert "j is bound to both" in message
    assert "down" in message and "next_unread" in message
    message = error_for(Config(keymap={"zoom": "q"}))
    assert "quit" in message and "zoom" in message


@pytest.mark.parametrize(
    ("toml", "said"),
    [
        ('theme = "no-such-theme"\n', "theme 'no-such-theme'"),
        ('[keymap]\nbogus = "x"\n', "keymap.bogus"),
        ('[keymap]\nnext_unread = "j"\n', "j is bound to both"),
    ],
)
def test_yuedu_prints_one_line_and_exits_1(tmp_path: Path, toml: str, said: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(toml, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "tui", "--home", str(home)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert said in lines[0] and "config.toml" in lines[0]
    assert "Traceback" not in result.stderr
