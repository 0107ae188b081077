"""Import contracts of the headless core, each checked in a fresh interpreter.

The core never loads Textual; the store is a layer under the fetcher, not beside it;
config loads no engine until it is asked for engine options.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import tui.core
from tests.conftest import REPO

CORE_MODULES = sorted(m.name for m in pkgutil.walk_packages(tui.core.__path__, "tui.core."))


def loaded_after_import(module: str, watched: tuple[str, ...]) -> list[str]:
    """Which of ``watched`` (or their submodules) importing ``module`` alone loads."""
    code = (
        f"import sys, {module}\n"
        f"watched = {watched!r}\n"
        "print(','.join(sorted({w for w in watched for m in sys.modules "
        "if m == w or m.startswith(w + '.')})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    return [name for name in result.stdout.strip().split(",") if name]


def test_no_core_module_imports_textual() -> None:
    # One interpreter for all of them: an import anywhere in the core shows up here.
    assert "tui.core.service" in CORE_MODULES and "tui.core.refresh.pipeline" in CORE_MODULES
    assert loaded_after_import(", ".join(CORE_MODULES), ("textual",)) == []


@pytest.mark.parametrize("module", ["tui.core.service", "tui.cli"])
def test_the_service_and_the_cli_load_without_textual(module: str) -> None:
    assert loaded_after_import(module, ("textual",)) == []


@pytest.mark.parametrize("module", ["tui.core.store", "tui.core.refresh.ingest"])
def test_the_store_and_the_ingest_job_never_load_the_fetcher(module: str) -> None:
    assert loaded_after_import(module, ("httpx", "tui.core.feeds.fetch", "textual")) == []


def test_config_loads_the_engines_only_when_asked_for_their_options() -> None:
    engines = ("httpx", "tui.core.feeds", "tui.core.text.layout", "tui.core.text.breaker")
    assert loaded_after_import("tui.core.config, tui.core.urls", engines) == []
