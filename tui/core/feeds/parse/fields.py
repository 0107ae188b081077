"""Field cleaning shared by every feed format: HTML bodies, one-line titles and names, dates.

Everything in a feed is hostile: every text field goes through ``strip_controls`` (titles,
names and tags through ``clean_line``, and cut to 1000 characters).
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from tui.core.text.html.visible import visible_text
from tui.core.text.sanitize import clean_line, strip_controls

_PARAGRAPHS = re.compile(r"\n\s*\n")
_TITLE_CUT = 100
# A title, a name or a tag is one line: a megabyte of one would be stored, indexed and
# measured by every list that shows it.
_LINE_MAX = 1000
_FUTURE_SLACK = timedelta(days=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def as_html(value: str | None, mime: str | None) -> str:
    """A body as HTML with controls removed; plain text is escaped into paragraphs."""
    text = strip_controls(value or "", keep_newlines=True).strip()
    if not text or "html" in (mime or "text/html"):
        return text
    paragraphs = (html.escape(p.strip()).replace("\n", "<br>") for p in _PARAGRAPHS.split(text))
    return "".join(f"<p>{p}</p>" for p in paragraphs if p)


def one_line(value: str | None) -> str:
    """One clean line of at most ``_LINE_MAX`` characters, an ellipsis marking a cut."""
    text = clean_line(value)
    return text if len(text) <= _LINE_MAX else text[: _LINE_MAX - 1].rstrip() + "…"


def title_from(body_html: str) -> str:
    """A stand-in title for an untitled item: the start of its text, cut at a word."""
    text = clean_line(visible_text(body_html))
    if len(text) <= _TITLE_CUT:
        return text
    cut = text[:_TITLE_CUT]
    space = cut.rfind(" ")
    return (cut[:space] if space > _TITLE_CUT * 0.6 else cut).rstrip(" ,;:.-") + "…"


def enclosure_length(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and value > 0 else None


def unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def plausible_date(value: time.struct_time | str | None, now: datetime) -> datetime | None:
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
    # Imported here: email.utils imports socket (for make_msgid), which the parser must not
    # pull in, and only JSON dates that are not ISO 8601 get this far.
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value)
    except (ValueError, TypeError, IndexError):
        return None
