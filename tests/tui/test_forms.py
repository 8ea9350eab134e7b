"""Forms check as you type, speak Japanese next to the field, and never record half a thing."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Checkbox, Label, Select, SelectionList

from tests.tui.conftest import on_screen, open_case, settle, type_text
from tests.tui.story import TODAY
from tracker.desk.bootstrap import Desk
from tui.banso_app import BansoApp, make_app
from tui.forms.case_steps import DispatchForm, NoteForm, VisitForm
from tui.forms.fields import Field
from tui.forms.new_case import NewCaseForm
from tui.forms.pickers import MunicipalityPicker
from tui.screens.case import CaseScreen
from tui.words import say


def error_of(app: BansoApp, name: str) -> str:
    return str(app.screen.query_one(f"#field-{name} .field-error").render())


async def test_a_date_is_checked_as_it_is_typed(app: BansoApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_case(app, pilot, "2025-005")
        await pilot.press("f")
        await settle(pilot)
        await type_text(pilot, "2026-3-")
        assert error_of(app, "due") == say("form.date_format", "ja")
        await type_text(pilot, "1")
        assert error_of(app, "due") == "期日は予定した日以降にしてください"
        await pilot.press("backspace")
        await type_text(pilot, "20")
        assert error_of(app, "due") == ""


@pytest.mark.parametrize(
    "typed", ["R8.3.20", "令和8年3月20日", "2026/3/20", "２０２６年３月２０日"]
)
async def test_a_date_field_takes_the_date_as_the_desk_writes_it(
    app: BansoApp, desk: Desk, typed: str
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_case(app, pilot, "2025-005")
        await pilot.press("f")
        await settle(pilot)
        await type_text(pilot, typed)
        assert app.screen.query_one("#field-due", Field).value == typed
        assert error_of(app, "due") == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.case["next_follow_up"] == "2026-03-20"


async def test_an_era_date_the_era_never_had_is_refused_naming_the_era(app: BansoApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_case(app, pilot, "2025-005")
        await pilot.press("f")
        await settle(pilot)
        await type_text(pilot, "H31.5.1")
        assert "平成にない日付です" in error_of(app, "due")


async def test_an_empty_required_field_records_nothing(app: BansoApp, desk: Desk) -> None:
    before = desk.views.position()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_case(app, pilot, "2025-005")
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, NoteForm)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NoteForm), "the form stays open"
        assert error_of(app, "text") == "必須です"
    desk.refresh()
    assert desk.views.position() == before


async def test_a_refusal_of_the_domain_shows_next_to_its_field_and_records_nothing(
    app: BansoApp, desk: Desk
) -> None:
    before = desk.views.position()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_case(app, pilot, "2025-005")
        await pilot.press("m")
        await settle(pilot)
        await type_text(pilot, "電話で状況を確認")
        on = app.screen.query_one("#field-on", Field).widget
        on.value = "2026-01-01"  # before the case was opened on 2026-01-20
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NoteForm)
        assert "受付日 2026-01-20 より前です" in error_of(app, "on")
    desk.refresh()
    assert desk.views.position() == before


async def test_dispatch_lists_the_topics_specialists_first_with_their_specialties(
    app: BansoApp,
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_case(app, pilot, "2025-007")  # topic A, application pending
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DispatchForm)
        picker = app.screen.query_one(SelectionList)
        labels = [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]
        assert labels[0].startswith("★ E003 高橋誠") and "A 推進体制・計画" in labels[0]
        assert not any("E004" in label for label in labels), "a retired expert is not offered"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_of(app, "experts") == "専門人材を1人以上選んでください"
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert [e["id"] for e in app.screen.case["experts"]] == ["E003"]


async def test_a_new_case_starts_anywhere_and_finds_its_municipality_by_kana(app: BansoApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, NewCaseForm)
        await type_text(pilot, "おがの")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(MunicipalityPicker).code == "113654"
        app.screen.query_one("#field-topic", Field).widget.value = "E"
        await pilot.press("tab", "tab")
        await type_text(pilot, "後任が決まるまでの窓口を確認したい")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.case["case"] == "2025-009"
        assert app.screen.case["municipality_name"] == "小鹿野町"


async def test_a_contact_is_offered_from_the_chosen_municipality(app: BansoApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.push_screen(NewCaseForm("112038"))
        await settle(pilot)
        contact = app.screen.query_one("#contact-select", Select)
        assert contact.value == "佐藤花子"


async def test_a_topic_the_desk_registered_is_offered_beside_the_default_ones(
    app: BansoApp, desk: Desk
) -> None:
    desk.app.register_topic("J", "生成AI活用", name_en="Generative AI")
    desk.refresh()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.push_screen(NewCaseForm("112038"))
        await settle(pilot)
        app.screen.query_one("#topic-select", Select).value = "J"  # refused if not offered
        app.screen.query_one("#field-summary", Field).widget.text = "議事録の要約に生成AIを使いたい"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, NewCaseForm)
    newest = desk.views.conn.execute("SELECT topic FROM cases ORDER BY number DESC LIMIT 1")
    assert newest.fetchone() == ("J",)


# ---- what a form's date is called ------------------------------------------------------------


def label_of(app: BansoApp, name: str) -> str:
    return str(app.screen.query_one(f"#field-{name} .field-label", Label).render())


@pytest.mark.parametrize(
    ("key", "form", "label"),
    [
        ("a", "ApplyForm", "申請日"),
        ("v", "VisitForm", "実施日"),
        ("m", "NoteForm", "日付"),
        ("c", "CloseForm", "終了日"),
    ],
)
async def test_each_form_names_its_date_for_what_it_records(
    app: BansoApp, key: str, form: str, label: str
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_case(app, pilot, "2025-005")
        await pilot.press(key)
        await settle(pilot)
        assert type(app.screen).__name__ == form
        assert label_of(app, "on") == f"{label} *"


async def test_a_new_consultation_is_dated_by_the_day_it_was_received(app: BansoApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, NewCaseForm)
        assert label_of(app, "on") == "受付日 *"


# ---- ticked or not, without colour -----------------------------------------------------------


async def test_ticked_and_unticked_boxes_differ_by_their_glyph_without_colour(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under NO_COLOR every box looked ticked: Textual tells them apart by colour alone."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(desk, today=TODAY, live_seconds=None, blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_case(app, pilot, "2025-005")  # E002 supported it
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, VisitForm)
        lines = on_screen(app).splitlines()
        e002 = next(line for line in lines if "E002 鈴木花子" in line)
        e001 = next(line for line in lines if "E001 山田太郎" in line)
        online = next(line for line in lines if say("input.online", "ja") in line and "▌" in line)
        box = re.compile(r"▐(.)▌")
        assert box.search(e002).group(1) != box.search(e001).group(1), (e002, e001)
        assert box.search(online).group(1) == box.search(e001).group(1), "both unticked"

        app.screen.query_one(Checkbox).value = True
        await settle(pilot)
        lines = on_screen(app).splitlines()
        online = next(line for line in lines if say("input.online", "ja") in line and "▌" in line)
        assert box.search(online).group(1) == box.search(e002).group(1), "both ticked"
