"""Downloading an enclosure: to a folder, bounded, resumed with Range after a cut."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.httpserver import HTTPTestServer, Request, Response, server_fixture
from tui.core.errors import FetchError
from tui.core.feeds.download import DownloadLimits, download, file_name
from tui.core.feeds.fetch import FetchSettings

server = server_fixture()

EPISODE = bytes(range(256)) * 1000
LIMITS = DownloadLimits(FetchSettings(connect_timeout=2, read_timeout=5), max_bytes=10**6)


def ranged(server: HTTPTestServer, path: str, body: bytes, *, cut_first_at: int) -> str:
    """Serves ``body`` honouring ``Range: bytes=N-``; the first answer stops at ``cut_first_at``."""
    answered = []

    def handler(request: Request) -> Response:
        asked = re.fullmatch(r"bytes=(\d+)-", request.header("Range") or "")
        first = not answered
        answered.append(request)
        if asked is None:
            piece = body[:cut_first_at] if first else body
            return Response(200, piece, {"Content-Type": "audio/mpeg"}, content_length=len(body))
        start = int(asked.group(1))
        headers = {"Content-Range": f"bytes {start}-{len(body) - 1}/{len(body)}"}
        return Response(206, body[start:], headers)

    return server.url(server.route(path, handler))


def test_a_cut_download_resumes_where_it_stopped(server: HTTPTestServer, tmp_path: Path) -> None:
    url = ranged(server, "/ep/episode%2012.mp3", EPISODE, cut_first_at=100_000)
    seen: list[tuple[int, int | None]] = []
    with pytest.raises(FetchError):
        download(url, tmp_path, LIMITS, lambda done, total: seen.append((done, total)))
    part = tmp_path / "episode 12.mp3.part"
    assert part.stat().st_size == 100_000 and seen[-1] == (100_000, len(EPISODE))
    saved = download(url, tmp_path, LIMITS, lambda done, total: seen.append((done, total)))
    assert saved == tmp_path / "episode 12.mp3" and saved.read_bytes() == EPISODE
    assert not part.exists() and seen[-1] == (len(EPISODE), len(EPISODE))
    assert server.requests[-1].header("Range") == "bytes=100000-"
    assert download(url, tmp_path, LIMITS) == saved  # already there: not fetched again
    assert len(server.requests) == 2


def test_a_server_ignoring_range_starts_over(server: HTTPTestServer, tmp_path: Path) -> None:
    url = server.url(server.serve_bytes("/plain.mp3", EPISODE, content_type="audio/mpeg"))
    (tmp_path / "plain.mp3.part").write_bytes(b"garbage" * 10)
    assert download(url, tmp_path, LIMITS).read_bytes() == EPISODE


def test_too_large_is_refused_by_length_and_by_bytes(
    server: HTTPTestServer, tmp_path: Path
) -> None:
    small = DownloadLimits(LIMITS.settings, max_bytes=1000)
    url = server.url(server.serve_bytes("/big.mp3", EPISODE))
    with pytest.raises(FetchError, match="too large"):
        download(url, tmp_path, small)
    unannounced = server.url(server.huge("/huge.mp3", size=10**6, framing="chunked"))
    with pytest.raises(FetchError, match="too large"):
        download(unannounced, tmp_path, small)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://x.org/a/b.mp3?x=1", "b.mp3"),
        ("https://x.org/", "enclosure"),
        ("https://x.org/..%2F..%2Fetc%2Fpasswd", "passwd"),
        ("https://x.org/a/..", "enclosure"),
        ("https://x.org/%1b%5b31mep.mp3", "ep.mp3"),
    ],
)
def test_file_names_stay_in_the_folder(url: str, name: str) -> None:
    assert file_name(url) == name


def test_only_web_addresses(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="http"):
        download("file:///etc/passwd", tmp_path, LIMITS)
