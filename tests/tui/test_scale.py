"""The TUI on a large store (at least 100,000 events): how fast it paints, whether it stalls.

Uses ``BANSO_TUI_SCALE_STORE`` if set (e.g. the full national demo, a million events),
else generates a tenth of the national demo (about 130,000 events). Figures are printed;
run with ``-s`` to see them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import settle, type_text
from tests.tui.probe import LagProbe, Steps
from tests.tui.terminal import BANSO, TMUX, Terminal, showing
from tracker.desk.bootstrap import Desk, bootstrap
from tracker.desk.settings import Settings
from tui.banso_app import make_app
from tui.screens.search import PAUSE
from tui.widgets.record_table import RecordTable

pytestmark = pytest.mark.slow

#: The event loop may be held at most this long (the issue's bar; printed with -s).
LAG_LIMIT = 0.100
#: What the test asserts: twice the bar, for a CI machine running two workers at once. It
#: still catches the stalls it is here for (a 50,000-row DataTable held the loop for
#: seconds, a full cycle collection over a national list for a quarter of a second).
LAG_GUARD = 2 * LAG_LIMIT


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("BANSO_TUI_SCALE_STORE")
    if given:
        return Path(given)
    from tracker.demo import generate

    path = tmp_path_factory.mktemp("big") / "s.sqlite"
    desk = bootstrap(Settings(store=str(path), user="demo"))
    generate(desk.app, scale="national", seed=1, today=date(2026, 3, 16), fraction=0.1)
    desk.refresh()
    desk.close()
    return path


@pytest.fixture
def big_desk(big_store: Path) -> Iterator[Desk]:
    desk = bootstrap(Settings(store=str(big_store), user="t"))
    desk.refresh()
    events = desk.views.position()
    assert events >= 100_000, f"only {events} events"
    yield desk
    desk.close()


def busiest(desk: Desk) -> tuple[str, str]:
    """The municipality with the longest history: its code and name."""
    code, name = desk.views.conn.execute(
        "SELECT f.municipality, m.name FROM facts f JOIN municipalities m ON m.code = f.municipality"
        " GROUP BY f.municipality ORDER BY COUNT(*) DESC LIMIT 1"
    ).fetchone()
    return code, name


@pytest.mark.skipif(TMUX is None, reason="needs tmux")
def test_cold_start_paints_the_dashboard_and_a_timeline_opens_quickly(big_desk: Desk) -> None:
    code, name = busiest(big_desk)
    store = big_desk.settings.store
    term = Terminal([BANSO, "--store", store, "--user", "t", "tui"], width=120, height=36)
    try:
        term.wait_for(showing("年度の実績"), timeout=30)
        term.wait_for(lambda lines: any("件）" in line for line in lines))
        cold = time.perf_counter() - term.started  # from launching the process
        term.keys("C-p")
        term.wait_for(showing("🔎"))
        term.type(code)
        term.wait_for(showing(name))
        term.keys("Enter")
        opened = term.wait_for(
            lambda lines: any(code in line and name in line for line in lines[:3])
        )
        timeline = term.wait_for(showing("担当者着任"))
        print(
            f"\ncold start to painted dashboard: {cold:.2f} s on {big_desk.views.position():,} events"
        )
        print(f"opening {name}'s timeline: {max(opened, timeline):.2f} s")
        assert cold < 10
        assert max(opened, timeline) < 3
    finally:
        term.close()


async def typed_search(pilot: Pilot[None], text: str) -> None:
    """Type ``text`` into the search and wait for the pause that starts the search."""
    await type_text(pilot, text)
    await pilot.pause(PAUSE + 0.05)


async def test_the_event_loop_is_never_held_long_on_the_main_paths(big_desk: Desk) -> None:
    code, _ = busiest(big_desk)
    app = make_app(big_desk, live_seconds=1.0, blink=False)
    probe = LagProbe()
    async with app.run_test(size=(120, 36)) as pilot:
        probe.start()
        steps = Steps(pilot, probe)
        await steps.step("dashboard", lambda: None)
        await steps.step("municipalities", lambda: pilot.press("2"))
        await steps.step("filter by kana", lambda: type_text(pilot, "かわ"))
        await steps.step("timeline", lambda: app.open_municipality(code))
        await steps.step(
            "briefing", lambda: setattr(app.screen.query_one("#tabs"), "active", "briefing")
        )
        await steps.step("open cases", lambda: pilot.press("3"))
        await steps.step("all cases", lambda: pilot.press("s", "s"))
        await steps.step("filter cases", lambda: type_text(pilot, "生成AI"))
        # ↓ from the filter to the list: in the filter, 4 would be typed, not followed
        await steps.step("experts", lambda: pilot.press("down", "4"))
        await steps.step("figures", lambda: pilot.press("5"))
        assert type(app.screen).__name__ == "FiguresScreen"
        await steps.step("previous year", lambda: pilot.press("left_square_bracket"))
        await steps.step("search", lambda: pilot.press("6"))
        await steps.step("search as typed", lambda: typed_search(pilot, "ガイドライン"))
        found = app.screen.query_one("#results", RecordTable).row_count
        assert found > 0, "the search found what it was typed for"
        await steps.step("palette", lambda: pilot.press("ctrl+p"))
        await steps.step("palette search", lambda: type_text(pilot, "さっぽろ"))
        await pilot.pause(2.5)  # two live-refresh ticks
        await settle(pilot)
        probe.stop()
    print()
    for name, took, lag in steps.times:
        print(f"{name:16s} ready in {took * 1000:6.0f} ms, loop held at most {lag * 1000:4.0f} ms")
    worst = max(lag for _, _, lag in steps.times)
    print(f"worst hold {worst * 1000:.0f} ms (bar {LAG_LIMIT * 1000:.0f} ms)")
    assert worst < LAG_GUARD, f"the event loop was held for {worst * 1000:.0f} ms"
