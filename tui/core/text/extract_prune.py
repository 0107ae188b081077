"""Boilerplate removal on a parsed page, before and after the extraction library runs.

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

# lxml has no type hints: elements are Any here.
Element = Any

_CHROME_TAGS = ("nav", "aside", "footer", "form", "iframe", "button", "select", "textarea", "menu")

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
    r"copyright\w*|disclaimer|statement|"
    r"widget\w*|sidebar|side-col|sidebox|topbar|masthead|site-header|site-footer|footer\w*"
    r")(?:$|[\s_-])",
    re.IGNORECASE,
)

# A label that opens a list of links which is not the article: the label and the links go.
_LINKS_LABEL = re.compile(
    r"^[\s【\[（(]*(?:"
    r"相关阅读|相關閱讀|相关新闻|相關新聞|相关文章|相關文章|相关报道|相關報導|延伸阅读|延伸閱讀|"
    r"推荐阅读|推薦閱讀|热门推荐|熱門推薦|热门新闻|熱門新聞|热门文章|熱門文章|猜你喜欢|猜你喜歡|"
    r"为你推荐|為你推薦|精彩推荐|精彩推薦|排行榜|点击排行|點擊排行|相关标签|相關標籤|图片新闻|圖片新聞|"
    r"related(?: stories| articles| coverage| posts| content| links)?|read more|more from [\w ]+|"
    r"you might also like|you may also like|recommended(?: for you)?|most read|most popular|"
    r"trending|more stories|latest news|share this(?: article)?"
    r")[\s】\]）):：]*$",
    re.IGNORECASE,
)
# A label that opens comments: the whole section it heads goes.
_COMMENTS_LABEL = re.compile(
    r"^[\s【\[]*(?:网友评论|網友評論|全部评论|全部評論|最新评论|最新評論|热门评论|熱門評論|"
    r"留言区|留言區|读者留言|讀者留言|发表评论|發表評論|评论|評論|"
    r"comments?|\d+ comments?|\d+ thoughts on|leave a (?:reply|comment)|join the discussion)",
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
    r"copyright|©|all rights reserved|advertisement|sponsored content|read more:|see also:|"
    r"share this|share on|previous post|next post|"
    r"(?:编辑|編輯|审核|審核|校对|校對|分享|字体|字體|字级|字級|广告|廣告|推广|推廣|赞助|贊助|"
    r"related|photo|sign up|subscribe)\s*[:：]"
    r"|(?:广告|廣告|推广|推廣|advertisement|ad|打印|列印|关闭|關閉|收藏)\s*$"
    r")",
    re.IGNORECASE,
)
_COPYRIGHT_ANYWHERE = re.compile(
    r"版权所有|版權所有|不得转载|不得轉載|all rights reserved|ICP备|ICP證|ICP证", re.IGNORECASE
)
# Lines longer than this are text, whatever they start with.
_SHORT_LINE = 80
_BLOCKS = ("p", "div", "li", "ul", "ol", "dl", "table", "tr", "td", "section", "span", "center")
_LINK_DENSE = 0.5


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _link_chars(element: Element) -> int:
    return sum(len(_text(link)) for link in element.iter("a"))


def _remove(element: Element) -> None:
    """Drop ``element`` but keep the text that follows it inside its parent."""
    if element.getparent() is not None:
        element.drop_tree()


def _is_guarded(element: Element, page_chars: int) -> bool:
    """True for an element that holds the article: the page title or most of the text."""
    if element.tag in ("html", "body", "article", "main"):
        return True
    if element.find(".//h1") is not None or element.find(".//article") is not None:
        return True
    return page_chars > 0 and len(_text(element)) > 0.5 * page_chars


def drop_chrome(root: Element) -> None:
    """Remove navigation, sidebars, footers, share bars, ads and comments by tag and class/id."""
    for tag in _CHROME_TAGS:
        for element in list(root.iter(tag)):
            _remove(element)
    for element in list(root.iter("header")):
        if element.find(".//h1") is None:
            _remove(element)
    page_chars = len(_text(root))
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        names = f"{element.get('class', '')} {element.get('id', '')}"
        if _CHROME_WORD.search(names) and not _is_guarded(element, page_chars):
            _remove(element)


def drop_sections(root: Element) -> None:
    """Remove labelled sections: comments whole, link lists with their label."""
    page_chars = len(_text(root))
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None or len(element) > 2:
            continue
        text = _text(element)
        if not text or len(text) > _LABEL_CHARS:
            continue
        comments = _COMMENTS_LABEL.match(text) is not None
        if not comments and _LINKS_LABEL.match(text) is None:
            continue
        label = element
        # Climb while the parent says nothing more than the label.
        while label.getparent() is not None and _text(label.getparent()) == text:
            label = label.getparent()
        parent = label.getparent()
        if parent is None:
            continue
        if comments and not _is_guarded(parent, page_chars):
            _remove(parent)
            continue
        rest = len(_text(parent)) - len(text)
        if (
            rest > 0
            and _link_chars(parent) >= _LINK_DENSE * rest
            and not _is_guarded(parent, page_chars)
        ):
            _remove(parent)
            continue
        sibling = label.getnext()
        _remove(label)
        while sibling is not None and _is_link_dense(sibling):
            following = sibling.getnext()
            _remove(sibling)
            sibling = following


def _is_link_dense(element: Element) -> bool:
    if not isinstance(element.tag, str):
        return False
    text = _text(element)
    return bool(text) and _link_chars(element) >= _LINK_DENSE * len(text)


def drop_lines(root: Element) -> None:
    """Remove short blocks that are boilerplate by wording, and link lists among the text."""
    for element in list(root.iter(*_BLOCKS)):
        if element.getparent() is None:
            continue
        text = _text(element)
        if not text:
            continue
        if _is_boilerplate_line(text) or (
            element.tag in ("ul", "ol", "p", "div", "td") and _is_link_list(element, text)
        ):
            _remove(element)


def _is_boilerplate_line(text: str) -> bool:
    return len(text) <= _SHORT_LINE and bool(
        _BOILERPLATE_LINE.match(text) or _COPYRIGHT_ANYWHERE.search(text)
    )


def _is_link_list(element: Element, text: str) -> bool:
    """Mostly links and short: a "read more" line or a list of headlines."""
    links = list(element.iter("a"))
    if not links or _link_chars(element) < 0.8 * len(text):
        return False
    return len(links) >= 2 or len(text) <= _SHORT_LINE


def prune(root: Element) -> None:
    """All the filters, in the order that keeps labels next to what they label."""
    drop_chrome(root)
    drop_sections(root)
    drop_lines(root)
