"""A reader started on a damaged cache says what it restored, or that it could not."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.support import frozen_clock, open_service, started, wait_for, write_opml
from tui.core.paths import resolve_paths
from tui.ui.app import ReaderApp


def toasts(app: ReaderApp) -> str:
    return "\n".join(str(t.render()) for t in app.screen.query("Toast"))


@pytest.mark.parametrize("with_backup", [True, False])
async def test_the_reader_says_what_recovery_did(tmp_path: Path, with_backup: bool) -> None:
    home = tmp_path / "home"
    with open_service(home) as service:
        if with_backup:
            service.import_subscriptions(
                write_opml(tmp_path / "subs.opml", [("A", "https://example.org/a")])
            )
    paths = resolve_paths(home)
    paths.database.write_bytes(b"not a database" * 100)
    if not with_backup:
        paths.opml_backup.unlink(missing_ok=True)
    with open_service(home) as service:
        app = ReaderApp(service, clock=frozen_clock)
        async with app.run_test(size=(200, 40), notifications=True) as pilot:
            await started(pilot)
            expected = "restored 1 subscription" if with_backup else "could not restore"
            await wait_for(pilot, lambda: expected in toasts(app))
            assert "the cache was damaged" in toasts(app)
