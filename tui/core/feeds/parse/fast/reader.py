"""The expat side of the fast path: element names to feedparser's handler names, attributes,
xml:base, and the handler tables built from the element classes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tui.core.feeds.parse.fast.extensions import ExtensionElements
from tui.core.feeds.parse.fast.refuse import Refuse, refuse
from tui.core.feeds.parse.fast.sanitize import safe_absolute_uri, urljoin_fixed
from tui.core.feeds.parse.fast.stack import Plan, store
from tui.core.feeds.parse.fast.tables import (
    ATOM10,
    FEEDPARSER_ENDS,
    FEEDPARSER_STARTS,
    KEYMAP,
    MATHML,
    NAMESPACES,
    RESERVED,
    RSS_READ,
    SVG,
)

MAX_DEPTH = 32
"""Deepest element nesting read here; real feeds without inline XHTML stay under 8."""

_IMAGE_CHILDREN = frozenset({"title", "link", "description", "url", "href", "width", "height"})


Handler = Callable[["Reader", dict[str, str]], None]
EndHandler = Callable[["Reader"], None]


class Reader(ExtensionElements):
    """feedparser's _FeedParserMixin state machine, for the elements it is ported for."""

    def declare(self, prefix: str | None, uri: str | None) -> None:
        if not uri:
            return
        if uri == "http://www.w3.org/1999/xlink" and prefix:
            raise Refuse  # feedparser passes this declaration on as an attribute
        lower = uri.lower()
        if not self.version:
            if (prefix, lower) == (None, "http://my.netscape.com/rdf/simple/0.9/"):
                self.version = "rss090"
            elif lower == "http://purl.org/rss/1.0/":
                self.version = "rss10"
            elif lower == "http://www.w3.org/2005/atom":
                self.version = "atom10"
        if "backend.userland.com/rss" in lower:
            uri = lower = "http://backend.userland.com/rss"
        known = NAMESPACES.get(lower)
        key = known if known is not None else prefix or ""
        # Feeds repeat declarations on every element; only a change renames anything.
        if self.namespaces_in_use.get(key) != uri or (
            known is not None and self.namespacemap.get(prefix) != known
        ):
            self.plans.clear()
        if known is not None:
            self.namespacemap[prefix] = known
        self.namespaces_in_use[key] = uri

    def _names(self, raw: str) -> tuple[str | None, str, str]:
        """(the tag when its prefix maps to none, start key, end key): the handler names
        feedparser derives from expat's "uri local prefix" element name."""
        parts = raw.split()
        if len(parts) == 1:
            namespace = None
        elif len(parts) in (2, 3):
            namespace = parts[0]
            if namespace in (MATHML, SVG):
                raise Refuse  # feedparser adds an xmlns attribute to these
        else:
            raise Refuse
        local = parts[-2 if len(parts) == 3 else -1].lower()
        lower = (namespace or "").lower()
        start_ns = namespace
        if "backend.userland.com/rss" in lower:
            start_ns = lower = "http://backend.userland.com/rss"
        plain, start_key = self._key(self._qualify(local, NAMESPACES.get(lower), start_ns))
        end_prefix = NAMESPACES.get((namespace or "").lower(), "")
        _, end_key = self._key(self._qualify(local, end_prefix, namespace))
        return plain, start_key, end_key

    def _qualify(self, local: str, prefix: str | None, namespace: str | None) -> str:
        if prefix:
            return f"{prefix}:{local}".lower()
        if namespace:
            for name, value in self.namespaces_in_use.items():
                if name and value == namespace:
                    return f"{name}:{local}".lower()
        return local

    def _key(self, tag: str) -> tuple[str | None, str]:
        prefix, colon, suffix = tag.partition(":")
        if not colon:
            prefix, suffix = "", tag
        prefix = self.namespacemap.get(prefix, prefix)
        # feedparser's scoping hack for image and textinput looks at the whole tag.
        return (None, f"{prefix}_{suffix}") if prefix else (tag, suffix)

    def _plan(self, raw: str) -> Plan:
        tag, key, end_key = self._names(raw)
        start = START.get(key)
        if start is None and (
            key in FEEDPARSER_STARTS or key in RESERVED or KEYMAP.get(key) in RESERVED
        ):
            start = refuse
        end = END.get(end_key)
        if end is None and end_key in FEEDPARSER_ENDS:
            end = refuse
        plan = self.plans[raw] = (
            tag is not None and tag not in ("title", "link", "description", "name"),
            tag is not None and tag not in _IMAGE_CHILDREN,
            start,
            key,
            end,
            end_key,
        )
        return plan

    def start(self, raw: str, attrs: dict[str, str]) -> None:
        plan = self.plans.get(raw) or self._plan(raw)
        self.depth += 1
        if self.depth > MAX_DEPTH or self.incontent:
            raise Refuse  # markup inside a text field is feedparser's inline XHTML
        if not self.root[0]:
            self.root = (plan[3], raw.split()[0] if " " in raw else "")
        if attrs:
            attrs_d = _attributes(attrs)
            base = attrs_d.get("xml:base", attrs_d.get("base")) or self.baseuri
        else:
            attrs_d = {}
            base = self.baseuri
        if self.baseuri:
            self.baseuri = safe_absolute_uri(self.baseuri, base) or self.baseuri
        elif base:
            self.baseuri = urljoin_fixed("", base)
        self.basestack.append(self.baseuri)
        resets_textinput, resets_image, handler, key, _, _ = plan
        if resets_textinput:  # feedparser's scoping hack for image and textinput
            self.intextinput = 0
        if resets_image:
            self.inimage = 0
        if handler is not None:
            handler(self, attrs_d)
        elif attrs_d:
            store(self._context(), key, attrs_d)
        else:
            self.stack.append((key, 1, []))

    def end(self, raw: str) -> None:
        plan = self.plans.get(raw) or self._plan(raw)
        handler = plan[4]
        if handler is not None:
            handler(self)
        else:
            self.pop(plan[5])
        stack = self.basestack
        stack.pop()
        # feedparser keeps a child's base when the parent's is empty.
        if stack and stack[-1]:
            self.baseuri = stack[-1]
        self.depth -= 1

    def accepts(self) -> bool:
        key, namespace = self.root
        if key == "rss":
            allowed = not namespace or "backend.userland.com/rss" in namespace.lower()
            return allowed and self.version in RSS_READ
        if key == "feed":
            return namespace == ATOM10 and self.version == "atom10"
        return key == "rdf_rdf" and self.version == "rss10"

    def data(self, text: str) -> None:
        if self.stack:
            self.stack[-1][2].append(text)


