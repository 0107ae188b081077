"""Every hostile server behaviour in one ``yuedu refresh``, beside good feeds, watched from
outside: one readable line per failing feed, exit status 0, each failure within its
deadline, the good feeds stored, and the process tree under 500 MB throughout."""

from __future__ import annotations

import contextlib
import random
import re
import resource
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import psutil
import pytest

from tests.hostile import feeds
from tests.hostile.feeds import CORPUS, GOOD_FEEDS, REPO, Yuedu
from tests.httpserver import GiB, HTTPTestServer, MiB

DEADLINE = 2.0  # [fetch] timeout in FAST_CONFIG
MARGIN = 1.5  # seconds past a deadline allowed on a busy two-core machine
MEMORY_CAP = 500 * 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8

# path -> the reason its failure line must hold (a regular expression)
FAILING = {
    "/gzip-bomb": r"too large \(over 1 MiB\)",
    "/brotli-bomb": r"too large \(over 1 MiB\)",
    "/huge-declared": r"too large \(over 1 MiB\)",
    "/huge-chunked": r"too large \(over 1 MiB\)",
    "/drip": r"timed out after 2 s",
    "/hang": r"timed out after 2 s|no data for 2 s",
    "/loop/a": r"redirect loop",
    "/chain/0": r"too many redirects \(over 10\)",
    "/to-file": r"redirect to a non-web address",
    "/404": r"HTTP 404 Not Found",
    "/500": r"HTTP 500 Internal Server Error",
    "/429": r"HTTP 429 Too Many Requests",
    "/503": r"HTTP 503 Service Unavailable",
    "/page.html": r"not a feed \(HTML page\)",
    "/empty": r"empty response",
    "/random": r"not a feed \(binary data\)",
    "/png": r"not a feed \(binary data\)",
    "/truncated": r"connection closed before the body was complete",
    "/json-nest": r"not a feed \(invalid JSON\)",
}
# Hostile documents that are still feeds: they must be stored (the deep one may instead
# run out of parse time on a slow machine, which is a readable failure too).
HOSTILE_FEEDS = {
    "/inject.rss": feeds.injected_rss,
    "/inject.atom": feeds.injected_atom,
    "/inject.json": feeds.injected_json,
    "/links.xml": feeds.links_rss,
    "/laughs.xml": feeds.billion_laughs,
    "/huge-title.xml": feeds.huge_title,
    "/long-word.xml": feeds.long_word,
    "/zalgo.xml": feeds.rtl_and_zalgo,
    "/dates.xml": feeds.dates,
    "/deep.xml": feeds.deep_xml,
}
MAY_TIME_OUT = {"/deep.xml": r"parsing took over 2 s"}


def serve_everything(server: HTTPTestServer) -> None:
    for name in GOOD_FEEDS:
        server.serve_bytes(f"/good/{name}", (CORPUS / "feeds" / name).read_bytes())
    for path, build in HOSTILE_FEEDS.items():
        server.serve_bytes(path, build())
    server.gzip_bomb("/gzip-bomb", size=10 * GiB)
    server.brotli_bomb("/brotli-bomb", size=10 * GiB)
    server.huge("/huge-declared", size=200 * MiB, framing="length")
    server.huge("/huge-chunked", size=200 * MiB, framing="chunked")
    server.drip("/drip", interval=1.0)
    server.hang("/hang")
    server.redirect_loop("/loop/a", "/loop/b")
    server.redirect_chain("/chain", 25, target="/good/newsboat__rss091_1.xml")
    server.redirect("/to-file", "file:///etc/passwd")
    server.serve_status("/404", 404)
    server.serve_status("/500", 500)
    server.serve_status("/429", 429, retry_after=600)
    later = format_datetime(datetime.now(UTC) + timedelta(hours=2), usegmt=True)
    server.serve_status("/503", 503, retry_after=later)
    server.serve_bytes(
        "/page.html",
        b"<!doctype html><html><head><title>A blog</title></head><body>hi</body></html>",
        content_type="text/html; charset=utf-8",
    )
    server.serve_bytes("/empty", b"")
    server.serve_bytes("/random", random.Random(6).randbytes(64 * 1024), content_type=None)
    server.serve_bytes("/png", PNG, content_type="image/png")
    server.truncated("/truncated", feeds.rss([feeds.item("cut", guid="cut")] * 50))
    server.serve_bytes(
        "/json-nest", b"[" * 100_000 + b"]" * 100_000, content_type="application/json"
    )


@dataclass
class TreeWatch:
    """Polls the resident memory of a process and all its descendants until it exits."""

    pid: int
    peak: int = 0
    samples: int = 0
    _thread: threading.Thread | None = field(default=None, repr=False)

    def start(self) -> TreeWatch:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while True:
            try:
                if not root.is_running() or root.status() == psutil.STATUS_ZOMBIE:
                    return
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:
                return
            total = 0
            for process in tree:
                with contextlib.suppress(psutil.Error):
                    total += process.memory_info().rss
            self.peak = max(self.peak, total)
            self.samples += 1
            time.sleep(0.02)

    def join(self) -> None:
        assert self._thread is not None
        self._thread.join(timeout=10)


