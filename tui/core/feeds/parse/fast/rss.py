"""Element handlers of RSS 0.9x/2.0 and RSS 1.0 (RDF): channel, item, image, textinput,
guid, category and the descriptions that turn into content."""

from __future__ import annotations

import copy
from typing import Any

from tui.core.feeds.parse.fast.atom import AtomElements
from tui.core.feeds.parse.fast.refuse import Refuse
from tui.core.feeds.parse.fast.stack import enforce_href
from tui.core.feeds.parse.fast.tables import RSS_VERSIONS


class RssElements(AtomElements):
    def _start_rss(self, attrs: dict[str, str]) -> None:
        if not self.version or not self.version.startswith("rss"):
            given = attrs.get("version", "")
            version = RSS_VERSIONS.get(given)
            self.version = version or ("rss20" if given.startswith("2.") else "rss")

    def _start_channel(self, attrs: dict[str, str]) -> None:
        self.infeed = 1
        if "lastmod" in attrs or "href" in attrs:
            raise Refuse  # CDF

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
            raise Refuse  # CDF

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

    def _start_guid(self, attrs: dict[str, str]) -> None:
        self.guidislink = attrs.get("ispermalink", "true") == "true"
        self.stack.append(("id", 1, []))

    def _end_guid(self) -> None:
        value = self.pop("id")
        self._save("guidislink", self.guidislink and "link" not in self._context())
        if self.guidislink:
            self._save("link", value)

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

    def _start_enclosure(self, attrs: dict[str, str]) -> None:
        attrs = enforce_href(attrs)
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

    def _start_content_encoded(self, attrs: dict[str, str]) -> None:
        self.has_content = 1
        self.push_content("content", attrs, "text/html", 1)

    def _start_tags(self, attrs: dict[str, str]) -> None:
        self.stack.append(("tags", 1, []))

    def _end_tags(self) -> None:
        for term in self._pop_list("tags"):
            self._add_tag(term.strip(), None, None)
