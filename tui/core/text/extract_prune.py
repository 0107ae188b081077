"""Boilerplate removal on a parsed page, before the extraction library picks the article.

General extractors score blocks by text and link density. Chinese portals defeat them: the
related-article list, the editor's line, the share bar and the copyright notice sit in the
same table cell as the article, and comments are plain text. So three filters run here,
each on whole elements: page chrome by tag and by class/id words, labelled sections
("相关阅读", "Related stories") with the links that follow their label, and short lines that
are boilerplate by their wording or are mostly links.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.etree

# lxml has no type hints: elements are Any here.
Element = Any

# Captions go with their pictures: the article's text runs without them.
_CHROME_TAGS = (
    "nav", "aside", "footer", "form", "iframe", "button", "select", "textarea", "menu",
    "figcaption",
)  # fmt: skip

# Words in class or id that name chrome. Matched as whole words of the attribute (split at
# space, "-" and "_") or as a word's start, so "head" never matches "ad".
_CHROME_WORD = re.compile(
    r"(?:^|[\s_-])(?:"
    r"share\w*|social|sns|comments?|cmt\w*|commentlist|disqus|respond|reply|"
    r"related\w*|recommend\w*|relatedposts|more-from|morefrom|hot|hots|hotnews|rank\w*|"
    r"most-read|mostread|popular|trending|"
    r"ads?|adsbygoogle|advert\w*|sponsor\w*|banner\w*|promo\w*|"
    r"newsletter|subscribe|paywall|cookie\w*|consent|"
    r"breadcrumbs?|crumbs?|position|location|"
    r"tags?|tag-list|keywords|author-bio|author-card|bio|"
    r"post-nav|post-navigation|nav-links|pager|pagination|page_nav|prevnext|"
    r"print|toolbar|tools|article-tools|font-size|fontsize|"
    r"copyright\w*|disclaimer|statement|caption\w*|descr|picinfo|(?:pic|img)te?xt|"
    r"widget\w*|sidebar|side-col|sidebox|topbar|masthead|site-header|site-footer|footer\w*"
    r")(?:$|[\s_-])",
    re.IGNORECASE,
)

# A label that opens a list of links which is not the article: the label and the links go.
_LINKS_LABEL = re.compile(
    r"^[\s【\[（(]*(?:"
    r"相关阅读|相關閱讀|相关新闻|相關新聞|相关文章|相關文章|相关报道|相關報導|延伸阅读|延伸閱讀|"
    r"推荐阅读|推薦閱讀|往期推荐|往期推薦|往期回顾|往期回顧|相关稿件|相關稿件|猜你喜欢|猜你喜歡|"
    r"(?:本网站|本網站|本站|全站|今日)?(?:热门|熱門|热点|熱點)(?:推荐|推薦|新闻|新聞|文章|排行)?|"
    r"为你推荐|為你推薦|精彩推荐|精彩推薦|排行榜|点击排行|點擊排行|相关标签|相關標籤|图片新闻|圖片新聞|"
    r"related(?: stories| articles| coverage| posts| content| links)?|read more|more from [\w ]+|"
    r"you might also like|you may also like|recommended(?: for you)?|most read|most popular|"
    r"trending|more stories|latest news|share this(?: article)?"
    r")[\s】\]）):：]*$",
    re.IGNORECASE,
)
# A label that opens comments, alone or with its count: the whole section it heads goes.
# "评论：..." heading an opinion piece is not one.
_COMMENTS_LABEL = re.compile(
    r"^[\s【\[]*(?:"
    r"(?:网友评论|網友評論|全部评论|全部評論|最新评论|最新評論|热门评论|熱門評論|留言区|留言區|"
    r"读者留言|讀者留言|发表评论|發表評論|评论|評論|跟贴|跟帖|"
    r"comments?|leave a (?:reply|comment)|join the discussion)"
    r"[\s】\]:：]*(?:[（(]?\s*\d+\s*条?[)）]?)?\s*(?:已有\s*\d+\s*人参与)?$"
    r"|\d+ comments?$|\d+ thoughts on "
    r")",
    re.IGNORECASE,
)
_LABEL_CHARS = 40

# Short lines that are boilerplate by their wording wherever they stand: a prefix of the
# first group, or a word of the second followed by a colon.
_BOILERPLATE_LINE = re.compile(
    r"^[\s【\[（(]*(?:"
    r"责任编辑|責任編輯|上一篇|下一篇|上一頁|下一頁|上一条|下一条|上一則|下一則|分享到|"
    r"版权所有|版權所有|版权声明|版權聲明|本文为作者|本文為作者|本网站之|本網站之|未经授权|未經授權|"
    r"转载请|轉載請|当前位置|當前位置|您的位置|您现在的位置|"
    r"点击图片放大|點擊圖片放大|點圖放大|点击查看大图|點擊查看大圖|点击上方|點擊上方|"
    r"关注我们|關注我們|"
    # A picture's caption under it; a bullet point ends its sentence.
    r"[▲△][^。；;]*$|"
    r"copyright|©|all rights reserved|advertisement|sponsored content|read more:|see also:|"
    r"share this|share on|previous post|next post|"
    r"(?:编辑|編輯|责编|責編|审核|審核|校对|校對|分享|字体|字體|字级|字級|广告|廣告|推广|推廣|赞助|贊助|"
    r"本文来源|本文來源|文章来源|文章來源|稿件来源|稿件來源|"
    r"related|photo|sign up|subscribe)\s*[:：|｜]"
    r"|(?:广告|廣告|推广|推廣|advertisement|ad|打印|列印|关闭|關閉|收藏|资料图片?|資料圖片?|"
    r"阅读原文|閱讀原文|赞赏|讚賞|在看|-*\s*end\s*-*)\s*$"
    r"|(?:请?继续往下阅读|請?繼續往下閱讀|继续阅读|繼續閱讀|阅读全文|閱讀全文|展开全文|展開全文)"
    r"[\s.…>»]*$"
    r")",
    re.IGNORECASE,
)
# Wording that marks a short line as boilerplate wherever it stands in the line.
_BOILERPLATE_ANYWHERE = re.compile(
    r"版权所有|版權所有|不得转载|不得轉載|all rights reserved|ICP备|ICP證|ICP证|"
    r"责任编辑|責任編輯|打印本页|列印本頁|关闭窗口|關閉視窗|扫一扫|掃一掃|扫描二维码|掃描二維碼|"
    r"识别二维码|識別二維碼|长按二维码|長按二維碼|扫码关注|掃碼關注|"
    r"关注该公众号|關注該公眾號|点个在看|點個在看|欢迎关注|歡迎關注|"
    # An app or home-page promo: "打开凤凰新闻，查看更多高清图片", "返回搜狐，查看更多".
    r"(?:打开|打開|下载|下載|返回)[^，,。]{1,12}[，,]\s*(?:查看|閱讀|阅读)更多|"
    r"(?:登入|登录|登錄|订阅|訂閱|付费|付費)\S{0,8}(?:阅读|閱讀)全文|"
    # A picture's credit closing a short line: "（新华社记者张三摄）", "（資料圖片／陳嘉文攝）".
    r"[（(][^（）()]{0,24}(?:摄|攝|供图|供圖|图片|圖片|资料图|資料圖)[^（）()]{0,16}[)）]$|"
    r"follow (?:us|[\w ]{1,30}) on (?:facebook|twitter|x|instagram|weibo|wechat)",
    re.IGNORECASE,
)
# Lines longer than this are text, whatever they start with.
_SHORT_LINE = 80
# A publisher's disclaimer runs longer than a boilerplate line, and says what it is.
_DISCLAIMER = re.compile(
    r"^[\s【\[（(]*(?:特别|特別)(?:声明|聲明)|免责声明|免責聲明|系转载自|係轉載自|"
    r"仅代表作者(?:本人)?观点|僅代表作者(?:本人)?觀點|不构成投资建议|不構成投資建議|"
    r"登载此文出于传递更多信息|登載此文出於傳遞更多信息"
)
_DISCLAIMER_LINE = 240
# Block elements, and the inline ones that wrap a whole line ("<i>Follow us on Facebook</i>").
_BLOCKS = (
    "p", "div", "li", "ul", "ol", "dl", "table", "tr", "td", "section", "center",
    "span", "i", "em", "b", "strong", "font", "small",
)  # fmt: skip
_LINK_DENSE = 0.5
_LINK_LIST = 0.8
_LIST_BLOCKS = frozenset({"ul", "ol", "p", "div", "td"})


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _chars(text: str | None) -> int:
    return len("".join(text.split())) if text else 0


class _Sizes:
    """Per element: its text and link-text length (spaces not counted), its number of links,
    and whether it holds the headline or an ``<article>``.

    Measured bottom-up in one walk, so no filter re-reads a subtree per element: on a page of
    thousands of labels or nested boxes the filters stay linear. Removals make ancestors'
    figures stale, which the filters tolerate; each filter measures afresh.
    """

    def __init__(self, root: Element) -> None:
        self.chars: dict[Element, int] = {}
        self.links: dict[Element, int] = {}
        self.anchors: dict[Element, int] = {}
        self.holds_title: set[Element] = set()
        for _, element in lxml.etree.iterwalk(root, events=("end",)):
            chars = _chars(element.text)
            links = anchors = 0
            title = element.tag in ("h1", "article", "main")
            for child in element:
                chars += self.chars.get(child, 0) + _chars(child.tail)
                links += self.links.get(child, 0)
                anchors += self.anchors.get(child, 0)
                title = title or child in self.holds_title
            if element.tag == "a":
                links, anchors = chars, anchors + 1
            self.chars[element], self.links[element] = chars, links
            self.anchors[element] = anchors
            if title:
                self.holds_title.add(element)
        self.page = self.chars.get(root, 0)

    def guarded(self, element: Element) -> bool:
        """True for an element that holds the article: the headline or most of the text."""
        if element.tag in ("html", "body") or element in self.holds_title:
            return True
        return self.page > 0 and self.chars.get(element, 0) > 0.5 * self.page

    def link_dense(self, element: Element, share: float = _LINK_DENSE) -> bool:
        chars = self.chars.get(element, 0)
        return chars > 0 and self.links.get(element, 0) >= share * chars


def _elements(root: Element, *tags: str) -> list[Element]:
    """Elements (no comments or processing instructions) in document order."""
    return [element for element in root.iter(*tags) if isinstance(element.tag, str)]


def _remove(element: Element) -> None:
    """Empty ``element`` and make it an inline ``<span>``; the text after it stays.

    lxml's ``drop_tree`` appends the tail to the previous sibling's, which grows one string
    quadratically when thousands of siblings go; an empty span costs nothing downstream.
    """
    if element.getparent() is not None:
        element.clear(keep_tail=True)
        element.tag = "span"


def drop_chrome(root: Element) -> None:
    """Remove navigation, sidebars, footers, share bars, ads and comments by tag and class/id."""
    for element in _elements(root, *_CHROME_TAGS):
        _remove(element)
    sizes = _Sizes(root)
    for element in _elements(root, "header"):
        if element not in sizes.holds_title:
            _remove(element)
    for element in _elements(root):
        names = f"{element.get('class', '')} {element.get('id', '')}"
        if names != " " and _CHROME_WORD.search(names) and not sizes.guarded(element):
            _remove(element)


def drop_sections(root: Element) -> None:
    """Remove labelled sections: comments whole, link lists with their label."""
    sizes = _Sizes(root)
    for element in _elements(root):
        chars = sizes.chars.get(element, 0)
        if not chars or chars > _LABEL_CHARS or len(element) > 2 or element.getparent() is None:
            continue
        text = _text(element)
        comments = _COMMENTS_LABEL.match(text) is not None
        if not comments and _LINKS_LABEL.match(text) is None:
            continue
        label = element
        # Climb while the parent says nothing more than the label.
        while label.getparent() is not None and sizes.chars.get(label.getparent()) == chars:
            label = label.getparent()
        parent = label.getparent()
        if parent is None:
            continue
        rest = sizes.chars.get(parent, 0) - chars
        whole = comments or (rest > 0 and sizes.links.get(parent, 0) >= _LINK_DENSE * rest)
        if whole and not sizes.guarded(parent):
            _remove(parent)
            continue
        sibling = label.getnext()
        _remove(label)
        while sibling is not None and sizes.link_dense(sibling):
            following = sibling.getnext()
            _remove(sibling)
            sibling = following


def drop_lines(root: Element) -> None:
    """Remove short blocks that are boilerplate by wording, and link lists among the text."""
    sizes = _Sizes(root)
    for element in _elements(root, *_BLOCKS):
        chars = sizes.chars.get(element, 0)
        if not chars or element.getparent() is None:
            continue
        # A disclaimer's length is a short article's: one that holds the text stays.
        line = chars <= _SHORT_LINE or (chars <= _DISCLAIMER_LINE and not sizes.guarded(element))
        boilerplate = line and _is_boilerplate_line(_text(element), chars)
        if boilerplate or _is_link_list(element, sizes):
            _remove(element)


def _is_link_list(element: Element, sizes: _Sizes) -> bool:
    """Mostly links: a "read more" line, or a list of headlines."""
    if element.tag not in _LIST_BLOCKS or not sizes.link_dense(element, _LINK_LIST):
        return False
    return sizes.anchors.get(element, 0) >= 2 or sizes.chars.get(element, 0) <= _SHORT_LINE


def _is_boilerplate_line(text: str, chars: int) -> bool:
    if _DISCLAIMER.search(text):
        return True
    short = chars <= _SHORT_LINE
    return short and bool(_BOILERPLATE_LINE.match(text) or _BOILERPLATE_ANYWHERE.search(text))


def prune(root: Element) -> None:
    """All the filters, in the order that keeps labels next to what they label."""
    drop_chrome(root)
    drop_sections(root)
    drop_lines(root)
