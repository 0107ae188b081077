"""A throwaway PostgreSQL cluster in a directory, and the account its processes run as.

PostgreSQL refuses to run as root, so under root the cluster (and whatever else a caller
starts through ``ServiceUser``) runs as the ``postgres`` user; otherwise as ourselves. The
server is our own child, not ``pg_ctl``'s daemon, so that ``stop()`` reaps it.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

PG_ROOT = Path("/usr/lib/postgresql")
SERVICE_USER = "postgres"
DB_USER = "postgres"
START_SECONDS = 60.0
# A cluster thrown away after the run: durability only costs time.
_FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c timezone=UTC"


def pg_bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin directory."""
    found = sorted(
        (p.parent for p in PG_ROOT.glob("*/bin/initdb")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    return found[-1] if found else None


def reachable_temp_dir() -> Path:
    """A temporary folder the service user can reach: the usual one, unless one of its
    folders is closed to others (pytest's, when run as root), then /tmp."""
    base = Path(tempfile.gettempdir()).resolve()
    if os.geteuid() != 0 or all(p.stat().st_mode & 0o001 for p in (base, *base.parents)):
        return base
    return Path("/tmp")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def log_tail(path: Path) -> str:
    """The last line of a log, for a one-line reason."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return "no log"
    return lines[-1].strip() if lines else "no output"


class ServiceUser:
    """Runs children as ``postgres`` under root, else as ourselves."""

    def __init__(self) -> None:
        self.ids: tuple[int, int] | None = None
        if os.geteuid() == 0:
            # Without the user, initdb's own refusal of root says what is wrong.
            with contextlib.suppress(KeyError):
                entry = pwd.getpwnam(SERVICE_USER)
                self.ids = entry.pw_uid, entry.pw_gid

    def popen_args(self) -> dict[str, Any]:
        """``subprocess`` arguments that run a child as this user."""
        if self.ids is None:
            return {}
        return {"user": self.ids[0], "group": self.ids[1], "extra_groups": []}

    def run(self, argv: list[str], cwd: Path) -> None:
        """Run ``argv`` to its end; RuntimeError with its last line of output if it fails."""
        done = subprocess.run(
            argv, stdin=subprocess.DEVNULL, capture_output=True, cwd=cwd, **self.popen_args()
        )
        if done.returncode != 0:
            output = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
            last = output.splitlines()[-1] if output else f"exit {done.returncode}"
            raise RuntimeError(f"{Path(argv[0]).name} failed: {last}")

    def own(self, path: Path, *, recursive: bool = False) -> None:
        """Give ``path`` (and everything under it) to this user."""
        if self.ids is None:
            return
        uid, gid = self.ids
        os.chown(path, uid, gid)
        if recursive:
            for parent, dirs, files in os.walk(path):
                for name in dirs + files:
                    os.chown(os.path.join(parent, name), uid, gid, follow_symlinks=False)


class PgCluster:
    """A cluster under ``root`` (which ``user`` must own): socket in ``root/run``, TCP on
    127.0.0.1:``port`` with a password nobody knows, so only the socket lets anyone in."""

    def __init__(self, root: Path, user: ServiceUser) -> None:
        self.root = root
        self.port = 0
        self._user = user
        self._postgres: subprocess.Popen[bytes] | None = None

    @property
    def socket_dir(self) -> Path:
        return self.root / "run"

    @property
    def data_dir(self) -> Path:
        return self.root / "pgdata"

    def bin(self, name: str) -> str:
        bin_dir = pg_bin_dir()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed")
        return str(bin_dir / name)

    def connection(self) -> list[str]:
        """The client options (``-h``, ``-p``, ``-U``) that reach this cluster."""
        return ["-h", str(self.socket_dir), "-p", str(self.port), "-U", DB_USER]

    def start(self, database: str) -> None:
        """initdb, start the server, wait until it answers, create ``database``."""
        self.socket_dir.mkdir(mode=0o700)
        self._user.own(self.socket_dir)
        password_file = self.root / "pgpass"
        password_file.write_text(secrets.token_hex(16) + "\n", encoding="utf-8")
        self._user.own(password_file)
        initdb = [self.bin("initdb"), "-D", str(self.data_dir), "-U", DB_USER, "-E", "UTF8"]
        initdb += ["--auth-local=trust", "--auth-host=scram-sha-256", "--locale=C"]
        self._user.run([*initdb, f"--pwfile={password_file}", "--no-sync"], self.root)
        password_file.unlink()
        self.port = free_port()
        server = [self.bin("postgres"), "-D", str(self.data_dir), "-p", str(self.port)]
        server += ["-k", str(self.socket_dir), "-c", "listen_addresses=127.0.0.1"]
        with (self.root / "postgres.log").open("ab") as log:
            self._postgres = subprocess.Popen(
                [*server, *_FAST.split()],
                cwd=self.root,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
                **self._user.popen_args(),
            )
        self._wait_until_ready(self._postgres)
        self._user.run([self.bin("createdb"), *self.connection(), database], self.root)

    def stop(self) -> None:
        """Fast shutdown (sessions ended, nothing kept); safe to call twice."""
        postgres, self._postgres = self._postgres, None
        if postgres is None:
            return
        if postgres.poll() is None:
            pg_ctl = [self.bin("pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"]
            self._user.run(pg_ctl, self.root)
        postgres.wait(timeout=START_SECONDS)

    def _wait_until_ready(self, postgres: subprocess.Popen[bytes]) -> None:
        ready = [self.bin("pg_isready"), "-q", *self.connection()]
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if postgres.poll() is not None:
                raise RuntimeError(f"postgres exited: {log_tail(self.root / 'postgres.log')}")
            if subprocess.run(ready, check=False).returncode == 0:
                return
            time.sleep(0.02)
        raise RuntimeError(f"postgres did not start in {START_SECONDS:.0f} s")
