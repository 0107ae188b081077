"""render: lay out an HTML or text file exactly as the reader does."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.commands.common import UsageError, on_config, width

if TYPE_CHECKING:
    from tui.commands.common import SubParsers
    from tui.core.config import Config


HELP_ORDER = 70
"""Where this module's commands stand in ``yuedu --help``."""


def register(sub: SubParsers) -> None:
    render = sub.add_parser("render", help="lay out an HTML or text file as the reader does")
    render.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="- reads stdin")
    render.add_argument("--width", type=int, metavar="N", help="wrap at N cells")
    on_config(render, _render)


def _render(config: Config, args: argparse.Namespace) -> int:
    from tui.core.text.layout import render_article, render_plain

    if args.file == "-":
        source = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    else:
        try:
            source = Path(args.file).read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            raise UsageError(f"yuedu: cannot read {args.file}: {exc.strerror}") from exc
    article = render_article(source, width(args.width), options=config.text.layout_options())
    print(render_plain(article.lines))
    return 0
