"""The reader's last view (which list, which entry, how wide the panes) and the theme picked
in it, kept between runs in a small JSON file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tui.core.atomic import atomic_write_text

_VERSION = 1


@dataclass(frozen=True, slots=True)
class PaneSizes:
    """How wide the panes are, as the user left them."""

    feeds: int = 20
    """Cells for the feeds pane, its border included."""
    article: int = 40
    """The article's share, in percent, of what the feeds pane leaves (wide layout)."""

    def clamped(self) -> PaneSizes:
        return PaneSizes(max(12, min(60, self.feeds)), max(20, min(80, self.article)))


@dataclass(frozen=True, slots=True)
class SavedView:
    view_key: str
    """``View.key`` of the list that was open, e.g. "all" or "feed:https://…"."""
    entry_id: int | None = None
    """The entry under the cursor."""
    sizes: PaneSizes = PaneSizes()
    theme: str | None = None
    """The theme in use (picked from the command palette, perhaps)."""
    config_theme: str | None = None
    """config.toml's theme when ``theme`` was saved: once the config names another, it wins."""

    def theme_for(self, configured: str) -> str:
        """The theme to start with when config.toml says ``configured``."""
        return self.theme if self.theme and self.config_theme == configured else configured


def load_view(path: Path) -> SavedView | None:
    """The saved view, or None when there is none or the file is unreadable or damaged."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or raw.get("version") != _VERSION:
        return None
    key = raw.get("view")
    entry_id = raw.get("entry_id")
    if not isinstance(key, str) or not key:
        return None
    if not isinstance(entry_id, int) or isinstance(entry_id, bool):
        entry_id = None
    sizes = PaneSizes(_int(raw.get("feeds_width"), 20), _int(raw.get("article_share"), 40))
    theme, config_theme = raw.get("theme"), raw.get("config_theme")
    if not isinstance(theme, str) or not isinstance(config_theme, str):
        theme = config_theme = None
    return SavedView(key, entry_id, sizes.clamped(), theme, config_theme)


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def save_view(path: Path, saved: SavedView) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of one."""
    data = {
        "version": _VERSION,
        "view": saved.view_key,
        "entry_id": saved.entry_id,
        "feeds_width": saved.sizes.feeds,
        "article_share": saved.sizes.article,
        "theme": saved.theme,
        "config_theme": saved.config_theme,
    }
    atomic_write_text(path, json.dumps(data, ensure_ascii=False) + "\n")
