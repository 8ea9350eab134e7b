"""A process killed in the middle of a catch-up or a rebuild leaves read models that the next
catch-up completes into exactly what an uninterrupted rebuild makes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from projections_support import (
    busy_history,
    check_fts,
    dump_all,
    events_of,
    memory_desk,
    register_reference,
)

from projections.readmodels import ReadModels
from tracker.application import Banso

pytestmark = pytest.mark.slow

CHILD = """
import sys
from projections.readmodels import ReadModels
from tracker.application import Banso

store, views, mode, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
app = Banso(store, user="child")
models = ReadModels(views)
if mode == "rebuild":  # rebuild catches up with the default batch; make it a small one
    catch_up = ReadModels.catch_up
    ReadModels.catch_up = lambda self, source, **kw: catch_up(self, source, batch_size=size)
    models.rebuild(app)
else:
    models.catch_up(app, batch_size=size)
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> tuple[Path, int]:
    """A SQLite store of some thousands of events, and its last position."""
    made = memory_desk()
    register_reference(made)
    busy_history(made, cases=1_000)
    events = events_of(made)
    made.close()
    path = tmp_path_factory.mktemp("crash") / "banso.sqlite"
    app = Banso(str(path), user="tester")
    app.recorder.insert_events(events)
    last = app.recorder.max_notification_id()
    app.close()
    assert last == len(events) > 5_000
    return path, last


def _position(views: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"{views.resolve().as_uri()}?mode=ro", uri=True, timeout=0.1)
        try:
            row = conn.execute("SELECT position FROM tracking").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:  # not made yet, or dropped for a rebuild
        return None
    return None if row is None else int(row[0])


def kill_midway(store: Path, views: Path, mode: str, last: int, batch_size: int = 10) -> int:
    """Start a catch-up or rebuild in a child process and SIGKILL it once it has committed
    some batches but not all; returns the position it had reached."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store), str(views), mode, str(batch_size)],
        cwd=Path(__file__).resolve().parents[2],
    )
    start = 0 if mode == "rebuild" else _position(views) or 0
    low, high = start + batch_size * 5, start + (last - start) // 2
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and child.poll() is None:
            seen = _position(views)
            if seen is not None and low <= seen < high:
                os.kill(child.pid, signal.SIGKILL)
                break
            time.sleep(0.002)
    finally:
        if child.poll() is None and child.returncode is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL, "the child ended before it could be killed"
    reached = _position(views)
    assert reached is not None and low <= reached < last
    return reached


def _finish_and_compare(store: Path, views: Path, tmp_path: Path, last: int) -> None:
    app = Banso(str(store), user="tester")
    models, fresh = ReadModels(str(views)), ReadModels(str(tmp_path / "fresh.views.sqlite"))
    try:
        models.catch_up(app)
        fresh.catch_up(app)
        assert models.position() == fresh.position() == last
        assert dump_all(models.conn) == dump_all(fresh.conn)
        check_fts(models.conn)
    finally:
        models.close()
        fresh.close()
        app.close()


def test_a_catch_up_killed_midway_is_completed_by_the_next(store, tmp_path):
    path, last = store
    views = tmp_path / "banso.views.sqlite"
    kill_midway(path, views, "catch-up", last)
    _finish_and_compare(path, views, tmp_path, last)


def test_a_rebuild_killed_midway_is_completed_by_the_next_catch_up(store, tmp_path):
    path, last = store
    views = tmp_path / "banso.views.sqlite"
    app = Banso(str(path), user="tester")
    complete = ReadModels(str(views))
    complete.catch_up(app)
    complete.close()
    app.close()
    kill_midway(path, views, "rebuild", last)
    _finish_and_compare(path, views, tmp_path, last)


def test_killed_again_and_again_the_read_models_still_come_out_whole(store, tmp_path):
    path, last = store
    views = tmp_path / "banso.views.sqlite"
    first = kill_midway(path, views, "catch-up", last, batch_size=7)
    second = kill_midway(path, views, "catch-up", last, batch_size=13)
    assert second > first
    kill_midway(path, views, "rebuild", last, batch_size=11)
    _finish_and_compare(path, views, tmp_path, last)
