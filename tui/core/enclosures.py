"""Enclosures (podcast episodes, videos): how they are listed and the command that plays one."""

from __future__ import annotations

import re
from collections.abc import Sequence

from tui.core.feeds.reasons import size_text
from tui.core.models import Enclosure
from tui.core.text.sanitize import clean_line, safe_url

_PLACEHOLDER = re.compile(r"%[us]")


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


def command_for(template: Sequence[str], url: str) -> list[str]:
    """The argv for ``url``: ``%u`` (newsboat's spelling) or ``%s`` in an item becomes the URL,
    else the URL is appended as one more item. Never a shell line: the URL stays one argument."""
    if any(_PLACEHOLDER.search(part) for part in template):
        return [_PLACEHOLDER.sub(lambda _: url, part) for part in template]
    return [*template, url]
