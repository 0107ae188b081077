"""The state of feedparser's state machine and its element stack, which every handler uses."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from tui.core.feeds.parse.fast.dates import parse_date
from tui.core.feeds.parse.fast.refuse import Refuse
from tui.core.feeds.parse.fast.sanitize import C1, reads_as_html, urljoin_fixed
from tui.core.feeds.parse.fast.tables import (
    CAN_BE_RELATIVE_URI,
    CONTENT_TYPES,
    CP1252,
    KEYMAP,
    TEXT_TYPES,
)

_AMPERSAND_REF = re.compile("&([A-Za-z0-9_]+);")
# feedparser's pattern, anchored at the start of a word: from inside one it can only fail
# again, after a scan of the rest of the word each time (quadratic on a long one).
_EMAIL = re.compile(
    r"""(?<![a-zA-Z0-9\_\-\.\+])(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|"""
    r"""(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"""
)


def store(context: dict[str, Any], key: str, value: Any) -> None:
    context[KEYMAP.get(key, key)] = value


def enforce_href(attrs: dict[str, str]) -> dict[str, str]:
    href = attrs.get("url", attrs.get("uri", attrs.get("href")))
    if href:
        attrs.pop("url", None)
        attrs.pop("uri", None)
        attrs["href"] = href
    return attrs


Plan = tuple[bool, bool, Any, str, Any, str]
"""Per element name: resets textinput, resets image, start handler (None: feedparser's
generic one), start key, end handler (None: generic), end key."""


class Stack:
    """The state of feedparser's _FeedParserMixin and the methods its handlers share."""

    def __init__(self, *, repair: bool) -> None:
        self.repair = repair
        self.feed: dict[str, Any] = {}
        self.entries: list[dict[str, Any]] = []
        self.depth_maps: list[dict[str, int]] = []
        self.version = ""
        self.root = ("", "")
        self.namespaces_in_use: dict[str, str] = {}
        self.namespacemap: dict[str | None, str] = {}
        self.plans: dict[str, Plan] = {}
        self.infeed = self.inentry = self.incontent = 0
        self.intextinput = self.inimage = 0
        self.inauthor = self.incontributor = self.inpublisher = self.insource = 0
        self.sourcedata: dict[str, Any] = {}
        self.contentparams: dict[str, Any] = {}
        self.summary_key: str | None = None
        self.stack: list[tuple[str, int, list[str]]] = []
        self.baseuri = ""
        self.basestack: list[str] = []
        self.title_depth = -1
        self.depth = 0
        self.has_content = 0
        self.guidislink = False

    # --- feedparser's element stack --------------------------------------------------

    def pop(self, element: str, strip_whitespace: bool = True) -> str | None:
        stack = self.stack
        if not stack or stack[-1][0] != element:
            return None
        _, expecting_text, pieces = stack.pop()
        output = "".join(pieces)
        if strip_whitespace:
            output = output.strip()
        if not expecting_text:
            return output
        if output and element in CAN_BE_RELATIVE_URI and (element != "id" or self.guidislink):
            output = urljoin_fixed(self.baseuri, output)
        params = self.contentparams
        if (
            params
            and params["type"] == "text/plain"
            and ("</" in output or "&" in output)  # what the guess needs to say HTML
            and not self.version.startswith("atom")
            and reads_as_html(output)
        ):
            params["type"] = "text/html"
        if self.repair and not output.isascii():
            with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
                output = output.encode("iso-8859-1").decode("utf-8")  # UTF-8 read as latin-1
            if C1.search(output):
                output = output.translate(CP1252)
        if element in ("category", "tags", "itunes_keywords"):
            return output
        if element == "title" and -1 < self.title_depth <= self.depth:
            return output
        if self.inentry and not self.insource:
            self._store_entry_field(element, output)
        elif self.infeed or self.insource:
            context = self._context()
            if element == "description":
                element = "subtitle"
            store(context, element, output)
            if element == "link":
                output = _AMPERSAND_REF.sub(r"&\g<1>", output)
                context[element] = output
                context["links"][-1]["href"] = output
            elif self.incontent:
                store(context, element + "_detail", {**params, "value": output})
        return output

    def _store_entry_field(self, element: str, output: str) -> None:
        entry = self.entries[-1]
        if element == "content":
            entry.setdefault("content", []).append({**self.contentparams, "value": output})
        elif element == "link":
            if not self.inimage:
                if "&" in output:
                    output = _AMPERSAND_REF.sub(r"&\g<1>", output.replace("&amp;", "&"))
                entry["link"] = output
                if output:
                    entry["links"][-1]["href"] = output
        else:
            if element == "description":
                element = "summary"
            depths = self.depth_maps[-1]
            old = depths.get(element)
            if old is None or self.depth <= old:
                depths[element] = self.depth
                entry[KEYMAP.get(element, element)] = output
            if self.incontent:
                detail = {**self.contentparams, "value": output}
                entry[KEYMAP.get(element + "_detail", element + "_detail")] = detail

    def push_content(self, tag: str, attrs: dict[str, str], default: str, expecting: Any) -> None:
        self.incontent += 1
        content_type = attrs.get("type", default).lower()
        content_type = CONTENT_TYPES.get(content_type, content_type)
        if content_type not in TEXT_TYPES or attrs.get("mode") == "base64":
            raise Refuse
        self.contentparams = {"type": content_type, "base": self.baseuri}
        self.stack.append((tag, expecting, []))

    def _pop_list(self, element: str) -> list[str]:
        value = self.pop(element)
        if value is None:
            raise Refuse  # feedparser's handler fails here and it falls back on another
        return value.split(",")

    def pop_content(self, tag: str) -> str | None:
        value = self.pop(tag)
        self.incontent -= 1
        self.contentparams.clear()
        return value

    def _context(self) -> dict[str, Any]:
        if self.insource:
            return self.sourcedata
        if self.inimage and "image" in self.feed:
            image: dict[str, Any] = self.feed["image"]
            return image
        if self.intextinput:
            textinput: dict[str, Any] = self.feed["textinput"]
            return textinput
        if self.inentry:
            return self.entries[-1]
        return self.feed

    def _save(self, key: str, value: Any, overwrite: bool = False) -> None:
        context = self._context()
        if overwrite:
            store(context, key, value)
        else:
            context.setdefault(key, value)

    def _save_date(self, key: str, value: str | None) -> None:
        context = self._context()
        # Only entry dates are read downstream; others need not parse.
        parsed = parse_date(value) if self.inentry and context is self.entries[-1] else None
        store(context, key, parsed)

    def _save_author(self, key: str, value: Any, prefix: str = "author") -> None:
        context = self._context()
        context.setdefault(prefix + "_detail", {})
        context[prefix + "_detail"][key] = value
        self._sync_author_detail()
        context.setdefault("authors", [{}])
        context["authors"][-1][key] = value

    def _save_contributor(self, key: str, value: Any) -> None:
        context = self._context()
        context.setdefault("contributors", [{}])
        context["contributors"][-1][key] = value

    def _sync_author_detail(self, key: str = "author") -> None:
        context = self._context()
        detail = context.get(key + "s", [{}])[-1]
        if detail:
            name, email = detail.get("name"), detail.get("email")
            if name and email:
                context[key] = f"{name} ({email})"
            elif name:
                context[key] = name
            elif email:
                context[key] = email
            return
        author, email = context.get(key), None
        if not author:
            return
        match = _EMAIL.search(author)
        if match:
            email = match.group(0)
            author = author.replace(email, "").replace("()", "").replace("<>", "")
            author = author.replace("&lt;&gt;", "").strip()
            if author and author[0] == "(":
                author = author[1:]
            if author and author[-1] == ")":
                author = author[:-1]
            author = author.strip()
        if author or email:
            context.setdefault(key + "_detail", detail)
        if author:
            detail["name"] = author
        if email:
            detail["email"] = email

    def _add_tag(self, term: str | None, scheme: str | None, label: str | None) -> None:
        tags = self._context().setdefault("tags", [])
        if not term and not scheme and not label:
            return
        value = {"term": term, "scheme": scheme, "label": label}
        if value not in tags:
            tags.append(value)
