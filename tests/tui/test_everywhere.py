"""What works on every screen: as-of, the palette, help, themes, language, live refresh."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from tests.tui.conftest import messages, on_screen, settle, type_text
from tests.tui.story import KAWAGUCHI, TODAY
from tracker.desk.bootstrap import Desk
from tracker.language.catalogue import placeholders
from tui.banso_app import BansoApp, make_app
from tui.forms.as_of import AsOfForm
from tui.screens.case import CaseScreen
from tui.screens.help import HelpScreen
from tui.screens.municipality import MunicipalityScreen
from tui.textual_compat import FooterKey
from tui.widgets.record_table import RecordTable
from tui.widgets.top_bar import SECTIONS
from tui.words import WORDS, say

BANSO = str(Path(sys.executable).with_name("banso"))


def rows(app: BansoApp, selector: str) -> list[tuple[str, ...]]:
    return [row.cells for row in app.screen.query_one(selector, RecordTable).rows]


async def test_an_as_of_date_shows_every_view_as_it_stood_and_stops_recording(
    app: BansoApp,
) -> None:
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
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
        assert "閲覧のみ" in str(app.screen.query_one("#as-of").render())

        app.open_case("2025-005")  # opened 2026-01-20: not yet there
        await settle(pilot)
        assert app.screen.case is None
        app.pop_screen()
        app.open_case("2025-003")
        await settle(pilot)
        assert app.screen.case["stalls"] == []
        assert app.screen.check_action("act", ("note",)) is False, "out of the Footer"
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen), "no form opens on a past day"
        assert messages(app) == [say("as_of.read_only", "ja")], "it says why"

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


# ---- the palette speaks the interface's language -------------------------------------------


def interface_words(lang: str) -> set[str]:
    """Every text the interface can say in ``lang`` without a value filled in, and the
    palette's "open a section"."""
    words = {WORDS.say(key, lang) for key in WORDS if not placeholders(WORDS.say(key, lang))}
    for name in SECTIONS:
        section = say(f"section.{name}", lang)
        words.add(say("palette.open_section", lang, section=section))
    return words


def palette_titles(app: BansoApp) -> list[str]:
    """The first line (the title) of every option the palette lists."""
    listed = app.screen.query_one(CommandList)
    return [
        str(listed.get_option_at_index(i).prompt).split("\n")[0] for i in range(listed.option_count)
    ]


async def in_the_filter(pilot: Pilot[None]) -> None:
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("slash")


async def on_a_case(pilot: Pilot[None]) -> None:
    pilot.app.open_case("2025-005")  # type: ignore[attr-defined]


async def on_a_municipality(pilot: Pilot[None]) -> None:
    pilot.app.open_municipality(KAWAGUCHI)  # type: ignore[attr-defined]


async def in_the_search(pilot: Pilot[None]) -> None:
    await pilot.press("6")


async def nowhere(pilot: Pilot[None]) -> None:
    pass


