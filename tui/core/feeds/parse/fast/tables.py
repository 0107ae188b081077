"""Tables mirrored from feedparser 6.0; ``tests/unit/test_fastparse.py`` keeps them equal
to the installed feedparser's, so a feedparser upgrade that changes one fails there."""

from __future__ import annotations


def words(text: str) -> list[str]:
    return text.split()


ATOM10 = "http://www.w3.org/2005/Atom"
MATHML = "http://www.w3.org/1998/Math/MathML"
SVG = "http://www.w3.org/2000/svg"
TEXT_TYPES = frozenset({"text/plain", "text/html"})
CONTENT_TYPES = {
    "text": "text/plain",
    "plain": "text/plain",
    "html": "text/html",
    "xhtml": "application/xhtml+xml",
}
HTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})

# feedparser's namespace table (mixin._FeedParserMixin.namespaces), keys lowercased: an
# element's namespace decides its handler, and a test keeps this copy equal to it.
NAMESPACES: dict[str, str] = {
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
# ported (in atom, rss or extensions) make the document feedparser's. A test keeps the list
# in step.
FEEDPARSER_HANDLERS = frozenset(
    words(
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
FEEDPARSER_STARTS = FEEDPARSER_HANDLERS - {
    "geom", "itunes_block", "itunes_explicit", "itunes_keywords", "media_keywords"
}  # fmt: skip
FEEDPARSER_ENDS = FEEDPARSER_HANDLERS - {
    "cc_license", "cloud", "enclosure", "georssgeom", "itunes_image", "itunes_link",
    "media_content", "media_group", "psc_chapter", "rss",
}  # fmt: skip

# Keys ``tui.core.feeds.parse.feed`` reads from feedparser's dicts, or that feedparser's handlers
# rely on: an element without a handler stores itself under its own name, and one named
# like these would overwrite a field.
RESERVED = frozenset(
    words(
        """author author_detail authors content contributors created_parsed guidislink href id
        image language link links published published_parsed publisher publisher_detail
        source subtitle subtitle_detail summary summary_detail tags textinput title
        title_detail updated updated_parsed value"""
    )
)

# FeedParserDict stores some keys under another name.
KEYMAP: dict[str, str] = {
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
CAN_BE_RELATIVE_URI = frozenset(
    {"comments", "docs", "href", "icon", "id", "link", "logo", "url"}
    | {"wfw_comment", "wfw_commentrss"}
)
RSS_VERSIONS = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}
# RSS 2.0, its 0.9x Userland ancestors, and <rss> without a version (mostly 2.0 in practice).
RSS_READ = frozenset({"rss", "rss20", *RSS_VERSIONS.values()})

# feedparser.sanitizer._HTMLSanitizer.acceptable_elements, for its plain-text-or-HTML guess.
ACCEPTABLE_ELEMENTS = frozenset(
    words(
        """a abbr acronym address area article aside audio b big blockquote br button canvas
        caption center cite code col colgroup command datagrid datalist dd del details dfn
        dialog dir div dl dt em event-source fieldset figcaption figure font footer form h1
        h2 h3 h4 h5 h6 header hr i img input ins kbd keygen label legend li m map menu meter
        multicol nav nextid noscript ol optgroup option output p pre progress q s samp
        section select small sound source spacer span strike strong sub sup table tbody td
        textarea tfoot th thead time tr tt u ul var video"""
    )
)
# feedparser.html._cp1252: C1 controls read as the windows-1252 characters they stand for.
CP1252 = {
    code: chr(code).encode("latin-1").decode("cp1252")
    for code in (*range(0x80, 0xA0),)
    if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
# feedparser.urls.ACCEPTABLE_URI_SCHEMES: xml:base values in other schemes are dropped.
SCHEMES = frozenset(
    words(
        """file ftp gopher h323 hdl http https imap magnet mailto mms news nntp prospero rsync
        rtsp rtspu sftp shttp sip sips snews svn svn+ssh telnet wais aim callto cvs facetime
        feed git gtalk irc ircs irc6 itms msnim skype ssh smb ymsg"""
    )
)
