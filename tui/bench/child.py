"""Run a figure's measurement in a fresh interpreter: JSON in on stdin, JSON out on stdout.

A fresh process per measurement keeps one figure's imports, caches and garbage out of
the next one's numbers, and lets the TUI figures own their event loop.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import tui

RESULT_MARK = "@@bench-result@@ "
SOURCE_ROOT = Path(tui.__file__).resolve().parent.parent
"""The folder that holds the ``tui`` package: child processes import this very code."""


def python_env() -> dict[str, str]:
    """The environment for a child ``python -m tui…``, wherever the benchmark was started."""
    env = dict(os.environ)
    path = env.get("PYTHONPATH", "")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SOURCE_ROOT), path) if p)
    return env


def run_child(module: str, args: Mapping[str, Any], *, timeout: float = 600) -> Any:
    """Run ``python -m module`` with ``args``; return what its ``serve`` printed."""
    done = subprocess.run(
        [sys.executable, "-m", module],
        input=json.dumps(args),
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK) :])
    output = (done.stderr or done.stdout).strip()
    sys.stderr.write(output[-6000:] + "\n")
    last = output.splitlines()[-1] if output else f"exit status {done.returncode}"
    raise RuntimeError(f"{module}: {last}")


def serve(measure: Callable[[dict[str, Any]], Any]) -> int:
    """The child side: read the arguments, measure, print the result on a marked line."""
    args = json.loads(sys.stdin.read() or "{}")
    result = measure(args)
    sys.stdout.write(RESULT_MARK + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0
