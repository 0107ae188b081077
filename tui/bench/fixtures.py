"""The benchmark's feeds: N feeds of K items, deterministic for a seed.

Feeds are Traditional and Simplified Chinese, Japanese and English, RSS 2.0 or Atom, and
about one in eight is encoded in Big5 or GBK with a matching XML declaration, as real
Chinese feeds still are. Bodies are 1-8 KB of HTML from :mod:`tui.bench.articles`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from tui.bench.articles import article_html, title
from tui.bench.pools import EN, JA, ZH_HANS, ZH_HANT, Language
from tui.core.models import ParsedEntry

BASE_TIME = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
"""The newest item of every generated feed is a little older than this."""

_LANGUAGE_MIX = ((ZH_HANT, 0.3), (ZH_HANS, 0.3), (JA, 0.2), (EN, 0.2))
LEGACY_SHARE = 0.12
"""Share of feeds served in Big5 (Traditional) or GBK (Simplified)."""


@dataclass(frozen=True, slots=True)
class FeedSpec:
    index: int
    lang: Language
    kind: str
    """"rss" or "atom"."""
    encoding: str
    """"utf-8", "big5" or "gbk"; the XML declaration names it."""
    charset_in_header: bool
    """Whether the server repeats the encoding in Content-Type."""
    cdata: bool
    """RSS bodies in CDATA sections rather than escaped."""
    title: str
    path: str

    @property
    def site(self) -> str:
        return f"https://{self.lang.domain}/feed{self.index}"

    @property
    def content_type(self) -> str:
        base = "application/rss+xml" if self.kind == "rss" else "application/atom+xml"
        return f"{base}; charset={self.encoding}" if self.charset_in_header else base


@dataclass(frozen=True, slots=True)
class Item:
    guid: str
    link: str
    title: str
    author: str
    published: datetime
    html: str
    category: str


def feed_specs(count: int, seed: int = 0) -> list[FeedSpec]:
    rng = random.Random(f"feeds:{seed}")
    languages = [lang for lang, _ in _LANGUAGE_MIX]
    weights = [w for _, w in _LANGUAGE_MIX]
    legacy = set(rng.sample(range(count), k=round(count * LEGACY_SHARE)))
    specs = []
    for i in range(count):
        lang = rng.choices(languages, weights)[0]
        encoding = "utf-8"
        if i in legacy:
            # Legacy encodings only exist for Chinese; make the feed Chinese to match.
            lang = ZH_HANT if rng.random() < 0.5 else ZH_HANS
            encoding = "big5" if lang is ZH_HANT else "gbk"
        kind = "rss" if rng.random() < 0.6 else "atom"
        name = rng.choice(lang.feed_names)
        specs.append(
            FeedSpec(
                index=i,
                lang=lang,
                kind=kind,
                encoding=encoding,
                charset_in_header=encoding != "utf-8" and rng.random() < 0.5,
                cdata=encoding == "utf-8" and rng.random() < 0.5,
                title=f"{name} {i + 1}",
                path=f"/feeds/{i:04d}.xml",
            )
        )
    return specs


def feed_items(spec: FeedSpec, count: int, seed: int = 0, *, prefix: str = "item") -> list[Item]:
    """``count`` items, newest first; ``prefix`` keeps the guids of different sets apart."""
    rng = random.Random(f"items:{seed}:{prefix}:{spec.index}")
    start = BASE_TIME - timedelta(minutes=rng.randrange(600))
    items = []
    when = start
    for j in range(count):
        when -= timedelta(minutes=rng.randrange(20, 400))
        link = f"{spec.site}/{when:%Y/%m/%d}/{prefix}-{j}.html"
        items.append(
            Item(
                guid=f"tag:{spec.lang.domain},2025:{prefix}/{spec.index}/{j}",
                link=link,
                title=title(rng, spec.lang),
                author=rng.choice(spec.lang.authors),
                published=when,
                html=article_html(rng, spec.lang, _body_size(rng), spec.site),
                category=rng.choice(spec.lang.subjects),
            )
        )
    return items


def feed_xml(spec: FeedSpec, items: Sequence[Item], *, self_url: str = "") -> bytes:
    text = _rss(spec, items) if spec.kind == "rss" else _atom(spec, items, self_url)
    # Pool text is checked to encode; the fallback keeps a stray character valid XML.
    return text.encode(spec.encoding, errors="xmlcharrefreplace")


def _rss(spec: FeedSpec, items: Sequence[Item]) -> str:
    out = [
        f'<?xml version="1.0" encoding="{_xml_encoding(spec)}"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
        f"<title>{escape(spec.title)}</title>\n<link>{spec.site}/</link>\n"
        f"<description>{escape(spec.title)}</description>\n"
        f"<language>{spec.lang.code}</language>\n"
    ]
    if items:
        out.append(f"<lastBuildDate>{format_datetime(items[0].published)}</lastBuildDate>\n")
    for item in items:
        body = f"<![CDATA[{item.html}]]>" if spec.cdata else escape(item.html, quote=False)
        out.append(
            f"<item>\n<title>{escape(item.title)}</title>\n<link>{item.link}</link>\n"
            f'<guid isPermaLink="false">{item.guid}</guid>\n'
            f"<pubDate>{format_datetime(item.published)}</pubDate>\n"
            f"<dc:creator>{escape(item.author)}</dc:creator>\n"
            f"<category>{escape(item.category)}</category>\n"
            f"<description>{body}</description>\n</item>\n"
        )
    out.append("</channel>\n</rss>\n")
    return "".join(out)


def _atom(spec: FeedSpec, items: Sequence[Item], self_url: str) -> str:
    updated = (items[0].published if items else BASE_TIME).isoformat()
    out = [
        f'<?xml version="1.0" encoding="{_xml_encoding(spec)}"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{spec.lang.code}">\n'
        f"<title>{escape(spec.title)}</title>\n"
        f'<link rel="alternate" href="{spec.site}/"/>\n'
    ]
    if self_url:
        out.append(f'<link rel="self" href="{escape(self_url)}"/>\n')
    out.append(
        f"<id>tag:{spec.lang.domain},2025:feed/{spec.index}</id>\n<updated>{updated}</updated>\n"
    )
    for item in items:
        out.append(
            f"<entry>\n<title>{escape(item.title)}</title>\n"
            f'<link rel="alternate" href="{item.link}"/>\n<id>{item.guid}</id>\n'
            f"<published>{item.published.isoformat()}</published>\n"
            f"<updated>{item.published.isoformat()}</updated>\n"
            f"<author><name>{escape(item.author)}</name></author>\n"
            f'<category term="{escape(item.category)}"/>\n'
            f'<content type="html">{escape(item.html, quote=False)}</content>\n</entry>\n'
        )
    out.append("</feed>\n")
    return "".join(out)


def _xml_encoding(spec: FeedSpec) -> str:
    return {"utf-8": "utf-8", "big5": "Big5", "gbk": "GBK"}[spec.encoding]


def opml(feeds: Sequence[tuple[str, str]]) -> str:
    """An OPML 2.0 subscription list of (url, title) pairs."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<opml version="2.0"><head><title>yuedu bench</title></head><body>',
    ]
    for url, name in feeds:
        lines.append(
            f'<outline type="rss" text="{escape(name)}" title="{escape(name)}" '
            f'xmlUrl="{escape(url)}"/>'
        )
    lines.append("</body></opml>")
    return "\n".join(lines) + "\n"


def cache_entries(spec: FeedSpec, count: int, seed: int = 0) -> Iterator[ParsedEntry]:
    """Older articles for a pre-filled cache, as the parser would hand them to the store."""
    for item in feed_items(spec, count, seed, prefix="cached"):
        yield ParsedEntry(
            guid=item.guid,
            link=item.link,
            title=item.title,
            author=item.author,
            # A year of history: cached articles are older than anything a refresh brings.
            published=item.published - timedelta(days=30),
            content=item.html,
            categories=(item.category,),
        )


def _body_size(rng: random.Random) -> int:
    # 1-8 KB, most of them short, as on news sites: about 3.4 KB on average.
    return round(rng.triangular(1024, 8192, 1024))
