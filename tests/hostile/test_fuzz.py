"""Random and hostile input through every entry point: layout, OPML, config, feeds, CLI.

Each property holds for any input: no exception but the one the entry point documents,
bounded time, lines within the width. A few seconds in CI; ``YUEDU_FUZZ_SECONDS=600``
runs each property for about that long (a budget per property, not for the module).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.hostile import feeds
from tests.hostile.feeds import CORPUS, Yuedu
from tests.hostile.fuzzing import budget
from tui.core.config import load_config
from tui.core.errors import ConfigError, ParseError
from tui.core.feeds.opml import Subscription, read_opml, write_opml
from tui.core.feeds.parse.feed import parse_feed
from tui.core.text.breaker import cell_width
from tui.core.text.layout import render_article
from tui.core.text.sanitize import clean_line


def cpu_seconds(call: Callable[[], object]) -> float:
    started = time.process_time()
    call()
    return time.process_time() - started


# --- layout ---------------------------------------------------------------------------

# Fragments that broke, or nearly broke, a tokenizer or a tree builder somewhere.
MARKUP = [
    "<", ">", "</", "<a", "<a ", "</a", "<!", "<!--", "-->", "<![CDATA[", "]]>", "<?", "=",
    '"', "'", "&", "&#", "&#x", ";", "&amp", "&#0", "&#x110000;", "&#xD800;", "<p>", "</p>",
    "<b>", "</b>", "<i>", "<br>", "<hr>", "<table>", "<tr>", "<td>", "<th colspan=99999>",
    "</table>", "<ul>", "<ol start=-99999999999>", "<li>", "<pre>", "</pre>", "<blockquote>",
    "<h1>", "<ruby>", "<rt>", "<img src=x alt=", "<a href='http://a/[x'>", "<script>",
    "</script", "<style>", "<title>", "<svg>", "<math>", "<template>", "<details>", "<sup>",
    "<code>", "<q>", "<div hidden>", "<span style='display:none'>",
]  # fmt: skip
CHARACTERS = [
    " ", "\n", "\t", "\r", "\x00", "\x1b[2J", "\x9b", "\u200b", "\u200d", "\u00ad", "\ufeff",
    "a", "word ", "中", "文。", "「", "」", "ー", "が", "\u0301", "\u0e33", "\U0001f1e6",
    "\U0001f468\u200d\U0001f469", "\u202e", "\u2028", "\u3000", "ｗ", "\u0627\u0644",
]  # fmt: skip
ATOMS = MARKUP + CHARACTERS

html_fragments = st.lists(st.one_of(st.sampled_from(ATOMS), st.text(max_size=12)), max_size=60).map(
    "".join
)


def assert_within(source: str, width: int) -> None:
    article = render_article(source, width, title="t")
    for line in article.lines:
        assert cell_width(line.text) <= width, (width, line.text)


@budget(150, per_second=80, deadline=5)
@given(source=html_fragments, width=st.integers(2, 300))
def test_any_html_lays_out_within_the_width(source: str, width: int) -> None:
    assert_within(source, width)


LINEAR_SIZE = 40_000
LINEAR_BOUND = 2.0
"""Seconds of CPU for 40,000 characters: linear layouts take a few hundredths; the
quadratic paths found so far took 10 s or more."""


@budget(12, per_second=2, deadline=30)
@given(
    prefix=st.lists(st.sampled_from(ATOMS), max_size=4).map("".join),
    unit=st.lists(st.sampled_from(ATOMS), min_size=1, max_size=4).map("".join),
)
def test_any_repeated_fragment_lays_out_in_linear_time(prefix: str, unit: str) -> None:
    # A prefix then one fragment over and over: an unclosed tag before a long run of
    # text, nesting a thousand deep, a mark on every character.
    source = prefix + unit * (LINEAR_SIZE // len(unit))
    took = cpu_seconds(lambda: render_article(source, 80))
    assert took < LINEAR_BOUND, f"{took:.2f} s for {prefix!r} + {unit!r} * n"


# --- OPML -----------------------------------------------------------------------------

NONCHARACTERS = {chr(c) for c in range(0xFDD0, 0xFDF0)} | {
    chr(plane + end) for plane in range(0, 0x110000, 0x10000) for end in (0xFFFE, 0xFFFF)
}
# As the store holds them: every title and tag enters through clean_line.
words = st.text(
    st.characters(blacklist_categories=("Cs",)).filter(lambda c: c not in NONCHARACTERS),
    max_size=30,
).map(clean_line)
urls = st.builds(
    "{}://{}.example/{}".format,
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True),
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs")), max_size=20),
)
subscriptions = st.lists(
    st.builds(
        Subscription,
        url=urls,
        title=words,
        tags=st.lists(words.filter(lambda t: "," not in t and "/" not in t), max_size=3).map(tuple),
    ),
    max_size=8,
    unique_by=lambda s: s.url,  # as in the store
)


def round_trip(subs: list[Subscription]) -> list[Subscription]:
    return sorted(read_opml(write_opml(subs)).subscriptions, key=lambda s: s.url)


@budget(100, per_second=12, deadline=5)
@given(subs=subscriptions)
def test_export_then_import_is_stable(subs: list[Subscription]) -> None:
    once = round_trip(subs)
    assert round_trip(once) == once
    assert {s.url for s in once} <= {s.url for s in subs}


@budget(200, per_second=150, deadline=5)
@given(text=st.one_of(st.text(max_size=400), html_fragments.map(lambda s: "<opml>" + s)))
def test_any_text_imports_or_says_why(text: str) -> None:
    with contextlib.suppress(ParseError):
        read_opml(text)


# --- config ---------------------------------------------------------------------------

KEYS = [
    "refresh_on_start", "fetch", "text", "keymap", "timeout", "concurrency", "width",
    "max_size_mib", "connect_timeout", "x", "ambiguous_width", "cjk_spacing", "quit",
]  # fmt: skip
toml_scalars = st.one_of(
    st.integers().map(str),
    st.floats().map(str),
    st.booleans().map(lambda b: str(b).lower()),
    st.text(max_size=20).map(lambda s: json.dumps(s, ensure_ascii=False)),
    st.sampled_from(["inf", "-nan", "-0", "1979-05-27", "0x7fffffffffffffff", "9" * 40, '"""']),
)


