"""One real tt-rss per test session (per xdist worker), on its own PostgreSQL cluster.

Where tt-rss is missing: under CI as root it is installed (``.ci/install-ttrss``); under
CI otherwise the tests fail, since a CI run must exercise them; elsewhere they skip, saying
why.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from tests.conftest import REPO
from tui.bench.ttrss_server import ADMIN_PASSWORD, TtrssServer, ttrss_unavailable
from tui.core.sync.base import Account

INSTALL = REPO / ".ci" / "install-ttrss"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def ttrss() -> Iterator[TtrssServer]:
    reason = ttrss_unavailable()
    if reason is not None and _in_ci() and os.geteuid() == 0:
        subprocess.run([str(INSTALL)], check=True)
        reason = ttrss_unavailable()
    if reason is not None:
        if _in_ci():
            pytest.fail(f"tt-rss is needed under CI: {reason}")
        pytest.skip(reason)
    with TtrssServer() as server:
        yield server


@pytest.fixture
def account(ttrss: TtrssServer) -> Account:
    """The admin account, API enabled."""
    return Account("ttrss", ttrss.url, "admin", ADMIN_PASSWORD)
