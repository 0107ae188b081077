"""A private Tiny Tiny RSS: Debian's ``tt-rss`` on its own PostgreSQL cluster, served by php.

Used by the sync tests and by ``python -m tui.bench``. Everything lives in one temporary
directory: the cluster (:mod:`tui.bench.pg_cluster`), a copy of tt-rss's web root with its
own ``config.php`` (this tt-rss reads its settings only from ``config.php`` constants, and
Debian's is a symlink into /etc), caches and logs. ``stop()`` ends php and the cluster and
removes the directory. Under root, php runs as ``postgres`` too: a web application has no
business running as root.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from tui.bench.pg_cluster import (
    DB_USER,
    SERVICE_USER,
    START_SECONDS,
    PgCluster,
    ServiceUser,
    free_port,
    log_tail,
    pg_bin_dir,
    reachable_temp_dir,
)
from tui.bench.ttrss_tables import ADMIN_PASSWORD, Psql, TtrssTables

TTRSS_ROOT = Path("/usr/share/tt-rss")
WEB_ROOT = TTRSS_ROOT / "www"
SCHEMA = TTRSS_ROOT / "schema" / "ttrss_schema_pgsql.sql"
DB_NAME = "ttrss"
PHP_WORKERS = 4
"""Requests served at once (``PHP_CLI_SERVER_WORKERS``)."""

__all__ = ["ADMIN_PASSWORD", "TtrssServer", "ttrss_unavailable"]


def ttrss_unavailable() -> str | None:
    """Why tt-rss cannot run on this machine, or None when it can."""
    if not (WEB_ROOT / "api" / "index.php").is_file() or not SCHEMA.is_file():
        return f"tt-rss is not installed (no {WEB_ROOT}/api/index.php)"
    if shutil.which("php") is None:
        return "php is not installed (php-cli)"
    if pg_bin_dir() is None:
        return "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)"
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
        self.root = Path(tempfile.mkdtemp(prefix="yuedu-ttrss-", dir=reachable_temp_dir()))
        self.port = 0
        self._user = ServiceUser()
        self._cluster = PgCluster(self.root, self._user)
        self._php: subprocess.Popen[bytes] | None = None
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
            self._user.own(self.root)
            self._cluster.start(DB_NAME)
            psql = Psql([self._cluster.bin("psql"), *self._cluster.connection(), "-d", DB_NAME])
            psql.run(SCHEMA.read_text(encoding="utf-8"))
            self._tables = TtrssTables(psql)
            self._tables.prepare_admin()
            self.port = free_port()
            self._install_web_root()
            self.start_php()
        except BaseException:
            self.stop()
            raise

    def stop_php(self) -> None:
        """Stop serving, keeping the database: requests now fail to connect."""
        php, self._php = self._php, None
        if php is None:
            return
        # SIGINT to the whole group: each worker ends its loop and the server reaps them
        # before it exits. (SIGTERM kills the server first, and its workers are left for
        # init to reap, which not every container's init does.)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(php.pid, signal.SIGINT)
        try:
            php.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(php.pid, signal.SIGKILL)
            php.wait()

    def start_php(self) -> None:
        """Serve (again, on the same port, after ``stop_php``)."""
        if self._php is not None:
            return
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PHP_CLI_SERVER_WORKERS": str(PHP_WORKERS),
            "LANG": "C.UTF-8",
        }
        with (self.root / "php.log").open("ab") as log:
            self._php = subprocess.Popen(
                ["php", "-S", f"127.0.0.1:{self.port}", "-t", str(self._web_dir)],
                cwd=self._web_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
                **self._user.popen_args(),
            )
        self._wait_for_port(self._php)

    def stop(self) -> None:
        """End php and PostgreSQL and remove the directory; safe to call twice."""
        self.stop_php()
        self._cluster.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def _web_dir(self) -> Path:
        return self.root / "www"

    def _install_web_root(self) -> None:
        ignore = shutil.ignore_patterns("config.php", "locale")
        shutil.copytree(WEB_ROOT, self._web_dir, symlinks=False, ignore=ignore)
        (self._web_dir / "locale").symlink_to(WEB_ROOT / "locale")
        for sub in ("cache/images", "cache/upload", "cache/export", "lock", "icons"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        (self._web_dir / "config.php").write_text(self._config_php(), encoding="utf-8")
        for path in (self._web_dir, self.root / "cache", self.root / "lock", self.root / "icons"):
            self._user.own(path, recursive=True)

    def _config_php(self) -> str:
        settings: dict[str, str | int | bool] = {
            "DB_TYPE": "pgsql",
            "DB_HOST": str(self._cluster.socket_dir),
            "DB_PORT": str(self._cluster.port),
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
                raise RuntimeError(f"php exited at start: {log_tail(self.root / 'php.log')}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1),
            ):
                return
            time.sleep(0.02)
        raise RuntimeError(f"php did not answer on port {self.port} in {START_SECONDS:.0f} s")


def _php_value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
