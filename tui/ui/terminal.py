"""Handing the terminal to another program (a text-mode browser, a player, a pager) and back."""

from __future__ import annotations

import subprocess
from typing import Any

from textual.app import App, SuspendNotSupported

from tui.ui.browser import BrowserError


def run_suspended(app: App[Any], argv: list[str], *, stdin: bytes | None = None) -> int:
    """Run ``argv`` (no shell) with the reader suspended and wait for it; its exit status.

    Where the terminal cannot be handed over (a headless or web driver) the program runs
    without one. Raises BrowserError with one line when it cannot be started.
    """
    try:
        with app.suspend():
            return _run(argv, stdin, attached=True)
    except SuspendNotSupported:
        return _run(argv, stdin, attached=False)


def _run(argv: list[str], stdin: bytes | None, *, attached: bool) -> int:
    output = None if attached else subprocess.DEVNULL
    try:
        if stdin is not None:
            return subprocess.run(argv, input=stdin, stdout=output, stderr=output).returncode
        source = None if attached else subprocess.DEVNULL
        return subprocess.run(argv, stdin=source, stdout=output, stderr=output).returncode
    except OSError as exc:
        raise BrowserError(f"cannot start {argv[0]} ({exc.strerror or exc})") from exc
