"""Figure d: from a `j` press to the new cursor row painted, in the real reader (Pilot).

The reader runs headless on the pre-filled cache. A press is a Key event posted to the
app, as the terminal driver posts it; it counts as done when the entry list draws the
row the cursor moved to (``render_line`` of that row, called by the compositor as it
builds the frame). Presses come 30-70 ms apart, like a reader scanning a list. "During"
starts a refresh of every feed with the reader's own `R` key and presses while it runs.

Runs in its own process (``python -m tui.bench.keys``); see :func:`tui.bench.child.run_child`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import shutil
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tui.bench.cache import CacheInfo, copy_home
from tui.bench.child import run_child, serve
from tui.bench.measure import TreeSampler
from tui.bench.refresh import RSS_TARGET
from tui.bench.report import Figure

IDLE_TARGET = 0.030
DURING_TARGET = 0.050
PRESS_TIMEOUT = 5.0
MAX_PRESSES = 3000


class _Watch:
    """Hooks on one entry list: when `j` ran, and when the row it landed on was drawn.

    The row is followed by entry id: a refresh that lands new entries above the cursor
    moves the cursor's row (the cursor stays on its entry), and that row is what counts.
    """

    def __init__(self, entry_list: Any) -> None:
        self.target: int | None = None
        self.done = asyncio.Event()
        self.painted_at = 0.0
        down = entry_list.action_cursor_down
        draw = entry_list.render_line

        def cursor_down() -> None:
            down()
            self.target = entry_list.current_id

        def render_line(y: int) -> Any:
            strip = draw(y)
            if (
                self.target is not None
                and int(entry_list.scroll_offset.y) + y == entry_list.cursor
                and entry_list.current_id == self.target
            ):
                self.painted_at = time.perf_counter()
                self.target = None
                self.done.set()
            return strip

        entry_list.action_cursor_down = cursor_down
        entry_list.render_line = render_line


async def _press(app: Any, watch: _Watch) -> float:
    """Seconds from the key to the paint; PRESS_TIMEOUT if it never came (counted apart)."""
    from textual import events

    watch.done.clear()
    watch.target = None
    start = time.perf_counter()
    app.post_message(events.Key("j", "j"))
    try:
        await asyncio.wait_for(watch.done.wait(), PRESS_TIMEOUT)
    except TimeoutError:
        return PRESS_TIMEOUT
    return watch.painted_at - start


async def _wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def measure_keys(home: Path, *, presses: int, during: bool, seed: int = 0) -> dict[str, Any]:
    from textual import events

    from tui.core.config import load_config
    from tui.core.paths import resolve_paths
    from tui.core.service import FeedService
    from tui.ui.app import ReaderApp
    from tui.ui.widgets.entry_list import EntryList

    rng = random.Random(seed)
    paths = resolve_paths(home)
    service = FeedService.open(paths, load_config(paths.config_file).for_reader())
    # Sampling shares the reader's GIL: seldom enough to cost the keys nothing measurable.
    sampler = TreeSampler(os.getpid(), include_root=True, interval=0.25).start()
    latencies: list[float] = []
    refresh_seconds = 0.0
    try:
        app = ReaderApp(service)
        async with app.run_test(size=(160, 50)) as pilot:
            entry_list = app.screen.query_one(EntryList)
            await _wait_for(lambda: entry_list.row_count > 0, 30, "the entry list")
            await pilot.pause()
            watch = _Watch(entry_list)
            rows = entry_list.row_count
            if during:
                screen = app.main_screen
                started = time.perf_counter()
                app.post_message(events.Key("R", "R"))
                await _wait_for(lambda: screen.refreshing, 10, "the refresh to start")
                while screen.refreshing and len(latencies) < MAX_PRESSES:
                    latencies.append(await _press(app, watch))
                    await asyncio.sleep(rng.uniform(0.03, 0.07))
                await _wait_for(lambda: not screen.refreshing, 300, "the refresh to end")
                refresh_seconds = time.perf_counter() - started
                # The list takes the new entries in shortly after the refresh ends.
                with contextlib.suppress(TimeoutError):
                    await _wait_for(lambda: entry_list.row_count != rows, 5, "new rows")
            else:
                for _ in range(presses):
                    latencies.append(await _press(app, watch))
                    await asyncio.sleep(rng.uniform(0.03, 0.07))
            final_rows = entry_list.row_count
        stored = service.count()
        errors = Counter(f.error or "" for f in service.failing_feeds())
    finally:
        sampler.stop()
        service.close()
    ordered = sorted(latencies)
    return {
        "p50": statistics.median(ordered) if ordered else None,
        "p95": _percentile(ordered, 0.95),
        "max": ordered[-1] if ordered else None,
        "presses": len(ordered),
        "timeouts": sum(1 for t in ordered if t >= PRESS_TIMEOUT),
        "rows": rows,
        "rows_after": final_rows,
        "stored": stored,
        "failed": sum(errors.values()),
        "error": errors.most_common(1)[0][0] if errors else "",
        "refresh_seconds": refresh_seconds,
        "peak_rss": sampler.peak_rss,
        "peak_pss": sampler.peak_pss,
    }


def _percentile(ordered: list[float], q: float) -> float | None:
    if not ordered:
        return None
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(q * 100) - 1]


def key_figures(
    info: CacheInfo, runs: int, presses: int, workdir: Path, *, budget: float = 150
) -> list[Figure]:
    idle = []
    for n in range(runs):
        idle.append(_run(info.home, presses, during=False, seed=n))
        # The reader saves its cursor on exit; the next run starts from the top again.
        (info.home / "state.json").unlink(missing_ok=True)
    during: list[dict[str, Any]] = []
    started = time.perf_counter()
    for n in range(runs):
        # A slow refresh makes these runs long: at least two, then as many as fit the budget.
        if n >= 2 and time.perf_counter() - started > budget:
            break
        home = copy_home(info.home, workdir / "keys-during")
        during.append(_run(home, presses, during=True, seed=n))
    shutil.rmtree(workdir / "keys-during", ignore_errors=True)
    rows = f"{idle[0]['rows']:,} rows"
    new_rows = during[0]["rows_after"] - during[0]["rows"]
    refresh = statistics.median(r["refresh_seconds"] for r in during)
    failed = max(int(r["failed"]) for r in during)
    lost = sum(int(r["timeouts"]) for r in during)
    busy_note = (
        f"{_count(during)} presses over a {refresh:.1f} s refresh "
        f"(+{new_rows:,} rows), max {max(_all(during, 'max')) * 1000:.0f} ms"
    )
    if lost:
        busy_note += f"; {lost} presses not painted within {PRESS_TIMEOUT:g} s"
    if failed:
        error = next(r["error"] for r in during if r["failed"])
        busy_note = f"INVALID: {failed} feeds failed in the reader ({error}); " + busy_note
    return [
        Figure("d", f"`j` to screen, list of {rows}: p50", "ms", _all(idle, "p50")),
        Figure(
            "d.p95",
            "  p95",
            "ms",
            _all(idle, "p95"),
            target=IDLE_TARGET,
            note=f"{_count(idle)} presses, max {max(_all(idle, 'max')) * 1000:.0f} ms",
        ),
        Figure("d.busy", "`j` to screen during a refresh: p50", "ms", _all(during, "p50")),
        Figure(
            "d.busy95",
            "  p95",
            "ms",
            _all(during, "p95"),
            target=DURING_TARGET,
            note=busy_note,
            # Keys pressed during a refresh that did not run measure nothing.
            verdict=False if failed else None,
        ),
        Figure(
            "d.rss",
            "  reader's peak RSS during the refresh",
            "MB",
            _all(during, "peak_rss"),
            target=RSS_TARGET,
            note=f"PSS {statistics.median(_all(during, 'peak_pss')) / 1e6:.0f} MB; workers in",
        ),
    ]


def _run(home: Path, presses: int, *, during: bool, seed: int) -> dict[str, Any]:
    args = {"home": str(home), "presses": presses, "during": during, "seed": seed}
    result: dict[str, Any] = run_child("tui.bench.keys", args)
    return result


def _count(results: list[dict[str, Any]]) -> int:
    return sum(int(r["presses"]) for r in results)


def _all(results: list[dict[str, Any]], key: str) -> list[float]:
    return [float(r[key]) for r in results if r[key] is not None]


def _child(args: dict[str, Any]) -> dict[str, Any]:
    return asyncio.run(
        measure_keys(
            Path(args["home"]),
            presses=int(args["presses"]),
            during=bool(args["during"]),
            seed=int(args.get("seed", 0)),
        )
    )


if __name__ == "__main__":
    raise SystemExit(serve(_child))
