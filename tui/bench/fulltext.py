"""Figure g: reader-mode extraction per page, and what full articles add to the cache.

Pages are built here: an article body from the pools wrapped in what news sites put
around it (navigation, a related-articles list, comments, a footer), from 10 KB to
1 MB. The cache figure saves 1,000 extracted articles into a store that already holds
their entries and reports how much the file grew.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from tui.bench.articles import article_html, title
from tui.bench.pools import LANGUAGES, Language
from tui.bench.report import Figure

if TYPE_CHECKING:
    from tui.core.store import Store

MEDIAN_TARGET = 0.1
"""Issue 11: median at most 100 ms a page in process."""
WORST_TARGET = 1.0
"""Issue 11: no page over 1 s."""
_SIZES = (10_000, 30_000, 60_000, 150_000, 400_000, 1_000_000)
_ARTICLES = 1000


def page(rng: random.Random, lang: Language, target_bytes: int) -> bytes:
    """A news page of about ``target_bytes``: the article among the site's chrome."""
    base = "https://news.example.com/2025"
    headline = escape(title(rng, lang))
    related = "".join(
        f'<li><a href="{base}/r{n}.html">{escape(title(rng, lang))}</a></li>' for n in range(12)
    )
    comments = "".join(
        f'<div class="comment"><p>{escape(rng.choice(lang.sentences))}</p></div>' for _ in range(8)
    )
    body = article_html(rng, lang, max(1000, target_bytes - 4000), base)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{headline} - Example News</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/tech">Tech</a></nav>'
        f"<article><h1>{headline}</h1><p class=byline>2025-03-01</p>{body}</article>"
        f'<aside class="related"><h2>Related</h2><ul>{related}</ul></aside>'
        f'<section id="comments">{comments}</section>'
        "<footer>Copyright 2025 Example News. All rights reserved.</footer></body></html>"
    ).encode()


def fulltext_figures(runs: int, workdir: Path, *, quick: bool = False) -> list[Figure]:
    from tui.core.text.extract import extract_article

    rng = random.Random("fulltext-pages")
    pages = [
        page(rng, lang, size)
        for size in (_SIZES[:4] if quick else _SIZES)
        for lang in LANGUAGES
        for _ in range(max(1, runs // 2))
    ]
    extract_article(pages[0], "https://news.example.com/a")  # imports and regexes warm
    times: list[float] = []
    for body in pages:
        started = time.perf_counter()
        extract_article(body, "https://news.example.com/a")
        times.append(time.perf_counter() - started)
    p95 = statistics.quantiles(times, n=20)[-1]
    largest = max(len(p) for p in pages)
    median = Figure(
        "h",
        f"extraction per page, {len(pages)} pages of 10 KB-{largest // 1000} KB: median",
        "ms",
        times,
        target=MEDIAN_TARGET,
    )
    worst = Figure("h.p95", "  p95", "ms", [p95], note=f"slowest {max(times) * 1000:.0f} ms")
    worst.verdict = max(times) <= WORST_TARGET
    worst.target_text = "every page ≤ 1 s"
    return [median, worst, _cache_growth(workdir, quick=quick)]


def _cache_growth(workdir: Path, *, quick: bool) -> Figure:
    from tui.core.models import ParsedEntry
    from tui.core.store import Store
    from tui.core.store.articles import StoredArticle
    from tui.core.text.extract import extract_article

    count = 200 if quick else _ARTICLES
    rng = random.Random("fulltext-cache")
    now = datetime.now(UTC)
    path = workdir / "fulltext-cache.db"
    path.unlink(missing_ok=True)
    with Store(path) as store:
        feed = store.add_feed("https://news.example.com/feed")
        entries = [
            ParsedEntry(guid=str(n), link=f"https://news.example.com/{n}", title=f"t{n}")
            for n in range(count)
        ]
        store.save_entries(feed.id, entries, now=now)
        before = _size(store, path)
        for entry_id in store.entry_ids():
            lang = rng.choice(LANGUAGES)
            found = extract_article(page(rng, lang, 12_000), "https://news.example.com/a")
            store.save_article(
                StoredArticle(entry_id, "https://news.example.com/a", now, None, None,
                              found.title, found.byline or "", found.date, found.document, None)
            )  # fmt: skip
        after = _size(store, path)
    growth = (after - before) * _ARTICLES / count
    note = f"pages of 12 KB; {count} articles saved" if quick else "pages of 12 KB"
    return Figure("h.cache", "cache growth per 1,000 full articles", "MiB", [growth], note=note)


def _size(store: Store, path: Path) -> int:
    store._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size
