"""python -m tui.bench [PART] [--quick] [--feeds N --items K --articles M --latency MS --runs R]

Builds its own fixtures in a temporary folder, serves them on loopback addresses only,
and prints one table: the machine, then every figure with its median, spread and target.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.bench.report import Figure, machine, missing, table

PARTS = (
    "all", "refresh", "startup", "keys", "search", "query", "text", "fulltext", "sync", "peer",
)  # fmt: skip

# The rows each part prints, so that a part that cannot run still shows every figure.
ROWS = {
    "refresh": (
        ("a", "refresh, empty cache: wall"),
        ("a.cpu", "  CPU, all processes"),
        ("a.rss", "  peak RSS, all processes"),
        ("a.size", "  cache file after (a), index included"),
        ("b", "second refresh, nothing changed: wall"),
        ("b.304", "  responses that were 304"),
    ),
    "startup": (("c", "start to entry list, tmux"), ("c.rss", "  peak RSS at rest")),
    "keys": (
        ("d", "`j` to screen: p50"),
        ("d.p95", "  p95"),
        ("d.busy", "`j` to screen during a refresh: p50"),
        ("d.busy95", "  p95"),
        ("d.rss", "  reader's peak RSS during the refresh"),
    ),
    "search": (
        ("e", "search, Chinese, 2 characters"),
        ("e.2", "search, Chinese, 3 characters"),
        ("e.3", "search, Japanese"),
        ("e.4", "search, Latin word"),
        ("e.5", "search, Chinese, 1 character"),
    ),
    "query": (
        ("g", "query, unread and recent"),
        ("g.2", "query, title pattern"),
        ("g.3", "query, tag and content"),
        ("g.open", "open a saved query in the reader"),
    ),
    "text": (
        ("f.2KB", "layout of a 2 KB CJK article"),
        ("f.20KB", "layout of a 20 KB CJK article"),
        ("f.200KB", "layout of a 200 KB CJK article"),
        ("f.20KB.tw", "layout of a 20 KB Simplified article shown in hant-tw"),
        ("f.convert", "script conversion of a 20 KB article"),
        ("f.punct", "punctuation fixing of a 20 KB article"),
        ("f.wrap", "breaker throughput"),
        ("f.nobreak", "1 MB paragraph, no break opportunity"),
        ("f.periods", "1 MB of 。"),
        ("f.word", "100,000-character Latin word"),
        ("f.flags", "regional indicators"),
        ("f.unclosed", "unclosed start tag + 80k text"),
    ),
    "fulltext": (
        ("h", "extraction per page: median"),
        ("h.p95", "  p95"),
        ("h.cache", "cache growth per 1,000 full articles"),
    ),
    "sync": (
        ("i", "first sync, tt-rss: wall"),
        ("i.cpu", "  CPU, all processes"),
        ("i.same", "sync again, nothing new: wall"),
        ("i.new", "sync again, 20 new articles: wall"),
    ),
    "peer": (
        ("p", "refresh, empty cache: yuedu ÷ newsboat"),
        ("p.yuedu", "  yuedu refresh: wall"),
        ("p.newsboat", "  newsboat -x reload: wall"),
        ("p.same", "refresh again, nothing changed: yuedu ÷ newsboat"),
    ),
}


@dataclass(frozen=True, slots=True)
class Settings:
    feeds: int
    items: int
    articles: int
    latency_ms: float
    runs: int
    presses: int
    hosts: int
    quick: bool


FULL = Settings(500, 50, 100_000, 50.0, 5, 60, 100, quick=False)
QUICK = Settings(20, 10, 2_000, 5.0, 2, 15, 5, quick=True)


def parse_args(argv: Sequence[str] | None) -> tuple[str, Settings, Path | None]:
    parser = argparse.ArgumentParser(prog="python -m tui.bench", description=__doc__)
    parser.add_argument("part", nargs="?", choices=PARTS, default="all")
    parser.add_argument("--quick", action="store_true", help="small N, for CI")
    parser.add_argument("--feeds", type=int, help="feeds served and cached (500)")
    parser.add_argument("--items", type=int, help="items per served feed (50)")
    parser.add_argument("--articles", type=int, help="articles in the pre-filled cache (100000)")
    parser.add_argument("--latency", type=float, metavar="MS", help="server latency (50 ms)")
    parser.add_argument("--runs", type=int, help="runs per figure (5)")
    parser.add_argument("--presses", type=int, help="`j` presses per idle run (60)")
    parser.add_argument("--hosts", type=int, help="loopback addresses the feeds spread over (100)")
    parser.add_argument("--workdir", type=Path, help="build fixtures here and keep them")
    args = parser.parse_args(argv)
    base = QUICK if args.quick else FULL
    settings = Settings(
        feeds=args.feeds or base.feeds,
        items=args.items or base.items,
        articles=args.articles or base.articles,
        latency_ms=args.latency if args.latency is not None else base.latency_ms,
        runs=args.runs or base.runs,
        presses=args.presses or base.presses,
        hosts=args.hosts or base.hosts,
        quick=base.quick,
    )
    if min(settings.feeds, settings.items, settings.articles, settings.runs) < 1:
        parser.error("--feeds, --items, --articles and --runs must be at least 1")
    return args.part, settings, args.workdir


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _guarded(part: str, measure: Callable[[], list[Figure]]) -> list[Figure]:
    """A part's figures; a part not built yet or broken gives rows that say so."""
    started = time.perf_counter()
    try:
        figures = measure()
    except ImportError as exc:
        say(f"  {part}: not built ({exc})")
        return [missing(key, label, "n/a (not built)") for key, label in ROWS[part]]
    except Exception as exc:
        say(traceback.format_exc())
        detail = " ".join(str(exc).split())
        reason = f"failed: {exc.__class__.__name__}: {detail[:70]}"
        return [missing(key, label, reason) for key, label in ROWS[part]]
    say(f"  {part}: {time.perf_counter() - started:.1f} s")
    return figures


