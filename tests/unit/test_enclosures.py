"""Podcasts and media: enclosures from RSS, Media RSS and Atom through the cache to the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.httpserver import HTTPTestServer, server_fixture
from tests.unit.test_cli import cli
from tui.core.enclosures import first_playable
from tui.core.feeds.parse.feed import parse_feed, parse_feed_slow
from tui.core.models import Enclosure

server = server_fixture()

PODCAST = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Podcast</title><link>https://example.org/</link>
<item><title>Episode 2</title><guid>ep2</guid><link>https://example.org/2</link>
  <pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate>
  <category>Tech</category><category>Talk</category>
  <enclosure url="https://cdn.example.org/ep2.mp3" type="audio/mpeg" length="12345"/>
</item>
<item><title>Episode 1</title><guid>ep1</guid><link>https://example.org/1</link>
  <pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate>
  <media:content url="https://cdn.example.org/ep1.mp4" type="video/mp4" fileSize="999"/>
  <media:content url="javascript:alert(1)" type="video/mp4"/>
</item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id>
<updated>2024-01-01T00:00:00Z</updated>
<entry><title>One</title><id>urn:1</id><updated>2024-01-01T00:00:00Z</updated>
  <link rel="alternate" href="https://example.org/one"/>
  <link rel="enclosure" href="/one.ogg" type="audio/ogg" length="42"/>
</entry></feed>"""


@pytest.mark.parametrize("parse", [parse_feed, parse_feed_slow])
def test_rss_media_rss_and_atom_enclosures_are_parsed(parse: object) -> None:
    assert callable(parse)
    podcast = parse(PODCAST, url="https://example.org/feed")
    assert [[(e.url, e.type, e.length) for e in entry.enclosures] for entry in podcast.entries] == [
        [("https://cdn.example.org/ep2.mp3", "audio/mpeg", 12345)],
        [("https://cdn.example.org/ep1.mp4", "video/mp4", 999)],
    ]
    atom = parse(ATOM, url="https://example.org/atom")
    assert [(e.url, e.type, e.length) for e in atom.entries[0].enclosures] == [
        ("https://example.org/one.ogg", "audio/ogg", 42)
    ]


def test_entries_json_and_show_list_the_enclosures(
    server: HTTPTestServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = str(tmp_path / "home")
    url = server.url(server.serve_bytes("/podcast.xml", PODCAST))
    assert cli(capsys, "--home", home, "add", url)[0] == 0
    code, out, _ = cli(capsys, "--home", home, "entries", "--json")
    assert code == 0
    items = json.loads(out)
    assert [item["enclosures"] for item in items] == [
        [{"url": "https://cdn.example.org/ep2.mp3", "type": "audio/mpeg", "length": 12345}],
        [{"url": "https://cdn.example.org/ep1.mp4", "type": "video/mp4", "length": 999}],
    ]
    code, out, _ = cli(capsys, "--home", home, "show", str(items[0]["id"]), "--width", "80")
    assert code == 0
    assert "https://cdn.example.org/ep2.mp3" in out
    listed = [line for line in out.splitlines() if "ep2.mp3" in line]
    assert listed and listed[-1].lstrip().startswith("[")


def test_the_player_gets_audio_or_video_before_pictures() -> None:
    picture = Enclosure("https://x.org/cover.jpg", "image/jpeg")
    episode = Enclosure("https://x.org/ep.mp3", "audio/mpeg", 10)
    assert first_playable([picture, episode]) == "https://x.org/ep.mp3"
    assert first_playable([Enclosure("javascript:x", "audio/mpeg"), picture]) == picture.url
    assert first_playable([]) is None
