"""The numbered links of an article, in the order the article view shows them as [1]…[n]."""

from __future__ import annotations

from functools import lru_cache

from tui.core.models import Entry
from tui.core.text.html.tree import looks_like_html, parse_html


def entry_links(entry: Entry) -> tuple[str, ...]:
    """Safe absolute URLs; ``[n]`` in the article is ``entry_links(entry)[n - 1]``."""
    source = entry.content or entry.summary
    return _links(source, entry.link or entry.feed_url)


@lru_cache(maxsize=32)
def _links(source: str, base_url: str) -> tuple[str, ...]:
    if not source or not looks_like_html(source):
        return ()
    return parse_html(source, base_url=base_url).links
