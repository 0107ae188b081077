"""Phrase boundaries from budoux (an optional dependency) for Japanese and Chinese.

The breaker prefers to break at them (``WrapOptions.phrases``); without budoux, or for a
paragraph in no language it has a model for, there are none.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from itertools import accumulate

import regex

__all__ = ["phrase_edges"]

# Paragraphs longer than this skip budoux: it costs microseconds per character.
_PHRASE_LIMIT = 20_000
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_HAN = regex.compile(r"\p{Han}")
# Characters far more common in one Chinese script than the other, to pick a model.
_TRADITIONAL = frozenset("們這說國來個會時為與對開發區東廣從當實際數據後點還種學體經動關應")
_SIMPLIFIED = frozenset("们这说国来个会时为与对开发区东广从当实际数据后点还种学体经动关应")


@functools.cache
def _parser(language: str) -> Callable[[str], list[str]] | None:
    try:
        import budoux  # an optional dependency, imported on first use
    except ImportError:
        return None
    loaders = {
        "ja": budoux.load_default_japanese_parser,
        "zh-hans": budoux.load_default_simplified_chinese_parser,
        "zh-hant": budoux.load_default_traditional_chinese_parser,
    }
    parse: Callable[[str], list[str]] = loaders[language]().parse
    return parse


def _language(text: str) -> str | None:
    if _KANA.search(text):
        return "ja"
    if not _HAN.search(text):
        return None
    traditional = sum(ch in _TRADITIONAL for ch in text)
    simplified = sum(ch in _SIMPLIFIED for ch in text)
    return "zh-hant" if traditional > simplified else "zh-hans"


def phrase_edges(text: str, starts: list[int] | None) -> set[int] | None:
    """Boundary indices (between cluster i and i+1) that fall on a budoux phrase edge.

    ``starts`` holds the code-point offset of each cluster, or None when every cluster
    is one code point.
    """
    if len(text) > _PHRASE_LIMIT:
        return None
    language = _language(text)
    parse = _parser(language) if language else None
    if parse is None:
        return None
    phrases = parse(text)
    offsets = list(accumulate(map(len, phrases)))
    if not offsets or offsets[-1] != len(text):
        return None
    if starts is None:
        return {offset - 1 for offset in offsets}
    index = {offset: i for i, offset in enumerate(starts)}
    return {index[offset] - 1 for offset in offsets if offset in index}
