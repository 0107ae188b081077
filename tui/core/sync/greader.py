"""The Google Reader API, as FreshRSS, Miniflux, Inoreader and The Old Reader serve it.

``account.url`` is the API base, e.g. ``https://host/api/greader.php``. Request shapes follow
the unofficial Google Reader API docs (pyrfeed's "GoogleReaderAPI", the google-reader-api
wiki's ApiStreamContents, ApiStreamItemsIds, ApiEditTag, ApiSubscriptionEdit, ActionToken),
FreshRSS's ``p/api/greader.php`` and its "Google Reader compatible API" page, and
Inoreader's API reference (stream contents, item ids, edit tag):

- ``POST accounts/ClientLogin`` with ``Email`` and ``Passwd`` in a form body; the answer's
  ``Auth=`` line goes in ``Authorization: GoogleLogin auth=...`` on every later request.
- POSTs are forms carrying the action token ``T`` from ``GET reader/api/0/token``
  (Miniflux authenticates a POST by ``T`` alone). A refused POST gets a fresh token and one
  retry: servers answer a stale token with 401 and ``X-Reader-Google-Bad-Token`` (FreshRSS
  sends that header on every 401), and when it is the login that went stale the token
  request is refused too, so the error stays a SyncAuthError.
- Entries: ``stream/items/ids`` of the reading list (``n``, ``c`` the previous answer's
  ``continuation``, ``r=o`` oldest first, ``ot`` Unix seconds), then their items by
  ``POST stream/items/contents`` with ``i`` repeated. Miniflux serves no
  ``stream/contents``; these two every server has. The cursor is the newest
  ``crawlTimeMsec`` seen (else ``timestampUsec`` / 1000), in milliseconds, since the docs
  define ``ot`` on the crawl time. ``ot`` has a resolution of a second, so the items of the
  cursor's own second come again (the cache stores them once). Miniflux applies ``ot`` to
  the publication date instead: an item it fetches long after its date is missed by a
  later sync there.
- Unread and starred ids: ``stream/items/ids`` with ``s`` the reading list and ``xt`` the
  read state, or ``s`` the starred state.
"""

from __future__ import annotations

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
from tui.core.sync.greader_ids import (
    LABEL,
    READ,
    READING_LIST,
    STARRED,
    item_id,
    label_name,
    state,
)
from tui.core.sync.http import ApiClient, OverApi, parse_json

API = "reader/api/0/"
PAGE_SIZE = 100
"""Items per ``stream/items/contents`` request, a few MB of articles."""
IDS_PAGE_SIZE = 1000
"""Ids per ``stream/items/ids`` page: Inoreader's largest ``n`` there."""
EDIT_BATCH = 250
"""Ids per ``edit-tag``: a body of about 15 KB, well under every server's form limit."""
MAX_PAGES = 100_000
"""A server that hands out continuations for ever is cut off here."""
_MAX_TOKEN_CHARS = 4096
_LOGIN_FIELDS = {"accountType": "HOSTED_OR_GOOGLE", "service": "reader", "client": "yuedu"}
"""What Google's ClientLogin took besides the credentials: The Old Reader asks for them,
FreshRSS and Miniflux ignore them."""


