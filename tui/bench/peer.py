"""Figures p: ``yuedu refresh`` side by side with newsboat's ``newsboat -x reload``.

Both read the same generated feeds from one server: 200 feeds of 50 items spread over 50
loopback hosts with 50 ms of latency (the quick run: 20 feeds of 10 items over 5 hosts).
Each run refreshes newsboat's empty cache, then again with nothing changed, then yuedu's
the same way, so that the machine's drift falls on both; a ratio is taken within each run.
newsboat reloads with 8 threads; it sends no validators, so its second refresh downloads
everything again. Skipped, saying why, where newsboat is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from tui.bench.child import python_env
from tui.bench.measure import Measured, run_measured
from tui.bench.refresh import write_home, yuedu
from tui.bench.report import Figure
from tui.bench.server import ServerProcess

COLD_RATIO_TARGET = 0.5
SAME_RATIO_TARGET = 0.25
_THREADS = 8


@dataclass(frozen=True, slots=True)
class _Shape:
    feeds: int
    items: int
    hosts: int
    latency: float


_FULL = _Shape(200, 50, 50, 0.05)
_QUICK = _Shape(20, 10, 5, 0.005)


@dataclass(frozen=True, slots=True)
class _Run:
    newsboat: Measured
    newsboat_again: Measured
    yuedu: Measured
    yuedu_again: Measured


def newsboat_unavailable() -> str | None:
    """Why newsboat cannot run here, or None when it can."""
    return None if shutil.which("newsboat") else "newsboat is not installed"


def peer_figures(runs: int, workdir: Path, *, quick: bool = False) -> list[Figure]:
    shape = _QUICK if quick else _FULL
    with ServerProcess(
        shape.feeds, shape.items, latency=shape.latency, hosts=shape.hosts
    ) as server:
        results = [_one_run(server, workdir / f"peer-{n}") for n in range(runs)]
    version = _newsboat_version()
    feeds = f"{shape.feeds} feeds × {shape.items} over {shape.hosts} hosts"
    return [
        Figure(
            "p",
            f"refresh {feeds}, empty cache: yuedu ÷ newsboat",
            "ratio",
            [r.yuedu.wall / r.newsboat.wall for r in results],
            target=COLD_RATIO_TARGET,
            note=f"{version}, {_THREADS} reload threads, interleaved",
        ),
        _wall("p.yuedu", "  yuedu refresh: wall", [r.yuedu for r in results]),
        _wall("p.newsboat", "  newsboat -x reload: wall", [r.newsboat for r in results]),
        Figure(
            "p.same",
            "refresh again, nothing changed: yuedu ÷ newsboat",
            "ratio",
            [r.yuedu_again.wall / r.newsboat_again.wall for r in results],
            target=SAME_RATIO_TARGET,
            note=(
                f"yuedu {median([r.yuedu_again.wall for r in results]):.2f} s, newsboat "
                f"{median([r.newsboat_again.wall for r in results]):.2f} s"
            ),
        ),
    ]


def _wall(key: str, label: str, runs: list[Measured]) -> Figure:
    cpu = median(r.cpu for r in runs)
    return Figure(key, label, "s", [r.wall for r in runs], note=f"CPU {cpu:.2f} s")


def _one_run(server: ServerProcess, home: Path) -> _Run:
    newsboat_home = home / "newsboat"
    newsboat_home.mkdir(parents=True)
    urls = newsboat_home / "urls"
    urls.write_text("".join(f"{url}\n" for url, _ in server.feeds), encoding="utf-8")
    config = newsboat_home / "config"
    config.write_text(f"reload-threads {_THREADS}\n", encoding="utf-8")
    newsboat = [
        "newsboat", "-u", str(urls), "-c", str(newsboat_home / "cache.db"),
        "-C", str(config), "-x", "reload",
    ]  # fmt: skip
    # Its lock file and any state it keeps go under the run's folder, not the user's home.
    newsboat_env = {**python_env(), "HOME": str(newsboat_home)}
    first_newsboat = run_measured(newsboat, env=newsboat_env)
    again_newsboat = run_measured(newsboat, env=newsboat_env)
    yuedu_home = home / "yuedu"
    subscriptions = write_home(yuedu_home, server.feeds)
    subprocess.run(
        yuedu(yuedu_home, "import", str(subscriptions)),
        check=True,
        capture_output=True,
        env=python_env(),
    )
    first_yuedu = run_measured(yuedu(yuedu_home, "refresh"))
    again_yuedu = run_measured(yuedu(yuedu_home, "refresh"))
    shutil.rmtree(home, ignore_errors=True)
    return _Run(first_newsboat, again_newsboat, first_yuedu, again_yuedu)


def _newsboat_version() -> str:
    done = subprocess.run(["newsboat", "-v"], capture_output=True, text=True, check=False)
    words = done.stdout.split()
    return " ".join(words[:2]) if len(words) >= 2 else "newsboat"
