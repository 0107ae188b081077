"""Frames: the structural state of the tree builder's pass, and the open-element record."""

from __future__ import annotations

from typing import TypeAlias

from tui.core.text.html.blocks import Block
from tui.core.text.html.elements import K_INLINE


class Container:
    """Root, quote or list item: a list of blocks. A ghost shares its ancestor's list."""

    __slots__ = ("blocks", "ghost", "kind")

    def __init__(self, kind: str, blocks: list[Block], ghost: bool = False) -> None:
        self.kind = kind
        self.blocks = blocks
        self.ghost = ghost


class ListFrame:
    __slots__ = ("ghost_target", "items", "ordered", "start")

    def __init__(self, ordered: bool, start: int, ghost_target: list[Block] | None) -> None:
        self.ordered = ordered
        self.start = start
        self.items: list[list[Block]] = []
        self.ghost_target = ghost_target

    def last_item(self) -> list[Block]:
        if self.ghost_target is not None:
            return self.ghost_target
        if not self.items:
            self.items.append([])
        return self.items[-1]


class HeadingFrame:
    __slots__ = ("level",)

    def __init__(self, level: int) -> None:
        self.level = level


class TableFrame:
    __slots__ = ("header_rows", "rows")

    def __init__(self) -> None:
        self.rows: list[list[str]] = []
        self.header_rows: list[bool] = []


class RowFrame:
    __slots__ = ("cells", "headers", "in_thead")

    def __init__(self, in_thead: bool) -> None:
        self.cells: list[str] = []
        self.headers: list[bool] = []
        self.in_thead = in_thead


class CellFrame:
    __slots__ = ("colspan", "header", "parts")

    def __init__(self, header: bool, colspan: int) -> None:
        self.header = header
        self.colspan = colspan
        self.parts: list[str] = []


class PreFrame:
    __slots__ = ()


Frame: TypeAlias = (
    Container | ListFrame | HeadingFrame | TableFrame | RowFrame | CellFrame | PreFrame
)


class Open:
    """One open element on the stack and what closing it must undo."""

    __slots__ = ("boundary", "frame", "kind", "style", "tag")

    def __init__(
        self,
        tag: str,
        kind: int = K_INLINE,
        frame: Frame | None = None,
        style: str | None = None,
        boundary: bool = False,
    ) -> None:
        self.tag = tag
        self.kind = kind
        self.frame = frame
        self.style = style
        self.boundary = boundary
