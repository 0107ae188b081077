"""The visible text of an HTML fragment, for titles, summaries and the search index.

Cheaper than the tree builder and meant for short fields and indexing, not for reading: no
layout, no hidden-attribute evaluation. Scripts, styles, templates, noscript content and
comments are dropped, tags removed, character references decoded. Linear in the input:
hidden elements are found with one scan, and a search for a closing tag that failed is
never repeated.
"""

from __future__ import annotations

import re
from html import unescape

from tui.core.text.html.elements import K_INLINE, K_LINK, KINDS

_HIDDEN_NAMES = ("script", "style", "template", "noscript")
_HIDDEN_START = re.compile(rf"<(?:({'|'.join(_HIDDEN_NAMES)})\b|!--)", re.IGNORECASE)
_HIDDEN_END = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in _HIDDEN_NAMES}
# What the search index has always treated as a tag: a "<" up to the next ">" or the end.
_INDEX_TAG = re.compile(r"<[^>]*>?")
# A tag as a browser sees one; attribute text stops at "<", which keeps the scan linear.
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*+)?(?(2)[^<>]*+|[!?][^<>]*+)>")
_SEPARATES = frozenset({"br", "hr"})


def visible_text(markup: str, *, tags_split_words: bool = False) -> str:
    """The text of ``markup``, whitespace as in the source (callers collapse it if they need).

    A block-level tag becomes a space, an inline one (``<b>``, ``<a>``) vanishes, so
    ``中<b>文</b>`` stays one word; a ``<`` that opens no tag is text. With
    ``tags_split_words`` every tag, and a ``<`` with everything up to the next ``>`` or
    the end, becomes a space: the search index's recipe, kept byte for byte because
    the index deletes an entry's row by being handed the same text again.
    """
    if "<" not in markup and "&" not in markup:
        return markup
    text = _drop_hidden(markup)
    if tags_split_words:
        text = _INDEX_TAG.sub(" ", text)
    elif "<" in text:
        text = _TAG.sub(_tag_gap, text)
    return unescape(text)


def _tag_gap(match: re.Match[str]) -> str:
    name = (match.group(2) or "").lower()
    if name in _SEPARATES or KINDS.get(name, K_INLINE) not in (K_INLINE, K_LINK):
        return " "
    return ""


def _drop_hidden(markup: str) -> str:
    """Hidden elements and comments, each replaced by a space.

    A hidden element counts only once closed; an unclosed comment runs to the end (before
    a final newline). Once a search for ``>`` or for a closing tag fails, every later one
    would fail too, so it is not repeated.
    """
    pieces: list[str] = []
    pos = 0
    unclosed: set[str] = set()
    for match in _HIDDEN_START.finditer(markup):
        start = match.start()
        if start < pos:
            continue
        name = match.group(1)
        if name is None:
            close = markup.find("-->", match.end())
            if close >= 0:
                end = close + 3
            else:
                end = len(markup) - 1 if markup.endswith("\n") else len(markup)
        else:
            name = name.lower()
            if name in unclosed:
                continue
            gt = markup.find(">", match.end())
            found = _HIDDEN_END[name].search(markup, gt + 1) if gt >= 0 else None
            if found is None:
                unclosed.update(_HIDDEN_NAMES if gt < 0 else (name,))
                continue
            end = found.end()
        pieces.append(markup[pos:start])
        pieces.append(" ")
        pos = end
    if not pieces:
        return markup
    pieces.append(markup[pos:])
    return "".join(pieces)
