"""Full-text indexing and query building for the entry search index.

The index is one contentless FTS5 table with ``detail=none`` and the ``unicode61`` tokenizer.
Latin, Cyrillic and other spaced scripts go in as words (case and diacritics folded by the
tokenizer). Chinese, Japanese and Korean have no spaces, so each CJK run goes in as n-gram
tokens: every 3-character piece, and the last two characters and the last character of the
run (a token written twice for one entry is stored once). Every character of a run then
starts a token. A query of three CJK characters is one exact token; one or two characters
are a prefix ("AB" starts every trigram "ABx", or ends a run); four or more ask for all
their overlapping 3-character pieces (so an article holding every piece, but never in one
row, matches too: rare in real text).
``detail=none`` stores no positions: the n-grams themselves carry the adjacency. Measured on
the same 5,000 mixed Chinese/Japanese/Korean/English articles, an index that also held every
single character took 6.5 MiB where a positional ``trigram`` table plus a positional
one-token-per-character table for short queries took 51 MiB. Leaving the single characters
out (schema 6) cut the tokens an entry from 813 to 604 on the benchmark's articles, the
index at 100,000 articles from 79 to 57 MB, and the cost of writing it by a quarter; a
one-character query, now a prefix, answers in 5-25 ms at 100,000 articles, as a two-character
one always did.

Chinese and Japanese character forms are folded to one script (``fold_scripts``) in the
index text and in the query alike, so 台风 finds 颱風 and 防灾 finds 防災.

The text given to the index for an entry must give the same set of tokens every time:
contentless FTS5 tables delete a row by being handed its text again (SQLite before 3.43 has
no other way), and with ``detail=none`` only the set counts, not order or repeats. Changing
the set :func:`index_text` gives needs a schema migration that rebuilds the index; a unit
test holds it to the recipe. SQLite's own ``trigram`` tokenizer would cut the windows in C,
but it finds nothing for one or two characters and no phrase without positions; measured
on the benchmark's articles it saved 34 µs an entry, where building the windows from
strided copies of UTF-32 bytes saves 60.
"""

from __future__ import annotations

import re
import unicodedata

from tui.core.models import EntryFilter
from tui.core.text.fold import fold_scripts
from tui.core.text.html.visible import visible_text
from tui.core.text.scripts import INDEXED_LETTERS as _CJK

_CJK_SPLIT = re.compile(f"([{_CJK}]+)")
# A window that starts on the blank lines after a run: it holds the next run's first
# characters, which are no gram of the recipe.
_SEPARATOR_WINDOWS = re.compile(" \n[^ ]*")
# A query piece: a CJK run, or a run of other letters and digits (what unicode61 keeps).
_QUERY_PIECE = re.compile(f"([{_CJK}]+)|((?:(?![{_CJK}])[^\\W_])+)")
# Forms that full NFKC would change and that matter to search: fullwidth letters and
# digits, halfwidth katakana (with their separate voicing marks), compatibility
# ideographs. Full NFKC of every article costs more than the rest of indexing together.
_COMPAT_LETTERS = "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff66-\uff9f\uf900-\ufaff"
_COMPAT = re.compile(f"[{_COMPAT_LETTERS}]+")
_RUN_OR_COMPAT_SPLIT = re.compile(f"([{_CJK}{_COMPAT_LETTERS}]+)")

# A body longer than this is indexed by its beginning only; feeds that ship whole books in
# one item would otherwise dominate the index.
MAX_INDEXED_CHARS = 60_000
# Latin prefixes shorter than this would expand to thousands of terms and crawl.
_MIN_PREFIX = 3


def fold(text: str) -> str:
    """Fullwidth letters and digits, halfwidth katakana and compatibility ideographs in their
    usual forms, and Traditional or Japanese-only characters in their Simplified forms, as
    the index holds them."""
    return fold_scripts(_usual_forms(text))


