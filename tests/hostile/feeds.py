"""Hostile feed documents, and a driver for the real ``python -m tui`` in a subprocess.

Every builder returns the bytes a hostile server would send. The payloads are chosen so a
test can tell what survived: each field carries a printable marker (``pwned-title``...)
wrapped in escape sequences and Rich/Textual markup, and the marker must come out whole
while no control character does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
GOOD_FEEDS = (
    "newsboat__rss091_1.xml",
    "chardet__Big5-ebao.us.xml",
    "miniflux-v2__small_atom.xml",
    "NetNewsWire__inessential.json",
)
"""Real feeds from the shared corpus that must refresh fine beside the hostile ones."""

# Raw escape sequences, C1 controls, NUL, BS and CR, and the character references that
# feedparser's loose parser turns into them. Each one is whole (terminated), so stripping
# it must leave its neighbours alone.
ESCAPES = (
    "\x1b[2J"  # clear the screen
    "\x1b]0;owned-window\x07"  # set the window title
    "\x1b]8;;https://evil.example/\x1b\\"  # start an OSC 8 hyperlink
    "\x1b]52;c;cHduZWQ=\x07"  # write the clipboard
    "\x1b[6n"  # ask the terminal for its cursor position (it answers on stdin)
    "\x1b]8;;\x1b\\"  # end the hyperlink
    "\u0085\u009b31m\u009d2;c1-title\u009c"  # NEL, 8-bit CSI, 8-bit OSC ... ST
    "\x00\x08\r"
    "&#27;[1m&#x1b;]2;ref-title&#7;&#x9b;2J&#155;"
)
# Rich and Textual markup and emoji codes: shown as typed, never interpreted.
MARKUP = "[bold]B[/] [/] [link=file:///etc/passwd]L[/link] [@click=app.quit]Q[/] [$accent]A :skull:"


def marker(name: str) -> str:
    """The printable text a field must still show: ``pwned-<name>``."""
    return f"pwned-{name}"


def injected(name: str) -> str:
    """A field's hostile value, ready to sit in XML character data: escapes all around,
    one more inside the marker itself, and the markup after it."""
    return f"{ESCAPES}pw\x1b[6nned-{name}\x07 {MARKUP}{ESCAPES}"


# Bytes and characters that must never reach a terminal (bidi controls reorder what the
# user reads, so a shown URL could differ from the one opened).
FORBIDDEN_CHARS = frozenset(
    [chr(c) for c in range(0x20) if chr(c) not in "\n\t"]
    + [chr(0x7F)]
    + [chr(c) for c in range(0x80, 0xA0)]
    + list("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def forbidden_in(text: str) -> list[str]:
    """The forbidden characters ``text`` holds, as escapes for a readable assertion."""
    return sorted({repr(ch) for ch in text if ch in FORBIDDEN_CHARS})


def assert_terminal_safe(raw: bytes) -> str:
    """Decode a command's output (strict UTF-8) and fail on any control but tab/newline."""
    text = raw.decode("utf-8")
    assert not forbidden_in(text), forbidden_in(text)
    return text


# --- documents --------------------------------------------------------------------------


def rss(items: Iterable[str] = (), *, title: str = "Feed", prolog: str = "") -> bytes:
    """An RSS 2.0 document around ready-made ``<item>`` strings; nothing is escaped."""
    head = '<?xml version="1.0" encoding="utf-8"?>\n' + prolog
    channel = f"<title>{title}</title><link>https://example.org/</link><description>d</description>"
    return (
        f'{head}<rss version="2.0"><channel>{channel}{"".join(items)}</channel></rss>\n'
    ).encode()


def item(
    title: str,
    *,
    guid: str | None = None,
    link: str | None = None,
    date: str | None = None,
    body: str | None = None,
    author: str | None = None,
    category: str | None = None,
    enclosure: str | None = None,
) -> str:
    """One ``<item>``: the title is raw (so a test can inject references), the rest escaped."""
    parts = [f"<title>{title}</title>"]
    if guid is not None:
        parts.append(f"<guid isPermaLink='false'>{escape(guid)}</guid>")
    if link is not None:
        parts.append(f"<link>{escape(link)}</link>")
    if date is not None:
        parts.append(f"<pubDate>{escape(date)}</pubDate>")
    if author is not None:
        parts.append(f"<author>{author}</author>")
    if category is not None:
        parts.append(f"<category>{category}</category>")
    if enclosure is not None:
        parts.append(f"<enclosure url={_attr(enclosure)} type='audio/mpeg' length='10'/>")
    if body is not None:
        parts.append(f"<description>{escape(body)}</description>")
    return "<item>" + "".join(parts) + "</item>"


