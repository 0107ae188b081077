"""A linear HTML tokenizer: start tags, end tags and text, in the order a browser reads them."""

from __future__ import annotations

import re
from html import unescape
from typing import Protocol

Attrs = list[tuple[str, str | None]]

# Elements whose content a browser does not parse as markup.
RAW_TEXT = frozenset(
    ["title", "textarea", "noscript", "noembed", "noframes", "xmp", "iframe", "plaintext"]
)


class TokenSink(Protocol):
    """What the tokenizer calls; names and arguments follow ``html.parser.HTMLParser``."""

    def handle_starttag(self, tag: str, attrs: Attrs) -> None: ...

    def handle_startendtag(self, tag: str, attrs: Attrs) -> None: ...

    def handle_endtag(self, tag: str) -> None: ...

    def handle_data(self, data: str) -> None: ...

    def handle_raw(self, data: str) -> None:
        """Text of a raw-text element (script, style, title, ...) or of a CDATA section."""


# The stdlib HTMLParser is several times slower a tag and, in Python 3.11, super-linear on
# hostile input (30 KB of "<a " takes it over 20 s). This is one regex scan, linear by
# construction: a quote delimits a value only after "=", attribute text stops at "<", and
# every quantifier is possessive, so a tag that never closes costs one short scan.
_MARKUP = re.compile(
    r"""<(?:
        (?P<start>[a-zA-Z][^\s/<>]*+)
        (?P<attrs>(?:[^<>"'=]|=\s*+(?:"[^"]*"|'[^']*')|[="'])*+)>
      | /(?P<end>[a-zA-Z][^\s/<>]*+)[^<>]*+>
      | !--.*?(?:-->|\Z)
      | !\[CDATA\[(?P<cdata>.*?)(?:\]\]>|\Z)
      | [!?/][^<>]*>
    )""",
    re.DOTALL | re.VERBOSE,
)
_ATTRIBUTE = re.compile(
    r"""([^\s"'<>/=][^\s"'<>/=]*+)(?:\s*+=\s*+(?:"([^"]*)"|'([^']*)'|([^\s"'<>=`]+)))?"""
)
_RAW_END: dict[str, re.Pattern[str]] = {
    tag: re.compile(f"</{tag}(?=[\\s/>]|\\Z)[^>]*>?", re.IGNORECASE)
    for tag in ("script", "style", *RAW_TEXT)
}


def _attributes(raw: str) -> list[tuple[str, str | None]]:
    attrs: list[tuple[str, str | None]] = []
    for name, double, single, bare in _ATTRIBUTE.findall(raw):
        value = double or single or bare
        if value and "&" in value:
            value = unescape(value)
        attrs.append((name.lower(), value))
    return attrs


def tokenize(source: str, builder: TokenSink) -> None:
    """Feed ``source`` to ``builder`` as start tags, end tags and text, as a browser reads it."""
    pos = 0
    size = len(source)
    search = _MARKUP.search
    while pos < size:
        match = search(source, pos)
        if match is None:
            break
        if match.start() > pos:
            text = source[pos : match.start()]
            builder.handle_data(unescape(text) if "&" in text else text)
        pos = match.end()
        tag = match.group("start")
        if tag is not None:
            tag = tag.lower()
            raw = match.group("attrs")
            closed = raw.endswith("/") and (len(raw) == 1 or raw[-2] in " \t\n\"'")
            attrs = _attributes(raw) if raw and not raw.isspace() and raw != "/" else []
            if closed:
                builder.handle_startendtag(tag, attrs)
                continue
            builder.handle_starttag(tag, attrs)
            end = _RAW_END.get(tag)
            if end is not None:
                # Script, style, title and friends hold text up to their own end tag only.
                close = end.search(source, pos)
                stop = close.start() if close is not None else size
                if stop > pos:
                    builder.handle_raw(source[pos:stop])
                builder.handle_endtag(tag)
                pos = close.end() if close is not None else size
            continue
        tag = match.group("end")
        if tag is not None:
            builder.handle_endtag(tag.lower())
            continue
        cdata = match.group("cdata")
        if cdata:
            builder.handle_raw(cdata)
    if pos < size:
        text = source[pos:]
        builder.handle_data(unescape(text) if "&" in text else text)
