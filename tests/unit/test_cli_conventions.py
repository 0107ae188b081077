"""The command line's habits a shell user expects: exit statuses, help, paths, completion."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.unit.test_cli import cli, run


@pytest.mark.parametrize(
    "args",
    [["frobnicate"], ["entries", "--limit", "many"], ["mark", "1"], ["completion", "fish"]],
)
def test_usage_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str]
) -> None:
    code, out, err = cli(capsys, "--home", str(tmp_path), *args)
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1 and err.startswith("yuedu")


def test_an_unopenable_cache_still_exits_1(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert run("--home", str(blocked), "feeds").returncode == 1


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("entries", ["--feed", "--unread", "--starred", "--search", "--limit", "--json"]),
        ("mark", ["--read", "--unread", "--star", "--unstar"]),
        ("add", ["--title", "--tag"]),
    ],
)
def test_every_option_has_help(
    capsys: pytest.CaptureFixture[str], command: str, options: list[str]
) -> None:
    with pytest.raises(SystemExit):
        cli(capsys, command, "--help")
    lines = capsys.readouterr().out.splitlines()
    for option in options:
        line = next(line for line in lines if line.strip().startswith(option))
        described = line.strip().split("  ", 1)
        assert len(described) == 2 and described[1].strip(), f"{command} {option}: {line!r}"


def test_top_level_help_names_the_files_and_yuedu_home(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YUEDU_HOME", str(tmp_path))
    with pytest.raises(SystemExit):
        cli(capsys, "--help")
    out = capsys.readouterr().out
    assert "YUEDU_HOME" in out and "--config" in out
    assert str(tmp_path / "config.toml") in out and str(tmp_path / "cache.db") in out


def test_paths_json_follows_home_and_config(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = cli(capsys, "--home", str(tmp_path), "paths", "--json")
    assert code == 0
    assert json.loads(out) == {
        "config": str(tmp_path / "config.toml"),
        "cache": str(tmp_path / "cache.db"),
        "backup": str(tmp_path / "subscriptions.opml"),
    }
    other = tmp_path / "other.toml"
    code, out, _ = cli(capsys, "--home", str(tmp_path), "--config", str(other), "paths")
    assert code == 0 and out.splitlines()[0].split() == ["config", str(other)]


def test_paths_runs_even_when_the_config_is_broken(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "config.toml").write_text("not toml [", encoding="utf-8")
    assert cli(capsys, "--home", str(tmp_path), "paths")[0] == 0


def test_config_option_reads_another_file(tmp_path: Path) -> None:
    text = "用Python写程序\n".encode()
    other = tmp_path / "spaced.toml"
    other.write_text("[text]\ncjk_spacing = true\n", encoding="utf-8")
    home = ["--home", str(tmp_path / "home")]
    assert run(*home, "render", "-", stdin=text).stdout == "用Python写程序\n"
    spaced = run(*home, "--config", str(other), "render", "-", stdin=text)
    assert spaced.stdout == "用 Python 写程序\n", spaced.stderr
    missing = run(*home, "--config", str(tmp_path / "nope.toml"), "feeds")
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines() == [f"yuedu: {tmp_path / 'nope.toml'}: no such file"]


def _complete(script: str, *words: str) -> list[str]:
    """What bash offers after `words` (the last one is being typed), through the script."""
    bash = shutil.which("bash")
    assert bash is not None
    array = " ".join(f"'{w}'" for w in words)
    probe = (
        f"{script}\n"
        f"COMP_WORDS=({array}); COMP_CWORD={len(words) - 1}; "
        f'COMP_LINE="{" ".join(words)}"; COMP_POINT=${{#COMP_LINE}}\n'
        "_shtab_yuedu\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run([bash, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_bash_completion_completes_commands_and_options() -> None:
    generated = run("completion", "bash")
    assert generated.returncode == 0, generated.stderr
    script = generated.stdout
    registered = subprocess.run(
        ["bash", "-c", f"{script}\ncomplete -p yuedu"], capture_output=True, text=True, timeout=60
    )
    assert "_shtab_yuedu" in registered.stdout
    assert set(_complete(script, "yuedu", "en")) == {"entries"}
    assert {"completion", "paths", "feeds", "show"} <= set(_complete(script, "yuedu", ""))
    assert set(_complete(script, "yuedu", "entries", "--un")) == {"--unread"}
    assert set(_complete(script, "yuedu", "completion", "")) == {"bash", "zsh"}


def test_zsh_completion_is_a_compdef_script() -> None:
    generated = run("completion", "zsh")
    assert generated.returncode == 0
    assert generated.stdout.startswith("#compdef yuedu")


def test_opml_html_url_survives_import_and_export(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="Tech">'
        '<outline text="A" xmlUrl="https://example.org/a.xml" htmlUrl="https://example.org/"/>'
        '<outline text="B" xmlUrl="https://example.org/b.xml" htmlUrl="javascript:alert(1)"/>'
        "</outline></body></opml>",
        encoding="utf-8",
    )
    home = str(tmp_path / "home")
    assert cli(capsys, "--home", home, "import", str(opml))[0] == 0
    code, exported, _ = cli(capsys, "--home", home, "export")
    assert code == 0
    assert 'xmlUrl="https://example.org/a.xml" htmlUrl="https://example.org/"' in exported
    assert "javascript" not in exported
    again = tmp_path / "again.opml"
    again.write_text(exported, encoding="utf-8")
    other = str(tmp_path / "other")
    assert cli(capsys, "--home", other, "import", str(again))[0] == 0
    assert 'htmlUrl="https://example.org/"' in cli(capsys, "--home", other, "export")[1]


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>", "HTML"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "JSON"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary data"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "a feed"),
        ("第一行\n第二行\nthird line\n".encode() * 20, "text with no feed URLs"),
    ],
)
def test_importing_something_else_says_what_it_is_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, kind: str
) -> None:
    path = tmp_path / "file"
    path.write_bytes(content)
    code, out, err = cli(capsys, "--home", str(tmp_path / "home"), "import", str(path))
    assert code == 1 and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith(f"yuedu: {path}: not OPML or a urls file: looks like {kind}")
