"""Shared test setup: no test ever touches the real user's config or cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"

# Dates in lists and snapshots are shown in local time: pin it.
os.environ["TZ"] = "UTC"
if hasattr(__import__("time"), "tzset"):
    __import__("time").tzset()


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("YUEDU_HOME", str(home / "yuedu"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("BROWSER", raising=False)


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus of real feeds and articles (../shared/corpus beside the repo)."""
    if not CORPUS.is_dir():
        pytest.fail(f"corpus not found at {CORPUS}: the repo must sit beside shared/")
    return CORPUS
