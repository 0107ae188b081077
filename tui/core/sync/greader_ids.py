"""Google Reader item ids in their one stored form, and the state and label stream names.

An item has two spellings (google-reader-api wiki, "ItemId"; FreshRSS ``greader.php``
``dec2hex``/``hex2dec``): the long form ``tag:google.com,2005:reader/item/<hex>`` that
``stream/contents`` returns, the hex being the id as an unsigned 64-bit number padded to 16
digits; and the short form, the same number as a *signed* decimal, that
``stream/items/ids`` returns. yuedu stores the long form: it is what every server accepts
back in ``edit-tag``, and it also holds The Old Reader's 24-digit ids, which are no 64-bit
number at all.
"""

from __future__ import annotations

import re
from typing import Any

ITEM_PREFIX = "tag:google.com,2005:reader/item/"
READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
LABEL = "user/-/label/"

_HEX = re.compile(r"[0-9a-f]{1,32}")
_DECIMAL = re.compile(r"-?[0-9]{1,20}")
# Google and Inoreader name the user ("user/1005921515/state/..."), FreshRSS writes "-".
_STATE = re.compile(r"user/[^/]*/state/com\.google/(read|starred)")
_LABEL = re.compile(r"user/[^/]*/label/(.+)", re.DOTALL)
_BITS = 1 << 64


def item_id(value: Any) -> str | None:
    """The long form of an item id given in either form, or None when it is neither.

    A decimal wraps into 64 bits (``-1`` is ``ffffffffffffffff``); a string of digits that
    fits no 64-bit number, and any bare hex, is read as hex.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _from_number(value)
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if text.startswith(ITEM_PREFIX):
        digits = text[len(ITEM_PREFIX) :]
        return _from_hex(digits) if _HEX.fullmatch(digits) else None
    if _DECIMAL.fullmatch(text):
        long_form = _from_number(int(text))
        if long_form is not None:
            return long_form
    return _from_hex(text) if _HEX.fullmatch(text) else None


def state(category: str) -> str | None:
    """ "read" or "starred" for those state streams, whoever's user id names them."""
    match = _STATE.fullmatch(category)
    return match.group(1) if match else None


def label_name(stream: str) -> str | None:
    """The name of a ``user/<id>/label/<name>`` stream."""
    match = _LABEL.fullmatch(stream)
    return match.group(1) if match else None


def _from_number(number: int) -> str | None:
    if not -(_BITS // 2) <= number < _BITS:
        return None
    return f"{ITEM_PREFIX}{number % _BITS:016x}"


def _from_hex(digits: str) -> str:
    return ITEM_PREFIX + (digits.lstrip("0") or "0").rjust(16, "0")
