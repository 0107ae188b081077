"""What config.toml says about the reader, checked before the screen shows: the theme, and
the keymap's binding ids and keys. Only the UI knows its themes and bindings, so the core's
config loader cannot check these; a mistake stops yuedu with one line like its own do."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from textual.binding import Binding, BindingType
from textual.theme import BUILTIN_THEMES

from tui.core.config import Config
from tui.core.errors import ConfigError
from tui.ui.screens.errors import ErrorsScreen
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.main import MainScreen
from tui.ui.screens.modals import ConfirmScreen, PromptScreen, SearchScreen
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.virtual_list import VirtualList


def check_config(config: Config, *, source: str, app_bindings: Sequence[BindingType]) -> None:
    """Raise ``ConfigError`` (subject: the file) for an unknown theme, an unknown binding
    id, or a key the keymap gives to two actions that can both be reached at once."""
    if config.theme not in BUILTIN_THEMES:
        known = ", ".join(sorted(BUILTIN_THEMES))
        raise ConfigError(
            f"theme {config.theme!r} is not a theme; try one of {known}", subject=source
        )
    screen = [*MainScreen.BINDINGS, *app_bindings]
    # The bindings one key press may reach together: the focused pane's, then the screen's.
    chains = [
        [*VirtualList.BINDINGS, *screen],
        [*ArticleView.BINDINGS, *screen],
        *(
            list(dialog.BINDINGS)
            for dialog in (HelpScreen, ErrorsScreen, ConfirmScreen, PromptScreen, SearchScreen)
        ),
    ]
    known_ids = {b.id for chain in chains for b in Binding.make_bindings(chain) if b.id}
    keymap = dict(config.keymap)
    for binding_id in keymap:
        if binding_id not in known_ids:
            raise ConfigError(
                f"keymap.{binding_id}: no key binding has this id (? in the reader lists them)",
                subject=source,
            )
    for chain in chains:
        _check_clashes(Binding.make_bindings(chain), keymap, source)


def _check_clashes(bindings: Iterable[Binding], keymap: Mapping[str, str], source: str) -> None:
    # Only clashes the keymap made: the defaults overlap on purpose (n in an article
    # finds the next match while a find is on, else goes to the next unread entry).
    owners: dict[str, tuple[str, bool]] = {}
    for binding in bindings:
        if not binding.id:
            continue
        remapped = binding.id in keymap
        keys = keymap[binding.id].split(",") if remapped else binding.key.split(",")
        for key in (k.strip() for k in keys):
            owner = owners.get(key)
            if owner is None:
                owners[key] = (binding.id, remapped)
            elif owner[0] != binding.id and (remapped or owner[1]):
                raise ConfigError(
                    f"keymap: {key} is bound to both {owner[0]} and {binding.id}",
                    subject=source,
                )
