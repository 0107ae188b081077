"""The core/UI seam: the headless core never pulls in Textual."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_core_service_imports_without_textual() -> None:
    code = (
        "import sys, tui.core.service, tui.cli\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_importing_tui_does_nothing_else() -> None:
    code = "import sys, tui; print(sorted(m for m in sys.modules if m.startswith('tui')))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['tui']"
