"""An entry laid out as the reader, ``show`` and ``show --full`` print it: title, a header
of feed, author, date and link, the body (the feed's or the full article's), then its
numbered links and enclosures."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tui.core.enclosures import listed_enclosures
from tui.core.models import Entry
from tui.core.text.html.blocks import Document
from tui.core.text.sanitize import safe_url

if TYPE_CHECKING:
    from tui.core.store.articles import StoredArticle
    from tui.core.text.lines import Article, LayoutOptions


def feed_body(entry: Entry, width: int, options: LayoutOptions) -> Article:
    """The entry with the body its feed sent."""
    from tui.core.text.layout import render_article

    header = _header(entry, entry.author, format_local(entry.date) if entry.date else None)
    return render_article(
        entry.content or entry.summary,
        width,
        base_url=entry.link or entry.feed_url,
        header=header,
        title=entry.title or "(untitled)",
        options=options,
        enclosures=listed_enclosures(entry.enclosures),
    )


def full_article(
    entry: Entry, article: StoredArticle, width: int, options: LayoutOptions
) -> Article:
    """The entry with the full article from its link, its byline and date where the feed
    gave none."""
    from tui.core.text.layout import render_document

    date = format_local(entry.date) if entry.date else article.published
    header = _header(entry, entry.author or article.byline, date)
    return render_document(
        article.document or Document(()),
        width,
        header=header,
        title=article.title or entry.title or "(untitled)",
        options=options,
        enclosures=listed_enclosures(entry.enclosures),
    )


def _header(entry: Entry, author: str | None, date: str | None) -> list[tuple[str, str]]:
    header: list[tuple[str, str]] = [("Feed", entry.feed_title or entry.feed_url)]
    if author:
        header.append(("Author", author))
    if date:
        header.append(("Date", date))
    link = safe_url(entry.link)
    if link:
        header.append(("Link", link))
    return header


def format_local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
