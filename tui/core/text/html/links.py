"""The inline half of the tree builder, continued: links, images and embedded media.

Every URL goes through ``sanitize.safe_url``; links are numbered in reading order, the same
URL keeping its first number.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from tui.core.text.html.blocks import Paragraph, Span
from tui.core.text.html.elements import K_LINK, attr
from tui.core.text.html.frames import CellFrame, Open
from tui.core.text.html.inline import InlineText
from tui.core.text.html.tokenizer import Attrs
from tui.core.text.sanitize import clean_line, safe_url

_AUDIO_EXT = re.compile(r"\.(?:mp3|m4a|aac|ogg|oga|opus|wav|flac)$", re.IGNORECASE)


def _file_name(url: str) -> str:
    parts = urlsplit(url)
    name = unquote(parts.path.rstrip("/").rpartition("/")[2])
    return clean_line(name) or (parts.hostname or "")


class LinkedContent(InlineText):
    """Links, images and media: inline content that carries a URL."""

    def _start_link(self, tag: str, attrs: Attrs) -> None:
        if self._link_open:
            for entry in reversed(self._stack):
                if entry.kind == K_LINK:
                    self._pop_to(entry)
                    break
        url = self._url(attr(attrs, "href")) if not self._pre else None
        self._link_open = self._waiting = True
        self._link_url = url
        self._link_number = None
        self._link_start = None
        self._push(Open(tag, K_LINK))

    def _link_close(self) -> None:
        number, start = self._link_number, self._link_start
        self._link_open = False
        self._link_url = self._link_number = self._link_start = None
        if number is None or start is None or self._len <= start:
            return
        if isinstance(self._frames[-1], CellFrame):
            self._append_raw(f"[{number}]")
        else:
            self._spans.append(Span(start, self._len, "link", number))

    def _url(self, raw: str | None) -> str | None:
        if raw and ("\t" in raw or "\n" in raw):
            # A browser's URL parser drops these: "java\tscript:" is still javascript:.
            raw = raw.replace("\t", "").replace("\n", "")
        return safe_url(raw, self._base)

    def _image(self, attrs: Attrs) -> None:
        if attr(attrs, "width") in ("0", "1") or attr(attrs, "height") in ("0", "1"):
            return  # a tracking pixel
        raw = attr(attrs, "src") or attr(attrs, "data-src")
        url = self._url(raw)
        alt = clean_line(attr(attrs, "alt")) or (_file_name(url) if url else "")
        if not alt:
            return
        label = f"[image: {alt}]"
        if self._pre:
            self._append_raw(label)
            return
        # The image's own number comes before that of a link around it.
        number = self._number(url) if url is not None else None
        self._text(label)
        if number is None:
            return
        start = self._len - len(label)
        if isinstance(self._frames[-1], CellFrame):
            self._append_raw(f"[{number}]")
        else:
            self._spans.append(Span(start, self._len, "link", number))

    def _media_source(self, attrs: Attrs) -> None:
        media = self._media[-1]
        url = attr(attrs, "src")
        if not url:
            return
        kind_attr = (attr(attrs, "type") or "").lower()
        audio = media.tag == "audio" or kind_attr.startswith("audio/")
        if self._media_line(url, "audio" if audio else "video"):
            self._media.pop()

    def _media_line(self, raw: str | None, kind: str) -> bool:
        url = self._url(raw)
        if url is None:
            return False
        if kind == "video" and _AUDIO_EXT.search(urlsplit(url).path):
            kind = "audio"
        number = self._number(url)
        label = f"[{kind}: {url}]"
        if isinstance(self._frames[-1], CellFrame) or self._pre:
            self._append_raw(f"{label}[{number}]" if self._len == 0 else f" {label}[{number}]")
            return True
        self._flush()
        self._container_blocks().append(Paragraph(label, (Span(0, len(label), "link", number),)))
        return True
