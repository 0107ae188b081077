"""Start-up seams: importing tui does nothing, and a headless refresh loads no parser.

The core's import contracts are in test_contracts_core.py."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_importing_tui_does_nothing_else() -> None:
    code = "import sys, tui; print(sorted(m for m in sys.modules if m.startswith('tui')))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['tui']"


def test_the_main_process_does_not_load_the_parser_or_layout_to_refresh() -> None:
    # Start-up time of `yuedu refresh` counts against every refresh; parsing happens in
    # the worker processes and layout only when an article is shown.
    code = (
        "import sys, tui.cli, tui.core.service\n"
        "lazy = ('feedparser', 'tui.core.feeds.parse.feed', 'tui.core.text.layout')\n"
        "print(sorted(m for m in lazy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
