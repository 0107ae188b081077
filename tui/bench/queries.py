"""Figure g: the filter language over the pre-filled cache, and opening a saved query.

The cache of figure c is copied and its feeds tagged by language ("zh", "ja", "en"), as a
newsboat user's urls file would tag them. Each query runs as the store runs any query
(``filtered_ids``: SQL narrows, Python checks the rest) in a fresh process, with "now" a
day after the newest article, so ``age`` selects recent articles as it would on a cache
in use. ``g.open`` is what the reader does when a saved query is chosen in the feed pane:
every matching id, then the first page of rows.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from tui.bench.cache import CacheInfo, copy_home
from tui.bench.child import run_child, serve
from tui.bench.fixtures import feed_specs
from tui.bench.report import Figure

QUERY_TARGET = 0.150
OPEN_TARGET = 0.200
# Labels spell the expressions without "|", which would split a row of the table.
QUERIES: tuple[tuple[str, str], ...] = (
    ("unread, age < 3", 'unread = "yes" and age < 3'),
    ("title =~ 颱風 or 台風", 'title =~ "颱風|台風"'),
    ("tag zh, content =~ 半導體", 'tags # "zh" and content =~ "半導體"'),
)
OPENED = QUERIES[1][1]
_PAGE = 96


def tag_by_language(home: Path) -> None:
    """Tag each feed of the cache with its language, from the spec it was generated from."""
    db = sqlite3.connect(home / "cache.db")
    try:
        ids = [feed_id for (feed_id,) in db.execute("SELECT id FROM feeds ORDER BY id")]
        specs = feed_specs(len(ids))
        db.executemany(
            "INSERT OR IGNORE INTO feed_tags(feed_id, tag, pos) VALUES (?, ?, 0)",
            [(i, spec.lang.code.split("-")[0]) for i, spec in zip(ids, specs, strict=True)],
        )
        db.commit()
    finally:
        db.close()


def measure_queries(home: Path, runs: int) -> dict[str, Any]:
    from tui.core.config import load_config
    from tui.core.models import EntryFilter
    from tui.core.paths import resolve_paths
    from tui.core.service import FeedService
    from tui.core.store.queries import filtered_ids

    paths = resolve_paths(home)
    wall: dict[str, list[float]] = {q: [] for _, q in QUERIES}
    cpu: dict[str, list[float]] = {q: [] for _, q in QUERIES}
    hits: dict[str, int] = {}
    opened: list[float] = []
    db = sqlite3.connect(f"file:{paths.database}?mode=ro", uri=True)
    try:
        (newest,) = db.execute("SELECT max(sort_key) FROM entries").fetchone()
        now = int(newest) + 86400
        for _ in range(runs):
            for _label, query in QUERIES:
                start, start_cpu = time.perf_counter(), time.process_time()
                found = filtered_ids(db, EntryFilter(query=query), now)
                wall[query].append(time.perf_counter() - start)
                cpu[query].append(time.process_time() - start_cpu)
                hits[query] = len(found)
    finally:
        db.close()
    with FeedService.open(paths, load_config(paths.config_file)) as service:
        for _ in range(runs):
            start = time.perf_counter()
            ids = service.entry_ids(EntryFilter(query=OPENED))
            service.entries_by_ids(ids[:_PAGE])
            opened.append(time.perf_counter() - start)
    return {"wall": wall, "cpu": cpu, "hits": hits, "opened": opened}


def query_figures(info: CacheInfo, runs: int, workdir: Path) -> list[Figure]:
    home = copy_home(info.home, workdir / "query-home")
    tag_by_language(home)
    result = run_child("tui.bench.queries", {"home": str(home), "runs": runs})
    figures = []
    for n, (label, query) in enumerate(QUERIES):
        cpu = sorted(result["cpu"][query])[len(result["cpu"][query]) // 2]
        figures.append(
            Figure(
                "g" if n == 0 else f"g.{n + 1}",
                f"query {info.articles:,} articles: {label}",
                "ms",
                result["wall"][query],
                target=QUERY_TARGET,
                note=f"{result['hits'][query]:,} matches; CPU {cpu * 1000:.0f} ms",
            )
        )
    figures.append(
        Figure(
            "g.open",
            f"open a saved query in the reader: {QUERIES[1][0]}",
            "ms",
            result["opened"],
            target=OPEN_TARGET,
            note="all matching ids and the first page of rows",
        )
    )
    return figures


def _child(args: dict[str, Any]) -> dict[str, Any]:
    return measure_queries(Path(args["home"]), int(args["runs"]))


if __name__ == "__main__":
    raise SystemExit(serve(_child))
