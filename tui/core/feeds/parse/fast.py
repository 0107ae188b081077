"""Read well-formed RSS 2.0 (and 0.9x), RSS 1.0 and Atom 1.0 the way feedparser does, faster.

feedparser is the parser of record; this module answers only when it is sure of giving
what feedparser's strict (SAX) path gives for the same text, and ``None`` otherwise, so
that the caller hands the document to feedparser. ``read_feed`` returns feedparser's own
shapes (the version string, the feed dict, one dict per entry with the keys feedparser
uses), so both paths go through the same field cleaning in ``tui.core.feeds.parse.feed``.

How: expat (the parser under feedparser's SAX driver) with buffered character data,
driving a port of the part of feedparser 6.0's state machine that decides the fields a
reader shows: the element stack, contexts, xml:base, depth rules for titles, authors,
categories, links, guids, the "UTF-8 read as latin-1" repair and the windows-1252
mapping. Anything outside that part is refused, never guessed: a DOCTYPE (so no entity
can be declared, let alone expanded), elements inside a text field (inline XHTML),
content types other than text and HTML, base64, feedparser handlers not ported here
(GeoRSS, Podlove chapters, Creative Commons, ...), unknown elements whose names would
land on fields read downstream, dates not in plain RFC 822 or W3C-DTF form, nesting
deeper than ``MAX_DEPTH``, and any exception at all.

The module is long for the house style because the port only works whole: split across
files, feedparser's state machine would hide which of its rules interact.
"""

from __future__ import annotations

import contextlib
import copy
import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache
from html.entities import entitydefs
from pyexpat import ParserCreate
from typing import Any
from urllib.parse import urljoin, urlparse

import regex

__all__ = ["MAX_DEPTH", "FastFeed", "read_feed"]

MAX_DEPTH = 32
"""Deepest element nesting read here; real feeds without inline XHTML stay under 8."""

FastFeed = tuple[str, dict[str, Any], list[dict[str, Any]]]
"""(feedparser's version string, feed dict, entry dicts)."""


def _words(text: str) -> list[str]:
    return text.split()


_ATOM10 = "http://www.w3.org/2005/Atom"
_MATHML = "http://www.w3.org/1998/Math/MathML"
_SVG = "http://www.w3.org/2000/svg"
_TEXT_TYPES = frozenset({"text/plain", "text/html"})
_CONTENT_TYPES = {
    "text": "text/plain",
    "plain": "text/plain",
    "html": "text/html",
    "xhtml": "application/xhtml+xml",
}
_HTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})

# feedparser's namespace table (mixin._FeedParserMixin.namespaces), keys lowercased: an
# element's namespace decides its handler, and a test keeps this copy equal to it.
_NAMESPACES: dict[str, str] = {
    uri.lower(): prefix
    for prefix, uris in (
        ("", "http://backend.userland.com/rss http://blogs.law.harvard.edu/tech/rss "
         "http://purl.org/rss/1.0/ http://my.netscape.com/rdf/simple/0.9/ "
         "http://example.com/newformat# http://example.com/necho http://purl.org/echo/ "
         "uri/of/echo/namespace# http://purl.org/pie/ http://purl.org/atom/ns# "
         "http://www.w3.org/2005/Atom http://purl.org/rss/1.0/modules/rss091#"),
        ("admin", "http://webns.net/mvcb/"),
        ("ag", "http://purl.org/rss/1.0/modules/aggregation/"),
        ("annotate", "http://purl.org/rss/1.0/modules/annotate/"),
        ("audio", "http://media.tangent.org/rss/1.0/"),
        ("blogChannel", "http://backend.userland.com/blogChannelModule"),
        ("cc", "http://creativecommons.org/ns#license http://web.resource.org/cc/"),
        ("creativeCommons", "http://cyber.law.harvard.edu/rss/creativeCommonsRssModule.html "
         "http://backend.userland.com/creativeCommonsRssModule"),
        ("co", "http://purl.org/rss/1.0/modules/company"),
        ("content", "http://purl.org/rss/1.0/modules/content/"),
        ("cp", "http://my.theinfo.org/changed/1.0/rss/"),
        ("dc", "http://purl.org/dc/elements/1.1/"),
        ("dcterms", "http://purl.org/dc/terms/"),
        ("email", "http://purl.org/rss/1.0/modules/email/"),
        ("ev", "http://purl.org/rss/1.0/modules/event/"),
        ("feedburner", "http://rssnamespace.org/feedburner/ext/1.0"),
        ("fm", "http://freshmeat.net/rss/fm/"),
        ("foaf", "http://xmlns.com/foaf/0.1/"),
        ("geo", "http://www.w3.org/2003/01/geo/wgs84_pos#"),
        ("georss", "http://www.georss.org/georss"),
        ("gml", "http://www.opengis.net/gml"),
        ("icbm", "http://postneo.com/icbm/"),
        ("image", "http://purl.org/rss/1.0/modules/image/"),
        ("itunes", "http://www.itunes.com/DTDs/PodCast-1.0.dtd "
         "http://example.com/DTDs/PodCast-1.0.dtd"),
        ("l", "http://purl.org/rss/1.0/modules/link/"),
        ("media", "http://search.yahoo.com/mrss http://search.yahoo.com/mrss/"),
        ("pingback", "http://madskills.com/public/xml/rss/module/pingback/"),
        ("prism", "http://prismstandard.org/namespaces/1.2/basic/"),
        ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("ref", "http://purl.org/rss/1.0/modules/reference/"),
        ("reqv", "http://purl.org/rss/1.0/modules/richequiv/"),
        ("search", "http://purl.org/rss/1.0/modules/search/"),
        ("slash", "http://purl.org/rss/1.0/modules/slash/"),
        ("soap", "http://schemas.xmlsoap.org/soap/envelope/"),
        ("ss", "http://purl.org/rss/1.0/modules/servicestatus/"),
        ("str", "http://hacks.benhammersley.com/rss/streaming/"),
        ("sub", "http://purl.org/rss/1.0/modules/subscription/"),
        ("sy", "http://purl.org/rss/1.0/modules/syndication/"),
        ("szf", "http://schemas.pocketsoap.com/rss/myDescModule/"),
        ("taxo", "http://purl.org/rss/1.0/modules/taxonomy/"),
        ("thr", "http://purl.org/rss/1.0/modules/threading/"),
        ("ti", "http://purl.org/rss/1.0/modules/textinput/"),
        ("trackback", "http://madskills.com/public/xml/rss/module/trackback/"),
        ("wfw", "http://wellformedweb.org/commentAPI/"),
        ("wiki", "http://purl.org/rss/1.0/modules/wiki/"),
        ("xhtml", "http://www.w3.org/1999/xhtml"),
        ("xlink", "http://www.w3.org/1999/xlink"),
        ("xml", "http://www.w3.org/XML/1998/namespace"),
        ("psc", "http://podlove.org/simple-chapters"),
    )
    for uri in uris.split()
} | {"": ""}  # fmt: skip

