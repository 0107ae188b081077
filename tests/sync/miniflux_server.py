"""A Miniflux REST API v1 server on 127.0.0.1 that keeps state and refuses what the docs do.

Built from miniflux.app/docs/api.html and Miniflux's ``internal/api/entry.go``: HTTP Basic
or ``X-Auth-Token`` on every call (401 with ``error_message`` otherwise); JSON bodies only
with ``Content-Type: application/json``; ``entry_ids`` integers; ``status``, ``order`` and
``direction`` validated; ``removed`` entries never listed; ``PUT .../bookmark`` toggles.
Query parameters the docs do not list are refused too, so a client cannot lean on one that
a real server would ignore. ``toggles`` counts the bookmark calls per entry.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tui.demo.exchange import Request, Response
from tui.demo.server import FeedServer

ENTRY_FILTERS = {
    "status", "offset", "limit", "order", "direction", "before", "after", "before_entry_id",
    "after_entry_id", "starred", "search", "category_id", "feed_id",
}  # fmt: skip
BOOLEANS = {"1": True, "t": True, "true": True, "0": False, "f": False, "false": False}


@dataclass
class Feed:
    url: str
    title: str
    category: int
    site: str = "https://example.com/"


@dataclass
class Entry:
    id: int
    feed: int
    title: str = "An entry"
    status: str = "unread"
    starred: bool = False
    changed_at: str = "2024-03-01T12:00:00Z"
    raw: Any = None
    """Sent in place of the entry's JSON: a hostile entry."""

    def as_json(self) -> Any:
        if self.raw is not None:
            return self.raw
        return {
            "id": self.id,
            "user_id": 1,
            "feed_id": self.feed,
            "status": self.status,
            "hash": f"{self.id:064x}",
            "title": self.title,
            "url": f"https://example.com/{self.id}",
            "comments_url": "",
            "published_at": "2024-02-01T10:00:00Z",
            "created_at": "2024-02-01T10:05:00Z",
            "changed_at": self.changed_at,
            "content": f"<p>Entry {self.id}</p>",
            "author": "Ann",
            "share_code": "",
            "starred": self.starred,
            "reading_time": 1,
            "enclosures": [
                {
                    "id": 1,
                    "entry_id": self.id,
                    "url": "https://example.com/a.mp3",
                    "mime_type": "audio/mpeg",
                    "size": 1234,
                },
            ],
            "tags": ["one", "two"],
        }


