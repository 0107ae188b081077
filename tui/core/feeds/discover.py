"""Finding feeds on web pages: telling a page from a feed, and the feeds a page advertises."""

from __future__ import annotations

from html.parser import HTMLParser

from tui.core.feeds.encoding import decode_document
from tui.core.feeds.parse.sniff import HTML_TYPES, mime_type, root_kind
from tui.core.text.sanitize import safe_url

__all__ = ["find_feed_links", "is_web_page"]

_FEED_TYPES = {
    "application/atom+xml": 0,
    "application/rss+xml": 0,
    "application/rdf+xml": 1,
    "application/feed+json": 2,
    "application/json": 3,
}


def is_web_page(body: bytes, content_type: str | None) -> bool:
    """Whether a body is a web page rather than a feed: an HTML root, or served as HTML
    with no RSS, Atom or RDF root in sight."""
    root = root_kind(body)
    return root == "html" or (root is None and mime_type(content_type) in HTML_TYPES)


def find_feed_links(body: bytes, *, base_url: str, content_type: str | None = None) -> list[str]:
    """The feeds an HTML page advertises with ``<link rel="alternate" type=...>``.

    Absolute http(s) URLs, resolved against ``<base href>`` and ``base_url``; Atom and RSS
    before JSON, otherwise in page order, without duplicates.
    """
    text, _ = decode_document(body[: 2 << 20], content_type)
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
            rank = _FEED_TYPES.get(mime_type(values.get("type")))
            if rank is not None and values.get("href"):
                self.links.append((rank, values["href"]))

    handle_startendtag = handle_starttag