# Every element name feedparser 6.0 has a handler for (``_start_x``/``_end_x``); those not
# ported below make the document feedparser's. A test keeps the list in step.
_FEEDPARSER_HANDLERS = frozenset(
    _words(
        """abstract author body category cc_license channel cloud content content_encoded
        contributor copyright created creativeCommons_license creativecommons_license
        dc_author dc_contributor dc_creator dc_date dc_description dc_language dc_publisher
        dc_rights dc_subject dc_title dcterms_created dcterms_issued dcterms_modified
        dcterms_valid description email enclosure entry expirationdate feed
        feedburner_browserfriendly fullitem generator geom georss_box georss_line
        georss_point georss_polygon georss_where georssgeom gml_exterior gml_linearring
        gml_linestring gml_point gml_polygon gml_pos gml_poslist guid height homepage id
        image info issued item itunes_author itunes_block itunes_category itunes_email
        itunes_explicit itunes_image itunes_keywords itunes_link itunes_name itunes_owner
        itunes_subtitle itunes_summary keywords language lastbuilddate link managingeditor
        media_category media_content media_credit media_description media_group
        media_keywords media_license media_player media_rating media_restriction
        media_thumbnail media_title modified name newlocation psc_chapter psc_chapters
        pubdate published rights rss source subtitle summary tagline tags textInput
        textinput title updated uri url webmaster where width xhtml_body"""
    )
)
_FEEDPARSER_STARTS = _FEEDPARSER_HANDLERS - {
    "geom", "itunes_block", "itunes_explicit", "itunes_keywords", "media_keywords"
}  # fmt: skip
_FEEDPARSER_ENDS = _FEEDPARSER_HANDLERS - {
    "cc_license", "cloud", "enclosure", "georssgeom", "itunes_image", "itunes_link",
    "media_content", "media_group", "psc_chapter", "rss",
}  # fmt: skip

# Keys ``tui.core.feeds.parse.feed`` reads from feedparser's dicts, or that feedparser's handlers
# rely on: an element without a handler stores itself under its own name, and one named
# like these would overwrite a field.
_RESERVED = frozenset(
    _words(
        """author author_detail authors content contributors created_parsed guidislink href id
        image language link links published published_parsed publisher publisher_detail
        source subtitle subtitle_detail summary summary_detail tags textinput title
        title_detail updated updated_parsed value"""
    )
)

# FeedParserDict stores some keys under another name.
_KEYMAP: dict[str, str] = {
    "channel": "feed",
    "items": "entries",
    "guid": "id",
    "date": "updated",
    "date_parsed": "updated_parsed",
    "description": "summary",
    "description_detail": "summary_detail",
    "url": "href",
    "modified": "updated",
    "modified_parsed": "updated_parsed",
    "issued": "published",
    "issued_parsed": "published_parsed",
    "copyright": "rights",
    "copyright_detail": "rights_detail",
    "tagline": "subtitle",
    "tagline_detail": "subtitle_detail",
}
_CAN_BE_RELATIVE_URI = frozenset(
    {"comments", "docs", "href", "icon", "id", "link", "logo", "url"}
    | {"wfw_comment", "wfw_commentrss"}
)
_RSS_VERSIONS = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}
# RSS 2.0, its 0.9x Userland ancestors, and <rss> without a version (mostly 2.0 in practice).
_RSS_READ = frozenset({"rss", "rss20", *_RSS_VERSIONS.values()})

# feedparser.sanitizer._HTMLSanitizer.acceptable_elements, for its plain-text-or-HTML guess.
_ACCEPTABLE_ELEMENTS = frozenset(
    _words(
        """a abbr acronym address area article aside audio b big blockquote br button canvas
        caption center cite code col colgroup command datagrid datalist dd del details dfn
        dialog dir div dl dt em event-source fieldset figcaption figure font footer form h1
        h2 h3 h4 h5 h6 header hr i img input ins kbd keygen label legend li m map menu meter
        multicol nav nextid noscript ol optgroup option output p pre progress q s samp
        section select small sound source spacer span strike strong sub sup table tbody td
        textarea tfoot th thead time tr tt u ul var video"""
    )
)
_CLOSE_TAG = re.compile(r"</(\w+)>")
_ANY_ENTITY = re.compile(r"&#?\w+;")
_TAG_NAME = re.compile(r"</?(\w+)")
_ENTITY_NAME = re.compile(r"&(\w+);")
# feedparser.html._cp1252: C1 controls read as the windows-1252 characters they stand for.
_CP1252 = {
    code: chr(code).encode("latin-1").decode("cp1252")
    for code in (*range(0x80, 0xA0),)
    if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
# The regex module scans a character class several times faster than re.
_C1 = regex.compile("[\x80-\x9f]")
_LATIN1 = regex.compile("[\x80-\xff]")
# References to those characters (an alternation in one pattern would be far slower).
_LATIN1_REF = regex.compile(
    "&#(?:[xX]0*[89a-fA-F][0-9a-fA-F]|0*(?:1[3-9][0-9]|12[89]|2[0-4][0-9]|25[0-5]));"
)
_FIRST_ELEMENT = re.compile(r"<\w")
_URI_FIXER = re.compile("^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
# feedparser.urls.ACCEPTABLE_URI_SCHEMES: xml:base values in other schemes are dropped.
_SCHEMES = frozenset(
    _words(
        """file ftp gopher h323 hdl http https imap magnet mailto mms news nntp prospero rsync
        rtsp rtspu sftp shttp sip sips snews svn svn+ssh telnet wais aim callto cvs facetime
        feed git gtalk irc ircs irc6 itms msnim skype ssh smb ymsg"""
    )
)
_AMPERSAND_REF = re.compile("&([A-Za-z0-9_]+);")
_EMAIL = re.compile(
    r"""(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|"""
    r"""(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"""
)

# Dates: only the plain forms, where feedparser's W3C-DTF and RFC 822 handlers are known
# to agree with this arithmetic; any other form sends the document to feedparser.
_W3CDTF = re.compile(
    r"(\d{4})-(\d\d?)-(\d\d?)(?:[T ](\d\d?):(\d\d?)(?::(\d\d?)(?:\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?"
)
_RFC822 = re.compile(
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun),?\s+)?(\d\d?)\s+"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+(\d{4})\s+"
    r"(\d\d?):(\d\d)(?::(\d\d))?\s+([+-]\d\d:?\d\d|[a-z]{1,5})",
    re.IGNORECASE,
)
_MONTHS = {m: i for i, m in enumerate(_words("jan feb mar apr may jun jul aug sep oct nov dec"), 1)}
# feedparser's RFC 822 zone names; it reads any other name as UTC, and so does this.
_ZONES = {"adt": -3, "ast": -4, "at": -4, "edt": -4, "est": -5, "et": -5, "cdt": -5}
_ZONES |= {"cst": -6, "ct": -6, "mdt": -6, "mst": -7, "mt": -7, "pdt": -7, "pst": -8}
_ZONES |= {"pt": -8, "a": -1, "n": 1, "m": -12, "y": 12, "met": 1, "mest": 2}


