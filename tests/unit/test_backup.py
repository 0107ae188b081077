"""The subscriptions backup: it always parses, keeps the last good one, and a damaged cache
comes back from it with a message that says how many subscriptions it restored."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.httpserver import HTTPTestServer, server_fixture
from tui.core.backup import (
    Recovery,
    previous_backup,
    read_backup,
    unreadable_backup,
    write_backup,
)
from tui.core.config import Config
from tui.core.errors import ParseError
from tui.core.feeds.opml import Subscription
from tui.core.paths import Paths, resolve_paths
from tui.core.service import FeedService

server = server_fixture()

A = Subscription("https://example.org/a", "A", ("news",))
B = Subscription("https://example.org/b", "B", ())
# A feed's own title with characters XML 1.0 cannot hold: once enough to lose every
# subscription when the cache was damaged.
HOSTILE_TITLE = "Feed \uffff\ufffe\ufdd0 &#xFFFF; title"


def yuedu(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "--home", str(home), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def feed_with_title(title: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><item><title>One</title><link>https://example.org/1</link>"
        "</item></channel></rss>"
    ).encode()


def damage(paths: Paths) -> None:
    paths.database.write_bytes(b"this is not a database" * 100)


def test_the_backup_keeps_the_previous_good_one(tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.opml"
    write_backup(path, [A])
    write_backup(path, [A, B])
    assert [s.url for s in read_backup(path)[0].subscriptions] == [A.url, B.url]
    assert [s.url for s in read_backup(previous_backup(path))[0].subscriptions] == [A.url]
    write_backup(path, [A, B])  # nothing changed: the previous one stays the one before
    assert [s.url for s in read_backup(previous_backup(path))[0].subscriptions] == [A.url]


def test_an_unreadable_backup_is_moved_aside_not_written_over(tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.opml"
    path.write_text("<opml><body><outline", encoding="utf-8")
    write_backup(path, [A])
    assert unreadable_backup(path).read_text(encoding="utf-8") == "<opml><body><outline"
    assert not previous_backup(path).exists()
    assert read_backup(path)[0].subscriptions == [A]


def test_the_backup_always_parses_whatever_the_titles_hold(tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.opml"
    hostile = Subscription("https://example.org/a", "\x1b]0;x\x07T\uffff\ud800", ("\ufffe,t",))
    write_backup(path, [hostile])
    ET.fromstring(path.read_bytes())
    assert read_backup(path)[0].subscriptions == [Subscription(hostile.url, "T", (",t",))]


def test_a_broken_backup_falls_back_to_the_previous_one(tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.opml"
    write_backup(path, [A])
    write_backup(path, [A, B])
    path.write_bytes(path.read_bytes()[:60])  # cut short
    subs, source = read_backup(path)
    assert (subs.subscriptions, source) == ([A], previous_backup(path))


def test_no_backup_at_all_names_what_was_looked_for(tmp_path: Path) -> None:
    with pytest.raises(ParseError) as raised:
        read_backup(tmp_path / "subscriptions.opml")
    assert "subscriptions.opml: missing" in raised.value.reason
    assert "subscriptions.opml.1: missing" in raised.value.reason


def test_the_recovery_message_counts_or_says_where_the_files_are(tmp_path: Path) -> None:
    moved = tmp_path / "cache.db.damaged-1"
    source = tmp_path / "subscriptions.opml"
    assert Recovery(moved, 3, source).message() == (
        f"the cache was damaged; moved it to {moved}; restored 3 subscriptions from {source}"
    )
    assert "restored 1 subscription from" in Recovery(moved, 1, source).message()
    failed = Recovery(moved, None, problem="subscriptions.opml: missing").message()
    assert "could not restore the subscriptions (subscriptions.opml: missing)" in failed
    assert failed.endswith(f"are in {tmp_path}")


def test_a_feeds_own_title_cannot_cost_the_subscriptions(
    server: HTTPTestServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    url = server.url(server.serve_bytes("/hostile.xml", feed_with_title(HOSTILE_TITLE)))
    plain = server.url(server.serve_bytes("/plain.xml", feed_with_title("Plain")))
    for feed in (url, plain):
        added = yuedu(home, "add", feed, "--tag", "news,tech")
        assert added.returncode == 0, added.stderr
    paths = resolve_paths(home)
    ET.fromstring(paths.opml_backup.read_bytes())
    exported = yuedu(home, "export")
    assert exported.returncode == 0, exported.stderr
    assert {o.get("xmlUrl") for o in ET.fromstring(exported.stdout).iter("outline")} >= {url, plain}
    damage(paths)

    listed = yuedu(home, "feeds")
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr.count("\n") == 1 and "Traceback" not in listed.stderr
    assert "the cache was damaged; moved it to" in listed.stderr
    assert f"restored 2 subscriptions from {paths.opml_backup}" in listed.stderr
    assert url in listed.stdout and plain in listed.stdout
    with FeedService.open(paths, Config(), parse_workers=0) as service:
        assert {f.tags for f in service.feeds()} == {("news,tech",)}


def test_a_backup_an_older_version_wrote_unreadable_still_restores(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "home")
    paths.ensure()
    paths.opml_backup.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><body>'
        '<outline text="T\uffff" title="T\uffff" xmlUrl="https://example.org/a"/></body></opml>',
        encoding="utf-8",
    )
    paths.database.write_bytes(b"not a database")
    with FeedService.open(paths, Config(), parse_workers=0) as service:
        assert service.recovery is not None and service.recovery.restored == 1
        assert [(f.url, f.title) for f in service.feeds()] == [("https://example.org/a", "T")]


def test_when_nothing_can_be_restored_the_cli_says_so_and_where(tmp_path: Path) -> None:
    home = tmp_path / "home"
    paths = resolve_paths(home)
    paths.ensure()
    paths.database.write_bytes(b"not a database" * 100)
    paths.opml_backup.write_text("<opml><body>", encoding="utf-8")
    listed = yuedu(home, "feeds")
    assert listed.returncode == 0, listed.stderr
    assert "could not restore the subscriptions" in listed.stderr
    assert "subscriptions.opml: not valid OPML" in listed.stderr
    assert "subscriptions.opml.1: missing" in listed.stderr
    assert f"are in {paths.data_dir}" in listed.stderr
    assert paths.opml_backup.read_text(encoding="utf-8") == "<opml><body>"
