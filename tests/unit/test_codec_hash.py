"""The keys and content hashes of stored entries must never change: a cache written by an
earlier release compares them with what every later refresh computes."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from tui.core.store.codec import hash64


def _joined(*parts: object) -> int:
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def test_hashes_stored_by_earlier_releases_are_reproduced() -> None:
    assert hash64("g", "g1") == 5180306549502888793
    body = "正文"
    assert hash64(None, "l", 1700000000, body, body, None) == -2697855416363496480


_PART = st.one_of(st.none(), st.text(), st.integers())


@given(st.lists(_PART, max_size=12), st.lists(st.integers(0, 11), max_size=6))
def test_hash_is_that_of_the_parts_joined(parts: list[object], repeats: list[int]) -> None:
    # The same object twice in a row (a body given as summary and as content) included.
    for index in repeats:
        if index < len(parts):
            parts.insert(index, parts[index])
    assert hash64(*parts) == _joined(*parts)
