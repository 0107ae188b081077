"""paths: where the config, the cache and the OPML backup live."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tui.commands.common import on_paths, print_json

if TYPE_CHECKING:
    from tui.commands.common import SubParsers
    from tui.core.paths import Paths


HELP_ORDER = 80
"""Where this module's commands stand in ``yuedu --help``."""


def register(sub: SubParsers) -> None:
    paths = sub.add_parser("paths", help="print where the config, cache and OPML backup live")
    paths.add_argument("--json", action="store_true", help='print {"config", "cache", "backup"}')
    on_paths(paths, _paths)


def _paths(paths: Paths, args: argparse.Namespace) -> int:
    where = {
        "config": str(paths.config_file),
        "cache": str(paths.database),
        "backup": str(paths.opml_backup),
    }
    if args.json:
        print_json(where)
        return 0
    for name, path in where.items():
        print(f"{name:<7} {path}")
    return 0
