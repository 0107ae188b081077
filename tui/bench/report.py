"""Figures (samples + target) and the one table the benchmark prints, with the machine."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata

UNITS = {
    "s": (1.0, "s"),
    "ms": (1000.0, "ms"),
    "MB": (1e-6, "MB"),
    "MiB": (1 / 1048576, "MiB"),
    "MB/s": (1e-6, "MB/s"),
    "count": (1.0, ""),
    "ratio": (1.0, "×"),
}
"""Display unit -> (factor from the base unit: seconds, bytes or bytes/s; suffix)."""


@dataclass
class Figure:
    key: str
    """Row id, e.g. "a" or "f.20KB"."""
    label: str
    unit: str
    samples: list[float] = field(default_factory=list)
    """Values in base units: seconds, bytes, bytes per second, or a plain count."""
    target: float | None = None
    """In base units; met when the median is at most this (at least, if higher_is_better)."""
    higher_is_better: bool = False
    note: str = ""
    missing: str | None = None
    """Why there is no figure, e.g. "n/a (not built)"."""
    verdict: bool | None = None
    """A check other than the median against ``target`` (with ``target_text`` to show)."""
    target_text: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def met(self) -> bool | None:
        if self.verdict is not None:
            return self.verdict
        median = self.median
        if self.target is None or median is None:
            return None
        return median >= self.target if self.higher_is_better else median <= self.target


def missing(key: str, label: str, reason: str) -> Figure:
    return Figure(key, label, "count", missing=reason)


def fmt(value: float, unit: str) -> str:
    factor, suffix = UNITS[unit]
    shown = value * factor
    if unit == "count" or abs(shown) >= 100:
        text = f"{shown:,.0f}"
    elif abs(shown) >= 10:
        text = f"{shown:.1f}"
    else:
        text = f"{shown:.2f}"
    return f"{text} {suffix}".strip()


def _row(figure: Figure) -> list[str]:
    if figure.missing is not None or figure.median is None:
        return [figure.key, figure.label, figure.missing or "n/a", "", "", "", figure.note]
    median = fmt(figure.median, figure.unit)
    if len(figure.samples) > 1:
        low, high = fmt(min(figure.samples), figure.unit), fmt(max(figure.samples), figure.unit)
        spread = f"{low} – {high} ({len(figure.samples)})"
    else:
        spread = "(1 sample)"
    target = figure.target_text
    if figure.target is not None:
        target = ("≥ " if figure.higher_is_better else "≤ ") + fmt(figure.target, figure.unit)
    mark = {True: "✓", False: "✗", None: ""}[figure.met]
    return [figure.key, figure.label, median, spread, target, mark, figure.note]


def table(figures: Sequence[Figure]) -> str:
    """A Markdown table: readable in a terminal, pastes into the README as is."""
    head = ["", "figure", "median", "spread: min – max (samples)", "target", "", "note"]
    rows = [head, *(_row(f) for f in figures)]
    widths = [max(_cells(r[i]) for r in rows) for i in range(len(head))]
    lines = []
    for n, row in enumerate(rows):
        cells = (c + " " * (w - _cells(c)) for c, w in zip(row, widths, strict=True))
        lines.append("| " + " | ".join(cells) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _cells(text: str) -> int:
    # Labels are ours (ASCII, a few CJK examples): East Asian Wide/Fullwidth take two cells.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram() -> str:
    try:
        import psutil

        return f"{psutil.virtual_memory().total / 2**30:.1f} GiB RAM"
    except ImportError:
        return "RAM unknown"


def machine() -> list[str]:
    """Lines naming the machine, the Python and the libraries the figures depend on."""
    cores = os.cpu_count() or 0
    python = f"Python {platform.python_version()} ({platform.python_implementation()})"
    libraries = ", ".join(
        f"{name} {_version(name)}" for name in ("textual", "rich", "httpx", "feedparser")
    )
    system = f"{platform.system()} {platform.release()}"
    return [
        f"machine: {_cpu_model()}, {cores} cores, {_ram()}, {system}",
        f"{python}; {libraries}; SQLite {sqlite3.sqlite_version}",
        f"executable: {sys.executable}",
    ]
