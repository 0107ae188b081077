"""Figure i: ``yuedu sync`` against a private Tiny Tiny RSS on this machine.

The server is Debian's tt-rss on its own PostgreSQL cluster (``tui.bench.ttrss_server``),
seeded through its tables with generated Chinese, Japanese and English articles. Each run
syncs a fresh home through the real command, then syncs again with nothing new, then once
more after a handful of new articles and marks made on the server.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tui.bench.articles import article_html, title
from tui.bench.child import python_env
from tui.bench.measure import run_measured
from tui.bench.pools import LANGUAGES
from tui.bench.report import Figure

FIRST_TARGET = 20.0
"""Issue 18: the first sync of 10,000 articles in at most 20 s."""
NOTHING_NEW_TARGET = 1.0
"""Issue 18: an incremental sync with nothing new in at most 1 s."""
_FEEDS = 50


def seed(server: object, articles: int, rng: random.Random) -> list[int]:
    """``articles`` spread over ``_FEEDS`` feeds in five categories; the feed ids."""
    from tui.bench.ttrss_server import TtrssServer
    from tui.bench.ttrss_tables import SeedArticle

    assert isinstance(server, TtrssServer)
    tables = server.tables
    categories = [tables.add_category(f"分類 {n}") for n in range(5)]
    feeds = [
        tables.add_feed(
            f"https://feeds{n}.example.com/rss.xml", f"Feed {n}", category=categories[n % 5]
        )
        for n in range(_FEEDS)
    ]
    start = datetime(2026, 11, 1, tzinfo=UTC)
    per_feed = max(1, articles // _FEEDS)
    for n, feed_id in enumerate(feeds):
        lang = LANGUAGES[n % len(LANGUAGES)]
        batch = [
            SeedArticle(
                title=title(rng, lang),
                link=f"https://feeds{n}.example.com/{k}.html",
                content=article_html(rng, lang, 2000, f"https://feeds{n}.example.com"),
                updated=start + timedelta(minutes=k),
                unread=rng.random() < 0.6,
                marked=rng.random() < 0.03,
            )
            for k in range(per_feed)
        ]
        tables.add_articles(feed_id, batch)
    return feeds


def sync_figures(runs: int, workdir: Path, *, quick: bool = False) -> list[Figure]:
    from tui.bench.ttrss_server import ADMIN_PASSWORD, TtrssServer
    from tui.bench.ttrss_tables import SeedArticle

    articles = 500 if quick else 10_000
    rng = random.Random("sync-articles")
    first: list[float] = []
    first_cpu: list[float] = []
    nothing: list[float] = []
    some: list[float] = []
    with TtrssServer() as server:
        feeds = seed(server, articles, rng)
        env = {**python_env(), "YUEDU_SYNC_PASSWORD": ADMIN_PASSWORD}
        for run in range(runs):
            home = workdir / f"sync-home-{run}"
            home.mkdir(parents=True)
            (home / "config.toml").write_text(
                f'refresh_on_start = false\n[sync]\nservice = "ttrss"\nurl = "{server.url}"\n'
                'user = "admin"\n',
                encoding="utf-8",
            )
            command = [sys.executable, "-m", "tui", "--home", str(home), "sync"]
            measured = run_measured(command, env=env)
            first.append(measured.wall)
            first_cpu.append(measured.cpu)
            nothing.append(run_measured(command, env=env).wall)
            fresh = [
                SeedArticle(title=f"新文章 {run}-{k}", link=f"https://n.example/{run}/{k}")
                for k in range(20)
            ]
            server.tables.add_articles(feeds[run % len(feeds)], fresh)
            some.append(run_measured(command, env=env).wall)
    label = f"{articles:,} articles in {_FEEDS} feeds"
    return [
        Figure("i", f"first sync, tt-rss, {label}: wall", "s", first, target=FIRST_TARGET),
        Figure("i.cpu", "  CPU, all processes", "s", first_cpu),
        Figure("i.same", "sync again, nothing new: wall", "s", nothing, target=NOTHING_NEW_TARGET),
        Figure("i.new", "sync again, 20 new articles: wall", "s", some),
    ]
