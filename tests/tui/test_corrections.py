"""Correcting and withdrawing in the TUI: pick an entry of a history, correct it (e, or c on
a municipality) or withdraw it (x) in a modal form that saves with ctrl+s and records one
new event or nothing; the history then shows the entry as corrected, marked."""

from __future__ import annotations

from tests.tui.conftest import open_case, settle
from tests.tui.story import CHICHIBU
from tracker.desk.bootstrap import Desk
from tui.banso_app import BansoApp
from tui.forms.amend import CorrectForm, WithdrawForm
from tui.forms.fields import Field
from tui.screens.case import CaseScreen
from tui.screens.municipality import MunicipalityScreen
from tui.widgets.record_table import RecordTable


def kinds_recorded(desk: Desk) -> list[str]:
    return [
        n.topic.rpartition(":")[2]
        for n in desk.app.recorder.select_notifications(start=1, limit=100_000)
    ]


async def open_history(app: BansoApp, pilot, number: str) -> RecordTable:  # type: ignore[no-untyped-def]
    return (await open_case(app, pilot, number)).query_one("#history", RecordTable)


def fill(app: BansoApp, name: str, value: str) -> None:
    widget = app.screen.query_one(f"#field-{name}", Field).widget
    if hasattr(widget, "load_text"):
        widget.load_text(value)
    else:
        widget.value = value


async def test_a_report_is_corrected_from_the_case_history_and_shows_marked(
    app: BansoApp, desk: Desk
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        history = await open_history(app, pilot, "2025-005")
        assert history.current_row is not None
        assert history.current_row.data["kind"] == "commitment-made", "newest first"
        await pilot.press("down")  # the visit its next step was promised at
        assert history.current_row.data["kind"] == "visit-reported"
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, CorrectForm)
        text = app.screen.query_one("#field-text", Field)
        assert text.value == "導入事例を紹介し、運用体制を一緒に検討した", "the entry as it reads"
        fill(app, "text", "導入事例を紹介し、運用規程の骨子を一緒に検討した")
        fill(app, "reason", "報告の誤記")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await settle(pilot)
        row = app.screen.query_one("#history", RecordTable).rows[1]
        assert row.cells[3].startswith("［訂正済 #6］")
        assert "運用規程の骨子" in row.cells[3]
    assert kinds_recorded(desk)[-1] == "CaseEntryCorrected"


async def test_an_entry_is_withdrawn_with_a_reason_and_stays_readable(
    app: BansoApp, desk: Desk
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        history = await open_history(app, pilot, "2025-005")
        await pilot.press("down")  # the visit
        await settle(pilot)
        assert history.current_row is not None
        assert history.current_row.data["kind"] == "visit-reported"
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, WithdrawForm)
        await pilot.press("ctrl+s")  # no reason yet
        await settle(pilot)
        assert isinstance(app.screen, WithdrawForm), "the form stays open"
        assert str(app.screen.query_one("#field-reason .field-error").render()) == "必須です"
        fill(app, "reason", "別の案件の報告")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await settle(pilot)
        row = app.screen.query_one("#history", RecordTable).rows[1]
        assert row.cells[3].startswith("［取消 #6］"), "withdrawn, still readable"
        assert row.style == "muted"
        assert app.screen.case is not None and app.screen.case["visits"] == 0
    assert kinds_recorded(desk)[-1] == "CaseEntryWithdrawn"


async def test_a_correction_that_changes_nothing_is_refused_and_records_nothing(
    app: BansoApp, desk: Desk
) -> None:
    before = desk.views.position()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        history = await open_history(app, pilot, "2025-005")
        await pilot.press("down")
        await settle(pilot)
        assert history.current_row is not None
        assert history.current_row.data["kind"] == "visit-reported"
        await pilot.press("e")
        await settle(pilot)
        fill(app, "reason", "念のため")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CorrectForm)
        message = str(app.screen.query_one("#form-error").render())
        assert "訂正する内容がありません" in message
    desk.refresh()
    assert desk.views.position() == before


async def test_an_outreach_note_is_corrected_from_the_municipality_timeline(
    app: BansoApp, desk: Desk
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_municipality(CHICHIBU)
        await settle(pilot)
        assert isinstance(app.screen, MunicipalityScreen)
        timeline = app.screen.query_one("#timeline-table", RecordTable)
        kinds = [row.data["kind"] for row in timeline.rows]
        await pilot.press(*["down"] * kinds.index("outreach-recorded"))
        assert timeline.current_row is not None
        assert timeline.current_row.data["kind"] == "outreach-recorded"
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CorrectForm)
        fill(app, "text", "秩父地域デジタルカフェ（訂正）")
        fill(app, "reason", "名称の誤り")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MunicipalityScreen)
        await settle(pilot)
        texts = [row.cells[4] for row in timeline.rows]
        assert any(t.startswith("［訂正済") and "（訂正）" in t for t in texts)
    assert kinds_recorded(desk)[-1] == "MunicipalityEntryCorrected"


async def test_a_withdrawn_entry_cannot_be_corrected_or_withdrawn_again(
    app: BansoApp, desk: Desk
) -> None:
    desk.app.withdraw_case_entry("2025-005", 4, reason="別の案件の報告")
    desk.refresh()
    before = desk.views.position()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        history = await open_history(app, pilot, "2025-005")
        await pilot.press("down")  # below the commitment its visit made
        assert history.current_row is not None and history.current_row.data["withdrawn_by"] == 6
        assert app.screen.check_action("amend", ("correct",)) is None, "shown disabled"
        await pilot.press("e", "x")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen), "no form opens"
        await pilot.press("down")  # the dispatch decision: it can be
        assert app.screen.check_action("amend", ("correct",)) is True
    assert desk.views.position() == before