_IMAGE_CHILDREN = frozenset({"title", "link", "description", "url", "href", "width", "height"})
_Plan = tuple[bool, bool, Any, str, Any, str]
"""Per element name: resets textinput, resets image, start handler (None: feedparser's
generic one), start key, end handler (None: generic), end key."""


class _Refuse(Exception):
    """The document is not one this module reads exactly like feedparser."""


def read_feed(text: str) -> FastFeed | None:
    """feedparser's (version, feed, entries) for ``text``, or None to use feedparser.

    ``text`` is the decoded document without its XML declaration, as ``tui.core.feeds.parse.feed``
    hands it to feedparser. Never raises.
    """
    first = _FIRST_ELEMENT.search(text)
    prolog = text[: first.start() if first else len(text)]
    if "<!DOCTYPE" in prolog or "<!ENTITY" in prolog:
        return None  # feedparser edits these out of the prolog before parsing
    try:
        # Characters U+0080-U+00FF are what feedparser's latin-1 and windows-1252 repairs
        # act on; without any, raw or as references (most feeds), no field needs them.
        repair = _LATIN1.search(text) is not None or _LATIN1_REF.search(text) is not None
        reader = _Reader(repair=repair)
        parser = ParserCreate(namespace_separator=" ")
        parser.namespace_prefixes = True
        parser.buffer_text = True
        parser.buffer_size = 1 << 16
        parser.StartDoctypeDeclHandler = _refuse
        parser.EntityDeclHandler = _refuse
        parser.StartNamespaceDeclHandler = reader.declare
        parser.StartElementHandler = reader.start
        parser.EndElementHandler = reader.end
        parser.CharacterDataHandler = reader.data
        # What feedparser's SAX parser reads: its own declaration, then the text.
        parser.Parse("<?xml version='1.0' encoding='utf-8'?>", False)
        parser.Parse(text, True)
        if not reader.accepts():
            return None
        return reader.version, reader.feed, reader.entries
    except Exception:  # hostile or merely unusual input: feedparser decides
        return None


def _refuse(*_: object) -> None:
    raise _Refuse


def _map_content_type(content_type: str) -> str:
    content_type = content_type.lower()
    return _CONTENT_TYPES.get(content_type, content_type)


def _store(context: dict[str, Any], key: str, value: Any) -> None:
    context[_KEYMAP.get(key, key)] = value


def _urljoin(base: str, uri: str) -> str:
    """feedparser.urls._urljoin: extra slashes after "scheme://" go, then the join."""
    if ":///" in uri:  # the only case the fix-up changes anything
        uri = _URI_FIXER.sub(r"\1\3", uri)
    if not base:
        return uri  # what urljoin returns for an empty base
    try:
        return urljoin(base, uri)
    except ValueError:
        return ""


@lru_cache(maxsize=256)
def _safe_absolute_uri(base: str, rel: str) -> str:
    """feedparser.urls.make_safe_absolute_uri."""
    if not base:
        return rel or ""
    if not rel:
        try:
            scheme = urlparse(base)[0]
        except ValueError:
            return ""
        return base if not scheme or scheme in _SCHEMES else ""
    uri = _urljoin(base, rel)
    return uri if uri.strip().split(":", 1)[0] in _SCHEMES else ""


def _looks_like_html(text: str) -> bool:
    if not (_CLOSE_TAG.search(text) or _ANY_ENTITY.search(text)):
        return False
    if any(t.lower() not in _ACCEPTABLE_ELEMENTS for t in _TAG_NAME.findall(text)):
        return False
    return all(e in entitydefs for e in _ENTITY_NAME.findall(text))


@lru_cache(maxsize=64)
def _parse_date(value: str | None) -> time.struct_time | None:
    """feedparser's UTC tuple for a plain date; raises _Refuse for any other form."""
    if not value:
        return None
    match = _W3CDTF.fullmatch(value) if value[4:5] == "-" else None
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
        month_number = int(month)
        if zone and zone != "Z":
            sign = -1 if zone[0] == "-" else 1
            hours, minutes = sign * int(zone[1:3]), sign * int(zone[4:])
        else:
            hours = minutes = 0
    else:
        match = _RFC822.fullmatch(value)
        if not match:
            raise _Refuse
        day, month, year, hour, minute, second, zone = match.groups()
        month_number = _MONTHS[month.lower()]
        if zone[0] in "+-":
            sign = -1 if zone[0] == "-" else 1
            hours, minutes = sign * int(zone[1:3]), sign * int(zone[-2:])
        else:
            zone = zone.lower()
            if zone.startswith("gmt") and zone != "gmt":
                raise _Refuse  # "GMTx" takes a path of its own in feedparser
            hours, minutes = _ZONES.get(zone, 0), 0
    year_number = int(year)
    if not 1900 <= year_number <= 9000:
        raise _Refuse
    try:
        stamp = datetime(
            year_number, month_number, int(day), int(hour or 0), int(minute or 0),
            int(second or 0),
        )  # fmt: skip
    except ValueError:
        raise _Refuse from None
    if hours or minutes:
        stamp -= timedelta(hours=hours, minutes=minutes)
    return stamp.utctimetuple()


