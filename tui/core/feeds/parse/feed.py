"""Turn a downloaded body into a ParsedFeed: RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed.

Pure functions, no I/O; safe to run in a process pool (``parse_feed`` is top level and its
result is plain frozen dataclasses). Everything in a feed is hostile: every text field goes
through ``strip_controls`` (titles, names and tags through ``clean_line``, and cut to 1000
characters), every link through ``safe_url``.

``content`` and ``summary`` of an entry are always HTML: a feed's plain text is escaped and
its blank-line paragraphs wrapped in ``<p>``, so a reader of these fields never has to
guess which of the two it holds.
"""

from __future__ import annotations

import html
import io
import json
import re
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import partial
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import feedparser

from tui.core.errors import ParseError
from tui.core.feeds.encoding import decode_body
from tui.core.feeds.parse.fast import read_feed
from tui.core.models import Enclosure, ParsedEntry, ParsedFeed
from tui.core.text.html.visible import visible_text
from tui.core.text.sanitize import clean_line, safe_url, strip_controls

__all__ = ["decode_body", "find_feed_links", "looks_like_html", "parse_feed", "parse_feed_slow"]

_FEED_TYPES = {
    "application/atom+xml": 0,
    "application/rss+xml": 0,
    "application/rdf+xml": 1,
    "application/feed+json": 2,
    "application/json": 3,
}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# Whitespace, processing instructions, comments and a doctype (group 1: its root name).
_PROLOG = re.compile(
    rb"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!doctype\s+([\w:.-]+)[^\[>]*(?:\[.*?\])?\s*>)*",
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
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*>")
_CHAR_REF = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{4,})|0*([0-9]{5,}));")
_SURROGATES = re.compile("[\ud800-\udfff]")
_EMAIL_AND_NAME = re.compile(r"^\S+@\S+\s*\((.+)\)$")
_PARAGRAPHS = re.compile(r"\n\s*\n")
_TITLE_CUT = 100
# A title, a name or a tag is one line: a megabyte of one would be stored, indexed and
# measured by every list that shows it.
_LINE_MAX = 1000
_FUTURE_SLACK = timedelta(days=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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
    if _looks_binary(body):
        raise ParseError("not a feed (binary data)", subject=url)
    first = body[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if first in (b"{", b"[") or (first != b"<" and _mime(content_type).endswith("json")):
        return _parse_json(body, url=url, content_type=content_type, now=now)
    if _root(body) == "html":
        raise ParseError("not a feed (HTML page)", subject=url)
    text, encoding = decode_body(body, content_type)
    # feedparser re-detects encodings from bytes and garbles CP932, CP949 and undeclared
    # CJK: both readers get the decoded text, without a declaration to second-guess it.
    text = _XML_DECLARATION.sub("", text.lstrip(), count=1)
    # feedparser's fallback parser calls chr() on character references and crashes on
    # surrogates and numbers past U+10FFFF; those become U+FFFD first.
    text = _CHAR_REF.sub(_checked_char_ref, text)
    found = read_feed(text) if fast else None
    if found is None:
        found = _feedparser(body, text, url=url, content_type=content_type)
    return _xml_feed(*found, text=text, encoding=encoding, url=url, now=now)


def looks_like_html(body: bytes, content_type: str | None) -> bool:
    """Whether a body is a web page rather than a feed: an HTML root, or served as HTML
    with no RSS, Atom or RDF root in sight."""
    root = _root(body)
    return root == "html" or (root is None and _mime(content_type) in _HTML_TYPES)


def _root(body: bytes) -> str | None:
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


def find_feed_links(body: bytes, *, base_url: str, content_type: str | None = None) -> list[str]:
    """The feeds an HTML page advertises with ``<link rel="alternate" type=...>``.

    Absolute http(s) URLs, resolved against ``<base href>`` and ``base_url``; Atom and RSS
    before JSON, otherwise in page order, without duplicates.
    """
    text, _ = decode_body(body[: 2 << 20], content_type)
    finder = _LinkFinder()
    try:
        finder.feed(text)
        finder.close()
    except (AssertionError, ValueError):  # html.parser on pathological markup
        pass
    base = safe_url(finder.base, base_url) or base_url
    ranked: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    for index, (rank, href) in enumerate(finder.links):
        link = safe_url(href, base)
        if link and link not in seen:
            seen.add(link)
            ranked.append((rank, index, link))
    return [link for _, _, link in sorted(ranked)]


class _LinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "base" and self.base is None and values.get("href"):
            self.base = values["href"]
        elif tag == "link" and "alternate" in values.get("rel", "").lower().split():
            rank = _FEED_TYPES.get(_mime(values.get("type")))
            if rank is not None and values.get("href"):
                self.links.append((rank, values["href"]))

    handle_startendtag = handle_starttag


# --- XML feeds via feedparser -----------------------------------------------------------


def _feedparser(
    body: bytes, text: str, *, url: str, content_type: str | None
) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    """feedparser's (version, feed, entries) for the decoded text of a feed."""
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
        if looks_like_html(body, content_type):
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
        site_link=safe_url(_text(dict.get(info, "link")), urljoin(url, _base(info))) or "",
        entries=entries,
        kind=_kind(version, text),
        encoding=encoding,
    )


def _checked_char_ref(match: re.Match[str]) -> str:
    digits = match.group(1) or match.group(2)
    code = int(digits, 16) if match.group(1) else int(digits)
    return match.group() if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "&#xFFFD;"


def _xml_entry(e: dict[str, Any], *, url: str, feed_author: str, now: datetime) -> ParsedEntry:
    # dict.get, not FeedParserDict.get: that one maps "updated_parsed" to the published
    # date with a DeprecationWarning, and its key aliasing costs a tenth of the parse.
    get = partial(dict.get, e)
    base = urljoin(url, _base(e))
    summary_type = dict.get(_dict(get("summary_detail")), "type")
    summary = _html(_text(get("summary")), summary_type)
    content = summary
    content_items = [c for c in _dicts(get("content")) if dict.get(c, "value")]
    if content_items:
        best = next(
            (c for c in content_items if "html" in (dict.get(c, "type") or "")), content_items[0]
        )
        value, mime = dict.get(best, "value"), dict.get(best, "type")
        if (value, mime) != (get("summary"), summary_type):  # feedparser copies one to the other
            content = _html(value, mime)
    enclosures: dict[str, Enclosure] = {}
    for item in _dicts(get("links")):
        if dict.get(item, "rel") != "enclosure":
            continue
        link = safe_url(dict.get(item, "href"), base)
        if link and link not in enclosures:
            mime = _line(dict.get(item, "type"))
            enclosures[link] = Enclosure(link, mime, _length(dict.get(item, "length")))
    tags = (_line(dict.get(t, "term") or dict.get(t, "label")) for t in _dicts(get("tags")))
    return ParsedEntry(
        guid=strip_controls(str(get("id") or "")).strip() or None,
        link=safe_url(_text(get("link")), base),
        title=_title(e) or _title_from(summary or content),
        author=_person(e) or feed_author,
        published=_date(get("published_parsed") or get("created_parsed"), now),
        updated=_date(get("updated_parsed"), now),
        summary=summary,
        content=content,
        enclosures=tuple(enclosures.values()),
        categories=_unique(tags),
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
    return _line(visible_text(title) if "html" in detail_type else title)


def _person(info: dict[str, Any]) -> str:
    """The author line: every named author, first to last."""
    raw = _text(dict.get(info, "author"))
    # RSS writes "email (Name)"; feedparser's split of that cuts long domains in two.
    match = _EMAIL_AND_NAME.match(raw.strip())
    if match:
        return _line(match.group(1))
    names = (_line(dict.get(a, "name")) for a in _dicts(dict.get(info, "authors")))
    return _line(", ".join(_unique(names))) or _line(raw)


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


def _looks_binary(body: bytes) -> bool:
    if body.startswith(_BINARY_MAGIC):
        return True
    if body.startswith(_UNICODE_MARKS):
        return False
    head = body[:1024]
    return len(_BINARY_BYTES.findall(head)) > max(4, len(head) // 20)


# --- JSON Feed and RSS-in-JSON --------------------------------------------------------


def _parse_json(body: bytes, *, url: str, content_type: str | None, now: datetime) -> ParsedFeed:
    text, encoding = decode_body(body, content_type)
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        raise ParseError("not a feed (invalid JSON)", subject=url) from None
    if isinstance(doc, dict) and isinstance(doc.get("rss"), dict):
        return _parse_rss_json(doc["rss"], url=url, encoding=encoding, now=now)
    if not isinstance(doc, dict) or not (
        isinstance(doc.get("items"), list)
        or str(doc.get("version", "")).startswith("https://jsonfeed.org/")
    ):
        raise ParseError("not a feed (JSON without items)", subject=url)
    feed_author = _json_author(doc)
    entries = []
    for item in _list(doc.get("items")):
        if not isinstance(item, dict):
            continue
        summary = _html(_str(item.get("summary")), "text/plain")
        if _str(item.get("content_html")):
            content = _html(_str(item.get("content_html")), "text/html")
        else:
            content = _html(_str(item.get("content_text")), "text/plain") or summary
        entries.append(
            ParsedEntry(
                guid=_json_id(item.get("id")),
                link=safe_url(_str(item.get("url")), url)
                or safe_url(_str(item.get("external_url")), url),
                title=_line(html.unescape(_str(item.get("title"))))
                or _title_from(summary or content),
                author=_json_author(item) or feed_author,
                published=_date(_str(item.get("date_published")), now),
                updated=_date(_str(item.get("date_modified")), now),
                summary=summary,
                content=content,
                enclosures=_attachments(
                    item.get("attachments"), url, ("url", "mime_type", "size_in_bytes")
                ),
                categories=_unique(_line(_str(tag)) for tag in _list(item.get("tags"))),
            )
        )
    return ParsedFeed(
        title=_line(html.unescape(_str(doc.get("title")))),
        site_link=safe_url(_str(doc.get("home_page_url")), url) or "",
        entries=tuple(entries),
        kind="json",
        encoding=encoding,
    )


def _parse_rss_json(rss: dict[str, Any], *, url: str, encoding: str, now: datetime) -> ParsedFeed:
    """Dave Winer's RSS-in-JSON: the RSS 2.0 element tree as nested objects."""
    channel = rss.get("channel")
    channel = channel if isinstance(channel, dict) else {}
    entries = []
    for item in _list(channel.get("item")):
        if not isinstance(item, dict):
            continue
        guid = item.get("guid")
        summary = _html(_str(item.get("description")), "text/html")
        entries.append(
            ParsedEntry(
                guid=_json_id(guid.get("#value") if isinstance(guid, dict) else guid),
                link=safe_url(_str(item.get("link")), url),
                title=_line(visible_text(_str(item.get("title")))) or _title_from(summary),
                author=_line(_str(item.get("author"))),
                published=_date(_str(item.get("pubDate")), now),
                summary=summary,
                content=summary,
                enclosures=_attachments(item.get("enclosure"), url, ("url", "type", "length")),
                categories=_unique(_line(_str(c)) for c in _list(item.get("category"))),
            )
        )
    return ParsedFeed(
        title=_line(_str(channel.get("title"))),
        site_link=safe_url(_str(channel.get("link")), url) or "",
        entries=tuple(entries),
        kind="json",
        encoding=encoding,
    )


def _json_id(value: Any) -> str | None:
    # JSON Feed: a numeric id is coerced to a string.
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return strip_controls(_str(str(value))).strip() or None


def _json_author(obj: Mapping[str, Any]) -> str:
    """JSON Feed 1.1 ``authors`` (all names), else 1.0's single ``author``."""
    for people in (_list(obj.get("authors")), [obj.get("author")]):
        names = (_line(_str(p.get("name"))) for p in people if isinstance(p, dict))
        if line := _line(", ".join(_unique(names))):
            return line
    return ""


def _attachments(items: Any, base: str, keys: tuple[str, str, str]) -> tuple[Enclosure, ...]:
    """Enclosures from JSON objects whose url, type and size live under ``keys``."""
    url_key, type_key, size_key = keys
    found: dict[str, Enclosure] = {}
    for item in _list(items):
        link = safe_url(_str(item.get(url_key)), base) if isinstance(item, dict) else None
        if link and link not in found:
            mime = _line(_str(item.get(type_key)))
            found[link] = Enclosure(link, mime, _length(item.get(size_key)))
    return tuple(found.values())


def _str(value: Any) -> str:
    # JSON may hold lone surrogates ("\\ud800"), which no UTF-8 encoder (SQLite's) accepts.
    return _SURROGATES.sub("\ufffd", value) if isinstance(value, str) else ""


def _list(value: Any) -> list[Any]:
    """A JSON array as a list; a lone string or object stands for a list of one."""
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, str | dict) else []


# --- shared field cleaning ------------------------------------------------------------


def _html(value: str | None, mime: str | None) -> str:
    """A body as HTML with controls removed; plain text is escaped into paragraphs."""
    text = strip_controls(value or "", keep_newlines=True).strip()
    if not text or "html" in (mime or "text/html"):
        return text
    paragraphs = (html.escape(p.strip()).replace("\n", "<br>") for p in _PARAGRAPHS.split(text))
    return "".join(f"<p>{p}</p>" for p in paragraphs if p)


def _line(value: str | None) -> str:
    """One clean line of at most ``_LINE_MAX`` characters, an ellipsis marking a cut."""
    text = clean_line(value)
    return text if len(text) <= _LINE_MAX else text[: _LINE_MAX - 1].rstrip() + "…"


def _title_from(body_html: str) -> str:
    """A stand-in title for an untitled item: the start of its text, cut at a word."""
    text = clean_line(visible_text(body_html))
    if len(text) <= _TITLE_CUT:
        return text
    cut = text[:_TITLE_CUT]
    space = cut.rfind(" ")
    return (cut[:space] if space > _TITLE_CUT * 0.6 else cut).rstrip(" ,;:.-") + "…"


def _length(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and value > 0 else None


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _date(value: time.struct_time | str | None, now: datetime) -> datetime | None:
    """An aware UTC datetime, or None for a missing, unreadable or implausible date."""
    if not value:
        return None
    try:
        if isinstance(value, str):
            when = _parse_date_text(value)
        else:
            when = datetime(*value[:6], tzinfo=UTC)  # feedparser's tuples are already UTC
    except (ValueError, TypeError, OverflowError, IndexError):
        return None
    if when is None:
        return None
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    if when < _EPOCH or when > now + _FUTURE_SLACK:
        return None
    return when


def _parse_date_text(value: str) -> datetime | None:
    value = value.strip()
    try:
        return datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value)
    except (ValueError, TypeError, IndexError):
        return None


def _mime(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()
