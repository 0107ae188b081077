"""The Chinese, Japanese and Korean blocks of Unicode, as regex character-class bodies.

Each question needs its own answer, so each class is composed from the one table below:

* ``LINE_JOINED``: between two of these characters a line break in HTML source is an
  editor's artefact, not a space. CJK punctuation and fullwidth forms count; Hangul
  syllables do not, because Korean puts spaces between words.
* ``INDEXED_LETTERS``: the letters the search index cuts into n-grams. Punctuation is left
  out: the index's tokenizer splits on it, so a gram holding it would not be one token.
  The index's stored text depends on this set: changing it needs a migration that
  rebuilds the index.
* ``LATIN_SPACED``: what pangu-style spacing separates from Latin letters and digits;
  Unicode script properties, so it needs the ``regex`` module.
"""

from __future__ import annotations

HANGUL_JAMO = "\u1100-\u11ff"
# Radicals, CJK symbols and punctuation, kana, bopomofo, Hangul compatibility jamo, kanbun,
# strokes, enclosed and compatibility forms, extension A and the unified ideographs.
CJK_WIDE_BLOCKS = "\u2e80-\u9fff"
ITERATION_MARKS = "\u3005-\u3007"  # 々 〆 〇
HIRAGANA = "\u3041-\u3096\u309d-\u309f"
KATAKANA = "\u30a1-\u30fa\u30fc-\u30ff"
HANGUL_COMPATIBILITY_JAMO = "\u3131-\u318e"
KATAKANA_EXTENSIONS = "\u31f0-\u31ff"
IDEOGRAPHS = "\u3400-\u4dbf\u4e00-\u9fff"  # extension A, unified
COMPATIBILITY_IDEOGRAPHS = "\uf900-\ufaff"
HANGUL_SYLLABLES = "\uac00-\ud7a3"
COMPATIBILITY_FORMS = "\ufe30-\ufe4f"
FULLWIDTH_FORMS = "\uff00-\uffef"
IDEOGRAPHS_B_TO_G = "\U00020000-\U0003134f"
IDEOGRAPHIC_PLANES = "\U00020000-\U0003ffff"  # planes 2 and 3, assigned or not

LINE_JOINED = (
    CJK_WIDE_BLOCKS
    + COMPATIBILITY_IDEOGRAPHS
    + COMPATIBILITY_FORMS
    + FULLWIDTH_FORMS
    + IDEOGRAPHIC_PLANES
)
INDEXED_LETTERS = (
    HANGUL_JAMO
    + ITERATION_MARKS
    + HIRAGANA
    + KATAKANA
    + HANGUL_COMPATIBILITY_JAMO
    + KATAKANA_EXTENSIONS
    + IDEOGRAPHS
    + COMPATIBILITY_IDEOGRAPHS
    + HANGUL_SYLLABLES
    + IDEOGRAPHS_B_TO_G
)
# 々 and 〇, the prolonged sound mark, the kana repeat marks and bopomofo besides the scripts.
LATIN_SPACED = r"\p{Han}\p{Hiragana}\p{Katakana}\u3005\u3007\u30fc\u3031-\u3035\u3100-\u312f"
