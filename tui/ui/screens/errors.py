"""Every failing feed with the one-line reason its last fetch failed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.core.models import Feed
from tui.core.text.sanitize import clean_line


def failure_text(feed: Feed) -> Text:
    """Three lines built from plain strings: name, URL, reason."""
    text = Text(no_wrap=False, end="")
    text.append("! ", style="bold red")
    text.append(clean_line(feed.display_title), style="bold")
    text.append("\n  ")
    text.append(clean_line(feed.url), style="dim")
    text.append("\n  ")
    text.append(clean_line(feed.error) or "failed", style="red")
    return text


class ErrorsScreen(ModalScreen[str | None]):
    """Lists failing feeds; Enter goes to that feed (dismisses with its URL)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape,e", "close", "Close", id="close_errors", show=False),
        Binding("j", "cursor(1)", show=False),
        Binding("k", "cursor(-1)", show=False),
    ]

    def __init__(self, feeds: Sequence[Feed]) -> None:
        super().__init__(classes="dialog-screen")
        self._feeds = list(feeds)

    def compose(self) -> ComposeResult:
        with Vertical(id="errors-body", classes="dialog"):
            count = len(self._feeds)
            title = "No feed is failing" if not count else f"Failing feeds ({count})"
            yield Label(Text(title, style="bold"), classes="dialog-title", markup=False)
            if self._feeds:
                yield OptionList(
                    *(Option(failure_text(feed), id=str(i)) for i, feed in enumerate(self._feeds)),
                    id="errors-list",
                )
            yield Label(
                Text("Enter: go to the feed · q: close", style="dim"),
                classes="dialog-message",
                markup=False,
            )

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        index = int(event.option.id or 0)
        self.dismiss(self._feeds[index].url)

    def action_cursor(self, step: int) -> None:
        if not self._feeds:
            return
        options = self.query_one("#errors-list", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_close(self) -> None:
        self.dismiss(None)
