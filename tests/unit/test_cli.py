"""The headless CLI as a user or a script drives it: real server, real cache, real process."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, REPO
from tests.httpserver import HTTPTestServer, server_fixture
from tui.cli import main

server = server_fixture()
FEEDS = CORPUS / "feeds"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """The real command in a fresh interpreter, as a user's shell would start it."""
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        cwd=REPO,
        input=stdin.decode() if stdin else None,
        capture_output=True,
        text=True,
        timeout=120,
    )


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def home(tmp_path: Path) -> str:
    return str(tmp_path / "home")


def opml_for(server: HTTPTestServer, tmp_path: Path, names: list[str]) -> Path:
    base = server.url(server.serve_dir("/feeds/", FEEDS))
    outlines = "".join(f'<outline text="{n}" xmlUrl="{base}{n}"/>' for n in names)
    path = tmp_path / "subs.opml"
    path.write_text(
        f'<opml version="2.0"><body><outline text="CJK">{outlines}</outline></body></opml>',
        encoding="utf-8",
    )
    return path


def test_import_refresh_entries_json_as_a_new_user_would(
    server: HTTPTestServer, tmp_path: Path, home: str
) -> None:
    names = [
        "chardet__Big5-ebao.us.xml",
        "chardet__GB2312-bbs.blogsome.com.xml",
        "chardet__SHIFT_JIS-10e.org.xml",
        "chardet__EUC-KR-xenix.egloos.com.xml",
        "chardet__EUC-JP-atom.ycf.nanet.co.jp.xml",
    ]
    opml = opml_for(server, tmp_path, names)
    imported = run("--home", home, "import", str(opml))
    assert imported.returncode == 0, imported.stderr
    assert "imported 5 feeds" in imported.stdout

    first = run("--home", home, "refresh")
    assert first.returncode == 0, first.stderr
    assert "5 feeds" in first.stdout and "0 failed" in first.stdout
    assert first.stderr == "", "no progress bar when stderr is not a terminal"

    listed = run("--home", home, "entries", "--json")
    entries = json.loads(listed.stdout)
    assert {e["feed_url"].rsplit("/", 1)[1] for e in entries} == set(names)
    titles = {e["title"] for e in entries}
    for title in [
        "新年快樂",
        "活该麦当劳",
        "いろいろちょっと待ってネ。",
        "2005년 내 이글루 결산",
        "さだまさし",
    ]:
        assert title in titles
    keys = {
        "id",
        "feed_url",
        "feed_title",
        "title",
        "link",
        "author",
        "published",
        "read",
        "starred",
        "categories",
        "enclosures",
    }
    assert all(set(e) == keys for e in entries)
    dates = [e["published"] for e in entries]
    assert dates == sorted(dates, reverse=True), "newest first"
    assert all(d.endswith("Z") for d in dates)

    feeds = json.loads(run("--home", home, "feeds", "--json").stdout)
    assert all(f["tags"] == ["CJK"] and f["error"] is None and f["status"] == 200 for f in feeds)
    assert set(feeds[0]) == {
        "url",
        "title",
        "tags",
        "unread",
        "total",
        "last_fetched",
        "status",
        "error",
    }

    server.clear_log()
    second = run("--home", home, "refresh")
    assert "5 unchanged" in second.stdout
    assert [r.status for r in server.requests] == [304] * 5


def test_refresh_lists_each_failure_on_one_line_and_succeeds(
    server: HTTPTestServer, capsys: pytest.CaptureFixture[str], home: str, tmp_path: Path
) -> None:
    good = server.serve_bytes("/ok.xml", (FEEDS / "newsboat__rss091_1.xml").read_bytes())
    gone = server.serve_status("/gone.xml", 404)
    urls = tmp_path / "urls"
    urls.write_text(f"{server.url(good)}\n{server.url(gone)}\n", encoding="utf-8")
    assert cli(capsys, "--home", home, "import", str(urls))[0] == 0
    code, out, _ = cli(capsys, "--home", home, "refresh")
    assert code == 0
    assert f"failed {server.url(gone)}: HTTP 404 Not Found" in out
    assert "1 failed" in out


