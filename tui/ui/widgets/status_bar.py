"""The bottom line: what is shown, refresh progress with a count, and the help key."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from tui.core.text.sanitize import clean_line
from tui.ui.render import plural


class StatusBar(Horizontal):
    """Shows the current list, and while a refresh runs, a progress bar and "n/total"."""

    def __init__(self, *, help_key: str = "?", id: str | None = None) -> None:
        super().__init__(id=id)
        self._help_key = help_key
        self._demo = False
        self._count_width = -1

    def compose(self) -> ComposeResult:
        yield Label(Text(""), id="status-view", markup=False)
        yield ProgressBar(id="status-progress", show_eta=False, show_percentage=False)
        yield Label(Text(""), id="status-count", markup=False)
        yield Label(self._help_text(), id="status-help", markup=False)

    def _help_text(self) -> Text:
        text = Text("demo · ", style="bold") if self._demo else Text()
        text.append(f"{self._help_key} keys", style="dim")
        return text

    def set_help_key(self, key: str, *, demo: bool = False) -> None:
        """The key that shows all keys (after the keymap); ``demo`` adds a "demo" mark."""
        self._help_key = key
        self._demo = demo
        self.query_one("#status-help", Label).update(self._help_text())

    def show_view(self, label: str, count: int, unread: int) -> None:
        """The list's name (from a feed: untrusted) and its size."""
        text = Text(clean_line(label), style="bold", no_wrap=True, overflow="ellipsis")
        text.append(f"  {count:,} {plural(count, 'entry', 'entries')}", style="dim")
        if unread:
            text.append(f" · {unread:,} unread", style="dim")
        self.query_one("#status-view", Label).update(text)

    def refresh_started(self, total: int) -> None:
        """A refresh of ``total`` feeds began; 0: a sync, whose size is not known."""
        bar = self.query_one("#status-progress", ProgressBar)
        bar.update(total=max(total, 1) if total else None, progress=0)
        self.add_class("-refreshing")
        self._show_count(Text(f"Refreshing 0/{total}" if total else "Syncing"))

    def refresh_progressed(self, done: int, total: int) -> None:
        self.query_one("#status-progress", ProgressBar).update(total=max(total, 1), progress=done)
        self._show_count(Text(f"Refreshing {done}/{total}"))

    def show_progress(self, text: str) -> None:
        """A refresh's progress in words, for one whose total is not known (a sync)."""
        self._show_count(Text(clean_line(text)))

    def _show_count(self, text: Text) -> None:
        # A layout pass re-renders every pane; a count that keeps its width needs none.
        # A refresh of 500 feeds updates it 500 times while the reader scrolls.
        label = self.query_one("#status-count", Label)
        label.update(text, layout=text.cell_len != self._count_width)
        self._count_width = text.cell_len

    def refresh_finished(self, summary: str) -> None:
        self.remove_class("-refreshing")
        self._show_count(Text(clean_line(summary), style="dim"))
