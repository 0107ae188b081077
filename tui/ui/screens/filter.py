"""Filtering the current list with an expression (``F``), and saving it as a query."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.widgets import Input

from tui.core.errors import YueduError
from tui.core.query.parser import QueryError, parse
from tui.core.text.sanitize import clean_line
from tui.ui.screens.modals import PromptScreen

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen

_HINT = 'e.g. unread = "yes" and age < 3 — an empty line shows the whole list'


class FilterScreen(PromptScreen):
    """Asks for an expression, saying as it is typed what does not parse; dismisses with
    it, "" for an empty line, None on Esc."""

    def on_mount(self) -> None:
        self._check(self.query_one(Input).value)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._check(event.value)

    def _check(self, text: str) -> bool:
        if not text.strip():
            self.show_message(_HINT)
            return True
        try:
            parse(text)
        except QueryError as exc:
            self.show_message(str(exc), error=True)
            return False
        self.show_message("Enter filters the list")
        return True

    def submit(self, value: str) -> None:
        if self._check(value):
            self.dismiss(value)


class FilterActions:
    """``F``, its clearing, and "Save filter as query", on the lists of ``screen``."""

    def __init__(self, screen: MainScreen) -> None:
        self._screen = screen

    def prompt(self) -> None:
        current = self._screen.lists.view.filter or ""
        screen = FilterScreen("Filter this list", placeholder="an expression", value=current)
        self._screen.app.push_screen(screen, self._filtered)

    def _filtered(self, expression: str | None) -> None:
        if expression is not None:
            self._screen.lists.set_filter(expression or None)

    def clear(self) -> None:
        if self._screen.lists.view.filter is None:
            self._screen.app.notify("No filter to clear: press F to filter", timeout=3)
            return
        self._screen.lists.set_filter(None)

    def save_as_query(self) -> None:
        if self._screen.lists.view.filter is None:
            self._screen.app.notify("No filter to save: press F to filter", timeout=3)
            return
        self._screen.app.push_screen(
            PromptScreen("Save the filter as a query named", placeholder="a name"), self._named
        )

    def _named(self, name: str | None) -> None:
        expression = self._screen.lists.view.filter
        if not name or expression is None:
            return
        try:
            saved = self._screen.service.save_query(name, expression)
        except YueduError as exc:
            self._screen.app.notify(str(exc), severity="error", markup=False)
            return
        lists = self._screen.lists
        lists.reload_feeds()
        self._screen.app.notify(f"Saved query {clean_line(saved.name)}", markup=False, timeout=3)
