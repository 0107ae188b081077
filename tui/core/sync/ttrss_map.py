"""tt-rss's JSON (``getFeeds``, ``getCategories``, ``getHeadlines``) to yuedu's sync types.

Pure: no I/O. Everything the server sends is hostile and is cleaned as the feed parsers
clean a feed: one-line fields through ``one_line``, bodies through ``as_html``, links only
http(s). A row that is not what tt-rss sends is skipped, never fatal. tt-rss shows titles as
HTML, so entities in them are decoded.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from tui.core.feeds.parse.fields import as_html, one_line, plausible_date, title_from, unique
from tui.core.models import Enclosure, ParsedEntry
from tui.core.sync.base import RemoteEntry, RemoteFeed, RemoteMarks
from tui.core.text.sanitize import safe_url, strip_controls

_GUID_MAX = 1000
_INTEGER = re.compile(r"-?[0-9]{1,18}")


def category_titles(content: Any) -> dict[int, str]:
    """``getCategories``: category id -> title (the virtual ones, id ≤ 0, left out)."""
    titles: dict[int, str] = {}
    for row in _rows(content):
        cat_id = as_int(row.get("id"))
        title = _title(row.get("title"))
        if cat_id is not None and cat_id > 0 and title:
            titles[cat_id] = title
    return titles


def remote_feeds(content: Any, categories: Mapping[int, str]) -> list[RemoteFeed]:
    """``getFeeds`` with ``cat_id=-3`` (every real feed); feeds whose address is not http(s)
    are left out, since yuedu could not fetch them either."""
    feeds = []
    for row in _rows(content):
        feed_id = as_int(row.get("id"))
        url = safe_url(_str(row.get("feed_url")))
        if feed_id is None or feed_id <= 0 or url is None:
            continue
        category = categories.get(as_int(row.get("cat_id")) or 0)
        feeds.append(
            RemoteFeed(
                remote_id=str(feed_id),
                url=url,
                title=_title(row.get("title")),
                categories=(category,) if category else (),
                unread=as_int(row.get("unread")),
            )
        )
    return feeds


def remote_entries(content: Any, now: datetime) -> Iterator[RemoteEntry]:
    """``getHeadlines`` rows, with content, attachments, tags and labels."""
    for row in _rows(content):
        entry_id = as_int(row.get("id"))
        if entry_id is None:
            continue
        body = as_html(_str(row.get("content")), "text/html")
        when = _epoch(row.get("updated"), now)
        link = safe_url(_str(row.get("link")))
        entry = ParsedEntry(
            guid=strip_controls(_str(row.get("guid"))).strip()[:_GUID_MAX] or None,
            link=link,
            title=_title(row.get("title")) or title_from(body),
            author=one_line(_str(row.get("author"))),
            published=when,
            updated=when,
            content=body,
            enclosures=_enclosures(row.get("attachments"), link),
            categories=unique([*_tags(row.get("tags")), *_labels(row.get("labels"))]),
        )
        yield RemoteEntry(
            remote_id=str(entry_id),
            feed_remote_id=str(as_int(row.get("feed_id")) or 0),
            entry=entry,
            read=row.get("unread") is False,
            starred=row.get("marked") is True,
        )


def headline_marks(content: Any) -> list[RemoteMarks]:
    """The read and starred state of ``getHeadlines`` rows."""
    marks = []
    for row in _rows(content):
        entry_id, unread, marked = as_int(row.get("id")), row.get("unread"), row.get("marked")
        # Only flags tt-rss sent as booleans: a guess would overwrite a mark made elsewhere.
        if entry_id is not None and isinstance(unread, bool) and isinstance(marked, bool):
            marks.append(RemoteMarks(str(entry_id), not unread, marked))
    return marks


def headline_ids(content: Any) -> list[int]:
    """The article ids of ``getHeadlines`` rows."""
    ids = (as_int(row.get("id")) for row in _rows(content))
    return [i for i in ids if i is not None]


def as_int(value: Any) -> int | None:
    """An integer tt-rss sent (an id, a code, a level): as a number or, from some versions, as
    digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value)
    return None


def _rows(content: Any) -> Iterator[dict[str, Any]]:
    if isinstance(content, list):
        yield from (row for row in content if isinstance(row, dict))


def _title(value: Any) -> str:
    return one_line(html.unescape(_str(value)))


def _epoch(value: Any, now: datetime) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    try:
        stamp = time.gmtime(value)
    except (OverflowError, OSError, ValueError):
        return None
    return plausible_date(stamp, now)


def _enclosures(items: Any, base: str | None) -> tuple[Enclosure, ...]:
    found: dict[str, Enclosure] = {}
    for item in _rows(items):
        link = safe_url(_str(item.get("content_url")), base)
        if link and link not in found:
            found[link] = Enclosure(link, one_line(_str(item.get("content_type"))))
    return tuple(found.values())


def _tags(value: Any) -> Iterator[str]:
    if isinstance(value, list):
        yield from (one_line(_str(tag)) for tag in value)


def _labels(value: Any) -> Iterator[str]:
    """Labels come as ``[id, caption, fg_color, bg_color]``."""
    if isinstance(value, list):
        for label in value:
            if isinstance(label, list) and len(label) > 1:
                yield _title(label[1])


def _str(value: Any) -> str:
    # Lone surrogates ("\ud800" in JSON) need no step here: strip_controls, which every
    # field goes through, removes them.
    return value if isinstance(value, str) else ""
