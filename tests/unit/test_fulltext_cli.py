"""Full articles from the command line: extract, show --full, feed --full-text, refresh."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.httpserver import HTTPTestServer, MiB, Request, Response, server_fixture, zeros
from tests.pages_feed import PAGES, serve_pages_feed
from tui.cli import main
from tui.core.paths import resolve_paths
from tui.core.store import Store
from tui.core.text.extract import article_plain_text, extract_article

server = server_fixture()

BLOG = PAGES / "en-blog-sqlite.html"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def home(tmp_path: Path) -> str:
    return str(tmp_path / "home")


@pytest.fixture
def subscribed(server: HTTPTestServer, home: str, capsys: pytest.CaptureFixture[str]) -> str:
    url = serve_pages_feed(server)
    assert cli(capsys, "--home", home, "add", url)[0] == 0
    return url


def test_extract_prints_the_plain_text_of_a_file_and_of_stdin() -> None:
    expected = article_plain_text(extract_article(BLOG.read_bytes(), "http://example.com/a"))
    for args, stdin in (([str(BLOG)], None), (["-"], BLOG.read_bytes())):
        done = subprocess.run(
            [sys.executable, "-m", "tui", "extract", "--url", "http://example.com/a", *args],
            cwd=REPO,
            input=stdin,
            capture_output=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.decode() == expected
    lines = expected.splitlines()
    assert lines[0] == "Why our SQLite writes got slower after we added an index"
    assert lines[1] == ""


def test_extract_without_an_article_exits_1_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "app.html"
    page.write_bytes(b"<html><body>" + b"<script>boot()</script>" * 100 + b"</body></html>")
    code, out, err = cli(capsys, "extract", str(page))
    assert (code, out) == (1, "")
    assert err == f"yuedu: {page}: no article found on the page\n"


def test_show_full_fetches_once_then_reads_offline_from_the_cache(
    server: HTTPTestServer, home: str, subscribed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, feed_body, _ = cli(capsys, "--home", home, "show", "1", "--width", "60")
    assert code == 0 and "A short summary." in feed_body
    code, out, err = cli(capsys, "--home", home, "show", "1", "--full", "--width", "60")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Why our SQLite writes got slower after we added an index"
    assert lines[1:5] == [
        "Feed:   Summaries",
        "Author: Priya Natarajan",
        "Date:   2024-03-04 08:00",
        f"Link:   {server.url('/pages/en-blog-sqlite.html')}",
    ]
    assert "suddenly took nineteen" in out
    assert max(len(line) for line in lines) <= 60
    assert len(server.requests_to("/pages/en-blog-sqlite.html")) == 1
    server.stop()
    code, again, err = cli(capsys, "--home", home, "show", "1", "--full", "--width", "60")
    assert (code, again, err) == (0, out, "")


def test_a_stale_article_is_checked_with_a_conditional_get(
    server: HTTPTestServer, home: str, subscribed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, first, _ = cli(capsys, "--home", home, "show", "2", "--full")
    assert code == 0 and "加装电梯" in first
    with sqlite3.connect(resolve_paths(home).database) as db:
        db.execute("UPDATE entry_articles SET fetched = 0")
    code, second, _ = cli(capsys, "--home", home, "show", "2", "--full")
    assert (code, second) == (0, first)
    requests = server.requests_to("/pages/zh-portal-gbk.html")
    assert [r.status for r in requests] == [200, 304]
    assert requests[1].header("If-Modified-Since") is not None


def test_pages_without_an_article_give_one_line_and_the_feed_body_stays(
    home: str, subscribed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "--home", home, "show", "3", "--full")
    assert (code, out) == (1, "")
    assert err.endswith("/scripts-only.html: no article found on the page\n")
    assert err.count("\n") == 1
    code, out, err = cli(capsys, "--home", home, "show", "4", "--full")
    assert code == 1 and err.endswith("/pages/missing.html: HTTP 404 Not Found\n")
    code, out, _ = cli(capsys, "--home", home, "show", "3")
    assert code == 0 and "An app shell." in out


def test_a_word_only_in_the_full_text_finds_the_entry_until_it_is_deleted(
    home: str, subscribed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, "--home", home, "entries", "--search", "nineteen")[1] == ""
    assert cli(capsys, "--home", home, "entries", "--search", "电梯")[1] == ""
    cli(capsys, "--home", home, "show", "1", "--full")
    cli(capsys, "--home", home, "show", "2", "--full")
    assert "SQLite at the edge" in cli(capsys, "--home", home, "entries", "--search", "nineteen")[1]
    assert "老旧小区改造" in cli(capsys, "--home", home, "entries", "--search", "电梯")[1]
    assert cli(capsys, "--home", home, "remove", subscribed)[0] == 0
    with Store(resolve_paths(home).database) as store:
        assert store.integrity_ok()
        assert store._conn().execute("SELECT count(*) FROM entry_articles").fetchone() == (0,)


def test_always_full_text_is_kept_through_opml_and_fetched_after_a_refresh(
    tmp_path: Path, home: str, subscribed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "--home", home, "feed", subscribed, "--full-text", "on")
    assert code == 0 and "full text: on" in out
    code, out, _ = cli(capsys, "--home", home, "refresh")
    # Two of the four pages hold an article; the others fail and are not counted.
    assert code == 0 and out.splitlines()[-1] == "2 full articles fetched"
    assert "2 full articles" not in cli(capsys, "--home", home, "refresh")[1].splitlines()[-1]
    code, opml, _ = cli(capsys, "--home", home, "export")
    assert 'yuedu:full-text="on"' in opml
    exported = tmp_path / "subs.opml"
    exported.write_text(opml, encoding="utf-8")
    other = str(tmp_path / "other")
    assert cli(capsys, "--home", other, "import", str(exported))[0] == 0
    assert "full text: on" in cli(capsys, "--home", other, "feed", subscribed)[1]
    cli(capsys, "--home", home, "feed", subscribed, "--full-text", "off")
    assert "yuedu:full-text" not in cli(capsys, "--home", home, "export")[1]


# Hostile pages ---------------------------------------------------------------------------


def _feed_of(server: HTTPTestServer, links: list[str]) -> str:
    items = "".join(
        f"<item><title>t{n}</title><link>{server.url(link)}</link><guid>g{n}</guid>"
        "<description>s</description></item>"
        for n, link in enumerate(links)
    )
    body = f'<rss version="2.0"><channel><title>H</title>{items}</channel></rss>'.encode()
    return server.url(server.serve_bytes("/hostile.xml", body))


def _show_full(capsys: pytest.CaptureFixture[str], home: str, link: int) -> tuple[int, str, str]:
    # Entries are listed newest first and these have no dates: ids follow the feed's order.
    return cli(capsys, "--home", home, "show", str(link), "--full", "--width", "70")


def test_hostile_pages_each_give_their_one_line_reason(
    server: HTTPTestServer, home: str, capsys: pytest.CaptureFixture[str]
) -> None:
    def endless(request: Request) -> Response:
        step = int(request.route_path.rsplit("/", 1)[-1] or 0)
        return Response(302, b"", [("Location", f"/endless/{step + 1}")])

    def fifty_mb(_request: Request) -> Response:
        return Response(200, zeros(50 * MiB), {"Content-Type": "text/html"})

    server.route("/endless/", endless, prefix=True)
    server.route("/big.html", fifty_mb)
    gbk = (PAGES / "zh-portal-gbk.html").read_bytes()
    server.serve_bytes("/gbk.html", gbk, content_type="text/html")
    title = "<html><head><title>\x1b]0;owned\x07\x1b[31mRed\x1b[0m news</title></head><body>"
    escapes = (
        title + "<p>" + "A paragraph of the article text. " * 8 + "</p></body></html>"
    ).encode()
    server.serve_bytes("/escapes.html", escapes, content_type="text/html")
    feed = _feed_of(server, ["/big.html", "/endless/0", "/gbk.html", "/escapes.html"])
    assert cli(capsys, "--home", home, "add", feed)[0] == 0

    code, out, err = _show_full(capsys, home, 1)
    assert code == 1 and err.endswith("/big.html: too large (over 5 MiB)\n"), err
    code, out, err = _show_full(capsys, home, 2)
    assert code == 1 and err.endswith("too many redirects (over 10)\n"), err
    code, out, err = _show_full(capsys, home, 3)
    assert code == 0 and "我市今年将新建改造老旧小区一百二十个" in out
    code, out, err = _show_full(capsys, home, 4)
    assert code == 0 and "Red news" in out.splitlines()[0]
    assert "\x1b" not in out and "\x07" not in out


def test_a_stale_article_stays_when_the_page_loses_it_or_the_site_is_down(
    server: HTTPTestServer, home: str, subscribed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, first, _ = cli(capsys, "--home", home, "show", "1", "--full")
    assert code == 0

    def age() -> None:
        with sqlite3.connect(resolve_paths(home).database) as db:
            db.execute("UPDATE entry_articles SET fetched = 0")

    age()
    server.serve_bytes(
        "/pages/en-blog-sqlite.html", b"<html><body>Subscribe to read</body></html>",
        content_type="text/html",
    )  # fmt: skip
    assert cli(capsys, "--home", home, "show", "1", "--full") == (0, first, "")
    assert [r.status for r in server.requests_to("/pages/en-blog-sqlite.html")] == [200, 200]
    age()
    server.stop()
    assert cli(capsys, "--home", home, "show", "1", "--full") == (0, first, "")
