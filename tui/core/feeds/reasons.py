"""One-line reasons for fetch failures, fit for a status bar: never a traceback, never a
server's text unchecked."""

from __future__ import annotations

import errno
import socket
import ssl

import httpx

from tui.core.text.sanitize import clean_line


def status_line(response: httpx.Response) -> str:
    # The standard phrase when there is one: the server's own is untrusted and often empty.
    status = response.status_code
    phrase = httpx.codes.get_reason_phrase(status) or clean_line(response.reason_phrase)[:60]
    return f"HTTP {status} {phrase}".rstrip()


def transport_reason(exc: BaseException, *, connect_timeout: float, read_timeout: float) -> str:
    """One line for a transport failure; the cause chain is searched for the OS-level error."""
    if isinstance(exc, httpx.ConnectTimeout):
        return f"connection timed out after {seconds(connect_timeout)}"
    if isinstance(exc, httpx.ReadTimeout):
        return f"no data for {seconds(read_timeout)}"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS error: {cause.verify_message or cause.reason or 'certificate rejected'}"
        if isinstance(cause, ssl.SSLError):
            short = (cause.reason or str(cause)).replace("_", " ").lower()
            return f"TLS error: {clean_line(short)[:80]}"
        if isinstance(cause, socket.gaierror):
            return "host not found"
        if isinstance(cause, OSError) and cause.errno in _ERRNO_REASONS:
            return _ERRNO_REASONS[cause.errno]
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, httpx.RemoteProtocolError):
        text = str(exc)
        if "incomplete" in text or "peer closed" in text:
            return "connection closed before the body was complete"
        if "without sending" in text or "disconnected" in text:
            return "server closed the connection without answering"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "not a web address"
    text = clean_line(str(exc))[:120]
    return text or exc.__class__.__name__


_ERRNO_REASONS = {
    errno.ECONNREFUSED: "connection refused",
    errno.ECONNRESET: "connection reset by the server",
    errno.ENETUNREACH: "network unreachable",
    errno.EHOSTUNREACH: "host unreachable",
    errno.ETIMEDOUT: "connection timed out",
}


def seconds(value: float) -> str:
    return f"{value:g} s"


def size_text(value: int) -> str:
    """10485760 -> "10 MiB", 1536 -> "1.5 KiB"."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if value >= scale:
            return f"{value / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{value} bytes"
