"""Downloading an enclosure to a folder, as podboat does: bounded, resumable, with progress.

A download goes to ``NAME.part`` first and becomes ``NAME`` when complete; a later try sends
``Range`` for what is missing, and starts over when the server ignores it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import httpx

from tui.core.errors import FetchError
from tui.core.feeds.fetch import FetchSettings
from tui.core.feeds.reasons import size_text, status_line, transport_reason
from tui.core.text.sanitize import clean_line, safe_url

Progress = Callable[[int, int | None], None]
"""Called with (bytes on disk, expected total or None) as the download goes."""

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_CONTENT_RANGE = re.compile(r"bytes (\d+)-\d+/(\d+|\*)")
_UNSATISFIABLE = re.compile(r"bytes \*/(\d+)")


@dataclass(frozen=True, slots=True)
class DownloadLimits:
    settings: FetchSettings
    """Timeouts, redirects and the user agent of the feed fetcher (its deadline is not used:
    an episode takes minutes; silence longer than ``read_timeout`` still ends it)."""
    max_bytes: int


def file_name(url: str) -> str:
    """A safe local name from the URL's last path segment, e.g. ``episode-12.mp3``."""
    segment = PurePosixPath(unquote(urlsplit(url).path)).name
    name = _UNSAFE.sub("_", clean_line(segment)).strip(" .")
    return name[:200] or "enclosure"


def download(
    url: str, folder: Path, limits: DownloadLimits, progress: Progress = lambda _d, _t: None
) -> Path:
    """Download ``url`` into ``folder`` and return the file; a file already there is kept.

    Raises FetchError (subject ``url``) with a one-line reason: refused addresses, HTTP
    errors, "too large (over 4 GiB)", transport failures, and OSError reasons from the disk.
    """
    safe = safe_url(url)
    if safe is None:
        raise FetchError("not an http(s) address", subject=url)
    target = folder / file_name(safe)
    if target.exists():
        return target
    part = target.with_name(target.name + ".part")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _fetch_into(safe, part, limits, progress)
        part.replace(target)
    except OSError as exc:
        raise FetchError(f"cannot write {part} ({exc.strerror or exc})", subject=url) from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        s = limits.settings
        reason = transport_reason(
            exc, connect_timeout=s.connect_timeout, read_timeout=s.read_timeout
        )
        raise FetchError(reason, subject=url) from exc
    return target


def _fetch_into(url: str, part: Path, limits: DownloadLimits, progress: Progress) -> None:
    s = limits.settings
    have = part.stat().st_size if part.exists() else 0
    # Media is sent as is: asking for no compression keeps Range offsets meaning file bytes.
    headers = {"User-Agent": s.user_agent, "Accept-Encoding": "identity"}
    if have:
        headers["Range"] = f"bytes={have}-"
    timeout = httpx.Timeout(
        connect=s.connect_timeout, read=s.read_timeout, write=s.read_timeout, pool=None
    )
    with (
        httpx.Client(
            follow_redirects=True,
            max_redirects=s.max_redirects,
            timeout=timeout,
            trust_env=True,
            event_hooks={"response": [_refuse_odd_redirects]},
        ) as client,
        client.stream("GET", url, headers=headers) as response,
    ):
        start, total = _resume_point(response, have, url)
        if total is not None and total > limits.max_bytes:
            raise FetchError(f"too large (over {size_text(limits.max_bytes)})", subject=url)
        if start and start == total:
            return
        size = start
        with part.open("r+b" if start else "wb") as out:
            out.seek(start)
            out.truncate()
            progress(size, total)
            for piece in response.iter_raw():
                size += len(piece)
                if size > limits.max_bytes:
                    out.close()
                    part.unlink()  # nothing to resume: the file will never fit
                    raise FetchError(f"too large (over {size_text(limits.max_bytes)})", subject=url)
                out.write(piece)
                progress(size, total)
        if total is not None and size < total:
            raise FetchError("connection closed before the file was complete", subject=url)


def _resume_point(response: httpx.Response, have: int, url: str) -> tuple[int, int | None]:
    """Where to write from, and the whole file's size when the server says."""
    status = response.status_code
    length = response.headers.get("Content-Length", "")
    if status == 206:
        found = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
        if found is None or int(found.group(1)) != have:
            raise FetchError("the server resumed at the wrong place", subject=url)
        whole = found.group(2)
        return have, int(whole) if whole.isdigit() else None
    if status == 200:
        return 0, int(length) if length.isdigit() else None
    complete = _UNSATISFIABLE.fullmatch(response.headers.get("Content-Range", "").strip())
    if status == 416 and have and complete is not None and int(complete.group(1)) == have:
        return have, have  # the last try got every byte but stopped before renaming
    raise FetchError(status_line(response), subject=url, status=status)


def _refuse_odd_redirects(response: httpx.Response) -> None:
    """A redirect may only lead to another http(s) address (not file:, javascript:...)."""
    location = response.headers.get("Location", "").strip()
    if response.is_redirect and location and safe_url(location, str(response.url)) is None:
        raise FetchError("redirect to a non-web address", subject=str(response.url))
