"""The full article in the article pane: ``f`` toggles between the feed's body and the page
the entry links to, fetched (or read from the cache) by a worker on the event loop.

The fetch awaits the network and hands extraction to the refresh's worker pool, so keys
keep working while it runs; the pane says "Fetching…" meanwhile and, when there is no
article, the one-line reason. Showing another entry cancels the fetch. An entry opened
from a feed set to "always full text" shows its full article (cached, mostly) at once.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.worker import Worker

from tui.core.errors import YueduError
from tui.core.models import Entry
from tui.core.text.html.blocks import Document, Paragraph
from tui.core.text.layout import Article, render_document

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen

FETCHING = "Fetching the full article…"
BACK = "f shows the feed's text again."


class FullText:
    """Fetches and shows full articles on ``screen``'s article pane."""

    def __init__(self, screen: MainScreen) -> None:
        self._screen = screen
        self._worker: Worker[None] | None = None
        self._pending = False
        """``f`` was pressed while the entry was still being read: show it full once shown."""
        self._always: set[str] | None = None
        """The feeds whose opened entries show their full article, once read from the store."""

    @property
    def fetching(self) -> bool:
        return self._worker is not None and self._worker.is_running

    def toggle(self) -> None:
        """Show the shown entry's full article, or its feed body again."""
        pane = self._screen.article
        entry = pane.entry
        if not self._screen.opener.settled:
            self._pending = not self._pending
            return
        if entry is None:
            self._screen.app.notify("Open an entry first", timeout=2)
            return
        if pane.variant is not None:
            self.cancel()
            pane.show_variant(None)
            return
        self.show(entry)

    def show(self, entry: Entry) -> None:
        """Show ``entry``'s full article (the pane must be showing ``entry``)."""
        self.cancel()
        self._notice(entry, "fetching", FETCHING)
        self._worker = self._screen.run_worker(
            self._fetch(entry), group="full-text", exclusive=True, exit_on_error=False
        )

    def shown(self, entry: Entry | None, *, opened: bool = False) -> None:
        """The pane now shows ``entry``: stop the last entry's fetch, and start one when
        asked or when ``entry`` was opened from an "always full text" feed."""
        pending, self._pending = self._pending, False
        self.cancel()
        if entry is not None and (pending or (opened and self._always_full(entry))):
            self.show(entry)

    def _always_full(self, entry: Entry) -> bool:
        if self._always is None:
            load = partial(self._load_always, entry)
            self._screen.run_worker(
                load, thread=True, group="full-text-feeds", exclusive=True, exit_on_error=False
            )
            return False
        return entry.feed_url in self._always

    def _load_always(self, entry: Entry) -> None:
        always = self._screen.service.full_text_feeds()
        self._screen.app.call_from_thread(self._loaded_always, always, entry)

    def _loaded_always(self, always: set[str], entry: Entry) -> None:
        self._always = always
        pane = self._screen.article
        shown = pane.entry
        still_plain = shown is not None and shown.id == entry.id and pane.variant is None
        if entry.feed_url in always and still_plain and not self.fetching:
            self.show(entry)

    def cancel(self) -> None:
        """Stop a fetch under way."""
        worker, self._worker = self._worker, None
        if worker is not None and worker.is_running:
            worker.cancel()

    async def _fetch(self, entry: Entry) -> None:
        service = self._screen.service
        try:
            article = await service.full_article(entry)
        except YueduError as exc:
            if self._still_fetching(entry):
                self._notice(entry, f"error:{exc.reason}", exc.reason, BACK)
            return
        except Exception as exc:  # a bug must cost this article, never the reader
            if self._still_fetching(entry):
                reason = f"internal error ({exc.__class__.__name__})"
                self._notice(entry, f"error:{reason}", reason, BACK)
            return
        if self._still_fetching(entry):
            pane = self._screen.article
            pane.show_variant(
                "full", lambda width: service.full_article_lines(entry, article, width)
            )

    def set_feed(self, url: str, on: bool) -> None:
        """Always fetch the feed's full articles (in the background, after each refresh)."""
        if self._screen.service.set_full_text(url, on) is None:
            return
        self._always = None
        word = "Always fetching" if on else "No longer fetching"
        self._screen.app.notify(f"{word} this feed's full articles", timeout=3)
        if on:
            self.fetch_missing()

    def fetch_missing(self) -> None:
        """Fetch the missing full articles of "always full text" feeds in the background."""
        self._screen.run_worker(
            self._fetch_missing(), group="full-text-background", exclusive=True, exit_on_error=False
        )

    async def _fetch_missing(self) -> None:
        self._always = None  # a refresh may have moved feeds to new URLs
        fetched = await self._screen.service.fetch_full_articles()
        if fetched:
            self._screen.app.notify(
                f"{fetched} full articles fetched for offline reading", timeout=3
            )

    def _still_fetching(self, entry: Entry) -> bool:
        pane = self._screen.article
        shown = pane.entry
        return shown is not None and shown.id == entry.id and pane.variant == "fetching"

    def _notice(self, entry: Entry, name: str, *lines: str) -> None:
        options = self._screen.service.layout_options()
        document = Document(tuple(Paragraph(line) for line in lines))

        def layout(width: int) -> Article:
            return render_document(
                document, width, title=entry.title or "(untitled)", options=options
            )

        self._screen.article.show_variant(name, layout)