def _attributes(attrs: dict[str, str]) -> dict[str, str]:
    """Attribute names and values as feedparser's SAX handler and mixin see them."""
    found: dict[str, str] = {}
    for raw, value in attrs.items():
        if " " in raw:
            return _namespaced_attributes(attrs)
        key = raw.lower()
        found[key] = (value.lower() or value) if key in ("rel", "type") else value
    return found


def _namespaced_attributes(attrs: dict[str, str]) -> dict[str, str]:
    # SAX gives feedparser each attribute twice: under feedparser's prefix for a known
    # namespace (none for an unknown one), then under the document's own prefix.
    found: dict[str, str] = {}
    qualified: list[tuple[str, str]] = []
    for raw, value in attrs.items():
        parts = raw.split()
        if len(parts) == 1:
            local = qname = raw
        elif len(parts) == 3:
            prefix = NAMESPACES.get(parts[0].lower(), "")
            local = f"{prefix}:{parts[1]}" if prefix else parts[1]
            qname = f"{parts[2]}:{parts[1]}"
        else:
            raise Refuse
        found[local.lower()] = value
        qualified.append((qname.lower(), value))
    found.update(qualified)
    return {k: (v.lower() or v) if k in ("rel", "type") else v for k, v in found.items()}


_SHARED = {
    "managingeditor": "author", "dc_author": "author", "dc_creator": "author",
    "itunes_author": "author", "itunes_name": "name", "homepage": "url", "uri": "url",
    "itunes_email": "email", "tagline": "subtitle", "itunes_subtitle": "subtitle",
    "copyright": "rights", "dc_rights": "rights", "entry": "item", "dc_language": "language",
    "dc_publisher": "webmaster", "issued": "published", "pubdate": "published",
    "dcterms_issued": "published", "modified": "updated", "lastbuilddate": "updated",
    "dc_date": "updated", "dcterms_modified": "updated", "dcterms_created": "created",
    "keywords": "category", "dc_subject": "category", "id": "guid", "dc_title": "title",
    "dc_description": "description", "media_description": "description",
    "feedburner_browserfriendly": "info", "itunes_summary": "summary",
}  # fmt: skip
"""feedparser's handlers that are another element's under a second name."""


def _handlers(prefix: str, aliases: dict[str, str]) -> dict[str, Any]:
    table = {
        name.removeprefix(prefix): handler
        for cls in Reader.__mro__
        for name, handler in vars(cls).items()
        if name.startswith(prefix)
    }
    return table | {alias: table[target] for alias, target in aliases.items()}


START: dict[str, Handler] = _handlers(
    "_start_",
    _SHARED
    | {"media_title": "title", "fullitem": "content_encoded", "itunes_link": "itunes_image"},
)
END: dict[str, EndHandler] = _handlers(
    "_end_",
    _SHARED
    | {"feed": "channel", "itunes_category": "category", "media_category": "category"}
    | {"abstract": "description", "content_encoded": "content", "fullitem": "content"},
)
