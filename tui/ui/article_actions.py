"""What the reader does with an article besides reading it, as newsboat users expect: copy
its link, save or pipe its text, play or download its enclosure."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.enclosures import first_playable
from tui.core.errors import YueduError
from tui.core.models import Entry
from tui.core.text.layout import render_plain
from tui.core.text.sanitize import clean_line
from tui.ui.browser import BrowserError, checked_url, command_for
from tui.ui.screens.modals import PromptScreen
from tui.ui.terminal import run_suspended

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen

TEXT_WIDTH = 80
"""Cells per line of an article saved or piped as text."""
PROGRESS_EVERY = 0.5
"""Seconds between download progress notices."""


class ArticleActions:
    """Acts on the entry ``screen.current_entry()`` gives; every outcome is one notice."""

    def __init__(self, screen: MainScreen) -> None:
        self._screen = screen
        self.saved: Path | None = None
        """The last file an article was saved to."""
        self.downloaded: Path | None = None
        """The last enclosure downloaded."""

    def _say(self, message: str, *, error: bool = False) -> None:
        self._screen.app.notify(
            clean_line(message), severity="error" if error else "information", markup=False
        )

    def text(self, entry: Entry) -> str:
        """The article as plain text, as ``yuedu show`` prints it."""
        article = self._screen.service.article_lines(entry, TEXT_WIDTH)
        return render_plain(article.lines) + "\n"

    # the link ------------------------------------------------------------------------

    def copy_link(self, entry: Entry) -> None:
        """Put the entry's link on the clipboard (OSC 52: works over ssh, not in every terminal)."""
        try:
            link = checked_url(entry.link, entry.feed_url)
        except BrowserError:
            self._say("This entry has no web link", error=True)
            return
        self._screen.app.copy_to_clipboard(link)
        self._say(f"Copied {link}")

    # saving and piping ---------------------------------------------------------------

    def save(self, entry: Entry) -> None:
        default = str(Path.cwd() / f"{entry.id}.txt")
        prompt = PromptScreen("Save the article as text to", value=default)
        self._screen.app.push_screen(prompt, lambda path: self._save_to(entry, path))

    def _save_to(self, entry: Entry, path: str | None) -> None:
        if not path:
            return
        target = Path(path).expanduser()
        try:
            target.write_text(self.text(entry), encoding="utf-8")
        except OSError as exc:
            self._say(f"Cannot save to {target}: {exc.strerror or exc}", error=True)
            return
        self.saved = target
        self._say(f"Saved to {target}")

    def pipe(self, entry: Entry) -> None:
        prompt = PromptScreen("Pipe the article's text to", placeholder="less, wc -m, …")
        self._screen.app.push_screen(prompt, lambda command: self._pipe_to(entry, command))

    def _pipe_to(self, entry: Entry, command: str | None) -> None:
        if not command:
            return
        # The user's own command line, so the shell reads it (as newsboat's pipe-to does); the
        # feed's text only ever reaches its stdin.
        try:
            status = run_suspended(
                self._screen.app, ["/bin/sh", "-c", command], stdin=self.text(entry).encode()
            )
        except BrowserError as exc:
            self._say(str(exc), error=True)
            return
        if status:
            self._say(f"{command} exited with status {status}", error=True)

    # enclosures ----------------------------------------------------------------------

    def play(self, entry: Entry) -> None:
        """Open the first audio or video enclosure in ``[player] command``, else in the
        browser."""
        url = self._first_enclosure(entry)
        if url is None:
            return
        player = self._screen.service.config.player.command
        try:
            if player:
                run_suspended(self._screen.app, command_for(player, url))
            else:
                self._screen.article.open_url(url)
                return
        except BrowserError as exc:
            self._say(str(exc), error=True)

    def download(self, entry: Entry) -> None:
        url = self._first_enclosure(entry)
        if url is not None:
            self._say(f"Downloading {url}")
            self._screen.run_worker(
                partial(self._download, url), thread=True, group="download", exit_on_error=False
            )

    def _first_enclosure(self, entry: Entry) -> str | None:
        url = first_playable(entry.enclosures)
        if url is None:
            self._say("This entry has no enclosure", error=True)
        return url

    def _download(self, url: str) -> None:
        app = self._screen.app
        shown = [time.monotonic()]

        def progress(done: int, total: int | None) -> None:
            now = time.monotonic()
            if now - shown[0] >= PROGRESS_EVERY:
                shown[0] = now
                part = f"{done * 100 // total}%" if total else f"{done // 1024} KiB"
                app.call_from_thread(self._say, f"Downloading {part}: {url}")

        try:
            path = self._screen.service.download_enclosure(url, progress)
        except YueduError as exc:
            app.call_from_thread(self._say, str(exc), error=True)
            return
        app.call_from_thread(self._downloaded, path)

    def _downloaded(self, path: Path) -> None:
        self.downloaded = path
        self._say(f"Downloaded to {path}")
