"""Whitespace, controls and invisible characters in HTML text, treated as a browser would."""

from __future__ import annotations

import re

from tui.core.text.sanitize import CONTROL_PROBE, limit_marks, strip_controls
from tui.core.text.scripts import LINE_JOINED

_LINE_JOINED_CHAR = re.compile(f"[{LINE_JOINED}]")
# Patterns start with a literal: Python's re scans CJK text slowly for a leading class.
_NEWLINE_RUN = re.compile(r"\n[ \t\n]*")
BLANK_LINE = re.compile(r"\n[ \t]*\n[ \t\n]*")
EDGE_SPACE = " \t\n\xa0\u3000"
# Invisible characters that terminals draw inconsistently.
INVISIBLE = re.compile("[\xad\ufeff]")
# A list marker whose item was removed (spam templates leave "1." behind) says nothing.
ORPHAN_MARKER = re.compile(r"[0-9]{1,3}[.)]|[•·*\-–]")


def is_line_joined(ch: str) -> bool:
    """True for a CJK character: a source line break next to it on both sides is no space."""
    return _LINE_JOINED_CHAR.match(ch) is not None


def _join_cjk_lines(text: str) -> str:
    """Drop source line breaks between two CJK characters: an editor's artefact, not a space."""
    pieces: list[str] = []
    pos = 0
    for match in _NEWLINE_RUN.finditer(text):
        start, end = match.span()
        while start > pos and text[start - 1] in " \t":
            start -= 1
        if (
            start
            and end < len(text)
            and is_line_joined(text[start - 1])
            and is_line_joined(text[end])
        ):
            pieces.append(text[pos:start])
            pos = end
    if not pieces:
        return text
    pieces.append(text[pos:])
    return "".join(pieces)


def collapse(text: str) -> str:
    """Whitespace runs to one space, as a browser does; str.replace beats re on CJK text."""
    if "\n" in text:
        text = _join_cjk_lines(text).replace("\n", " ")
    if "\t" in text:
        text = text.replace("\t", " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def clean_text(text: str, *, keep_newlines: bool) -> str:
    """``sanitize.strip_controls``, with cheap proofs that there is nothing to strip first."""
    probe = text.replace("\n", " ").replace("\t", " ") if "\n" in text or "\t" in text else text
    if probe.isprintable() or CONTROL_PROBE.search(text) is None:
        return limit_marks(text if keep_newlines else probe)
    return strip_controls(text, keep_newlines=keep_newlines)
