"""A big import into an embedded SQLite store is written by a second process, in one
transaction: the same bytes as ever when it succeeds, nothing at all when it does not."""

from __future__ import annotations

import io
import json
import os
import pickle
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tracker.application import backup
from tracker.application.backup import import_events
from tracker.application.chain import GENESIS
from tracker.application.commands import Banso
from tracker.application.eventsourcing_compat import chained
from tracker.application.writer import COMMIT, _serve
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
    monkeypatch.setattr(backup, "IMPORT_BATCH", 7)  # many batches, so the writer gets several


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
    db = sqlite3.connect(store)  # the guard it lifted for its own transaction is back
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("INSERT OR REPLACE INTO stored_events SELECT * FROM stored_events LIMIT 1")
    db.close()


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


def test_the_writer_process_refuses_an_edited_line_and_writes_nothing(exported, tmp_path):
    _path, data = exported
    lines = data.splitlines(keepends=True)
    edited = next(i for i, line in enumerate(lines) if b"CaseOpened" in line)
    lines[edited] = lines[edited].replace("移行計画の相談".encode(), "別の相談".encode())
    (tmp_path / "edited.jsonl").write_bytes(b"".join(lines))
    store = tmp_path / "restored.sqlite"
    app = Banso(str(store), user="tester")
    try:
        with pytest.raises(InvalidInputError) as refused:
            import_events(app, tmp_path / "edited.jsonl")
        assert refused.value.params["value"].endswith(
            f"edited.jsonl:{edited + 1}: its digest does not follow from the lines up to it"
            " (the file was altered)"
        )
        assert (app.recorder.max_notification_id() or 0) == 0
        assert chained(app.recorder).chain_head() == (0, GENESIS)
    finally:
        app.close()


def test_into_a_store_with_events_the_backups_own_chain_is_checked(exported, tmp_path):
    path, data = exported
    lines = data.splitlines(keepends=True)
    app = Banso(str(tmp_path / "restored.sqlite"), user="tester")
    try:
        app.register_prefecture("13", on=date(2025, 4, 1))  # the log's chain is not the file's
        (tmp_path / "edited.jsonl").write_bytes(
            b"".join(lines[:-1]) + lines[-1].replace(b'"resolved"', b'"referred"')
        )
        with pytest.raises(InvalidInputError) as refused:
            import_events(app, tmp_path / "edited.jsonl")
        assert f"edited.jsonl:{len(lines)}: its digest" in refused.value.params["value"]
        assert import_events(app, path) == len(lines)  # the file itself: its chain follows
        assert chained(app.recorder).chain_head()[0] == 62 + len(lines)
    finally:
        app.close()


def test_a_writer_finding_events_already_there_follows_the_backups_chain_beside(exported, tmp_path):
    """(Another process wrote between the importer's look and the writer's lock.)"""
    _path, data = exported
    lines = [json.loads(line) for line in data.splitlines()]
    store = tmp_path / "restored.sqlite"
    app = Banso(str(store), user="tester")
    app.register_prefecture("13", on=date(2025, 4, 1))
    statement = app.recorder.insert_events_statement  # type: ignore[attr-defined]
    app.close()

    def rows(edit: bool) -> bytes:
        out = []
        for i, r in enumerate(lines):
            state = json.dumps(r["state"], ensure_ascii=False, separators=(",", ":")).encode()
            if edit and i == 5:
                state = state.replace(b"2025", b"2024", 1)
            oid = r["originator_id"].replace("-", "")
            out.append((oid, r["originator_version"], r["topic"], state, r["digest"]))
        return pickle.dumps(out) + pickle.dumps(COMMIT)

    said = io.BytesIO()
    assert _serve(str(store), statement, 5, "stored_events", True, io.BytesIO(rows(True)), said)
    assert said.getvalue() == b"altered 6"
    assert stored(store) == 62  # rolled back
    said = io.BytesIO()
    assert not _serve(
        str(store), statement, 5, "stored_events", True, io.BytesIO(rows(False)), said
    )
    assert said.getvalue() == b"committed"
    app = Banso(str(store), user="tester")
    try:
        assert chained(app.recorder).chain_head()[0] == 62 + len(lines)
    finally:
        app.close()


KILLED_CHILD = """
import sys, time
from pathlib import Path
from tracker.application import backup
from tracker.application.commands import Banso

backup.WRITER_BYTES, backup.IMPORT_BATCH = 0, 7

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
    db = sqlite3.connect(store)  # the guard the writer lifted was never lifted for others
    guard = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'stored_events_no_replace'"
    assert db.execute(guard).fetchone() == (1,)
    db.close()
    app = Banso(str(store), user="tester")
    try:  # the writer saw its importer go, rolled back and let go of the store
        assert chained(app.recorder).chain_head() == (0, GENESIS)  # its links rolled back too
        assert import_events(app, path) == data.count(b"\n")
        assert chained(app.recorder).chain_head()[0] == data.count(b"\n")
    finally:
        app.close()
    assert stored(store) == data.count(b"\n")
