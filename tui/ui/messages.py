"""App-wide messages: things that happened, posted by workers and handled by screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tui.core.models import FeedStatus, RefreshReport


@dataclass
class RefreshStarted(Message):
    """A refresh of ``total`` feeds began."""

    total: int


@dataclass
class RefreshProgressed(Message):
    """``done`` of ``total`` feeds are finished; only the latest one matters to the screen."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RefreshProgressed)


@dataclass
class FeedRefreshed(Message):
    """One feed finished refreshing, well or not."""

    status: FeedStatus


@dataclass
class RefreshFinished(Message):
    """A refresh ended; ``report`` is None when it was cancelled or broke."""

    report: RefreshReport | None
    error: str | None = None
