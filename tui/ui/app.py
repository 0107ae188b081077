"""ReaderApp: the Textual application around one FeedService, and ``run_app`` for the CLI."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import ClassVar

from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tui.core.service import FeedService
from tui.core.text.sanitize import clean_line
from tui.ui.commands import ReaderCommands
from tui.ui.config_check import check_config
from tui.ui.screens.help import HelpRow, HelpScreen, describe_bindings
from tui.ui.screens.main import MainScreen
from tui.ui.screens.modals import ConfirmScreen
from tui.ui.state import SavedView, load_view, save_view
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.virtual_list import VirtualList

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ReaderApp(App[None]):
    """The reader. ``clock`` gives "now" (tests pass a frozen one); ``demo`` marks the status
    line so nobody mistakes the bundled sample feeds for their own."""

    TITLE = "yuedu"
    # Textual reads CSS_PATH as a list and never changes it.
    CSS_PATH = [  # noqa: RUF012
        "styles/app.tcss",
        "styles/main.tcss",
        "styles/dialogs.tcss",
    ]
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Show all keys", id="help"),
        Binding("ctrl+c", "quit_now", "Quit", id="quit_now", show=False),
    ]

    def __init__(self, service: FeedService, *, demo: bool = False, clock: Clock | None = None):
        super().__init__()
        self.service = service
        self.demo = demo
        self.clock: Clock = clock or _utc_now
        self._main: MainScreen | None = None
        self._saved: SavedView | None = None
        # A mistake stops here, before any screen, with one line naming the file.
        source = str(service.paths.config_file)
        check_config(service.config, source=source, app_bindings=self.BINDINGS)
        self.set_keymap(dict(service.config.keymap))

    def get_default_screen(self) -> Screen[None]:
        refresh = self.service.config.refresh_on_start
        saved = self._saved = load_view(self.service.paths.state_file)
        self._main = MainScreen(
            self.service,
            clock=self.clock,
            saved=saved,
            refresh_on_start=refresh,
            help_key=self.key_for("help"),
            add_key=self.key_for("add_feed"),
            demo=self.demo,
        )
        return self._main

    @property
    def main_screen(self) -> MainScreen:
        assert self._main is not None
        return self._main

    def on_mount(self) -> None:
        configured = self.service.config.theme  # check_config made sure it exists
        theme = self._saved.theme_for(configured) if self._saved else configured
        # A saved theme that is gone (Textual dropped it) gives way to the configured one.
        self.theme = theme if theme in self.available_themes else configured
        recovery = self.service.recovery
        if recovery is not None:
            severity = "warning" if recovery.restored is not None else "error"
            self.call_after_refresh(
                self.notify,
                clean_line(recovery.message()),
                severity=severity,
                markup=False,
                timeout=30,
            )

    def on_unmount(self) -> None:
        if self._main is None:
            return
        with contextlib.suppress(OSError):
            saved = self._main.lists.saved_view()
            remembered = replace(
                saved,
                sizes=self._main.panes.sizes,
                theme=self.theme,
                config_theme=self.service.config.theme,
            )
            save_view(self.service.paths.state_file, remembered)

    # keys ------------------------------------------------------------------------------

    def key_for(self, binding_id: str) -> str:
        """How the first key of a binding is shown, after the keymap."""
        for _title, rows in self.help_sections(only=binding_id):
            for keys, _description, _ids in rows:
                return keys.split(" ")[0]
        return "?"

    def help_sections(self, *, only: str | None = None) -> list[tuple[str, list[HelpRow]]]:
        """Every binding by where it works, with the config's keymap applied."""
        palette = Binding(self.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")
        groups: list[tuple[str, Sequence[BindingType]]] = [
            ("Everywhere", [*MainScreen.BINDINGS, *self.BINDINGS, palette, *App.BINDINGS]),
            ("Feed and entry lists", VirtualList.BINDINGS),
            ("Article", ArticleView.BINDINGS),
        ]
        keymap = dict(self.service.config.keymap)
        sections = []
        for title, bindings in groups:
            chosen = [b for b in Binding.make_bindings(bindings) if only is None or b.id == only]
            rows = describe_bindings(chosen, keymap, self.get_key_display)
            if rows:
                sections.append((title, rows))
        return sections

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's, without Maximize (it hid the status line, and q then left for a list
        nobody saw) and with this reader's own key list."""
        for command in super().get_system_commands(screen):
            if command.title not in ("Maximize", "Minimize", "Keys"):
                yield command
        yield SystemCommand("Keys", "List every key and its binding id", self.action_help)

    def action_quit_now(self) -> None:
        """Quit at once, unless a refresh is writing: then ask first."""
        if self._main is None or not self._main.refreshing:
            self.exit()
        elif not isinstance(self.screen, ConfirmScreen):
            question = Text("A refresh is writing to the cache. Quit anyway?")
            self.push_screen(ConfirmScreen(question), self._quit_if_yes)

    def _quit_if_yes(self, yes: bool | None) -> None:
        if yes:
            self.exit()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections()))


def run_app(service: FeedService, *, demo: bool = False) -> int:
    """Run the reader until the user quits; the exit code for the process."""
    app = ReaderApp(service, demo=demo)
    app.run()
    return app.return_code or 0