@dataclass
class MinifluxServer:
    user: str = "alice"
    password: str = "correct horse"
    api_key: str = "k3y-for-alice"
    categories: dict[int, str] = field(default_factory=dict)
    feeds: dict[int, Feed] = field(default_factory=dict)
    entries: dict[int, Entry] = field(default_factory=dict)
    toggles: Counter[int] = field(default_factory=Counter)
    refused: list[str] = field(default_factory=list)
    most: int | None = None
    """The most entries one answer holds, whatever ``limit`` asked."""
    http: FeedServer = field(default_factory=FeedServer)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self.http.route("/v1/", self._answer, prefix=True)

    @property
    def url(self) -> str:
        return self.http.url("/")

    def calls(self, path: str) -> list[Request]:
        return self.http.requests_to(path)

    def _answer(self, request: Request) -> Response:
        with self._lock:
            try:
                return self._route(request, request.route_path.removeprefix("/v1/"))
            except Refused as refusal:
                self.refused.append(f"{request.method} {request.path}: {refusal.why}")
                return error(refusal.status, refusal.why)

    def _route(self, request: Request, path: str) -> Response:
        if not self._authenticated(request):
            raise Refused(401, "Access Unauthorized")
        query = parse_qs(urlsplit(request.path).query, keep_blank_values=True)
        route = (request.method, re.sub(r"/[0-9]+(?=/|$)", "/N", path))
        number = int(m.group(1)) if (m := re.search(r"/([0-9]+)", path)) else 0
        if route == ("GET", "me"):
            return answer({"id": 1, "username": self.user, "is_admin": False})
        if route == ("GET", "feeds/counters"):
            return answer(self._counters())
        if route == ("GET", "feeds"):
            return answer([self._feed_json(i) for i in self.feeds])
        if route == ("GET", "categories"):
            return answer([{"id": i, "title": t, "user_id": 1} for i, t in self.categories.items()])
        if route == ("POST", "categories"):
            return self._new_category(body(request))
        if route == ("GET", "entries"):
            return self._list(query)
        if route == ("GET", "entries/N"):
            entry = self.entries.get(number)
            if entry is None or entry.status == "removed":
                raise Refused(404, "Not Found")
            return answer(entry.as_json())
        if route == ("PUT", "entries"):
            return self._set_status(body(request))
        if route == ("PUT", "entries/N/bookmark"):
            if request.body:
                raise Refused(400, "toggle takes no body")
            self.toggles[number] += 1
            if number in self.entries:
                self.entries[number].starred = not self.entries[number].starred
            return Response(204)
        if route == ("POST", "feeds"):
            return self._new_feed(body(request))
        if route == ("DELETE", "feeds/N") and number in self.feeds:
            del self.feeds[number]
            self.entries = {i: e for i, e in self.entries.items() if e.feed != number}
            return Response(204)
        raise Refused(404, "Not Found")

    def _authenticated(self, request: Request) -> bool:
        if request.header("X-Auth-Token") is not None:
            return request.header("X-Auth-Token") == self.api_key
        pair = f"{self.user}:{self.password}".encode()
        return request.header("Authorization") == "Basic " + base64.b64encode(pair).decode()

    def _counters(self) -> dict[str, dict[str, int]]:
        # Feeds with nothing unread (or nothing read) are left out, as Miniflux does.
        counts: dict[str, Counter[str]] = {"reads": Counter(), "unreads": Counter()}
        for entry in self.entries.values():
            if entry.status in ("read", "unread") and entry.raw is None:
                counts[entry.status + "s"][str(entry.feed)] += 1
        return {name: dict(counter) for name, counter in counts.items()}

    def _feed_json(self, feed_id: int) -> dict[str, Any]:
        feed = self.feeds[feed_id]
        category = {"id": feed.category, "user_id": 1, "title": self.categories[feed.category]}
        return {
            "id": feed_id,
            "user_id": 1,
            "title": feed.title,
            "site_url": feed.site,
            "feed_url": feed.url,
            "category": category,
            "icon": None,
        }

    def _list(self, query: dict[str, list[str]]) -> Response:
        if set(query) - ENTRY_FILTERS:
            raise Refused(400, f"undocumented filter {sorted(set(query) - ENTRY_FILTERS)}")
        statuses = query.get("status", [])
        if any(s not in ("read", "unread", "removed") for s in statuses):
            raise Refused(400, "Invalid entry status")
        if query.get("order", ["id"]) != ["id"] or query.get("direction", ["asc"])[0] not in (
            "asc",
            "desc",
        ):
            raise Refused(400, "order or direction not modelled")
        limit = integer(query, "limit", 100)
        after = integer(query, "after_entry_id", 0)
        starred = BOOLEANS.get(query.get("starred", [""])[0].lower())
        chosen = sorted(
            (
                e
                for e in self.entries.values()
                if e.status != "removed"
                and (not statuses or e.status in statuses)
                and e.id > after
                and (starred is None or "starred" not in query or e.starred == starred)
            ),
            key=lambda e: e.id,
            reverse=query.get("direction", ["asc"])[0] == "desc",
        )
        page = chosen[:limit] if limit > 0 else chosen
        page = page[: self.most] if self.most else page
        return answer({"total": len(chosen), "entries": [e.as_json() for e in page]})

    def _set_status(self, payload: Any) -> Response:
        ids = payload.get("entry_ids") if isinstance(payload, dict) else None
        status = payload.get("status") if isinstance(payload, dict) else None
        if not ids or not all(type(i) is int for i in ids) or status not in ("read", "unread"):
            raise Refused(400, "entry_ids must be integers and status read or unread")
        for i in ids:
            if i in self.entries:
                self.entries[i].status = status
        return Response(204)

    def _new_category(self, payload: Any) -> Response:
        title = payload.get("title") if isinstance(payload, dict) else None
        if not isinstance(title, str) or not title or title in self.categories.values():
            raise Refused(400, "The category title is required or already used")
        number = max(self.categories, default=0) + 1
        self.categories[number] = title
        return answer({"id": number, "user_id": 1, "title": title}, 201)

    def _new_feed(self, payload: Any) -> Response:
        url = payload.get("feed_url") if isinstance(payload, dict) else None
        category = payload.get("category_id") if isinstance(payload, dict) else None
        if not isinstance(url, str) or type(category) is not int:
            raise Refused(400, "feed_url and category_id are required")
        if category not in self.categories or any(f.url == url for f in self.feeds.values()):
            raise Refused(400, "unknown category or duplicated feed")
        number = max(self.feeds, default=0) + 1
        self.feeds[number] = Feed(url, url, category)
        return answer({"feed_id": number}, 201)


class Refused(Exception):
    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status = status
        self.why = why


def body(request: Request) -> Any:
    if (request.header("Content-Type") or "").split(";")[0] != "application/json":
        raise Refused(400, "the body must be JSON")
    try:
        return json.loads(request.body)
    except ValueError:
        raise Refused(400, "unreadable JSON") from None


def integer(query: dict[str, list[str]], key: str, default: int) -> int:
    try:
        return int(query[key][0]) if key in query else default
    except ValueError:
        raise Refused(400, f"{key} is not a number") from None


def answer(payload: Any, status: int = 200) -> Response:
    return Response(status, json.dumps(payload).encode(), {"Content-Type": "application/json"})


def error(status: int, message: str) -> Response:
    return answer({"error_message": message}, status)
