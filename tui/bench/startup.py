"""Figure c: process start to the entry list on screen, in a real terminal (tmux).

The reader is started as a user starts it, ``python -m tui --home H`` in a 160×50 tmux
pane, and the pane is polled until the newest entry's title is on screen. Peak RSS at
rest is the process's high-water mark (VmHWM) a second after the list appeared.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tui.bench.cache import CacheInfo
from tui.bench.child import SOURCE_ROOT, python_env
from tui.bench.report import Figure, missing

STARTUP_TARGET = 0.8
REST_RSS_TARGET = 150e6
POLL = 0.01
SIZE = ("160", "50")


class Tmux:
    """A private tmux server (its own socket), killed on close."""

    def __init__(self) -> None:
        self._base = ["tmux", "-L", f"yuedu-bench-{os.getpid()}", "-f", "/dev/null"]
        # Start the server now, so that no run pays for it; panes inherit its environment.
        self.run("new-session", "-d", "-s", "idle", "-x", SIZE[0], "-y", SIZE[1], "sleep 86400")
        # A reader that crashes leaves its last screen to report.
        self.run("set-option", "-g", "remain-on-exit", "on")

    def run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            [*self._base, *args], capture_output=True, text=True, check=check, env=python_env()
        )
        return done.stdout

    def close(self) -> None:
        self.run("kill-server", check=False)


def _marker(title: str) -> str:
    # The list may cut a title; its first characters are always shown.
    return title.strip()[:5]


def _peak_rss(pid: int) -> int:
    """VmHWM summed over ``pid`` and its children (the reader has none at rest)."""
    import psutil

    total = 0
    try:
        procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.Error:
        return 0
    for proc in procs:
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
        except OSError:
            total += proc.memory_info().rss
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) * 1024
    return total


def _dead(tmux: Tmux, name: str) -> bool:
    return tmux.run("display-message", "-p", "-t", name, "#{pane_dead}").strip() == "1"


def one_start(tmux: Tmux, info: CacheInfo, name: str, *, timeout: float = 30) -> tuple[float, int]:
    command = f"exec {shlex.quote(sys.executable)} -m tui --home {shlex.quote(str(info.home))}"
    markers = [_marker(t) for t in info.newest_titles[:1]]
    start = time.perf_counter()
    tmux.run(
        "new-session",
        "-d",
        "-s",
        name,
        "-x",
        SIZE[0],
        "-y",
        SIZE[1],
        "-c",
        str(SOURCE_ROOT),
        command,
    )
    polls = 0
    try:
        while True:
            polls += 1
            screen = tmux.run("capture-pane", "-p", "-t", name)
            if any(m in screen or m in screen.replace(" ", "") for m in markers):
                elapsed = time.perf_counter() - start
                break
            if polls % 20 == 0 and _dead(tmux, name):
                sys.stderr.write(screen)
                last = [line for line in screen.splitlines() if line.strip()][-1:]
                raise RuntimeError(f"the reader exited: {' '.join(last)}")
            if time.perf_counter() - start > timeout:
                sys.stderr.write(screen)
                raise RuntimeError(f"the entry list did not appear in {timeout:g} s")
            time.sleep(POLL)
        pid = int(tmux.run("display-message", "-p", "-t", name, "#{pane_pid}").strip())
        time.sleep(1.0)
        return elapsed, _peak_rss(pid)
    finally:
        tmux.run("kill-session", "-t", name, check=False)


def startup_figures(info: CacheInfo, runs: int) -> list[Figure]:
    label = f"start to entry list, {info.articles:,} cached articles, tmux"
    if shutil.which("tmux") is None:
        return [missing("c", label, "n/a (tmux not installed)")]
    if not sys.platform.startswith("linux"):
        return [missing("c", label, "n/a (Linux only)")]
    tmux = Tmux()
    try:
        results = [one_start(tmux, info, f"start{n}") for n in range(runs)]
    finally:
        tmux.close()
    return [
        Figure("c", label, "s", [r[0] for r in results], target=STARTUP_TARGET),
        Figure(
            "c.rss",
            "  peak RSS at rest (1 s after)",
            "MB",
            [float(r[1]) for r in results],
            target=REST_RSS_TARGET,
        ),
    ]
