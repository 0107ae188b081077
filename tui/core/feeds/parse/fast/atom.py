"""Element handlers of Atom's vocabulary (feedparser's ``_start_x``/``_end_x``), several of
which RSS and RDF share: titles, people, content, summaries, dates, links."""

from __future__ import annotations

from tui.core.feeds.parse.fast.sanitize import map_content_type, urljoin_fixed
from tui.core.feeds.parse.fast.stack import Stack, enforce_href
from tui.core.feeds.parse.fast.tables import HTML_TYPES


class AtomElements(Stack):
    def _start_feed(self, attrs: dict[str, str]) -> None:
        self.infeed = 1
        if not self.version:
            versions = {"0.1": "atom01", "0.2": "atom02", "0.3": "atom03"}
            self.version = versions.get(attrs.get("version") or "", "atom")

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

    def _start_link(self, attrs: dict[str, str]) -> None:
        attrs.setdefault("rel", "alternate")
        attrs.setdefault("type", "application/atom+xml" if attrs["rel"] == "self" else "text/html")
        context = self._context()
        attrs = enforce_href(attrs)
        if "href" in attrs:
            attrs["href"] = urljoin_fixed(self.baseuri, attrs["href"])
        expecting_text = self.infeed or self.inentry or self.insource
        context.setdefault("links", [])
        if not (self.inentry and self.inimage):
            context["links"].append(dict(attrs))
        if "href" not in attrs:
            self.stack.append(("link", expecting_text, []))
        elif attrs.get("rel") == "alternate" and map_content_type(attrs["type"]) in HTML_TYPES:
            context["link"] = attrs["href"]

    def _end_link(self) -> None:
        self.pop("link")

    def _start_title(self, attrs: dict[str, str]) -> None:
        self.push_content(
            "title", attrs, "text/plain", self.infeed or self.inentry or self.insource
        )

    def _end_title(self) -> None:
        if self.pop_content("title"):
            self.title_depth = self.depth

    def _start_info(self, attrs: dict[str, str]) -> None:
        self.push_content("info", attrs, "text/plain", 1)

    def _end_info(self) -> None:
        self.pop_content("info")

    def _start_generator(self, attrs: dict[str, str]) -> None:
        if attrs:
            attrs = enforce_href(attrs)
            if "href" in attrs:
                attrs["href"] = urljoin_fixed(self.baseuri, attrs["href"])
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

    def _start_content(self, attrs: dict[str, str]) -> None:
        self.has_content = 1
        self.push_content("content", attrs, "text/plain", 1)
        if attrs.get("src"):
            self.contentparams["src"] = attrs["src"]
        # feedparser pushes "content" twice; the second entry takes the text, the first
        # stays on the stack, and both matter for which later pops find their element.
        self.stack.append(("content", 1, []))

    def _end_content(self) -> None:
        # An empty contentparams here is a crash in feedparser: a KeyError refuses it.
        to_summary = map_content_type(self.contentparams["type"]) in {"text/plain", *HTML_TYPES}
        value = self.pop_content("content")
        if to_summary:
            self._save("summary", value)
