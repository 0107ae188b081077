"""Fold Chinese and Japanese character forms to one script, for the search index.

台风 and 颱風, 防灾 and 防災, 桜 and 櫻 and 樱 all fold to the Simplified form, so a query in
either script finds text in either. Character by character: the index only needs the two
sides to meet, not good Simplified prose, and a table keeps folding independent of OpenCC.
The table is checked in (``script_tables``) so the index recipe changes only with a migration,
never with an OpenCC upgrade.
"""

from __future__ import annotations

import re
from functools import cache

from tui.core.text import script_tables

# Supplementary ideographs are rare: text holding one goes through the dict, the rest through
# a flat BMP table (twice as fast as a dict; characters past its end are left alone).
_ASTRAL = re.compile("[\U00020000-\U0003134f]")


@cache
def _tables() -> tuple[str, dict[int, int]]:
    mapping = str.maketrans(script_tables.TRADITIONAL, script_tables.TRADITIONAL_FOLDED)
    mapping.update(str.maketrans(script_tables.SHINJITAI, script_tables.SHINJITAI_FOLDED))
    bmp = "".join(chr(mapping.get(cp, cp)) for cp in range(0x10000))
    return bmp, mapping


def fold_scripts(text: str) -> str:
    """``text`` with every Traditional or Japanese-only form replaced by its Simplified form.

    One character in, one character out: offsets and lengths are kept.
    """
    bmp, mapping = _tables()
    return text.translate(mapping if _ASTRAL.search(text) else bmp)