def _nested(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    arrays = st.lists(inner, max_size=4).map(lambda v: "[" + ", ".join(v) + "]")
    tables = st.dictionaries(st.sampled_from(KEYS), inner, max_size=4).map(
        lambda d: "{" + ", ".join(f"{k} = {v}" for k, v in d.items()) + "}"
    )
    return arrays | tables


toml_values = st.recursive(toml_scalars, _nested, max_leaves=12)
toml_documents = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(KEYS), toml_values).map(lambda kv: f"{kv[0]} = {kv[1]}"),
        st.sampled_from(KEYS).map(lambda k: f"[{k}]"),
        st.text(max_size=30),
    ),
    max_size=10,
).map("\n".join)


@budget(300, per_second=35, deadline=5)
@given(document=toml_documents)
def test_any_config_loads_or_says_why(
    tmp_path_factory: pytest.TempPathFactory, document: str
) -> None:
    path = tmp_path_factory.mktemp("config") / "config.toml"
    path.write_text(document, encoding="utf-8", errors="surrogatepass")
    try:
        load_config(path)
    except ConfigError as exc:
        assert "\n" not in str(exc).strip() or "TOML" in str(exc)


# --- feeds ----------------------------------------------------------------------------

CORPUS_FEEDS = sorted(p for p in (CORPUS / "feeds").iterdir() if p.suffix != ".tsv")
INSERTS = [atom.encode() for atom in ATOMS] + [
    b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"]]>", b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"&a;",
    b"<item>", b"</item>", b"<entry>", b"</channel>", b"<![CDATA[", b"&#55296;", b"\xe4\xb8",
]  # fmt: skip


def mutate(body: bytes, rng: random.Random) -> bytes:
    """A few random edits: truncate, flip a byte, insert hostile bytes, repeat a slice."""
    data = bytearray(body)
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(data) + 1)
        kind = rng.randrange(4)
        if kind == 0:
            del data[at:]
        elif kind == 1 and at < len(data):
            data[at] = rng.randrange(256)
        elif kind == 2:
            data[at:at] = rng.choice(INSERTS) * rng.choice([1, 1, 2, 50, 2000])
        else:
            size = rng.randint(1, 4000)
            data[at:at] = data[at : at + size] * rng.randint(1, 5)
    return bytes(data)


@budget(40, per_second=20, deadline=20)
@given(name=st.sampled_from([p.name for p in CORPUS_FEEDS]), rng=st.randoms(use_true_random=False))
def test_any_mutated_corpus_feed_parses_or_says_why(name: str, rng: random.Random) -> None:
    body = mutate((CORPUS / "feeds" / name).read_bytes(), rng)
    started = time.process_time()
    try:
        parsed = parse_feed(body, url="https://example.org/feed")
    except ParseError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    finally:
        assert time.process_time() - started < 10
    for entry in parsed.entries:
        assert not feeds.forbidden_in(entry.title), entry.title


