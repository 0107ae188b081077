"""Search results in the order a reader means: the exact phrase first.

The index answers "every word, anywhere" ("Tim Cook" finds an article with "time" in one
paragraph and "cookbook" in another). Among those candidates, entries whose title holds the
typed phrase come first, then those whose text does, then the rest, each group newest first.
A query in double quotes keeps only the phrase matches. Titles are checked for up to
``TITLE_LIMIT`` candidates and bodies for up to ``BODY_LIMIT``: a query that broad is too
common a word to rank by phrase anyway, and the list must come back within 100 ms.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence

from tui.core.store import codec, saving
from tui.core.store.search import fold
from tui.core.text.html.visible import visible_text

TITLE_LIMIT = 20_000
BODY_LIMIT = 400
_SPACES = re.compile(r"\s+")


def parse_phrase(query: str) -> tuple[str, bool]:
    """The phrase to look for, folded, and whether the user forced it with double quotes."""
    stripped = query.strip()
    forced = len(stripped) >= 2 and stripped[0] in '"“「' and stripped[-1] in '"”」'
    if forced:
        stripped = stripped[1:-1]
    return normalize(stripped), forced


def normalize(text: str) -> str:
    """Case, compatibility forms and runs of spaces folded, for a phrase comparison."""
    return _SPACES.sub(" ", fold(text).casefold()).strip()


def rank(db: sqlite3.Connection, ids: Sequence[int], query: str) -> list[int]:
    """``ids`` (newest first) reordered: phrase in the title, phrase in the text, the rest."""
    phrase, forced = parse_phrase(query)
    if not phrase or (" " not in phrase and not forced) or len(ids) > TITLE_LIMIT:
        # One word: every candidate holds it; and too many candidates to check.
        return list(ids)
    in_title: set[int] = set()
    for chunk in saving.chunks(ids):
        marks = ",".join("?" * len(chunk))
        for entry_id, title in db.execute(
            f"SELECT id, title FROM entries WHERE id IN ({marks})", chunk
        ):
            if phrase in normalize(title or ""):
                in_title.add(entry_id)
    in_text: set[int] = set()
    rest = [i for i in ids if i not in in_title]
    if len(rest) <= BODY_LIMIT:
        for chunk in saving.chunks(rest):
            marks = ",".join("?" * len(chunk))
            for entry_id, summary, content in db.execute(
                f"SELECT entry_id, summary, content FROM entry_bodies WHERE entry_id IN ({marks})",
                chunk,
            ):
                body = codec.decode_body(content)
                text = body or codec.decode_summary(summary, body)
                if phrase in normalize(visible_text(text)):
                    in_text.add(entry_id)
    first = [i for i in ids if i in in_title]
    second = [i for i in rest if i in in_text]
    if forced:
        return first + second
    return first + second + [i for i in rest if i not in in_text]