def run(part: str, settings: Settings, workdir: Path) -> tuple[list[str], list[Figure]]:
    from tui.bench.text import text_figures

    figures: list[Figure] = []
    header: list[str] = []
    if part == "text":
        figures += _guarded("text", lambda: text_figures(settings.runs, quick=settings.quick))
        return header, figures
    if part == "fulltext":
        figures += _fulltext(settings, workdir)
        return header, figures
    if part == "sync":
        figures += _sync(settings, workdir)
        return header, figures
    if part == "peer":
        figures += _peer(settings, workdir)
        return header, figures

    from tui.bench.server import NICENESS, ServerProcess

    latency = settings.latency_ms / 1000
    say(f"generating and serving {settings.feeds} feeds × {settings.items} items…")
    with ServerProcess(
        settings.feeds, settings.items, latency=latency, hosts=settings.hosts
    ) as server:
        header.append(
            f"workload: {settings.feeds} feeds × {settings.items} items, "
            f"{server.xml_bytes / 1e6:.1f} MB of XML ({server.gzip_bytes / 1e6:.1f} MB gzipped), "
            f"on {server.hosts} loopback hosts, {settings.latency_ms:g} ms latency; "
            f"{settings.runs} runs per figure"
        )
        header.append(f"server: its own process at nice +{NICENESS}, as yuedu's parser workers")
        if part in ("all", "refresh"):
            from tui.bench.refresh import refresh_figures

            say("a, b: refresh…")
            figures += _guarded("refresh", lambda: refresh_figures(server, settings.runs, workdir))
        if part in ("all", "startup", "keys", "search", "query"):
            figures += _cached_figures(part, settings, server.feeds, workdir, header)
    if part == "all":
        figures += _guarded("text", lambda: text_figures(settings.runs, quick=settings.quick))
        figures += _fulltext(settings, workdir)
        figures += _sync(settings, workdir)
        figures += _peer(settings, workdir)
    return header, figures


