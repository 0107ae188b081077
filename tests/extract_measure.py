"""F1 and time per page for readability-lxml alone, trafilatura alone and ``extract_article``.

``python -m tests.extract_measure [-v]`` prints the table. The libraries get the text our
decoder gives, and a first line equal to the expected title is not held against them, so
the figures compare extraction alone.
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.shingles import shingle_f1
from tui.core.errors import ExtractError
from tui.core.feeds.encoding import decode_document
from tui.core.text.extract import article_plain_text, extract_article
from tui.core.text.html.visible import visible_text

PAGES = Path(__file__).parent / "data" / "pages"
URL = "https://news.example.com/a/1.html"


def expected(page: Path) -> tuple[str, str]:
    """(title, body) of a page's hand-made ``.expected.txt``."""
    title, _, body = page.with_suffix(".expected.txt").read_text(encoding="utf-8").partition("\n\n")
    return title, body


def ours(page: bytes) -> str:
    try:
        return article_plain_text(extract_article(page, URL)).partition("\n\n")[2]
    except ExtractError:
        return ""


def readability_alone(page: bytes) -> str:
    from readability import Document

    text, _ = decode_document(page, None)
    return " ".join(visible_text(Document(text).summary(html_partial=True)).split())


def trafilatura_alone(page: bytes) -> str:
    import trafilatura

    text, _ = decode_document(page, None)
    return trafilatura.extract(text, url=URL, include_tables=True) or ""


def main() -> None:
    verbose = "-v" in sys.argv
    extractors: dict[str, Callable[[bytes], str]] = {
        "trafilatura": trafilatura_alone,
        "readability": readability_alone,
        "ours": ours,
    }
    # trafilatura is measured, not depended on: pip install trafilatura to compare.
    if importlib.util.find_spec("trafilatura") is None:
        del extractors["trafilatura"]
    print(f"{'page':28} " + " ".join(f"{name[:6]:>6}" for name in extractors))
    times: dict[str, list[float]] = {name: [] for name in extractors}
    scores: dict[str, dict[str, list[float]]] = {name: {"en": [], "zh": []} for name in extractors}
    for page in sorted(PAGES.glob("*.html")):
        title, body = expected(page)
        raw = page.read_bytes()
        row = []
        for name, extractor in extractors.items():
            start = time.perf_counter()
            got = extractor(raw)
            times[name].append(time.perf_counter() - start)
            first, _, rest = got.lstrip().partition("\n")
            if first.strip() == title:
                got = rest
            score = shingle_f1(got, body)
            scores[name][page.name[:2]].append(score)
            row.append(f"{score:6.3f}")
            if verbose and score < 0.99:
                print(f"--- {name} {page.name}\n{got}")
        print(f"{page.stem:28} " + " ".join(row))
    for language in ("en", "zh"):
        means = [statistics.mean(scores[name][language]) for name in extractors]
        print(f"{'mean ' + language:28} " + " ".join(f"{mean:6.3f}" for mean in means))
    for name, spent in times.items():
        median, worst = statistics.median(spent) * 1000, max(spent) * 1000
        print(f"{name:12} median {median:6.1f} ms  max {worst:6.1f} ms")


if __name__ == "__main__":
    main()
