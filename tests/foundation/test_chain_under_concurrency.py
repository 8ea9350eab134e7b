"""Slow: processes writing into one store at once (commands, and an import through the
second writer process) lose nothing, duplicate nothing, and leave one valid chain; two
processes opening a store made before the chain chain it once."""

from __future__ import annotations

import io
import multiprocessing
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tracker.application.audit import audit
from tracker.application.backup import export_events
from tracker.application.chain import sqlite_objects
from tracker.application.commands import Banso
from tracker.application.eventsourcing_compat import chained

if TYPE_CHECKING:
    from conftest import Cli, Pristine

pytestmark = pytest.mark.slow

D = date.fromisoformat
WRITERS = 4
NOTES = 25


def add_notes(store: str, worker: int) -> int:
    """``NOTES`` notes on case 2025-001 and as many cases opened (run in a pool process);
    how many events that recorded."""
    app = Banso(store, user=f"worker-{worker}")
    try:
        for n in range(NOTES):
            app.add_note("2025-001", f"{worker} の {n} 件目", on=D("2025-06-20"))
            app.open_case("114651", topic="D", summary=f"{worker}-{n}", on=D("2025-06-20"))
        return 3 * NOTES  # a note, and a case: its number claimed, then opened
    finally:
        app.close()


def import_tokyo(store: str, backup_path: str) -> int:
    """Import a backup of Tokyo's registrations through the writer process."""
    from tracker.application import backup

    backup.WRITER_BYTES, backup.IMPORT_BATCH = 0, 50  # the second process, in many batches
    app = Banso(store, user="importer")
    try:
        return backup.import_events(app, Path(backup_path))
    finally:
        app.close()


def checked(store: str) -> int:
    app = Banso(store, user="checker")
    try:
        log = chained(app.recorder)
        with log.audit_scan() as (rows, links):
            found = audit(rows, links, event_at=log.event_at)
        assert found.findings == []
        assert found.events == found.chained
        return found.chained
    finally:
        app.close()


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_writers_and_an_import_at_once_keep_one_valid_chain(
    kind: str, store_of: Callable[[str], str], tmp_path: Path, cli_for: type[Cli]
) -> None:
    store = store_of(kind)
    if kind == "sqlite":
        Path(store).parent.mkdir(parents=True)
    app = Banso(store, user="準備")
    app.register_prefecture("11", on=D("2025-04-01"))
    app.open_case("112038", topic="B", summary="相談", on=D("2025-06-02"))
    before = app.recorder.max_notification_id() or 0
    app.close()
    tokyo = Banso("memory:", user="都")
    tokyo.register_prefecture("13", on=D("2025-04-01"))
    out = io.StringIO()
    export_events(tokyo, out)
    (tmp_path / "tokyo.jsonl").write_text(out.getvalue(), encoding="utf-8")
    with multiprocessing.get_context("spawn").Pool(WRITERS) as pool:
        importing = pool.apply_async(import_tokyo, (store, str(tmp_path / "tokyo.jsonl")))
        written = pool.starmap(add_notes, [(store, w) for w in range(WRITERS - 1)])
        imported = importing.get(timeout=300)
    assert imported == out.getvalue().count("\n") == 62
    assert checked(store) == before + sum(written) + imported
    cli = cli_for(store, tmp_path)
    verified = cli.ok("verify", "--json").json()
    assert (verified["ok"], verified["events"]) == (True, before + sum(written) + imported)
    notes = cli.ok("case", "show", "2025-001", "--json").json()["history"]
    texts = sorted(h["text"] for h in notes if h.get("text") and " の " in h["text"])
    assert texts == sorted(f"{w} の {n} 件目" for w in range(WRITERS - 1) for n in range(NOTES))


def open_and_count(store: str) -> int:
    app = Banso(store, user="opener")
    try:
        return chained(app.recorder).chain_head()[0]
    finally:
        app.close()


def test_processes_opening_an_older_store_at_once_chain_it_once(
    pristine: Pristine, tmp_path: Path
) -> None:
    cli = pristine.copy(tmp_path)
    db = sqlite3.connect(cli.store)
    with db:
        names = sqlite_objects("stored_events")
        for name in names[2:]:
            db.execute(f"DROP TRIGGER {name}")
        for name in names[:2]:
            db.execute(f"DROP TABLE {name}")
    db.close()
    events = pristine.backup.count(b"\n")
    with multiprocessing.get_context("spawn").Pool(WRITERS) as pool:
        heads = pool.map(open_and_count, [cli.store] * WRITERS)
    assert heads == [events] * WRITERS
    assert checked(cli.store) == events
    db = sqlite3.connect(cli.store)
    assert db.execute("SELECT COUNT(*) FROM stored_events_chain_started").fetchone() == (1,)
    db.close()
