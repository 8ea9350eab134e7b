"""Search finds as one types, in a worker, and says how many it found or that it found none."""

from __future__ import annotations

from tests.tui.conftest import settle, type_text
from tui.banso_app import BansoApp
from tui.screens.search import PAUSE, SearchScreen
from tui.widgets.record_table import RecordTable
from tui.words import say


def count(app: BansoApp) -> str:
    return str(app.screen.query_one("#count").render())


def results(app: BansoApp) -> RecordTable:
    return app.screen.query_one("#results", RecordTable)


async def typing_pauses(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause(PAUSE + 0.1)
    await settle(pilot)


async def test_results_follow_the_typing_without_enter_and_say_how_many(app: BansoApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await type_text(pilot, "導入")
        await typing_pauses(pilot)
        found = results(app).row_count
        assert found >= 2
        assert all("導入" in row.cells[4] for row in results(app).rows)
        assert count(app) == say("search.results", "ja", n=found)
        assert app.screen.focused is app.screen.query_one("#query"), "the typing goes on"

        await type_text(pilot, "事例")  # 導入事例: fewer
        await typing_pauses(pilot)
        assert 0 < results(app).row_count < found
        assert all("導入事例" in row.cells[4] for row in results(app).rows)


async def test_nothing_found_says_so(app: BansoApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        await type_text(pilot, "存在しない言葉")
        await typing_pauses(pilot)
        assert results(app).row_count == 0
        assert count(app) == say("search.nothing", "ja", text="存在しない言葉")

        for _ in "存在しない言葉":
            await pilot.press("backspace")
        await typing_pauses(pilot)
        assert count(app) == "", "an empty field says nothing"


async def test_a_word_typed_quickly_is_searched_once_not_key_by_key(app: BansoApp) -> None:
    asked: list[str] = []
    search = app.reader.search

    def counted(text: str, as_of):  # type: ignore[no-untyped-def]
        asked.append(text)
        return search(text, as_of)

    app.reader.search = counted  # type: ignore[method-assign]
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        await type_text(pilot, "ガイドライン")
        await typing_pauses(pilot)
        assert asked[-1] == "ガイドライン"
        assert len(asked) < len("ガイドライン"), asked
        assert results(app).row_count > 0


async def test_enter_before_the_pause_searches_at_once_and_goes_to_the_results(
    app: BansoApp,
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        await type_text(pilot, "防災")
        await pilot.press("enter")
        await settle(pilot)
        assert results(app).row_count > 0
        assert app.screen.focused is results(app)
