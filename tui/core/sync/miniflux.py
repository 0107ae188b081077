"""Miniflux's REST API v1.

``account.url`` is the server's base, e.g. ``https://host/``. Requests follow the API
reference (miniflux.app/docs/api.html) and the official Go client (``miniflux.app/v2/client``:
``Filter``, ``UpdateEntries``, ``ToggleBookmark``, ``CreateFeed``):

- Auth is HTTP Basic with the user and password, or, when ``account.user`` is empty, the
  password is an API key sent as ``X-Auth-Token``. ``GET /v1/me`` checks it.
- ``GET /v1/feeds``: each feed with its ``category`` object.
- ``GET /v1/entries?order=id&direction=asc&after_entry_id=N&limit=L``: entries in id order
  after an id. The cursor is the highest entry id seen: ids only grow, so paging by id is
  stable while marks change, and costs the server no OFFSET scan. The same keyset paging,
  with ``status=unread`` or ``starred=true``, lists unread and starred ids: the API has no
  listing of bare ids, and this is its cheapest.
- ``PUT /v1/entries`` with ``{"entry_ids": [...], "status": "read"|"unread"}``.
- ``PUT /v1/entries/{id}/bookmark`` *toggles* the star, so each star change first reads the
  entry (``GET /v1/entries/{id}``) and toggles only when the server's value differs: a
  repeated push never undoes itself.
- ``POST /v1/feeds`` with ``{"feed_url", "category_id"}`` (the category found by title in
  ``GET /v1/categories``, created with ``POST /v1/categories`` when missing, the first one
  when none is named); ``DELETE /v1/feeds/{id}``.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from tui.core.errors import FetchError
from tui.core.sync import clean
from tui.core.sync.base import (
    Account,
    EntryPage,
    MarkChange,
    RemoteEntry,
    RemoteFeed,
    RemoteMarks,
    SyncAuthError,
)
from tui.core.sync.http import ApiClient, OverApi

PAGE_SIZE = 250
"""Entries per page: with their content, a few MB."""
STATUS_BATCH = 1000
"""Ids per ``PUT /v1/entries``."""
MAX_PAGES = 100_000
_STATUSES = {"unread": False, "read": True}


class MinifluxClient(OverApi):
    """``async with MinifluxClient(account) as client: await client.login(); ...``."""

    def __init__(self, account: Account, *, page_size: int = PAGE_SIZE) -> None:
        self._account = account
        if account.user:
            pair = f"{account.user}:{account.password}".encode()
            headers = {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
        elif account.password.isascii() and account.password.isprintable():
            headers = {"X-Auth-Token": account.password}
        else:
            # httpx would refuse the header with an error quoting it.
            raise SyncAuthError("the API key holds characters no HTTP header can carry")
        self._api = ApiClient(account.url, headers=headers)
        self._page_size = page_size

    async def login(self) -> None:
        me = await self._api.call_json("GET", "v1/me")
        if clean.integer(clean.obj(me).get("id")) is None:
            raise FetchError("not a Miniflux API answer", subject=self._api.shown_url)

    async def feeds(self) -> list[RemoteFeed]:
        feeds: dict[str, RemoteFeed] = {}
        for raw in clean.array(await self._api.call_json("GET", "v1/feeds")):
            fields = clean.obj(raw)
            remote_id = _id(fields.get("id"))
            url = clean.link(fields.get("feed_url"))
            if remote_id is None or url is None:
                continue
            category = clean.label(clean.obj(fields.get("category")).get("title"))
            feeds.setdefault(
                remote_id,
                RemoteFeed(
                    remote_id=remote_id,
                    url=url,
                    title=clean.label(fields.get("title")),
                    site_link=clean.link(fields.get("site_url")) or "",
                    categories=(category,) if category else (),
                ),
            )
        counts = await self._unread_counts()
        if counts is None:
            return list(feeds.values())
        return [replace(f, unread=counts.get(f.remote_id, 0)) for f in feeds.values()]

    async def _unread_counts(self) -> dict[str, int] | None:
        """Unread entries per feed from ``/v1/feeds/counters`` (feeds with none are left
        out of its ``unreads``); None when the server gives no such answer."""
        try:
            data = clean.obj(await self._api.call_json("GET", "v1/feeds/counters"))
        except FetchError:
            return None
        unreads = data.get("unreads")
        if not isinstance(unreads, dict):
            return None
        counts = {str(k): clean.integer(v) for k, v in unreads.items()}
        return {k: v for k, v in counts.items() if v is not None}

    async def entries(self, cursor: str | None) -> AsyncIterator[EntryPage]:
        after = clean.integer(cursor) if cursor else None
        async for raws, highest in self._pages({}, after or 0):
            now = datetime.now(UTC)
            page = [e for e in (_entry(clean.obj(raw), now) for raw in raws) if e is not None]
            yield EntryPage(page, str(highest))

    async def unread_ids(self, feeds: Collection[str] | None = None) -> set[str]:
        # One list for every feed: a page per 250 entries beats a request per feed.
        return await self._ids({"status": "unread"})

    async def starred_ids(self) -> set[str]:
        return await self._ids({"starred": "true"})

    async def recent_marks(self) -> list[RemoteMarks]:
        return []  # the unread counts tell which feeds to list

    async def push(self, changes: Sequence[MarkChange]) -> None:
        by_status: dict[str, list[int]] = {"read": [], "unread": []}
        stars: dict[int, bool] = {}
        for change in changes:
            number = _number(change.remote_id)
            if number is None:
                continue
            if change.read is not None:
                by_status["read" if change.read else "unread"].append(number)
            if change.starred is not None:
                stars[number] = change.starred
        for status, ids in by_status.items():
            for start in range(0, len(ids), STATUS_BATCH):
                body = {"entry_ids": ids[start : start + STATUS_BATCH], "status": status}
                await self._api.call("PUT", "v1/entries", json_body=body)
        for number, starred in stars.items():
            await self._star(number, starred)

    async def subscribe(self, url: str, category: str | None = None) -> None:
        feed_url = clean.link(url)
        if feed_url is None:
            raise FetchError("not an http or https address", subject=url)
        body = {"feed_url": feed_url, "category_id": await self._category_id(category)}
        await self._api.call("POST", "v1/feeds", json_body=body)

    async def unsubscribe(self, feed_remote_id: str) -> None:
        number = _number(feed_remote_id)
        if number is None:
            raise FetchError("not a Miniflux feed id", subject=self._api.shown_url)
        await self._api.call("DELETE", f"v1/feeds/{number}")

    async def _pages(
        self, filters: dict[str, str | int], after: int
    ) -> AsyncIterator[tuple[list[Any], int]]:
        """Each page of entries after the id ``after``, with the highest id in it."""
        for _ in range(MAX_PAGES):
            params: dict[str, str | int] = {
                **filters,
                "order": "id",
                "direction": "asc",
                "limit": self._page_size,
            }
            if after > 0:
                params["after_entry_id"] = after
            data = clean.obj(await self._api.call_json("GET", "v1/entries", params=params))
            raws = clean.array(data.get("entries"))
            # Ids out of order or not past the cursor are a broken server's: skipped, so
            # paging always moves forward.
            fresh = [r for r in raws if (_raw_id(r) or 0) > after]
            if not fresh:
                return
            highest = max(_raw_id(r) or 0 for r in fresh)
            yield fresh, highest
            # "total" counts every entry the filters match, this page's too: a server that
            # sends fewer than asked for (a proxy's cap) still pages on.
            total = clean.integer(data.get("total"))
            if len(raws) >= (self._page_size if total is None else total):
                return
            after = highest

    async def _ids(self, filters: dict[str, str | int]) -> set[str]:
        ids: set[str] = set()
        async for raws, _ in self._pages(filters, 0):
            ids.update(str(_raw_id(raw)) for raw in raws)
        return ids

    async def _star(self, number: int, starred: bool) -> None:
        try:
            current = await self._api.call_json("GET", f"v1/entries/{number}")
        except FetchError as exc:
            if exc.status == 404:  # gone from the server: nothing left to star
                return
            raise
        if clean.obj(current).get("starred") is not starred:
            await self._api.call("PUT", f"v1/entries/{number}/bookmark")

    async def _category_id(self, name: str | None) -> int:
        wanted = clean.label(name)
        categories = [
            clean.obj(c) for c in clean.array(await self._api.call_json("GET", "v1/categories"))
        ]
        ids = {
            clean.label(c.get("title")): number
            for c in categories
            if (number := clean.integer(c.get("id"))) is not None
        }
        if not wanted:
            if not ids:
                raise FetchError(
                    "the server has no category to subscribe in", subject=self._api.shown_url
                )
            return min(ids.values())
        found = ids.get(wanted) or next(
            (number for title, number in ids.items() if title.casefold() == wanted.casefold()), None
        )
        if found is not None:
            return found
        made = await self._api.call_json("POST", "v1/categories", json_body={"title": wanted})
        number = clean.integer(clean.obj(made).get("id"))
        if number is None:
            raise FetchError("the server did not create the category", subject=self._api.shown_url)
        return number


def _entry(raw: dict[str, Any], now: datetime) -> RemoteEntry | None:
    remote_id = _id(raw.get("id"))
    feed_id = _id(raw.get("feed_id"))
    status = raw.get("status")
    starred = raw.get("starred")
    # "removed" entries are gone for the user; an unknown status or a star that is not a
    # boolean is a mark yuedu cannot trust, so the entry waits for a sane answer.
    if remote_id is None or feed_id is None or not isinstance(starred, bool):
        return None
    if not isinstance(status, str) or status not in _STATUSES:
        return None
    content = raw.get("content")
    entry = clean.entry(
        guid=remote_id,
        url=raw.get("url"),
        title=raw.get("title"),
        author=raw.get("author"),
        published=clean.date(raw.get("published_at"), now),
        content=content,
        enclosures=(
            clean.enclosure(e.get("url"), e.get("mime_type"), e.get("size"))
            for e in map(clean.obj, clean.array(raw.get("enclosures")))
        ),
        categories=clean.array(raw.get("tags")),
    )
    return RemoteEntry(
        remote_id,
        feed_id,
        entry,
        read=_STATUSES[status],
        starred=starred,
        marks_changed=clean.date(raw.get("changed_at"), now),
    )


def _raw_id(raw: Any) -> int | None:
    return _number(clean.obj(raw).get("id"))


def _id(value: Any) -> str | None:
    number = _number(value)
    return None if number is None else str(number)


def _number(value: Any) -> int | None:
    """A Miniflux id: a positive integer."""
    number = clean.integer(value)
    return number if number is not None and number > 0 else None
