"""At first start, when nobody named who records, the TUI asks for the name once and keeps
it in the settings file, through the same code as ``banso config set user``."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.tui.conftest import settle, type_text
from tests.tui.story import TODAY
from tracker.desk.bootstrap import Desk
from tracker.desk.config import load_config
from tracker.desk.settings import Settings
from tui.banso_app import make_app
from tui.forms.case_steps import NoteForm
from tui.forms.recorder import RecorderForm
from tui.screens.dashboard import DashboardScreen


def unnamed(desk: Desk) -> Desk:
    """The desk as ``Settings.load`` leaves it when nobody named who records."""
    desk.settings = dataclasses.replace(desk.settings, user="root", user_is_login=True)
    desk.app.record_as("root")
    return desk


async def test_the_name_asked_at_first_start_records_and_is_kept(
    desk: Desk, own_settings_file: Path
) -> None:
    app = make_app(unnamed(desk), today=TODAY, live_seconds=None, blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RecorderForm)
        await type_text(pilot, "佐藤 花子")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        app.open_case("2025-005")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, NoteForm)
        await type_text(pilot, "電話で確認")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert load_config(own_settings_file).user == "佐藤 花子"
    history = desk.views.conn.execute(
        "SELECT recorded_by FROM facts WHERE kind = 'NoteAdded' ORDER BY position DESC LIMIT 1"
    ).fetchone()
    assert history == ("佐藤 花子",)
    assert Settings.load(store=desk.settings.store).user == "佐藤 花子"  # next start


async def test_escape_keeps_the_login_name_this_once_and_saves_nothing(
    desk: Desk, own_settings_file: Path
) -> None:
    app = make_app(unnamed(desk), today=TODAY, live_seconds=None, blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RecorderForm)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    assert not own_settings_file.exists()
    assert desk.app.user == "root"


async def test_a_named_recorder_is_not_asked(desk: Desk) -> None:
    app = make_app(desk, today=TODAY, live_seconds=None, blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
