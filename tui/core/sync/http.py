"""The one HTTP client every sync service talks through: bounded, quiet about secrets.

Answers are read a piece at a time up to a cap (a server can be hostile or broken too);
redirects are not followed, because a redirected POST would carry the password to wherever
the server pointed. Failures are ``FetchError`` with a one-line reason naming the server's
address, never a request body.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Self

import httpx

import tui
from tui.core.errors import FetchError
from tui.core.feeds.reasons import size_text, status_line, transport_reason
from tui.core.sync.base import SyncAuthError

MAX_ANSWER_BYTES = 64 * 1024 * 1024
"""Largest answer accepted: a page of a few hundred long articles is a few MB."""
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
"""A large page of articles can take a slow server this long to build."""


class ApiClient:
    """``async with ApiClient(base_url) as api: await api.call("GET", "path")``."""

    def __init__(self, base_url: str, *, headers: Mapping[str, str] | None = None) -> None:
        url = httpx.URL(base_url)
        if url.scheme not in ("http", "https") or not url.host:
            raise FetchError("not an http or https address", subject=base_url)
        self.base_url = base_url
        self.shown_url = str(url.copy_with(username=None, password=None))
        """The address as messages name it: without any user or password written into it."""
        self.headers: dict[str, str] = dict(headers or {})
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> ApiClient:
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            trust_env=True,
            timeout=httpx.Timeout(
                connect=CONNECT_TIMEOUT, read=READ_TIMEOUT, write=READ_TIMEOUT, pool=None
            ),
            headers={"User-Agent": f"yuedu/{tui.__version__}"},
        )
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def call(
        self,
        method: str,
        path: str = "",
        *,
        params: Mapping[str, str | int] | None = None,
        json_body: object = None,
        form: Mapping[str, str | Sequence[str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> bytes:
        """The body of a 2xx answer to ``method`` on ``base_url + path``.

        401 and 403 raise SyncAuthError; any other non-2xx, a transport failure or an
        answer over the cap raise FetchError. A ``form`` value that is a sequence sends its
        key once per item (Google Reader's repeated ``i=``).
        """
        if self._client is None:
            raise RuntimeError("ApiClient used outside 'async with'")
        url = self.base_url.rstrip("/") + "/" + path.lstrip("/") if path else self.base_url
        request = self._client.build_request(
            method,
            url,
            params=dict(params) if params else None,
            json=json_body,
            data=dict(form) if form is not None else None,
            headers={**self.headers, **(headers or {})},
        )
        try:
            response = await self._client.send(request, stream=True)
            try:
                if response.status_code in (401, 403):
                    raise SyncAuthError(
                        f"the server refused the login ({status_line(response)})",
                        subject=self.shown_url,
                    )
                if not 200 <= response.status_code < 300:
                    raise FetchError(
                        status_line(response), subject=self.shown_url, status=response.status_code
                    )
                return await _read_capped(self.shown_url, response)
            finally:
                await response.aclose()
        except httpx.HTTPError as exc:
            reason = transport_reason(
                exc, connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT
            )
            raise FetchError(reason, subject=self.shown_url) from None

    async def call_json(self, method: str, path: str = "", **kwargs: Any) -> Any:
        """``call``, with the answer parsed as JSON (FetchError when it is not JSON)."""
        body = await self.call(method, path, **kwargs)
        return parse_json(body, self.shown_url)


class OverApi:
    """A client of one service speaking through its ``ApiClient``: entering one opens
    the HTTP connections, leaving closes them."""

    _api: ApiClient

    async def __aenter__(self) -> Self:
        await self._api.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._api.__aexit__(None, None, None)


def parse_json(body: bytes, subject: str) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise FetchError("the server's answer is not JSON", subject=subject) from None


async def _read_capped(subject: str, response: httpx.Response) -> bytes:
    parts: list[bytes] = []
    size = 0
    async for piece in response.aiter_bytes():
        size += len(piece)
        if size > MAX_ANSWER_BYTES:
            raise FetchError(
                f"answer too large (over {size_text(MAX_ANSWER_BYTES)})", subject=subject
            )
        parts.append(piece)
    return b"".join(parts)
