"""What a refresh posts to the main screen, which hands every ``RefreshMessage`` to its
``Refresher`` (``tui.ui.refresh``)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tui.core.models import FeedStatus, RefreshReport


class RefreshMessage(Message):
    """Something that happened in a refresh."""


@dataclass
class RefreshStarted(RefreshMessage):
    """A refresh of ``total`` feeds began."""

    total: int


@dataclass
class RefreshProgressed(RefreshMessage):
    """``done`` of ``total`` feeds are finished; only the latest one matters to the screen."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RefreshProgressed)


@dataclass
class FeedRefreshed(RefreshMessage):
    """One feed finished refreshing, well or not."""

    status: FeedStatus


@dataclass
class RefreshFinished(RefreshMessage):
    """A refresh ended; ``report`` is None when it was cancelled or broke."""

    report: RefreshReport | None
    error: str | None = None
    summary: str | None = None
    """The status line for a refresh that was a sync (``report`` is then None)."""


@dataclass
class SyncProgressed(RefreshMessage):
    """How far a sync has gone, as the status line shows it."""

    text: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SyncProgressed)
