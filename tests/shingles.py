"""4-token shingle F1 between an extracted text and its expected body.

Tokens are Latin words and numbers, and single CJK characters, so a Chinese page and an
English page of the same length weigh alike; punctuation and spacing do not count.
"""

from __future__ import annotations

import re
from collections import Counter

_TOKEN = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]"
    r"|[^\W\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af_]+"
)
SHINGLE = 4


def tokens(text: str) -> list[str]:
    return [token.lower() for token in _TOKEN.findall(text)]


def shingles(text: str) -> Counter[tuple[str, ...]]:
    words = tokens(text)
    if len(words) < SHINGLE:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))


def shingle_f1(got: str, expected: str) -> float:
    """F1 of the multisets of 4-token shingles; 1.0 when both are empty."""
    got_shingles, expected_shingles = shingles(got), shingles(expected)
    if not got_shingles and not expected_shingles:
        return 1.0
    common = sum((got_shingles & expected_shingles).values())
    if common == 0:
        return 0.0
    precision = common / sum(got_shingles.values())
    recall = common / sum(expected_shingles.values())
    return 2 * precision * recall / (precision + recall)
