"""A Document to compact JSON and back, so a full article is cached as the blocks it became.

Caching the blocks rather than the page's HTML means a cached article is shown without
parsing again, and reads the same however the extractor changes later. ``load_document``
raises ValueError on anything it did not write.
"""

from __future__ import annotations

import json
from typing import Any

from tui.core.text.html.blocks import (
    Block,
    Document,
    Heading,
    ListBlock,
    Paragraph,
    Preformatted,
    Quote,
    Rule,
    Span,
    Table,
)


def dump_document(document: Document) -> str:
    data = {"b": [_dump(block) for block in document.blocks], "l": list(document.links)}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def load_document(text: str) -> Document:
    try:
        data = json.loads(text)
        blocks = tuple(_load(item) for item in data["b"])
        links = tuple(str(link) for link in data["l"])
    except (KeyError, TypeError, IndexError, AttributeError) as error:
        raise ValueError(f"not a stored document ({error.__class__.__name__})") from None
    return Document(blocks, links)


def _spans(spans: tuple[Span, ...]) -> list[list[Any]]:
    return [[s.start, s.end, s.style, s.link] for s in spans]


def _dump(block: Block) -> list[Any]:
    match block:
        case Paragraph(text, spans):
            return ["p", text, _spans(spans)]
        case Heading(level, text, spans):
            return ["h", level, text, _spans(spans)]
        case ListBlock(ordered, start, items):
            return ["l", ordered, start, [[_dump(b) for b in item] for item in items]]
        case Quote(blocks):
            return ["q", [_dump(b) for b in blocks]]
        case Preformatted(text):
            return ["pre", text]
        case Table(rows, header):
            return ["t", [list(row) for row in rows], header]
    return ["r"]


def _load_spans(items: list[Any]) -> tuple[Span, ...]:
    return tuple(
        Span(int(a), int(b), str(style), None if n is None else int(n)) for a, b, style, n in items
    )


def _load(item: list[Any]) -> Block:
    kind = item[0]
    if kind == "p":
        return Paragraph(str(item[1]), _load_spans(item[2]))
    if kind == "h":
        return Heading(int(item[1]), str(item[2]), _load_spans(item[3]))
    if kind == "l":
        items = tuple(tuple(_load(b) for b in blocks) for blocks in item[3])
        return ListBlock(bool(item[1]), int(item[2]), items)
    if kind == "q":
        return Quote(tuple(_load(b) for b in item[1]))
    if kind == "pre":
        return Preformatted(str(item[1]))
    if kind == "t":
        return Table(tuple(tuple(str(cell) for cell in row) for row in item[1]), bool(item[2]))
    if kind == "r":
        return Rule()
    raise ValueError(f"unknown block {kind!r}")
