"""A page's title, byline and date, from its metadata and the lines around its headline.

Pages say these in many ways: ``<meta>`` tags (Open Graph, Dublin Core, news sitemaps),
JSON-LD, ``<time datetime>``, ``rel=author`` links, and on Chinese portals one info line
("2024-04-08 09:15:32　来源：江城日报　作者：李晓梅"). The first good answer wins; every value
is cleaned of control characters.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from tui.core.text.sanitize import clean_line

Element = Any

_TITLE_META = ("og:title", "twitter:title", "dc.title", "headline")
_AUTHOR_META = ("author", "article:author", "dc.creator", "byl", "sailthru.author")
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date",
    "dc.date.issued",
    "sailthru.date",
)
_DATE = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}
_ENGLISH_DATE = re.compile(
    r"\b([A-Z][a-z]{2,8})\.? (\d{1,2}),? ((?:19|20)\d\d)\b"
    r"|\b(\d{1,2}) ([A-Z][a-z]{2,8}) ((?:19|20)\d\d)\b"
)
_CHINESE_AUTHOR = re.compile(r"(?:作者|记者|記者|文)\s*[:：／/]?\s*([\u4e00-\u9fff·]{2,6})")
_BYLINE_CLASS = re.compile(r"(?:^|[\s_-])(?:byline|author|reporter|writer)(?:$|[\s_-])", re.I)
_BY = re.compile(r"^(?:by|words by|written by)\s+", re.IGNORECASE)
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—_»]\s+|_|\s+-\s+")
_MAX_BYLINE = 80
_INFO_SIBLINGS = 3
_MAX_INFO = 200


@dataclass(frozen=True, slots=True)
class PageMeta:
    title: str
    byline: str | None
    date: str | None


def _meta(root: Element, names: tuple[str, ...]) -> str | None:
    values: dict[str, str] = {}
    for element in root.iter("meta"):
        key = (
            element.get("property") or element.get("name") or element.get("itemprop") or ""
        ).lower()
        content = element.get("content")
        if key in names and content and key not in values:
            values[key] = content
    for name in names:
        value = clean_line(values.get(name))
        if value:
            return value
    return None


def _json_ld(root: Element) -> dict[str, Any]:
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        if isinstance(data, dict):
            data = data.get("@graph", [data])
        if not isinstance(data, list):
            continue
        for item in data:
            if isinstance(item, dict) and ("headline" in item or "datePublished" in item):
                return item
    return {}


def _text(element: Element) -> str:
    return clean_line("".join(element.itertext()))


def read_meta(root: Element) -> PageMeta:
    """What the page says about itself; ``root`` still has its ``<head>`` and scripts."""
    linked = _json_ld(root)
    info = _info_line(root)
    return PageMeta(
        _title(root, linked),
        _byline(root, linked) or byline_in(info),
        _date(root, linked) or date_in(info),
    )


def _info_line(root: Element) -> str:
    """The short lines right after the headline, where portals put date, source and author."""
    h1 = next(root.iter("h1"), None)
    lines: list[str] = []
    sibling = h1.getnext() if h1 is not None else None
    while sibling is not None and len(lines) < _INFO_SIBLINGS:
        if isinstance(sibling.tag, str):
            text = _text(sibling)
            if len(text) <= _MAX_INFO:
                lines.append(text)
        sibling = sibling.getnext()
    return " ".join(lines)


def _title(root: Element, linked: dict[str, Any]) -> str:
    page_title = clean_line(root.findtext(".//title"))
    for h1 in root.iter("h1"):
        text = _text(h1)
        if text and (not page_title or text in page_title or page_title in text):
            return text
    for candidate in (_meta(root, _TITLE_META), linked.get("headline")):
        if isinstance(candidate, str) and clean_line(candidate):
            return clean_line(candidate)
    if page_title:
        # "Headline - Section - Site": the longest part is the headline.
        return max(_TITLE_SEPARATORS.split(page_title), key=len).strip()
    return ""


def _byline(root: Element, linked: dict[str, Any]) -> str | None:
    author = linked.get("author")
    if isinstance(author, list) and author:
        author = author[0]
    if isinstance(author, dict):
        author = author.get("name")
    candidates: list[str | None] = [_meta(root, _AUTHOR_META)]
    if isinstance(author, str):
        candidates.append(author)
    candidates.extend(_text(link) for link in root.iterfind(".//a[@rel='author']"))
    for element in root.iter():
        if isinstance(element.tag, str) and _BYLINE_CLASS.search(element.get("class") or ""):
            candidates.append(_BY.sub("", _text(element)))
            break
    for candidate in candidates:
        value = clean_line(candidate)
        if value and len(value) <= _MAX_BYLINE and not value.startswith("http"):
            return value
    return None


def byline_in(text: str) -> str | None:
    """The author named in a Chinese info line ("作者：李晓梅", "記者陳怡君／台北報導")."""
    match = _CHINESE_AUTHOR.search(text)
    return match.group(1) if match else None


def _date(root: Element, linked: dict[str, Any]) -> str | None:
    candidates = [_meta(root, _DATE_META), linked.get("datePublished")]
    candidates.extend(element.get("datetime") for element in root.iter("time"))
    for candidate in candidates:
        if isinstance(candidate, str):
            found = date_in(candidate)
            if found:
                return found
    return None


def date_in(text: str) -> str | None:
    """The first calendar date in ``text`` as ``YYYY-MM-DD``, or None."""
    match = _DATE.search(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return _iso(year, month, day)
    english = _ENGLISH_DATE.search(text)
    if english:
        name, day_text, year_text = english.group(1, 2, 3)
        if name is None:
            day_text, name, year_text = english.group(4, 5, 6)
        number = _MONTHS.get(name.lower())
        if number:
            return _iso(int(year_text), number, int(day_text))
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None
