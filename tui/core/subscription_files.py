"""Subscriptions as files: importing a list, exporting OPML, and the backup beside the cache.

A feed's own settings (its script, always-full-text) travel with it in yuedu's OPML
namespace, so an export and import, or a restore from the backup, keeps them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from tui.core.backup import Recovery, read_backup, write_backup
from tui.core.errors import ParseError, YueduError
from tui.core.feeds.opml import Subscription, SubscriptionList, read_subscription_file
from tui.core.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    existing: int
    skipped: tuple[str, ...]
    queries: int = 0
    """Saved queries taken from newsboat ``query:`` lines."""


def read_file(path: Path) -> SubscriptionList:
    """An OPML or newsboat urls file; anything else is refused with one line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read the file ({exc.strerror})", subject=str(path)) from exc
    return read_subscription_file(data, source=str(path))


def subscribe(store: Store, subs: SubscriptionList) -> ImportReport:
    """Subscribe to every feed of ``subs`` (without fetching) and save its queries."""
    added = existing = queries = 0
    skipped = list(subs.skipped)
    for query in subs.queries:
        try:
            store.save_query(query.name, query.query)
            queries += 1
        except YueduError as exc:
            skipped.append(f"query {query.name}: {exc}")
    for sub in subs.subscriptions:
        if store.get_feed(sub.url) is not None:
            existing += 1
            if sub.tags or sub.site_link:
                store.add_feed(sub.url, tags=sub.tags, site_link=sub.site_link)
        else:
            store.add_feed(sub.url, title=sub.title, tags=sub.tags, site_link=sub.site_link)
            added += 1
        _apply_settings(store, sub)
    return ImportReport(added, existing, tuple(skipped), queries)


def current(store: Store) -> list[Subscription]:
    """Every subscription as it would be exported, its own settings included."""
    from tui.core.text.convert import TARGETS

    scripts = store.feed_scripts()
    full_text = store.full_text_feeds()
    subs = []
    for feed in store.list_feeds():
        settings: list[tuple[str, str]] = []
        script = scripts.get(feed.id)
        if script in TARGETS:
            settings.append(("script", script))
        if feed.url in full_text:
            settings.append(("full-text", "on"))
        subs.append(Subscription(feed.url, feed.title, feed.tags, tuple(settings), feed.site_link))
    return subs


def _apply_settings(store: Store, sub: Subscription) -> None:
    """The settings an OPML file gives a feed; unknown names and values are ignored."""
    from tui.core.text.convert import TARGETS

    for name, value in sub.settings:
        if name == "script" and value in TARGETS:
            store.set_feed_script(sub.url, value)
        elif name == "full-text" and value in ("on", "off"):
            store.set_feed_full_text(sub.url, value == "on")


def save_backup(store: Store, path: Path) -> None:
    """Subscriptions beside the cache, so a damaged cache never costs the user them."""
    try:
        write_backup(path, current(store))
    except (OSError, YueduError) as exc:
        log.warning("cannot write %s: %s", path, exc)


def restore(store: Store, path: Path, moved_to: Path) -> Recovery:
    """Subscribe again to what the backup at ``path`` holds, after the cache was moved."""
    try:
        subs, source = read_backup(path)
    except ParseError as exc:
        return Recovery(moved_to, None, problem=exc.reason)
    report = subscribe(store, subs)
    return Recovery(moved_to, report.added + report.existing, source)