def test_add_reports_why_when_nothing_can_be_subscribed(
    server: HTTPTestServer, capsys: pytest.CaptureFixture[str], home: str
) -> None:
    page = server.serve_bytes(
        "/page", b"<html><body>no feeds</body></html>", content_type="text/html"
    )
    code, _, err = cli(capsys, "--home", home, "add", server.url(page))
    assert code == 1
    assert err.strip().endswith("no feed found on this page")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("", "utf-32-le"),
        ("UCS-4", "utf-32-be"),
        ("", "cp037"),
        ("x-mac-centraleurope", "mac-latin2"),
    ],
)
def test_feeds_in_rarer_encodings_are_added_with_their_titles(
    server: HTTPTestServer, capsys: pytest.CaptureFixture[str], home: str, label: str, codec: str
) -> None:
    title = "Żółć na Štědrý den" if codec.startswith(("utf", "mac")) else "Déjà vu ¢"
    declaration = f'<?xml version="1.0" encoding="{label}"?>' if label else ""
    body = (
        f"{declaration}<rss version='2.0'><channel><title>{title}</title>"
        f"<item><title>{title}</title><link>https://example.org/1</link></item></channel></rss>"
    ).encode(codec)
    url = server.url(server.serve_bytes("/feed.xml", body, content_type="text/xml"))
    code, _, err = cli(capsys, "--home", home, "add", url)
    assert code == 0, err
    code, out, _ = cli(capsys, "--home", home, "entries", "--json")
    assert [(e["feed_title"], e["title"]) for e in json.loads(out)] == [(title, title)]


def test_show_mark_and_filters(
    server: HTTPTestServer, capsys: pytest.CaptureFixture[str], home: str
) -> None:
    path = server.serve_bytes("/zh.xml", (FEEDS / "chardet__Big5-ebao.us.xml").read_bytes())
    code, out, _ = cli(capsys, "--home", home, "add", server.url(path), "--tag", "中文")
    assert code == 0 and "15 entries" in out
    entries = json.loads(cli(capsys, "--home", home, "entries", "--json", "--limit", "3")[1])
    assert len(entries) == 3
    first = entries[0]["id"]

    code, out, _ = cli(capsys, "--home", home, "show", str(first), "--width", "30")
    assert code == 0
    assert entries[0]["title"] in out.replace("\n", "")
    assert all(len(line) <= 30 for line in out.splitlines())  # CJK cells <= 2x chars

    assert cli(capsys, "--home", home, "mark", str(first), "--read", "--star")[0] == 2
    assert cli(capsys, "--home", home, "mark", str(first), "--star")[0] == 0
    assert cli(capsys, "--home", home, "mark", str(first), "--read")[0] == 0
    starred = json.loads(cli(capsys, "--home", home, "entries", "--starred", "--json")[1])
    assert [e["id"] for e in starred] == [first] and starred[0]["read"] is True
    unread = json.loads(cli(capsys, "--home", home, "entries", "--unread", "--json")[1])
    assert first not in {e["id"] for e in unread} and len(unread) == 14
    by_feed = cli(capsys, "--home", home, "entries", "--feed", server.url(path), "--json")[1]
    assert len(json.loads(by_feed)) == 15


def test_export_round_trips_through_import(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, home: str
) -> None:
    urls = tmp_path / "urls"
    urls.write_text(
        '# newsboat\nhttps://example.org/a.xml tech "~Alpha"\n'
        'https://example.org/b.xml\nquery:Unread:unread = "yes"\n',
        encoding="utf-8",
    )
    code, out, err = cli(capsys, "--home", home, "import", str(urls))
    assert code == 0 and "imported 2 feeds" in out and "query" in err
    code, exported, _ = cli(capsys, "--home", home, "export")
    again = tmp_path / "again.opml"
    again.write_text(exported, encoding="utf-8")
    other = str(tmp_path / "other")
    assert cli(capsys, "--home", other, "import", str(again))[0] == 0
    feeds = json.loads(cli(capsys, "--home", other, "feeds", "--json")[1])
    assert [(f["url"], f["title"], f["tags"]) for f in feeds] == [
        ("https://example.org/a.xml", "Alpha", ["tech"]),
        ("https://example.org/b.xml", "", []),
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["mark", "1"],
        ["show", "abc"],
        ["entries", "--limit", "-3"],
        ["show", "999"],
        ["remove", "https://nowhere.example/"],
    ],
)
def test_a_users_mistake_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], home: str, args: list[str]
) -> None:
    code, _, err = cli(capsys, "--home", home, *args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_bad_config_and_unopenable_store_are_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("[fetch]\ntimeot = 3\n", encoding="utf-8")
    result = run("--home", str(home), "feeds")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"yuedu: {home / 'config.toml'}: unknown key 'fetch.timeot'"
    ]
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    result = run("--home", str(blocked), "feeds")
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1


