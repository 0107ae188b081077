"""``yuedu sync`` end to end against the Google Reader and Miniflux contract servers: the
user's path from config.toml through the cache and back to the server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.greader_server import Feed as GFeed
from tests.sync.greader_server import GReaderServer, Item
from tests.sync.miniflux_server import Entry as MEntry
from tests.sync.miniflux_server import Feed as MFeed
from tests.sync.miniflux_server import MinifluxServer
from tui.cli import main


def synced_home(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    service: str,
    url: str,
    user: str,
    password: str,
) -> Path:
    """A fresh home whose config.toml syncs with ``url``; the password comes from a
    password_command that prints it (and a second line, which must be ignored)."""
    monkeypatch.setenv("PW", password)
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(
        f'[sync]\nservice = "{service}"\nurl = "{url}"\nuser = "{user}"\n'
        'password_command = "printf \'%s\\\\nsecond line\\\\n\' \\"$PW\\""\n',
        encoding="utf-8",
    )
    return home


def greader_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: GReaderServer) -> Path:
    return synced_home(tmp_path, monkeypatch, "greader", server.url, server.user, server.password)


def entries(capsys: pytest.CaptureFixture[str], home: Path) -> dict[str, dict[str, object]]:
    capsys.readouterr()
    assert main(["--home", str(home), "entries", "--json"]) == 0
    return {e["title"]: e for e in json.loads(capsys.readouterr().out)}


@pytest.fixture
def greader() -> Iterator[GReaderServer]:
    state = GReaderServer()
    state.feeds = {"feed/1": GFeed("https://example.com/one.xml", "新聞", "中文")}
    state.items = [
        Item(number=n, feed="feed/1", crawl_ms=1_700_000_000_000 + n * 10_000, title=f"颱風 {n}")
        for n in (1, 2, 3)
    ]
    state.items[2].read = True
    with state.http:
        yield state


def test_greader_sync_pulls_then_pushes_a_mark_made_with_the_cli(
    greader: GReaderServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = greader_home(tmp_path, monkeypatch, greader)
    assert main(["--home", str(home), "sync"]) == 0
    out = capsys.readouterr().out
    assert "synced 1 feeds: 3 new entries" in out
    pulled = entries(capsys, home)
    assert [pulled[f"颱風 {n}"]["read"] for n in (1, 2, 3)] == [False, False, True]
    assert main(["--home", str(home), "mark", str(pulled["颱風 1"]["id"]), "--read"]) == 0
    assert "1 marks wait for the server" in capsys.readouterr().out
    greader.item(2).starred = True  # starred on another device meanwhile
    assert main(["--home", str(home), "refresh"]) == 0  # with [sync], refresh syncs
    assert "1 marks pushed" in capsys.readouterr().out
    assert greader.item(1).read
    assert entries(capsys, home)["颱風 2"]["starred"] is True
    assert greader.refused == []
    assert greader.password not in (home / "config.toml").read_text()


@pytest.fixture
def miniflux() -> Iterator[MinifluxServer]:
    state = MinifluxServer()
    state.categories = {1: "Tech"}
    state.feeds = {10: MFeed("https://example.org/two.xml", "Two", 1)}
    state.entries = {i: MEntry(i, 10, title=f"Entry {i}") for i in (1, 2)}
    with state.http:
        yield state


def test_miniflux_sync_with_an_api_token_and_a_star_pushed(
    miniflux: MinifluxServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = synced_home(tmp_path, monkeypatch, "miniflux", miniflux.url, "", miniflux.api_key)
    assert main(["--home", str(home), "sync"]) == 0
    pulled = entries(capsys, home)
    assert set(pulled) == {"Entry 1", "Entry 2"}
    assert main(["--home", str(home), "mark", str(pulled["Entry 2"]["id"]), "--star"]) == 0
    assert main(["--home", str(home), "sync"]) == 0
    assert miniflux.entries[2].starred and miniflux.toggles[2] == 1
    # /v1/feeds/counters matched the cache: no list of unread entries was needed.
    assert not any("status=unread" in r.path for r in miniflux.calls("/v1/entries"))
    miniflux.entries[1].status = "read"
    assert main(["--home", str(home), "sync"]) == 0
    assert any("status=unread" in r.path for r in miniflux.calls("/v1/entries"))
    assert entries(capsys, home)["Entry 1"]["read"] is True
    assert miniflux.refused == []


def test_add_and_remove_subscribe_and_unsubscribe_on_the_server(
    greader: GReaderServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = greader_home(tmp_path, monkeypatch, greader)
    assert main(["--home", str(home), "add", "https://blog.example/atom.xml", "--tag", "Tech"]) == 0
    assert "added https://blog.example/atom.xml on the server" in capsys.readouterr().out
    assert [(f.url, f.label) for f in greader.feeds.values()][-1] == (
        "https://blog.example/atom.xml",
        "Tech",
    )
    assert main(["--home", str(home), "feeds", "--json"]) == 0
    feeds = {f["url"]: f for f in json.loads(capsys.readouterr().out)}
    assert feeds["https://blog.example/atom.xml"]["tags"] == ["Tech"]
    assert main(["--home", str(home), "remove", "https://example.com/one.xml"]) == 0
    assert "removed https://example.com/one.xml on the server" in capsys.readouterr().out
    assert "https://example.com/one.xml" not in {f.url for f in greader.feeds.values()}
    assert main(["--home", str(home), "feeds", "--json"]) == 0
    assert "https://example.com/one.xml" not in capsys.readouterr().out
    assert greader.refused == []


def unread_lists(server: GReaderServer) -> int:
    return sum("xt=" in r.path for r in server.calls("reader/api/0/stream/items/ids"))


def test_greader_lists_unread_ids_only_when_a_feeds_count_changed(
    greader: GReaderServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = greader_home(tmp_path, monkeypatch, greader)
    assert main(["--home", str(home), "sync"]) == 0
    assert main(["--home", str(home), "sync"]) == 0
    assert unread_lists(greader) == 0  # the counts matched: no list of ids needed
    greader.item(1).read = True  # read on the phone
    assert main(["--home", str(home), "sync"]) == 0
    assert unread_lists(greader) == 1
    assert entries(capsys, home)["颱風 1"]["read"] is True
    # A count at the server's cap says nothing: the list is read.
    greader.max_count = 1
    assert main(["--home", str(home), "sync"]) == 0
    assert unread_lists(greader) == 2
    assert greader.refused == []
