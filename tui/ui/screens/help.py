"""Every key, listed from the bindings themselves, so a rebinding in config.toml shows here,
with the binding ids that ``[keymap]`` takes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KeyDisplay = Callable[[Binding], str]
HelpRow = tuple[str, str, str]
"""(keys as shown, what they do, binding ids for ``[keymap]``)."""


def describe_bindings(
    bindings: Iterable[BindingType], keymap: Mapping[str, str], key_display: KeyDisplay
) -> list[HelpRow]:
    """One row per description, keys joined, with ``keymap`` (binding id -> keys) applied."""
    keys_by_description: dict[str, list[str]] = {}
    ids_by_description: dict[str, list[str]] = {}
    for binding in Binding.make_bindings(bindings):
        if not binding.description or binding.system:
            continue
        override = keymap.get(binding.id) if binding.id else None
        keys = override.split(",") if override else [binding.key]
        shown = keys_by_description.setdefault(binding.description, [])
        for key in keys:
            display = key_display(Binding(key.strip(), binding.action))
            if display not in shown:
                shown.append(display)
        ids = ids_by_description.setdefault(binding.description, [])
        if binding.id and binding.id not in ids:
            ids.append(binding.id)
    return [
        (" ".join(keys), description, _join_ids(ids_by_description[description]))
        for description, keys in keys_by_description.items()
    ]


def _join_ids(ids: Sequence[str]) -> str:
    # open_link_1 … open_link_9 read better as one range.
    return f"{ids[0]}…{ids[-1][-1]}" if len(ids) > 2 else " ".join(ids)


class HelpScreen(ModalScreen[None]):
    """The keys by section; any key in the close binding (q, Esc, ?) closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape,question_mark", "close", "Close", id="close_help", show=False),
        Binding("j,down", "scroll_down", show=False),
        Binding("k,up", "scroll_up", show=False),
    ]

    def __init__(self, sections: Sequence[tuple[str, Sequence[HelpRow]]]) -> None:
        super().__init__(classes="dialog-screen")
        self._sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body", classes="dialog"):
            yield Static(Text("Keys", style="bold"), classes="dialog-title")
            for title, rows in self._sections:
                table = Table.grid(padding=(0, 2))
                table.add_column(style="bold", no_wrap=True, width=18)
                table.add_column()
                table.add_column(style="dim", no_wrap=True)
                for keys, description, ids in rows:
                    table.add_row(Text(keys), Text(description), Text(ids))
                yield Static(Text(title, style="underline"), classes="help-section")
                yield Static(table)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll_down(self) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_up(animate=False)
