from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.config import Config, config_from_mapping, load_config
from tui.core.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "absent.toml") == Config()


def test_every_documented_key_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
theme = "nord"
refresh_on_start = false
auto_reload_minutes = 15
browser = ["firefox", "--new-tab"]
confirm_delete = false
max_entries_per_feed = 200

[keymap]
next_entry = "j,down,ctrl+n"
quit = ["q", "ctrl+q"]

[fetch]
concurrency = 8
per_host = 2
timeout = 12
connect_timeout = 3.5
max_size_mib = 4

[text]
strict_kana = true
phrases = true
cjk_spacing = true
ambiguous_width = 2
script = "hant-tw"
fix_punctuation = false
ruby = "hide"
""",
    )
    config = load_config(path)
    assert config.theme == "nord"
    assert config.refresh_on_start is False
    assert config.auto_reload_minutes == 15
    assert config.browser == ("firefox", "--new-tab")
    assert config.max_entries_per_feed == 200
    assert dict(config.keymap) == {"next_entry": "j,down,ctrl+n", "quit": "q,ctrl+q"}
    assert config.fetch.concurrency == 8 and config.fetch.timeout == 12.0
    assert config.text.strict_kana and config.text.ambiguous_width == 2
    assert (config.text.script, config.text.fix_punctuation, config.text.ruby) == (
        "hant-tw",
        False,
        "hide",
    )
    display = config.text.layout_options().display
    assert (display.script, display.fix_punctuation, display.ruby) == ("hant-tw", False, "hide")


def test_text_is_shown_as_sent_with_punctuation_fixed_and_ruby_by_default() -> None:
    display = Config().text.layout_options().display
    assert (display.script, display.fix_punctuation, display.ruby) == ("keep", True, "show")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("thme = 'nord'", "'thme'"),
        ("[fetch]\ntimeot = 3", "'fetch.timeot'"),
        ("refresh_on_start = 'yes'", "refresh_on_start"),
        ("[fetch]\ntimeout = -1", "fetch.timeout"),
        ("[text]\nambiguous_width = 3", "text.ambiguous_width"),
        ("[keymap]\nquit = 3", "keymap.quit"),
        ("[text]\nscript = 'zh-tw'", "text.script"),
        ("[text]\nscript = 1", "text.script"),
        ("[text]\nruby = 'above'", "text.ruby"),
        ("[text]\nfix_punctuation = 'yes'", "text.fix_punctuation"),
        ("fetch = 3", "[fetch]"),
        ("theme = ", "not valid TOML"),
    ],
)
def test_a_bad_file_names_the_key_and_the_file(tmp_path: Path, text: str, names: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert names in message
    assert str(path) in message
    assert "\n" not in message


def test_downloads_at_once_default_to_more_for_the_command_than_for_the_reader() -> None:
    config = Config()
    assert config.fetch.downloads == 32 and config.fetch.settings().concurrency == 32
    assert config.for_reader().fetch.downloads == 16
    chosen = config_from_mapping({"fetch": {"concurrency": 8}})
    assert chosen.fetch.downloads == 8 and chosen.for_reader().fetch.downloads == 8
