"""Tiny Tiny RSS over its JSON API (level 15 and later): ``POST {url}/api/``.

Every call is a JSON object ``{"op": ..., "sid": ...}``; the answer is
``{"status": 0 | 1, "content": ...}``. A session that expired (``NOT_LOGGED_IN``) is
renewed by logging in again, once per call.

Entries come from ``getHeadlines`` on the all-articles feed (-4) after ``since_id``, oldest
first (tt-rss sorts by the article's date, not its id, so a page says nothing about the ids
after it: the cursor, the highest id pulled, moves only when the last page is in). Pages are
200 articles (the API's cap) and are asked for a few at a time, since tt-rss builds each
row with several queries and serves requests in parallel.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Collection, Coroutine, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from tui.core.errors import FetchError
from tui.core.feeds.parse.fields import one_line
from tui.core.sync.base import (
    Account,
    EntryPage,
    MarkChange,
    RemoteFeed,
    RemoteMarks,
    SyncAuthError,
)
from tui.core.sync.http import ApiClient, OverApi
from tui.core.sync.ttrss_map import (
    as_int,
    category_titles,
    headline_ids,
    headline_marks,
    remote_entries,
    remote_feeds,
)
from tui.core.text.sanitize import safe_url

MIN_API_LEVEL = 15
PAGE = 200
"""Rows per ``getHeadlines`` call: tt-rss caps ``limit`` at 200."""
PARALLEL = 4
"""Pages asked for at once."""
IDS_PER_UPDATE = 1000
"""Articles per ``updateArticle`` call; tt-rss binds one SQL parameter per id."""
ALL_ARTICLES = -4
STARRED = -1
_FIELD_STARRED = 0
_FIELD_UNREAD = 2
_SUBSCRIBE_FAILURES = {
    2: "tt-rss says the address is not valid",
    3: "tt-rss found no feed at that address",
    4: "that page offers several feeds: subscribe to one of them",
    5: "tt-rss could not download it",
}


class _ApiError(FetchError):
    """tt-rss answered an error; ``code`` is its name (``FEED_NOT_FOUND``...)."""

    def __init__(self, reason: str, *, subject: str, code: str) -> None:
        super().__init__(reason, subject=subject)
        self.code = code


class _SessionExpired(FetchError):
    """tt-rss answered NOT_LOGGED_IN: the session id is no longer valid."""


class TtrssClient(OverApi):
    """``async with TtrssClient(account) as client: await client.login(); ...``."""

    def __init__(self, account: Account) -> None:
        self._account = account
        self._api = ApiClient(api_url(account.url))
        self._sid: str | None = None
        self._login_lock = asyncio.Lock()

    async def login(self) -> None:
        content = await self._send(
            "login", {"user": self._account.user, "password": self._account.password}
        )
        level = as_int(content.get("api_level")) if isinstance(content, dict) else None
        sid = content.get("session_id") if isinstance(content, dict) else None
        if level is None or level < MIN_API_LEVEL:
            said = "no API level" if level is None else f"API level {level} is too old"
            raise FetchError(
                f"tt-rss {said}: yuedu needs level {MIN_API_LEVEL} or later",
                subject=self._api.shown_url,
            )
        if not isinstance(sid, str) or not sid:
            raise FetchError("tt-rss sent no session id", subject=self._api.shown_url)
        self._sid = sid

    async def feeds(self) -> list[RemoteFeed]:
        categories = await self._call("getCategories", include_empty=True)
        feeds = await self._call("getFeeds", cat_id=-3)
        return remote_feeds(feeds, category_titles(categories))

    async def entries(self, cursor: str | None) -> AsyncIterator[EntryPage]:
        since = max(as_int(cursor) or 0, 0)
        highest = since
        pages = self._headlines(
            feed_id=ALL_ARTICLES,
            view_mode="all_articles",
            since_id=since,
            order_by="date_reverse",
            show_content=True,
            include_attachments=True,
            # tt-rss's sanitizer writes every non-ASCII character as a character reference
            # (PHP's DOM serialiser), which makes a Chinese page several times larger and
            # slow to decode; the content is cleaned here as every feed's is.
            sanitize=False,
        )
        async for rows, last in pages:
            page = list(remote_entries(rows, datetime.now(UTC)))
            highest = max([highest, *(int(e.remote_id) for e in page)])
            yield EntryPage(page, str(highest if last else since))

    async def unread_ids(self, feeds: Collection[str] | None = None) -> set[str]:
        if feeds is None:
            return await self._ids(feed_id=ALL_ARTICLES, view_mode="unread")
        # One feed's list costs tt-rss a sort of that feed alone, not of every article.
        found: set[str] = set()
        wanted = [f for f in (as_int(i) for i in feeds) if f is not None and f > 0]
        for start in range(0, len(wanted), PARALLEL):
            lists = await _all(
                self._ids(feed_id=feed, view_mode="unread")
                for feed in wanted[start : start + PARALLEL]
            )
            for ids in lists:
                found |= ids
        return found

    async def starred_ids(self) -> set[str]:
        return await self._ids(feed_id=STARRED, view_mode="all_articles")

    async def recent_marks(self) -> list[RemoteMarks]:
        # One page of the newest articles, flags only: exact for what was read lately,
        # whatever the feeds' unread counts say.
        rows = await self._call(
            "getHeadlines", feed_id=ALL_ARTICLES, view_mode="all_articles", limit=PAGE
        )
        return headline_marks(rows)

    async def push(self, changes: Sequence[MarkChange]) -> None:
        # (field, mode) -> ids; tt-rss's field 2 is *unread*, so read=True sets it false.
        groups: dict[tuple[int, int], list[int]] = {}
        for change in changes:
            remote = as_int(change.remote_id)
            if remote is None or remote <= 0:
                continue
            if change.read is not None:
                groups.setdefault((_FIELD_UNREAD, 0 if change.read else 1), []).append(remote)
            if change.starred is not None:
                groups.setdefault((_FIELD_STARRED, 1 if change.starred else 0), []).append(remote)
        for (field, mode), ids in groups.items():
            for start in range(0, len(ids), IDS_PER_UPDATE):
                chunk = ids[start : start + IDS_PER_UPDATE]
                await self._call(
                    "updateArticle",
                    article_ids=",".join(map(str, chunk)),
                    field=field,
                    mode=mode,
                )

    async def subscribe(self, url: str, category: str | None = None) -> None:
        feed_url = safe_url(url)
        if feed_url is None:
            raise FetchError("not an http or https address", subject=url)
        params: dict[str, Any] = {"feed_url": feed_url}
        if category:
            # The API cannot create categories: a name tt-rss lacks subscribes uncategorized.
            titles = category_titles(await self._call("getCategories", include_empty=True))
            matches = [cat_id for cat_id, title in titles.items() if title == category]
            if matches:
                params["category_id"] = matches[0]
        content = await self._call("subscribeToFeed", **params)
        status = content.get("status") if isinstance(content, dict) else None
        status = status if isinstance(status, dict) else {}
        code = as_int(status.get("code"))
        if code in (0, 1):  # 0: already subscribed, 1: added
            return
        reason = _SUBSCRIBE_FAILURES.get(code or -1, f"tt-rss could not subscribe (code {code})")
        message = self._quote(status.get("message"))
        raise FetchError(f"{reason}: {message}" if message else reason, subject=feed_url)

    async def unsubscribe(self, feed_remote_id: str) -> None:
        feed_id = as_int(feed_remote_id)
        if feed_id is None:
            raise FetchError("not a tt-rss feed id", subject=feed_remote_id)
        try:
            await self._call("unsubscribeFeed", feed_id=feed_id)
        except _ApiError as exc:
            if exc.code != "FEED_NOT_FOUND":
                raise
            # Already gone: what was asked for holds.

    # -- paging ----------------------------------------------------------------------------

    async def _ids(self, **params: Any) -> set[str]:
        # Without content; "date_reverse" also spares tt-rss a query per page (its check
        # of the newest id, for clients that page through a changing list).
        found: set[str] = set()
        pages = self._headlines(show_content=False, order_by="date_reverse", **params)
        async for rows, _last in pages:
            found.update(str(i) for i in headline_ids(rows))
        return found

    async def _headlines(self, **params: Any) -> AsyncIterator[tuple[Any, bool]]:
        """Each page of ``getHeadlines`` in order, with whether it is the last one.

        One page first (an incremental sync seldom needs more), then ``PARALLEL`` at once.
        """
        skip = 0
        width = 1
        while True:
            wave = await _all(
                self._call("getHeadlines", limit=PAGE, skip=skip + n * PAGE, **params)
                for n in range(width)
            )
            skip += width * PAGE
            width = PARALLEL
            for rows in wave:
                last = not isinstance(rows, list) or len(rows) < PAGE
                yield rows, last
                if last:
                    return

    # -- one call --------------------------------------------------------------------------

    async def _call(self, op: str, **params: Any) -> Any:
        """The content of a successful ``op``, logging in first or again when needed."""
        if self._sid is None:
            await self._relogin(None)
        for attempt in range(2):
            sid = self._sid
            try:
                return await self._send(op, {**params, "sid": sid})
            except _SessionExpired:
                if attempt:
                    break
                await self._relogin(sid)
        raise SyncAuthError("tt-rss keeps ending the session", subject=self._api.shown_url)

    async def _relogin(self, expired: str | None) -> None:
        # Parallel pages may all find the session expired: one of them logs in again.
        async with self._login_lock:
            if self._sid == expired:
                await self.login()

    async def _send(self, op: str, params: dict[str, Any]) -> Any:
        answer = await self._api.call_json("POST", json_body={"op": op, **params})
        if not isinstance(answer, dict) or "content" not in answer:
            raise FetchError("not a tt-rss API answer", subject=self._api.shown_url)
        content = answer["content"]
        if answer.get("status") == 0:
            return content
        error = content.get("error") if isinstance(content, dict) else None
        if error == "NOT_LOGGED_IN":
            raise _SessionExpired("tt-rss ended the session", subject=self._api.shown_url)
        if error == "LOGIN_ERROR":
            raise SyncAuthError("tt-rss refused the user or password", subject=self._api.shown_url)
        if error == "API_DISABLED":
            raise SyncAuthError(
                "API access is off for this user: enable it in tt-rss's preferences",
                subject=self._api.shown_url,
            )
        code = self._quote(error) or "an unknown error"
        raise _ApiError(f"tt-rss answered {op} with {code}", subject=self._api.shown_url, code=code)

    def _quote(self, text: Any) -> str:
        """Server text fit for an error message: one short line, never the password (a
        hostile server could echo it back)."""
        line = one_line(text)[:200] if isinstance(text, str) else ""
        return "" if self._account.password and self._account.password in line else line


async def _all(calls: Iterable[Coroutine[Any, Any, Any]]) -> list[Any]:
    """The results of ``calls`` run together; the first failure is raised once all are
    done, so none is left running unwatched."""
    results = await asyncio.gather(*calls, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


def api_url(url: str) -> str:
    """tt-rss's API endpoint for the address of a tt-rss install (or of its API)."""
    base = url.strip().rstrip("/")
    if not base.endswith("/api"):
        base += "/api"
    return base + "/"
