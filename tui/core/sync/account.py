"""The account to sync with, from ``[sync]`` and a password that is never stored.

The password is the first line ``password_command`` prints (as newsboat's
``*-passwordeval``), else ``YUEDU_SYNC_PASSWORD``. Errors say which of the two failed and
never quote what the command printed.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping

from tui.core.config import SyncConfig
from tui.core.errors import ConfigError
from tui.core.sync.base import Account

PASSWORD_VARIABLE = "YUEDU_SYNC_PASSWORD"
_COMMAND_SECONDS = 60.0
"""Long enough to type a passphrase into a pinentry the command opens."""


def account(sync: SyncConfig, environ: Mapping[str, str] | None = None) -> Account:
    """The account ``[sync]`` names; raises ConfigError (one line) when sync is off or no
    password can be had."""
    env = os.environ if environ is None else environ
    if not sync.enabled:
        raise ConfigError(
            "sync is not set up: add [sync] with service, url and user to config.toml"
        )
    if not sync.user and sync.service != "miniflux":  # Miniflux: no user, an API token
        raise ConfigError("sync.user is not set")
    return Account(sync.service, sync.url, sync.user, _password(sync, env))


def _password(sync: SyncConfig, env: Mapping[str, str]) -> str:
    if sync.password_command:
        try:
            done = subprocess.run(
                sync.password_command,
                shell=True,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=_COMMAND_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            reason = "timed out" if isinstance(exc, subprocess.TimeoutExpired) else "cannot run"
            raise ConfigError(f"sync.password_command {reason}") from None
        if done.returncode != 0:
            raise ConfigError(f"sync.password_command failed (exit {done.returncode})")
        first = done.stdout.decode("utf-8", "replace").splitlines()
        if not first or not first[0]:
            raise ConfigError("sync.password_command printed no password")
        return first[0]
    password = env.get(PASSWORD_VARIABLE, "")
    if not password:
        raise ConfigError(f"no sync password: set sync.password_command or {PASSWORD_VARIABLE}")
    return password