def _attr(value: str) -> str:
    return '"' + escape(value, {'"': "&quot;"}) + '"'


def injected_rss() -> bytes:
    """Every field of an RSS feed carries the payload, raw bytes and references both."""
    body = (
        f"<p>{injected('body')}</p>"
        f'<p><a href="https://example.org/ok">{injected("linktext")}</a></p>'
    )
    entry = item(
        injected("title"),
        guid="inject-rss",
        link="https://example.org/inject",
        date="Mon, 20 May 2024 10:00:00 GMT",
        author=injected("author"),
        category=injected("category"),
    )
    # The body goes in escaped: HTML inside <description>, as real feeds send it, with the
    # references escaped once more so they survive to the article's HTML parser.
    entry = entry.replace("</item>", f"<description>{escape(body)}</description></item>")
    return rss([entry], title=injected("feedtitle"))


def injected_atom() -> bytes:
    """Well-formed Atom: the escapes arrive only as references inside ``type="html"``
    text, so they appear when the HTML is unescaped, after the XML parser is done."""

    def html_field(name: str) -> str:
        refs = "&#27;[2J&#27;]0;atom-title&#7;&#x9b;31m&#0;&#8;&#13;&#x202e;"
        return escape(f"{refs}pwned-{name} {MARKUP}{refs}")

    entry = (
        "<entry><id>inject-atom</id><updated>2024-05-20T08:00:00Z</updated>"
        f'<title type="html">{html_field("title")}</title>'
        f"<author><name>{html_field('author')}</name></author>"
        f'<category term="{html_field("category")}"/>'
        '<link rel="alternate" href="https://example.org/inject-atom"/>'
        f'<content type="html">{escape("<p>")}{html_field("body")}{escape("</p>")}</content>'
        "</entry>"
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title type="html">{html_field("feedtitle")}</title><id>urn:x</id>'
        f"<updated>2024-05-20T08:00:00Z</updated>{entry}</feed>"
    ).encode()


def injected_json() -> bytes:
    """The payload in a JSON Feed, where ``\\u001b`` escapes make it well-formed."""
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": injected("feedtitle"),
        "home_page_url": "https://example.org/",
        "items": [
            {
                "id": "inject-json",
                "url": "https://example.org/inject-json",
                "title": injected("title"),
                "authors": [{"name": injected("author")}],
                "tags": [injected("category")],
                "date_published": "2024-05-20T09:00:00Z",
                "content_html": (
                    f"<p>{injected('body')}</p>"
                    f'<p><a href="https://example.org/ok">{injected("linktext")}</a></p>'
                ),
            }
        ],
    }
    return json.dumps(doc).encode()


# href -> what Entry.link / the numbered link must be (None: refused). Relative ones are
# resolved against BASE, the feed's own URL.
LINK_CASES: dict[str, str | None] = {
    "javascript:alert(1)": None,
    "JaVaScRiPt:alert(document.cookie)": None,
    "file:///etc/passwd": None,
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==": None,
    "vbscript:msgbox(1)": None,
    "ssh://evil.example/": None,
    "-oProxyCommand=touch /tmp/pwned": "{base}/-oProxyCommand=touch%20/tmp/pwned",
    "relative/post.html": "{base}/relative/post.html",
    "/rooted/post.html": "{root}/rooted/post.html",
    "https://example.org/\u202egnp.exe": "https://example.org/gnp.exe",
    "https://example.org/ok?a=1&b=2": "https://example.org/ok?a=1&b=2",
}


def links_rss() -> bytes:
    """One item per LINK_CASES key as its <link>, and all of them as <a> in one body."""
    anchors = "".join(f"<a href={_attr(h)}>text{n}</a> " for n, h in enumerate(LINK_CASES))
    items = [
        item(f"link case {n}", guid=f"link-{n}", link=href, enclosure=href)
        for n, href in enumerate(LINK_CASES)
    ]
    items.append(item("all the links", guid="links-body", body=f"<p>{anchors}</p>"))
    return rss(items, title="Links")


