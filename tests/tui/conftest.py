"""Fixtures: the story's store built once through the real application, copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.story import TODAY, tell
from tracker.desk.bootstrap import Desk, bootstrap
from tracker.desk.settings import Settings
from tui.banso_app import BansoApp, make_app
from tui.screens.case import CaseScreen
from tui.textual_compat import screen_lines


@pytest.fixture(scope="session")
def story_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding the story's store and read models, made once per session."""
    folder = tmp_path_factory.mktemp("story")
    desk = bootstrap(Settings(store=str(folder / "s.sqlite"), user="t"))
    tell(desk.app)
    desk.refresh()
    desk.close()
    return folder


@pytest.fixture
def store(story_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the story's store for one test; returns the store path."""
    for file in story_dir.iterdir():
        shutil.copy(file, tmp_path / file.name)
    return tmp_path / "s.sqlite"


@pytest.fixture
def desk(store: Path) -> Iterator[Desk]:
    found = bootstrap(Settings(store=str(store), user="t"))
    found.refresh()
    yield found
    found.close()


@pytest.fixture
def app(desk: Desk) -> BansoApp:
    """The TUI on the story's day, not polling, cursors still: what the tests drive."""
    return make_app(desk, today=TODAY, live_seconds=None, blink=False)


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every worker has answered and the screen has caught up."""
    for _ in range(200):
        await pilot.pause()
        busy = [w for w in pilot.app.workers if not w.is_finished and w.name != "live"]
        if not busy:
            break
        await pilot.pause(0.02)
    await pilot.pause()


async def open_case(app: BansoApp, pilot: Pilot[None], number: str) -> CaseScreen:
    """Open case ``number`` and wait until its screen shows it."""
    app.open_case(number)
    await settle(pilot)
    assert isinstance(app.screen, CaseScreen)
    return app.screen


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type characters one by one, as a terminal sends them after an input method."""
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


def on_screen(app: BansoApp) -> str:
    """Everything the screen on view shows, a line per terminal row."""
    return "\n".join(screen_lines(app.screen))


def messages(app: BansoApp) -> list[str]:
    """The notifications the screen on view shows (``run_test(notifications=True)``)."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]
