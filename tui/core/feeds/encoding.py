"""Choose the character encoding of a feed or page body and decode it.

Order of evidence: a byte-order mark, then the HTTP charset, then the document's own
declaration (``<?xml encoding=...?>`` or an HTML ``<meta charset>``), then detection. Labels
map to the superset a browser decodes them with (WHATWG): GB2312 text is decoded as
GB18030, Shift_JIS as CP932, EUC-KR as CP949, ISO-8859-1 as windows-1252, and so on,
because real servers label the superset with the name of the subset.

Servers lie, so a declaration is checked: one that does not decode, or a legacy label on a
body that is valid UTF-8, gives way. Detection scores candidate decodings by how ordinary
their characters are for the script each candidate implies. Pure functions, no I/O.
Half of the module is tables: charset labels, and the commonest characters of each
CJK language that detection weighs.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable
from functools import cache

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
)  # fmt: skip
for _labels, _codecs in _FAMILIES:
    for _label in _labels:
        _LABELS[_label.replace("_", "-")] = _codecs

# Python names beyond the table that are real charsets. Anything else a document names
# (utf-7, unicode_escape, rot13, hz, iso-2022-kr, ...) is ignored, as a browser would.
_PLAIN_CHARSET = re.compile(
    r"(cp\d+|iso8859-\d+|koi8-[a-z]|mac-[a-z]+|tis-620|ptcp154|kz1048|hp-roman8|johab|gb18030)"
)

_XML_DECLARATION = re.compile(rb"""^<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_META_CHARSET = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE
)
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head)[\s>]", re.IGNORECASE)
_CHARSET_PARAM = re.compile(r""";\s*charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_NON_ASCII_TEXT = re.compile(r"[^\x00-\x7f]")


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
    wide = _utf16_markup(body)
    if wide is not None:
        return body.decode(wide, "replace"), wide
    utf8 = _strict(body, _UTF8)
    declared = list(_declared_codecs(body, content_type))
    for codecs_ in declared:
        if utf8 is not None and codecs_ != (_UTF8,) and _utf8_outweighs(body, codecs_):
            return utf8, _UTF8
        for codec in codecs_:
            text = utf8 if codec == _UTF8 else _strict(body, codec)
            if text is not None:
                return _unless_implausible(body, text, codec)
    if utf8 is not None:
        return utf8, _UTF8
    # Nothing declared decodes cleanly. A declaration (or XML's default, UTF-8) that fits
    # all but a few bytes is a real document with a flaw, such as a character cut in half;
    # one that fits nothing is a lie, and detection takes over.
    for codecs_ in [*declared, (_UTF8,)]:
        text, errors = _lenient(body, codecs_[0])
        decoded = len(_NON_ASCII_TEXT.findall(text, 0, 1 << 20)) - errors
        if decoded >= 10 * errors:
            return text, codecs_[0]
    detected = _detect(body)
    if detected is not None:
        return detected
    text, _ = _lenient(body, _UTF8)
    return text, _UTF8


def _utf16_markup(body: bytes) -> str | None:
    """The UTF-16 codec a body starting with "<" as ``<\\x00`` or ``\\x00<`` is in: no
    ASCII-compatible encoding puts a NUL beside the first "<" of a document."""
    if body[:2] == b"<\x00" and body[2:4] != b"\x00\x00":
        return "utf-16-le"
    if body[:2] == b"\x00<":
        return "utf-16-be"
    return None


def _contradicts(codec: str, rest: bytes) -> bool:
    """Whether the bytes after a byte-order mark are plainly in another encoding."""
    if codec == _UTF8:
        return _utf16_markup(rest) is not None
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
        latin = _latin_score(text)
        if latin >= 0.6:
            return text, codec
        return _detect(body, at_least=latin + 0.5) or (text, codec)
    scorer = _CJK_SCORERS.get(codec)
    if scorer is None:
        return text, codec
    # Right decodings of real feeds score 1.5-1.9; wrong ones of the same bytes under 0.9.
    score = scorer(text)
    if score >= 1.0:
        return text, codec
    return _detect(body, at_least=max(1.2, score + 0.5)) or (text, codec)


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
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return ()
    return (name,) if _PLAIN_CHARSET.fullmatch(name) else ()


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


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _lenient(body: bytes, codec: str) -> tuple[str, int]:
    """Decode with U+FFFD for bad bytes; return the text and the number of replacements."""
    text = body.decode(codec, "replace")
    return text, text.count("\ufffd")


# --- detection -----------------------------------------------------------------------

_SAMPLE_CHARS = 3000
_IDEOGRAPH = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACED_CJK = re.compile(
    r"(?<=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]) (?=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3])"
)
_KANA = re.compile(r"[\u3040-\u30ff]")


def _detect(body: bytes, at_least: float = -9.0) -> tuple[str, str] | None:
    """The most plausible strict decoding of the body scoring ``at_least``, if any."""
    best: tuple[float, str, str] | None = None
    for codec, scorer in _CANDIDATES:
        text = _strict(body, codec)
        if text is None:
            continue
        score = scorer(text)
        if score >= at_least and (best is None or score > best[0]):
            best = score, text, codec
    return (best[1], best[2]) if best else None


def _sample(text: str) -> list[tuple[str, bool]]:
    """Up to _SAMPLE_CHARS non-ASCII characters, each with whether an ASCII letter touches
    it (it sits inside a Latin word)."""
    out = []
    for match in _NON_ASCII_TEXT.finditer(text):
        i = match.start()
        out.append(
            (
                match.group(),
                _is_latin_letter(text[i - 1 : i]) or _is_latin_letter(text[i + 1 : i + 2]),
            )
        )
        if len(out) >= _SAMPLE_CHARS:
            break
    return out


def _is_latin_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


@cache
def _double_byte_set(codec: str, leads: tuple[int, int], trails: tuple[int, int]) -> frozenset[str]:
    """Every character ``codec`` maps the byte pairs in the given ranges to."""
    chars = set()
    for lead in range(leads[0], leads[1] + 1):
        for trail in range(trails[0], trails[1] + 1):
            try:
                chars.add(bytes((lead, trail)).decode(codec))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def _rows(codec: str, first: int, last: int) -> frozenset[str]:
    return _double_byte_set(codec, (first, last), (0xA1, 0xFE))


# Characters CP932 decodes differently from EUC-JP for the same JIS positions.
_CP932_VARIANTS = frozenset("～－∥￠￡￢＼")


@cache
def _weights(family: str) -> tuple[frozenset[str], frozenset[str]]:
    """(common, rarer) characters for a family: punctuation + level-1 sets, then level 2."""
    if family == "zh-hans":
        common = _rows("gb2312", 0xA1, 0xA3) | _rows("gb2312", 0xB0, 0xD7)
        return common, _rows("gb2312", 0xD8, 0xF7)
    if family == "zh-hant":
        common = _double_byte_set("big5", (0xA1, 0xA3), (0x40, 0xFE))
        level1 = _double_byte_set("big5", (0xA4, 0xC6), (0x40, 0xFE))
        return common | level1, _double_byte_set("big5", (0xC9, 0xF9), (0x40, 0xFE))
    if family == "ko":
        common = _rows("euc_kr", 0xA1, 0xA3) | _rows("euc_kr", 0xB0, 0xC8)
        return common, _rows("euc_kr", 0xCA, 0xFD)  # hanja: rare in modern Korean
    # ja: punctuation, full-width forms and kana (rows 1-5), level-1 kanji; level 2 and the
    # NEC row 13 symbols (circled digits) as rarer.
    common = _rows("euc_jp", 0xA1, 0xA5) | _rows("euc_jp", 0xB0, 0xCF) | _CP932_VARIANTS
    return common, _rows("euc_jp", 0xD0, 0xF4) | _rows("euc_jis_2004", 0xAD, 0xAD)


@cache
def _frequent(family: str) -> frozenset[str]:
    return frozenset(_FREQUENT[family])


def _cjk_scorer(family: str) -> Callable[[str], float]:
    """Scorer for one CJK legacy codec: its repertoire, then how ordinary the text reads.

    Misread CJK bytes land in the same repertoires (Korean read as GB2312 is all level-1
    hanzi, EUC-JP kana read as Big5 are the simplest hanzi), so the repertoire score ties
    often; the share of the language's most frequent characters breaks the tie.
    """

    def score(text: str) -> float:
        sample = _sample(text)
        if not sample:
            return 0.0
        common, rarer = _weights(family)
        frequent = _frequent(family)
        total = 0.0
        hits = 0
        for ch, _ in sample:
            if ch in frequent:
                hits += 1
            if ch in common:
                total += 1.0
            elif ch in rarer:
                total += 0.3
            elif "\uff61" <= ch <= "\uff9f" or (family != "ja" and _KANA.match(ch)):
                # Half-width katakana are real in Shift_JIS, but mostly what EUC-JP bytes
                # turn into when read as CP932; kana inside Chinese or Korean are rare.
                total += 0.0
            else:
                total -= 1.0
        result = total / len(sample) + 0.6 * min(1.0, hits / len(sample) / 0.3)
        if family == "ja":
            # Kana set Japanese apart, and Japanese prose is 40-70% kana. Chinese and Korean
            # bytes read as EUC-JP give kanji, seldom kana: the same bytes in Big5 are the
            # simplest hanzi, in KS X 1001 the commonest Hangul.
            kana = len(_KANA.findall("".join(ch for ch, _ in sample))) / len(sample)
            result += 0.3 if kana >= 0.2 else -0.3 if kana < 0.05 else 0.0
        if family != "ko":
            # Chinese and Japanese put no spaces between words; Korean does.
            spaced = len(_SPACED_CJK.findall(text, 0, 20000))
            ideographs = len(_IDEOGRAPH.findall("".join(ch for ch, _ in sample)))
            result -= 2.0 * max(0, spaced - 1) / max(1, ideographs)
        return result

    return score


_LATIN_PUNCTUATION = frozenset("’‘“”–—…€©®°•«»·")
# Russian, Ukrainian and Bulgarian share most of these.
_CYRILLIC_FREQUENT = "оеаинтсрвлкмдпуя"


def _script_scorer(first: str, last: str, frequent: str) -> Callable[[str], float]:
    """Scorer for a single-byte codec of one non-Latin script (letters ``first``..``last``).

    ``frequent`` holds the script's most frequent lowercase letters: mojibake between
    single-byte codecs yields letters of the right script but in the wrong proportions.
    """

    def score(text: str) -> float:
        sample = _sample(text)
        if not sample:
            return 0.0
        total = 0.0
        for ch, in_latin_word in sample:
            if first <= ch <= last:
                if in_latin_word:
                    continue  # one script per word; a lone letter inside Latin is mojibake
                if ch.isupper():
                    total += 0.5
                else:
                    total += 1.0 if ch in frequent else 0.6
            elif ch in _LATIN_PUNCTUATION or ch == "№":
                total += 1.0
        return total / len(sample) - 0.05  # ties go to windows-1252

    return score


def _latin_score(text: str) -> float:
    sample = _sample(text)
    if not sample:
        return 1.0
    total = 0.0
    for ch, in_latin_word in sample:
        if ch in _LATIN_PUNCTUATION or (ch.isalpha() and in_latin_word):
            total += 1.0
        elif ch.isalpha():
            total += 0.3  # accented letters in a run of their own: another script's bytes
    return total / len(sample)


_CJK_SCORERS: dict[str, Callable[[str], float]] = {
    "gb18030": _cjk_scorer("zh-hans"),
    "big5hkscs": _cjk_scorer("zh-hant"),
    "cp950": _cjk_scorer("zh-hant"),
    "cp932": _cjk_scorer("ja"),
    "shift_jis_2004": _cjk_scorer("ja"),
    "euc_jp": _cjk_scorer("ja"),
    "euc_jis_2004": _cjk_scorer("ja"),
    "cp949": _cjk_scorer("ko"),
}
_CANDIDATES: tuple[tuple[str, Callable[[str], float]], ...] = (
    *(
        (codec, _CJK_SCORERS[codec])
        for codec in ("gb18030", "big5hkscs", "cp932", "euc_jp", "euc_jis_2004", "cp949")
    ),
    ("cp1252", _latin_score),
    ("cp1251", _script_scorer("\u0400", "\u04ff", _CYRILLIC_FREQUENT)),
    ("koi8-r", _script_scorer("\u0400", "\u04ff", _CYRILLIC_FREQUENT)),
    ("cp1253", _script_scorer("\u0370", "\u03ff", "αοειτνσςρκπμλυηάέίόύήώ")),
    ("cp1255", _script_scorer("\u05d0", "\u05ea", "יוהלארמתבשנםקכע")),
    ("cp1256", _script_scorer("\u0620", "\u06ff", "اليمونرتبهعدكفة")),
)


# The most frequent characters of each written language, by corpus counts: about 300
# hanzi each for simplified and traditional Chinese, 500 kanji plus all kana for Japanese,
# the 113 commonest Hangul syllables for Korean. Real text draws a third or more of its
# characters from these; the same bytes read in the wrong codec draw a few percent.
_FREQUENT: dict[str, str] = {
    "zh-hans": (
        "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过"
        "发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本"
        "前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很"
        "最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度"
        "门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电"
        "数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马"
    ),
    "zh-hant": (
        "的一是不了在人有我他這個們中來上大為和國地到以說時要就出會可也你對生能而子那得於著下自之年過"
        "發後作裡用道行所然家種事成方多經麼去法學如都同現當沒動面起看定天分還進好小部其些主樣理心她本"
        "前開但因只從想實日軍者意無力它與長把機十民第公此已工使情明性知全三又關點正業外將兩高間由問很"
        "最重並物手應戰向頭文體政美相見被利什二等產或新己製身果加西斯月話合回特代內信表化老給世位次度"
        "門任常先海通教兒原東聲提立及比員解水名真論處走義各入幾口認條平系氣題活爾更別打女變四神總何電"
        "數安少報才結反受目太量再感建務做接必場件計管期市直德資命山金指克許統區保至隊形社便空決治展馬"
    ),
    "ja": (
        "ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのは"
        "ばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔァアィイゥウェエォオ"
        "カガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベ"
        "ペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶーー・"
        "日一国会人年大十二本中長出三同時政事自行社見月分議後前民生連五発間対上部東者党地合市業内相方"
        "四定今回新場金員九入選立開手米力学問高代明実円関決子動京全目表戦経通外最言氏現理調体化田当八"
        "六約主題下首意法不来作性的要用制治度務強気小七成期公持野協取都和統以機平総加山思家話世受区領"
        "多県続進正安設保改数記院女初北午指権心界支第産結百派点教報済書府活原先共得解名交資予川向際査"
        "勝面委告軍文反元重近千考判認画海参売利組知案道信策集在件団別物側任引使求所次水半品昨論計死官"
        "増係感特情投示変打男基私各始島直両朝革価式確村提運終挙果西勢減台広容必応演電歳住争談能無再位"
        "置企真流格有疑口過局少放税検藤町常校料沢裁状工建語球営空職証土与急止送援供可役構木割聞身費付"
        "施切由説転食比難防補車優夫研収断井何南石足違消境神番規術護展態導鮮備宅害配副算視条幹独警宮究"
        "育席輸訪楽起万着乗店述残想線率病農州武声質念待試族象銀域助労例衛然早張映限親額監環験追審商葉"
        "義伝働形景落欧担好退準賞訴辺造英被株頭技低毎医復仕去姿味負閣韓渡失移差衆個門写評課末守若脳極"
        "種美岡影命含福蔵量望松非撃佐核観察整段横融型白深字答夜製票況音申様財港識注呼渉達"
    ),
    "ko": (
        "이다는의에하고을가로지기서한도리사자대어인나수정아일를시해게들있요보전것주상적장만부으되니스제"
        "과국위라면와원말했동성우중여문생내오소연경화구신비공개방관무학데미조식세마선진거은계회분업물"
        "당단그까드없간음트발용저실안법유년행때모"
    ),
}
