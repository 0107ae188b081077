"""What the tree builder knows about HTML elements: their kinds, and attributes that hide them."""

from __future__ import annotations

import re

from tui.core.text.html.tokenizer import Attrs

# Deeper quotes/lists are merged into their ancestor: layout recursion stays bounded.
MAX_NESTING = 32
MAX_COLSPAN = 32

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Line-number gutters of syntax highlighters (Hexo, Rouge, Pygments, Prism).
_GUTTER_CLASSES = frozenset({"gutter", "linenos", "linenodiv", "lineno", "line-numbers-rows"})


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


(
    K_INLINE,
    K_BOUNDARY,
    K_HEADING,
    K_LIST,
    K_ITEM,
    K_QUOTE,
    K_PRE,
    K_TABLE,
    K_ROW,
    K_CELL,
    K_TSECTION,
    K_LINK,
    K_SKIP,
    K_MEDIA,
    K_BODY,
    K_TERM,
    K_PARA,
) = range(17)

KINDS: dict[str, int] = {
    **dict.fromkeys(
        _words(
            "p div section article header footer main aside nav figure figcaption address center "
            "details summary dl dd fieldset legend hgroup html search"
        ),
        K_BOUNDARY,
    ),
    **dict.fromkeys(_words("h1 h2 h3 h4 h5 h6"), K_HEADING),
    **dict.fromkeys(_words("ul ol menu dir"), K_LIST),
    "li": K_ITEM,
    "blockquote": K_QUOTE,
    **dict.fromkeys(_words("pre listing xmp plaintext"), K_PRE),
    "table": K_TABLE,
    "tr": K_ROW,
    "td": K_CELL,
    "th": K_CELL,
    **dict.fromkeys(_words("thead tbody tfoot caption"), K_TSECTION),
    "a": K_LINK,
    **dict.fromkeys(
        _words(
            "script style head title template noscript form button input select textarea option "
            "optgroup datalist svg canvas noembed noframes frameset dialog map"
        ),
        K_SKIP,
    ),
    **dict.fromkeys(_words("iframe video audio object"), K_MEDIA),
    "body": K_BODY,
    "dt": K_TERM,
}
STYLES: dict[str, str] = {
    **dict.fromkeys(_words("b strong"), "strong"),
    **dict.fromkeys(_words("i em cite var dfn"), "em"),
    **dict.fromkeys(_words("code kbd samp tt"), "code"),
}
VOID = frozenset(
    _words(
        "area base br col embed hr img input keygen link meta param source track wbr basefont "
        "bgsound frame image"
    )
)
STYLE_NAMES = ("strong", "em", "code")


def attr(attrs: Attrs, name: str) -> str | None:
    for key, value in attrs:
        if key == name:
            return value
    return None


def is_hidden(attrs: Attrs) -> bool:
    for key, value in attrs:
        if key == "hidden":
            return True
        if not value:
            continue
        if key == "style" and _HIDDEN_STYLE.search(value):
            return True
        if key == "aria-hidden" and value.strip().lower() == "true":
            return True
        if key == "class" and not _GUTTER_CLASSES.isdisjoint(value.split()):
            return True
    return False


def int_attr(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int((value or "").strip())
    except ValueError:
        return default
    return max(low, min(high, number))
