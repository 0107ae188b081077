"""A server's JSON values to clean yuedu data, the way the feed parsers clean a feed's.

Every value a sync server sends is hostile: any field may be missing, of the wrong type,
huge, or full of escape sequences. These helpers return a safe value or nothing, so one bad
field costs at most its own item.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from tui.core.feeds.parse.fields import (
    as_html,
    enclosure_length,
    one_line,
    plausible_date,
    title_from,
    unique,
)
from tui.core.models import Enclosure, ParsedEntry
from tui.core.text.sanitize import safe_url, strip_controls

_INTEGER = re.compile(r"-?[0-9]{1,19}")
MAX_ID_CHARS = 512
"""Longest server id accepted; anything longer is not an id but an attack on the cache."""


def string(value: Any) -> str:
    """``value`` when it is a string, else ""."""
    return value if isinstance(value, str) else ""


def array(value: Any) -> list[Any]:
    """``value`` when it is a JSON array, else []."""
    return value if isinstance(value, list) else []


def obj(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else {}."""
    return value if isinstance(value, dict) else {}


def integer(value: Any) -> int | None:
    """A JSON integer, or a string of decimal digits (some servers quote 64-bit numbers)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value):
        return int(value)
    return None


def remote_id(value: Any) -> str | None:
    """A server id (string or integer) fit to store: no controls, not blank, bounded."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = strip_controls(string(value)).strip()
    return text if text and len(text) <= MAX_ID_CHARS else None


def label(value: Any) -> str:
    """A category or tag name as one clean line."""
    return one_line(string(value))


def link(value: Any) -> str | None:
    """An absolute http(s) URL, or None."""
    return safe_url(string(value)) if len(string(value)) <= 8192 else None


def date(value: Any, now: datetime) -> datetime | None:
    """A plausible UTC datetime from ISO 8601 or RFC 822 text."""
    return plausible_date(value, now) if isinstance(value, str) else None


def timestamp(value: Any, now: datetime) -> datetime | None:
    """A plausible UTC datetime from Unix seconds, given as a number or in a string."""
    seconds = integer(value)
    if seconds is None:
        return None
    try:
        return plausible_date(time.gmtime(seconds), now)
    except (OverflowError, OSError, ValueError):
        return None


def enclosure(url: Any, mime: Any, size: Any) -> Enclosure | None:
    href = link(url)
    return Enclosure(href, label(mime), enclosure_length(size)) if href else None


def entry(
    *,
    guid: str,
    url: Any,
    title: Any,
    author: Any,
    published: datetime | None,
    updated: datetime | None = None,
    summary: Any = "",
    content: Any = "",
    enclosures: Iterable[Enclosure | None] = (),
    categories: Iterable[Any] = (),
) -> ParsedEntry:
    """A ParsedEntry from raw server values, every field cleaned.

    ``guid`` is the server's id of the entry: the same article always comes back under it,
    which is all the cache needs to match it again (servers do not pass on the feed's own
    guid).
    """
    summary_html = as_html(string(summary), "text/html")
    body = as_html(string(content), "text/html") or summary_html
    found: dict[str, Enclosure] = {}
    for item in enclosures:
        if item is not None:
            found.setdefault(item.url, item)
    return ParsedEntry(
        guid=guid,
        link=link(url),
        title=one_line(html.unescape(string(title))) or title_from(body),
        author=label(author),
        published=published,
        updated=updated,
        summary=summary_html,
        content=body,
        enclosures=tuple(found.values()),
        categories=unique(label(c) for c in categories),
    )
