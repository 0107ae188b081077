"""Two yuedu processes refreshing one cache at the same time."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tui.core.models import EntryFilter, ParsedEntry
from tui.core.store import Store

SHARED = "https://shared.example/feed"
ROUNDS = 20
WINDOW = 30
STEP = 10
NOW = datetime(2024, 5, 1, tzinfo=UTC)


def _entry(n: int) -> ParsedEntry:
    return ParsedEntry(
        guid=f"urn:shared:{n}",
        link=f"https://shared.example/{n}",
        title=f"共享條目 {n}",
        content=f"<p>第{n}篇文章的正文，两个进程同时写入。</p>" * 20,
        published=NOW + timedelta(minutes=n),
    )


def _refresh(path: str, worker: int, start: Any, spans: Any) -> None:
    """One process's refresh: overlapping windows of the shared feed plus its own feed."""
    start.wait(60)
    began = time.monotonic()
    with Store(Path(path), busy_timeout=60) as store:
        shared = store.add_feed(SHARED, tags=[f"w{worker}"])
        own = store.add_feed(f"https://own{worker}.example/")
        rounds = range(ROUNDS) if worker == 0 else reversed(range(ROUNDS))
        for r in rounds:
            batch = [_entry(n) for n in range(r * STEP, r * STEP + WINDOW)]
            store.save_entries(shared.id, batch, now=NOW, max_entries=1000)
            store.save_entries(own.id, batch[:5], now=NOW)
            store.set_read(store.entry_ids(EntryFilter(feed_id=shared.id, unread_only=True))[:3])
            store.list_entries(EntryFilter(search="进程"), limit=20)
    spans.put((began, time.monotonic()))


def test_two_processes_refresh_one_cache_without_damage_or_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"  # not created yet: both processes race to create it
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(2)
    spans = ctx.Queue()
    workers = [ctx.Process(target=_refresh, args=(str(path), w, start, spans)) for w in (0, 1)]
    for p in workers:
        p.start()
    while any(p.is_alive() for p in workers):
        # A third party reading all along must never be blocked or see a torn state.
        if path.exists():
            with Store(path, busy_timeout=60) as reader:
                reader.list_feeds()
                reader.entry_ids()
        for p in workers:
            p.join(timeout=0.05)
    for p in workers:
        p.join(timeout=120)
        assert p.exitcode == 0
    (a_start, a_end), (b_start, b_end) = spans.get(timeout=5), spans.get(timeout=5)
    assert a_start < b_end and b_start < a_end, "the two refreshes did not overlap"

    expected = (ROUNDS - 1) * STEP + WINDOW
    with Store(path) as store:
        assert store.integrity_ok()
        feeds = {f.url: f for f in store.list_feeds()}
        assert set(feeds) == {SHARED, "https://own0.example/", "https://own1.example/"}
        assert set(feeds[SHARED].tags) == {"w0", "w1"}
        assert feeds[SHARED].total == expected
        assert store.count_entries(EntryFilter(feed_id=feeds[SHARED].id)) == expected
        assert feeds["https://own0.example/"].total == ROUNDS * 5
        assert store.count_entries(EntryFilter(search="共享條目")) == expected + 2 * ROUNDS * 5
    db = sqlite3.connect(path)
    dupes = db.execute(
        "SELECT feed_id, guid FROM entries GROUP BY feed_id, guid HAVING count(*) > 1"
    ).fetchall()
    db.close()
    assert dupes == []