def _usual_forms(text: str) -> str:
    return _COMPAT.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def index_text(title: str, body_html: str) -> str:
    """The text handed to the FTS table for one entry: words, then CJK n-grams."""
    text = f"{title}\n{visible_text(body_html, tags_split_words=True)[:MAX_INDEXED_CHARS]}"
    # The runs are cut with the compatibility forms counted in, so that looking for those
    # forms in the runs (a third of the text, repeats dropped) tells whether the text has
    # any: most has none, and is cut as it is.
    parts = _RUN_OR_COMPAT_SPLIT.split(text)
    if len(parts) == 1:
        return text
    runs = _distinct_runs(parts)
    if _COMPAT.search(runs):
        # Their usual forms may join runs or leave them (halfwidth katakana, fullwidth
        # Latin): the text is cut again once they are in.
        text = _usual_forms(text)
        parts = _CJK_SPLIT.split(text)
        if len(parts) == 1:
            return text
        runs = _distinct_runs(parts)
    # Script folding maps CJK letters to CJK letters one for one, so it can wait until the
    # runs are cut and the repeats dropped.
    windows = _windows(fold_scripts(runs))
    return " ".join(parts[0::2]) + "\n" + _SEPARATOR_WINDOWS.sub("", windows)


def _distinct_runs(parts: list[str]) -> str:
    """The CJK runs of a split (its odd items), each once, two blank lines after each.

    A run met before adds no gram: skipping repeats keeps the tokens the same, and feeds
    repeat their bylines, names and stock phrases. The windows that end in the blank lines
    are a run's last two characters and its last one; the two that start in them are
    dropped.
    """
    return "\n\n".join(dict.fromkeys(parts[1::2])) + "\n\n"


def _windows(text: str) -> str:
    """Every three-character window of ``text``, each followed by a space.

    Built by the bytes of UTF-32, where every character is four bytes: twelve strided
    copies lay the windows out side by side. A regex or a loop makes a string object per
    window, which cost twice what this whole function does.
    """
    count = len(text) - 2
    if count <= 0:
        return ""
    chars = text.encode("utf-32-le")
    out = bytearray(16 * count)
    # Byte b (0-11) of window i is byte b counted from the window's first character, i;
    # bytes 12-15 are the space, whose last three bytes are the zeros already there.
    for byte in range(12):
        out[byte::16] = chars[byte : byte + 4 * count : 4]
    out[12::16] = b" " * count
    return out.decode("utf-32-le")


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression for what a user typed, or None if it holds nothing searchable.

    Every piece must match (AND). Operators, quotes, parentheses and stars in the user's text
    are never passed through as syntax: only letters and digits survive, each quoted.
    Words of three or more letters match as prefixes ("feed" finds "feeds").
    """
    terms: dict[str, None] = {}
    for match in _QUERY_PIECE.finditer(fold(query)):
        run, word = match.group(1), match.group(2)
        if run:
            if len(run) <= 2:
                terms[_quote(run) + "*"] = None
            elif len(run) == 3:
                terms[_quote(run)] = None
            else:
                for i in range(len(run) - 2):
                    terms[_quote(run[i : i + 3])] = None
        elif word:
            terms[_quote(word) + ("*" if len(word) >= _MIN_PREFIX else "")] = None
    return " AND ".join(terms) if terms else None


def filter_clause(flt: EntryFilter) -> tuple[str, list[object]]:
    """The WHERE clause (on the entries alias ``e``) and its parameters for a filter
    without a query (see :mod:`tui.core.store.queries` for one with)."""
    clauses, params = filter_conditions(flt)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def filter_conditions(flt: EntryFilter) -> tuple[list[str], list[object]]:
    """The SQL conditions on ``e`` and their parameters for every field but ``query``."""
    clauses: list[str] = []
    params: list[object] = []
    if flt.feed_id is not None:
        clauses.append("e.feed_id = ?")
        params.append(flt.feed_id)
    if flt.tag is not None:
        clauses.append("e.feed_id IN (SELECT feed_id FROM feed_tags WHERE tag = ?)")
        params.append(flt.tag)
    # Literal 0/1 (not parameters) so the partial indices on read and starred apply.
    if flt.unread_only:
        clauses.append("e.read = 0")
    if flt.starred_only:
        clauses.append("e.starred = 1")
    if flt.search is not None and flt.search.strip():
        expression = match_expression(flt.search)
        if expression is None:
            clauses.append("0")  # punctuation only: nothing can match
        else:
            clauses.append("e.id IN (SELECT rowid FROM entry_fts WHERE entry_fts MATCH ?)")
            params.append(expression)
    return clauses, params
