"""Queries, saved queries, ignore rules and tags from the command line, over feeds served
on 127.0.0.1 with dates relative to now."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

import pytest

from tests.httpserver import HTTPTestServer, server_fixture
from tui.cli import main

server = server_fixture()
NOW = datetime.now(UTC)

Item = tuple[str, float, tuple[str, ...]]
"""(title, age in days, categories)."""

ZH: list[Item] = [
    ("颱風逼近台灣", 0.2, ("天氣",)),
    ("半導體出口創新高", 1.5, ("經濟", "科技")),
    ("Sponsored: 新手機", 2.5, ()),
    ("舊聞一則", 10.5, ()),
]
EN: list[Item] = [
    ("Typhoon warning issued", 0.5, ("weather",)),
    ("Sponsored: a new phone", 1.2, ()),
    ("Markets and more", 5.5, ()),
]


def rss(title: str, items: list[Item]) -> bytes:
    parts = []
    for item_title, days, categories in items:
        date = format_datetime(NOW - timedelta(days=days))
        cats = "".join(f"<category>{escape(c)}</category>" for c in categories)
        parts.append(
            f"<item><title>{escape(item_title)}</title><guid>{escape(title)}-{item_title}</guid>"
            f"<link>https://example.test/{quote(title + item_title)}</link>"
            f"<pubDate>{date}</pubDate>{cats}"
            f"<description>{escape(item_title)} body</description></item>"
        )
    channel = f"<title>{escape(title)}</title><link>https://example.test/</link>"
    return f'<rss version="2.0"><channel>{channel}{"".join(parts)}</channel></rss>'.encode()


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def home(tmp_path: Path, server: HTTPTestServer, capsys: pytest.CaptureFixture[str]) -> str:
    """A cache with a Chinese and an English feed, imported from a newsboat urls file."""
    zh = server.url(server.serve_bytes("/zh.xml", rss("中文新聞", ZH)))
    en = server.url(server.serve_bytes("/en.xml", rss("English news", EN)))
    urls = tmp_path / "urls"
    urls.write_text(
        f'{zh} zh news\n{en} en news "~English"\n'
        '"query:Fresh Chinese:tags # \\"zh\\" and age < 2" zh\n'
        '"query:Typhoons:title =~ \\"颱風|typhoon\\""\n'
        '"query:Broken:title =~ \\"(\\""\n',
        encoding="utf-8",
    )
    where = str(tmp_path / "home")
    code, out, err = cli(capsys, "--home", where, "import", str(urls))
    assert code == 0, err
    assert out == "imported 2 feeds (0 already subscribed)\nimported 2 saved queries\n"
    assert err.count("\n") == 1 and "Broken" in err and "column" in err
    code, out, err = cli(capsys, "--home", where, "refresh")
    assert code == 0, err
    return where


def stdout(capsys: pytest.CaptureFixture[str], home: str, *args: str) -> str:
    code, out, err = cli(capsys, "--home", home, *args)
    assert code == 0, err
    return out


def titles(capsys: pytest.CaptureFixture[str], home: str, *args: str) -> list[str]:
    return [
        entry["title"] for entry in json.loads(stdout(capsys, home, "entries", *args, "--json"))
    ]


def test_entries_query_newest_first_and_combined_with_the_other_filters(
    capsys: pytest.CaptureFixture[str], home: str
) -> None:
    assert titles(capsys, home, "--query", 'unread = "yes" and age < 2') == [
        "颱風逼近台灣",
        "Typhoon warning issued",
        "Sponsored: a new phone",
        "半導體出口創新高",
    ]
    assert titles(capsys, home, "--query", 'title =~ "颱風|typhoon"') == [
        "颱風逼近台灣",
        "Typhoon warning issued",
    ]
    assert titles(capsys, home, "--query", 'tags # "zh" and content =~ "半導體"') == [
        "半導體出口創新高"
    ]
    assert titles(capsys, home, "--query", 'feedtitle = "English" or age > 7') == [
        "Typhoon warning issued",
        "Sponsored: a new phone",
        "Markets and more",
        "舊聞一則",
    ]
    out = stdout(capsys, home, "feeds", "--json")
    en = next(feed["url"] for feed in json.loads(out) if feed["url"].endswith("/en.xml"))
    assert titles(capsys, home, "--query", "age < 7", "--feed", en, "--limit", "1") == [
        "Typhoon warning issued"
    ]
    assert titles(capsys, home, "--query", 'title =~ "Sponsored"', "--search", "phone") == [
        "Sponsored: a new phone"
    ]
    ids = [str(e["id"]) for e in json.loads(stdout(capsys, home, "entries", "--json"))]
    stdout(capsys, home, "mark", "--read", *ids)
    assert titles(capsys, home, "--query", "age < 3", "--unread") == []


def test_entries_json_carry_the_categories(capsys: pytest.CaptureFixture[str], home: str) -> None:
    out = stdout(capsys, home, "entries", "--json")
    by_title = {entry["title"]: entry["categories"] for entry in json.loads(out)}
    assert by_title["半導體出口創新高"] == ["經濟", "科技"]
    assert by_title["Markets and more"] == []


@pytest.mark.parametrize(
    ("expr", "reason"),
    [
        ('colour = "red"', "column 1: unknown attribute 'colour'"),
        ('title = "open', "column 9: unclosed quote"),
        ("title =", "column 8: "),
        ('title =~ "("', "column 10: bad regular expression"),
        ('(unread = "yes"', "column 1: "),
    ],
)
def test_a_malformed_expression_fails_with_one_line(
    capsys: pytest.CaptureFixture[str], home: str, expr: str, reason: str
) -> None:
    for command in (
        ["entries", "--query", expr],
        ["query", "add", "X", expr],
        ["ignore", "add", expr],
    ):
        code, out, err = cli(capsys, "--home", home, *command)
        assert (code, out) == (1, ""), command
        assert err.startswith(f"yuedu: {reason}") and err.count("\n") == 1, err


def test_saved_queries_from_the_urls_file_and_query_add(
    capsys: pytest.CaptureFixture[str], home: str
) -> None:
    assert cli(capsys, "--home", home, "query", "add", "Ads", 'title =~ "^Sponsored"') == (
        0,
        "saved query Ads\n",
        "",
    )
    out = stdout(capsys, home, "query", "list", "--json")
    assert json.loads(out) == [
        {"name": "Fresh Chinese", "query": 'tags # "zh" and age < 2', "unread": 2, "total": 2},
        {"name": "Typhoons", "query": 'title =~ "颱風|typhoon"', "unread": 2, "total": 2},
        {"name": "Ads", "query": 'title =~ "^Sponsored"', "unread": 2, "total": 2},
    ]
    out = stdout(capsys, home, "query", "list")
    assert out.splitlines()[2] == '      2/2     Ads: title =~ "^Sponsored"'
    assert titles(capsys, home, "--saved", "Fresh Chinese") == ["颱風逼近台灣", "半導體出口創新高"]
    assert titles(capsys, home, "--saved", "Ads", "--query", 'feedtitle = "English"') == [
        "Sponsored: a new phone"
    ]
    assert cli(capsys, "--home", home, "query", "add", "Ads", 'title = "x"')[0] == 0
    out = stdout(capsys, home, "query", "list", "--json")
    assert [q["name"] for q in json.loads(out)] == ["Fresh Chinese", "Typhoons", "Ads"]
    assert cli(capsys, "--home", home, "query", "remove", "Ads") == (0, "removed query Ads\n", "")
    assert cli(capsys, "--home", home, "query", "remove", "Ads") == (
        2,
        "",
        "yuedu: no saved query: Ads\n",
    )
    assert cli(capsys, "--home", home, "entries", "--saved", "Ads") == (
        2,
        "",
        "yuedu: no saved query: Ads\n",
    )


def test_tag_and_untag(capsys: pytest.CaptureFixture[str], home: str) -> None:
    out = stdout(capsys, home, "feeds", "--json")
    en = next(feed["url"] for feed in json.loads(out) if feed["url"].endswith("/en.xml"))
    assert cli(capsys, "--home", home, "tag", en, "world", "news") == (
        0,
        f"{en}: en, news, world\n",
        "",
    )
    assert titles(capsys, home, "--query", 'tags # "world"', "--limit", "1") == [
        "Typhoon warning issued"
    ]
    assert cli(capsys, "--home", home, "untag", en, "en", "news") == (0, f"{en}: world\n", "")
    out = stdout(capsys, home, "feeds", "--json")
    assert next(f["tags"] for f in json.loads(out) if f["url"] == en) == ["world"]
    assert cli(capsys, "--home", home, "tag", "https://nowhere.test/", "x") == (
        2,
        "",
        "yuedu: not subscribed: https://nowhere.test/\n",
    )


def test_ignore_rules_keep_matching_entries_out_of_the_next_refresh(
    capsys: pytest.CaptureFixture[str], home: str, server: HTTPTestServer
) -> None:
    zh_url = server.url("/zh.xml")
    assert cli(capsys, "--home", home, "ignore", "add", 'title =~ "^Sponsored"') == (
        0,
        'ignoring: title =~ "^Sponsored"\n',
        "",
    )
    assert cli(capsys, "--home", home, "ignore", "add", 'title =~ "股"', "--feed", zh_url) == (
        0,
        f'ignoring in {zh_url}: title =~ "股"\n',
        "",
    )
    out = stdout(capsys, home, "ignore", "list", "--json")
    assert json.loads(out) == [
        {"expr": 'title =~ "^Sponsored"', "feed": "*"},
        {"expr": 'title =~ "股"', "feed": zh_url},
    ]
    out = stdout(capsys, home, "ignore", "list")
    assert out == f'*  title =~ "^Sponsored"\n{zh_url}  title =~ "股"\n'

    fresh_zh: list[Item] = [("Sponsored: 贊助", 0.1, ()), ("股市大漲", 0.1, ()), ("新聞", 0.1, ())]
    fresh_en: list[Item] = [("Sponsored: more", 0.1, ()), ("股 in English", 0.1, ())]
    server.serve_bytes("/zh.xml", rss("中文新聞", fresh_zh + ZH))
    server.serve_bytes("/en.xml", rss("English news", fresh_en + EN))
    code, out, err = cli(capsys, "--home", home, "refresh")
    assert code == 0, err
    assert "2 new entries" in out
    stored = titles(capsys, home)
    assert "新聞" in stored and "股 in English" in stored
    assert not {"Sponsored: 贊助", "股市大漲", "Sponsored: more"} & set(stored)
    assert "Sponsored: a new phone" in stored, "entries stored before the rule stay"

    assert cli(capsys, "--home", home, "ignore", "remove", 'title =~ "^Sponsored"') == (
        0,
        'removed ignore rule: title =~ "^Sponsored"\n',
        "",
    )
    assert cli(capsys, "--home", home, "ignore", "remove", 'title =~ "^Sponsored"')[0:2] == (2, "")
    # Without validators the feeds are downloaded again rather than answered with a 304.
    server.serve_bytes("/zh.xml", rss("中文新聞", fresh_zh + ZH), etag=False)
    server.serve_bytes("/en.xml", rss("English news", fresh_en + EN), etag=False)
    code, out, err = cli(capsys, "--home", home, "refresh")
    assert "2 new entries" in out, "without the rule the next download keeps them"
    assert "股市大漲" not in titles(capsys, home)


def test_ignore_help_says_entries_are_never_stored(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["ignore", "add", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "dropped at refresh and never stored" in out
