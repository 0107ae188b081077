"""Search results: the typed phrase first (title, then text), quotes keep only the phrase."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui.core.models import EntryFilter, ParsedEntry
from tui.core.store import Store
from tui.core.store.ranking import parse_phrase

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "cache.db") as s:
        feed = s.add_feed("https://a.example/")
        entries = [
            ("Paper notes: RetSpill", "<p>In time we read https://github.com/keescook/x cook</p>"),
            ("Apple's Tim Cook speaks", "<p>Keynote.</p>"),
            ("Keynote report", "<p>Then tim   COOK said hello.</p>"),
            ("Cooking time", "<p>Tim likes to cook.</p>"),
        ]
        s.save_entries(
            feed.id,
            [
                ParsedEntry(
                    guid=f"g{n}",
                    link=f"https://a.example/{n}",
                    title=title,
                    content=body,
                    published=NOW - timedelta(hours=3 - n),  # the last is the newest
                )
                for n, (title, body) in enumerate(entries)
            ],
            now=NOW,
        )
        yield s


def titles(store: Store, query: str) -> list[str]:
    ids = store.entry_ids(EntryFilter(search=query))
    return [e.title for e in store.entries_by_ids(ids)]


def test_the_exact_phrase_comes_first_title_before_text(store: Store) -> None:
    assert titles(store, "Tim Cook") == [
        "Apple's Tim Cook speaks",
        "Keynote report",
        "Cooking time",
        "Paper notes: RetSpill",
    ]


def test_quotes_keep_only_the_phrase(store: Store) -> None:
    assert titles(store, '"tim cook"') == ["Apple's Tim Cook speaks", "Keynote report"]


def test_one_word_keeps_the_date_order(store: Store) -> None:
    assert titles(store, "keynote") == ["Keynote report", "Apple's Tim Cook speaks"]


def test_parse_phrase() -> None:
    assert parse_phrase('  "Tim  Cook" ') == ("tim cook", True)
    assert parse_phrase("Ｔｉｍ cook") == ("tim cook", False)
    assert parse_phrase('"') == ('"', False)