# --- the CLI --------------------------------------------------------------------------

NUMBERS = ["0", "1", "-1", "007", "1e3", "0x10", "٣", "99999999", "", " 1", "1_000"]
ODD = [
    "", " ", "-", "--", "\u202e", "\x1b[2J", "中文", "http://", "https://example.invalid/",
    "file:///etc/passwd", "javascript:alert(1)", "http://127.0.0.1:1/", "--json", "-h",
]  # fmt: skip
cli_arguments = st.one_of(
    st.tuples(st.sampled_from(["show"]), st.sampled_from(NUMBERS)).map(list),
    st.tuples(
        st.just("mark"),
        st.sampled_from(NUMBERS),
        st.sampled_from(["--read", "--unread", "--star", "--unstar", "--read --star", ""]),
    ).map(lambda a: [a[0], a[1], *a[2].split()]),
    st.tuples(
        st.just("entries"),
        st.sampled_from(["--limit", "--search", "--feed"]),
        st.sampled_from(NUMBERS + ODD),
    ).map(list),
    st.tuples(st.sampled_from(["add", "remove", "refresh", "import"]), st.sampled_from(ODD)).map(
        list
    ),
    st.tuples(st.just("render"), st.just("--width"), st.sampled_from(NUMBERS)).map(list),
    # Always a command: with none the reader would start.
    st.tuples(
        st.sampled_from(["feeds", "export", "entries"]),
        st.lists(st.sampled_from([*ODD, *NUMBERS, "--home"]), max_size=3),
    ).map(lambda a: [a[0], *a[1]]),
)


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Yuedu:
    """A home with no subscriptions (nothing to fetch): every command runs offline."""
    cli = Yuedu(tmp_path_factory.mktemp("fuzz") / "home")
    cli.configure(feeds.FAST_CONFIG)
    return cli


@pytest.mark.slow
@budget(8, per_second=1, deadline=60)
@given(argv=cli_arguments)
def test_odd_arguments_get_one_line_not_a_traceback(cli: Yuedu, argv: list[str]) -> None:
    assert_one_line_at_most(cli, argv)


def assert_one_line_at_most(cli: Yuedu, argv: list[str]) -> None:
    if argv[:1] == ["render"]:
        argv = [*argv, str(CORPUS / "articles" / sorted(os.listdir(CORPUS / "articles"))[0])]
    result = cli.run(*argv, timeout=60)
    err = feeds.assert_terminal_safe(result.stderr)
    assert b"Traceback" not in result.stderr, err
    assert result.returncode in (0, 1, 2), (result.returncode, err)
    if result.returncode:
        assert err.strip(), "a failure says why"


# --- classes fuzzing found ----------------------------------------------------------------
# Each is the harness above on one input of a class it once failed on.


def _tags_survive(_tmp: Path) -> None:
    tags = ("news,tech", "a/b")
    assert round_trip([Subscription("https://a.example/", "t", tags)])[0].tags == tags


def _deep_config(tmp: Path) -> None:
    path = tmp / "config.toml"
    path.write_text("x = " + "[" * 600 + "]" * 600, encoding="utf-8")
    with contextlib.suppress(ConfigError):
        load_config(path)


def _bracket_in_a_link(_tmp: Path) -> None:
    body = feeds.rss([feeds.item("t", guid="g", link="http://example.c[o.test/")])
    assert parse_feed(body, url="https://example.org/feed").entries


FOUND_CLASSES = [
    pytest.param(lambda _tmp: assert_within("中文", 1), id="wide-character-at-width-1"),
    pytest.param(
        lambda _tmp: round_trip([Subscription("https://a.example/", "t\ufffe", ())]),
        id="noncharacter-in-a-title",
    ),
    pytest.param(_tags_survive, id="comma-and-slash-in-tags"),
    pytest.param(_deep_config, id="config-nested-600-deep"),
    pytest.param(_bracket_in_a_link, id="bracket-in-a-link"),
]


@pytest.mark.parametrize("case", FOUND_CLASSES)
def test_found_classes(tmp_path: Path, case: Callable[[Path], object]) -> None:
    case(tmp_path)


@pytest.mark.parametrize(
    "argv",
    [["show", "9" * 30], ["entries", "--limit", "9" * 30]],
    ids=["show-huge-id", "huge-limit"],
)
def test_found_classes_in_the_cli(cli: Yuedu, argv: list[str]) -> None:
    assert_one_line_at_most(cli, argv)
