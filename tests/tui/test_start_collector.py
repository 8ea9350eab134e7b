"""At start the cycle collector is paused (``tui.quiet.hold_collector``), and the dashboard
ends the pause once it shows every answer, so a session never runs without it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tests.tui.conftest import settle
from tests.tui.story import TODAY
from tracker.desk.bootstrap import Desk
from tui.banso_app import make_app
from tui.quiet import hold_collector, quiet_collector


@pytest.fixture(autouse=True)
def _collector_on_after() -> Iterator[None]:
    yield
    gc.enable()


def test_the_collector_is_paused_until_released_once_whatever_is_answered_meanwhile() -> None:
    release = hold_collector()
    assert not gc.isenabled()
    with quiet_collector():  # an answer built meanwhile does not end the pause
        pass
    assert not gc.isenabled()
    release()
    assert gc.isenabled()
    release()  # a second release takes nothing from an answer being built
    with quiet_collector():
        release()
        assert not gc.isenabled()
    assert gc.isenabled()


async def test_the_dashboard_ends_the_pause_once_every_panel_shows_its_answer(
    desk: Desk,
) -> None:
    app = make_app(desk, today=TODAY, live_seconds=None, blink=False)
    app.release_collector = hold_collector()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.query_one("#figures-panel").border_title  # the last panel answered
        assert gc.isenabled()
