"""A private Tiny Tiny RSS: Debian's ``tt-rss`` on its own PostgreSQL cluster, served by php.

Used by the sync tests and by ``python -m tui.bench``. Everything lives in one temporary
directory: the cluster (unix socket there, TCP on 127.0.0.1), a copy of tt-rss's web root
with its own ``config.php`` (this tt-rss reads its settings only from ``config.php``
constants, and Debian's is a symlink into /etc), caches and logs. ``stop()`` ends php and
the cluster and removes the directory.

PostgreSQL refuses to run as root, so under root both the cluster and php run as the
``postgres`` user (php too: a web application has no business running as root).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from tui.bench.ttrss_tables import ADMIN_PASSWORD, Psql, TtrssTables

TTRSS_ROOT = Path("/usr/share/tt-rss")
WEB_ROOT = TTRSS_ROOT / "www"
SCHEMA = TTRSS_ROOT / "schema" / "ttrss_schema_pgsql.sql"
PG_ROOT = Path("/usr/lib/postgresql")
SERVICE_USER = "postgres"
DB_NAME = "ttrss"
DB_USER = "postgres"
PHP_WORKERS = 4
"""Requests served at once (``PHP_CLI_SERVER_WORKERS``)."""
START_SECONDS = 60.0

__all__ = ["ADMIN_PASSWORD", "TtrssServer", "free_port", "ttrss_unavailable"]


def ttrss_unavailable() -> str | None:
    """Why tt-rss cannot run on this machine, or None when it can."""
    if not (WEB_ROOT / "api" / "index.php").is_file() or not SCHEMA.is_file():
        return f"tt-rss is not installed (no {WEB_ROOT}/api/index.php)"
    if shutil.which("php") is None:
        return "php is not installed (php-cli)"
    if _pg_bin() is None:
        return f"PostgreSQL is not installed (no {PG_ROOT}/*/bin/initdb)"
    if shutil.which("psql") is None:
        return "psql is not installed (postgresql-client)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVICE_USER)
        except KeyError:
            return f"running as root and there is no {SERVICE_USER!r} user to run PostgreSQL"
    modules = subprocess.run(["php", "-m"], capture_output=True, text=True, check=False)
    if "pdo_pgsql" not in modules.stdout.split():
        return "php has no pdo_pgsql module (php-pgsql)"
    return None


class TtrssServer:
    """``with TtrssServer() as server: server.api_url, server.tables.add_feed(...)``.

    The user ``admin`` (password ``ADMIN_PASSWORD``) exists with API access enabled.
    """

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="yuedu-ttrss-"))
        self.port = 0
        self.pg_port = 0
        self._account = _service_account()
        self._php: subprocess.Popen[bytes] | None = None
        self._postgres: subprocess.Popen[bytes] | None = None
        self._tables: TtrssTables | None = None

    @property
    def url(self) -> str:
        """tt-rss's own address (its ``SELF_URL_PATH``)."""
        return f"http://127.0.0.1:{self.port}/"

    @property
    def api_url(self) -> str:
        return self.url + "api/"

    @property
    def tables(self) -> TtrssTables:
        """Seed and inspect tt-rss's tables directly."""
        if self._tables is None:
            raise RuntimeError("TtrssServer is not started")
        return self._tables

    def __enter__(self) -> TtrssServer:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Create the cluster and the database, then serve tt-rss; raises RuntimeError with
        the reason (and stops whatever had started) when any step fails."""
        reason = ttrss_unavailable()
        if reason is not None:
            raise RuntimeError(reason)
        try:
            self._chown(self.root)
            self._start_postgres()
            psql = Psql(self._pg_bin("psql"), self._socket_dir, self.pg_port, DB_USER, DB_NAME)
            psql.run(SCHEMA.read_text(encoding="utf-8"))
            self._tables = TtrssTables(psql)
            self._tables.prepare_admin()
            self._start_php()
        except BaseException:
            self.stop()
            raise

    def stop_php(self) -> None:
        """Stop serving, keeping the database: requests now fail to connect."""
        self._stop_php()

    def start_php(self) -> None:
        """Serve again, on the same port, after ``stop_php``."""
        if self._php is None:
            self._start_php()

    def stop(self) -> None:
        """End php and PostgreSQL and remove the directory; safe to call twice."""
        self._stop_php()
        postgres, self._postgres = self._postgres, None
        if postgres is not None:
            if postgres.poll() is None:
                self._run(
                    [self._pg_bin("pg_ctl"), "-D", str(self._data_dir), "-m", "fast", "-w", "stop"]
                )
            postgres.wait(timeout=START_SECONDS)
        shutil.rmtree(self.root, ignore_errors=True)

    # -- PostgreSQL ------------------------------------------------------------------------

    @property
    def _data_dir(self) -> Path:
        return self.root / "pgdata"

    @property
    def _socket_dir(self) -> Path:
        return self.root / "run"

    def _pg_bin(self, name: str) -> str:
        bin_dir = _pg_bin()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed")
        return str(bin_dir / name)

    def _start_postgres(self) -> None:
        self._socket_dir.mkdir(mode=0o700)
        self._chown(self._socket_dir)
        password_file = self.root / "pgpass"
        # TCP logins need a password nobody else knows; the socket, in a directory only the
        # service user can enter, needs none.
        password_file.write_text(secrets.token_hex(16) + "\n", encoding="utf-8")
        self._chown(password_file)
        self._run(
            [
                self._pg_bin("initdb"),
                "-D",
                str(self._data_dir),
                "-U",
                DB_USER,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                f"--pwfile={password_file}",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
        password_file.unlink()
        self.pg_port = free_port()
        log = (self.root / "postgres.log").open("ab")
        with log:
            # Our own child rather than pg_ctl's daemon, so that stop() can reap it.
            self._postgres = subprocess.Popen(
                [
                    self._pg_bin("postgres"),
                    "-D",
                    str(self._data_dir),
                    "-p",
                    str(self.pg_port),
                    "-k",
                    str(self._socket_dir),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "timezone=UTC",
                    # A throwaway cluster: durability only costs time.
                    "-c",
                    "fsync=off",
                    "-c",
                    "synchronous_commit=off",
                    "-c",
                    "full_page_writes=off",
                ],
                cwd=self.root,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
                **self._as_service(),
            )
        self._wait_for_postgres(self._postgres)
        self._run(
            [
                self._pg_bin("createdb"),
                "-h",
                str(self._socket_dir),
                "-p",
                str(self.pg_port),
                "-U",
                DB_USER,
                "-E",
                "UTF8",
                DB_NAME,
            ]
        )

    # -- php -------------------------------------------------------------------------------

    def _start_php(self) -> None:
        if self.port == 0:
            self.port = free_port()
            self._install_web_root()
        log = (self.root / "php.log").open("ab")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PHP_CLI_SERVER_WORKERS": str(PHP_WORKERS),
            "LANG": "C.UTF-8",
        }
        with log:
            self._php = subprocess.Popen(
                ["php", "-S", f"127.0.0.1:{self.port}", "-t", str(self._web_dir)],
                cwd=self._web_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
                **self._as_service(),
            )
        self._wait_for_port(self._php)

    def _stop_php(self) -> None:
        php, self._php = self._php, None
        if php is None:
            return
        # The workers are the server's children, in its process group: end them all.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(php.pid, signal.SIGTERM)
        try:
            php.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(php.pid, signal.SIGKILL)
            php.wait()

    @property
    def _web_dir(self) -> Path:
        return self.root / "www"

    def _install_web_root(self) -> None:
        shutil.copytree(
            WEB_ROOT,
            self._web_dir,
            symlinks=False,
            ignore=shutil.ignore_patterns("config.php", "locale"),
        )
        (self._web_dir / "locale").symlink_to(WEB_ROOT / "locale")
        for sub in ("cache/images", "cache/upload", "cache/export", "lock", "icons"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        (self._web_dir / "config.php").write_text(self._config_php(), encoding="utf-8")
        for path in [self._web_dir, self.root / "cache", self.root / "lock", self.root / "icons"]:
            self._chown(path, recursive=True)

    def _config_php(self) -> str:
        settings: dict[str, str | int | bool] = {
            "DB_TYPE": "pgsql",
            "DB_HOST": str(self._socket_dir),
            "DB_PORT": str(self.pg_port),
            "DB_USER": DB_USER,
            "DB_NAME": DB_NAME,
            "DB_PASS": "",
            "MYSQL_CHARSET": "UTF8",
            "SELF_URL_PATH": self.url,
            "SINGLE_USER_MODE": False,
            "SIMPLE_UPDATE_MODE": False,
            "PHP_EXECUTABLE": shutil.which("php") or "/usr/bin/php",
            "LOCK_DIRECTORY": str(self.root / "lock"),
            "CACHE_DIR": str(self.root / "cache"),
            "ICONS_DIR": str(self.root / "icons"),
            "ICONS_URL": "icons",
            "AUTH_AUTO_CREATE": False,
            "AUTH_AUTO_LOGIN": False,
            "FORCE_ARTICLE_PURGE": 0,
            "ENABLE_REGISTRATION": False,
            "REG_NOTIFY_ADDRESS": "nobody@localhost",
            "REG_MAX_USERS": 10,
            "SESSION_COOKIE_LIFETIME": 86400,
            "SMTP_FROM_NAME": "Tiny Tiny RSS",
            "SMTP_FROM_ADDRESS": "nobody@localhost",
            "DIGEST_SUBJECT": "digest",
            "CHECK_FOR_UPDATES": False,
            "ENABLE_GZIP_OUTPUT": False,
            "PLUGINS": "auth_internal",
            "LOG_DESTINATION": "",
            "CONFIG_VERSION": 26,
        }
        lines = [f"\tdefine('{name}', {_php_value(value)});" for name, value in settings.items()]
        return "<?php\n" + "\n".join(lines) + "\n"

    def _wait_for_port(self, php: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if php.poll() is not None:
                raise RuntimeError(f"php exited at start ({self._log_tail('php.log')})")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1),
            ):
                return
            time.sleep(0.02)
        raise RuntimeError(f"php did not answer on port {self.port} in {START_SECONDS:.0f} s")

    # -- helpers ---------------------------------------------------------------------------

    def _run(self, argv: list[str]) -> None:
        done = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
            cwd=self.root,
            **self._as_service(),
        )
        if done.returncode != 0:
            output = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
            last = output.splitlines()[-1] if output else f"exit {done.returncode}"
            raise RuntimeError(f"{Path(argv[0]).name} failed: {last}")

    def _as_service(self) -> dict[str, Any]:
        """Popen's arguments that run a child as the service account (under root)."""
        if self._account is None:
            return {}
        return {"user": self._account[0], "group": self._account[1], "extra_groups": []}

    def _wait_for_postgres(self, postgres: subprocess.Popen[bytes]) -> None:
        ready = [self._pg_bin("pg_isready"), "-q", "-h", str(self._socket_dir)]
        ready += ["-p", str(self.pg_port), "-U", DB_USER]
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if postgres.poll() is not None:
                raise RuntimeError(f"postgres exited at start ({self._log_tail('postgres.log')})")
            if subprocess.run(ready, check=False).returncode == 0:
                return
            time.sleep(0.02)
        raise RuntimeError(f"postgres did not start in {START_SECONDS:.0f} s")

    def _chown(self, path: Path, *, recursive: bool = False) -> None:
        if self._account is None:
            return
        uid, gid = self._account
        os.chown(path, uid, gid)
        if recursive:
            for parent, dirs, files in os.walk(path):
                for name in dirs + files:
                    os.chown(os.path.join(parent, name), uid, gid, follow_symlinks=False)

    def _log_tail(self, name: str) -> str:
        try:
            lines = (self.root / name).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return "no log"
        return lines[-1].strip() if lines else "no output"


def _service_account() -> tuple[int, int] | None:
    """The uid and gid to run PostgreSQL and php as: ``postgres`` under root, else us."""
    if os.geteuid() != 0:
        return None
    entry = pwd.getpwnam(SERVICE_USER)
    return entry.pw_uid, entry.pw_gid


def _pg_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory."""
    found = sorted(
        (p.parent for p in PG_ROOT.glob("*/bin/initdb")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    return found[-1] if found else None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _php_value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
