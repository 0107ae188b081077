"""Article bodies: deterministic HTML of a chosen size, in one language of the pools.

Bodies look like news pages: paragraphs (some with links and emphasis), sub-headings,
figures with images, data tables, lists and block quotes.
"""

from __future__ import annotations

import random
from html import escape

from tui.bench.pools import EN, Language


def title(rng: random.Random, lang: Language) -> str:
    subject = rng.choice(lang.subjects)
    event = rng.choice(lang.events)
    if lang is EN:
        return f"{subject} {event}"
    if lang.code == "ja" and rng.random() < 0.5:
        return f"{subject}、{event}"
    return subject + event


def _sentences(rng: random.Random, lang: Language, count: int) -> list[str]:
    picked = [rng.choice(lang.sentences) for _ in range(count)]
    if lang is not EN and rng.random() < 0.15:
        # Chinese and Japanese news quote English sources now and then.
        picked.insert(rng.randrange(len(picked) + 1), rng.choice(EN.sentences))
    return picked


def _paragraph(rng: random.Random, lang: Language, link_base: str) -> str:
    parts = [escape(s, quote=False) for s in _sentences(rng, lang, rng.randint(2, 5))]
    roll = rng.random()
    if roll < 0.3:
        i = rng.randrange(len(parts))
        parts[i] = f'<a href="{link_base}/related/{rng.randrange(10**6)}.html">{parts[i]}</a>'
    elif roll < 0.45:
        i = rng.randrange(len(parts))
        parts[i] = f"<strong>{parts[i]}</strong>"
    sep = " " if lang is EN else ""
    return f"<p>{sep.join(parts)}</p>\n"


def _heading(rng: random.Random, lang: Language) -> str:
    level = rng.choice((2, 3))
    return f"<h{level}>{escape(title(rng, lang))}</h{level}>\n"


def _image(rng: random.Random, lang: Language, link_base: str) -> str:
    alt = escape(rng.choice(lang.sentences)[:24])
    src = f"{link_base}/img/{rng.randrange(10**8):08d}.jpg"
    if rng.random() < 0.5:
        caption = escape(rng.choice(lang.sentences), quote=False)
        return (
            f'<figure><img src="{src}" alt="{alt}" width="640" height="360">'
            f"<figcaption>{caption}</figcaption></figure>\n"
        )
    return f'<p><img src="{src}" alt="{alt}"></p>\n'


def _table(rng: random.Random, lang: Language) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in lang.table_head)
    rows = []
    for label in rng.sample(lang.table_rows, k=min(len(lang.table_rows), rng.randint(3, 6))):
        now = rng.uniform(10, 9000)
        before = now * rng.uniform(0.8, 1.2)
        change = (now - before) / before * 100
        rows.append(
            f"<tr><td>{escape(label)}</td><td>{now:,.1f}</td><td>{before:,.1f}</td>"
            f"<td>{change:+.1f}%</td></tr>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>\n"


def _list(rng: random.Random, lang: Language) -> str:
    tag = rng.choice(("ul", "ol"))
    items = "".join(
        f"<li>{escape(s, quote=False)}</li>" for s in _sentences(rng, lang, rng.randint(3, 5))
    )
    return f"<{tag}>{items}</{tag}>\n"


def _quote(rng: random.Random, lang: Language) -> str:
    opening, closing = lang.quote_marks
    said = escape(rng.choice(lang.sentences), quote=False)
    return f"<blockquote><p>{opening}{said}{closing}</p></blockquote>\n"


def article_html(rng: random.Random, lang: Language, target_bytes: int, link_base: str) -> str:
    """An HTML body of about ``target_bytes`` bytes of UTF-8 (a block more at most)."""
    blocks: list[str] = [_paragraph(rng, lang, link_base)]
    size = len(blocks[0].encode("utf-8"))
    while size < target_bytes:
        roll = rng.random()
        if roll < 0.6:
            block = _paragraph(rng, lang, link_base)
        elif roll < 0.68:
            block = _heading(rng, lang)
        elif roll < 0.78:
            block = _image(rng, lang, link_base)
        elif roll < 0.84:
            block = _table(rng, lang)
        elif roll < 0.92:
            block = _list(rng, lang)
        else:
            block = _quote(rng, lang)
        blocks.append(block)
        size += len(block.encode("utf-8"))
    return "".join(blocks)


def cjk_article(target_bytes: int, seed: int = 1, *, simplified: bool = False) -> str:
    """A Chinese article of about ``target_bytes`` for the layout benchmark, in Traditional
    (or Simplified) Chinese."""
    from tui.bench.pools import ZH_HANS, ZH_HANT

    rng = random.Random(f"cjk-article:{seed}:{target_bytes}")
    if simplified:
        return article_html(rng, ZH_HANS, target_bytes, "https://news.example.cn/2025")
    return article_html(rng, ZH_HANT, target_bytes, "https://news.example.tw/2025")


def cjk_paragraphs(total_bytes: int, seed: int = 1) -> list[str]:
    """Plain CJK paragraphs (Chinese and Japanese, some English mixed in) of about that size."""
    from tui.bench.pools import JA, ZH_HANS, ZH_HANT

    rng = random.Random(f"cjk-paragraphs:{seed}")
    out: list[str] = []
    size = 0
    while size < total_bytes:
        lang = rng.choice((ZH_HANT, ZH_HANS, JA))
        paragraph = "".join(_sentences(rng, lang, rng.randint(3, 8)))
        out.append(paragraph)
        size += len(paragraph.encode("utf-8"))
    return out
