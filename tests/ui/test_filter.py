"""``F`` filters the current list; saved queries sit in the feed pane with unread counts."""

from __future__ import annotations

from textual.widgets import Input, Label, OptionList

from tests.ui.support import (
    frozen_clock,
    started,
    wait_for,
    widget_text,
)
from tui.core.service import FeedService
from tui.ui.app import ReaderApp
from tui.ui.screens.filter import FilterScreen
from tui.ui.views import View

WIDE = (140, 40)


def titles(app: ReaderApp) -> list[str]:
    entries = app.main_screen.entry_list
    found = [entries.entry_at(i) for i in range(len(entries.ids))]
    return [entry.title for entry in found if entry is not None]


async def test_F_filters_the_list_showing_parse_errors_as_you_type(
    service: FeedService,
) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        assert len(main.entry_list.ids) == 6
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        field = app.screen.query_one(Input)
        message = app.screen.query_one("#prompt-message", Label)
        field.value = 'title =~ "(story"'
        await wait_for(pilot, lambda: "column 10: bad regular" in widget_text(message))
        await pilot.press("enter")
        assert isinstance(app.screen, FilterScreen), "a bad expression is not taken"
        field.value = 'title =~ "tech story" and title !~ "^Oldest"'
        await wait_for(pilot, lambda: "column" not in widget_text(message))
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.view.filter is not None)
        assert titles(app) == ["Newest tech story", "Older tech story"]
        status = widget_text(main.status.query_one("#status-view", Label))
        assert "filter: title" in status and "2 entries · 2 unread" in status

        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: main.view.filter is None)
        assert len(main.entry_list.ids) == 6

        # The filter narrows whichever list is shown: here a feed's.
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        app.screen.query_one(Input).value = 'feedtitle = "中文新聞"'
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.view.filter is not None)
        assert titles(app) == ["颱風逼近臺灣東部海面", "台北捷運新路線通車"]


async def test_saved_queries_in_the_feed_pane_and_saving_a_filter(
    service: FeedService,
) -> None:
    service.save_query("Chinese", 'tags # "中文"')
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        rows = main.feed_list.rows
        heading = next(i for i, row in enumerate(rows) if row.label == "Saved queries")
        assert rows[heading].view is None
        row = rows[heading + 1]
        assert (row.label, row.count) == ("Chinese", 2)
        assert row.view is not None and row.view.kind == "query"
        assert "Saved queries" in widget_text(main.feed_list)

        main.feed_list.select_view(row.view)
        await wait_for(pilot, lambda: main.view.kind == "query")
        assert titles(app) == ["颱風逼近臺灣東部海面", "台北捷運新路線通車"]

        main.entry_list.focus()
        await pilot.press("m")  # one of them read: the pane's count follows
        await wait_for(
            pilot,
            lambda: next(r.count for r in main.feed_list.rows if r.label == "Chinese") == 1,
        )

        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        app.screen.query_one(Input).value = 'title =~ "捷運"'
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.view.filter is not None)
        assert titles(app) == ["台北捷運新路線通車"]

        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: bool(app.screen.query("CommandInput")))
        app.screen.query_one("CommandInput").value = "Save filter as query"  # type: ignore[attr-defined]
        commands = app.screen.query_one("CommandList", OptionList)
        await wait_for(pilot, lambda: commands.option_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app.screen.query("#prompt-input")))
        app.screen.query_one(Input).value = "Metro"
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(r.label == "Metro" for r in main.feed_list.rows))
        assert [(q.name, q.query) for q in service.saved_queries()] == [
            ("Chinese", 'tags # "中文"'),
            ("Metro", 'title =~ "捷運"'),
        ]


async def test_tags_of_a_feed_edited_from_the_palette(service: FeedService) -> None:
    app = ReaderApp(service, clock=frozen_clock)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        main = app.main_screen
        feed = next(f for f in service.feeds() if f.title == "日本語ブログ")
        main.feed_list.select_view(View("feed", feed.url, feed.id))
        await wait_for(pilot, lambda: main.view.kind == "feed")
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: bool(app.screen.query("CommandInput")))
        app.screen.query_one("CommandInput").value = "Edit tags of this feed"  # type: ignore[attr-defined]
        commands = app.screen.query_one("CommandList", OptionList)
        await wait_for(pilot, lambda: commands.option_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app.screen.query("#prompt-input")))
        app.screen.query_one(Input).value = "日本語, travel"
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(r.label == "travel" for r in main.feed_list.rows))
        assert service.feed(feed.url).tags == ("日本語", "travel")  # type: ignore[union-attr]
        assert main.view.kind == "feed" and main.view.feed_id == feed.id
