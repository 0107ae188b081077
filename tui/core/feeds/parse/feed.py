"""Turn a downloaded body into a ParsedFeed: RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed.

``parse_feed`` is the entry point: XML goes to the fast path (``parse.fast``) or feedparser
and through the field cleaning here and in ``parse.fields``; JSON goes to ``parse.jsonfeed``.
Pure functions, no I/O; safe to run in a process pool (``parse_feed`` is top level and its
result is plain frozen dataclasses). Everything in a feed is hostile: every text field goes
through ``strip_controls`` (titles, names and tags through ``clean_line``, and cut to 1000
characters), every link through ``safe_url``.

``content`` and ``summary`` of an entry are always HTML: a feed's plain text is escaped and
its blank-line paragraphs wrapped in ``<p>``, so a reader of these fields never has to
guess which of the two it holds.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import partial
from typing import Any

from tui.core.errors import ParseError
from tui.core.feeds.discover import is_web_page
from tui.core.feeds.encoding import decode_document
from tui.core.feeds.parse.fast import FastFeed, read_feed
from tui.core.feeds.parse.fields import (
    as_html,
    enclosure_length,
    one_line,
    plausible_date,
    title_from,
    unique,
)
from tui.core.feeds.parse.jsonfeed import parse_json_feed
from tui.core.feeds.parse.sniff import looks_binary, mime_type, root_kind
from tui.core.models import Enclosure, ParsedEntry, ParsedFeed
from tui.core.text.html.visible import visible_text
from tui.core.text.sanitize import clean_line, join_url, safe_url, strip_controls

__all__ = ["parse_feed", "parse_feed_slow"]

_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*>")
# Possessive zeros: a run of digits with no ";" is one scan, not one per way of splitting it.
_CHAR_REF = re.compile(r"&#(?:[xX]0*+([0-9a-fA-F]{4,}+)|0*+([0-9]{5,}+));")
_SURROGATES = re.compile("[\ud800-\udfff]")
# base="..." and base='...': xml:base (or base) attributes, some of which urllib may refuse.
# A literal first, so that re skips to each "base"; each value is one class run, so a
# value left open costs one scan, never a backtrack per character.
_BASE_ATTRIBUTE = re.compile(r"""base\s*=\s*("[^"<]*"|'[^'<]*')""")
_NAME_CHAR = re.compile(r"[\w:.-]")
# "email (Name)". The first "@" from the second character on: trying every "@" of a long
# word in turn is quadratic, and any of them gives the same name.
_EMAIL_AND_NAME = re.compile(r"^\S[^\s@]*@\S+\s*\((.+)\)$", re.DOTALL)


def parse_feed(
    body: bytes, *, url: str, content_type: str | None = None, now: datetime | None = None
) -> ParsedFeed:
    """Parse a response body into a feed.

    Raises ParseError (subject ``url``) with a one-line reason: "empty response", "not a
    feed (HTML page)", "not a feed (binary data)", "not a feed (invalid JSON)" or "not a
    feed (<short cause>)". A feed with no entries is valid. Dates are aware UTC; a date
    before 1970 or more than a day after ``now`` becomes None.

    Well-formed RSS 2.0, RSS 1.0 and Atom 1.0 are read by ``tui.core.feeds.parse.fast``, which
    gives what feedparser gives; everything else, and anything it doubts, by feedparser.
    """
    return _parse(body, url=url, content_type=content_type, now=now, fast=True)


def parse_feed_slow(
    body: bytes, *, url: str, content_type: str | None = None, now: datetime | None = None
) -> ParsedFeed:
    """``parse_feed`` with feedparser alone: the reference the fast path is checked against."""
    return _parse(body, url=url, content_type=content_type, now=now, fast=False)


