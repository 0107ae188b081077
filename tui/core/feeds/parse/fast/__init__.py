"""Read well-formed RSS 2.0 (and 0.9x), RSS 1.0 and Atom 1.0 the way feedparser does, faster.

feedparser is the parser of record; this package answers only when it is sure of giving
what feedparser's strict (SAX) path gives for the same text, and ``None`` otherwise, so
that the caller hands the document to feedparser. ``read_feed`` returns feedparser's own
shapes (the version string, the feed dict, one dict per entry with the keys feedparser
uses), so both paths go through the same field cleaning in ``tui.core.feeds.parse.feed``
and ``parse.fields``.

How: expat (the parser under feedparser's SAX driver) with buffered character data,
driving a port of the part of feedparser 6.0's state machine that decides the fields a
reader shows: the element stack, contexts, xml:base, depth rules for titles, authors,
categories, links, guids, the "UTF-8 read as latin-1" repair and the windows-1252
mapping. Anything outside that part is refused, never guessed: a DOCTYPE (so no entity
can be declared, let alone expanded), elements inside a text field (inline XHTML),
content types other than text and HTML, base64, feedparser handlers not ported here
(GeoRSS, Podlove chapters, Creative Commons, ...), unknown elements whose names would
land on fields read downstream, dates not in plain RFC 822 or W3C-DTF form, nesting
deeper than ``MAX_DEPTH``, and any exception at all.

The port keeps feedparser's names (``_start_x``/``_end_x``, ``pop``, ``push_content``) so
that each rule can be checked against feedparser's source: ``tables`` and ``dates`` are its
data, ``sanitize`` its clean-ups, ``stack`` the state machine's state, ``atom``, ``rss`` and
``extensions`` the element handlers, ``reader`` the expat events that drive them.
"""

from __future__ import annotations

import re
from pyexpat import ParserCreate
from typing import Any

from tui.core.feeds.parse.fast.reader import MAX_DEPTH, Reader
from tui.core.feeds.parse.fast.refuse import refuse
from tui.core.feeds.parse.fast.sanitize import LATIN1, LATIN1_REF

__all__ = ["MAX_DEPTH", "FastFeed", "read_feed"]

FastFeed = tuple[str, dict[str, Any], list[dict[str, Any]]]
"""(feedparser's version string, feed dict, entry dicts)."""

_FIRST_ELEMENT = re.compile(r"<\w")


def read_feed(text: str) -> FastFeed | None:
    """feedparser's (version, feed, entries) for ``text``, or None to use feedparser.

    ``text`` is the decoded document without its XML declaration, as ``tui.core.feeds.parse.feed``
    hands it to feedparser. Never raises.
    """
    first = _FIRST_ELEMENT.search(text)
    prolog = text[: first.start() if first else len(text)]
    if "<!DOCTYPE" in prolog or "<!ENTITY" in prolog:
        return None  # feedparser edits these out of the prolog before parsing
    try:
        # Characters U+0080-U+00FF are what feedparser's latin-1 and windows-1252 repairs
        # act on; without any, raw or as references (most feeds), no field needs them.
        repair = LATIN1.search(text) is not None or LATIN1_REF.search(text) is not None
        reader = Reader(repair=repair)
        parser = ParserCreate(namespace_separator=" ")
        parser.namespace_prefixes = True
        parser.buffer_text = True
        parser.buffer_size = 1 << 16
        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
        parser.StartNamespaceDeclHandler = reader.declare
        parser.StartElementHandler = reader.start
        parser.EndElementHandler = reader.end
        parser.CharacterDataHandler = reader.data
        # What feedparser's SAX parser reads: its own declaration, then the text.
        parser.Parse("<?xml version='1.0' encoding='utf-8'?>", False)
        parser.Parse(text, True)
        if not reader.accepts():
            return None
        return reader.version, reader.feed, reader.entries
    except Exception:  # hostile or merely unusual input: feedparser decides
        return None
