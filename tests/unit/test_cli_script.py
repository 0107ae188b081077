"""Chinese scripts through the CLI: search across scripts, a feed's own script, OPML, render."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.httpserver import HTTPTestServer, server_fixture
from tui.cli import main

server = server_fixture()

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>新闻,快讯</title><link>https://news.example/</link>
<item><guid>s1</guid><title>台风来袭,沿海发布预警</title>
<description>&lt;p&gt;据新华社报道,软件更新后的信息系统运行正常。&lt;/p&gt;</description></item>
<item><guid>t1</guid><title>颱風過境,全台停班停課</title>
<description>&lt;p&gt;氣象局發布海上颱風警報。&lt;/p&gt;</description></item>
<item><guid>j1</guid><title>防災の日に訓練</title>
<description>&lt;p&gt;各地で防災訓練が行われました。&lt;/p&gt;</description></item>
</channel></rss>
"""


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def subscribed(
    server: HTTPTestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[str, str]:
    """A home subscribed to the feed above, refreshed: (home, feed url)."""
    home = str(tmp_path / "home")
    url = server.url(server.serve_bytes("/news.xml", FEED.encode()))
    assert cli(capsys, "--home", home, "add", url)[0] == 0
    return home, url


def titles(capsys: pytest.CaptureFixture[str], home: str, *args: str) -> list[str]:
    code, out, err = cli(capsys, "--home", home, "entries", *args)
    assert code == 0, err
    return [line.split(": ", 1)[1] for line in out.splitlines()]


def test_search_finds_either_script_with_either(
    subscribed: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    home, _ = subscribed
    both = ["台风来袭,沿海发布预警", "颱風過境,全台停班停課"]
    assert sorted(titles(capsys, home, "--search", "台风")) == both
    assert sorted(titles(capsys, home, "--search", "颱風")) == both
    assert titles(capsys, home, "--search", "防灾") == ["防災の日に訓練"]
    assert titles(capsys, home, "--search", "防災訓練") == ["防災の日に訓練"]
    assert sorted(titles(capsys, home, "--search", "發布")) == both  # 發布 is in the body


def entry_id(capsys: pytest.CaptureFixture[str], home: str, title: str) -> str:
    out = cli(capsys, "--home", home, "entries")[1]
    return next(line.split()[0] for line in out.splitlines() if title in line)


def test_a_feed_shown_in_its_own_script_and_kept_in_opml(
    subscribed: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home, url = subscribed
    simplified = entry_id(capsys, home, "台风来袭")
    assert (
        cli(capsys, "--home", home, "feed", url)[1]
        == f"{url}\n  script: keep (config)\n  full text: off\n"
    )
    code, out, _ = cli(capsys, "--home", home, "feed", url, "--script", "hant-tw")
    assert (code, out) == (0, f"{url}\n  script: hant-tw\n  full text: off\n")

    shown = cli(capsys, "--home", home, "show", simplified, "--width", "60")[1]
    assert shown.splitlines()[0] == "颱風來襲，沿海釋出預警"
    assert "Feed: 新聞，快訊" in shown
    assert "據新華社報道，軟體更新後的資訊系統執行正常。" in shown
    # The cache keeps what the feed sent.
    assert "台风来袭,沿海发布预警" in cli(capsys, "--home", home, "entries")[1]

    exported = cli(capsys, "--home", home, "export")[1]
    assert re.search(r'xmlns:yuedu="[^"]+"', exported)
    assert 'yuedu:script="hant-tw"' in exported
    opml = tmp_path / "subs.opml"
    opml.write_text(exported, encoding="utf-8")
    other = str(tmp_path / "other")
    assert cli(capsys, "--home", other, "import", str(opml))[0] == 0
    assert (
        cli(capsys, "--home", other, "feed", url)[1]
        == f"{url}\n  script: hant-tw\n  full text: off\n"
    )

    assert cli(capsys, "--home", home, "feed", url, "--script", "default")[0] == 0
    assert "yuedu:script" not in cli(capsys, "--home", home, "export")[1]
    shown = cli(capsys, "--home", home, "show", simplified, "--width", "60")[1]
    assert shown.splitlines()[0] == "台风来袭，沿海发布预警"


def test_feed_setting_errors_are_one_line(
    subscribed: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    home, url = subscribed
    code, _, err = cli(capsys, "--home", home, "feed", url, "--script", "zh-tw")
    assert code == 2 and "invalid choice" in err and err.count("\n") == 1
    code, _, err = cli(capsys, "--home", home, "feed", "https://nowhere.example/")
    assert (code, err) == (2, "yuedu: not subscribed: https://nowhere.example/\n")


def test_render_reads_the_text_settings_from_home(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text('[text]\nscript = "hant-tw"\n', encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(
        "<p>据报道,软件<ruby>汉字<rt>hàn zì</rt></ruby>。</p><p>这是U盘(试行)。</p>",
        encoding="utf-8",
    )
    code, out, _ = cli(capsys, "--home", str(home), "render", str(page), "--width", "40")
    assert code == 0
    assert out == "據報道，軟體漢字(hàn zì)。\n\n這是隨身碟（試行）。\n"
    (home / "config.toml").write_text(
        '[text]\nfix_punctuation = false\nruby = "hide"\n', encoding="utf-8"
    )
    out = cli(capsys, "--home", str(home), "render", str(page), "--width", "40")[1]
    assert out == "据报道,软件汉字。\n\n这是U盘(试行)。\n"
    (home / "config.toml").write_text('[text]\nscript = "big5"\n', encoding="utf-8")
    code, _, err = cli(capsys, "--home", str(home), "render", str(page))
    assert code == 1 and "text.script" in err and "config.toml" in err
