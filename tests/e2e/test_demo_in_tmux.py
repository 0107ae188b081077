"""The README's first command as a person meets it: `yuedu --demo` in a real terminal."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import REPO
from tests.e2e.tmux import TmuxSession

pytestmark = pytest.mark.e2e

FORBIDDEN_STARTS = set("，。、；：？！）」』】〕〉》”’…")
CJK_TITLE = "港灣"


def has_cjk(line: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in line)


def test_demo_read_a_chinese_article_and_quit() -> None:
    with TmuxSession(
        [sys.executable, "-m", "tui", "--demo"], cwd=REPO, width=100, height=40
    ) as tmux:
        screen = tmux.wait_until(
            lambda s: (
                any("Welcome to yuedu" in line for line in s)
                and any(CJK_TITLE in line for line in s)
            ),
            what="the demo's entries",
        )
        assert any("All" in line for line in screen)

        rows = [i for i, line in enumerate(screen) if CJK_TITLE in line and "資料" in line]
        assert rows, "the Traditional Chinese news entry is listed"
        welcome = next(i for i, line in enumerate(screen) if "Welcome to yuedu" in line)
        tmux.send(*["j"] * (rows[0] - welcome), "Enter")

        article = tmux.wait_until(
            lambda s: sum(map(has_cjk, s)) > 10 and any("Feed" in line for line in s),
            what="the Chinese article",
        )
        body = [line.strip() for line in article if has_cjk(line)]
        bad = [line for line in body if line[:1] in FORBIDDEN_STARTS]
        assert not bad, "\n".join(article)
        assert not any("numdb" in line for line in article)

        tmux.send("q")
        tmux.wait_until(lambda s: sum(1 for line in s if "▕●" in line) > 10, what="the list again")
        tmux.send("q", "q")
        tmux.wait_for_exit()


def status_starts(screen: list[str], label: str) -> bool:
    """The status line (the last line written) names the list ``label``."""
    last = next((line for line in reversed(screen) if line.strip()), "")
    return last.lstrip().startswith(label + "  ")


def test_demo_q_steps_back_article_list_feeds_then_quits() -> None:
    """newsboat's way: Esc leaves the zoom, q the article, then the list, then quits."""
    with TmuxSession(
        [sys.executable, "-m", "tui", "--demo"], cwd=REPO, width=120, height=35
    ) as tmux:
        screen = tmux.wait_until(
            lambda s: status_starts(s, "All") and "Updated" in s[-1], what="the demo's list"
        )
        unread = int(screen[-1].split("·")[1].split()[0])
        tmux.send("Enter")
        # Opened, not previewed: opening marks it read.
        tmux.wait_until(lambda s: f"· {unread - 1} unread" in s[-1], what="the article")
        # z: the article over the whole width; Esc leaves the zoom, q the article.
        tmux.send("z")
        zoomed = tmux.wait_until(
            lambda s: not any("▕" in line for line in s), what="the zoomed article"
        )
        assert any(line.startswith(" Feed:") for line in zoomed)
        tmux.send("Escape")
        tmux.wait_until(lambda s: any("▕" in line for line in s), what="the panes again")
        tmux.send("q")
        # q again: the feeds have the cursor, and j moves it from All to Unread.
        tmux.send("q", "j")
        tmux.wait_until(lambda s: status_starts(s, "Unread"), what="the feeds' cursor")
        tmux.send("q")
        tmux.wait_for_exit()
