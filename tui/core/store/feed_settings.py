"""Per-feed settings that override the config for one feed: the script it is shown in.

NULL in a column means "follow the config"; the store keeps the words as given and the
service checks them.
"""

from __future__ import annotations

from tui.core.errors import StoreError
from tui.core.store.connection import Connection, guarded, writing


class FeedSettings(Connection):
    @guarded
    def feed_scripts(self) -> dict[int, str]:
        """Feed id -> the script chosen for it, for every feed that has one."""
        rows = self._conn().execute("SELECT id, script FROM feeds WHERE script IS NOT NULL")
        return {int(feed_id): str(script) for feed_id, script in rows}

    @writing
    def set_feed_script(self, url: str, script: str | None) -> None:
        """Show feed ``url`` in ``script``; None follows the config again."""
        with self._write() as db:
            cur = db.execute("UPDATE feeds SET script = ? WHERE url = ?", (script, url))
            if cur.rowcount == 0:
                raise StoreError("not subscribed", subject=url)
