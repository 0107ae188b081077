"""The neutral blocks an article becomes: what the layout engine typesets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias


@dataclass(frozen=True, slots=True)
class Span:
    """A style over ``text[start:end]``; ``style`` is strong, em, code or link.

    For links ``link`` is the 1-based number of the URL in ``Document.links``.
    """

    start: int
    end: int
    style: str
    link: int | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Inline text; ``\\n`` inside ``text`` is a hard line break (``<br>``)."""

    text: str
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True, slots=True)
class Quote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Preformatted:
    """Text kept as written (tabs expanded); never reflowed."""

    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of single-line cell texts, all rows the same length; ``header``: row 0 is a header."""

    rows: tuple[tuple[str, ...], ...]
    header: bool


@dataclass(frozen=True, slots=True)
class Rule:
    pass


Block: TypeAlias = Paragraph | Heading | ListBlock | Quote | Preformatted | Table | Rule


@dataclass(frozen=True, slots=True)
class Document:
    """The blocks of an article and its numbered links: ``links[0]`` is reference ``[1]``."""

    blocks: tuple[Block, ...]
    links: tuple[str, ...] = ()


def block_lines(blocks: tuple[Block, ...]) -> list[str]:
    """The text of the blocks, one paragraph (or list item, or table row) a line."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph | Heading | Preformatted):
            lines.extend(line for line in block.text.split("\n") if line.strip())
        elif isinstance(block, ListBlock):
            for item in block.items:
                lines.extend(block_lines(item))
        elif isinstance(block, Quote):
            lines.extend(block_lines(block.blocks))
        elif isinstance(block, Table):
            lines.extend(" | ".join(cell for cell in row if cell) for row in block.rows)
    return lines