PALETTE_PLACES = {
    "dashboard": nowhere,
    "typing in a list's filter": in_the_filter,
    "case": on_a_case,
    "figures": lambda pilot: pilot.press("5"),
    "municipality": on_a_municipality,
    "search": in_the_search,
}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("place", list(PALETTE_PLACES))
async def test_the_palette_offers_only_words_of_the_interface_language(
    desk: Desk, place: str, lang: str
) -> None:
    """Textual's own commands (Scroll Left, Focus Next, Copy selected text..) are English."""
    app = make_app(desk, lang=lang, today=TODAY, live_seconds=None, blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await PALETTE_PLACES[place](pilot)
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await settle(pilot)
        titles = palette_titles(app)
        assert titles, "the palette lists the actions there are"
        words = interface_words(lang)
        assert [title for title in titles if title not in words] == []

        await type_text(pilot, "zqzq")
        await pilot.pause(0.8)  # longer than Textual waits before saying "No matches found"
        assert palette_titles(app) == [say("palette.nothing", lang)]


async def test_ctrl_c_says_how_to_quit_in_the_interface_language(app: BansoApp) -> None:
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert messages(app) == [say("quit.how", "ja", key="^q")]


# ---- back to today, read only on a past day -------------------------------------------------

PAST = date(2026, 3, 1)


async def in_the_help(pilot: Pilot[None]) -> None:
    await on_a_case(pilot)
    await settle(pilot)
    await pilot.press("f1")


async def in_the_export_form(pilot: Pilot[None]) -> None:
    await on_a_municipality(pilot)
    await settle(pilot)
    await pilot.press("e")


TODAY_PLACES = {
    **PALETTE_PLACES,
    "help": in_the_help,
    "a form open on a past day": in_the_export_form,
}


@pytest.mark.parametrize("place", list(TODAY_PLACES))
async def test_ctrl_r_goes_back_to_today_from_every_screen(app: BansoApp, place: str) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.as_of = PAST
        await TODAY_PLACES[place](pilot)
        await settle(pilot)
        assert app.as_of == PAST
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.as_of is None
        assert "（今日）" in on_screen(app).splitlines()[0]


def footer_keys(app: BansoApp) -> set[str]:
    return {key.key for key in app.screen.query(FooterKey) if key.display}


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_on_a_past_day_the_recording_keys_leave_and_pressing_one_says_why(
    app: BansoApp, size: tuple[int, int]
) -> None:
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        app.open_case("2025-003")  # open, a follow-up planned
        await settle(pilot)
        recording = {"a", "v", "f", "g", "m", "k", "c"}
        assert recording <= footer_keys(app), "today they are offered"

        app.as_of = PAST
        await settle(pilot)
        assert "閲覧のみ" in on_screen(app).splitlines()[0]
        assert not recording & footer_keys(app), "read only: not offered"
        assert {"u", "escape"} <= footer_keys(app), "what only reads stays"
        assert "ctrl+r" in footer_keys(app) or size[0] < 100, "back to today, where it fits"

        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen), "no form opens"
        assert messages(app) == [say("as_of.read_only", "ja")]
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert len(messages(app)) == 2, "a new case is recording too"

        await pilot.press("ctrl+r")
        await settle(pilot)
        assert recording <= footer_keys(app)


async def test_on_a_past_day_a_municipality_offers_only_what_reads(app: BansoApp) -> None:
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        app.as_of = PAST
        app.open_municipality(KAWAGUCHI)
        await settle(pilot)
        shown = footer_keys(app)
        assert not {"a", "t", "o", "p"} & shown
        assert "e" in shown, "the briefing as it stood can be exported"
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, MunicipalityScreen)
        assert messages(app) == [say("as_of.read_only", "ja")]


# ---- help ----------------------------------------------------------------------------------


async def test_help_fits_80_by_24_and_scrolls_to_its_last_line(app: BansoApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_case("2025-005")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        dialog = app.screen.query_one("#help")
        assert app.screen.region.contains_region(dialog.region), dialog.region
        text = on_screen(app)
        assert say("title.help", "ja") in text
        assert say("help.close", "ja") in text, "how to scroll and close is in view"
        last = say("help.text", "ja").strip().splitlines()[-1]
        assert last not in text, "at 80x24 the help is longer than the screen"

        await pilot.press("end")
        await settle(pilot)
        text = on_screen(app)
        assert last in text
        assert say("help.close", "ja") in text, "still in view"


async def test_quitting_and_closing_a_case_have_words_of_their_own(app: BansoApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_case("2025-005")
        await settle(pilot)
        await pilot.press("f1")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        keys = dict(help_screen.keys + help_screen.everywhere)
        close, quit_ = keys["c"], keys["^q"]
        assert close != quit_ and close not in quit_ and quit_ not in close, (close, quit_)


# ---- English -------------------------------------------------------------------------------


async def test_english_writes_english_brackets_lists_and_days(desk: Desk) -> None:
    app = make_app(desk, lang="en", today=TODAY, live_seconds=None, blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_case("2025-005")  # opened by chat, one-off for 39 days
        await settle(pilot)
        header = "\n".join(on_screen(app).splitlines()[1:8])
        assert "2026-01-20 (chat)" in header
        assert "one-off (39 days)" in header
        ours = [line for line in header.splitlines() if "Opened" in line or "Stalling" in line]
        assert len(ours) == 2 and not set("（）、") & set("".join(ours)), ours
        history = [row[3] for row in rows(app, "#history")]  # after No., date and kind
        assert any(text.startswith("(on site) ") for text in history), history
        assert not any("（on site）" in text or "（chat）" in text for text in history)


async def test_japanese_keeps_its_own_brackets(app: BansoApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_case("2025-005")
        await settle(pilot)
        header = "\n".join(on_screen(app).splitlines()[1:8])
        assert "2026-01-20（チャット）" in header
        assert "単発支援のまま（39日）" in header
