"""The wire side of the local feed server: one connection's requests read, responses written.

A response's body is framed by Content-Length, chunked, or by closing the connection (see
:class:`tui.demo.exchange.Response`); a body cut short, or a server stopping, ends the
connection instead of finishing the message.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler
from typing import Any, Literal, Protocol

from tui.demo.exchange import Request, Response, Waker, header_items

Framing = Literal["length", "chunked", "close"]


class Host(Waker, Protocol):
    """What a connection needs of its server."""

    latency: float

    def begin(self, request: Request) -> None: ...

    def answer(self, request: Request) -> Response: ...

    def end(self, request: Request) -> None: ...


class Connection(BaseHTTPRequestHandler):
    """One client connection: reads each request, asks the server for the response, sends it."""

    protocol_version = "HTTP/1.1"
    server: Host  # type: ignore[assignment]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._dispatch()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def _dispatch(self) -> None:
        server = self.server
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True  # request bodies are read by Content-Length only
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        request = Request(
            method=self.command,
            path=self.path,
            headers=self.headers,
            body=body,
            client=self.client_address,
            started=time.monotonic(),
            _conn=self.connection,
            _server=server,
        )
        server.begin(request)
        try:
            latency = server.latency
            if latency > 0 and not request.wait(latency):
                self.close_connection = True
                return
            response = server.answer(request)
            self._send(request, response)
        finally:
            server.end(request)

    def _send(self, request: Request, response: Response) -> None:
        if response.drop:
            self.close_connection = True
            return
        headers = header_items(response.headers)
        body = response.body
        pieces: Iterable[bytes]
        if isinstance(body, bytes | bytearray | memoryview):
            data = bytes(body)
            pieces = [data] if data else []
            declared: int | None = (
                response.content_length if response.content_length is not None else len(data)
            )
        else:
            pieces = body
            declared = response.content_length
        framing: Framing = (
            "length" if declared is not None else "close" if response.close else "chunked"
        )
        request.status = response.status
        self.send_response(response.status, response.reason)
        for name, value in headers:
            self.send_header(name, value)
        if framing == "length" and all(name.lower() != "content-length" for name, _ in headers):
            self.send_header("Content-Length", str(declared))
        elif framing == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
        if response.close or framing == "close":
            self.send_header("Connection", "close")
        try:
            self.end_headers()
            if self.command == "HEAD" or response.status in (204, 304):
                return
            finished = self._write_body(request, pieces, framing)
        except OSError:
            self.close_connection = True
            return
        finally:
            close = getattr(pieces, "close", None)
            if close is not None:
                close()  # run the generator's cleanup even when sending stopped early
        short = framing == "length" and declared != request.bytes_sent
        if not finished or not response.complete or short:
            self.close_connection = True
        elif framing == "chunked":
            self.wfile.write(b"0\r\n\r\n")

    def _write_body(self, request: Request, pieces: Iterable[bytes], framing: Framing) -> bool:
        server = self.server
        for piece in pieces:
            if server.stopping:
                return False
            if not piece:
                continue
            if framing == "chunked":
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            else:
                self.wfile.write(piece)
            request.bytes_sent += len(piece)
        return True
