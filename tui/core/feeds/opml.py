"""Subscriptions in and out: OPML 1.0/2.0 and newsboat's urls file.

A feed's own settings (the script it is shown in...) travel as attributes in yuedu's
namespace, ``yuedu:script="hant-tw"``; other readers ignore them.
"""

from __future__ import annotations

import json
import re
import shlex
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from tui.core.errors import ParseError
from tui.core.feeds.parse.sniff import looks_binary, root_kind
from tui.core.models import SavedQuery
from tui.core.text.sanitize import clean_line, safe_url, strip_controls

# OPML's category attribute is a comma-separated list of slash-separated paths, so a tag
# holding "," or "/" cannot be written there and come back whole: yuedu also writes each
# feed's exact tags in an attribute of its own, which wins when it reads the file back.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

NAMESPACE = "urn:x-yuedu:opml"
_TAGS = f"{{{NAMESPACE}}}tags"
_SETTING_NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")
_SETTING_SIZE = 200

_NOT_A_LIST = "not OPML or a urls file: looks like"


@dataclass(frozen=True, slots=True)
class Subscription:
    url: str
    title: str = ""
    tags: tuple[str, ...] = ()
    settings: tuple[tuple[str, str], ...] = ()
    """(name, value) pairs of the feed's own settings, as written in the file (untrusted)."""
    site_link: str = ""
    """The site's home page (OPML's htmlUrl)."""


@dataclass(slots=True)
class SubscriptionList:
    subscriptions: list[Subscription] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """One line per entry that could not be taken, with the reason."""
    queries: list[SavedQuery] = field(default_factory=list)
    """newsboat's ``"query:Name:expression"`` lines, not yet checked."""


def read_subscription_file(data: bytes, *, source: str = "file") -> SubscriptionList:
    """An OPML or newsboat urls file's bytes. Anything else (a web page, a feed, JSON, binary
    data, text without a URL) is refused with one line saying what it looks like."""
    kind = _looks_like(data)
    if kind is not None:
        raise ParseError(f"{_NOT_A_LIST} {kind}", subject=source)
    text = data.decode("utf-8-sig", errors="replace")
    result = read_subscriptions(text, source=source)
    unusable = all(line.endswith("not an http(s) URL") for line in result.skipped)
    if (
        not result.subscriptions
        and not result.queries
        and result.skipped
        and unusable
        and "://" not in text
    ):
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
    text = text.lstrip("\ufeff")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        # Characters XML 1.0 cannot hold (a raw U+FFFF in a title, as exporters that copy
        # feed titles unchecked write) break the file only where they stand.
        repaired = _NOT_XML.sub("", text)
        try:
            root = ET.fromstring(repaired)
        except ET.ParseError:
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
            site = safe_url((outline.get("htmlUrl") or outline.get("htmlurl") or "").strip())
            _add(
                result,
                url,
                title,
                _own_tags(outline) or _tags(outline, tags),
                settings=_settings(outline),
                site_link=site or "",
            )
        else:
            stack.append((iter(outline.findall("outline")), (*tags, title) if title else tags))
    return result


def _tags(outline: ET.Element, folders: tuple[str, ...]) -> tuple[str, ...]:
    """The folders an outline sits in, then its categories."""
    categories = (outline.get("category") or "").replace("/", ",").split(",")
    return tuple(dict.fromkeys(t for t in (*folders, *map(clean_line, categories)) if t))


def _own_tags(outline: ET.Element) -> tuple[str, ...]:
    """The tags yuedu wrote for an outline, exactly; () when it wrote none."""
    try:
        tags = json.loads(outline.get(_TAGS) or "[]")
    except (ValueError, RecursionError):
        return ()
    if not isinstance(tags, list):
        return ()
    return _clean_tags(t for t in tags if isinstance(t, str))


def _clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in map(clean_line, tags) if t))


def read_newsboat_urls(text: str) -> SubscriptionList:
    """newsboat's urls file: URL, then tags, "~Title" renames; # comments; query feeds."""
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
        if url.startswith("query:"):
            name, _, expression = url[len("query:") :].partition(":")
            if not clean_line(name) or not expression.strip():
                result.skipped.append(f"line {number}: query: needs a name and an expression")
            else:
                result.queries.append(SavedQuery(clean_line(name), expression))
            continue
        if url.split(":", 1)[0] in {"exec", "filter"}:
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


def _settings(outline: ET.Element) -> tuple[tuple[str, str], ...]:
    prefix = "{" + NAMESPACE + "}"
    found = []
    for key, value in outline.attrib.items():
        name = key.removeprefix(prefix)
        if name != key and name != "tags" and _SETTING_NAME.fullmatch(name):
            found.append((name, clean_line(value)[:_SETTING_SIZE]))
    return tuple(found)


def _add(
    result: SubscriptionList,
    url: str,
    title: str,
    tags: tuple[str, ...],
    where: str = "",
    settings: tuple[tuple[str, str], ...] = (),
    site_link: str = "",
) -> None:
    safe = safe_url(url.strip())
    if safe is None:
        prefix = f"{where}: " if where else ""
        result.skipped.append(f"{prefix}{clean_line(url)[:200]}: not an http(s) URL")
        return
    result.subscriptions.append(Subscription(safe, title, tags, settings, site_link))


def write_opml(subscriptions: Iterable[Subscription], *, title: str = "yuedu subscriptions") -> str:
    """OPML 2.0; each feed's first tag becomes its folder and all tags its category.

    Titles and tags are written as ``clean_line`` leaves them, so the file is always
    well-formed XML 1.0 whatever a feed put in its title.
    """
    folders: dict[str, list[Subscription]] = {}
    loose: list[Subscription] = []
    for sub in subscriptions:
        sub = Subscription(
            strip_controls(sub.url),
            clean_line(sub.title),
            _clean_tags(sub.tags),
            sub.settings,
            strip_controls(sub.site_link),
        )
        if sub.tags:
            folders.setdefault(sub.tags[0], []).append(sub)
        else:
            loose.append(sub)
    every = [*loose, *(sub for subs in folders.values() for sub in subs)]
    declared = any(s.settings or s.tags for s in every)
    namespace = f" xmlns:yuedu={quoteattr(NAMESPACE)}" if declared else ""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<opml version="2.0"{namespace}>',
        f"  <head><title>{escape(clean_line(title))}</title></head>",
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
        own = json.dumps(list(sub.tags), ensure_ascii=False)
        attrs.append(f"yuedu:tags={quoteattr(own)}")
    attrs.extend(
        f"yuedu:{name}={quoteattr(value)}"
        for name, value in sub.settings
        if _SETTING_NAME.fullmatch(name) and name != "tags"
    )
    return f"<outline {' '.join(attrs)}/>"
