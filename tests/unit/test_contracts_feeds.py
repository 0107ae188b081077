"""Import contracts of tui.core.feeds: parsing and discovery do no I/O, so importing them
pulls in no HTTP client, no database, no sockets and no UI."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO

FORBIDDEN = ("httpx", "sqlite3", "socket", "textual")


def loaded_after_importing(*packages: str) -> list[str]:
    """Modules among FORBIDDEN (or below them) that importing ``packages`` and every module
    inside them loads, in a fresh interpreter."""
    code = (
        "import importlib, json, pkgutil, sys\n"
        f"for name in {packages!r}:\n"
        "    module = importlib.import_module(name)\n"
        "    for info in pkgutil.walk_packages(getattr(module, '__path__', []), name + '.'):\n"
        "        importlib.import_module(info.name)\n"
        f"forbidden = {FORBIDDEN!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in forbidden)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    found: list[str] = json.loads(result.stdout)
    return found


def test_parse_and_discover_import_no_network_database_or_ui() -> None:
    assert loaded_after_importing("tui.core.feeds.parse", "tui.core.feeds.discover") == []


def test_the_contract_sees_what_fetching_imports() -> None:
    # The check above would pass vacuously if it could not see an import at all.
    assert {"httpx", "socket"} <= set(loaded_after_importing("tui.core.feeds.fetch"))
