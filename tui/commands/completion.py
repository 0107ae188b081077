"""completion: a bash or zsh completion script generated from the parser itself."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tui.commands.common import on_paths

if TYPE_CHECKING:
    from tui.commands.common import SubParsers
    from tui.core.paths import Paths

SHELLS = ("bash", "zsh")


HELP_ORDER = 90
"""Where this module's commands stand in ``yuedu --help``."""


def register(sub: SubParsers) -> None:
    completion = sub.add_parser(
        "completion",
        help="print a shell completion script",
        description='Load it with: eval "$(yuedu completion bash)" (or zsh) in your shell rc.',
    )
    completion.add_argument("shell", choices=SHELLS, help="the shell to complete for")
    on_paths(completion, _completion)


def _completion(paths: Paths, args: argparse.Namespace) -> int:
    import shtab

    # The parser is built again here so the script always matches the commands installed.
    from tui.cli import build_parser

    parser = build_parser()
    _complete_paths(parser, shtab.FILE, shtab.DIRECTORY)
    print(shtab.complete(parser, shell=args.shell), end="")
    return 0


def _complete_paths(parser: argparse.ArgumentParser, file: object, folder: object) -> None:
    """Arguments that name a file or a folder complete as paths (shtab reads `.complete`)."""
    for action in parser._actions:
        if action.metavar in ("FILE", "FILE|-") or action.dest == "file":
            action.complete = file  # type: ignore[attr-defined]
        elif action.metavar == "DIR":
            action.complete = folder  # type: ignore[attr-defined]
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _complete_paths(child, file, folder)
