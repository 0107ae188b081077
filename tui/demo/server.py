"""The local feed server: a threaded HTTP/1.1 server on a loopback address and a free port.

The demo serves its bundled feeds with it, the benchmark its generated ones (from a child
process, over many loopback hosts), and the tests build hostile routes on it. Routes are
Python callables ``handler(request) -> Response`` (see :mod:`tui.demo.exchange`), matched on
the path without its query: exactly, or by prefix (the longest prefix wins).

Threads: one per connection. Anything that waits (latency, a slow handler) waits through
``Request.wait``, which returns as soon as the client disconnects or the server stops.
``stop()`` wakes every waiter, shuts every connection down and joins every thread; a thread
still alive after ``join_timeout`` makes ``stop()`` raise, so a stuck handler shows instead of
leaking. Handlers never write to stderr, so the server can run behind a full-screen app.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Self

from tui.demo.exchange import Handler, Request, Resource, Response
from tui.demo.wire import Connection

__all__ = ["FeedServer"]

_NOT_FOUND = Response(404, b"not found\n", {"Content-Type": "text/plain"})


class FeedServer:
    """A threaded HTTP/1.1 server on ``host`` at a free port; see the module docstring.

    ``latency``: seconds every request waits before its handler runs (settable later).
    ``keep_log``: keep every request for ``requests`` (tests); a long-running server does not.
    ``nodelay``: set TCP_NODELAY on accepted connections, so a small answer (a 304) does not
    wait for a delayed ACK. ``join_timeout``: how long ``stop()`` waits for handler threads
    before raising.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        latency: float = 0.0,
        keep_log: bool = True,
        nodelay: bool = True,
        join_timeout: float = 5.0,
    ) -> None:
        self.host = host
        self.keep_log = keep_log
        self.latency = latency
        self.nodelay = nodelay
        self.join_timeout = join_timeout
        self.errors: list[BaseException] = []
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._exact: dict[str, Handler] = {}
        self._prefixes: list[tuple[str, Handler]] = []
        self._log: list[Request] = []
        self._in_flight = 0
        self._peak = 0
        self._conns: set[socket.socket] = set()
        self._threads: set[threading.Thread] = set()
        self._stopping = threading.Event()
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        # Readable once stop() begins: every select() on it wakes.
        self._wake_r, self._wake_w = socket.socketpair()
        self.port = 0

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind a free port and start accepting. Returns self."""
        if self._listener is not None:
            raise RuntimeError("server already started")
        listener = socket.create_server((self.host, 0), backlog=512)
        listener.setblocking(False)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._accept_thread = threading.Thread(
            target=self._accept_loop, name=f"feed-server:{self.port}", daemon=True
        )
        self._accept_thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, wake every waiting handler, close every connection, join threads.

        Safe to call twice. Raises RuntimeError when a handler thread outlives
        ``join_timeout``.
        """
        if self._stopping.is_set():
            return
        self._stopping.set()
        if self._listener is None:  # never started
            self._wake_r.close()
            self._wake_w.close()
            return
        self._wake_w.send(b"x")
        if self._accept_thread is not None:
            self._accept_thread.join(self.join_timeout)
        self._listener.close()
        with self._lock:
            conns = list(self._conns)
            threads = list(self._threads)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        end = time.monotonic() + self.join_timeout
        for thread in threads:
            thread.join(max(0.0, end - time.monotonic()))
        alive = [thread.name for thread in threads if thread.is_alive()]
        self._wake_r.close()
        self._wake_w.close()
        if alive:
            raise RuntimeError(f"handler threads still running after stop(): {alive}")

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def stopping(self) -> bool:
        """True once ``stop()`` has begun."""
        return self._stopping.is_set()

    @property
    def wake_socket(self) -> socket.socket:
        """Readable once ``stop()`` has begun; ``Request.wait`` selects on it."""
        return self._wake_r

    # -- addresses ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT``, no trailing slash."""
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this server."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    # -- routes ------------------------------------------------------------------------------

    def route(self, path: str, handler: Handler, *, prefix: bool = False) -> str:
        """Answer requests for ``path`` (or every path under it) with ``handler``. Returns path."""
        with self._lock:
            if prefix:
                self._prefixes = [(p, h) for p, h in self._prefixes if p != path]
                self._prefixes.append((path, handler))
                self._prefixes.sort(key=lambda item: len(item[0]), reverse=True)
            else:
                self._exact[path] = handler
        return path

    def serve(self, path: str, resource: Resource) -> str:
        """Answer ``path`` with ``resource`` (304 when the validators match). Returns path."""
        return self.route(path, resource.respond)

    # -- what happened -----------------------------------------------------------------------

    @property
    def requests(self) -> list[Request]:
        """Every request so far, oldest first (a copy)."""
        with self._lock:
            return list(self._log)

    def requests_to(self, path: str) -> list[Request]:
        """The requests whose path, without the query, is ``path``."""
        return [r for r in self.requests if r.route_path == path]

    def clear_log(self) -> None:
        """Forget logged requests and reset ``peak_in_flight``."""
        with self._lock:
            self._log.clear()
            self._peak = self._in_flight

    @property
    def in_flight(self) -> int:
        """Requests read whose response is not finished."""
        with self._lock:
            return self._in_flight

    @property
    def peak_in_flight(self) -> int:
        """The most requests in flight at once since start or ``clear_log()``."""
        with self._lock:
            return self._peak

    def wait_for(self, predicate: Callable[[Self], bool], timeout: float = 5.0) -> None:
        """Block until ``predicate(server)`` holds, rechecked whenever a request starts or ends.

        Raises AssertionError after ``timeout`` seconds.
        """
        with self._changed:
            if not self._changed.wait_for(lambda: predicate(self), timeout):
                raise AssertionError(f"server condition not met within {timeout} s")

    # -- what a connection calls -------------------------------------------------------------

    def answer(self, request: Request) -> Response:
        """The response of the route that matches ``request``; a handler's error is a 500."""
        handler = self._find(request.route_path)
        if handler is None:
            return _NOT_FOUND
        try:
            return handler(request)
        except Exception as exc:
            self._record_error(exc)
            return Response(500, b"handler failed\n", {"Content-Type": "text/plain"})

    def begin(self, request: Request) -> None:
        """Log ``request`` and count it in flight."""
        with self._changed:
            if self.keep_log:
                self._log.append(request)
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)
            self._changed.notify_all()

    def end(self, request: Request) -> None:
        """Mark ``request`` finished, whether answered or abandoned."""
        with self._changed:
            request.finished = True
            request.ended = time.monotonic()
            self._in_flight -= 1
            self._changed.notify_all()

    # -- internals ---------------------------------------------------------------------------

    def _find(self, path: str) -> Handler | None:
        with self._lock:
            handler = self._exact.get(path)
            if handler is not None:
                return handler
            for prefix, candidate in self._prefixes:
                if path.startswith(prefix):
                    return candidate
        return None

    def _record_error(self, exc: BaseException) -> None:
        with self._lock:
            self.errors.append(exc)

    def _accept_loop(self) -> None:
        assert self._listener is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while not self._stopping.is_set():
                for key, _ in selector.select():
                    if key.fileobj is self._wake_r:
                        return
                    try:
                        conn, address = self._listener.accept()
                    except OSError:
                        continue
                    thread = threading.Thread(
                        target=self._serve_connection,
                        args=(conn, address),
                        name=f"feed-server:{self.port}:{address[1]}",
                        daemon=True,
                    )
                    with self._lock:
                        # Finished handlers leave the set here rather than on their own way
                        # out: one that left itself could still be running when stop() took
                        # the set to join.
                        self._threads = {t for t in self._threads if t.is_alive()}
                        self._conns.add(conn)
                        self._threads.add(thread)
                    thread.start()

    def _serve_connection(self, conn: socket.socket, address: tuple[str, int]) -> None:
        try:
            if self.nodelay:
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            Connection(conn, address, self)  # type: ignore[arg-type]
        except OSError:
            pass  # the client went away mid-request
        except Exception as exc:
            self._record_error(exc)
        finally:
            with self._lock:
                self._conns.discard(conn)
            conn.close()
