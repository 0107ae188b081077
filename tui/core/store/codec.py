"""Conversions between the models and the cache's columns."""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tui.core.models import Enclosure, Entry, Feed, ParsedEntry
from tui.core.store import compression
from tui.core.store.search import index_text
from tui.core.text.html.blocks import Document, block_lines
from tui.core.text.html.serial import dump_document, load_document
from tui.core.text.sanitize import clean_line

_SURROGATE = re.compile("[\ud800-\udfff]")
# Bodies shorter than this stay plain TEXT: a compressed frame would eat what it saves.
_COMPRESS_FROM = 256

FEED_COLUMNS = (
    "f.id, f.url, f.title, f.custom_title, f.site_link, f.etag, f.last_modified, "
    "f.last_fetched, f.status, f.error, f.unread, f.total"
)
ENTRY_COLUMNS = (
    "e.id, e.feed_id, f.url, f.title, f.custom_title, e.guid, e.link, e.title, e.author, "
    "e.published, e.updated, e.enclosures, e.read, e.starred, e.first_seen, e.categories"
)


def storable(text: str) -> str:
    """Text SQLite can hold: lone surrogates (from broken decoders) become U+FFFD."""
    # isascii() is a flag lookup: ids, links and English text skip the scan.
    return _SURROGATE.sub("\ufffd", text) if text and not text.isascii() else text


def to_epoch(when: datetime) -> int:
    """Seconds since the epoch; a naive datetime is taken as UTC."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp())


def from_epoch(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def hash64(*parts: object) -> int:
    """A stable signed 64-bit hash (SQLite integers are signed)."""
    digest = hashlib.blake2b(
        "\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"),
        digest_size=8,
    ).digest()
    return int.from_bytes(digest, "big", signed=True)


def decode_body(value: object) -> str:
    """A stored summary or content column back to text."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return compression.decompress(value)
    return str(value)


def encode_body(text: str) -> str | bytes | None:
    if not text:
        return None
    if len(text) < _COMPRESS_FROM:
        return text
    return compression.compress(text)


def encode_summary(summary: str, content: str) -> str | bytes | None:
    """The summary column: NULL when empty, '' when it repeats the content (feeds often do)."""
    if summary and summary == content:
        return ""
    return encode_body(summary)


def decode_summary(value: object, content: str) -> str:
    return content if value == "" else decode_body(value)


def encode_enclosures(enclosures: Sequence[Enclosure]) -> str | None:
    if not enclosures:
        return None
    items = [{"url": e.url, "type": e.type, "length": e.length} for e in enclosures]
    return storable(json.dumps(items, ensure_ascii=False, separators=(",", ":")))


def decode_enclosures(value: str | None) -> tuple[Enclosure, ...]:
    if not value:
        return ()
    try:
        items = json.loads(value)
        return tuple(
            Enclosure(
                url=str(i["url"]),
                type=str(i.get("type") or ""),
                length=i["length"] if isinstance(i.get("length"), int) else None,
            )
            for i in items
        )
    except (ValueError, TypeError, KeyError):
        return ()


def encode_categories(categories: Sequence[str]) -> str | None:
    words = clean_tags(categories)
    return storable(json.dumps(words, ensure_ascii=False)) if words else None


