"""feedparser's clean-ups of text and URLs: the plain-text-or-HTML guess, the latin-1 and
windows-1252 repairs, and xml:base joining restricted to its accepted schemes."""

from __future__ import annotations

import re
from functools import lru_cache
from html.entities import entitydefs
from urllib.parse import urljoin, urlparse

import regex

from tui.core.feeds.parse.fast.tables import ACCEPTABLE_ELEMENTS, CONTENT_TYPES, SCHEMES

_CLOSE_TAG = re.compile(r"</(\w+)>")
_ANY_ENTITY = re.compile(r"&#?\w+;")
_TAG_NAME = re.compile(r"</?(\w+)")
_ENTITY_NAME = re.compile(r"&(\w+);")
# The regex module scans a character class several times faster than re.
C1 = regex.compile("[\x80-\x9f]")
LATIN1 = regex.compile("[\x80-\xff]")
# References to those characters (an alternation in one pattern would be far slower).
LATIN1_REF = regex.compile(
    "&#(?:[xX]0*[89a-fA-F][0-9a-fA-F]|0*(?:1[3-9][0-9]|12[89]|2[0-4][0-9]|25[0-5]));"
)
_URI_FIXER = re.compile("^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")


def map_content_type(content_type: str) -> str:
    content_type = content_type.lower()
    return CONTENT_TYPES.get(content_type, content_type)


def urljoin_fixed(base: str, uri: str) -> str:
    """feedparser.urls._urljoin: extra slashes after "scheme://" go, then the join."""
    if ":///" in uri:  # the only case the fix-up changes anything
        uri = _URI_FIXER.sub(r"\1\3", uri)
    if not base:
        return uri  # what urljoin returns for an empty base
    try:
        return urljoin(base, uri)
    except ValueError:
        return ""


@lru_cache(maxsize=256)
def safe_absolute_uri(base: str, rel: str) -> str:
    """feedparser.urls.make_safe_absolute_uri."""
    if not base:
        return rel or ""
    if not rel:
        try:
            scheme = urlparse(base)[0]
        except ValueError:
            return ""
        return base if not scheme or scheme in SCHEMES else ""
    uri = urljoin_fixed(base, rel)
    return uri if uri.strip().split(":", 1)[0] in SCHEMES else ""


def reads_as_html(text: str) -> bool:
    if not (_CLOSE_TAG.search(text) or _ANY_ENTITY.search(text)):
        return False
    if any(t.lower() not in ACCEPTABLE_ELEMENTS for t in _TAG_NAME.findall(text)):
        return False
    return all(e in entitydefs for e in _ENTITY_NAME.findall(text))
