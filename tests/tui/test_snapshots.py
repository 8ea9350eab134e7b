"""SVG snapshots of the main screens at 120x36 and 80x24 (fixed day, still cursor, no polling).

Update after a deliberate change with ``pytest tests/tui --snapshot-update`` and look at them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import settle, type_text
from tests.tui.story import KAWAGUCHI, TODAY
from tracker.desk.bootstrap import Desk
from tui.banso_app import make_app
from tui.forms.case_steps import FollowUpForm, VisitForm
from tui.screens.case import CaseScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.experts import ExpertsScreen
from tui.screens.figures import FiguresScreen
from tui.screens.help import HelpScreen
from tui.screens.municipalities import MunicipalitiesScreen
from tui.screens.municipality import MunicipalityScreen
from tui.screens.search import PAUSE, SearchScreen
from tui.themes import LIGHT
from tui.widgets.record_table import RecordTable

SIZES = [pytest.param((120, 36), id="120x36"), pytest.param((80, 24), id="80x24")]

Steps = Callable[[Pilot[None]], Awaitable[None]]


def showing(pilot: Pilot[None], screen: type, *tables: str) -> None:
    """The app is on ``screen`` and each table named has rows (a crash or an empty
    answer must fail the test, not become the snapshot)."""
    assert isinstance(pilot.app.screen, screen), pilot.app.screen
    for selector in tables:
        assert pilot.app.screen.query_one(selector, RecordTable).row_count > 0, selector


async def dashboard(pilot: Pilot[None]) -> None:
    await settle(pilot)
    showing(pilot, DashboardScreen, "#stalled", "#due", "#silent")


async def municipalities(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    showing(pilot, MunicipalitiesScreen, "#list")


async def filtered_by_kana(pilot: Pilot[None]) -> None:
    await municipalities(pilot)
    await type_text(pilot, "ちちぶ")
    await settle(pilot)
    assert pilot.app.screen.query_one("#list", RecordTable).row_count == 2


async def timeline(pilot: Pilot[None]) -> None:
    await settle(pilot)
    pilot.app.open_municipality(KAWAGUCHI)
    await settle(pilot)
    showing(pilot, MunicipalityScreen, "#timeline-table")


async def contacts(pilot: Pilot[None]) -> None:
    await timeline(pilot)
    await pilot.press("right_square_bracket")
    await settle(pilot)
    showing(pilot, MunicipalityScreen, "#contacts-table")


async def briefing(pilot: Pilot[None]) -> None:
    await timeline(pilot)
    pilot.app.screen.query_one("#tabs").active = "briefing"
    await settle(pilot)
    await pilot.pause(0.2)
    await settle(pilot)
    assert "引継ぎ資料" in pilot.app.screen.query_one("#briefing-document").text


async def case(pilot: Pilot[None]) -> None:
    await settle(pilot)
    pilot.app.open_case("2025-005")
    await settle(pilot)
    showing(pilot, CaseScreen, "#history")


async def follow_up_form_with_an_error(pilot: Pilot[None]) -> None:
    await case(pilot)
    await pilot.press("f")
    await settle(pilot)
    await type_text(pilot, "2026-3-")
    await settle(pilot)
    showing(pilot, FollowUpForm)


async def experts(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    showing(pilot, ExpertsScreen, "#experts")


async def figures(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)
    showing(pilot, FiguresScreen, "#by-month", "#by-topic")


async def help_on_the_case(pilot: Pilot[None]) -> None:
    await case(pilot)
    await pilot.press("f1")
    await settle(pilot)
    showing(pilot, HelpScreen)


async def case_on_a_past_day(pilot: Pilot[None]) -> None:
    """Read only: the top bar says so, the recording keys are gone, ctrl+r is offered."""
    await settle(pilot)
    pilot.app.as_of = date(2026, 3, 1)  # type: ignore[attr-defined]
    pilot.app.open_case("2025-003")  # type: ignore[attr-defined]
    await settle(pilot)
    showing(pilot, CaseScreen, "#history")


async def search_as_typed(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("6")
    await settle(pilot)
    await type_text(pilot, "導入")
    await pilot.pause(PAUSE + 0.1)
    await settle(pilot)
    showing(pilot, SearchScreen, "#results")


async def visit_form(pilot: Pilot[None]) -> None:
    """One expert ticked (the case's), the others and "online" not: told apart by glyph."""
    await case(pilot)
    await pilot.press("v")
    await settle(pilot)
    showing(pilot, VisitForm)


SCREENS = [
    dashboard,
    municipalities,
    filtered_by_kana,
    timeline,
    contacts,
    briefing,
    case,
    follow_up_form_with_an_error,
    experts,
    figures,
    help_on_the_case,
    case_on_a_past_day,
    search_as_typed,
    visit_form,
]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("steps", SCREENS, ids=[s.__name__ for s in SCREENS])
def test_screen(snap_compare: Any, desk: Desk, steps: Steps, size: tuple[int, int]) -> None:
    app = make_app(desk, today=TODAY, live_seconds=None, blink=False)
    assert snap_compare(app, terminal_size=size, run_before=steps)


def test_dashboard_in_the_light_theme(snap_compare: Any, desk: Desk) -> None:
    app = make_app(desk, today=TODAY, live_seconds=None, blink=False, theme=LIGHT.name)
    assert snap_compare(app, terminal_size=(120, 36), run_before=dashboard)


def test_case_in_english(snap_compare: Any, desk: Desk) -> None:
    app = make_app(desk, lang="en", today=TODAY, live_seconds=None, blink=False)
    assert snap_compare(app, terminal_size=(120, 36), run_before=case)
