"""JSON Feed 1.0/1.1 and Dave Winer's RSS-in-JSON to a ParsedFeed."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tui.core.errors import ParseError
from tui.core.feeds.encoding import decode_document
from tui.core.feeds.parse.fields import (
    as_html,
    enclosure_length,
    one_line,
    plausible_date,
    title_from,
    unique,
)
from tui.core.models import Enclosure, ParsedEntry, ParsedFeed
from tui.core.text.html.visible import visible_text
from tui.core.text.sanitize import safe_url, strip_controls

_SURROGATES = re.compile("[\ud800-\udfff]")


def parse_json_feed(
    body: bytes, *, url: str, content_type: str | None, now: datetime
) -> ParsedFeed:
    text, encoding = decode_document(body, content_type)
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
        summary = as_html(_str(item.get("summary")), "text/plain")
        if _str(item.get("content_html")):
            content = as_html(_str(item.get("content_html")), "text/html")
        else:
            content = as_html(_str(item.get("content_text")), "text/plain") or summary
        entries.append(
            ParsedEntry(
                guid=_json_id(item.get("id")),
                link=safe_url(_str(item.get("url")), url)
                or safe_url(_str(item.get("external_url")), url),
                title=one_line(html.unescape(_str(item.get("title"))))
                or title_from(summary or content),
                author=_json_author(item) or feed_author,
                published=plausible_date(_str(item.get("date_published")), now),
                updated=plausible_date(_str(item.get("date_modified")), now),
                summary=summary,
                content=content,
                enclosures=_attachments(
                    item.get("attachments"), url, ("url", "mime_type", "size_in_bytes")
                ),
                categories=unique(one_line(_str(tag)) for tag in _list(item.get("tags"))),
            )
        )
    return ParsedFeed(
        title=one_line(html.unescape(_str(doc.get("title")))),
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
        summary = as_html(_str(item.get("description")), "text/html")
        entries.append(
            ParsedEntry(
                guid=_json_id(guid.get("#value") if isinstance(guid, dict) else guid),
                link=safe_url(_str(item.get("link")), url),
                title=one_line(visible_text(_str(item.get("title")))) or title_from(summary),
                author=one_line(_str(item.get("author"))),
                published=plausible_date(_str(item.get("pubDate")), now),
                summary=summary,
                content=summary,
                enclosures=_attachments(item.get("enclosure"), url, ("url", "type", "length")),
                categories=unique(one_line(_str(c)) for c in _list(item.get("category"))),
            )
        )
    return ParsedFeed(
        title=one_line(_str(channel.get("title"))),
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
        names = (one_line(_str(p.get("name"))) for p in people if isinstance(p, dict))
        if line := one_line(", ".join(unique(names))):
            return line
    return ""


def _attachments(items: Any, base: str, keys: tuple[str, str, str]) -> tuple[Enclosure, ...]:
    """Enclosures from JSON objects whose url, type and size live under ``keys``."""
    url_key, type_key, size_key = keys
    found: dict[str, Enclosure] = {}
    for item in _list(items):
        link = safe_url(_str(item.get(url_key)), base) if isinstance(item, dict) else None
        if link and link not in found:
            mime = one_line(_str(item.get(type_key)))
            found[link] = Enclosure(link, mime, enclosure_length(item.get(size_key)))
    return tuple(found.values())


def _str(value: Any) -> str:
    # JSON may hold lone surrogates ("\\ud800"), which no UTF-8 encoder (SQLite's) accepts.
    return _SURROGATES.sub("\ufffd", value) if isinstance(value, str) else ""


def _list(value: Any) -> list[Any]:
    """A JSON array as a list; a lone string or object stands for a list of one."""
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, str | dict) else []
