"""Choose the character encoding of a feed or page body and decode it.

Order of evidence: a byte-order mark, then the HTTP charset, then the document's own
declaration (``<?xml encoding=...?>`` or an HTML ``<meta charset>``), then detection. Labels
map to the superset a browser decodes them with (WHATWG): GB2312 text is decoded as
GB18030, Shift_JIS as CP932, EUC-KR as CP949, ISO-8859-1 as windows-1252, and so on,
because real servers label the superset with the name of the subset.

Servers lie, so a declaration is checked: one that does not decode, or a legacy label on a
body that is valid UTF-8, gives way. Detection scores candidate decodings by how ordinary
their characters are for the script each candidate implies. Pure functions, no I/O.
Detection lives in ``tui.core.feeds.detection``; a third of this module is the table of
charset labels.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

from tui.core.feeds.detection import CJK_SCORERS, NON_ASCII_TEXT, detect, latin_score, strict_decode

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32LE's BOM begins with UTF-16LE's, so the longer marks are tried first.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_UTF8 = "utf-8"
_UTF16_LABELS = frozenset(
    {"utf-16", "utf16", "utf-16le", "utf-16be", "unicode", "ucs-2", "csunicode", "iso-10646-ucs-2"}
)
_UTF32_LABELS = frozenset({"utf-32", "utf32", "utf-32le", "utf-32be", "ucs-4", "iso-10646-ucs-4"})

# Label -> the codecs to try, in order. Each family decodes with its superset first.
_LABELS: dict[str, tuple[str, ...]] = {}
_FAMILIES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8"), ("utf-8",)),
    (
        (
            "gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "chinese", "csgb2312", "iso-ir-58",
            "cp936", "ms936", "windows-936", "gb18030", "euc-cn", "x-euc-cn", "csiso58gb231280",
        ),
        ("gb18030",),
    ),
    (
        ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5", "x-big5", "cp950", "ms950"),
        ("big5hkscs", "cp950"),
    ),
    (
        (
            "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j",
            "cp932", "ms932", "x-ms-cp932", "shift_jisx0213", "shift_jis_2004",
        ),
        ("cp932", "shift_jis_2004"),
    ),
    (
        ("euc-jp", "x-euc-jp", "eucjp", "cseucpkdfmtjapanese", "euc-jis-2004"),
        ("euc_jp", "euc_jis_2004"),
    ),
    (("iso-2022-jp", "csiso2022jp"), ("iso2022_jp_ext", "iso2022_jp_2")),
    (
        (
            "euc-kr", "ks_c_5601-1987", "ks_c_5601-1989", "ks_c_5601", "ksc5601", "ksc_5601",
            "korean", "csksc56011987", "iso-ir-149", "windows-949", "cp949", "uhc", "x-windows-949",
            "cseuckr",
        ),
        ("cp949",),
    ),
    (
        (
            "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii",
            "ansi_x3.4-1968", "cp819", "ibm819", "iso-ir-100", "csisolatin1", "windows-1252",
            "cp1252", "x-cp1252",
        ),
        ("cp1252",),
    ),
    (
        ("iso-8859-9", "iso8859-9", "iso_8859-9", "latin5", "l5", "windows-1254", "cp1254"),
        ("cp1254",),
    ),
    (("iso-8859-11", "iso8859-11", "tis-620", "windows-874", "cp874", "dos-874"), ("cp874",)),
    # Classic Mac OS labels, as Apple's software and feedparser know them.
    (("macintosh", "mac", "csmacintosh", "x-mac-roman", "macroman"), ("mac-roman",)),
    (
        ("x-mac-centraleurope", "x-mac-ce", "maccentraleurope", "mac-centraleurope"),
        ("mac-latin2",),
    ),
    (("x-mac-cyrillic", "x-mac-ukrainian", "maccyrillic"), ("mac-cyrillic",)),
    (("x-mac-icelandic", "x-mac-iceland", "maciceland"), ("mac-iceland",)),
)  # fmt: skip
for _labels, _codecs in _FAMILIES:
    for _label in _labels:
        _LABELS[_label.replace("_", "-")] = _codecs

# Python names beyond the table that are real charsets. Anything else a document names
# (utf-7, unicode_escape, rot13, hz, iso-2022-kr, ...) is ignored, as a browser would.
_PLAIN_CHARSET = re.compile(
    r"(cp\d+|iso8859-\d+|koi8-[a-z]|mac-[a-z]+2?|tis-620|ptcp154|kz1048|hp-roman8|johab|gb18030)"
)

_XML_DECLARATION = re.compile(rb"""^<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_META_CHARSET = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE
)
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head)[\s>]", re.IGNORECASE)
_CHARSET_PARAM = re.compile(r""";\s*charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
# "<?xml", "<rss", "<feed" or "<rdf" in EBCDIC: no ASCII-compatible document starts so.
_EBCDIC_START = re.compile(rb"\x4c(?:\x6f\xa7\x94\x93|\x99\xa2\xa2|\x86\x85\x85\x84|\x99\x84\x86)")
_EBCDIC_CODECS = frozenset({"cp037", "cp273", "cp500", "cp875", "cp1026", "cp1140"})


def decode_document(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Decode a response body; return ``(text, codec name)``. Never raises.

    The text has no byte-order mark. U+FFFD replaces undecodable bytes only when no
    candidate decodes the body cleanly.
    """
    for mark, codec in _BOMS:
        if body.startswith(mark):
            rest = body[len(mark) :]
            if not _contradicts(codec, rest):
                return rest.decode(codec, "replace"), codec
            # A mark the bytes after it plainly contradict is a leftover of some conversion.
            body = rest
            break
    unmarked = _unmarked_markup(body)
    if unmarked is not None:
        return body.decode(unmarked, "replace"), unmarked
    utf8 = strict_decode(body, _UTF8)
    declared = list(_declared_codecs(body, content_type))
    for codecs_ in declared:
        if utf8 is not None and codecs_ != (_UTF8,) and _utf8_outweighs(body, codecs_):
            return utf8, _UTF8
        for codec in codecs_:
            text = utf8 if codec == _UTF8 else strict_decode(body, codec)
            if text is not None:
                return _unless_implausible(body, text, codec)
    if utf8 is not None:
        return utf8, _UTF8
    # Nothing declared decodes cleanly. A declaration (or XML's default, UTF-8) that fits
    # all but a few bytes is a real document with a flaw, such as a character cut in half;
    # one that fits nothing is a lie, and detection takes over.
    for codecs_ in [*declared, (_UTF8,)]:
        text, errors = _lenient(body, codecs_[0])
        decoded = len(NON_ASCII_TEXT.findall(text, 0, 1 << 20)) - errors
        if decoded >= 10 * errors:
            return text, codecs_[0]
    detected = detect(body)
    if detected is not None:
        return detected
    text, _ = _lenient(body, _UTF8)
    return text, _UTF8


def _unmarked_markup(body: bytes) -> str | None:
    """The codec of a document without a byte-order mark whose first "<" shows it is in no
    ASCII-compatible encoding (XML 1.0 Appendix F): UTF-16 or UTF-32 put NULs beside it,
    EBCDIC writes it as 0x4C."""
    if body[:4] == b"<\x00\x00\x00":
        return "utf-32-le"
    if body[:4] == b"\x00\x00\x00<":
        return "utf-32-be"
    if body[:2] == b"<\x00":
        return "utf-16-le"
    if body[:2] == b"\x00<":
        return "utf-16-be"
    if _EBCDIC_START.match(body):
        return _ebcdic_codec(body)
    return None


def _ebcdic_codec(body: bytes) -> str:
    """The EBCDIC code page the document's declaration names, else the commonest one."""
    match = _XML_DECLARATION.match(body[:1024].decode("cp037").encode("ascii", "replace"))
    if match:
        codecs_ = codecs_for_label(match.group(1).decode("ascii"))
        if codecs_ and codecs_[0] in _EBCDIC_CODECS:
            return codecs_[0]
    return "cp037"


def _contradicts(codec: str, rest: bytes) -> bool:
    """Whether the bytes after a byte-order mark are plainly in another encoding."""
    if codec == _UTF8:
        return _unmarked_markup(rest) is not None
    # UTF-16 and UTF-32 put NULs beside every ASCII character; "<?" without one is ASCII.
    return rest[:1] in (b"<", b"{") and rest[1:2] not in (b"\x00", b"")


def _unless_implausible(body: bytes, text: str, codec: str) -> tuple[str, str]:
    """Second-guess a CJK label that decoded cleanly: GB18030 and CP932 decode nearly any
    bytes, so Big5 served as GB2312 or EUC-JP served as Shift_JIS decode without an error
    and read as nonsense. Switch only when another candidate is clearly right."""
    if text.isascii():
        return text, codec
    if codec == "cp1252":
        # Many servers send ISO-8859-1 whatever their files hold, and windows-1252 decodes
        # nearly any bytes: CJK, Cyrillic or Greek served so read as runs of accented
        # letters outside any Latin word. Another reading must be clearly better to win.
        latin = latin_score(text)
        if latin >= 0.6:
            return text, codec
        return detect(body, at_least=latin + 0.5) or (text, codec)
    scorer = CJK_SCORERS.get(codec)
    if scorer is None:
        return text, codec
    # Right decodings of real feeds score 1.5-1.9; wrong ones of the same bytes under 0.9.
    score = scorer(text)
    if score >= 1.0:
        return text, codec
    return detect(body, at_least=max(1.2, score + 0.5)) or (text, codec)


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, lowercased, or None."""
    if not content_type:
        return None
    match = _CHARSET_PARAM.search(content_type)
    return match.group(1).lower() if match else None


def codecs_for_label(label: str, body: bytes = b"") -> tuple[str, ...]:
    """The Python codecs to try for a charset label, superset first; () if unusable.

    ``body`` decides the byte order of a UTF-16/32 label that has no byte-order mark.
    """
    label = label.strip().strip("\"'").lower().replace("_", "-")
    if label in _UTF16_LABELS or label in _UTF32_LABELS:
        return _unicode_without_bom(label, body)
    if label in _LABELS:
        return _LABELS[label]
    # "x-mac-greek" and friends: the "x-" of an unregistered name, on a codec Python has.
    for candidate in (label, label.removeprefix("x-")):
        try:
            name = codecs.lookup(candidate).name
        except LookupError:
            continue
        # Python's aliases may name a subset ("x_mac_japanese" is shift_jis): decode with
        # the family's superset, as for the label itself.
        family = _LABELS.get(name.replace("_", "-"))
        if family is not None:
            return family
        return (name,) if _PLAIN_CHARSET.fullmatch(name) else ()
    return ()


def _declared_codecs(body: bytes, content_type: str | None) -> Iterable[tuple[str, ...]]:
    """Candidate codec groups from what the server and the document declare, HTTP first."""
    seen: set[tuple[str, ...]] = set()
    labels = [charset_from_content_type(content_type), _document_label(body)]
    for label in labels:
        if not label:
            continue
        found = codecs_for_label(label, body)
        if found and found not in seen:
            seen.add(found)
            yield found


def _document_label(body: bytes) -> str | None:
    head = body[:1024]
    if head.startswith((b"<\x00?\x00", b"\x00<\x00?")):
        # A UTF-16 document without a BOM still declares its encoding in ASCII-range text.
        codec = "utf-16-le" if head[0] == 0x3C else "utf-16-be"
        head = head.decode(codec, "ignore").encode("ascii", "ignore")
    match = _XML_DECLARATION.match(head.lstrip())
    if match:
        return match.group(1).decode("ascii")
    if not _HTML_START.search(head):
        return None  # a feed quoting a page's <meta charset> in CDATA does not declare it
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii") if match else None


def _unicode_without_bom(label: str, body: bytes) -> tuple[str, ...]:
    wide = label in _UTF32_LABELS
    if wide:
        if body[:4] == b"<\x00\x00\x00":
            return ("utf-32-le",)
        if body[:4] == b"\x00\x00\x00<":
            return ("utf-32-be",)
    elif body[:2] == b"<\x00":
        return ("utf-16-le",)
    elif body[:2] == b"\x00<":
        return ("utf-16-be",)
    # The body is ASCII-compatible after all (an HTML meta tag saying utf-16, say): the
    # label describes the page it was saved from, not these bytes.
    return (_UTF8,)


def _utf8_outweighs(body: bytes, declared: tuple[str, ...]) -> bool:
    """Whether a body that is valid UTF-8 is more likely UTF-8 than the declared legacy codec.

    Legacy text is almost never valid UTF-8 by accident once it has a few non-ASCII
    characters, so for a multi-byte legacy label a handful of UTF-8 sequences suffice; a
    single-byte label (the default ISO-8859-1 of many servers) yields to one.
    """
    if declared[0].startswith(("utf-16", "utf-32")):
        return False
    needed = 1 if codecs.lookup(declared[0]).name.startswith(("cp12", "iso8859", "koi8")) else 4
    return len(_UTF8_MULTIBYTE.findall(body, 0, 1 << 16)) >= needed


def _lenient(body: bytes, codec: str) -> tuple[str, int]:
    """Decode with U+FFFD for bad bytes; return the text and the number of replacements."""
    text = body.decode(codec, "replace")
    return text, text.count("\ufffd")
