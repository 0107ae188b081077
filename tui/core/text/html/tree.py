"""Article HTML (or plain text) -> neutral blocks that the layout engine typesets.

Feed HTML is broken, junk-laden and hostile, so the conversion is a single forward pass:
``tokenizer.tokenize`` (one linear regex scan) drives ``TreeBuilder`` with an explicit
element stack. Nothing recurses, every piece of text goes through
``sanitize.strip_controls`` and every URL through ``sanitize.safe_url``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tui.core.text.html.blocks import Block, Document, Paragraph
from tui.core.text.html.chars import BLANK_LINE, EDGE_SPACE, INVISIBLE, clean_text
from tui.core.text.html.elements import (
    K_INLINE,
    K_LINK,
    K_MEDIA,
    K_SKIP,
    KINDS,
    STYLES,
    VOID,
    attr,
    is_hidden,
)
from tui.core.text.html.frames import Open
from tui.core.text.html.ruby import RUBY_PARTS
from tui.core.text.html.structure import StructureBuilder
from tui.core.text.html.tokenizer import RAW_TEXT, Attrs, tokenize
from tui.core.text.sanitize import clean_line

if TYPE_CHECKING:
    from tui.core.text.ruby import RubyMode


class TreeBuilder(StructureBuilder):
    """The single pass: tokenizer callbacks drive a stack of open elements and frames."""

    # --- results ---

    def document(self) -> Document:
        while self._stack:
            self._pop()
        self._flush()
        return Document(tuple(self._root.blocks), tuple(self.links))

    # --- tokenizer callbacks ---

    def handle_startendtag(self, tag: str, attrs: Attrs) -> None:
        # XHTML-style <x/>: an empty element. Raw-text ones must not enter raw mode.
        if tag in VOID:
            self.handle_starttag(tag, attrs)
        elif tag in RAW_TEXT:
            if tag == "iframe" and not self._skip:
                self._media_line(attr(attrs, "src"), "video")
        else:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_starttag(self, tag: str, attrs: Attrs) -> None:
        if self._skip:
            if tag == "body" and self._counts.get("head"):
                self.handle_endtag("head")  # </head> was left out
            else:
                if tag in ("source", "embed") and self._media:
                    self._media_source(attrs)
                if tag not in VOID:
                    self._push(Open(tag))
                return
        if tag in VOID:
            self._void(tag, attrs)
            return
        kind = KINDS.get(tag, K_INLINE)
        if self._ruby is not None and kind not in (K_INLINE, K_SKIP, K_LINK):
            # A block or media inside a ruby ends it: the unit is inline text. (A link inside
            # one keeps its text in the ruby and loses its target.)
            self._pop_to(next(entry for entry in self._stack if entry.tag == "ruby"))
        if kind == K_SKIP or (attrs and is_hidden(attrs)):
            self._skip += 1
            self._push(Open(tag, K_SKIP))
            return
        if not self._pre and (tag == "ruby" or (tag in RUBY_PARTS and self._ruby is not None)):
            if tag == "ruby":
                self._ruby_open()
            elif self._ruby is not None:
                self._ruby.start(tag)
            return
        if kind == K_INLINE:
            style = STYLES.get(tag)
            if style is not None and not self._pre:
                self._style_open(style)
            self._push(Open(tag, style=style if not self._pre else None))
            return
        if self._pre:
            if kind == K_MEDIA:
                self._skip += 1
                self._push(Open(tag, K_SKIP))
                return
            # Inside <pre>, structure is only line breaks (highlighters wrap lines in divs);
            # links are left as text.
            if kind != K_LINK:
                self._boundary()
            self._push(Open(tag))
            return
        self._start_structural(tag, kind, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "br" and not self._skip:
            self._line_break()
            return
        if tag in RUBY_PARTS and self._ruby is not None and not self._skip:
            self._ruby.end()
            return
        if not self._counts.get(tag):
            if tag == "p" and not self._skip:
                self._boundary()
            return
        while self._stack:
            if self._pop().tag == tag:
                break

    def handle_raw(self, data: str) -> None:
        """Text of a raw-text element: shown only where such an element is shown (<xmp>)."""
        self.handle_data(data)

    def handle_data(self, data: str) -> None:
        if self._skip or not data:
            return
        data = clean_text(data, keep_newlines=True)
        if "\xad" in data or "\ufeff" in data:
            data = INVISIBLE.sub("", data)
        if self._ruby is not None and not self._pre:
            self._ruby.add(data)
            return
        if self._pre:
            if "\t" in data:
                data = data.expandtabs(4)
            self._buf.append(data)
            self._len += len(data)
            if data:
                self._last = data[-1]
            return
        if self._blank_lines_split() and "\n" in data:
            pieces = BLANK_LINE.split(data)
            for index, piece in enumerate(pieces):
                if index:
                    self._flush()
                self._text(piece)
        else:
            self._text(data)


def parse_html(source: str, *, base_url: str | None = None, ruby: RubyMode = "show") -> Document:
    """Convert article HTML into blocks and the list of safe link URLs, in reading order.

    ``ruby``: "show" gives ``漢字(かんじ)``, "hide" the base text alone."""
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    builder = TreeBuilder(base_url, ruby)
    tokenize(source, builder)
    return builder.document()


def parse_plain(source: str) -> Document:
    """Plain text: each non-blank input line is one paragraph."""
    blocks: list[Block] = []
    for line in source.splitlines():
        text = clean_line(line).strip(EDGE_SPACE)
        if text:
            blocks.append(Paragraph(text))
    return Document(tuple(blocks))


_KNOWN_TAG = re.compile(
    r"<(?:/?(?:a|abbr|acronym|address|article|aside|audio|b|big|blockquote|body|br|button|"
    r"caption|center|cite|code|dd|del|details|div|dl|dt|em|embed|figcaption|figure|font|"
    r"footer|h[1-6]|head|header|hr|html|i|iframe|img|ins|kbd|li|main|mark|menuitem|meta|nav|"
    r"object|ol|p|picture|pre|q|rp|rt|ruby|s|script|section|small|source|span|strike|strong|"
    r"style|sub|sup|table|tbody|td|th|thead|time|tr|tt|u|ul|video|wbr)\b[^<>]*>|!--)"
    r"|&(?:[a-zA-Z]{2,8}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});",
    re.IGNORECASE,
)


def looks_like_html(source: str) -> bool:
    """True when the text carries HTML tags or character references."""
    return _KNOWN_TAG.search(source) is not None
