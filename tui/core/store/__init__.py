"""The SQLite cache. Only the service imports this package."""

from tui.core.store.store import Store

__all__ = ["Store"]
