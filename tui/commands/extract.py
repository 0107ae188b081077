"""extract: the article of a saved web page as plain text."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.commands.common import on_config
from tui.core.errors import ExtractError

if TYPE_CHECKING:
    from tui.commands.common import SubParsers
    from tui.core.config import Config

# Relative links in a page read from a file resolve against this when no --url is given.
_NO_URL = "http://localhost/"


HELP_ORDER = 60
"""Where this module's commands stand in ``yuedu --help``."""


def register(sub: SubParsers) -> None:
    extract = sub.add_parser("extract", help="print the article of a saved web page")
    extract.add_argument("file", metavar="FILE|-", help="a saved page, or - for stdin")
    extract.add_argument("--url", metavar="URL", help="where the page came from")
    on_config(extract, _extract)


def _extract(config: Config, args: argparse.Namespace) -> int:
    from tui.core.text.extract import MAX_PAGE_BYTES, article_plain_text, extract_article

    url = args.url or _NO_URL
    try:
        if args.file == "-":
            # One byte past the cap is enough to refuse the page as too big.
            body = sys.stdin.buffer.read(MAX_PAGE_BYTES + 1)
        else:
            with Path(args.file).open("rb") as page:
                body = page.read(MAX_PAGE_BYTES + 1)
    except OSError as exc:
        raise ExtractError(f"cannot read the file ({exc.strerror})", subject=args.file) from None
    try:
        article = extract_article(body, url)
    except ExtractError as exc:
        # The user knows the page by the name they gave, not by the placeholder URL.
        raise ExtractError(exc.reason, subject=args.url or _source(args.file)) from None
    sys.stdout.write(article_plain_text(article))
    return 0


def _source(file: str) -> str:
    return "stdin" if file == "-" else file
