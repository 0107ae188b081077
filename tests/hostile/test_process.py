"""Process faults around the real CLI: kill -9 mid-refresh, a second process holding the
cache, a damaged cache file, a read-only home and a full disk."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.hostile import feeds
from tests.hostile.feeds import REPO, Yuedu
from tests.httpserver import HTTPTestServer, Request, Response

FEED_COUNT = 24


class Growing:
    """A feed that gains four items on every fetch (each fetch a superset of the last)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.fetches = itertools.count()
        self.served = 0

    def __call__(self, _request: Request) -> Response:
        generation = next(self.fetches)
        self.served = 8 + 4 * generation
        paragraph = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing. " * 30 + "</p>"
        items = [
            feeds.item(f"{self.name} item {i}", guid=f"{self.name}-{i}", body=paragraph)
            for i in range(self.served)
        ]
        return Response(
            200, feeds.rss(items, title=self.name), {"Content-Type": "application/rss+xml"}
        )


@pytest.fixture
def growing(tmp_path: Path) -> Iterator[tuple[HTTPTestServer, Yuedu, dict[str, Growing]]]:
    with HTTPTestServer() as server:
        handlers = {f"/grow/{i}": Growing(f"feed{i}") for i in range(FEED_COUNT)}
        for path, handler in handlers.items():
            server.route(path, handler)
        cli = Yuedu(tmp_path / "home")
        cli.configure(feeds.FAST_CONFIG.replace("timeout = 2", "timeout = 20"))
        cli.subscribe([server.url(p) for p in handlers])
        yield server, cli, handlers