def test_render_prints_the_seed_article_without_forbidden_line_starts() -> None:
    article = CORPUS / "articles" / "zh-hant-news-guangdong.html"
    for width in (20, 40, 80):
        result = run("render", "--width", str(width), str(article))
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines and "\x1b" not in result.stdout
        assert not [line for line in lines if line[:1] in set(",，。:、")]
        assert "numdb" not in result.stdout
    piped = run("render", "--width", "10", "-", stdin="一行。\n二行，\n".encode())
    assert piped.stdout.splitlines() == ["一行。", "", "二行，"]


def test_render_follows_the_text_section_of_the_config(tmp_path: Path) -> None:
    text = "用Python写程序\n".encode()
    assert run("--home", str(tmp_path), "render", "-", stdin=text).stdout == "用Python写程序\n"
    (tmp_path / "config.toml").write_text("[text]\ncjk_spacing = true\n", encoding="utf-8")
    spaced = run("--home", str(tmp_path), "render", "-", stdin=text)
    assert spaced.stdout == "用 Python 写程序\n", spaced.stderr
    (tmp_path / "config.toml").write_text("[text]\nambiguous_width = 3\n", encoding="utf-8")
    refused = run("--home", str(tmp_path), "render", "-", stdin=text)
    assert refused.returncode == 1 and "ambiguous_width" in refused.stderr


def test_a_feed_added_without_a_scheme_is_named_the_same_way_everywhere(
    server: HTTPTestServer, capsys: pytest.CaptureFixture[str], home: str
) -> None:
    typed = server.url(
        server.serve_bytes("/feed.xml", (FEEDS / "newsboat__rss091_1.xml").read_bytes())
    )
    typed = typed.removeprefix("http://")
    code, out, _ = cli(capsys, "--home", home, "add", typed)
    assert code == 0 and out.startswith(f"added http://{typed}")
    code, out, err = cli(capsys, "--home", home, "refresh", typed)
    assert (code, err) == (0, "")
    assert "refreshed 1 feeds" in out and "0 failed" in out
    code, out, _ = cli(capsys, "--home", home, "entries", "--feed", typed, "--json")
    assert code == 0 and json.loads(out)
    assert cli(capsys, "--home", home, "add", typed)[1] == f"already subscribed: http://{typed}\n"
    assert cli(capsys, "--home", home, "remove", typed)[0] == 0
    code, _, err = cli(capsys, "--home", home, "refresh", typed)
    assert code == 2 and f"not subscribed: {typed}" in err


def test_two_processes_refreshing_one_cache(
    server: HTTPTestServer, tmp_path: Path, home: str
) -> None:
    names = sorted(p.name for p in FEEDS.iterdir() if p.name.startswith("chardet__"))
    opml = opml_for(server, tmp_path, names)
    assert run("--home", home, "import", str(opml)).returncode == 0
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tui", "--home", home, "refresh"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert "0 failed" in out
    db = sqlite3.connect(Path(home) / "cache.db")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    single = tmp_path / "single"
    assert run("--home", str(single), "import", str(opml)).returncode == 0
    assert run("--home", str(single), "refresh").returncode == 0
    expected = sqlite3.connect(single / "cache.db").execute("SELECT count(*) FROM entries")
    assert db.execute("SELECT count(*) FROM entries").fetchone() == expected.fetchone()


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("yuedu ")
