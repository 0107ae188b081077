"""The benchmark's feeds on the local feed server (:mod:`tui.demo.server`), with latency.

Feeds are spread over several loopback addresses (127.0.1.1, 127.0.1.2, ...) as real
subscriptions are spread over many sites, so a per-host connection limit behaves as it
would on the internet. Every request waits ``latency`` seconds before it is answered.

Run it as a process (``python -m tui.bench.server``) so that serving never competes with
the measured code for a GIL: :class:`ServerProcess` does that and reads the stats back. The
process lowers its own priority (``NICENESS``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import urllib.request
from collections import Counter
from collections.abc import Sequence
from email.utils import format_datetime
from typing import Any

from tui.bench.fixtures import feed_items, feed_specs, feed_xml
from tui.demo.exchange import Request, Resource, Response
from tui.demo.server import FeedServer

CONTROL_PREFIX = "/_bench/"
NICENESS = 10
"""The server's niceness: as yuedu's parser workers, below the measured command itself, so
that on a machine of two cores serving takes what the command leaves (about 0.6 s of CPU
in a cold refresh of 500 feeds)."""


class Stats:
    """Responses by status; the benchmark checks that a second refresh is all 304s."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status: Counter[int] = Counter()
        self._bytes = 0

    def record(self, status: int, sent: int) -> None:
        with self._lock:
            self._status[status] += 1
            self._bytes += sent

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"status": {str(k): v for k, v in self._status.items()}, "bytes": self._bytes}

    def reset(self) -> None:
        with self._lock:
            self._status.clear()
            self._bytes = 0


def loopback_hosts(count: int) -> list[str]:
    """``count`` bindable loopback addresses; just 127.0.0.1 where 127/8 is not all loopback."""
    hosts = [f"127.0.1.{i}" for i in range(1, max(1, min(count, 250)) + 1)]
    try:
        with socket.socket() as probe:
            probe.bind((hosts[-1], 0))
    except OSError:
        return ["127.0.0.1"]
    return hosts


class BenchServer:
    """Serves ``resources`` on every host; ``url(i, path)`` spreads paths over the hosts."""

    def __init__(self, resources: dict[str, Resource], *, latency: float, hosts: int) -> None:
        self.stats = Stats()
        self.resources = resources
        self._servers = [
            FeedServer(host=host, latency=latency, keep_log=False).start()
            for host in loopback_hosts(hosts)
        ]
        for server in self._servers:
            server.route("/", self._feed, prefix=True)
        self._servers[0].route(CONTROL_PREFIX, self._control, prefix=True)

    def url(self, index: int, path: str) -> str:
        return self._servers[index % len(self._servers)].url(path)

    @property
    def control_url(self) -> str:
        return self.url(0, CONTROL_PREFIX)

    def stop(self) -> None:
        for server in self._servers:
            server.stop()

    def _feed(self, request: Request) -> Response:
        resource = self.resources.get(request.route_path)
        if resource is None:
            response = Response(404, b"not found", {"Content-Type": "text/plain"})
        else:
            response = resource.respond(request)
        sent = response.body if isinstance(response.body, bytes) else b""
        self.stats.record(response.status, len(sent))
        return response

    def _control(self, request: Request) -> Response:
        if request.route_path == CONTROL_PREFIX + "reset":
            self.stats.reset()
        body = json.dumps(self.stats.snapshot()).encode()
        return Response(200, body, {"Content-Type": "application/json"})


def build_feed_server(
    feeds: int, items: int, *, latency: float, hosts: int, seed: int = 0
) -> tuple[BenchServer, list[tuple[str, str]]]:
    """A started server of generated feeds and their (url, title) list."""
    resources: dict[str, Resource] = {}
    specs = feed_specs(feeds, seed)
    server = BenchServer(resources, latency=latency, hosts=hosts)
    listing = []
    for spec in specs:
        generated = feed_items(spec, items, seed)
        url = server.url(spec.index, spec.path)
        newest = generated[0].published if generated else None
        modified = (
            format_datetime(newest, usegmt=True) if newest else "Sun, 01 Jun 2025 00:00:00 GMT"
        )
        body = feed_xml(spec, generated, self_url=url)
        # Gzipped once here, so that serving costs no compression.
        resources[spec.path] = Resource(
            body, content_type=spec.content_type, last_modified=modified, encodings=("gzip",)
        )
        listing.append((url, spec.title))
    return server, listing


class ServerProcess:
    """``python -m tui.bench.server`` as a child process; it stops when this closes."""

    def __init__(
        self, feeds: int, items: int, *, latency: float, hosts: int, seed: int = 0
    ) -> None:
        argv = [
            sys.executable, "-m", "tui.bench.server",
            "--feeds", str(feeds), "--items", str(items),
            "--latency-ms", str(latency * 1000), "--hosts", str(hosts), "--seed", str(seed),
        ]  # fmt: skip
        from tui.bench.child import python_env

        self._proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=python_env()
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            self._proc.wait()
            raise RuntimeError("the feed server did not start")
        ready = json.loads(line)
        self.feeds: list[tuple[str, str]] = [tuple(f) for f in ready["feeds"]]
        self.control_url: str = ready["control"]
        self.xml_bytes: int = ready["xml_bytes"]
        self.gzip_bytes: int = ready["gzip_bytes"]
        self.hosts: int = ready["hosts"]

    def stats(self) -> dict[str, Any]:
        return self._call("stats")

    def reset(self) -> dict[str, Any]:
        return self._call("reset")

    def _call(self, what: str) -> dict[str, Any]:
        with urllib.request.urlopen(self.control_url + what, timeout=10) as response:
            data: dict[str, Any] = json.loads(response.read())
            return data

    def close(self) -> None:
        if self._proc.poll() is None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui.bench.server")
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    server, listing = build_feed_server(
        args.feeds, args.items, latency=args.latency_ms / 1000, hosts=args.hosts, seed=args.seed
    )
    ready = {
        "feeds": listing,
        "control": server.control_url,
        "xml_bytes": sum(len(r.body) for r in server.resources.values()),
        "gzip_bytes": sum(len(r.encoded["gzip"]) for r in server.resources.values()),
        "hosts": len(loopback_hosts(args.hosts)),
    }
    sys.stdout.write(json.dumps(ready, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    # Serve until the parent closes our stdin (or dies).
    sys.stdin.read()
    server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