def db_rows(home: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(home / "cache.db") as db:
        return db.execute(query).fetchall()


def integrity(home: Path) -> str:
    return str(db_rows(home, "PRAGMA integrity_check")[0][0])


def duplicates(home: Path) -> list[tuple[object, ...]]:
    return db_rows(
        home,
        "SELECT feed_id, guid, count(*) FROM entries GROUP BY feed_id, guid HAVING count(*) > 1",
    )


def flags(home: Path) -> dict[int, tuple[int, int]]:
    rows = db_rows(home, "SELECT id, read, starred FROM entries")
    return {int(str(i)): (int(str(r)), int(str(s))) for i, r, s in rows}


def kill_tree(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the CLI and every process it started (fork server, parse workers)."""
    descendants = psutil.Process(process.pid).children(recursive=True)
    os.killpg(process.pid, signal.SIGKILL)
    for child in descendants:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    process.wait(timeout=10)
    psutil.wait_procs(descendants, timeout=10)


def wait_until(predicate: object, timeout: float = 30.0) -> None:
    assert callable(predicate)
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"condition not met within {timeout} s"
        time.sleep(0.01)


@pytest.mark.slow
def test_kill_9_mid_refresh_loses_nothing_and_a_new_refresh_completes(
    growing: tuple[HTTPTestServer, Yuedu, dict[str, Growing]],
) -> None:
    server, cli, handlers = growing
    assert "0 failed" in cli.ok("refresh")
    home = cli.home
    ids = sorted(flags(home))
    cli.ok("mark", *map(str, ids[:5]), "--read")
    cli.ok("mark", *map(str, ids[5:8]), "--star")
    marked = {i: f for i, f in flags(home).items() if f != (0, 0)}
    assert len(marked) == 8
    baseline = len(ids)

    server.latency = 0.3
    server.clear_log()
    process = subprocess.Popen(
        cli.argv("refresh"),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        # Mid-refresh: some feeds of this refresh are in the cache, most are still coming.
        wait_until(lambda: len(db_rows(home, "SELECT id FROM entries")) > baseline)
    finally:
        kill_tree(process)

    assert integrity(home) == "ok"
    # Each feed gains four entries in this refresh: the kill landed before all were saved.
    assert len(db_rows(home, "SELECT id FROM entries")) < baseline + 4 * FEED_COUNT
    assert {i: flags(home)[i] for i in marked} == marked
    assert duplicates(home) == []

    server.latency = 0
    assert "0 failed" in cli.ok("refresh")
    assert integrity(home) == "ok"
    assert duplicates(home) == []
    assert {i: flags(home)[i] for i in marked} == marked
    rows = db_rows(
        home,
        "SELECT f.url, count(e.id) FROM feeds f JOIN entries e ON e.feed_id = f.id GROUP BY f.url",
    )
    per_feed = {str(url): count for url, count in rows}
    assert per_feed == {server.url(p): h.served for p, h in handlers.items()}


def test_a_refresh_waits_for_another_writer_and_then_works(
    growing: tuple[HTTPTestServer, Yuedu, dict[str, Growing]],
) -> None:
    server, cli, _ = growing
    cli.ok("feeds")  # creates the cache
    holder = sqlite3.connect(cli.home / "cache.db", isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Event()
    try:
        process = subprocess.Popen(
            cli.argv("refresh"), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        # Feeds downloaded: their saves now wait for the write lock the holder has.
        server.wait_for(lambda s: sum(r.finished for r in s.requests) >= 3, timeout=30)
        holder.execute("ROLLBACK")
        released.set()
        out, err = process.communicate(timeout=60)
    finally:
        if not released.is_set():
            holder.execute("ROLLBACK")
        holder.close()
    assert process.returncode == 0, err
    assert err == b""
    assert f"refreshed {FEED_COUNT} feeds" in out.decode() and "0 failed" in out.decode()
    assert integrity(cli.home) == "ok"


@pytest.mark.slow
def test_a_cache_held_by_another_process_is_one_line(
    growing: tuple[HTTPTestServer, Yuedu, dict[str, Growing]],
) -> None:
    _, cli, _ = growing
    cli.ok("feeds")
    holder = sqlite3.connect(cli.home / "cache.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        result = cli.run("refresh", timeout=120)
        took = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = feeds.assert_terminal_safe(result.stderr)
    assert result.returncode == 1
    assert err.splitlines() == [
        f"yuedu: {cli.home / 'cache.db'}: database is locked by another yuedu"
    ]
    assert took < 40, "one busy timeout, not one per feed"
    assert integrity(cli.home) == "ok"
    assert "0 failed" in cli.ok("refresh")


def _subscribe_two(cli: Yuedu) -> list[str]:
    urls = ["https://example.org/a.xml", "https://example.org/b.xml"]
    cli.subscribe(urls)
    return urls


@pytest.mark.parametrize("damage", ["garbage", "truncated", "zeroed-header"])
def test_a_damaged_cache_is_set_aside_and_subscriptions_restored(
    tmp_path: Path, damage: str
) -> None:
    cli = Yuedu(tmp_path / "home")
    cli.configure(feeds.FAST_CONFIG)
    urls = _subscribe_two(cli)
    backup = (cli.home / "subscriptions.opml").read_text(encoding="utf-8")
    assert all(u in backup for u in urls)
    assert not list(cli.home.glob(".subscriptions.opml.*")), "no temporary file left behind"
    database = cli.home / "cache.db"
    data = database.read_bytes()
    if damage == "garbage":
        database.write_bytes(b"not a database at all " * 500)
    elif damage == "truncated":
        database.write_bytes(data[: len(data) // 2])
    else:
        database.write_bytes(bytes(100) + data[100:])
    result = cli.run("feeds", "--json")
    err = feeds.assert_terminal_safe(result.stderr)
    assert result.returncode == 0, err
    (line,) = err.splitlines()
    assert line.startswith("yuedu: the cache was damaged; moved it to ")
    moved, restored = line.removeprefix("yuedu: the cache was damaged; moved it to ").split("; ")
    assert restored == f"restored 2 subscriptions from {cli.home / 'subscriptions.opml'}"
    aside = Path(moved)
    assert aside.exists() and aside.parent == cli.home
    assert [f["url"] for f in json.loads(result.stdout)] == urls
    assert integrity(cli.home) == "ok"
    assert cli.run("feeds").stderr == b"", "the message is said once"


def _tmpfs(path: Path, size: str) -> None:
    path.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot mount a tmpfs to simulate the disk (needs root): {exc}")


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True)


@contextlib.contextmanager
def _read_only_home(tmp_path: Path) -> Iterator[tuple[Path, Yuedu]]:
    """A home with two feeds on a file system then made read-only; the mount and the CLI."""
    mount = tmp_path / "ro"
    _tmpfs(mount, "4m")
    try:
        cli = Yuedu(mount / "home")
        cli.configure(feeds.FAST_CONFIG)
        _subscribe_two(cli)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        yield mount, cli
    finally:
        _umount(mount)


def test_a_read_only_home_is_one_line(tmp_path: Path) -> None:
    with _read_only_home(tmp_path) as (mount, cli):
        commands = [("add", "https://example.org/c.xml"), ("mark", "1", "--read"), ("refresh",)]
        for args in commands:
            result = cli.run(*args)
            err = feeds.assert_terminal_safe(result.stderr)
            assert b"Traceback" not in result.stderr, err
            assert result.returncode == 1, (args, err, result.stdout)
            (line,) = err.splitlines()
            assert line.startswith(f"yuedu: {cli.home / 'cache.db'}: "), (args, line)
        result = Yuedu(mount / "never-made").run("feeds")
        err = feeds.assert_terminal_safe(result.stderr)
        assert result.returncode == 1 and len(err.splitlines()) == 1, err
        assert b"Traceback" not in result.stderr
        assert "read-only" in err.lower()


def test_a_read_only_home_says_read_only(tmp_path: Path) -> None:
    with _read_only_home(tmp_path) as (_mount, cli):
        result = cli.run("mark", "1", "--read")
        assert result.returncode == 1
        assert b"read-only" in result.stderr, result.stderr


def _fill(mount: Path, leave: int) -> Path:
    """Fill the file system but for about ``leave`` bytes: room to open the cache, none
    to write a feed into it."""
    filler = mount / "filler"
    with filler.open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(bytes(4096))
        except OSError:
            pass
    os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def _full_disk(tmp_path: Path, leave: int) -> Iterator[tuple[Yuedu, Path, str]]:
    """A home on a 1 MiB file system with ``leave`` bytes free, subscribed to a feed
    bigger than that."""
    mount = tmp_path / "full"
    _tmpfs(mount, "1m")
    try:
        with HTTPTestServer() as server:
            big = "<p>" + "filler text for a full disk " * 200 + "</p>"
            items = [feeds.item(f"t{i}", guid=f"g{i}", body=big) for i in range(150)]
            url = server.url(server.serve_bytes("/big.xml", feeds.rss(items)))
            cli = Yuedu(mount / "home")
            cli.configure(feeds.FAST_CONFIG)
            cli.subscribe([url])
            yield cli, _fill(mount, leave), url
    finally:
        _umount(mount)


def test_a_full_disk_is_one_line(tmp_path: Path) -> None:
    for cli, filler, url in _full_disk(tmp_path, leave=128 * 1024):
        more = tmp_path / "more.txt"
        more.write_text("".join(f"https://example.org/{i}.xml\n" for i in range(3000)))
        for args in (("refresh",), ("import", str(more))):
            result = cli.run(*args)
            err = feeds.assert_terminal_safe(result.stderr)
            assert b"Traceback" not in result.stderr, err
            assert result.returncode == 1, (args, err, result.stdout)
            assert err.splitlines() == [f"yuedu: {cli.home / 'cache.db'}: disk full"], args
        filler.unlink()
        assert integrity(cli.home) == "ok"
        assert "0 failed" in cli.ok("refresh", url)


def test_a_disk_too_full_to_open_the_cache_says_disk_full(tmp_path: Path) -> None:
    for cli, _, _ in _full_disk(tmp_path, leave=0):
        result = cli.run("feeds")
        assert result.returncode == 1
        assert b"disk full" in result.stderr, result.stderr


# --- kill -9: nothing the killed process started may outlive it ---------------------------

ORPHAN_GRACE = 8.0
"""Seconds after the kill by which every helper process must be gone."""


def _session(sid: int) -> list[psutil.Process]:
    """Processes of the session the killed process led: all it started, however reparented
    (the parse workers are the fork server's children, not its own)."""
    found = []
    for process in psutil.process_iter():
        with contextlib.suppress(OSError, psutil.Error):
            if os.getsid(process.pid) == sid and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
    return found


def _holding(path: Path) -> list[int]:
    """Other processes with ``path`` (or its -wal, -shm...) open, from /proc/*/fd."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            for fd in (entry / "fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd).startswith(str(path)):
                        pids.append(int(entry.name))
                        break
    return pids


def _forkserver_children(sid: int) -> list[psutil.Process]:
    servers = [p for p in _session(sid) if "forkserver" in " ".join(p.cmdline())]
    return [child for server in servers for child in server.children()]


def _assert_nothing_outlives(process: subprocess.Popen[bytes], home: Path) -> None:
    process.kill()
    process.wait(timeout=10)
    database = home / "cache.db"
    deadline = time.monotonic() + ORPHAN_GRACE
    left = _session(process.pid)
    held = _holding(database)
    try:
        while (left or held) and time.monotonic() < deadline:
            time.sleep(0.05)
            left, held = _session(process.pid), _holding(database)
        assert held == [], f"still holding {database}: {held}"
        assert left == [], [" ".join(p.cmdline())[:80] for p in left]
    finally:
        for orphan in _session(process.pid):  # so that a failure leaks nothing
            with contextlib.suppress(psutil.Error):
                orphan.kill()


@pytest.fixture
def slow_feeds(tmp_path: Path) -> Iterator[tuple[HTTPTestServer, Yuedu]]:
    """Forty feeds of 300 long items each, every response 0.2 s late."""
    paragraph = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing. " * 40 + "</p>"
    body = feeds.rss([feeds.item(f"t{i}", guid=f"g{i}", body=paragraph) for i in range(300)])
    with HTTPTestServer(latency=0.2) as server:
        urls = [server.url(server.serve_bytes(f"/slow/{i}.xml", body)) for i in range(40)]
        cli = Yuedu(tmp_path / "home")
        cli.configure(feeds.FAST_CONFIG.replace("timeout = 2", "timeout = 20"))
        cli.subscribe(urls)
        yield server, cli


def _entries(home: Path) -> int:
    with (
        contextlib.suppress(sqlite3.Error),
        contextlib.closing(sqlite3.connect(home / "cache.db")) as db,
    ):
        return int(db.execute("SELECT count(*) FROM entries").fetchone()[0])
    return 0


MOMENTS = {
    # The fork server is up, importing the parser; no worker yet.
    "fork-server-starting": lambda sid, _home: any(
        "forkserver" in " ".join(p.cmdline()) for p in _session(sid)
    ),
    "workers-started": lambda sid, _home: bool(_forkserver_children(sid)),
    # Some feeds saved, most still being parsed or fetched.
    "mid-parse": lambda _sid, home: _entries(home) > 0,
}


@pytest.mark.slow
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_kill_9_of_a_refresh_leaves_no_process_behind(
    slow_feeds: tuple[HTTPTestServer, Yuedu], moment: str
) -> None:
    _, cli = slow_feeds
    process = subprocess.Popen(
        cli.argv("refresh"),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until(lambda: MOMENTS[moment](process.pid, cli.home))
    finally:
        _assert_nothing_outlives(process, cli.home)


@pytest.mark.slow
def test_kill_9_of_the_reader_mid_refresh_leaves_no_process_behind(
    slow_feeds: tuple[HTTPTestServer, Yuedu],
) -> None:
    _, cli = slow_feeds
    cli.configure(feeds.FAST_CONFIG.replace("refresh_on_start = false", "refresh_on_start = true"))
    main, terminal = os.openpty()
    try:
        process = subprocess.Popen(
            cli.argv(),
            cwd=REPO,
            stdin=terminal,
            stdout=terminal,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"},
        )
        try:
            wait_until(lambda: _entries(cli.home) > 0, timeout=60)
        finally:
            _assert_nothing_outlives(process, cli.home)
    finally:
        os.close(main)
        os.close(terminal)


@pytest.mark.slow
def test_kill_9_while_a_worker_holds_the_gil_leaves_no_process_behind(tmp_path: Path) -> None:
    # "&nbsp;" sends the feed to feedparser, whose e-mail regex takes minutes over this
    # author line in one call that never lets go of the GIL.
    author = "a." * 100_000
    body = feeds.rss([feeds.item("t&nbsp;", guid="g", author=author)])
    with HTTPTestServer() as server:
        cli = Yuedu(tmp_path / "home")
        cli.configure(feeds.FAST_CONFIG.replace("timeout = 2", "timeout = 20"))
        cli.subscribe([server.url(server.serve_bytes("/stuck.xml", body))])
        process = subprocess.Popen(
            cli.argv("refresh"),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

        def parsing() -> bool:
            return any(w.cpu_times().user > 1.0 for w in _forkserver_children(process.pid))

        try:
            wait_until(parsing, timeout=60)
        finally:
            _assert_nothing_outlives(process, cli.home)
