"""Search results in the order a reader means: the exact phrase first.

The index answers "every word, anywhere" ("Tim Cook" finds an article with "time" in one
paragraph and "cookbook" in another). Among those candidates, entries whose title holds the
typed phrase come first, then those whose text does, then the rest, each group newest first.
A query in double quotes keeps only the phrase matches. Titles are checked in the query
itself (LIKE, on the candidates only); texts are read and checked when at most
``BODY_LIMIT`` candidates are left, so that the list comes back within 100 ms; beyond that
the phrase in a title comes first and the rest follow, quoted or not.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence

from tui.core.store import codec, saving
from tui.core.store.search import fold
from tui.core.text.html.visible import visible_text

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


def like_pattern(phrase: str) -> str:
    """A LIKE pattern (escape character ``\\``) finding ``phrase`` anywhere; SQLite's LIKE
    ignores ASCII case."""
    escaped = phrase.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def ranked_ids(db: sqlite3.Connection, where: str, params: list[object], query: str) -> list[int]:
    """The ids a search's filter matches, newest first within each group: phrase in the
    title, phrase in the text, the rest (dropped when the query is quoted)."""
    phrase, forced = parse_phrase(query)
    order = " ORDER BY e.sort_key DESC, e.id DESC"
    if not phrase or (" " not in phrase and not forced):
        # One word: every candidate holds it.
        return [i for (i,) in db.execute(f"SELECT e.id FROM entries e{where}{order}", params)]
    rows = db.execute(
        f"SELECT e.id, e.title LIKE ? ESCAPE '\\' FROM entries e{where}{order}",
        [like_pattern(phrase), *params],
    )
    first: list[int] = []
    rest: list[int] = []
    for entry_id, in_title in rows:
        (first if in_title else rest).append(entry_id)
    if len(rest) > BODY_LIMIT:
        # Too common to check every text: the phrase in a title comes first, that is all.
        return first + rest
    in_text = _in_text(db, rest, phrase)
    second = [i for i in rest if i in in_text]
    if forced:
        return first + second
    return first + second + [i for i in rest if i not in in_text]


def _in_text(db: sqlite3.Connection, ids: Sequence[int], phrase: str) -> set[int]:
    found: set[int] = set()
    for chunk in saving.chunks(ids):
        marks = ",".join("?" * len(chunk))
        for entry_id, summary, content in db.execute(
            f"SELECT entry_id, summary, content FROM entry_bodies WHERE entry_id IN ({marks})",
            chunk,
        ):
            body = codec.decode_body(content)
            text = body or codec.decode_summary(summary, body)
            if phrase in normalize(visible_text(text)):
                found.add(entry_id)
    return found
