"""Enclosures (podcast episodes, videos): how an article lists them."""

from __future__ import annotations

from collections.abc import Sequence

from tui.core.feeds.reasons import size_text
from tui.core.models import Enclosure
from tui.core.text.sanitize import clean_line, safe_url


def describe(enclosure: Enclosure) -> str:
    """What it is, e.g. ``audio/mpeg, 12.3 MiB``; "" when the feed did not say."""
    facts = [clean_line(enclosure.type)]
    if enclosure.length:
        facts.append(size_text(enclosure.length))
    return ", ".join(fact for fact in facts if fact)


def listed_enclosures(enclosures: Sequence[Enclosure]) -> list[tuple[str, str]]:
    """``(url, what it is)`` of the enclosures that can be opened (http and https only)."""
    listed = []
    for enclosure in enclosures:
        url = safe_url(enclosure.url)
        if url:
            listed.append((url, describe(enclosure)))
    return listed


def first_playable(enclosures: Sequence[Enclosure]) -> str | None:
    """The URL the player gets: the first audio or video enclosure, else the first of any
    type (Media RSS lists pictures as media:content too)."""
    listed = [(url, e.type) for e in enclosures if (url := safe_url(e.url))]
    media = [url for url, mime in listed if mime.startswith(("audio/", "video/"))]
    chosen = media or [url for url, _ in listed]
    return chosen[0] if chosen else None
