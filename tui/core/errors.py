"""Domain errors. Each carries the url or path it is about and a one-line reason for the user."""

from __future__ import annotations


class YueduError(Exception):
    """Base of every error yuedu reports to a user as one line."""

    def __init__(self, reason: str, *, subject: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.subject = subject

    def __str__(self) -> str:
        return f"{self.subject}: {self.reason}" if self.subject else self.reason


class ConfigError(YueduError):
    """config.toml is unreadable or holds a bad key or value; subject is the file."""


class FetchError(YueduError):
    """A download failed; reason is the one-line cause, e.g. "HTTP 404 Not Found"."""

    def __init__(
        self,
        reason: str,
        *,
        subject: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason, subject=subject)
        self.status = status
        """The HTTP status when a response came, else None."""
        self.retry_after = retry_after
        """Seconds the server asked us to wait (429/503 Retry-After), else None."""


class ParseError(YueduError):
    """A body is not a usable feed ("not a feed (HTML page)", "empty response")."""


class ExtractError(YueduError):
    """No article could be taken from a page ("no article found", "page larger than 5 MB")."""


class StoreError(YueduError):
    """The cache cannot be opened, read or written; subject is the database path."""


class StoreBusyError(StoreError):
    """Another process holds the cache for longer than the busy timeout."""


class StoreCorruptError(StoreError):
    """The cache file is damaged or not a database; the service moves it aside and rebuilds."""
