"""Drive a real terminal program in tmux: type keys, read the screen, wait on conditions."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest


def require_tmux() -> str:
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.skip("tmux is not installed (.ci/run installs it)")
    return tmux


class TmuxSession:
    """One detached tmux session with its own server socket, killed on exit."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        cwd: Path,
        width: int = 120,
        height: int = 40,
        env: dict[str, str] | None = None,
    ) -> None:
        self.tmux = require_tmux()
        self.socket = f"yuedu-test-{uuid.uuid4().hex[:8]}"
        self.name = "app"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        # pytest exports COLUMNS and LINES, and Textual would size itself by them.
        line = (
            f"unset COLUMNS LINES; cd {shlex.quote(str(cwd))} && "
            f"{exports} exec {shlex.join(command)}"
        )
        self._run(
            "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
            "bash", "-c", line,
        )  # fmt: skip
        self._run("set-option", "-t", self.name, "remain-on-exit", "on")

    def _run(self, *args: str) -> str:
        result = subprocess.run(
            [self.tmux, "-L", self.socket, *args], capture_output=True, text=True, timeout=10
        )
        if result.returncode != 0:
            raise RuntimeError(f"tmux {args[0]} failed: {result.stderr.strip()}")
        return result.stdout

    def send(self, *keys: str) -> None:
        for key in keys:
            self._run("send-keys", "-t", self.name, key)

    def screen(self) -> list[str]:
        return self._run("capture-pane", "-p", "-t", self.name).splitlines()

    def pipe_to(self, path: Path) -> None:
        """Record every byte the program writes to the terminal from now on."""
        self._run("pipe-pane", "-o", "-t", self.name, f"cat >> {shlex.quote(str(path))}")

    def dead(self) -> bool:
        out = self._run("display-message", "-p", "-t", self.name, "#{pane_dead}")
        return out.strip() == "1"

    def wait_until(
        self, predicate: Callable[[list[str]], bool], *, timeout: float = 30.0, what: str = ""
    ) -> list[str]:
        """Poll the screen until ``predicate`` holds; fail with the last screen if it never does."""
        deadline = time.monotonic() + timeout
        screen: list[str] = []
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.1)
        pytest.fail(f"timed out waiting for {what or 'the screen'}:\n" + "\n".join(screen))

    def wait_for_exit(self, *, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.dead():
                return
            time.sleep(0.1)
        pytest.fail("the program did not exit:\n" + "\n".join(self.screen()))

    def close(self) -> None:
        subprocess.run([self.tmux, "-L", self.socket, "kill-server"], capture_output=True)

    def __enter__(self) -> TmuxSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