def _parse(
    body: bytes, *, url: str, content_type: str | None, now: datetime | None, fast: bool
) -> ParsedFeed:
    now = now or datetime.now(UTC)
    if not body.strip():
        raise ParseError("empty response", subject=url)
    if looks_binary(body):
        raise ParseError("not a feed (binary data)", subject=url)
    first = body[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if first in (b"{", b"[") or (first != b"<" and mime_type(content_type).endswith("json")):
        return parse_json_feed(body, url=url, content_type=content_type, now=now)
    if root_kind(body) == "html":
        raise ParseError("not a feed (HTML page)", subject=url)
    text, encoding = decode_document(body, content_type)
    # feedparser re-detects encodings from bytes and garbles CP932, CP949 and undeclared
    # CJK: both readers get the decoded text, without a declaration to second-guess it.
    text = _XML_DECLARATION.sub("", text.lstrip(), count=1)
    # feedparser's fallback parser calls chr() on character references and crashes on
    # surrogates and numbers past U+10FFFF; those become U+FFFD first.
    text = _CHAR_REF.sub(_checked_char_ref, text)
    if "base" in text:
        text = _BASE_ATTRIBUTE.sub(_splittable_base, text)
    found = read_feed(text) if fast else None
    if found is None:
        found = _feedparser(body, text, url=url, content_type=content_type)
    return _xml_feed(*found, text=text, encoding=encoding, url=url, now=now)


# --- XML feeds via feedparser -----------------------------------------------------------


def _feedparser(body: bytes, text: str, *, url: str, content_type: str | None) -> FastFeed:
    """feedparser's (version, feed, entries) for the decoded text of a feed."""
    # Imported on first use: feedparser imports urllib.request (and with it socket, ssl
    # and http.client) to fetch URLs, which this module never asks it to do. Worker
    # processes preload it (tui.core.refresh.pool).
    import feedparser

    data = b'<?xml version="1.0" encoding="utf-8"?>' + text.encode("utf-8")
    headers = {"content-type": "application/xml; charset=utf-8"}
    try:
        # A stream, never bytes or str: feedparser treats those as a path or URL to open.
        parsed = feedparser.parse(
            io.BytesIO(data),
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as error:  # hostile input must end as a ParseError, whatever breaks
        raise ParseError(f"not a feed ({type(error).__name__})", subject=url) from None
    version = parsed.get("version") or ""
    raw_entries = parsed.get("entries") or []
    if not version and not raw_entries:
        if is_web_page(body, content_type):
            raise ParseError("not a feed (HTML page)", subject=url)
        raise ParseError(f"not a feed ({_cause(parsed)})", subject=url)
    return version, parsed.get("feed") or {}, raw_entries


def _xml_feed(
    version: str,
    info: dict[str, Any],
    raw_entries: list[dict[str, Any]],
    *,
    text: str,
    encoding: str,
    url: str,
    now: datetime,
) -> ParsedFeed:
    """A ParsedFeed from feedparser's dicts, or the fast path's dicts of the same shape."""
    feed_author = _person(info)
    entries = tuple(
        _xml_entry(e, url=url, feed_author=feed_author, now=now)
        for e in raw_entries
        if isinstance(e, dict)
    )
    return ParsedFeed(
        title=_title(info),
        site_link=safe_url(_text(dict.get(info, "link")), join_url(url, _base(info)) or url) or "",
        entries=entries,
        kind=_kind(version, text),
        encoding=encoding,
    )


def _enclosures(e: dict[str, Any], base: str) -> tuple[Enclosure, ...]:
    """RSS <enclosure>, Atom rel="enclosure" links, then Media RSS media:content; one per URL."""
    found: dict[str, Enclosure] = {}
    candidates = [
        (dict.get(item, "href"), dict.get(item, "type"), dict.get(item, "length"))
        for item in _dicts(dict.get(e, "links"))
        if dict.get(item, "rel") == "enclosure"
    ]
    candidates += [
        (dict.get(item, "url"), dict.get(item, "type"), dict.get(item, "filesize"))
        for item in _dicts(dict.get(e, "media_content"))
    ]
    for href, mime, length in candidates:
        link = safe_url(href, base)
        if link and link not in found:
            found[link] = Enclosure(link, one_line(mime), enclosure_length(length))
    return tuple(found.values())


def _checked_char_ref(match: re.Match[str]) -> str:
    digits = match.group(1) or match.group(2)
    if len(digits) > 7:  # past U+10FFFF either way, and int() refuses 4,300 decimal digits
        return "&#xFFFD;"
    code = int(digits, 16) if match.group(1) else int(digits)
    return match.group() if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "&#xFFFD;"


def _splittable_base(match: re.Match[str]) -> str:
    """An xml:base urllib cannot split emptied: both readers then keep the base around it.

    Left in, it joined with every link under it into "" (feedparser's _urljoin on
    "Invalid IPv6 URL"): one bad base cost every link of the feed.
    """
    before = match.string[max(0, match.start() - 4) : match.start()]
    is_attribute = before == "xml:" or not _NAME_CHAR.fullmatch(before[-1:] or " ")
    value = match.group(1)[1:-1]
    if not is_attribute or ("[" not in value and "]" not in value):
        return match.group()
    if join_url(value, "x") is not None:
        return match.group()
    return match.group()[: match.start(1) - match.start()] + "''"


def _xml_entry(e: dict[str, Any], *, url: str, feed_author: str, now: datetime) -> ParsedEntry:
    # dict.get, not FeedParserDict.get: that one maps "updated_parsed" to the published
    # date with a DeprecationWarning, and its key aliasing costs a tenth of the parse.
    get = partial(dict.get, e)
    # A broken xml:base costs the relative links under it, not the entry.
    base = join_url(url, _base(e)) or url
    summary_type = dict.get(_dict(get("summary_detail")), "type")
    summary = as_html(_text(get("summary")), summary_type)
    content = summary
    content_items = [c for c in _dicts(get("content")) if dict.get(c, "value")]
    if content_items:
        best = next(
            (c for c in content_items if "html" in (dict.get(c, "type") or "")), content_items[0]
        )
        value, mime = dict.get(best, "value"), dict.get(best, "type")
        if (value, mime) != (get("summary"), summary_type):  # feedparser copies one to the other
            content = as_html(value, mime)
    tags = (one_line(dict.get(t, "term") or dict.get(t, "label")) for t in _dicts(get("tags")))
    return ParsedEntry(
        guid=strip_controls(str(get("id") or "")).strip() or None,
        link=safe_url(_text(get("link")), base),
        title=_title(e) or title_from(summary or content),
        author=_person(e) or feed_author,
        published=plausible_date(get("published_parsed") or get("created_parsed"), now),
        updated=plausible_date(get("updated_parsed"), now),
        summary=summary,
        content=content,
        enclosures=_enclosures(e, base),
        categories=unique(tags),
    )


def _base(element: dict[str, Any]) -> str:
    """The xml:base feedparser saw on an element; it may be relative to the feed URL."""
    for key in ("title_detail", "summary_detail", "subtitle_detail"):
        base = dict.get(_dict(dict.get(element, key)), "base")
        if base:
            return str(base)
    return ""


def _title(info: dict[str, Any]) -> str:
    detail_type = dict.get(_dict(dict.get(info, "title_detail")), "type") or ""
    title = _text(dict.get(info, "title"))
    return one_line(visible_text(title) if "html" in detail_type else title)


def _person(info: dict[str, Any]) -> str:
    """The author line: every named author, first to last."""
    raw = _text(dict.get(info, "author"))
    # RSS writes "email (Name)"; feedparser's split of that cuts long domains in two.
    raw = raw.strip()
    # Without the final ")" every "(" would be tried against the rest of the line.
    match = _EMAIL_AND_NAME.match(raw) if raw.endswith(")") else None
    if match:
        return one_line(match.group(1))
    names = (one_line(dict.get(a, "name")) for a in _dicts(dict.get(info, "authors")))
    return one_line(", ".join(unique(names))) or one_line(raw)


def _dict(value: Any) -> dict[str, Any]:
    # An element feedparser has no handler for is stored under its own name: a feed can
    # put a string where a dict or a list of dicts is expected ("<links>x</links>").
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _kind(version: str, text: str) -> str:
    if version.startswith("atom"):
        return "atom"
    if version in ("rss090", "rss10"):
        return "rdf"
    if version:
        return "rss"
    head = text[:4096]
    return "atom" if "<feed" in head else "rdf" if "<rdf:RDF" in head else "rss"


def _cause(parsed: Mapping[str, Any]) -> str:
    error = parsed.get("bozo_exception")
    if error is None:
        return "no RSS, Atom or RDF root element"
    message = getattr(error, "getMessage", lambda: str(error))()
    line = getattr(error, "getLineNumber", lambda: None)()
    detail = clean_line(str(message))[:80]
    return f"XML error: {detail}, line {line}" if line else f"XML error: {detail}"
