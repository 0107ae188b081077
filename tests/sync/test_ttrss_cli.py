"""A new user's path against a real tt-rss: ``yuedu sync``, marks both ways, new articles,
and marks made while the server is down pushed on the next sync."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from tui.bench.ttrss_server import TtrssServer
from tui.bench.ttrss_tables import SeedArticle
from tui.cli import main

PASSWORD = "pw-" + secrets.token_hex(6)
SITE = "https://news.example.tw"


def run(capsys: pytest.CaptureFixture[str], home: Path, *args: str) -> str:
    capsys.readouterr()
    code = main(["--home", str(home), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert PASSWORD not in out + err
    return out


def listed(capsys: pytest.CaptureFixture[str], home: Path) -> dict[str, dict[str, object]]:
    return {e["title"]: e for e in json.loads(run(capsys, home, "entries", "--json"))}


def test_sync_with_a_real_ttrss_as_a_new_user_would(
    ttrss: TtrssServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = "reader" + secrets.token_hex(3)
    tables = ttrss.tables
    tables.add_user(user, PASSWORD)
    category = tables.add_category("新聞", owner=user)
    feed = tables.add_feed("https://news.example.tw/rss", "中央社", category=category, owner=user)
    ids = tables.add_articles(
        feed,
        [
            SeedArticle(
                "颱風海葵登陸", "https://news.example.tw/1", "<p>中央氣象署發布颱風警報</p>"
            ),
            SeedArticle(
                "半導體出口創新高", "https://news.example.tw/2", "<p>出口</p>", unread=False
            ),
            SeedArticle("新幹線延誤", "https://news.example.tw/3", "<p>遅延</p>", marked=True),
        ],
        owner=user,
    )
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(
        f'[sync]\nservice = "ttrss"\nurl = "{ttrss.url}"\nuser = "{user}"\n'
        'password_command = "printenv TTRSS_PW"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("TTRSS_PW", PASSWORD)

    out = run(capsys, home, "sync")
    assert "synced 1 feeds: 3 new entries" in out
    feeds = json.loads(run(capsys, home, "feeds", "--json"))
    assert [(f["url"], f["tags"]) for f in feeds] == [("https://news.example.tw/rss", ["新聞"])]
    entries = listed(capsys, home)
    assert [entries[t]["read"] for t in ("颱風海葵登陸", "半導體出口創新高")] == [False, True]
    assert entries["新幹線延誤"]["starred"] is True
    # The local search index finds synced entries, across scripts.
    found = json.loads(run(capsys, home, "entries", "--search", "台风", "--json"))
    assert [e["title"] for e in found] == ["颱風海葵登陸"]

    # Read and star here: the server has it after the next sync.
    run(capsys, home, "mark", str(entries["颱風海葵登陸"]["id"]), "--read")
    run(capsys, home, "mark", str(entries["半導體出口創新高"]["id"]), "--star")
    # Meanwhile, on the phone: one read, one unstarred, one new article.
    tables.set_flags([ids[2]], unread=False, marked=False, owner=user)
    tables.add_articles(feed, [SeedArticle("新聞四", "https://news.example.tw/4")], owner=user)
    out = run(capsys, home, "sync")
    assert "1 new entries, 2 marks pushed" in out
    assert tables.flags(ids[0], owner=user).unread is False
    assert tables.flags(ids[1], owner=user).marked is True
    entries = listed(capsys, home)
    assert entries["新幹線延誤"]["read"] is True and entries["新幹線延誤"]["starred"] is False
    assert "新聞四" in entries

    # The server goes down; marks made meanwhile wait, and go with the next sync.
    ttrss.stop_php()
    try:
        run(capsys, home, "mark", str(entries["颱風海葵登陸"]["id"]), "--unread")
        out = run(capsys, home, "sync")
        assert "not synced: 1 marks kept for the next sync" in out
    finally:
        ttrss.start_php()
    assert tables.flags(ids[0], owner=user).unread is False
    out = run(capsys, home, "sync")
    assert "1 marks pushed" in out
    assert tables.flags(ids[0], owner=user).unread is True

    # On the phone again: one read, another made unread, in one feed (its count stays).
    tables.set_flags([ids[0]], unread=False, owner=user)
    tables.set_flags([ids[1]], unread=True, owner=user)
    run(capsys, home, "sync")
    entries = listed(capsys, home)
    assert entries["颱風海葵登陸"]["read"] is True and entries["半導體出口創新高"]["read"] is False
    assert PASSWORD not in (home / "config.toml").read_text()