Handler = Callable[["_Reader", dict[str, str]], None]
EndHandler = Callable[["_Reader"], None]


class _Reader:
    """feedparser's _FeedParserMixin state machine, for the elements it is ported for."""

    def __init__(self, *, repair: bool) -> None:
        self.repair = repair
        self.feed: dict[str, Any] = {}
        self.entries: list[dict[str, Any]] = []
        self.depth_maps: list[dict[str, int]] = []
        self.version = ""
        self.root = ("", "")
        self.namespaces_in_use: dict[str, str] = {}
        self.namespacemap: dict[str | None, str] = {}
        self.plans: dict[str, _Plan] = {}
        self.infeed = self.inentry = self.incontent = 0
        self.intextinput = self.inimage = 0
        self.inauthor = self.incontributor = self.inpublisher = self.insource = 0
        self.sourcedata: dict[str, Any] = {}
        self.contentparams: dict[str, Any] = {}
        self.summary_key: str | None = None
        self.stack: list[tuple[str, int, list[str]]] = []
        self.baseuri = ""
        self.basestack: list[str] = []
        self.title_depth = -1
        self.depth = 0
        self.has_content = 0
        self.guidislink = False

    # --- expat events ----------------------------------------------------------------

    def declare(self, prefix: str | None, uri: str | None) -> None:
        if not uri:
            return
        if uri == "http://www.w3.org/1999/xlink" and prefix:
            raise _Refuse  # feedparser passes this declaration on as an attribute
        lower = uri.lower()
        if not self.version:
            if (prefix, lower) == (None, "http://my.netscape.com/rdf/simple/0.9/"):
                self.version = "rss090"
            elif lower == "http://purl.org/rss/1.0/":
                self.version = "rss10"
            elif lower == "http://www.w3.org/2005/atom":
                self.version = "atom10"
        if "backend.userland.com/rss" in lower:
            uri = lower = "http://backend.userland.com/rss"
        known = _NAMESPACES.get(lower)
        key = known if known is not None else prefix or ""
        # Feeds repeat declarations on every element; only a change renames anything.
        if self.namespaces_in_use.get(key) != uri or (
            known is not None and self.namespacemap.get(prefix) != known
        ):
            self.plans.clear()
        if known is not None:
            self.namespacemap[prefix] = known
        self.namespaces_in_use[key] = uri

    def _names(self, raw: str) -> tuple[str | None, str, str]:
        """(the tag when its prefix maps to none, start key, end key): the handler names
        feedparser derives from expat's "uri local prefix" element name."""
        parts = raw.split()
        if len(parts) == 1:
            namespace = None
        elif len(parts) in (2, 3):
            namespace = parts[0]
            if namespace in (_MATHML, _SVG):
                raise _Refuse  # feedparser adds an xmlns attribute to these
        else:
            raise _Refuse
        local = parts[-2 if len(parts) == 3 else -1].lower()
        lower = (namespace or "").lower()
        start_ns = namespace
        if "backend.userland.com/rss" in lower:
            start_ns = lower = "http://backend.userland.com/rss"
        plain, start_key = self._key(self._qualify(local, _NAMESPACES.get(lower), start_ns))
        end_prefix = _NAMESPACES.get((namespace or "").lower(), "")
        _, end_key = self._key(self._qualify(local, end_prefix, namespace))
        return plain, start_key, end_key

    def _qualify(self, local: str, prefix: str | None, namespace: str | None) -> str:
        if prefix:
            return f"{prefix}:{local}".lower()
        if namespace:
            for name, value in self.namespaces_in_use.items():
                if name and value == namespace:
                    return f"{name}:{local}".lower()
        return local

    def _key(self, tag: str) -> tuple[str | None, str]:
        prefix, colon, suffix = tag.partition(":")
        if not colon:
            prefix, suffix = "", tag
        prefix = self.namespacemap.get(prefix, prefix)
        # feedparser's scoping hack for image and textinput looks at the whole tag.
        return (None, f"{prefix}_{suffix}") if prefix else (tag, suffix)

    def _plan(self, raw: str) -> _Plan:
        tag, key, end_key = self._names(raw)
        start = _START.get(key)
        if start is None and (
            key in _FEEDPARSER_STARTS or key in _RESERVED or _KEYMAP.get(key) in _RESERVED
        ):
            start = _refuse
        end = _END.get(end_key)
        if end is None and end_key in _FEEDPARSER_ENDS:
            end = _refuse
        plan = self.plans[raw] = (
            tag is not None and tag not in ("title", "link", "description", "name"),
            tag is not None and tag not in _IMAGE_CHILDREN,
            start,
            key,
            end,
            end_key,
        )
        return plan

    def start(self, raw: str, attrs: dict[str, str]) -> None:
        plan = self.plans.get(raw) or self._plan(raw)
        self.depth += 1
        if self.depth > MAX_DEPTH or self.incontent:
            raise _Refuse  # markup inside a text field is feedparser's inline XHTML
        if not self.root[0]:
            self.root = (plan[3], raw.split()[0] if " " in raw else "")
        if attrs:
            attrs_d = _attributes(attrs)
            base = attrs_d.get("xml:base", attrs_d.get("base")) or self.baseuri
        else:
            attrs_d = {}
            base = self.baseuri
        if self.baseuri:
            self.baseuri = _safe_absolute_uri(self.baseuri, base) or self.baseuri
        elif base:
            self.baseuri = _urljoin("", base)
        self.basestack.append(self.baseuri)
        resets_textinput, resets_image, handler, key, _, _ = plan
        if resets_textinput:  # feedparser's scoping hack for image and textinput
            self.intextinput = 0
        if resets_image:
            self.inimage = 0
        if handler is not None:
            handler(self, attrs_d)
        elif attrs_d:
            _store(self._context(), key, attrs_d)
        else:
            self.stack.append((key, 1, []))

    def end(self, raw: str) -> None:
        plan = self.plans.get(raw) or self._plan(raw)
        handler = plan[4]
        if handler is not None:
            handler(self)
        else:
            self.pop(plan[5])
        stack = self.basestack
        stack.pop()
        # feedparser keeps a child's base when the parent's is empty.
        if stack and stack[-1]:
            self.baseuri = stack[-1]
        self.depth -= 1

    def accepts(self) -> bool:
        key, namespace = self.root
        if key == "rss":
            allowed = not namespace or "backend.userland.com/rss" in namespace.lower()
            return allowed and self.version in _RSS_READ
        if key == "feed":
            return namespace == _ATOM10 and self.version == "atom10"
        return key == "rdf_rdf" and self.version == "rss10"

    def data(self, text: str) -> None:
        if self.stack:
            self.stack[-1][2].append(text)

    # --- feedparser's element stack --------------------------------------------------

    def pop(self, element: str, strip_whitespace: bool = True) -> str | None:
        stack = self.stack
        if not stack or stack[-1][0] != element:
            return None
        _, expecting_text, pieces = stack.pop()
        output = "".join(pieces)
        if strip_whitespace:
            output = output.strip()
        if not expecting_text:
            return output
        if output and element in _CAN_BE_RELATIVE_URI and (element != "id" or self.guidislink):
            output = _urljoin(self.baseuri, output)
        params = self.contentparams
        if (
            params
            and params["type"] == "text/plain"
            and ("</" in output or "&" in output)  # what the guess needs to say HTML
            and not self.version.startswith("atom")
            and _looks_like_html(output)
        ):
            params["type"] = "text/html"
        if self.repair and not output.isascii():
            with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
                output = output.encode("iso-8859-1").decode("utf-8")  # UTF-8 read as latin-1
            if _C1.search(output):
                output = output.translate(_CP1252)
        if element in ("category", "tags", "itunes_keywords"):
            return output
        if element == "title" and -1 < self.title_depth <= self.depth:
            return output
        if self.inentry and not self.insource:
            self._store_entry_field(element, output)
        elif self.infeed or self.insource:
            context = self._context()
            if element == "description":
                element = "subtitle"
            _store(context, element, output)
            if element == "link":
                output = _AMPERSAND_REF.sub(r"&\g<1>", output)
                context[element] = output
                context["links"][-1]["href"] = output
            elif self.incontent:
                _store(context, element + "_detail", {**params, "value": output})
        return output

    def _store_entry_field(self, element: str, output: str) -> None:
        entry = self.entries[-1]
        if element == "content":
            entry.setdefault("content", []).append({**self.contentparams, "value": output})
        elif element == "link":
            if not self.inimage:
                if "&" in output:
                    output = _AMPERSAND_REF.sub(r"&\g<1>", output.replace("&amp;", "&"))
                entry["link"] = output
                if output:
                    entry["links"][-1]["href"] = output
        else:
            if element == "description":
                element = "summary"
            depths = self.depth_maps[-1]
            old = depths.get(element)
            if old is None or self.depth <= old:
                depths[element] = self.depth
                entry[_KEYMAP.get(element, element)] = output
            if self.incontent:
                detail = {**self.contentparams, "value": output}
                entry[_KEYMAP.get(element + "_detail", element + "_detail")] = detail

    def push_content(self, tag: str, attrs: dict[str, str], default: str, expecting: Any) -> None:
        self.incontent += 1
        content_type = attrs.get("type", default).lower()
        content_type = _CONTENT_TYPES.get(content_type, content_type)
        if content_type not in _TEXT_TYPES or attrs.get("mode") == "base64":
            raise _Refuse
        self.contentparams = {"type": content_type, "base": self.baseuri}
        self.stack.append((tag, expecting, []))

    def _pop_list(self, element: str) -> list[str]:
        value = self.pop(element)
        if value is None:
            raise _Refuse  # feedparser's handler fails here and it falls back on another
        return value.split(",")

    def pop_content(self, tag: str) -> str | None:
        value = self.pop(tag)
        self.incontent -= 1
        self.contentparams.clear()
        return value

    def _context(self) -> dict[str, Any]:
        if self.insource:
            return self.sourcedata
        if self.inimage and "image" in self.feed:
            image: dict[str, Any] = self.feed["image"]
            return image
        if self.intextinput:
            textinput: dict[str, Any] = self.feed["textinput"]
            return textinput
        if self.inentry:
            return self.entries[-1]
        return self.feed

    def _save(self, key: str, value: Any, overwrite: bool = False) -> None:
        context = self._context()
        if overwrite:
            _store(context, key, value)
        else:
            context.setdefault(key, value)

    def _save_date(self, key: str, value: str | None) -> None:
        context = self._context()
        # Only entry dates are read downstream; others need not parse.
        parsed = _parse_date(value) if self.inentry and context is self.entries[-1] else None
        _store(context, key, parsed)

    def _save_author(self, key: str, value: Any, prefix: str = "author") -> None:
        context = self._context()
        context.setdefault(prefix + "_detail", {})
        context[prefix + "_detail"][key] = value
        self._sync_author_detail()
        context.setdefault("authors", [{}])
        context["authors"][-1][key] = value

    def _save_contributor(self, key: str, value: Any) -> None:
        context = self._context()
        context.setdefault("contributors", [{}])
        context["contributors"][-1][key] = value

    def _sync_author_detail(self, key: str = "author") -> None:
        context = self._context()
        detail = context.get(key + "s", [{}])[-1]
        if detail:
            name, email = detail.get("name"), detail.get("email")
            if name and email:
                context[key] = f"{name} ({email})"
            elif name:
                context[key] = name
            elif email:
                context[key] = email
            return
        author, email = context.get(key), None
        if not author:
            return
        match = _EMAIL.search(author)
        if match:
            email = match.group(0)
            author = author.replace(email, "").replace("()", "").replace("<>", "")
            author = author.replace("&lt;&gt;", "").strip()
            if author and author[0] == "(":
                author = author[1:]
            if author and author[-1] == ")":
                author = author[:-1]
            author = author.strip()
        if author or email:
            context.setdefault(key + "_detail", detail)
        if author:
            detail["name"] = author
        if email:
            detail["email"] = email

    def _add_tag(self, term: str | None, scheme: str | None, label: str | None) -> None:
        tags = self._context().setdefault("tags", [])
        if not term and not scheme and not label:
            return
        value = {"term": term, "scheme": scheme, "label": label}
        if value not in tags:
            tags.append(value)

    # --- element handlers (feedparser's _start_x / _end_x) ---------------------------

    def _start_rss(self, attrs: dict[str, str]) -> None:
        if not self.version or not self.version.startswith("rss"):
            given = attrs.get("version", "")
            version = _RSS_VERSIONS.get(given)
            self.version = version or ("rss20" if given.startswith("2.") else "rss")

    def _start_channel(self, attrs: dict[str, str]) -> None:
        self.infeed = 1
        if "lastmod" in attrs or "href" in attrs:
            raise _Refuse  # CDF

    def _start_feed(self, attrs: dict[str, str]) -> None:
        self.infeed = 1
        if not self.version:
            versions = {"0.1": "atom01", "0.2": "atom02", "0.3": "atom03"}
            self.version = versions.get(attrs.get("version") or "", "atom")

    def _end_channel(self) -> None:
        self.infeed = 0

    def _start_image(self, attrs: dict[str, str]) -> None:
        context = self._context()
        if not self.inentry:
            context.setdefault("image", {})
        self.inimage = 1
        self.title_depth = -1
        self.stack.append(("image", 0, []))

    def _end_image(self) -> None:
        self.pop("image")
        self.inimage = 0

    def _start_textinput(self, attrs: dict[str, str]) -> None:
        self._context().setdefault("textinput", {})
        self.intextinput = 1
        self.title_depth = -1
        self.stack.append(("textinput", 0, []))

    def _end_textinput(self) -> None:
        self.pop("textinput")
        self.intextinput = 0

    def _start_author(self, attrs: dict[str, str]) -> None:
        self.inauthor = 1
        self.stack.append(("author", 1, []))
        self._context().setdefault("authors", []).append({})

    def _end_author(self) -> None:
        self.pop("author")
        self.inauthor = 0
        self._sync_author_detail()

    def _start_contributor(self, attrs: dict[str, str]) -> None:
        self.incontributor = 1
        self._context().setdefault("contributors", []).append({})
        self.stack.append(("contributor", 0, []))

    def _end_contributor(self) -> None:
        self.pop("contributor")
        self.incontributor = 0

    def _start_name(self, attrs: dict[str, str]) -> None:
        self.stack.append(("name", 0, []))

    def _end_name(self) -> None:
        value = self.pop("name")
        if self.inpublisher:
            self._save_author("name", value, "publisher")
        elif self.inauthor:
            self._save_author("name", value)
        elif self.incontributor:
            self._save_contributor("name", value)
        elif self.intextinput:
            self._context()["name"] = value

    def _start_width(self, attrs: dict[str, str]) -> None:
        self.stack.append(("width", 0, []))

    def _end_width(self) -> None:
        self._pop_size("width")

    def _start_height(self, attrs: dict[str, str]) -> None:
        self.stack.append(("height", 0, []))

    def _end_height(self) -> None:
        self._pop_size("height")

    def _pop_size(self, name: str) -> None:
        value: Any = self.pop(name)
        try:
            value = int(value)
        except ValueError:
            value = 0
        if self.inimage:
            self._context()[name] = value

    def _start_url(self, attrs: dict[str, str]) -> None:
        self.stack.append(("href", 1, []))

    def _end_url(self) -> None:
        value = self.pop("href")
        if self.inauthor:
            self._save_author("href", value)
        elif self.incontributor:
            self._save_contributor("href", value)

    def _start_email(self, attrs: dict[str, str]) -> None:
        self.stack.append(("email", 0, []))

    def _end_email(self) -> None:
        value = self.pop("email")
        if self.inpublisher:
            self._save_author("email", value, "publisher")
        elif self.inauthor:
            self._save_author("email", value)
        elif self.incontributor:
            self._save_contributor("email", value)

    def _start_subtitle(self, attrs: dict[str, str]) -> None:
        self.push_content("subtitle", attrs, "text/plain", 1)

    def _end_subtitle(self) -> None:
        self.pop_content("subtitle")

    def _start_rights(self, attrs: dict[str, str]) -> None:
        self.push_content("rights", attrs, "text/plain", 1)

    def _end_rights(self) -> None:
        self.pop_content("rights")

    def _start_item(self, attrs: dict[str, str]) -> None:
        self.entries.append({})
        self.depth_maps.append({})
        self.stack.append(("item", 0, []))
        self.inentry = 1
        self.guidislink = False
        self.title_depth = -1
        about_key = self.namespacemap.get("rdf", "rdf") + ":about"
        about = attrs.get(about_key)
        if about:
            self._context()["id"] = about
        if "lastmod" in attrs or "href" in attrs:
            raise _Refuse  # CDF

    def _end_item(self) -> None:
        self.pop("item")
        self.inentry = 0
        self.has_content = 0

    def _start_language(self, attrs: dict[str, str]) -> None:
        self.stack.append(("language", 1, []))

    def _end_language(self) -> None:
        self.pop("language")

    def _start_webmaster(self, attrs: dict[str, str]) -> None:
        self.stack.append(("publisher", 1, []))

    def _end_webmaster(self) -> None:
        self.pop("publisher")
        self._sync_author_detail("publisher")

    def _start_published(self, attrs: dict[str, str]) -> None:
        self.stack.append(("published", 1, []))

    def _end_published(self) -> None:
        self._save_date("published_parsed", self.pop("published"))

    def _start_updated(self, attrs: dict[str, str]) -> None:
        self.stack.append(("updated", 1, []))

    def _end_updated(self) -> None:
        self._save_date("updated_parsed", self.pop("updated"))

    def _start_created(self, attrs: dict[str, str]) -> None:
        self.stack.append(("created", 1, []))

    def _end_created(self) -> None:
        self._save_date("created_parsed", self.pop("created"))

    def _start_expirationdate(self, attrs: dict[str, str]) -> None:
        self.stack.append(("expired", 1, []))

    def _end_expirationdate(self) -> None:
        self.pop("expired")  # never read downstream

    def _start_category(self, attrs: dict[str, str]) -> None:
        scheme = attrs.get("scheme", attrs.get("domain"))
        self._add_tag(attrs.get("term"), scheme, attrs.get("label"))
        self.stack.append(("category", 1, []))

    def _end_category(self) -> None:
        value = self.pop("category")
        if not value:
            return
        tags = self._context()["tags"]
        if value and len(tags) and not tags[-1]["term"]:
            tags[-1]["term"] = value
        else:
            self._add_tag(value, None, None)

    def _start_cloud(self, attrs: dict[str, str]) -> None:
        self._context()["cloud"] = dict(attrs)

    def _start_link(self, attrs: dict[str, str]) -> None:
        attrs.setdefault("rel", "alternate")
        attrs.setdefault("type", "application/atom+xml" if attrs["rel"] == "self" else "text/html")
        context = self._context()
        attrs = _enforce_href(attrs)
        if "href" in attrs:
            attrs["href"] = _urljoin(self.baseuri, attrs["href"])
        expecting_text = self.infeed or self.inentry or self.insource
        context.setdefault("links", [])
        if not (self.inentry and self.inimage):
            context["links"].append(dict(attrs))
        if "href" not in attrs:
            self.stack.append(("link", expecting_text, []))
        elif attrs.get("rel") == "alternate" and _map_content_type(attrs["type"]) in _HTML_TYPES:
            context["link"] = attrs["href"]

    def _end_link(self) -> None:
        self.pop("link")

    def _start_guid(self, attrs: dict[str, str]) -> None:
        self.guidislink = attrs.get("ispermalink", "true") == "true"
        self.stack.append(("id", 1, []))

    def _end_guid(self) -> None:
        value = self.pop("id")
        self._save("guidislink", self.guidislink and "link" not in self._context())
        if self.guidislink:
            self._save("link", value)

    def _start_title(self, attrs: dict[str, str]) -> None:
        self.push_content(
            "title", attrs, "text/plain", self.infeed or self.inentry or self.insource
        )

    def _end_title(self) -> None:
        if self.pop_content("title"):
            self.title_depth = self.depth

    def _start_description(self, attrs: dict[str, str]) -> None:
        if "summary" in self._context() and not self.has_content:
            self.summary_key = "content"
            self._start_content(attrs)
        else:
            expecting = self.infeed or self.inentry or self.insource
            self.push_content("description", attrs, "text/html", expecting)

    def _start_abstract(self, attrs: dict[str, str]) -> None:
        expecting = self.infeed or self.inentry or self.insource
        self.push_content("description", attrs, "text/plain", expecting)

    def _end_description(self) -> None:
        if self.summary_key == "content":
            self._end_content()
        else:
            self.pop_content("description")
        self.summary_key = None

    def _start_info(self, attrs: dict[str, str]) -> None:
        self.push_content("info", attrs, "text/plain", 1)

    def _end_info(self) -> None:
        self.pop_content("info")

    def _start_generator(self, attrs: dict[str, str]) -> None:
        if attrs:
            attrs = _enforce_href(attrs)
            if "href" in attrs:
                attrs["href"] = _urljoin(self.baseuri, attrs["href"])
        self._context()["generator_detail"] = dict(attrs)
        self.stack.append(("generator", 1, []))

    def _end_generator(self) -> None:
        value = self.pop("generator")
        context = self._context()
        if "generator_detail" in context:
            context["generator_detail"]["name"] = value

    def _start_summary(self, attrs: dict[str, str]) -> None:
        if "summary" in self._context() and not self.has_content:
            self.summary_key = "content"
            self._start_content(attrs)
        else:
            self.summary_key = "summary"
            self.push_content("summary", attrs, "text/plain", 1)

    def _end_summary(self) -> None:
        if self.summary_key == "content":
            self._end_content()
        else:
            self.pop_content(self.summary_key or "summary")
        self.summary_key = None

    def _start_enclosure(self, attrs: dict[str, str]) -> None:
        attrs = _enforce_href(attrs)
        attrs["rel"] = "enclosure"
        self._context().setdefault("links", []).append(dict(attrs))

    def _start_source(self, attrs: dict[str, str]) -> None:
        if "url" in attrs:
            self.sourcedata["href"] = attrs["url"]
        self.stack.append(("source", 1, []))
        self.insource = 1
        self.title_depth = -1

    def _end_source(self) -> None:
        self.insource = 0
        value = self.pop("source")
        if value:
            self.sourcedata["title"] = value
        self._context()["source"] = copy.deepcopy(self.sourcedata)
        self.sourcedata.clear()

    def _start_content(self, attrs: dict[str, str]) -> None:
        self.has_content = 1
        self.push_content("content", attrs, "text/plain", 1)
        if attrs.get("src"):
            self.contentparams["src"] = attrs["src"]
        # feedparser pushes "content" twice; the second entry takes the text, the first
        # stays on the stack, and both matter for which later pops find their element.
        self.stack.append(("content", 1, []))

    def _start_content_encoded(self, attrs: dict[str, str]) -> None:
        self.has_content = 1
        self.push_content("content", attrs, "text/html", 1)

    def _end_content(self) -> None:
        # An empty contentparams here is a crash in feedparser: a KeyError refuses it.
        to_summary = _map_content_type(self.contentparams["type"]) in {"text/plain", *_HTML_TYPES}
        value = self.pop_content("content")
        if to_summary:
            self._save("summary", value)

    def _start_tags(self, attrs: dict[str, str]) -> None:
        self.stack.append(("tags", 1, []))

    def _end_tags(self) -> None:
        for term in self._pop_list("tags"):
            self._add_tag(term.strip(), None, None)

    # Dublin Core, iTunes and Media RSS: mostly aliases of the above.

    def _start_dc_contributor(self, attrs: dict[str, str]) -> None:
        self.incontributor = 1
        self._context().setdefault("contributors", []).append({})
        self.stack.append(("name", 0, []))

    def _end_dc_contributor(self) -> None:
        self._end_name()
        self.incontributor = 0

    def _start_itunes_category(self, attrs: dict[str, str]) -> None:
        self._add_tag(attrs.get("text"), "http://www.itunes.com/", None)
        self.stack.append(("category", 1, []))

    def _start_itunes_owner(self, attrs: dict[str, str]) -> None:
        self.inpublisher = 1
        self.stack.append(("publisher", 0, []))

    def _end_itunes_owner(self) -> None:
        self.pop("publisher")
        self.inpublisher = 0
        self._sync_author_detail("publisher")

    def _end_itunes_keywords(self) -> None:
        for term in self._pop_list("itunes_keywords"):
            if term.strip():
                self._add_tag(term.strip(), "http://www.itunes.com/", None)

    def _start_itunes_image(self, attrs: dict[str, str]) -> None:
        self.stack.append(("itunes_image", 0, []))
        if attrs.get("href"):
            self._context()["image"] = {"href": attrs.get("href")}
        elif attrs.get("url"):
            self._context()["image"] = {"href": attrs.get("url")}

    def _end_itunes_block(self) -> None:
        value = self.pop("itunes_block", False)
        self._context()["itunes_block"] = 1 if value in ("yes", "Yes") else 0

    def _end_itunes_explicit(self) -> None:
        value = self.pop("itunes_explicit", False)
        self._context()["itunes_explicit"] = (
            True if value == "yes" else False if value == "clean" else None
        )

    def _start_media_category(self, attrs: dict[str, str]) -> None:
        attrs.setdefault("scheme", "http://search.yahoo.com/mrss/category_schema")
        self._start_category(attrs)

    def _end_media_keywords(self) -> None:
        for term in self._pop_list("media_keywords"):
            if term.strip():
                self._add_tag(term.strip(), None, None)

    def _end_media_title(self) -> None:
        title_depth = self.title_depth
        self._end_title()
        self.title_depth = title_depth

    def _start_media_group(self, attrs: dict[str, str]) -> None:
        pass

    def _start_media_content(self, attrs: dict[str, str]) -> None:
        self._context().setdefault("media_content", []).append(attrs)

    def _start_media_thumbnail(self, attrs: dict[str, str]) -> None:
        context = self._context()
        context.setdefault("media_thumbnail", [])
        self.stack.append(("url", 1, []))
        context["media_thumbnail"].append(attrs)

    def _end_media_thumbnail(self) -> None:
        url = self.pop("url")
        context = self._context()
        if url is not None and url.strip() and "url" not in context["media_thumbnail"][-1]:
            context["media_thumbnail"][-1]["url"] = url

    def _start_media_credit(self, attrs: dict[str, str]) -> None:
        self._context().setdefault("media_credit", []).append(attrs)
        self.stack.append(("credit", 1, []))

    def _end_media_credit(self) -> None:
        credit = self.pop("credit")
        if credit is not None and credit.strip():
            self._context()["media_credit"][-1]["content"] = credit

    def _start_media_player(self, attrs: dict[str, str]) -> None:
        self.stack.append(("media_player", 0, []))
        self._context()["media_player"] = dict(attrs)

    def _end_media_player(self) -> None:
        value = self.pop("media_player")
        self._context()["media_player"]["content"] = value

    def _start_media_rating(self, attrs: dict[str, str]) -> None:
        self._context().setdefault("media_rating", attrs)
        self.stack.append(("rating", 1, []))

    def _end_media_rating(self) -> None:
        rating = self.pop("rating")
        if rating is not None and rating.strip():
            self._context()["media_rating"]["content"] = rating


