"""What works on every screen: as-of, the palette, help, themes, language, live refresh."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from textual.command import CommandPalette

from tests.tui.conftest import settle, type_text
from tests.tui.story import TODAY
from tracker.desk.bootstrap import Desk
from tui.banso_app import BansoApp, make_app
from tui.forms.as_of import AsOfForm
from tui.screens.case import CaseScreen
from tui.screens.help import HelpScreen
from tui.screens.municipality import MunicipalityScreen
from tui.widgets.record_table import RecordTable

BANSO = str(Path(sys.executable).with_name("banso"))


def rows(app: BansoApp, selector: str) -> list[tuple[str, ...]]:
    return [row.cells for row in app.screen.query_one(selector, RecordTable).rows]


async def test_an_as_of_date_shows_every_view_as_it_stood_and_stops_recording(
    app: BansoApp,
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert len(rows(app, "#stalled")) > 0
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, AsOfForm)
        await type_text(pilot, "2025-12-31")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.as_of == date(2025, 12, 31)
        assert rows(app, "#stalled") == [], "nothing had stalled yet on that day"
        assert "過去の表示" in str(app.screen.query_one("#as-of").render())

        app.open_case("2025-005")  # opened 2026-01-20: not yet there
        await settle(pilot)
        assert app.screen.case is None
        app.pop_screen()
        app.open_case("2025-003")
        await settle(pilot)
        assert app.screen.case["stalls"] == []
        assert app.screen.check_action("act", ("note",)) is None, "shown, but off"
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen), "no form opens on a past day"

        await pilot.press("ctrl+d", "ctrl+r")
        await settle(pilot)
        assert app.as_of is None
        assert app.screen.case["stalls"][0]["rule"] == "follow-up-overdue"


async def test_the_palette_jumps_to_a_municipality_by_kana_and_a_case_by_number(
    app: BansoApp,
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "おがの")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MunicipalityScreen) and app.screen.code == "113654"

        await pilot.press("ctrl+p")
        await type_text(pilot, "2025-007")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen) and app.screen.case["case"] == "2025-007"


async def test_the_palette_runs_the_actions_of_the_screen_underneath(app: BansoApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_case("2025-007")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "派遣決定")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "DispatchForm"


async def test_help_lists_the_keys_of_the_screen_in_japanese(app: BansoApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_case("2025-005")
        await settle(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        keys = dict(app.screen.keys)
        assert keys["a"] == "派遣申請" and keys["v"] == "支援報告"
        assert "r" not in keys, "reopening an open case is not offered"
        await pilot.press("escape")
        assert isinstance(app.screen, CaseScreen)


async def test_the_theme_switches_between_light_and_dark(app: BansoApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.theme == "banso-light" and not app.current_theme.dark


async def test_english_is_there_when_asked_for(desk: Desk) -> None:
    app = make_app(desk, lang="en", today=TODAY, live_seconds=None, blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#stalled-panel").border_title == "Stalled cases: 5"
        group = rows(app, "#stalled")[0][0]
        assert group == "decision overdue (1)"


async def test_a_record_made_by_another_process_shows_within_two_seconds_keeping_the_cursor(
    desk: Desk, store: Path
) -> None:
    app = make_app(desk, today=TODAY, live_seconds=0.5, blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_case("2025-005")
        await settle(pilot)
        history = app.screen.query_one("#history", RecordTable)
        await pilot.press("down")
        kept = history.current_row.key
        before = history.row_count
        env = {**os.environ, "BANSO_STORE": str(store), "BANSO_USER": "other"}
        subprocess.run(
            [BANSO, "case", "note", "2025-005", "別の端末から記録", "--on", "2026-03-16"],
            check=True,
            env=env,
            capture_output=True,
        )
        for _ in range(40):  # up to two seconds
            await pilot.pause(0.05)
            if history.row_count > before:
                break
        assert history.row_count == before + 1
        assert history.rows[0].cells[3] == "別の端末から記録"  # No., date, kind, text
        assert history.current_row.key == kept, "the cursor stays on its row"
