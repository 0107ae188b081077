"""Make untrusted text safe for a terminal and untrusted URLs safe to open.

Everything in a feed is hostile: titles carry ESC sequences, C1 controls, NULs and bidi
overrides; links carry ``javascript:`` and leading dashes. Every layer that turns feed
data into something shown or opened goes through here.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import regex

# A whole escape sequence goes, not just its ESC: "\x1b]0;pwned\x07" must not leave "]0;pwned".
# A string sequence (OSC, DCS...) goes whole only up to a terminator within a bounded
# distance; without one only its introducer goes, so the text after it stays. The 8-bit
# string introducers are removed alone (by _CONTROL): in real feeds they are mojibake
# ("Ã\x9f" for ß, "â€\x9d" for ”), and eating text up to the next terminator lost whole
# articles. Once the introducer is gone what follows is inert text.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?            # CSI
    | \x1b[\]PX^_][^\x07\x1b\x9c]{0,4096}(?:\x07|\x9c|\x1b\\)  # OSC, DCS, SOS, PM, APC
    | \x9b[0-?]*[ -/]*[@-~]?            # 8-bit CSI
    | \x1b[ -/]*[0-~]?                  # any other ESC sequence, or a string's introducer
    """,
    re.VERBOSE | re.DOTALL,
)
# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates,
# the line/paragraph separators that some terminals treat as newlines; and the characters
# XML 1.0 cannot hold or no font draws: lone surrogates and the noncharacters of the BMP
# (one in a title made the OPML backup unreadable).
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\u2028\u2029\ufff9-\ufffb\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
# The noncharacters of the other planes, U+1FFFE and U+1FFFF to U+10FFFE and U+10FFFF: one
# range from the first is many times faster for re to scan than the sixteen pairs.
_HIGH_PLANES = re.compile("[\U0001fffe-\U0010ffff]")
CONTROL_PROBE = re.compile(_CONTROL.pattern[:-1] + _HIGH_PLANES.pattern[1:])
"""Matches every character ``strip_controls`` removes, and some it keeps: when it finds
nothing, there is nothing to strip."""
_LINE_CONTROL = re.compile("[\t\n]")
# Real scripts stack a few marks on one letter (Vietnamese two, pointed Hebrew with
# cantillation four, Tibetan stacks five); "zalgo" text stacks hundreds, which terminals
# draw over the lines around. Marks past this many in a row are dropped.
MAX_MARKS = 8
_MARK_RUN = regex.compile(rf"(\p{{M}}{{{MAX_MARKS}}})\p{{M}}+")
_SPACES = re.compile(r"\s+")
_WHITESPACE = re.compile(r"\s")  # what str.isspace() calls whitespace

SAFE_SCHEMES = frozenset({"http", "https"})


def strip_controls(text: str, *, keep_newlines: bool = False) -> str:
    """Remove escape sequences and control characters; tabs/newlines become spaces unless kept."""
    if not text:
        return ""
    # Most text is clean: one scan for any control decides whether the substitutions run.
    if CONTROL_PROBE.search(text) is not None:
        text = _ESCAPE_SEQUENCE.sub("", text)
        text = _HIGH_PLANES.sub(_drop_noncharacter, _CONTROL.sub("", text))
    if not keep_newlines:
        text = _LINE_CONTROL.sub(" ", text)
    return limit_marks(text)


def _drop_noncharacter(match: re.Match[str]) -> str:
    char = match.group()
    return "" if ord(char) & 0xFFFE == 0xFFFE else char


def limit_marks(text: str) -> str:
    """``text`` with every run of combining marks cut to ``MAX_MARKS``."""
    if text.isascii():  # no marks: most fields of a feed (links, ids, dates) skip the scan
        return text
    limited: str = _MARK_RUN.sub(r"\1", text)
    return limited


def clean_line(text: str | None) -> str:
    """One displayable line: no controls, whitespace runs collapsed, trimmed."""
    if not text:
        return ""
    return _SPACES.sub(" ", strip_controls(text)).strip()


def safe_url(url: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) URL fit to show and open, or None.

    Relative references resolve against ``base``; every other scheme is refused, and so is
    anything that would reach a command line as an option (a leading ``-``).
    """
    if not url:
        return None
    candidate = strip_controls(url).strip()
    if not candidate or _WHITESPACE.search(candidate):
        candidate = candidate.replace(" ", "%20")
        if _WHITESPACE.search(candidate):
            return None
    try:
        if base and not urlsplit(candidate).scheme:
            candidate = urljoin(base, candidate)
        parts = urlsplit(candidate)
        hostname = parts.hostname
    except ValueError:  # "http://example.c[o/": urllib's IPv6 check refuses the host
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not hostname:
        return None
    if candidate.startswith("-"):
        return None
    return candidate


def join_url(base: str, reference: str) -> str | None:
    """``reference`` resolved against ``base``, or None when either is no URL urllib can split."""
    try:
        return urljoin(base, reference)
    except ValueError:
        return None
