"""Experts rotating in the TUI: who should go (the dispatch form ranks them), a case handed
over (h), an expert retiring with every open case handed on (x), the due-soon panel and
the settings (ctrl+o)."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Select, SelectionList
from textual.widgets.select import InvalidSelectValueError

from tests.tui.conftest import on_screen, open_case, settle
from tests.tui.story import TODAY
from tracker.desk.bootstrap import Desk
from tui.banso_app import BansoApp
from tui.forms.case_steps import DispatchForm
from tui.forms.rotation import HandOverForm, ReassignForm
from tui.screens.case import CaseScreen
from tui.screens.expert import ExpertScreen
from tui.screens.settings import SettingsScreen


async def test_the_dispatch_form_puts_who_already_supported_the_municipality_first(
    app: BansoApp, desk: Desk
) -> None:
    desk.app.apply_for_dispatch("2025-005", on=TODAY)  # 川口市, topic C, E002 on it
    desk.refresh()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_case(app, pilot, "2025-005")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DispatchForm)
        picker = app.screen.query_one(SelectionList)
        labels = [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]
        assert [re.search(r"E\d+", label)[0] for label in labels] == ["E002", "E001", "E003"]
        assert labels[0].startswith("★ E002 鈴木花子")
        assert "↺ 川口市を支援（訪問 2回・案件 1件、最終 2025-09-10）" in labels[1]


async def test_h_hands_a_case_from_its_expert_to_one_ranked_for_it(app: BansoApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_case(app, pilot, "2025-005")
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, ReassignForm)
        assert app.screen.query_one("#leaving", Select).value == "E002"
        taking = app.screen.query_one("#taking", Select)
        with pytest.raises(InvalidSelectValueError):  # who hands over is not offered
            taking.value = "E002"
        taking.value = "E001"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert [e["id"] for e in app.screen.case["experts"]] == ["E001"]
        assert "担当替え" in on_screen(app)


async def test_x_retires_an_expert_handing_every_open_case_to_another_at_once(
    app: BansoApp, desk: Desk
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_expert("E002")
        await settle(pilot)
        assert isinstance(app.screen, ExpertScreen)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, HandOverForm)
        app.screen.query_one("#taking", Select).value = "E003"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ExpertScreen)
    experts = {e["expert"]: e for e in app.reader.experts(None)}
    assert experts["E002"]["retired"] and experts["E002"]["open_cases"] == 0
    assert [c["case"] for c in app.reader.open_cases_of("E003", None)] == [
        "2025-003",
        "2025-005",
        "2025-006",
    ]


async def test_the_dashboard_lists_what_comes_due_and_ctrl_o_shows_the_settings(
    app: BansoApp, desk: Desk
) -> None:
    desk.app.change_setting("rules.decision-overdue.days", "12", on=TODAY)
    desk.refresh()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = on_screen(app)
        assert "期限間近（10開庁日以内）2件" in screen
        assert "フォローアップ" in screen and "派遣決定" in screen
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        shown = on_screen(app)
        assert "rules.decision-overdue.days" in shown and f"12  {TODAY.isoformat()} から" in shown
        assert "開庁日" in shown and "banso config set" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, SettingsScreen)
