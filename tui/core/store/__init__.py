"""The SQLite cache. Only the service and the refresh pipeline import this package."""

from tui.core.store.store import Store

__all__ = ["Store"]
