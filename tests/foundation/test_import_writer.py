"""A big import into an embedded SQLite store is written by a second process, in one
transaction: the same bytes as ever when it succeeds, nothing at all when it does not."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tracker.application import backup
from tracker.application.backup import import_events
from tracker.application.chain import GENESIS
from tracker.application.commands import Banso
from tracker.application.eventsourcing_compat import chained
from tracker.domain.errors import InvalidInputError

if TYPE_CHECKING:
    from conftest import Pristine

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def exported(pristine: Pristine, tmp_path: Path) -> tuple[Path, bytes]:
    cli = pristine.copy(tmp_path / "source")
    data = cli.export(tmp_path / "backup.jsonl")
    assert data.count(b"\n") > 50
    return tmp_path / "backup.jsonl", data


@pytest.fixture(autouse=True)
def every_import_is_big(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "WRITER_BYTES", 0)
    monkeypatch.setattr(backup, "BATCH", 7)  # many batches, so the writer gets several


def stored(store: Path) -> int:
    app = Banso(str(store), user="tester")
    try:
        return app.recorder.max_notification_id() or 0
    finally:
        app.close()


def test_the_writer_process_restores_the_same_bytes(exported, tmp_path, cli_for):
    path, data = exported
    store = tmp_path / "restored.sqlite"
    app = Banso(str(store), user="tester")
    try:
        assert import_events(app, path) == data.count(b"\n")
    finally:
        app.close()
    assert cli_for(store, tmp_path).export(tmp_path / "again.jsonl") == data


def test_a_bad_last_line_leaves_nothing_and_the_store_free(exported, tmp_path):
    path, data = exported
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(data + b'{"id": 1, "originator_id": "not a uuid"}\n')
    store = tmp_path / "restored.sqlite"
    app = Banso(str(store), user="tester")
    try:
        with pytest.raises(InvalidInputError):
            import_events(app, broken)
        assert (app.recorder.max_notification_id() or 0) == 0
        assert import_events(app, path) == data.count(b"\n")  # the write lock was let go
    finally:
        app.close()


KILLED_CHILD = """
import sys, time
from pathlib import Path
from tracker.application import backup
from tracker.application.commands import Banso

backup.WRITER_BYTES, backup.BATCH = 0, 7

def halfway(done, total):
    print("halfway", flush=True)
    time.sleep(60)

backup.import_events(Banso(sys.argv[1], user="child"), Path(sys.argv[2]), progress=halfway)
"""


@pytest.mark.slow
def test_an_importer_killed_halfway_leaves_nothing(exported, tmp_path):
    path, data = exported
    store = tmp_path / "restored.sqlite"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_CHILD, str(store), str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "halfway"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    app = Banso(str(store), user="tester")
    try:  # the writer saw its importer go, rolled back and let go of the store
        assert chained(app.recorder).chain_head() == (0, GENESIS)  # its links rolled back too
        assert import_events(app, path) == data.count(b"\n")
        assert chained(app.recorder).chain_head()[0] == data.count(b"\n")
    finally:
        app.close()
    assert stored(store) == data.count(b"\n")
