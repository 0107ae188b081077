"""Small dialogs: a one-line prompt, a yes/no question, and adding a feed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar, TypeVar
from urllib.parse import urlsplit

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from tui.core.errors import YueduError
from tui.core.service import AddResult
from tui.core.text.sanitize import clean_line

T = TypeVar("T")


class _LineDialog(ModalScreen[T]):
    """A title, one input line and a message line under it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel", show=False)
    ]

    def __init__(self, title: str, *, placeholder: str = "", value: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._placeholder = placeholder
        self._value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self._title, style="bold"), classes="dialog-title", markup=False)
            yield Input(value=self._value, placeholder=self._placeholder, id="prompt-input")
            yield Label(Text(""), id="prompt-message", classes="dialog-message", markup=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.submit(event.value.strip())

    def submit(self, value: str) -> None:
        raise NotImplementedError

    def show_message(self, message: str, *, error: bool = False) -> None:
        """One line under the input (an error is cleaned of controls and shown literally)."""
        label = self.query_one("#prompt-message", Label)
        label.update(Text(clean_line(message), style="bold red" if error else "dim"))
        label.set_class(error, "-error")

    def action_cancel(self) -> None:
        self.dismiss(None)


class PromptScreen(_LineDialog[str | None]):
    """Asks for one line of text; dismisses with it, or None on Esc or an empty line."""

    def submit(self, value: str) -> None:
        self.dismiss(value or None)


class SearchScreen(_LineDialog[tuple[str, bool] | None]):
    """Asks what to search for, in one feed or in all (Ctrl+T switches); dismisses with
    (query, all feeds) or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "toggle_scope", "Search all feeds or this one", id="search_scope"),
    ]

    def __init__(self, feed_name: str | None, *, value: str = "", everywhere: bool = False):
        super().__init__("Search", placeholder='words, "a phrase", 中文, 日本語…', value=value)
        self._feed_name = feed_name
        self.everywhere = everywhere or feed_name is None

    def on_mount(self) -> None:
        self._show_scope()

    def _show_scope(self) -> None:
        title = self.query_one(".dialog-title", Label)
        if self.everywhere:
            title.update(Text("Search all feeds", style="bold"))
        else:
            title.update(Text(f"Search {clean_line(self._feed_name or '')}", style="bold"))
        if self._feed_name is not None:
            other = "this feed only" if self.everywhere else "all feeds"
            self.show_message(f"Ctrl+T: search {other}")

    def action_toggle_scope(self) -> None:
        if self._feed_name is not None:
            self.everywhere = not self.everywhere
            self._show_scope()

    def submit(self, value: str) -> None:
        self.dismiss((value, self.everywhere) if value else None)


class AddFeedScreen(_LineDialog[AddResult | None]):
    """Asks for a feed or site URL and subscribes in a worker; a failure stays on screen."""

    def __init__(self, add: Callable[[str], Awaitable[AddResult]]) -> None:
        super().__init__(
            "Add a feed (a feed URL or a site's address)", placeholder="https://example.org/feed"
        )
        self._add = add

    def submit(self, value: str) -> None:
        if not value:
            self.dismiss(None)
            return
        if not looks_like_address(value):
            shown = value if len(value) <= 40 else value[:39] + "…"
            self.show_message(
                f"“{shown}” is not a web address: type a feed's URL or a site's, "
                "like example.org/feed",
                error=True,
            )
            return
        self.show_message("Adding…")
        self.query_one(Input).disabled = True
        self._run_add(value)

    @work(exclusive=True, group="add-feed", exit_on_error=False)
    async def _run_add(self, url: str) -> None:
        try:
            result = await self._add(url)
        except YueduError as exc:
            self._failed(str(exc))
            return
        except Exception as exc:  # a bug in one add must not take the app down
            self._failed(f"could not add the feed ({exc.__class__.__name__})")
            return
        self.dismiss(result)

    def _failed(self, reason: str) -> None:
        field = self.query_one(Input)
        field.disabled = False
        field.focus()
        self.show_message(reason, error=True)


def looks_like_address(value: str) -> bool:
    """Whether ``value`` could be a web address (``example.org``, ``http://localhost:8080``):
    no spaces, and a host that has a dot, is localhost or an IPv6 address."""
    if any(ch.isspace() for ch in value):
        return False
    try:
        host = urlsplit(value if "://" in value else f"https://{value}").hostname or ""
    except ValueError:
        return False
    return "." in host or ":" in host or host == "localhost"


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; y or Enter says yes, n or Esc says no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm_yes", show=False),
        Binding("n,escape", "answer(False)", "No", id="confirm_no", show=False),
    ]

    def __init__(self, question: Text) -> None:
        super().__init__(classes="dialog-screen")
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._question, classes="dialog-title", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Yes (y)", id="yes", variant="error")
                yield Button("No (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