def billion_laughs(levels: int = 9) -> bytes:
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, levels + 1):
        entities.append(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">')
    prolog = "<!DOCTYPE rss [" + "".join(entities) + "]>\n"
    top = f"&lol{levels};"
    return rss(
        [item(f"laughs {top}", guid="laughs", body=top)], title=f"Laughs {top}", prolog=prolog
    )


def external_entities(entity_url: str, dtd_url: str) -> bytes:
    """General, parameter and external-DTD entities pointing at ``entity_url`` / ``dtd_url``."""
    prolog = (
        f'<!DOCTYPE rss SYSTEM "{dtd_url}" [\n'
        f'<!ENTITY xxe SYSTEM "{entity_url}">\n'
        '<!ENTITY passwd SYSTEM "file:///etc/passwd">\n'
        f'<!ENTITY % remote SYSTEM "{entity_url}?param"> %remote;\n'
        "]>\n"
    )
    return rss(
        [item("xxe &xxe; &passwd;", guid="xxe", body="&xxe;&passwd;")],
        title="XXE &xxe;",
        prolog=prolog,
    )


def deep_xml(depth: int = 100_000) -> bytes:
    """Elements nested ``depth`` deep inside a channel, then one ordinary item."""
    nest = "<x>" * depth + "</x>" * depth
    return rss([nest, item("after the deep nest", guid="deep")], title="Deep")


def deep_html_item(depth: int = 100_000) -> bytes:
    """An ordinary feed whose one article is HTML nested ``depth`` deep."""
    html = "<div><b><i>" * (depth // 3) + "deep text" + "</i></b></div>" * (depth // 3)
    return rss([item("deep article", guid="deep-html", body=html)], title="Deep HTML")


def huge_title(size: int = 1_000_000) -> bytes:
    return rss([item("word " * (size // 5), guid="huge-title")], title="Huge title")


def long_word(size: int = 100_000) -> bytes:
    word = "w" * size
    return rss([item(word, guid="long-word", body=f"<p>{word}</p>")], title="Long word")


def zalgo(marks: int = 200) -> str:
    """Each letter of "zalgo" under ``marks`` combining marks."""
    pile = "".join(chr(0x300 + i % 0x70) for i in range(marks))
    return "".join(ch + pile for ch in "zalgo")


def rtl_and_zalgo() -> bytes:
    title = f"\u202eevil-rtl\u202c {zalgo()} rest"
    return rss([item(title, guid="zalgo", body=f"<p>{zalgo()} \u202egnp.exe</p>")], title="Zalgo")


def dates() -> bytes:
    cases = {
        "unparseable": "yesterday, around noon",
        "year-1": "Mon, 01 Jan 0001 00:00:00 GMT",
        "year-9999": "Fri, 31 Dec 9999 23:59:59 GMT",
        "iso-year-1": "0001-01-01T00:00:00Z",
        "normal": "Mon, 20 May 2024 10:00:00 GMT",
    }
    return rss([item(f"date {n}", guid=f"date-{n}", date=d) for n, d in cases.items()])


# --- the real CLI -----------------------------------------------------------------------


@dataclass
class Yuedu:
    """``python -m tui --home HOME ...`` in a fresh interpreter, as a user's shell runs it."""

    home: Path

    def configure(self, text: str) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "config.toml").write_text(text, encoding="utf-8")

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "tui", "--home", str(self.home), *args]

    def run(
        self, *args: str, timeout: float = 60, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        """Run a command; output stays bytes so a test sees exactly what a terminal would."""
        return subprocess.run(
            self.argv(*args),
            cwd=REPO,
            capture_output=True,
            timeout=timeout,
            env={**_without_proxies(os.environ), **(env or {})},
        )

    def ok(self, *args: str, timeout: float = 60) -> str:
        """Run a command that must succeed; its stdout, checked terminal-safe."""
        result = self.run(*args, timeout=timeout)
        assert result.returncode == 0, result.stderr.decode(errors="replace")
        assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
        assert_terminal_safe(result.stderr)
        return assert_terminal_safe(result.stdout)

    def json(self, *args: str) -> list[dict[str, object]]:
        data = json.loads(self.ok(*args, "--json"))
        assert isinstance(data, list)
        return data

    def subscribe(self, urls: Sequence[str]) -> None:
        """Subscribe without fetching, through a newsboat urls file."""
        listing = self.home.parent / f"{self.home.name}-urls.txt"
        listing.write_text("".join(f"{u}\n" for u in urls), encoding="utf-8")
        self.ok("import", str(listing))


def _without_proxies(environ: Mapping[str, str]) -> dict[str, str]:
    # httpx honours proxy variables, and a proxy would swallow requests to 127.0.0.1.
    return {k: v for k, v in environ.items() if not k.lower().endswith("_proxy")}


FAST_CONFIG = """\
refresh_on_start = false
[fetch]
timeout = 2
connect_timeout = 1
max_size_mib = 1
"""


def clusters_longest(text: str) -> int:
    """Code points in the longest run of one base character and its combining marks."""
    longest = run = 0
    for ch in text:
        run = run + 1 if unicodedata.combining(ch) or unicodedata.category(ch) == "Me" else 1
        longest = max(longest, run)
    return longest
