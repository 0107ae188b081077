"""Figure e: search over the pre-filled cache, as the reader's search box runs it.

Each query is ``service.entries(EntryFilter(search=q), limit=100)`` in a fresh process
on the cache of figure c; every run times every query once, the first run included.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tui.bench.cache import CacheInfo
from tui.bench.child import run_child, serve
from tui.bench.pools import SEARCH_QUERIES
from tui.bench.report import Figure

SEARCH_TARGET = 0.100


def measure_search(home: Path, runs: int) -> dict[str, Any]:
    from tui.core.config import load_config
    from tui.core.models import EntryFilter
    from tui.core.paths import resolve_paths
    from tui.core.service import FeedService

    paths = resolve_paths(home)
    times: dict[str, list[float]] = {q: [] for _, q in SEARCH_QUERIES}
    hits: dict[str, int] = {}
    with FeedService.open(paths, load_config(paths.config_file)) as service:
        for _ in range(runs):
            for _label, query in SEARCH_QUERIES:
                start = time.perf_counter()
                found = service.entries(EntryFilter(search=query), limit=100)
                times[query].append(time.perf_counter() - start)
                hits[query] = len(found)
        totals = {q: service.count(EntryFilter(search=q)) for _, q in SEARCH_QUERIES}
    return {"times": times, "hits": hits, "totals": totals}


def search_figures(info: CacheInfo, runs: int) -> list[Figure]:
    result = run_child("tui.bench.search", {"home": str(info.home), "runs": runs})
    figures = []
    for n, (label, query) in enumerate(SEARCH_QUERIES):
        figures.append(
            Figure(
                "e" if n == 0 else f"e.{n + 1}",
                f"search {info.articles:,} articles, {label} ({query})",
                "ms",
                result["times"][query],
                target=SEARCH_TARGET,
                note=f"{result['hits'][query]} shown of {result['totals'][query]:,} matches",
            )
        )
    return figures


def _child(args: dict[str, Any]) -> dict[str, Any]:
    return measure_search(Path(args["home"]), int(args["runs"]))


if __name__ == "__main__":
    raise SystemExit(serve(_child))
