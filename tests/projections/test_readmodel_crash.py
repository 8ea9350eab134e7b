"""A process killed in the middle of a catch-up leaves read models that the next catch-up
completes into exactly what an uninterrupted rebuild makes; one killed in the middle of a
rebuild (a single transaction) leaves the read models it was replacing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from eventsourcing.persistence import StoredEvent
from projections_support import (
    busy_history,
    check_fts,
    dump_all,
    events_of,
    memory_desk,
    register_reference,
)

from projections.log import EventLog
from projections.readmodels import ReadModels
from tracker.application.commands import Banso

pytestmark = pytest.mark.slow

CHILD = """
import sys, time
from projections import bulk
from projections.log import EventLog
from projections.readmodels import ReadModels
from tracker.application.commands import Banso

store, views, mode, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
app = Banso(store, user="child")
log = EventLog.of(app)
models = ReadModels(views)
if mode == "rebuild":  # one transaction: say when it is half-way, and wait there to be killed
    bulk.PROCESS_EVENTS = 0  # read in Python in a process of its own, as nationally
    def halfway(done, total):
        if 0 < done < total:
            print("halfway", flush=True)
            time.sleep(60)
    models.rebuild(log, progress=halfway)
else:
    models.catch_up(log, batch_size=size)
"""


@pytest.fixture(scope="module")
def events() -> list[StoredEvent]:
    """Some thousands of events of a busy history."""
    made = memory_desk()
    register_reference(made)
    busy_history(made, cases=1_000)
    found = events_of(made)
    made.close()
    assert len(found) > 5_000
    return found


def store_of(path: Path, events: list[StoredEvent]) -> int:
    """Append ``events`` to the SQLite store at ``path``; returns its last position."""
    app = Banso(str(path), user="tester")
    app.recorder.insert_events(events)
    last = app.recorder.max_notification_id()
    app.close()
    return int(last or 0)


@pytest.fixture
def behind(events, tmp_path) -> tuple[Path, Path, int]:
    """A store whose read models caught up with its first third, then more was recorded:
    the next catch-up applies the rest batch by batch."""
    path, views = tmp_path / "banso.sqlite", tmp_path / "banso.views.sqlite"
    third = len(events) // 3
    store_of(path, events[:third])
    caught_up(path, views)
    return path, views, store_of(path, events[third:])


@pytest.fixture
def complete(events, tmp_path) -> tuple[Path, Path, int]:
    """A store and its read models, all caught up."""
    path, views = tmp_path / "banso.sqlite", tmp_path / "banso.views.sqlite"
    last = store_of(path, events)
    caught_up(path, views)
    return path, views, last


def caught_up(store: Path, views: Path) -> None:
    app = Banso(str(store), user="tester")
    models = ReadModels(str(views))
    models.catch_up(EventLog.of(app))
    models.close()
    app.close()


def _position(views: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"{views.resolve().as_uri()}?mode=ro", uri=True, timeout=0.1)
        try:
            row = conn.execute("SELECT position FROM tracking").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:  # not made yet
        return None
    return None if row is None else int(row[0])


def _child(store: Path, views: Path, mode: str, batch_size: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store), str(views), mode, str(batch_size)],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        text=True,
    )


def _killed(child: subprocess.Popen[str]) -> None:
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL, "the child ended before it could be killed"


def kill_catch_up_midway(store: Path, views: Path, last: int, batch_size: int) -> int:
    """Start a batched catch-up in a child process and SIGKILL it once it has committed
    some batches but not all; returns the position it had reached."""
    start = _position(views) or 0
    low, high = start + batch_size * 5, start + (last - start) // 2
    child = _child(store, views, "catch-up", batch_size)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and child.poll() is None:
            seen = _position(views)
            if seen is not None and low <= seen < high:
                break
            time.sleep(0.002)
    finally:
        _killed(child)
    reached = _position(views)
    assert reached is not None and low <= reached < last
    return reached


def kill_rebuild_halfway(store: Path, views: Path) -> None:
    """Start a rebuild in a child process and SIGKILL it half-way through its transaction."""
    child = _child(store, views, "rebuild", 0)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "halfway"
    finally:
        _killed(child)


def _finish_and_compare(store: Path, views: Path, tmp_path: Path, last: int) -> None:
    app = Banso(str(store), user="tester")
    models, fresh = ReadModels(str(views)), ReadModels(str(tmp_path / "fresh.views.sqlite"))
    try:
        models.catch_up(EventLog.of(app))
        fresh.catch_up(EventLog.of(app))
        assert models.position() == fresh.position() == last
        assert dump_all(models.conn) == dump_all(fresh.conn)
        check_fts(models.conn)
    finally:
        models.close()
        fresh.close()
        app.close()


def test_a_catch_up_killed_midway_is_completed_by_the_next(behind, tmp_path):
    store, views, last = behind
    kill_catch_up_midway(store, views, last, batch_size=10)
    _finish_and_compare(store, views, tmp_path, last)


def test_a_rebuild_killed_halfway_leaves_the_read_models_it_replaced(complete, tmp_path):
    store, views, last = complete
    before = ReadModels(str(views))
    tables = dump_all(before.conn)
    before.close()
    kill_rebuild_halfway(store, views)
    after = ReadModels(str(views))
    try:
        assert after.position() == last
        assert dump_all(after.conn) == tables
        check_fts(after.conn)
        scratch = f".{views.name}.*-*.sqlite"  # the chunks read in Python, the cases folded
        assert len(list(views.parent.glob(scratch))) == 2, "the killed one's scratch files"
        app = Banso(str(store), user="tester")
        try:
            assert after.rebuild(EventLog.of(app)) == last
        finally:
            app.close()
        assert not list(views.parent.glob(scratch)), "removed by the next"
    finally:
        after.close()
    _finish_and_compare(store, views, tmp_path, last)


def test_killed_again_and_again_the_read_models_still_come_out_whole(behind, tmp_path):
    store, views, last = behind
    first = kill_catch_up_midway(store, views, last, batch_size=7)
    second = kill_catch_up_midway(store, views, last, batch_size=13)
    assert second > first
    kill_rebuild_halfway(store, views)
    assert _position(views) == second
    _finish_and_compare(store, views, tmp_path, last)
