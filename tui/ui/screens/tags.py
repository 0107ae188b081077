"""Editing the current feed's tags from the reader (the palette's "Edit tags of this feed")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.text.sanitize import clean_line
from tui.ui.screens.modals import PromptScreen

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen


class TagsScreen(PromptScreen):
    """Asks for tags separated by commas; an empty line (no tags) is an answer too."""

    def submit(self, value: str) -> None:
        self.dismiss(value)


def edit_tags(screen: MainScreen) -> None:
    """Ask for the tags of the feed whose list is shown, and set them."""
    view = screen.lists.view
    feed = screen.service.feed(view.value) if view.kind == "feed" else None
    if feed is None:
        screen.app.notify("Choose a feed first", timeout=3)
        return
    title = f"Tags of {clean_line(feed.display_title)}"
    prompt = TagsScreen(title, placeholder="tags, separated by commas", value=", ".join(feed.tags))

    def answered(value: str | None) -> None:
        if value is None:
            return
        changed = screen.service.set_tags(feed.url, [t.strip() for t in value.split(",")])
        if changed is None:
            return
        screen.lists.reload_feeds()
        shown = ", ".join(changed.tags) or "no tags"
        screen.app.notify(f"{clean_line(changed.display_title)}: {shown}", markup=False)

    screen.app.push_screen(prompt, answered)