def _fulltext(settings: Settings, workdir: Path) -> list[Figure]:
    from tui.bench.fulltext import fulltext_figures

    say("h: extraction and full articles in the cache…")
    return _guarded(
        "fulltext", lambda: fulltext_figures(settings.runs, workdir, quick=settings.quick)
    )


def _sync(settings: Settings, workdir: Path) -> list[Figure]:
    from tui.bench.ttrss_server import ttrss_unavailable

    def measure() -> list[Figure]:
        from tui.bench.sync import sync_figures

        return sync_figures(settings.runs, workdir, quick=settings.quick)

    return _if_available("sync", ttrss_unavailable(), "i: sync with a local tt-rss…", measure)


def _peer(settings: Settings, workdir: Path) -> list[Figure]:
    from tui.bench.peer import newsboat_unavailable, peer_figures

    def measure() -> list[Figure]:
        return peer_figures(settings.runs, workdir, quick=settings.quick)

    return _if_available("peer", newsboat_unavailable(), "p: side by side with newsboat…", measure)


def _if_available(
    part: str, unavailable: str | None, announce: str, measure: Callable[[], list[Figure]]
) -> list[Figure]:
    """A part that needs software yuedu does not install: its rows say why when it is absent."""
    if unavailable is not None:
        say(f"  {part}: {unavailable}")
        return [missing(key, label, f"n/a ({unavailable})") for key, label in ROWS[part]]
    say(announce)
    return _guarded(part, measure)


def _cached_figures(
    part: str,
    settings: Settings,
    feeds: list[tuple[str, str]],
    workdir: Path,
    header: list[str],
) -> list[Figure]:
    from tui.bench.cache import CacheInfo, build_cache

    say(f"filling a cache with {settings.articles:,} articles…")
    built: list[CacheInfo] = []

    def build() -> list[Figure]:
        built.append(build_cache(workdir / "cache-home", feeds, settings.articles))
        return []

    failed = _guarded("startup", build)
    if not built:
        reason = failed[0].missing or "n/a"
        wanted = [p for p in ("startup", "keys", "search", "query") if part in ("all", p)]
        return [missing(key, label, reason) for p in wanted for key, label in ROWS[p]]
    info = built[0]
    header.append(
        f"cache: {info.articles:,} articles in {info.feeds} feeds, "
        f"{info.bytes / 1048576:.0f} MiB, filled through the Store in {info.seconds:.1f} s"
    )
    figures: list[Figure] = []
    if part in ("all", "startup"):
        from tui.bench.startup import startup_figures

        say("c: start-up in tmux…")
        figures += _guarded("startup", lambda: startup_figures(info, settings.runs))
    if part in ("all", "keys"):
        from tui.bench.keys import key_figures

        say("d: key latency in Pilot…")
        figures += _guarded(
            "keys", lambda: key_figures(info, settings.runs, settings.presses, workdir)
        )
    if part in ("all", "search"):
        from tui.bench.search import search_figures

        say("e: search…")
        figures += _guarded("search", lambda: search_figures(info, settings.runs))
    if part in ("all", "query"):
        from tui.bench.queries import query_figures

        say("g: queries…")
        figures += _guarded("query", lambda: query_figures(info, settings.runs, workdir))
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    part, settings, workdir = parse_args(argv)
    started = time.perf_counter()
    if workdir is not None:
        workdir.mkdir(parents=True, exist_ok=True)
        header, figures = run(part, settings, workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="yuedu-bench-") as tmp:
            header, figures = run(part, settings, Path(tmp))
    print("yuedu benchmark" + (" (quick)" if settings.quick else ""))
    for line in machine() + header:
        print(line)
    print()
    print(table(figures))
    print(f"\ntook {time.perf_counter() - started:.0f} s")
    return 1 if any(f.missing and f.missing.startswith("failed") for f in figures) else 0


if __name__ == "__main__":
    raise SystemExit(main())
