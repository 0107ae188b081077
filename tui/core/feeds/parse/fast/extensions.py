"""Element handlers of Dublin Core, iTunes and Media RSS: mostly aliases of RSS and Atom's."""

from __future__ import annotations

from tui.core.feeds.parse.fast.rss import RssElements


class ExtensionElements(RssElements):
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
