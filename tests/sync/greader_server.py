"""A Google Reader API server on 127.0.0.1 that keeps state and refuses what the docs do.

It follows FreshRSS's ``p/api/greader.php`` and the unofficial API docs, strictly:
``ClientLogin`` only as a form POST with the password in the body; every other call only
with ``Authorization: GoogleLogin auth=<Auth>``; writes only as form POSTs carrying the
current action token ``T`` (401 with ``X-Reader-Google-Bad-Token: true`` otherwise, as
FreshRSS answers); item ids long and hex in ``stream/contents``, short, signed and decimal
in ``stream/items/ids``; ``continuation`` opaque and only the ones it handed out accepted.
Every refusal is noted in ``refused`` so a test can show why a client failed.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

from tui.demo.exchange import Request, Response
from tui.demo.server import FeedServer

PREFIX = "/api/greader.php/"
ITEM_PREFIX = "tag:google.com,2005:reader/item/"
READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
FORM = "application/x-www-form-urlencoded"
BITS = 1 << 64


@dataclass
class Item:
    number: int
    """The id as an unsigned 64-bit number."""
    feed: str
    crawl_ms: int
    title: str = "An item"
    link: str = "https://example.com/a"
    content: str = "<p>Body</p>"
    read: bool = False
    starred: bool = False
    raw: Any = None
    """Sent in place of the item's JSON: a hostile item."""

    @property
    def long_id(self) -> str:
        return f"{ITEM_PREFIX}{self.number:016x}"

    @property
    def short_id(self) -> str:
        return str(self.number - BITS if self.number >= BITS // 2 else self.number)

    def as_json(self, label: str) -> Any:
        if self.raw is not None:
            return self.raw
        categories = [READING_LIST, f"user/-/label/{label}"]
        categories += [READ] * self.read + [STARRED] * self.starred
        return {
            "id": self.long_id,
            "crawlTimeMsec": str(self.crawl_ms),
            "timestampUsec": str(self.crawl_ms * 1000),
            "published": self.crawl_ms // 1000,
            "title": self.title,
            "author": "Ann",
            "summary": {"content": self.content},
            "alternate": [{"href": self.link}],
            "categories": categories,
            "origin": {"streamId": self.feed, "title": "Feed"},
        }


@dataclass
class Feed:
    url: str
    title: str
    label: str
    site: str = "https://example.com/"


@dataclass
class GReaderServer:
    user: str = "alice"
    password: str = "correct horse"
    auth: str = "alice/0123456789abcdef"
    token: str = "T" * 57
    feeds: dict[str, Feed] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    max_count: int = 1000
    """``unread-count``'s cap."""
    oldest_first: bool = True
    """False: ``r=o`` is ignored and items come newest first, as from some servers."""
    http: FeedServer = field(default_factory=FeedServer)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._continuations: set[str] = set()
        self.http.route(PREFIX, self._answer, prefix=True)

    @property
    def url(self) -> str:
        return self.http.url(PREFIX.rstrip("/"))

    def item(self, number: int) -> Item:
        return next(item for item in self.items if item.number == number)

    def calls(self, endpoint: str) -> list[Request]:
        return self.http.requests_to(PREFIX + endpoint)

    def _answer(self, request: Request) -> Response:
        with self._lock:
            try:
                return self._route(request, request.route_path.removeprefix(PREFIX))
            except Refused as refusal:
                self.refused.append(f"{request.method} {request.path}: {refusal.why}")
                return refusal.response

    def _route(self, request: Request, path: str) -> Response:
        query = parse_qs(urlsplit(request.path).query, keep_blank_values=True)
        if path == "accounts/ClientLogin":
            return self._login(request, query)
        if request.header("Authorization") != f"GoogleLogin auth={self.auth}":
            raise Refused("no or wrong GoogleLogin header", bad_token(401))
        api = path.removeprefix("reader/api/0/")
        if api == "token" and request.method == "GET":
            return text(self.token + "\n")
        if api == "subscription/list" and request.method == "GET":
            return answer_json({"subscriptions": [self._feed_json(i) for i in self.feeds]})
        if api == "unread-count" and request.method == "GET":
            return answer_json({"max": self.max_count, "unreadcounts": self._unread_counts()})
        if api == "stream/items/ids" and request.method == "GET":
            return self._ids(query)
        if api == "stream/items/contents":
            return self._contents(self._write_form(request, query))
        if api == "edit-tag":
            return self._edit_tag(self._write_form(request, query))
        if api == "subscription/edit":
            return self._edit_subscription(self._write_form(request, query))
        # Miniflux answers every endpoint it lacks (stream/contents among them) this way.
        raise Refused("not an endpoint", answer_json([]))

    def _login(self, request: Request, query: dict[str, list[str]]) -> Response:
        if request.method != "POST" or not is_form(request) or "Passwd" in query:
            raise Refused("ClientLogin is a form POST", Response(400, b"Bad Request"))
        form = dict(parse_qsl(request.body.decode()))
        if form.get("Email") != self.user or form.get("Passwd") != self.password:
            raise Refused("bad credentials", Response(401, b"Error=BadAuthentication\n"))
        return text(f"SID={self.auth}\nLSID=null\nAuth={self.auth}\n")

    def _write_form(self, request: Request, query: dict[str, list[str]]) -> dict[str, list[str]]:
        if request.method != "POST":
            raise Refused("writes are POSTs", Response(405, b"Method Not Allowed"))
        if not is_form(request):
            raise Refused("writes are forms", Response(400, b"Bad Request"))
        form = parse_qs(request.body.decode(), keep_blank_values=True)
        if form.get("T") != [self.token]:
            raise Refused("missing or stale T", bad_token(401))
        return form

    def _unread_counts(self) -> list[dict[str, Any]]:
        # As Google Reader did: feeds with nothing unread are left out, counts stop at max.
        counts = Counter(item.feed for item in self.items if not item.read and item.raw is None)
        return [
            {"id": feed, "count": min(n, self.max_count), "newestItemTimestampUsec": "0"}
            for feed, n in counts.items()
        ]

    def _feed_json(self, feed_id: str) -> dict[str, Any]:
        feed = self.feeds[feed_id]
        label = {"id": f"user/-/label/{feed.label}", "label": feed.label}
        return {
            "id": feed_id,
            "title": feed.title,
            "categories": [label],
            "url": feed.url,
            "htmlUrl": feed.site,
            "iconUrl": "",
        }

    def _page(self, query: dict[str, list[str]], items: list[Any], most: int) -> tuple[Any, Any]:
        count = number(query, "n", 20)
        if not 1 <= count <= most:
            raise Refused("n out of range", Response(400, b"Bad Request"))
        start = 0
        if "c" in query:
            if query["c"][0] not in self._continuations:
                raise Refused("unknown continuation", Response(400, b"Bad Request"))
            start = int(query["c"][0].removeprefix("page-"))
        page = items[start : start + count]
        more = None
        if start + count < len(items):
            more = f"page-{start + count}"
            self._continuations.add(more)
        return page, more

    def _ids(self, query: dict[str, list[str]]) -> Response:
        stream = query.get("s", [""])[0]
        exclude = query.get("xt", [])
        if stream not in (READING_LIST, STARRED) or any(x != READ for x in exclude):
            raise Refused("unknown stream", Response(400, b"Bad Request"))
        since = number(query, "ot", 0) * 1000
        oldest_first = self.oldest_first and query.get("r", ["d"])[0] == "o"
        chosen = [
            item
            for item in sorted(self.items, key=lambda i: i.crawl_ms, reverse=not oldest_first)
            if item.crawl_ms >= since
            and (stream == READING_LIST or item.starred)
            and not (exclude and item.read)
        ]
        page, more = self._page(query, chosen, 100_000)
        body: dict[str, Any] = {"itemRefs": [{"id": item.short_id} for item in page]}
        if more:
            body["continuation"] = more
        return answer_json(body)

    def _contents(self, form: dict[str, list[str]]) -> Response:
        if form.get("output") != ["json"] or not form.get("i"):
            raise Refused("contents need output=json and ids", Response(400, b"Bad Request"))
        wanted = [parse_item_id(i) for i in form["i"]]
        labels = {feed_id: feed.label for feed_id, feed in self.feeds.items()}
        chosen = [item for n in wanted for item in self.items if item.number == n]
        body = {
            "id": READING_LIST,
            "updated": 1,
            "items": [item.as_json(labels.get(item.feed, "")) for item in chosen],
        }
        return answer_json(body)

    def _edit_tag(self, form: dict[str, list[str]]) -> Response:
        numbers = {parse_item_id(i) for i in form.get("i", [])}
        if not numbers or None in numbers:
            raise Refused("no or bad item ids", Response(400, b"Bad Request"))
        changes = [(tag, True) for tag in form.get("a", [])]
        changes += [(tag, False) for tag in form.get("r", [])]
        if not changes or any(tag not in (READ, STARRED) for tag, _ in changes):
            raise Refused("unknown tag", Response(400, b"Bad Request"))
        for item in self.items:
            if item.number in numbers:
                for tag, on in changes:
                    setattr(item, "read" if tag == READ else "starred", on)
        return text("OK")

    def _edit_subscription(self, form: dict[str, list[str]]) -> Response:
        action = form.get("ac", [""])[0]
        stream = form.get("s", [""])[0]
        if action == "subscribe" and stream.startswith("feed/http"):
            label = form.get("a", ["user/-/label/Uncategorized"])[0]
            if not label.startswith("user/-/label/"):
                raise Refused("a is not a label", Response(400, b"Bad Request"))
            feed_id = f"feed/{len(self.feeds) + 100}"
            url = stream.removeprefix("feed/")
            self.feeds[feed_id] = Feed(url, url, label.removeprefix("user/-/label/"))
            return text("OK")
        if action == "unsubscribe" and stream in self.feeds:
            del self.feeds[stream]
            return text("OK")
        raise Refused("bad subscription edit", Response(400, b"Bad Request"))


class Refused(Exception):
    def __init__(self, why: str, response: Response) -> None:
        super().__init__(why)
        self.why = why
        self.response = response


def parse_item_id(value: str) -> int | None:
    """Either form, as FreshRSS's ``hex2dec`` reads them."""
    if value.startswith(ITEM_PREFIX):
        try:
            return int(value.removeprefix(ITEM_PREFIX), 16)
        except ValueError:
            return None
    try:
        return int(value) % BITS
    except ValueError:
        return None


def is_form(request: Request) -> bool:
    return (request.header("Content-Type") or "").split(";")[0].strip() == FORM


def number(query: dict[str, list[str]], key: str, default: int) -> int:
    try:
        return int(query[key][0]) if key in query else default
    except ValueError:
        raise Refused(f"{key} is not a number", Response(400, b"Bad Request")) from None


def bad_token(status: int) -> Response:
    return Response(
        status,
        b"Unauthorized!",
        {"Content-Type": "text/plain", "X-Reader-Google-Bad-Token": "true"},
    )


def text(body: str) -> Response:
    return Response(200, body.encode(), {"Content-Type": "text/plain; charset=UTF-8"})


def answer_json(body: Any) -> Response:
    return Response(200, json.dumps(body).encode(), {"Content-Type": "application/json"})
