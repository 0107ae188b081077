"""Import contract: ``tui.core.text`` is pure, so nothing in it may pull in I/O or the UI."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

FORBIDDEN = ("httpx", "sqlite3", "socket", "textual")

# Imports every module of the package in turn and names the first one that brings in a
# forbidden module, so a failure says where the dependency came from.
_PROBE = f"""
import importlib, pkgutil, sys
forbidden = {FORBIDDEN!r}
import tui.core.text as package
names = [package.__name__] + sorted(
    info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
)
for name in names:
    importlib.import_module(name)
    leaked = [m for m in forbidden if m in sys.modules]
    if leaked:
        print(name, ",".join(leaked))
        break
print(len(names), "modules")
"""


def test_text_imports_no_io_and_no_ui() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=REPO, capture_output=True, text=True, check=True
    )
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, lines
    assert int(lines[0].split()[0]) > 10  # the walk found the package's modules
