"""A local feed server: conditional GET (ETag, Last-Modified, 304), gzip, and latency.

Feeds are spread over several loopback addresses (127.0.1.1, 127.0.1.2, ...) as real
subscriptions are spread over many sites, so a per-host connection limit behaves as it
would on the internet. Every request sleeps ``latency`` seconds before it is answered.

Run it as a process (``python -m tui.bench.server``) so that serving never competes with
the measured code for a GIL: :class:`ServerProcess` does that and reads the stats back.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tui.bench.fixtures import feed_items, feed_specs, feed_xml

CONTROL_PREFIX = "/_bench/"


@dataclass(frozen=True, slots=True)
class Resource:
    body: bytes
    gzipped: bytes
    etag: str
    last_modified: str
    content_type: str


def make_resource(body: bytes, content_type: str, last_modified: str) -> Resource:
    etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
    return Resource(body, gzip.compress(body, 6, mtime=0), etag, last_modified, content_type)


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


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(
        self, address: tuple[str, int], resources: dict[str, Resource], stats: Stats, latency: float
    ) -> None:
        super().__init__(address, _Handler)
        self.resources = resources
        self.stats = stats
        self.latency = latency

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, addr = super().get_request()
        # Small responses (a 304) must not wait for Nagle's delayed-ACK dance.
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn, addr


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.startswith(CONTROL_PREFIX):
            self._control()
            return
        time.sleep(self.server.latency)
        resource = self.server.resources.get(self.path.split("?", 1)[0])
        if resource is None:
            self._send(404, b"not found", {"Content-Type": "text/plain"})
            return
        validators = {"ETag": resource.etag, "Last-Modified": resource.last_modified}
        if self._not_modified(resource):
            self._send(304, b"", validators)
            return
        headers = {"Content-Type": resource.content_type, "Vary": "Accept-Encoding", **validators}
        body = resource.body
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            body = resource.gzipped
            headers["Content-Encoding"] = "gzip"
        self._send(200, body, headers)

    def _not_modified(self, resource: Resource) -> bool:
        tags = self.headers.get("If-None-Match")
        if tags is not None:
            wanted = {t.strip().removeprefix("W/") for t in tags.split(",")}
            return resource.etag in wanted or "*" in wanted
        since = self.headers.get("If-Modified-Since")
        if since is None:
            return False
        try:
            return parsedate_to_datetime(since) >= parsedate_to_datetime(resource.last_modified)
        except (TypeError, ValueError):
            return False

    def _control(self) -> None:
        stats = self.server.stats
        if self.path == CONTROL_PREFIX + "reset":
            stats.reset()
        body = json.dumps(stats.snapshot()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)
        self.server.stats.record(status, len(body))


def loopback_hosts(count: int) -> list[str]:
    """``count`` bindable loopback addresses; just 127.0.0.1 where 127/8 is not all loopback."""
    hosts = [f"127.0.1.{i}" for i in range(1, max(1, min(count, 250)) + 1)]
    try:
        with socket.socket() as probe:
            probe.bind((hosts[-1], 0))
    except OSError:
        return ["127.0.0.1"]
    return hosts


class FeedServer:
    """Serves ``resources`` on every host; ``url(i, path)`` spreads paths over the hosts."""

    def __init__(self, resources: dict[str, Resource], *, latency: float, hosts: int) -> None:
        self.stats = Stats()
        self.resources = resources
        self._servers = [
            _Server((host, 0), resources, self.stats, latency) for host in loopback_hosts(hosts)
        ]
        self._threads: list[threading.Thread] = []

    def start(self) -> FeedServer:
        for server in self._servers:
            thread = threading.Thread(target=server.serve_forever, args=(0.2,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def url(self, index: int, path: str) -> str:
        host, port = self._servers[index % len(self._servers)].server_address[:2]
        return f"http://{host!s}:{port}{path}"

    @property
    def control_url(self) -> str:
        return self.url(0, CONTROL_PREFIX)

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()


def build_feed_server(
    feeds: int, items: int, *, latency: float, hosts: int, seed: int = 0
) -> tuple[FeedServer, list[tuple[str, str]]]:
    """A started server of generated feeds and their (url, title) list."""
    resources: dict[str, Resource] = {}
    specs = feed_specs(feeds, seed)
    server = FeedServer(resources, latency=latency, hosts=hosts)
    listing = []
    for spec in specs:
        generated = feed_items(spec, items, seed)
        url = server.url(spec.index, spec.path)
        newest = generated[0].published if generated else None
        modified = (
            format_datetime(newest, usegmt=True) if newest else "Sun, 01 Jun 2025 00:00:00 GMT"
        )
        body = feed_xml(spec, generated, self_url=url)
        resources[spec.path] = make_resource(body, spec.content_type, modified)
        listing.append((url, spec.title))
    return server.start(), listing


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
    server, listing = build_feed_server(
        args.feeds, args.items, latency=args.latency_ms / 1000, hosts=args.hosts, seed=args.seed
    )
    ready = {
        "feeds": listing,
        "control": server.control_url,
        "xml_bytes": sum(len(r.body) for r in server.resources.values()),
        "gzip_bytes": sum(len(r.gzipped) for r in server.resources.values()),
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
