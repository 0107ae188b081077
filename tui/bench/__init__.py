"""Benchmarks: ``python -m tui.bench`` (see ``tui/bench/__main__.py`` and the README)."""
