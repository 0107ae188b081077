"""The subscriptions backup beside the cache, and what rebuilding a damaged cache from it did.

The backup is what a damaged cache costs the user if it is wrong, so it is written to
always parse: checked before it replaces anything, read back once on disk, and the last
good one kept as ``subscriptions.opml.1``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tui.core.atomic import atomic_write_text
from tui.core.errors import ParseError
from tui.core.feeds.opml import Subscription, SubscriptionList, read_opml, write_opml


def previous_backup(path: Path) -> Path:
    """Where the backup before the current one is kept."""
    return path.with_name(f"{path.name}.1")


def unreadable_backup(path: Path) -> Path:
    """Where a backup that no longer parses is moved, rather than written over."""
    return path.with_name(f"{path.name}.unreadable")


def write_backup(path: Path, subscriptions: Iterable[Subscription]) -> None:
    """Write the backup atomically, keeping the last good one as ``previous_backup(path)``.

    Raises OSError when it cannot be written, ParseError when what was written does not read
    back (the previous good one is then put back).
    """
    text = write_opml(subscriptions)
    _parse(text, path)  # a writer bug must not replace a good backup
    old = _read_text(path)
    if old == text:
        return
    good = old if old is not None and _parses(old, path) else None
    if old is not None and good is None:
        os.replace(path, unreadable_backup(path))  # the user may still want what it holds
    if good is not None:
        atomic_write_text(previous_backup(path), good)
    atomic_write_text(path, text)
    if _read_text(path) != text:
        if good is not None:
            atomic_write_text(path, good)
        raise ParseError("the backup did not read back as written", subject=str(path))


def read_backup(path: Path) -> tuple[SubscriptionList, Path]:
    """The subscriptions of the newest backup that parses, and the file they came from.

    Raises ParseError naming every file tried and what was wrong with each.
    """
    problems: list[str] = []
    for candidate in (path, previous_backup(path)):
        try:
            text = _read_text(candidate)
        except OSError as exc:
            problems.append(f"{candidate.name}: cannot read it ({exc.strerror or exc})")
            continue
        if text is None:
            problems.append(f"{candidate.name}: missing")
            continue
        try:
            return _parse(text, candidate), candidate
        except ParseError as exc:
            problems.append(f"{candidate.name}: {exc.reason}")
    raise ParseError("; ".join(problems), subject=str(path.parent))


@dataclass(frozen=True, slots=True)
class Recovery:
    """What happened when a damaged cache was moved aside and rebuilt."""

    moved_to: Path
    """Where the damaged cache went."""
    restored: int | None
    """How many subscriptions came back from the backup; None when none could be read."""
    source: Path | None = None
    """The backup they came from."""
    problem: str = ""
    """Why the backup could not be read."""

    def message(self) -> str:
        """One line for the user."""
        damaged = f"the cache was damaged; moved it to {self.moved_to}"
        if self.restored is not None:
            plural = "" if self.restored == 1 else "s"
            return f"{damaged}; restored {self.restored} subscription{plural} from {self.source}"
        return (
            f"{damaged}; could not restore the subscriptions ({self.problem}); "
            f"the damaged cache and any backups are in {self.moved_to.parent}"
        )


def _read_text(path: Path) -> str | None:
    """The file's text, or None when it does not exist; raises other OSErrors."""
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None


def _parse(text: str, path: Path) -> SubscriptionList:
    return read_opml(text, source=str(path))


def _parses(text: str, path: Path) -> bool:
    try:
        _parse(text, path)
    except ParseError:
        return False
    return True