class GReaderClient(OverApi):
    """``async with GReaderClient(account) as client: await client.login(); ...``."""

    def __init__(
        self, account: Account, *, page_size: int = PAGE_SIZE, ids_page_size: int = IDS_PAGE_SIZE
    ) -> None:
        self._account = account
        self._api = ApiClient(account.url)
        self._page_size = page_size
        self._ids_page_size = ids_page_size
        self._token: str | None = None

    async def login(self) -> None:
        body = await self._api.call(
            "POST",
            "accounts/ClientLogin",
            form={
                "Email": self._account.user,
                "Passwd": self._account.password,
                **_LOGIN_FIELDS,
            },
        )
        auth = _auth_line(body)
        if auth is None:
            raise FetchError("the login answer holds no Auth token", subject=self._api.shown_url)
        self._api.headers["Authorization"] = f"GoogleLogin auth={auth}"
        self._token = None

    async def feeds(self) -> list[RemoteFeed]:
        data = await self._get_json(API + "subscription/list", {"output": "json"})
        feeds: dict[str, RemoteFeed] = {}
        for raw in clean.array(data.get("subscriptions")):
            feed = _feed(clean.obj(raw))
            if feed is not None:
                feeds.setdefault(feed.remote_id, feed)
        counts = await self._unread_counts()
        if counts is None:
            return list(feeds.values())
        return [replace(f, unread=counts.get(f.remote_id, 0)) for f in feeds.values()]

    async def _unread_counts(self) -> dict[str, int | None] | None:
        """Unread entries per feed from ``unread-count`` (feeds with none may be left out);
        None when the server has no such list. A count at the answer's ``max`` is capped,
        so it is None: unknown."""
        try:
            data = await self._get_json(API + "unread-count", {"output": "json"})
        except FetchError:
            return None
        rows = data.get("unreadcounts")
        if not isinstance(rows, list):
            return None
        cap = clean.integer(data.get("max"))
        counts: dict[str, int | None] = {}
        for row in rows:
            fields = clean.obj(row)
            feed, count = fields.get("id"), clean.integer(fields.get("count"))
            if isinstance(feed, str) and feed.startswith("feed/"):
                counts[feed] = None if count is None or (cap and count >= cap) else count
        return counts

    async def entries(self, cursor: str | None) -> AsyncIterator[EntryPage]:
        since = clean.integer(cursor) if cursor else None
        params: dict[str, str | int] = {"s": READING_LIST, "r": "o"}
        if since is not None:
            params["ot"] = since // 1000
        newest: int | None = None
        ascending = True
        async for ids, last_ids in self._id_pages(params):
            for start in range(0, len(ids), self._page_size):
                batch = ids[start : start + self._page_size]
                last = last_ids and start + self._page_size >= len(ids)
                page, crawl_times = await self._items(batch)
                for crawled in crawl_times:
                    ascending = ascending and (newest is None or crawled >= newest)
                    newest = crawled if newest is None else max(newest, crawled)
                # Oldest first, every page's newest crawl time is a safe place to start
                # again; from a server that ignored r=o only the end of the stream is.
                moved = ascending or last
                yield EntryPage(page, _cursor(max(since or 0, newest or 0) if moved else since))
            if last_ids and not ids and newest is not None:
                yield EntryPage([], _cursor(max(since or 0, newest)))

    async def unread_ids(self, feeds: Collection[str] | None = None) -> set[str]:
        # One list for every feed: one request per 1,000 ids beats one per feed.
        return await self._ids({"s": READING_LIST, "xt": READ})

    async def starred_ids(self) -> set[str]:
        return await self._ids({"s": STARRED})

    async def recent_marks(self) -> list[RemoteMarks]:
        return []  # the unread counts tell which feeds to list

    async def push(self, changes: Sequence[MarkChange]) -> None:
        groups: dict[tuple[str, str], list[str]] = {}
        for change in changes:
            long_form = item_id(change.remote_id)
            if long_form is None:
                continue
            for flag, tag in ((change.read, READ), (change.starred, STARRED)):
                if flag is not None:
                    groups.setdefault(("a" if flag else "r", tag), []).append(long_form)
        for (action, tag), ids in groups.items():
            for start in range(0, len(ids), EDIT_BATCH):
                await self._write(
                    API + "edit-tag", {"i": ids[start : start + EDIT_BATCH], action: tag}
                )

    async def subscribe(self, url: str, category: str | None = None) -> None:
        feed_url = clean.link(url)
        if feed_url is None:
            raise FetchError("not an http or https address", subject=url)
        form: dict[str, str | list[str]] = {"ac": "subscribe", "s": "feed/" + feed_url}
        name = clean.label(category)
        if name:
            form["a"] = LABEL + name
        await self._write(API + "subscription/edit", form)

    async def unsubscribe(self, feed_remote_id: str) -> None:
        await self._write(API + "subscription/edit", {"ac": "unsubscribe", "s": feed_remote_id})

    async def _get_json(self, path: str, params: dict[str, str | int]) -> dict[str, Any]:
        return _object(await self._api.call("GET", path, params=params), self._api.shown_url)

    async def _id_pages(
        self, params: dict[str, str | int]
    ) -> AsyncIterator[tuple[list[str], bool]]:
        """The long ids of each page of ``stream/items/ids``, following continuations, each
        with whether it is the last."""
        query: dict[str, str | int] = {**params, "n": self._ids_page_size, "output": "json"}
        seen: set[str] = set()
        continuation: str | None = None
        for page in range(MAX_PAGES):
            data = await self._get_json(
                API + "stream/items/ids",
                query if continuation is None else {**query, "c": continuation},
            )
            refs = (item_id(clean.obj(ref).get("id")) for ref in clean.array(data.get("itemRefs")))
            continuation = _continuation(data.get("continuation"))
            last = continuation is None or continuation in seen or page == MAX_PAGES - 1
            yield list(dict.fromkeys(i for i in refs if i is not None)), last
            if continuation is None or last:
                return
            seen.add(continuation)

    async def _ids(self, params: dict[str, str | int]) -> set[str]:
        return {i async for ids, _ in self._id_pages(params) for i in ids}

    async def _items(self, ids: list[str]) -> tuple[list[RemoteEntry], list[int]]:
        """The entries of these items, and their crawl times in the order of ``ids`` (the
        order the server listed them in, whatever order it sends their contents in)."""
        body = await self._post(API + "stream/items/contents", {"i": ids, "output": "json"})
        now = datetime.now(UTC)
        entries: list[RemoteEntry] = []
        crawled: dict[str, int] = {}
        for raw in clean.array(_object(body, self._account.url).get("items")):
            item = clean.obj(raw)
            long_form = item_id(item.get("id"))
            if long_form is not None and (when := _crawl_ms(item)) is not None:
                crawled[long_form] = when
            if (remote := _entry(item, now)) is not None:
                entries.append(remote)
        return entries, [crawled[i] for i in ids if i in crawled]

    async def _write(self, path: str, form: dict[str, str | list[str]]) -> None:
        if (await self._post(path, form)).strip() != b"OK":
            raise FetchError("the server did not confirm the change", subject=self._api.shown_url)

    async def _post(self, path: str, form: dict[str, str | list[str]]) -> bytes:
        if self._token is None:
            self._token = await self._write_token()
        try:
            return await self._api.call("POST", path, form={**form, "T": self._token})
        except SyncAuthError:
            self._token = await self._write_token()
        return await self._api.call("POST", path, form={**form, "T": self._token})

    async def _write_token(self) -> str:
        body = await self._api.call("GET", API + "token")
        token = body.decode("utf-8", "replace").strip()
        if not _header_safe(token):
            raise FetchError("the server sent no usable write token", subject=self._api.shown_url)
        return token


