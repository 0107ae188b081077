"""Collecting the (base, reading) pairs of one ``<ruby>`` element as the tokenizer reads it.

Browsers close ``<rt>`` and ``<rp>`` at the next ``<rt>``, ``<rp>``, ``<rb>``, ``<rtc>`` or at
``</ruby>``, whether or not the end tag is written, so these tags only switch where the
text goes: to the current base, to its reading, or nowhere (``<rp>``: the parentheses
for browsers without ruby; ``ruby_text`` adds its own). A ruby inside a ruby is read as
part of the outer one.
"""

from __future__ import annotations

RUBY_PARTS = frozenset(("rt", "rtc", "rp", "rb"))


class RubyCollector:
    """The pairs of one ruby element; text after a reading starts the next pair's base."""

    __slots__ = ("_base", "_into", "_pairs", "_reading")

    def __init__(self) -> None:
        self._pairs: list[tuple[str, str]] = []
        self._base: list[str] = []
        self._reading: list[str] = []
        self._into = "base"  # base, reading or drop

    def start(self, tag: str) -> None:
        """An opening ``rt``, ``rtc``, ``rp`` or ``rb`` tag."""
        if tag == "rp":
            self._into = "drop"
        elif tag in ("rt", "rtc"):
            self._into = "reading"
        else:
            self._into = "base"

    def end(self) -> None:
        """A closing ``rt``, ``rtc``, ``rp`` or ``rb`` tag: text goes to a base again."""
        self._into = "base"

    def add(self, text: str) -> None:
        if self._into == "drop" or not text:
            return
        if self._into == "reading":
            self._reading.append(text)
            return
        if self._reading:
            self._close_pair()
        self._base.append(text)

    def pairs(self) -> list[tuple[str, str]]:
        """Every pair collected, the open one included."""
        if self._base or self._reading:
            self._close_pair()
        return self._pairs

    def _close_pair(self) -> None:
        self._pairs.append(("".join(self._base), "".join(self._reading)))
        self._base = []
        self._reading = []