def decode_categories(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    try:
        items = json.loads(value)
    except ValueError:
        return ()
    return tuple(str(i) for i in items) if isinstance(items, list) else ()


def clean_tags(tags: Sequence[str]) -> list[str]:
    """Tags as one-line strings, empty ones dropped, first spelling of each kept in order."""
    return list(dict.fromkeys(t for t in (clean_line(tag) for tag in tags) if t))


@dataclass(frozen=True, slots=True)
class Incoming:
    """A parsed entry with its keys and hashes, made outside any transaction.

    Bodies are compressed and index text built only for entries that are new or changed.
    """

    key_hash: int
    link_hash: int | None
    content_hash: int
    guid: str | None
    link: str | None
    title: str
    author: str
    published: int | None
    updated: int | None
    summary: str
    content: str
    enclosures: str | None
    categories: str | None

    def stored_bodies(self) -> tuple[str | bytes | None, str | bytes | None]:
        """The summary and content columns."""
        return encode_summary(self.summary, self.content), encode_body(self.content)

    def fts_text(self) -> str:
        return index_text(self.title, self.content or self.summary)


def prepare(entry: ParsedEntry) -> Incoming:
    """Keys and hashes for one parsed entry.

    The dedup key is the guid, else the link, else the title with the date.
    """
    guid = storable(entry.guid or "") or None
    link = storable(entry.link or "") or None
    title = storable(entry.title)
    author = storable(entry.author)
    summary = storable(entry.summary)
    # Most feeds send one body, which the parser hands over as both summary and content.
    content = summary if entry.content is entry.summary else storable(entry.content)
    enclosures = encode_enclosures(entry.enclosures)
    categories = encode_categories(entry.categories)
    # Categories join the hash only when there are some, so entries without any keep
    # the hash they were stored with.
    extra = (categories,) if categories else ()
    published = None if entry.published is None else to_epoch(entry.published)
    updated = None if entry.updated is None else to_epoch(entry.updated)
    if guid:
        key: tuple[object, ...] = ("g", guid)
    elif link:
        key = ("l", link)
    else:
        key = ("t", title, published if published is not None else updated)
    return Incoming(
        key_hash=hash64(*key),
        link_hash=hash64(link) if link else None,
        content_hash=hash64(
            guid, link, title, author, published, updated, summary, content, enclosures, *extra
        ),
        guid=guid,
        link=link,
        title=title,
        author=author,
        published=published,
        updated=updated,
        summary=summary,
        content=content,
        enclosures=enclosures,
        categories=categories,
    )


def stored_fts_text(title: str, summary: object, content: object, article: object = None) -> str:
    """The index text an already stored entry was indexed with; ``article`` is the body
    column of its cached full article, if any."""
    body = decode_body(content)
    return index_text(title, body or decode_summary(summary, body)) + article_fts_text(article)


def encode_article(document: Document) -> bytes:
    """A full article's body column: its blocks, always compressed (articles are long)."""
    return compression.compress(dump_document(document))


def decode_article(value: object) -> Document | None:
    """A full article's body column back to blocks; None when empty or unreadable."""
    if not isinstance(value, bytes):
        return None
    try:
        return load_document(compression.decompress(value))
    except (*compression.DAMAGED, ValueError):
        return None


def article_fts_text(article: object) -> str:
    """What a full article's body column adds to its entry's index text ("" for none).

    Goes through ``index_text`` like every body; the plain text is escaped because
    ``index_text`` takes markup.
    """
    document = decode_article(article)
    if document is None:
        return ""
    return "\n" + index_text("", html.escape("\n".join(block_lines(document.blocks))))


def feed_from_row(row: Sequence[Any], tags: Sequence[str]) -> Feed:
    (feed_id, url, title, custom, site_link, etag, last_modified, fetched, status, error,
     unread, total) = row  # fmt: skip
    return Feed(
        id=feed_id,
        url=url,
        title=custom or title,
        site_link=site_link,
        tags=tuple(tags),
        etag=etag,
        last_modified=last_modified,
        last_fetched=from_epoch(fetched),
        status=status,
        error=error,
        unread=unread,
        total=total,
    )


def entry_from_row(row: Sequence[Any], summary: object = None, content: object = None) -> Entry:
    (entry_id, feed_id, feed_url, feed_title, feed_custom, guid, link, title, author,
     published, updated, enclosures, read, starred, first_seen, categories) = row  # fmt: skip
    body = decode_body(content)
    return Entry(
        id=entry_id,
        feed_id=feed_id,
        feed_url=feed_url,
        feed_title=feed_custom or feed_title,
        guid=guid,
        link=link,
        title=title,
        author=author,
        published=from_epoch(published),
        updated=from_epoch(updated),
        summary=decode_summary(summary, body),
        content=body,
        enclosures=decode_enclosures(enclosures),
        read=bool(read),
        starred=bool(starred),
        first_seen=from_epoch(first_seen),
        categories=decode_categories(categories),
    )
