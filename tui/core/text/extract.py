"""Reader mode: from a saved web page to its article, as the blocks the layout typesets.

The page is decoded with the feeds' encoding detection, parsed once with lxml (which caps
nesting, so deep markup costs linear time), read for its title, byline and date, cleared
of chrome and boilerplate (``extract_prune``), and handed to readability-lxml, which picks
the subtree that holds the article. That subtree goes through the project's own HTML
builder, so sanitizing, link numbering and layout are the same as for feed bodies. Pure:
bytes in, document out, no I/O.

A page without an article raises ``ExtractError`` with a one-line reason rather than
returning None: the caller shows the reason, and "too big", "not HTML" and "no article"
read differently.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import lxml.etree
import lxml.html

from tui.core.errors import ExtractError
from tui.core.feeds.encoding import decode_document
from tui.core.text.extract_meta import PageMeta, byline_in, date_in, read_meta
from tui.core.text.extract_prune import prune
from tui.core.text.html.blocks import Block, Document, Heading, Paragraph, block_lines
from tui.core.text.html.tree import parse_html
from tui.core.text.sanitize import clean_line, safe_url, strip_controls

MAX_PAGE_BYTES = 5 * 1024 * 1024
"""Pages above this size are refused before decoding: no article is that long."""

# Less text than this is a stub, a paywall or a page of scripts, not an article.
_MIN_ARTICLE_CHARS = 50
# text/plain too: servers send saved and static pages with it.
_HTML_TYPES = re.compile(r"^\s*(?:text/html|application/xhtml\+xml|text/plain)\b", re.IGNORECASE)
_UNRENDERED = ("script", "style", "noscript", "template", "svg", "math", "object", "embed")
# Lines above the text that are the page's header: section labels, the headline again,
# the date and byline line. Longer than this, a line is text.
_HEADER_LINE = 100
_LABEL_LINE = 16
_HEADER_BLOCKS = 6
_SENTENCE_ENDS = ("。", "！", "？", "。”", "。」")
# Letters, digits and spaces only: a line with punctuation ("各单位：") is text.
_LABEL = re.compile(r"[^\W_]+(?: [^\W_]+)?")

# readability logs a traceback before raising Unparseable; the reason reaches the user
# through ExtractError instead.
logging.getLogger("readability").addHandler(logging.NullHandler())
logging.getLogger("readability").propagate = False


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """A page's article: ``title`` is empty when the page names none, ``date`` is
    ``YYYY-MM-DD``, and ``document`` holds the text without the headline and byline lines.
    """

    title: str
    byline: str | None
    date: str | None
    document: Document


def extract_article(body: bytes, url: str, content_type: str | None = None) -> ExtractedArticle:
    """The article of the page ``body`` fetched from ``url``; raises ``ExtractError``.

    ``content_type`` is the response's header value, if any: its charset is honoured and a
    type that is not HTML is refused.
    """
    if len(body) > MAX_PAGE_BYTES:
        raise ExtractError(f"page larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB", subject=url)
    if content_type and not _HTML_TYPES.match(content_type):
        kind = clean_line(content_type.split(";")[0])[:40]
        raise ExtractError(f"not an HTML page ({kind})", subject=url)
    text, _ = decode_document(body, content_type)
    # Escape sequences go whole before lxml sees the page: some lxml releases drop the ESC
    # of one themselves and would leave "]0;title" behind as text.
    root = _parse(strip_controls(text, keep_newlines=True), url)
    meta = read_meta(root)
    lxml.etree.strip_elements(root, *_UNRENDERED, with_tail=False)
    _drop_unsafe_links(root, url)
    prune(root)
    document = parse_html(_main_content(root, url), base_url=url)
    article = _without_header(document, meta)
    if _length(article.document.blocks) < _MIN_ARTICLE_CHARS:
        raise ExtractError("no article found on the page", subject=url)
    return article


def article_plain_text(article: ExtractedArticle) -> str:
    """The title, a blank line, then one paragraph per line, unwrapped; ends with a newline."""
    lines = [article.title, ""]
    lines.extend(block_lines(article.document.blocks))
    return "\n".join(lines) + "\n"


def _parse(text: str, url: str) -> lxml.html.HtmlElement:
    # libxml2 stops at depth 255 and drops the rest of the page: a page nested deeper has
    # no article, found in linear time. huge_tree lifts the limit at a superlinear cost.
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ExtractError("no article found on the page", subject=url) from error


def _main_content(root: lxml.html.HtmlElement, url: str) -> str:
    """The HTML of the subtree that holds the article, as readability picks it."""
    # Imported here: readability imports urllib.request and with it the socket module,
    # which the text layer keeps out of every process that only imports it.
    from readability import Document as Readability
    from readability.readability import Unparseable

    try:
        main: str = Readability(root, url=url).summary(html_partial=True)
    except Unparseable as error:
        raise ExtractError("no article found on the page", subject=url) from error
    return main


def _drop_unsafe_links(root: lxml.html.HtmlElement, url: str) -> None:
    """Unlink ``javascript:`` and other non-web links before readability blanks them.

    readability's cleaner turns them into empty links, which resolve to the page itself.
    """
    for link in root.iter("a"):
        href = link.get("href")
        if href is not None and safe_url(href, url) is None:
            del link.attrib["href"]


def _length(blocks: tuple[Block, ...]) -> int:
    return sum(len(line) for line in block_lines(blocks))


def _without_header(document: Document, meta: PageMeta) -> ExtractedArticle:
    """Move the header lines above the text out of the blocks, into title, byline and date.

    The header is every short line up to the last date or byline line near the top (a
    standfirst above it goes too), then section labels and the headline again.
    """
    title, byline, date = meta.title, meta.byline, meta.date
    blocks = document.blocks
    lines: list[str] = []
    for block in blocks[:_HEADER_BLOCKS]:
        if not isinstance(block, Paragraph | Heading) or len(block.text) > 2 * _HEADER_LINE:
            break
        lines.append(clean_line(block.text))
    header = texts = 0
    for index, line in enumerate(lines):
        if _is_sentence(line):
            # A standfirst may stand above the date line; a second paragraph is text,
            # and a date in a line after it ("《人民日报》（2024年07月09日02版）") is no header.
            texts += 1
            if texts > 1:
                break
        elif len(line) <= _HEADER_LINE and (date_in(line) or (byline and byline in line)):
            date = date or date_in(line)
            byline = byline or byline_in(line)
            header = index + 1
    for line in lines[header:]:
        if line != title and not _is_label(line):
            break
        header += 1
    if not title:
        title = next((line for line in lines[:header] if not _is_label(line)), "")
    return ExtractedArticle(title, byline, date, Document(blocks[header:], document.links))


def _is_sentence(line: str) -> bool:
    """A line of text: it ends a Chinese or Japanese sentence ("（记者王浩）……同期。")."""
    return line.endswith(_SENTENCE_ENDS)


def _is_label(line: str) -> bool:
    """A section name above a headline ("Cities", "新聞動態"), not text."""
    return len(line) <= _LABEL_LINE and _LABEL.fullmatch(line) is not None