def _object(body: bytes, subject: str) -> dict[str, Any]:
    data = parse_json(body, subject)
    if not isinstance(data, dict):
        # Miniflux answers an endpoint it lacks with 200 and "[]".
        raise FetchError("not a Google Reader API answer", subject=subject)
    return data


def _auth_line(body: bytes) -> str | None:
    for line in body.decode("utf-8", "replace").splitlines():
        key, _, value = line.partition("=")
        value = value.strip()
        if key.strip() == "Auth" and _header_safe(value):
            return value
    return None


def _header_safe(token: str) -> bool:
    """Whether ``token`` can go in a header (httpx refuses others with an error quoting
    them)."""
    return 0 < len(token) <= _MAX_TOKEN_CHARS and token.isascii() and token.isprintable()


def _feed(raw: dict[str, Any]) -> RemoteFeed | None:
    remote_id = clean.remote_id(raw.get("id"))
    if remote_id is None:
        return None
    url = clean.link(raw.get("url")) or clean.link(remote_id.removeprefix("feed/"))
    if url is None:
        return None
    categories = []
    for category in clean.array(raw.get("categories")):
        fields = clean.obj(category)
        name = clean.string(fields.get("label")) or label_name(clean.string(fields.get("id")))
        categories.append(clean.label(name))
    return RemoteFeed(
        remote_id=remote_id,
        url=url,
        title=clean.label(raw.get("title")),
        site_link=clean.link(raw.get("htmlUrl")) or "",
        categories=tuple(dict.fromkeys(c for c in categories if c)),
    )


def _entry(item: dict[str, Any], now: datetime) -> RemoteEntry | None:
    long_form = item_id(item.get("id"))
    feed_id = clean.remote_id(clean.obj(item.get("origin")).get("streamId"))
    if long_form is None or feed_id is None:
        return None
    states: set[str] = set()
    labels: list[str] = []
    for category in clean.array(item.get("categories")):
        text = clean.string(category)
        flag = state(text)
        if flag is not None:
            states.add(flag)
        elif (name := label_name(text)) is not None:
            labels.append(name)
    links = [clean.obj(a).get("href") for a in clean.array(item.get("alternate"))]
    links += [clean.obj(a).get("href") for a in clean.array(item.get("canonical"))]
    content = clean.obj(item.get("content")).get("content")
    summary = clean.obj(item.get("summary")).get("content")
    entry = clean.entry(
        guid=long_form,
        url=next((href for href in links if clean.link(href)), None),
        title=item.get("title"),
        author=item.get("author"),
        published=clean.timestamp(item.get("published"), now),
        updated=clean.timestamp(item.get("updated"), now),
        summary=summary,
        content=content or summary,
        enclosures=(
            clean.enclosure(e.get("href"), e.get("type"), e.get("length"))
            for e in map(clean.obj, clean.array(item.get("enclosure")))
        ),
        categories=labels,
    )
    return RemoteEntry(
        long_form, feed_id, entry, read="read" in states, starred="starred" in states
    )


def _crawl_ms(item: dict[str, Any]) -> int | None:
    crawled = clean.integer(item.get("crawlTimeMsec"))
    if crawled is None:
        usec = clean.integer(item.get("timestampUsec"))
        crawled = None if usec is None else usec // 1000
    return crawled if crawled is not None and crawled >= 0 else None


def _continuation(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = clean.string(value)
    return text if text and len(text) <= 1024 and text.isprintable() else None


def _cursor(milliseconds: int | None) -> str:
    return str(milliseconds) if milliseconds else ""
