"""The three users' paths through the TUI, driven with the keyboard (Pilot)."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import settle, type_text
from tests.tui.story import CHICHIBU, KAWAGUCHI
from tracker.desk.bootstrap import Desk
from tui.banso_app import BansoApp
from tui.forms.case_steps import FollowUpForm
from tui.forms.contacts import TransferContactForm
from tui.forms.export import ExportForm
from tui.screens.case import CaseScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.municipality import MunicipalityScreen
from tui.widgets.entry import Entry
from tui.widgets.record_table import RecordTable


def stalled_cases(app: BansoApp) -> set[str]:
    table = app.screen.query_one("#stalled", RecordTable)
    return {row.data["case"] for row in table.rows if row.data}


async def test_secretariat_schedules_a_stalled_cases_follow_up_and_it_leaves_the_list(
    app: BansoApp, desk: Desk
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "2025-005" in stalled_cases(app)

        table = app.screen.query_one("#stalled", RecordTable)
        while table.current_row.data["case"] != "2025-005":
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.case["case"] == "2025-005"

        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpForm)
        await type_text(pilot, "2026-03-30")
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert isinstance(app.screen, CaseScreen)
        assert app.screen.case["next_follow_up"] == "2026-03-30"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "2025-005" not in stalled_cases(app)
        due = app.screen.query_one("#due", RecordTable)
        assert "2025-005" in {row.data["case"] for row in due.rows}


async def test_expert_finds_a_municipality_by_kana_and_reads_its_timeline(app: BansoApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await type_text(pilot, "ちちぶ")
        table = app.screen.query_one(RecordTable)
        assert [row.key for row in table.rows] == [CHICHIBU, "113697"]

        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MunicipalityScreen)
        assert app.screen.code == CHICHIBU
        timeline = app.screen.query_one("#timeline-table", RecordTable)
        kinds = [row.cells[2] for row in timeline.rows]  # after No. and the date
        assert kinds[:2] == ["派遣申請", "相談受付"], "newest first"
        assert "アウトリーチ" in kinds and "担当者着任" in kinds


async def test_municipality_records_a_transfer_and_exports_a_briefing_with_its_commitments(
    app: BansoApp, tmp_path: Path
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await type_text(pilot, "かわぐち")
        await pilot.press("enter")  # the only match opens at once
        await settle(pilot)
        assert isinstance(app.screen, MunicipalityScreen)
        assert app.screen.code == KAWAGUCHI

        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TransferContactForm)
        await pilot.press("tab")
        await type_text(pilot, "山本大輔")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MunicipalityScreen)
        contacts = app.screen.profile["contacts"]
        assert [c["name"] for c in contacts] == ["山本大輔"]
        assert app.screen.profile["past_contacts"][0]["successor"] == "山本大輔"

        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportForm)
        target = tmp_path / "引継ぎ資料.md"
        app.screen.query_one("#path", Entry).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)

    text = target.read_text(encoding="utf-8")
    assert "引継ぎ資料: 埼玉県川口市" in text
    assert "公式アカウントの運用規程案を作る" in text, "the open next step is a commitment"
    assert "2025-005" in text and "山本大輔" in text
