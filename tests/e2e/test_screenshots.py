"""The README's pictures can be remade by anyone, and show what the README says they show."""

from __future__ import annotations

from pathlib import Path

from tests.screenshots import SHOTS, make_screenshots


def test_screenshots_are_made_from_the_real_app(tmp_path: Path) -> None:
    written = make_screenshots(tmp_path)
    assert [p.name for p in written] == [f"{name}.svg" for name, *_ in SHOTS]
    pictures = {p.stem: p.read_text(encoding="utf-8") for p in written}
    assert all(text.startswith("<svg") for text in pictures.values())
    # SVG text escapes spaces as &#160;: look for words without spaces.
    assert "港灣日報" in pictures["list"]
    assert "258" in pictures["article-chinese"]
    assert "404" in pictures["errors"]
