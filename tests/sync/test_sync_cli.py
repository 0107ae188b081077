"""``yuedu sync`` when it cannot sync: one line, exit 1 for what the user must fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli import main
from tui.core.errors import ConfigError


def write_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text, encoding="utf-8")


def test_sync_without_a_sync_section_says_how_to_set_it_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--home", str(tmp_path / "home"), "sync"])
    err = capsys.readouterr().err
    assert code == 1
    assert "[sync]" in err and len(err.strip().splitlines()) == 1


def test_a_password_in_the_config_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    write_config(
        home,
        '[sync]\nservice = "ttrss"\nurl = "http://127.0.0.1:9/"\nuser = "a"\npassword = "pw"\n',
    )
    assert main(["--home", str(home), "sync"]) == 1
    err = capsys.readouterr().err
    assert "password_command" in err and "pw\n" not in err


def test_without_any_password_sync_names_both_ways_to_give_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("YUEDU_SYNC_PASSWORD", raising=False)
    home = tmp_path / "home"
    write_config(home, '[sync]\nservice = "ttrss"\nurl = "http://127.0.0.1:9/"\nuser = "a"\n')
    assert main(["--home", str(home), "sync"]) == 1
    err = capsys.readouterr().err
    assert "password_command" in err and "YUEDU_SYNC_PASSWORD" in err


def test_a_failing_password_command_is_a_config_error_without_its_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    write_config(
        home,
        '[sync]\nservice = "ttrss"\nurl = "http://127.0.0.1:9/"\nuser = "a"\n'
        'password_command = "echo hunter2; exit 3"\n',
    )
    assert main(["--home", str(home), "sync"]) == 1
    err = capsys.readouterr().err
    assert "exit 3" in err and "hunter2" not in err


def test_an_unknown_service_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    write_config(home, '[sync]\nservice = "feedly"\nurl = "https://x/"\nuser = "a"\n')
    assert main(["--home", str(home), "sync"]) == 1
    assert "ttrss, greader, miniflux" in capsys.readouterr().err


def test_an_unreachable_server_keeps_the_marks_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YUEDU_SYNC_PASSWORD", "pw-never-shown")
    home = tmp_path / "home"
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    write_config(home, '[sync]\nservice = "miniflux"\nurl = "http://127.0.0.1:9/"\nuser = "a"\n')
    code = main(["--home", str(home), "sync"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "not synced: 0 marks kept for the next sync" in out
    assert "pw-never-shown" not in out + err


def test_miniflux_takes_an_api_token_without_a_user(tmp_path: Path) -> None:
    from tui.core.config import SyncConfig
    from tui.core.sync.account import account

    sync = SyncConfig(service="miniflux", url="https://m.example/")
    assert account(sync, {"YUEDU_SYNC_PASSWORD": "token"}).user == ""
    with pytest.raises(ConfigError):
        account(SyncConfig(service="ttrss", url="https://t.example/"), {"YUEDU_SYNC_PASSWORD": "x"})


def test_a_password_written_into_the_url_is_not_shown_either(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YUEDU_SYNC_PASSWORD", "pw")
    home = tmp_path / "home"
    url = "http://me:hunter2@127.0.0.1:9/"
    write_config(home, f'[sync]\nservice = "ttrss"\nurl = "{url}"\nuser = "a"\n')
    assert main(["--home", str(home), "sync"]) == 0
    out, err = capsys.readouterr()
    assert "127.0.0.1:9" in out and "hunter2" not in out + err
