"""Subscriptions in and out: OPML 1.0/2.0 and newsboat's urls file."""

from __future__ import annotations

import shlex
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from tui.core.errors import ParseError
from tui.core.feeds.parse.sniff import looks_binary, root_kind
from tui.core.text.sanitize import clean_line, safe_url

_NOT_A_LIST = "not OPML or a urls file: looks like"


@dataclass(frozen=True, slots=True)
class Subscription:
    url: str
    title: str = ""
    tags: tuple[str, ...] = ()
    site_link: str = ""
    """The site's home page (OPML's htmlUrl)."""


@dataclass(slots=True)
class SubscriptionList:
    subscriptions: list[Subscription] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """One line per entry that could not be taken, with the reason."""


def read_subscription_file(data: bytes, *, source: str = "file") -> SubscriptionList:
    """An OPML or newsboat urls file's bytes. Anything else (a web page, a feed, JSON, binary
    data, text without a URL) is refused with one line saying what it looks like."""
    kind = _looks_like(data)
    if kind is not None:
        raise ParseError(f"{_NOT_A_LIST} {kind}", subject=source)
    text = data.decode("utf-8-sig", errors="replace")
    result = read_subscriptions(text, source=source)
    unusable = all(line.endswith("not an http(s) URL") for line in result.skipped)
    if not result.subscriptions and result.skipped and unusable and "://" not in text:
        raise ParseError(f"{_NOT_A_LIST} text with no feed URLs", subject=source)
    return result


def _looks_like(data: bytes) -> str | None:
    if looks_binary(data):
        return "binary data"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return "JSON"
    kind = root_kind(data)
    if kind == "html":
        return "HTML (a web page)"
    if kind == "feed":
        return "a feed, not a list of feeds (subscribe with: yuedu add URL)"
    return None


def read_subscriptions(text: str, *, source: str = "file") -> SubscriptionList:
    """Parse OPML, or a newsboat urls file when the text is not XML."""
    if text.lstrip("\ufeff \t\r\n").startswith("<"):
        return read_opml(text, source=source)
    return read_newsboat_urls(text)


def read_opml(text: str, *, source: str = "file") -> SubscriptionList:
    try:
        root = ET.fromstring(text.lstrip("\ufeff"))
    except ET.ParseError as exc:
        raise ParseError(f"not valid OPML ({exc})", subject=source) from exc
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise ParseError("not an OPML file (no <opml><body>)", subject=source)
    result = SubscriptionList()
    # Iterative walk in document order: a hostile file may nest outlines deeper than
    # Python's recursion limit.
    stack: list[tuple[Iterator[ET.Element], tuple[str, ...]]] = [
        (iter(body.findall("outline")), ())
    ]
    while stack:
        outlines, tags = stack[-1]
        outline = next(outlines, None)
        if outline is None:
            stack.pop()
            continue
        url = outline.get("xmlUrl") or outline.get("xmlurl") or outline.get("url")
        title = clean_line(outline.get("title") or outline.get("text") or "")
        if url:
            if title == url.strip():
                title = ""  # exporters fill the required text attribute with the URL
            categories = (outline.get("category") or "").replace("/", ",").split(",")
            all_tags = tuple(dict.fromkeys(t for t in (*tags, *map(clean_line, categories)) if t))
            site = safe_url((outline.get("htmlUrl") or outline.get("htmlurl") or "").strip())
            _add(result, url, title, all_tags, site_link=site or "")
        else:
            stack.append((iter(outline.findall("outline")), (*tags, title) if title else tags))
    return result


def read_newsboat_urls(text: str) -> SubscriptionList:
    """newsboat's urls file: URL, then tags, "~Title" renames; # comments."""
    result = SubscriptionList()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            result.skipped.append(f"line {number}: unbalanced quotes")
            continue
        if not words:
            continue
        url, rest = words[0], words[1:]
        if url.split(":", 1)[0] in {"query", "exec", "filter"}:
            result.skipped.append(f"line {number}: {url.split(':', 1)[0]}: feeds are not supported")
            continue
        title = ""
        tags: list[str] = []
        for word in rest:
            if word.startswith("~"):
                title = clean_line(word[1:])
            elif word.startswith("!"):
                continue  # newsboat's "hidden feed" marker has no meaning here
            elif clean_line(word):
                tags.append(clean_line(word))
        _add(result, url, title, tuple(dict.fromkeys(tags)), where=f"line {number}")
    return result


def _add(
    result: SubscriptionList,
    url: str,
    title: str,
    tags: tuple[str, ...],
    where: str = "",
    *,
    site_link: str = "",
) -> None:
    safe = safe_url(url.strip())
    if safe is None:
        prefix = f"{where}: " if where else ""
        result.skipped.append(f"{prefix}{clean_line(url)[:200]}: not an http(s) URL")
        return
    result.subscriptions.append(Subscription(safe, title, tags, site_link))


def write_opml(subscriptions: Iterable[Subscription], *, title: str = "yuedu subscriptions") -> str:
    """OPML 2.0; each feed's first tag becomes its folder and all tags its category."""
    folders: dict[str, list[Subscription]] = {}
    loose: list[Subscription] = []
    for sub in subscriptions:
        if sub.tags:
            folders.setdefault(sub.tags[0], []).append(sub)
        else:
            loose.append(sub)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{escape(title)}</title></head>",
        "  <body>",
    ]
    for folder, subs in folders.items():
        lines.append(f"    <outline text={quoteattr(folder)} title={quoteattr(folder)}>")
        lines.extend("      " + _outline(s) for s in subs)
        lines.append("    </outline>")
    lines.extend("    " + _outline(s) for s in loose)
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _outline(sub: Subscription) -> str:
    text = sub.title or sub.url
    attrs = [
        f"type={quoteattr('rss')}",
        f"text={quoteattr(text)}",
        f"title={quoteattr(text)}",
        f"xmlUrl={quoteattr(sub.url)}",
    ]
    if sub.site_link:
        attrs.append(f"htmlUrl={quoteattr(sub.site_link)}")
    if sub.tags:
        attrs.append(f"category={quoteattr(','.join(sub.tags))}")
    return f"<outline {' '.join(attrs)}/>"
