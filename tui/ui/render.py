"""Feed data -> rich ``Text``, built from plain strings and never parsed as markup. Pure.

Every string from a feed passes through ``clean_line`` here (or was cleaned by the layout
engine), so no escape sequence, control character or bidi override reaches the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from rich.style import Style
from rich.text import Text

from tui.core.models import Entry
from tui.core.text.breaker import pad
from tui.core.text.lines import Line
from tui.core.text.sanitize import clean_line

ShowText = Callable[[str | None, int | None], str]
"""Feed text (a title, a feed's name) of a feed (its id, or None) -> the line shown: the
text pipeline of ``tui.core.text.display``; ``FeedService.show_line`` in the reader."""


def as_sent(text: str | None, _feed_id: int | None = None) -> str:
    """Feed text cleaned of control characters, otherwise as the feed wrote it."""
    return clean_line(text)


DATE_WIDTH = 5
FEED_COLUMN_MAX = 16

# Roles the layout engine gives line segments (see ``tui.core.text.layout.Line``) and their look.
# The article view lays theme colours over these; unknown roles stay plain.
ROLE_STYLES: Mapping[str, Style] = {
    "title": Style(bold=True),
    "h1": Style(bold=True, underline=True),
    "h2": Style(bold=True),
    "h3": Style(bold=True),
    "h4": Style(bold=True, italic=True),
    "h5": Style(italic=True),
    "h6": Style(italic=True),
    "strong": Style(bold=True),
    "em": Style(italic=True),
    "code": Style(bold=True),
    "link": Style(underline=True),
    "linkref": Style(dim=True),
    "quote-bar": Style(dim=True),
    "bullet": Style(bold=True),
    "pre": Style(),
    "fold-marker": Style(dim=True),
    "table": Style(),
    "rule": Style(dim=True),
    "meta-label": Style(dim=True),
    "meta": Style(),
}


def line_text(line: Line, styles: Mapping[str, Style] = ROLE_STYLES) -> Text:
    """One laid-out article line as ``Text``; segment roles become styles."""
    text = Text(no_wrap=True, end="")
    for segment, role in line.segments:
        text.append(segment, styles.get(role))
    return text


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis and padded to exactly that width."""
    return pad(text, width)


def plural(count: int, one: str, many: str) -> str:
    """``one`` for a count of 1, else ``many``: "1 entry", "2 entries"."""
    return one if count == 1 else many


def format_date(moment: datetime | None, now: datetime) -> str:
    """In five cells, as newsboat's list: the local time for an entry from today, the month
    and day for one from this year, else the year; "" when there is no date."""
    if moment is None:
        return ""
    local = moment.astimezone()
    today = now.astimezone().date()
    if local.date() == today:
        return local.strftime("%H:%M")
    if local.year == today.year:
        return local.strftime("%m-%d")
    return local.strftime("%Y")


@dataclass(frozen=True, slots=True)
class RowStyles:
    """How the parts of a list row look; the widget fills this from its component classes."""

    unread: Style = field(default_factory=lambda: Style(bold=True))
    read: Style = field(default_factory=lambda: Style(dim=True))
    marker: Style = field(default_factory=Style)
    star: Style = field(default_factory=Style)
    date: Style = field(default_factory=lambda: Style(dim=True))
    feed: Style = field(default_factory=Style)
    error: Style = field(default_factory=lambda: Style(bold=True))
    count: Style = field(default_factory=lambda: Style(dim=True))
    header: Style = field(default_factory=lambda: Style(bold=True, dim=True))
    match: Style = field(default_factory=lambda: Style(reverse=True))


@dataclass(frozen=True, slots=True)
class Markers:
    """Row markers. The defaults are East Asian Ambiguous; ``ascii_markers`` suits terminals
    that draw those two cells wide."""

    unread: str = "●"
    star: str = "★"


ASCII_MARKERS = Markers(unread="N", star="*")


def feed_column_width(width: int) -> int:
    """Cells for the feed name in virtual-feed lists: a quarter of the row, at most 16; the
    headline has the rest."""
    return max(0, min(FEED_COLUMN_MAX, (width - 16) // 4))


def entry_row(
    entry: Entry,
    width: int,
    *,
    now: datetime,
    show_feed: bool,
    styles: RowStyles = RowStyles(),
    markers: Markers = Markers(),
    terms: Sequence[str] = (),
    show: ShowText = as_sent,
) -> Text:
    """One entry-list row, exactly ``width`` cells: markers, date, [feed,] title, with a
    search's ``terms`` highlighted."""
    row = Text(no_wrap=True, end="")
    row.append(markers.unread if not entry.read else " ", styles.marker)
    row.append(markers.star if entry.starred else " ", styles.star)
    row.append(" ")
    # No date of its own: the time first seen would pass for one.
    row.append(format_date(entry.published or entry.updated, now).rjust(DATE_WIDTH), styles.date)
    row.append("  ")
    used = 2 + 1 + DATE_WIDTH + 2
    if show_feed:
        feed_width = feed_column_width(width)
        if feed_width >= 4:
            feed_name = show(entry.feed_title, entry.feed_id) or clean_line(entry.feed_url)
            row.append(fit(feed_name, feed_width), styles.feed)
            row.append("  ")
            used += feed_width + 2
    title = show(entry.title, entry.feed_id) or "(untitled)"
    row.append(fit(title, width - used), styles.read if entry.read else styles.unread)
    row.truncate(width, pad=True)
    if terms:
        row.highlight_words(terms, styles.match, case_sensitive=False)
    return row


def feed_row(
    label: str,
    count: int,
    width: int,
    *,
    failing: bool = False,
    indent: int = 1,
    styles: RowStyles = RowStyles(),
    label_style: Style | None = None,
) -> Text:
    """One feed-list row: a failure marker, the name, and the unread count at the right."""
    row = Text(no_wrap=True, end="")
    row.append("!" if failing else " ", styles.error if failing else None)
    row.append(" " * indent)
    count_text = f" {count}" if count else ""
    name_width = max(0, width - 1 - indent - len(count_text))
    row.append(fit(clean_line(label), name_width), label_style)
    row.append(count_text, styles.count)
    row.truncate(width, pad=True)
    return row


def header_row(label: str, width: int, *, styles: RowStyles = RowStyles()) -> Text:
    """A tag heading in the feed list."""
    row = Text(no_wrap=True, end="")
    row.append(" " + fit(clean_line(label), max(0, width - 1)), styles.header)
    row.truncate(width, pad=True)
    return row


def plain(text: str | None) -> Text:
    """Untrusted text as a one-line ``Text``: controls stripped, never markup."""
    return Text(clean_line(text), no_wrap=True, end="")