def _attributes(attrs: dict[str, str]) -> dict[str, str]:
    """Attribute names and values as feedparser's SAX handler and mixin see them."""
    found: dict[str, str] = {}
    for raw, value in attrs.items():
        if " " in raw:
            return _namespaced_attributes(attrs)
        key = raw.lower()
        found[key] = (value.lower() or value) if key in ("rel", "type") else value
    return found


def _namespaced_attributes(attrs: dict[str, str]) -> dict[str, str]:
    # SAX gives feedparser each attribute twice: under feedparser's prefix for a known
    # namespace (none for an unknown one), then under the document's own prefix.
    found: dict[str, str] = {}
    qualified: list[tuple[str, str]] = []
    for raw, value in attrs.items():
        parts = raw.split()
        if len(parts) == 1:
            local = qname = raw
        elif len(parts) == 3:
            prefix = _NAMESPACES.get(parts[0].lower(), "")
            local = f"{prefix}:{parts[1]}" if prefix else parts[1]
            qname = f"{parts[2]}:{parts[1]}"
        else:
            raise _Refuse
        found[local.lower()] = value
        qualified.append((qname.lower(), value))
    found.update(qualified)
    return {k: (v.lower() or v) if k in ("rel", "type") else v for k, v in found.items()}


def _enforce_href(attrs: dict[str, str]) -> dict[str, str]:
    href = attrs.get("url", attrs.get("uri", attrs.get("href")))
    if href:
        attrs.pop("url", None)
        attrs.pop("uri", None)
        attrs["href"] = href
    return attrs


