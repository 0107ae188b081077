"""Import contract: the UI reaches the cache and the network only through FeedService.

Checked on the source (every import statement under tui/ui, those inside functions and
``TYPE_CHECKING`` blocks too), not at run time: the app loads ``tui.core.feeds.fetch``
legitimately, through FeedService.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

UI = REPO / "tui" / "ui"
FORBIDDEN = ("tui.core.store", "tui.core.feeds.fetch")


def imported_modules(source: str, module: str) -> set[str]:
    """Every module ``source`` (the code of ``module``) imports, names included for
    ``from package import name`` since the name may be a module."""
    found: set[str] = set()
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def forbidden(modules: set[str]) -> list[str]:
    return sorted(m for m in modules for f in FORBIDDEN if m == f or m.startswith(f + "."))


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(REPO).with_suffix("").parts)


def test_the_ui_never_imports_the_store_or_the_fetcher() -> None:
    files = sorted(UI.rglob("*.py"))
    assert len(files) > 10
    breaches = {
        str(path.relative_to(REPO)): found
        for path in files
        if (found := forbidden(imported_modules(path.read_text("utf-8"), _module_name(path))))
    }
    assert breaches == {}


def test_the_check_sees_every_form_of_import() -> None:
    source = (
        "import tui.core.store.store\n"
        "from tui.core import store\n"
        "from tui.core.feeds import fetch\n"
        "def later():\n"
        "    from ..core.store.schema import x\n"
        "from tui.core.feeds.opml import read\n"
    )
    found = forbidden(imported_modules(source, "tui.ui.app"))
    assert found == [
        "tui.core.feeds.fetch",
        "tui.core.store",
        "tui.core.store.schema",
        "tui.core.store.schema.x",
        "tui.core.store.store",
    ]
