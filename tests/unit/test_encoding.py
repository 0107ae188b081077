"""Charset choice: BOM, HTTP charset, document declaration, then detection."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.feeds import detection
from tui.core.feeds.encoding import charset_from_content_type, codecs_for_label, decode_document

ZH_HANS = "今天的天气很好，我们一起去公园散步吧。这个城市的交通越来越方便了。"
ZH_HANT = "今天的天氣很好，我們一起去公園散步吧。這個城市的交通越來越方便了。"
JA = "今日はとても良い天気ですね。明日は雨が降るかもしれません。"
KO = "오늘은 날씨가 아주 좋습니다. 내일은 비가 올지도 모릅니다."
RU = "Сегодня в Москве прошла большая конференция по вопросам экономики."
FR = "Les élèves sont allés à l'école très tôt ce matin."


def rss(title: str, declaration: str = "") -> str:
    return f"{declaration}<rss><channel><item><title>{title}</title></item></channel></rss>"


def declared(encoding: str) -> str:
    return f'<?xml version="1.0" encoding="{encoding}"?>\n'


# --- labels ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "first"),
    [
        ("GB2312", "gb18030"),
        ("x-gbk", "gb18030"),
        ("Big5", "big5hkscs"),
        ("Shift_JIS", "cp932"),
        ("x-sjis", "cp932"),
        ("EUC-KR", "cp949"),
        ("ks_c_5601-1987", "cp949"),
        ("ISO-8859-1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("ISO-8859-9", "cp1254"),
        ("EUC-JP", "euc_jp"),
        ("UTF8", "utf-8"),
        ("windows-1251", "cp1251"),
        ("KOI8-R", "koi8-r"),
        (' "utf-8" ', "utf-8"),
    ],
)
def test_labels_map_to_the_superset_a_browser_uses(label: str, first: str) -> None:
    assert codecs_for_label(label)[0] == first


def test_euc_jp_falls_back_to_jis_2004() -> None:
    assert codecs_for_label("euc-jp") == ("euc_jp", "euc_jis_2004")


@pytest.mark.parametrize("label", ["utf-7", "rot13", "unicode_escape", "hz-gb-2312", "x-nonsense"])
def test_unsafe_or_unknown_labels_are_ignored(label: str) -> None:
    assert codecs_for_label(label) == ()
    body = rss("plain").encode()
    assert decode_document(body, f"text/xml; charset={label}") == (rss("plain"), "utf-8")


def test_charset_from_content_type() -> None:
    assert charset_from_content_type('application/rss+xml; Charset="Shift_JIS"') == "shift_jis"
    assert charset_from_content_type("text/xml") is None
    assert charset_from_content_type(None) is None


# --- byte-order marks and UTF-16/32 ------------------------------------------------------


def test_bom_beats_header_and_declaration() -> None:
    text = rss("東京", declared("shift_jis"))
    body = codecs.BOM_UTF8 + text.encode("utf-8")
    assert decode_document(body, "text/xml; charset=iso-8859-1") == (text, "utf-8")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_unicode_boms(codec: str) -> None:
    text = rss("中文 한국어", declared("utf-16"))
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }[codec]
    assert decode_document(bom + text.encode(codec), None) == (text, codec)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_reads_its_own_declaration(codec: str) -> None:
    text = rss("日本語", declared("UTF-16"))
    assert decode_document(text.encode(codec), None) == (text, codec)


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("declaration", ["", declared("UTF-32"), declared("ISO-10646-UCS-4")])
def test_utf32_without_bom_is_read_as_utf32(codec: str, declaration: str) -> None:
    text = rss("中文 한국어 😀", declaration)
    assert decode_document(text.encode(codec), None) == (text, codec)


@pytest.mark.parametrize(
    ("declaration", "codec"),
    [
        (declared("cp037"), "cp037"),
        (declared("EBCDIC-CP-US"), "cp037"),
        (declared("IBM500"), "cp500"),
        (declared("cp1140"), "cp1140"),
        ("", "cp037"),
    ],
)
def test_ebcdic_documents_are_recognised_by_their_first_bytes(declaration: str, codec: str) -> None:
    text = rss(f"{FR} [1] ¢", declaration)
    assert decode_document(text.encode(codec), None) == (text, codec)


@pytest.mark.parametrize(
    ("label", "codec", "sample"),
    [
        ("x-mac-centraleurope", "mac-latin2", "Łódź, Žluťoučký kůň úpěl"),
        ("maccentraleurope", "mac-latin2", "Łódź, Žluťoučký kůň úpěl"),
        ("x-mac-cyrillic", "mac-cyrillic", RU),
        ("x-mac-greek", "mac-greek", "Καλημέρα κόσμε"),
        ("x-mac-roman", "mac-roman", FR),
        ("macintosh", "mac-roman", FR),
    ],
)
def test_mac_labels_decode_with_their_mac_codec(label: str, codec: str, sample: str) -> None:
    assert codecs_for_label(label) == (codec,)
    text = rss(sample, declared(label))
    assert decode_document(text.encode(codec), None) == (text, codec)


def test_utf16_label_on_an_ascii_compatible_body_means_utf8() -> None:
    text = rss("café")
    assert decode_document(text.encode(), "text/html; charset=utf-16") == (text, "utf-8")


# --- header, declaration and their conflicts ---------------------------------------------


def test_http_charset_beats_declaration_when_both_decode() -> None:
    text = rss(RU, declared("iso-8859-1"))
    assert decode_document(text.encode("cp1251"), "text/xml; charset=windows-1251") == (
        text,
        "cp1251",
    )


def test_declaration_wins_when_http_charset_fails() -> None:
    text = rss(ZH_HANS, declared("gb2312"))
    assert decode_document(text.encode("gb2312"), "text/xml; charset=utf-8") == (text, "gb18030")


def test_declaration_used_without_header() -> None:
    text = rss(KO, declared("euc-kr"))
    assert decode_document(text.encode("euc_kr"), None) == (text, "cp949")


def test_cp932_bytes_labelled_shift_jis() -> None:
    text = rss("①～②の髙橋さん", declared("Shift_JIS"))
    body = text.encode("cp932")
    with pytest.raises(UnicodeDecodeError):
        body.decode("shift_jis")
    assert decode_document(body, None) == (text, "cp932")


def test_cp949_bytes_labelled_euc_kr() -> None:
    text = rss("똠방각하 햏", declared("EUC-KR"))
    body = text.encode("cp949")
    with pytest.raises(UnicodeDecodeError):
        body.decode("euc_kr")
    assert decode_document(body, "application/rss+xml; charset=euc-kr") == (text, "cp949")


def test_gbk_bytes_labelled_gb2312() -> None:
    text = rss("陶喆与朱镕基", declared("gb2312"))
    body = text.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")
    assert decode_document(body, None) == (text, "gb18030")


def test_hkscs_bytes_labelled_big5() -> None:
    text = rss("香港人講㗎", declared("big5"))
    assert decode_document(text.encode("big5hkscs"), None) == (text, "big5hkscs")


def test_latin1_label_decodes_windows_1252_punctuation() -> None:
    text = rss("“Price” €5 – done", declared("iso-8859-1"))
    assert decode_document(text.encode("cp1252"), None) == (text, "cp1252")


def test_utf8_body_under_a_lying_latin1_header() -> None:
    text = rss("Crème brûlée, 東京")
    assert decode_document(text.encode(), "text/xml; charset=ISO-8859-1") == (text, "utf-8")


def test_utf8_body_under_a_lying_legacy_declaration() -> None:
    text = rss("新しいニュースがあります", declared("gb2312"))
    assert decode_document(text.encode(), None) == (text, "utf-8")


def test_big5_bytes_labelled_gb2312_are_recognised() -> None:
    text = rss(ZH_HANT * 3)
    assert decode_document(text.encode("big5"), "text/xml; charset=gb2312") == (text, "big5hkscs")


def test_euc_jp_bytes_labelled_shift_jis_are_recognised() -> None:
    text = rss(JA * 3)
    assert decode_document(text.encode("euc_jp"), "text/xml; charset=shift_jis") == (text, "euc_jp")


def test_utf8_with_one_broken_byte_stays_utf8() -> None:
    good = rss("北京欢迎你 — Ünïcödé " * 5)
    body = good.encode().replace("迎".encode(), b"\xe8\xbf", 1)
    text, codec = decode_document(body, "application/xml; charset=utf-8")
    assert codec == "utf-8"
    assert text.count("\ufffd") == 1
    assert "北京欢" in text


# --- detection ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codec", "family"),
    [
        (ZH_HANS, "gb2312", "gb18030"),
        (ZH_HANT, "big5", "big5hkscs"),
        (JA, "euc_jp", "euc_jp"),
        (JA, "shift_jis", "cp932"),
        (KO, "euc_kr", "cp949"),
        ("中文新闻", "gb2312", "gb18030"),
        ("中文新聞", "big5", "big5hkscs"),
        ("日本語のニュース", "euc_jp", "euc_jp"),
        ("日本語のニュース", "shift_jis", "cp932"),
        ("한국어 뉴스", "euc_kr", "cp949"),
    ],
)
def test_undeclared_cjk_is_detected(text: str, codec: str, family: str) -> None:
    doc = rss(text)
    assert decode_document(doc.encode(codec), None) == (doc, family)


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (FR, "cp1252"),
        (RU, "cp1251"),
        (RU, "koi8-r"),
        ("Η σημερινή συνεδρίαση της βουλής ήταν πολύ ενδιαφέρουσα.", "cp1253"),
        ("הממשלה החליטה היום על תוכנית חדשה לכלכלה.", "cp1255"),
    ],
)
def test_undeclared_single_byte_scripts_are_detected(text: str, codec: str) -> None:
    doc = rss(text)
    assert decode_document(doc.encode(codec), None) == (doc, codec)


def test_ascii_and_valid_utf8_need_no_detection() -> None:
    assert decode_document(b"<rss/>", None) == ("<rss/>", "utf-8")
    assert decode_document(rss(ZH_HANS).encode(), None) == (rss(ZH_HANS), "utf-8")


# --- HTML --------------------------------------------------------------------------------


def test_html_meta_charset() -> None:
    page = f'<!doctype html><html><head><meta charset="gbk"><title>{ZH_HANS}</title></head></html>'
    assert decode_document(page.encode("gbk"), "text/html") == (page, "gb18030")


def test_html_meta_http_equiv() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
        f"<title>{JA}</title></head></html>"
    )
    assert decode_document(page.encode("cp932"), "text/html") == (page, "cp932")


def test_meta_inside_a_feed_is_not_a_declaration() -> None:
    doc = rss(f'<![CDATA[<meta charset="koi8-r">{FR}]]>')
    assert decode_document(doc.encode("cp1252"), None) == (doc, "cp1252")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([None, "text/xml; charset=gb2312", "text/html"]))
def test_decode_body_never_raises(body: bytes, content_type: str | None) -> None:
    text, codec = decode_document(body, content_type)
    assert isinstance(text, str)
    assert codecs.lookup(codec)


@given(st.lists(st.sampled_from(["<item>", "颱風", "é", "\n", "abc" * 300, "全"]), max_size=2500))
def test_the_detection_sample_is_the_first_non_ascii_characters(pieces: list[str]) -> None:
    # Markup between the characters decides how far the sample's window must grow.
    text = "".join(pieces)
    expected = "".join(detection.NON_ASCII_TEXT.findall(text))[: detection._SAMPLE_CHARS]
    assert detection._non_ascii(text) == expected
