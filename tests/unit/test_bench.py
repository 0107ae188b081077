"""The benchmark: its fixtures, its feed server, and a quick run that prints every figure."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import feedparser
import httpx
import pytest

from tui.bench.__main__ import ROWS
from tui.bench.fixtures import feed_items, feed_specs, feed_xml
from tui.bench.report import Figure, table
from tui.bench.server import build_feed_server

REPO = Path(__file__).resolve().parents[2]

FIGURE_KEYS = [
    "a", "a.cpu", "a.rss", "a.size", "b", "b.304",
    "c", "c.rss",
    "d", "d.p95", "d.busy", "d.busy95", "d.rss",
    "e", "e.2", "e.3", "e.4", "e.5",
    "g", "g.2", "g.3", "g.open",
    "f.2KB", "f.20KB", "f.200KB", "f.20KB.tw", "f.convert", "f.punct",
    "f.wrap", "f.nobreak", "f.periods", "f.word", "f.flags", "f.unclosed",
    "h", "h.p95", "h.cache",
    "i", "i.cpu", "i.same", "i.new",
    "p", "p.yuedu", "p.newsboat", "p.same",
]  # fmt: skip


def test_every_figure_has_a_fallback_row() -> None:
    assert sorted(key for rows in ROWS.values() for key, _ in rows) == sorted(FIGURE_KEYS)


def test_feeds_are_deterministic_and_legacy_encoded() -> None:
    specs = feed_specs(50, seed=3)
    assert [s.encoding for s in specs] == [s.encoding for s in feed_specs(50, seed=3)]
    legacy = [s for s in specs if s.encoding != "utf-8"]
    assert len(legacy) == 6  # 12 % of 50
    assert {s.kind for s in specs} == {"rss", "atom"}
    for spec in legacy[:3]:
        items = feed_items(spec, 3, seed=3)
        body = feed_xml(spec, items)
        assert body == feed_xml(spec, feed_items(spec, 3, seed=3))
        declared = {"big5": b'encoding="Big5"', "gbk": b'encoding="GBK"'}[spec.encoding]
        assert declared in body.split(b"\n", 1)[0]
        # Strict encoding: no character fell back to a numeric reference.
        assert b"&#" not in body
        parsed = feedparser.parse(body)
        assert parsed.encoding.lower() == spec.encoding
        assert [e.title for e in parsed.entries] == [i.title for i in items]
        assert all(1000 <= len(i.html.encode()) <= 8192 + 2000 for i in items)


def test_server_answers_conditional_gets_with_304() -> None:
    server, listing = build_feed_server(3, 2, latency=0.0, hosts=2)
    try:
        url = listing[0][0]
        with httpx.Client(headers={"Accept-Encoding": "gzip"}) as client:
            first = client.get(url)
            assert first.status_code == 200
            assert first.headers["content-encoding"] == "gzip"
            assert first.content.startswith(b"<?xml")
            etag, modified = first.headers["etag"], first.headers["last-modified"]
            assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
            assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
            stale = client.get(url, headers={"If-None-Match": '"other"'})
            assert stale.status_code == 200
        raw = server.resources["/feeds/0000.xml"]
        assert gzip.decompress(raw.encoded["gzip"]) == raw.body
        assert server.stats.snapshot()["status"] == {"200": 2, "304": 2}
    finally:
        server.stop()


def test_table_marks_targets() -> None:
    met = Figure("x", "fast", "ms", [0.010, 0.012, 0.020], target=0.015)
    missed = Figure("y", "slow", "s", [3.0], target=2.0)
    text = table([met, missed])
    assert "| x " in text and "12.0 ms" in text and "✓" in text
    assert "| y " in text and "3.00 s" in text and "✗" in text


@pytest.mark.slow
def test_quick_run_prints_every_figure(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "tui.bench", "--quick"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {
        cells[1].strip(): cells[3].strip()
        for cells in (line.split("|") for line in done.stdout.splitlines())
        if len(cells) > 4 and cells[0] == ""
    }
    for key in FIGURE_KEYS:
        assert key in rows, f"no row for {key}:\n{done.stdout}"
        median = rows[key]
        # Every figure measured: a number with its unit (tmux or newsboat may be absent).
        absent = median.startswith(("n/a (tmux", "n/a (newsboat is not installed"))
        assert median[:1].isdigit() or absent, f"{key}: {median}"
    assert "machine:" in done.stdout and "SQLite" in done.stdout
