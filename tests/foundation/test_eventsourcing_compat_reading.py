"""What banso assumes of eventsourcing's SQLite recorder to read the log (the "reading the
log" section of tracker/application/eventsourcing_compat.py) still holds: an upgrade that
renames the attributes, changes the table's columns or stops numbering notifications by
rowid fails here, not in a rebuild."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from eventsourcing.sqlite import SQLiteApplicationRecorder

from tracker.application import eventsourcing_compat as compat
from tracker.application.commands import Banso

ON = date(2025, 4, 1)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Banso]:
    """A SQLite store with a few events of several aggregates."""
    made = Banso(str(tmp_path / "banso.sqlite"), user="tester")
    made.register_municipality("112038", "川口市", on=ON)
    made.register_expert("山田太郎", on=ON)
    made.open_case("112038", topic="B", summary="移行の相談", on=ON)
    yield made
    made.close()


def test_a_sqlite_recorder_names_its_file_and_events_table(app: Banso, tmp_path: Path) -> None:
    recorder = app.recorder
    assert isinstance(recorder, SQLiteApplicationRecorder)
    assert recorder.datastore.pool.db_name == str(tmp_path / "banso.sqlite")
    assert recorder.datastore.pool.is_sqlite_memory_mode is False
    assert compat.sqlite_log(recorder, app.mapper) == compat.SQLiteLog(
        str(tmp_path / "banso.sqlite"), recorder.events_table_name
    )


def test_the_events_table_has_the_columns_the_read_models_select(app: Banso) -> None:
    log = compat.sqlite_log(app.recorder, app.mapper)
    assert log is not None
    with sqlite3.connect(log.path) as conn:
        columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{log.table}")')]
    assert tuple(columns) == compat.EVENT_COLUMNS


def test_raw_rows_are_the_notifications_numbered_by_rowid_with_ids_as_32_hex_digits(
    app: Banso,
) -> None:
    notifications = app.recorder.select_notifications(start=1, limit=100)
    assert len(notifications) == 5  # a municipality; an expert and a case, each numbered
    assert compat.select_rows(app.recorder, 0, 100) == [
        (n.id, n.originator_id.hex, n.originator_version, n.topic, n.state) for n in notifications
    ]
    assert compat.select_rows(app.recorder, 2, 3) == compat.select_rows(app.recorder, 0, 100)[2:5]


def test_stores_sql_cannot_read_have_no_sqlite_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for store in ("memory:", ":memory:"):  # eventsourcing's POPO store; SQLite in memory
        memory = Banso(store, user="tester")
        assert compat.sqlite_log(memory.recorder, memory.mapper) is None
        memory.close()
    monkeypatch.setenv("COMPRESSOR_TOPIC", "eventsourcing.compressor:ZlibCompressor")
    compressed = Banso(str(tmp_path / "compressed.sqlite"), user="tester")
    assert compressed.mapper.compressor is not None
    assert compat.sqlite_log(compressed.recorder, compressed.mapper) is None
    compressed.register_municipality("112038", "川口市", on=ON)
    assert [row[0] for row in compat.select_rows(compressed.recorder, 0, 10)] == [1]
    compressed.close()
