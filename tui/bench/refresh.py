"""Figures a and b: `yuedu refresh` on an empty cache, then again when nothing changed.

Each run imports the subscriptions into a new home and times ``python -m tui --home H
refresh`` as a user would run it, parser worker processes included (see measure.py).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tui.bench.child import python_env
from tui.bench.fixtures import opml
from tui.bench.measure import Measured, run_measured
from tui.bench.report import Figure
from tui.bench.server import ServerProcess

REFRESH_TARGET = 7.0
SECOND_REFRESH_TARGET = 2.0
RSS_TARGET = 250e6
CACHE_TARGET = 116 * 1048576


@dataclass
class RefreshRun:
    first: Measured
    second: Measured
    first_status: dict[str, int]
    second_status: dict[str, int]
    new_entries: int
    failed: int
    reasons: Counter[str]
    """Why feeds failed in the first refresh, as the CLI printed it."""
    cache_bytes: int


def yuedu(home: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "tui", "--home", str(home), *args]


def write_home(home: Path, feeds: list[tuple[str, str]]) -> Path:
    """A home with a config that does not refresh on start and an OPML of ``feeds``."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("refresh_on_start = false\n", encoding="utf-8")
    subscriptions = home / "subs.opml"
    subscriptions.write_text(opml(feeds), encoding="utf-8")
    return subscriptions


def cache_size(home: Path) -> int:
    """The cache with its index, write-ahead log and shared-memory file included."""
    return sum(p.stat().st_size for p in home.glob("cache.db*") if p.is_file())


def one_run(server: ServerProcess, home: Path) -> RefreshRun:
    subscriptions = write_home(home, server.feeds)
    subprocess.run(
        yuedu(home, "import", str(subscriptions)), check=True, capture_output=True, env=python_env()
    )
    server.reset()
    first = run_measured(yuedu(home, "refresh"))
    first_status = server.stats()["status"]
    size = cache_size(home)
    server.reset()
    second = run_measured(yuedu(home, "refresh"))
    second_status = server.stats()["status"]
    found = re.search(r"(\d+) new entries, (\d+) unchanged, (\d+) failed", first.output)
    new, failed = (int(found[1]), int(found[3])) if found else (-1, -1)
    reasons = Counter(m[1] for m in re.finditer(r"^failed \S+: (.*)$", first.output, re.M))
    return RefreshRun(first, second, first_status, second_status, new, failed, reasons, size)


def refresh_figures(
    server: ServerProcess, runs: int, workdir: Path, *, budget: float = 120
) -> list[Figure]:
    """``runs`` runs, fewer (at least two) once they have taken ``budget`` seconds."""
    feeds = len(server.feeds)
    results: list[RefreshRun] = []
    started = time.perf_counter()
    for n in range(runs):
        if n >= 2 and time.perf_counter() - started > budget:
            break
        home = workdir / f"refresh-{n}"
        results.append(one_run(server, home))
        shutil.rmtree(home, ignore_errors=True)
    new = sorted({r.new_entries for r in results})
    ok = sorted({r.first_status.get("200", 0) for r in results})
    statuses = {k for r in results for k in r.second_status}
    reasons = sum((r.reasons for r in results), Counter[str]())
    failed = ""
    if reasons:
        reason, _ = reasons.most_common(1)[0]
        failed = f"; {_join(sorted({r.failed for r in results}))} failed ({reason})"
    return [
        Figure(
            "a",
            f"refresh {feeds} feeds, empty cache: wall",
            "s",
            [r.first.wall for r in results],
            target=REFRESH_TARGET,
            note=f"{_join(ok)} × 200, {_join(new)} new entries{failed}",
        ),
        Figure(
            "a.cpu",
            "  CPU, all processes",
            "s",
            [r.first.cpu for r in results],
            note=(
                f"reader process {_median([r.first.main_cpu for r in results]):.1f} s, "
                f"{results[0].first.processes - 1} others "
                f"{_median([r.first.cpu - r.first.main_cpu for r in results]):.1f} s"
            ),
        ),
        Figure(
            "a.rss",
            "  peak RSS, all processes",
            "MB",
            [float(r.first.peak_rss) for r in results],
            target=RSS_TARGET,
            note=f"PSS {_mb([r.first.peak_pss for r in results])}",
        ),
        Figure(
            "a.size",
            "  cache file after (a), index included",
            "MiB",
            [float(r.cache_bytes) for r in results],
            target=CACHE_TARGET,
        ),
        Figure(
            "b",
            "second refresh, nothing changed: wall",
            "s",
            [r.second.wall for r in results],
            target=SECOND_REFRESH_TARGET,
            note=f"CPU {_median([r.second.cpu for r in results]):.2f} s",
        ),
        Figure(
            "b.304",
            f"  responses that were 304, of {feeds}",
            "count",
            [float(r.second_status.get("304", 0)) for r in results],
            target=float(feeds),
            higher_is_better=True,
            note="statuses seen: " + ", ".join(sorted(statuses)),
        ),
    ]


def _join(values: list[int]) -> str:
    return "/".join(str(v) for v in values)


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _mb(values: list[int]) -> str:
    return f"{_median([float(v) for v in values]) / 1e6:.0f} MB"
