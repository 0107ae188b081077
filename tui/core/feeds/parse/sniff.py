"""What kind of body a download is, from its first bytes: a feed, a web page or binary data."""

from __future__ import annotations

import re

HTML_TYPES = ("text/html", "application/xhtml+xml")
# Whitespace, processing instructions, comments and a doctype (group 1: its root name).
# Possessive: giving back part of a long doctype name or its tail can never let it match.
_PROLOG = re.compile(
    rb"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!doctype\s+([\w:.-]++)[^\[>]*+(?:\[.*?\])?\s*>)*",
    re.DOTALL | re.IGNORECASE,
)
_ROOT = re.compile(rb"<(?:[\w.-]+:)?([A-Za-z][\w.-]*)")
_HTML_ROOTS = frozenset({b"html", b"head", b"body"})
_FEED_ROOTS = frozenset({b"rss", b"feed", b"rdf", b"channel"})
_BINARY_MAGIC = (
    b"\x1f\x8b",
    b"PK\x03\x04",
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\x00\x00\x01\x00",
)
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_UNICODE_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<", b"\x00\x00")


def root_kind(body: bytes) -> str | None:
    """ "html" or "feed" when the document element (or the doctype) says so, else None."""
    head = body[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
        codec = "utf-16-be" if head[0] in (0x00, 0xFE) else "utf-16-le"
        head = head.decode(codec, "ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf")
    prolog = _PROLOG.match(head)
    doctype = (prolog.group(1) or b"").lower() if prolog else b""
    element = _ROOT.match(head, prolog.end() if prolog else 0)
    name = element.group(1).lower() if element else doctype
    if name in _HTML_ROOTS:
        return "html"
    if name in _FEED_ROOTS:
        return "feed"
    return "html" if doctype == b"html" else None


def looks_binary(body: bytes) -> bool:
    if body.startswith(_BINARY_MAGIC):
        return True
    if body.startswith(_UNICODE_MARKS):
        return False
    head = body[:1024]
    return len(_BINARY_BYTES.findall(head)) > max(4, len(head) // 20)


def mime_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()
