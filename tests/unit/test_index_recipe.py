"""The search index's text is built cheaply but stays the recipe the stored rows were made with."""

from __future__ import annotations

import re
from itertools import chain

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.store.search import fold, index_text
from tui.core.text import script_tables
from tui.core.text.html.visible import visible_text
from tui.core.text.scripts import INDEXED_LETTERS

_CJK = re.compile(f"([{INDEXED_LETTERS}]+)")
_TRIGRAMS = re.compile(r"(?=([^\n]{3}))")


def _recipe(title: str, body_html: str) -> str:
    """The recipe as written down: fold the whole text, then cut it into words and grams."""
    text = fold(f"{title}\n{visible_text(body_html, tags_split_words=True)[:60_000]}")
    parts = _CJK.split(text)
    if len(parts) == 1:
        return text
    runs = list(dict.fromkeys(parts[1::2]))
    joined = "\n".join(runs)
    tails = [run[-2:] for run in runs if len(run) >= 2]
    grams = dict.fromkeys(chain(joined, _TRIGRAMS.findall(joined), tails))
    grams.pop("\n", None)
    return " ".join(parts[0::2]) + "\n" + " ".join(grams)


# Traditional, Simplified and Japanese forms of the same words, halfwidth katakana with
# separate voicing marks, fullwidth Latin, compatibility ideographs, tags and plain words.
PIECES = [
    "颱風", "台风", "台風", "防災", "防灾", "櫻", "桜", "樱", "體", "体", "ｶﾞｲﾄﾞ", "ｶ", "ﾞ",
    "ＡＢＣ", "１２", "\uf900", "\ufa0e", "新幹線", "半導體", "半导体", "中", "文", "中文",
    " ", "\n", "word", "Straße", "<p>", "</p>", "<b>", "&amp;", "、", "。", "𠀋", "𪚥",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=6),
    st.lists(st.sampled_from(PIECES), max_size=30),
)
def test_index_text_is_the_written_recipe(title: list[str], body: list[str]) -> None:
    assert index_text("".join(title), "".join(body)) == _recipe("".join(title), "".join(body))


def test_script_folding_keeps_letters_inside_the_indexed_set() -> None:
    # index_text folds only the CJK runs it has cut: a fold that turned a CJK letter into
    # something else (or the reverse) would move the cuts and change the recipe.
    indexed = re.compile(f"[{INDEXED_LETTERS}]")
    pairs = chain(
        zip(script_tables.TRADITIONAL, script_tables.TRADITIONAL_FOLDED, strict=True),
        zip(script_tables.SHINJITAI, script_tables.SHINJITAI_FOLDED, strict=True),
    )
    assert all(indexed.fullmatch(a) and indexed.fullmatch(b) for a, b in pairs)
