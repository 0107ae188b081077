"""Figure f: article layout at 80 columns, the text pipeline's own cost (script conversion,
punctuation), breaker throughput, pathological text.

Every pathological figure must stay linear: twice the input may cost at most
``LINEAR_RATIO`` times the CPU. Each input once took quadratic time somewhere.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from tui.bench.articles import cjk_article, cjk_paragraphs
from tui.bench.report import Figure, missing

WIDTH = 80
LAYOUT_TARGET = 0.015
LINEAR_RATIO = 3.0
"""Doubling the input may at most triple the time; linear is 2, quadratic 4."""
UNCLOSED_SIZE = 80_000
REGIONAL_BYTES = 64_000
"""A run of regional indicators this long (1.2 MB of them once did not finish)."""


def _timed(call: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one call: on a shared machine CPU time is the steadier one."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def _samples(call: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    call()  # warm caches (regexes, width tables), as in a reader that is already open
    timed = [_timed(call) for _ in range(runs)]
    return [w for w, _ in timed], [c for _, c in timed]


def _figure(key: str, label: str, call: Callable[[], object], runs: int) -> Figure:
    wall, cpu = _samples(call, runs)
    return Figure(key, label, "ms", wall, note=f"CPU {statistics.median(cpu) * 1000:.1f} ms")


def layout_figures(runs: int) -> list[Figure]:
    try:
        from tui.core.text.layout import LayoutOptions, render_article
    except ImportError:
        return [
            missing(f"f.{size}", f"layout of a {size} CJK article", "n/a (not built)")
            for size in ("2KB", "20KB", "200KB")
        ]
    figures = []
    for size, label in ((2048, "2 KB"), (20480, "20 KB"), (204800, "200 KB")):
        source = cjk_article(size)
        options = LayoutOptions()

        def lay_out(source: str = source, options: LayoutOptions = options) -> object:
            return render_article(source, WIDTH, options=options)

        figure = _figure(
            f"f.{label.replace(' ', '')}",
            f"layout of a {label} CJK article, 80 columns",
            lay_out,
            runs,
        )
        figure.target = LAYOUT_TARGET if size == 20480 else None
        figures.append(figure)
    return figures


def pipeline_figures(runs: int) -> list[Figure]:
    """A Simplified 20 KB article laid out in Taiwan's script with punctuation fixed (the
    same target as f.20KB), and what conversion and punctuation cost on their own."""
    try:
        from tui.core.text.display import ArticleText, DisplayOptions, block_texts
        from tui.core.text.html.blocks import Heading, Paragraph, Table
        from tui.core.text.html.tree import parse_html
        from tui.core.text.layout import LayoutOptions, render_article
        from tui.core.text.punctuation import fix_punctuation
    except ImportError:
        keys = ("f.20KB.tw", "f.convert", "f.punct")
        return [missing(key, "text pipeline", "n/a (not built)") for key in keys]
    source = cjk_article(20480, simplified=True)
    display = DisplayOptions("hant-tw", fix_punctuation=True)
    options = LayoutOptions(display=display)
    layout = _figure(
        "f.20KB.tw",
        "layout of a 20 KB Simplified article shown in hant-tw, punctuation fixed",
        lambda: render_article(source, WIDTH, options=options),
        runs,
    )
    layout.target = LAYOUT_TARGET
    blocks = parse_html(source).blocks
    paragraphs = [b for b in blocks if isinstance(b, Paragraph | Heading)]
    cells = [cell for b in blocks if isinstance(b, Table) for row in b.rows for cell in row]
    texts = list(block_texts(blocks))

    def convert() -> None:
        article = ArticleText(DisplayOptions("hant-tw", fix_punctuation=False), texts)
        for block in paragraphs:
            article.paragraph(block.text, block.spans)
        for cell in cells:
            article.line(cell)

    def punctuate() -> None:
        for text in texts:
            fix_punctuation(text)

    return [
        layout,
        _figure(
            "f.convert", "script conversion of a 20 KB article (hans -> hant-tw)", convert, runs
        ),
        _figure("f.punct", "punctuation fixing of a 20 KB article", punctuate, runs),
    ]


def breaker_figures(runs: int, *, quick: bool = False) -> list[Figure]:
    try:
        from tui.core.text.breaker import wrap
    except ImportError:
        keys = ("f.wrap", "f.nobreak", "f.periods", "f.word", "f.flags")
        return [missing(key, "line breaker", "n/a (not built)") for key in keys]
    paragraphs = cjk_paragraphs(200_000 if quick else 1_000_000)
    size = sum(len(p.encode("utf-8")) for p in paragraphs)

    def wrap_all() -> None:
        for paragraph in paragraphs:
            wrap(paragraph, WIDTH)

    wall, cpu = _samples(wrap_all, runs)
    throughput = Figure(
        "f.wrap",
        f"breaker throughput, {size / 1e6:.1f} MB of CJK paragraphs",
        "MB/s",
        [size / t for t in wall],
        higher_is_better=True,
        note=f"{size / statistics.median(cpu) / 1e6:.2f} MB/s of CPU time",
    )
    scale = 10 if quick else 1
    cases = [
        ("f.nobreak", "1 MB paragraph, no break opportunity", _no_break(1_000_000 // scale)),
        ("f.periods", "1 MB of 。", "。" * (1_000_000 // 3 // scale)),
        ("f.word", "100,000-character Latin word", _latin_word(100_000 // scale)),
        (
            "f.flags",
            f"{REGIONAL_BYTES // 1000} KB of regional indicators",
            _regional_indicators(REGIONAL_BYTES // scale),
        ),
    ]
    figures = [throughput]
    for key, label, text in cases:
        if quick:
            label += " (1/10 size)"
        figures.append(_linear_figure(key, label, text, lambda t: wrap(t, WIDTH), runs))
    return figures


def markup_figures(runs: int, *, quick: bool = False) -> list[Figure]:
    try:
        from tui.core.text.layout import render_article
    except ImportError:
        return [missing("f.unclosed", "unclosed start tag + 80k text", "n/a (not built)")]
    size = UNCLOSED_SIZE // (10 if quick else 1)
    label = f"unclosed start tag + {size // 1000}k text"
    # "<a" then text with no ">": the tokenizer once tried every split of the tag name.
    text = "<p>before <a" + _latin_word(size)
    return [_linear_figure("f.unclosed", label, text, lambda t: render_article(t, WIDTH), runs)]


def _linear_figure(
    key: str, label: str, text: str, lay_out: Callable[[str], object], runs: int
) -> Figure:
    figure = _figure(key, label, lambda: lay_out(text), runs)
    half_text = text[: len(text) // 2]
    _, half_cpu = _samples(lambda: lay_out(half_text), runs)
    _, full_cpu = _samples(lambda: lay_out(text), runs)
    # CPU time: a neighbour's load must not pass for (or hide) quadratic behaviour.
    half_median = statistics.median(half_cpu)
    ratio = statistics.median(full_cpu) / half_median if half_median > 0 else float("inf")
    shape = "linear" if ratio <= LINEAR_RATIO else "NOT linear"
    figure.note += f"; 2× input → ×{ratio:.1f} CPU ({shape})"
    figure.verdict = ratio <= LINEAR_RATIO
    figure.target_text = "linear"
    return figure


def _no_break(size: int) -> str:
    # A base64 blob pasted into a post: letters and digits with no space or CJK in it.
    alphabet = "QWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY3ODkw"
    return (alphabet * (size // len(alphabet) + 1))[:size]


def _latin_word(length: int) -> str:
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis"
    return (word * (length // len(word) + 1))[:length]


def _regional_indicators(size: int) -> str:
    # Flags and unpaired halves (4 bytes each): grapheme segmentation pairs them from the
    # start of the run, which a regex's \X did by rescanning it.
    return "".join(chr(0x1F1E6 + (i * 7) % 26) for i in range(size // 4))


def text_figures(runs: int, *, quick: bool = False) -> list[Figure]:
    return (
        layout_figures(runs)
        + pipeline_figures(runs)
        + breaker_figures(runs, quick=quick)
        + markup_figures(runs, quick=quick)
    )
