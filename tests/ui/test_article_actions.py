"""Newsboat's habits in the reader: copy the link, save or pipe the text, play or download
the enclosure, text-mode browsers in the terminal. Real service, real server, real programs."""

from __future__ import annotations

import json
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.httpserver import HTTPTestServer, server_fixture
from tests.ui.support import frozen_clock, open_service, settled, started, wait_for
from tui.core.config import Config, PlayerConfig
from tui.core.service import FeedService
from tui.ui.app import ReaderApp
from tui.ui.browser import needs_terminal

server = server_fixture()
EPISODE = bytes(range(256)) * 400


def podcast(server: HTTPTestServer) -> str:
    media = server.url(server.serve_bytes("/media/ep2.mp3", EPISODE, content_type="audio/mpeg"))
    body = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Podcast</title><link>https://example.org/</link>
<item><title>Episode 2</title><guid>ep2</guid><link>https://example.org/2</link>
  <pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate>
  <description>&lt;p&gt;Show notes of the second episode.&lt;/p&gt;</description>
  <enclosure url="{media}" type="audio/mpeg" length="{len(EPISODE)}"/>
</item></channel></rss>""".encode()
    return server.url(server.serve_bytes("/podcast.xml", body))


def recorder(path: Path, log: Path, *, name: str) -> Path:
    """An executable called ``name`` that appends its arguments to ``log`` as a JSON line."""
    script = path / name
    script.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def logged(log: Path) -> list[list[str]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


@pytest.fixture
def service(tmp_path: Path, server: HTTPTestServer) -> Iterator[FeedService]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    config = Config(
        refresh_on_start=False,
        browser=(str(recorder(bin_dir, tmp_path / "w3m.log", name="w3m")), "-o", "%u"),
        player=PlayerConfig(
            command=(str(recorder(bin_dir, tmp_path / "player.log", name="player")), "%u"),
            download_dir=str(tmp_path / "downloads"),
        ),
    )
    svc = open_service(tmp_path / "home", config)
    svc.add_feed_blocking(podcast(server))
    yield svc
    svc.close()


async def test_play_download_copy_save_pipe(
    service: FeedService, server: HTTPTestServer, tmp_path: Path
) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    media = server.url("/media/ep2.mp3")
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot)
        await pilot.press("enter")
        await settled(pilot)
        main = app.main_screen
        assert "Enclosures:" in "\n".join(line.plain for line in main.article.lines)
        assert main.article.links[-1] == media

        await pilot.press("y")
        assert app.clipboard == "https://example.org/2"

        await pilot.press("P")
        await wait_for(pilot, lambda: logged(tmp_path / "player.log") == [[media]])

        await pilot.press("D")
        await wait_for(pilot, lambda: main.article_actions.downloaded is not None)
        assert (tmp_path / "downloads" / "ep2.mp3").read_bytes() == EPISODE

        await pilot.press("o")
        await wait_for(
            pilot, lambda: logged(tmp_path / "w3m.log") == [["-o", "https://example.org/2"]]
        )

        saved = tmp_path / "saved.txt"
        await pilot.press("S")
        await pilot.press("ctrl+u")  # the prompt offers a path; replace it
        await pilot.press(*str(saved), "enter")
        await wait_for(pilot, lambda: saved.exists())
        text = saved.read_text(encoding="utf-8")
        assert text.startswith("Episode 2\n") and "Show notes of the second episode." in text
        assert media in text

        piped = tmp_path / "piped.txt"
        await pilot.press("vertical_line")
        await pilot.press(*f"cat > '{piped}'", "enter")
        await wait_for(pilot, lambda: piped.exists() and piped.stat().st_size > 0)
        assert piped.read_text(encoding="utf-8") == text


async def test_an_entry_without_enclosure_says_so(tmp_path: Path, server: HTTPTestServer) -> None:
    svc = open_service(tmp_path / "home", Config(refresh_on_start=False))
    body = b"""<rss version="2.0"><channel><title>T</title><item><title>Plain</title>
    <link>https://example.org/p</link></item></channel></rss>"""
    await svc.add_feed(server.url(server.serve_bytes("/plain.xml", body)))
    app = ReaderApp(svc, clock=frozen_clock)
    try:
        async with app.run_test(size=(140, 40), notifications=True) as pilot:
            await started(pilot)
            await pilot.press("P")
            await wait_for(
                pilot,
                lambda: any("no enclosure" in str(t.render()) for t in app.screen.query("Toast")),
            )
    finally:
        svc.close()


@pytest.mark.parametrize(
    ("argv", "terminal"),
    [
        (["w3m", "%u"], True),
        (["/usr/bin/lynx", "-accept_all_cookies"], True),
        (["elinks"], True),
        (["firefox", "--new-tab"], False),
        ([], False),
    ],
)
def test_text_mode_browsers_need_the_terminal(argv: list[str], terminal: bool) -> None:
    assert needs_terminal(argv) is terminal