_SHARED = {
    "managingeditor": "author", "dc_author": "author", "dc_creator": "author",
    "itunes_author": "author", "itunes_name": "name", "homepage": "url", "uri": "url",
    "itunes_email": "email", "tagline": "subtitle", "itunes_subtitle": "subtitle",
    "copyright": "rights", "dc_rights": "rights", "entry": "item", "dc_language": "language",
    "dc_publisher": "webmaster", "issued": "published", "pubdate": "published",
    "dcterms_issued": "published", "modified": "updated", "lastbuilddate": "updated",
    "dc_date": "updated", "dcterms_modified": "updated", "dcterms_created": "created",
    "keywords": "category", "dc_subject": "category", "id": "guid", "dc_title": "title",
    "dc_description": "description", "media_description": "description",
    "feedburner_browserfriendly": "info", "itunes_summary": "summary",
}  # fmt: skip
"""feedparser's handlers that are another element's under a second name."""


def _handlers(prefix: str, aliases: dict[str, str]) -> dict[str, Any]:
    table = {
        name.removeprefix(prefix): handler
        for name, handler in vars(_Reader).items()
        if name.startswith(prefix)
    }
    return table | {alias: table[target] for alias, target in aliases.items()}


_START: dict[str, Handler] = _handlers(
    "_start_",
    _SHARED
    | {"media_title": "title", "fullitem": "content_encoded", "itunes_link": "itunes_image"},
)
_END: dict[str, EndHandler] = _handlers(
    "_end_",
    _SHARED
    | {"feed": "channel", "itunes_category": "category", "media_category": "category"}
    | {"abstract": "description", "content_encoded": "content", "fullitem": "content"},
)