@dataclass
class Outcome:
    server: HTTPTestServer
    cli: Yuedu
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss: int
    samples: int


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outcome]:
    with HTTPTestServer() as server:
        serve_everything(server)
        cli = Yuedu(tmp_path_factory.mktemp("all") / "home")
        cli.configure(feeds.FAST_CONFIG)
        cli.subscribe(
            [server.url(f"/good/{n}") for n in GOOD_FEEDS]
            + [server.url(p) for p in [*FAILING, *HOSTILE_FEEDS]]
        )
        started = time.monotonic()
        process = subprocess.Popen(
            cli.argv("refresh"), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        watch = TreeWatch(process.pid).start()
        out, err = process.communicate(timeout=120)
        seconds = time.monotonic() - started
        watch.join()
        yield Outcome(
            server,
            cli,
            process.returncode,
            feeds.assert_terminal_safe(out),
            feeds.assert_terminal_safe(err),
            seconds,
            watch.peak,
            watch.samples,
        )


def failure_lines(outcome: Outcome) -> dict[str, str]:
    lines: dict[str, str] = {}
    for line in outcome.stdout.splitlines():
        found = re.fullmatch(r"failed (\S+): (.+)", line)
        if found:
            path = found.group(1).removeprefix(outcome.server.base_url)
            assert path not in lines, f"two lines for {path}"
            lines[path] = found.group(2)
    return lines


def test_exit_status_0_and_one_line_per_failing_feed(outcome: Outcome) -> None:
    assert outcome.returncode == 0, outcome.stderr
    assert outcome.stderr == ""
    failed = failure_lines(outcome)
    for path, reason in FAILING.items():
        assert path in failed, (path, outcome.stdout)
        assert re.fullmatch(reason, failed[path]), (path, failed[path])
    unexpected = set(failed) - set(FAILING) - set(MAY_TIME_OUT)
    assert not unexpected, {p: failed[p] for p in unexpected}
    for path, reason in MAY_TIME_OUT.items():
        if path in failed:
            assert re.fullmatch(reason, failed[path]), (path, failed[path])
    total = len(GOOD_FEEDS) + len(FAILING) + len(HOSTILE_FEEDS)
    summary = outcome.stdout.splitlines()[-1]
    assert re.fullmatch(
        rf"refreshed {total} feeds: \d+ new entries, 0 unchanged, {len(failed)} failed", summary
    ), summary
    assert len(outcome.stdout.splitlines()) == len(failed) + 1


def test_the_failures_listed_are_the_feeds_marked_failing(outcome: Outcome) -> None:
    listed = {str(f["url"]): f for f in outcome.cli.json("feeds")}
    failing = {url.removeprefix(outcome.server.base_url) for url, f in listed.items() if f["error"]}
    assert failing == set(failure_lines(outcome))
    for path in (f"/good/{n}" for n in GOOD_FEEDS):
        feed = listed[outcome.server.url(path)]
        assert feed["error"] is None and int(str(feed["total"])) > 0, feed
    for path in set(HOSTILE_FEEDS) - set(MAY_TIME_OUT):
        feed = listed[outcome.server.url(path)]
        assert feed["error"] is None and int(str(feed["total"])) > 0, feed


def test_every_feed_ends_within_its_deadline(outcome: Outcome) -> None:
    # Twice the deadline: fetching, then parsing, each have one.
    assert outcome.seconds < 2 * DEADLINE + 10, outcome.seconds
    for request in outcome.server.requests:
        assert request.ended is not None, request.path
        took = request.ended - request.started
        assert took < DEADLINE + MARGIN, (request.path, took)


def test_bodies_stop_at_the_cap(outcome: Outcome) -> None:
    sent = {r.route_path: r.bytes_sent for r in outcome.server.requests}
    # The socket buffers hold a few MB; the bodies are gigabytes (or 10 MB compressed).
    assert sent["/huge-declared"] < 8 * MiB, sent["/huge-declared"]
    assert sent["/huge-chunked"] < 16 * MiB, sent["/huge-chunked"]
    assert sent["/gzip-bomb"] < 8 * MiB, sent["/gzip-bomb"]
    assert sent["/drip"] <= DEADLINE + MARGIN + 1


def test_memory_stays_under_500_mb(outcome: Outcome) -> None:
    assert outcome.samples > 5
    assert outcome.peak_rss < MEMORY_CAP, outcome.peak_rss
    # The kernel's own high-water mark of the largest process waited for, in KiB on Linux.
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 < MEMORY_CAP


def test_a_server_that_asked_to_wait_is_not_asked_again_before_the_time(
    outcome: Outcome,
) -> None:
    server = outcome.server
    before = {p: len(server.requests_to(p)) for p in ("/429", "/503")}
    assert before == {"/429": 1, "/503": 1}
    out = outcome.cli.ok("refresh", server.url("/429"), server.url("/503"), server.url("/404"))
    failed = failure_lines(Outcome(server, outcome.cli, 0, out, "", 0, 0, 0))
    assert re.fullmatch(r"server asked to wait until \d\d:\d\d", failed["/429"]), failed
    assert re.fullmatch(r"server asked to wait until \d\d:\d\d", failed["/503"]), failed
    assert failed["/404"] == "HTTP 404 Not Found"
    assert {p: len(server.requests_to(p)) for p in ("/429", "/503")} == before
    assert len(server.requests_to("/404")) == 2, "no Retry-After: asked again"
