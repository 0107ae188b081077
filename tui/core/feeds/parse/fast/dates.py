"""Feed dates the way feedparser reads them, for the forms where that is sure."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from functools import lru_cache

from tui.core.feeds.parse.fast.refuse import Refuse
from tui.core.feeds.parse.fast.tables import words

# Dates: only the plain forms, where feedparser's W3C-DTF and RFC 822 handlers are known
# to agree with this arithmetic; any other form sends the document to feedparser.
_W3CDTF = re.compile(
    r"(\d{4})-(\d\d?)-(\d\d?)(?:[T ](\d\d?):(\d\d?)(?::(\d\d?)(?:\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?"
)
_RFC822 = re.compile(
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun),?\s+)?(\d\d?)\s+"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+(\d{4})\s+"
    r"(\d\d?):(\d\d)(?::(\d\d))?\s+([+-]\d\d:?\d\d|[a-z]{1,5})",
    re.IGNORECASE,
)
_MONTHS = {m: i for i, m in enumerate(words("jan feb mar apr may jun jul aug sep oct nov dec"), 1)}
# feedparser's RFC 822 zone names; it reads any other name as UTC, and so does this.
_ZONES = {"adt": -3, "ast": -4, "at": -4, "edt": -4, "est": -5, "et": -5, "cdt": -5}
_ZONES |= {"cst": -6, "ct": -6, "mdt": -6, "mst": -7, "mt": -7, "pdt": -7, "pst": -8}
_ZONES |= {"pt": -8, "a": -1, "n": 1, "m": -12, "y": 12, "met": 1, "mest": 2}


@lru_cache(maxsize=64)
def parse_date(value: str | None) -> time.struct_time | None:
    """feedparser's UTC tuple for a plain date; raises Refuse for any other form."""
    if not value:
        return None
    match = _W3CDTF.fullmatch(value) if value[4:5] == "-" else None
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
        month_number = int(month)
        if zone and zone != "Z":
            sign = -1 if zone[0] == "-" else 1
            hours, minutes = sign * int(zone[1:3]), sign * int(zone[4:])
        else:
            hours = minutes = 0
    else:
        match = _RFC822.fullmatch(value)
        if not match:
            raise Refuse
        day, month, year, hour, minute, second, zone = match.groups()
        month_number = _MONTHS[month.lower()]
        if zone[0] in "+-":
            sign = -1 if zone[0] == "-" else 1
            hours, minutes = sign * int(zone[1:3]), sign * int(zone[-2:])
        else:
            zone = zone.lower()
            if zone.startswith("gmt") and zone != "gmt":
                raise Refuse  # "GMTx" takes a path of its own in feedparser
            hours, minutes = _ZONES.get(zone, 0), 0
    year_number = int(year)
    if not 1900 <= year_number <= 9000:
        raise Refuse
    try:
        stamp = datetime(
            year_number, month_number, int(day), int(hour or 0), int(minute or 0),
            int(second or 0),
        )  # fmt: skip
    except ValueError:
        raise Refuse from None
    if hours or minutes:
        stamp -= timedelta(hours=hours, minutes=minutes)
    return stamp.utctimetuple()
