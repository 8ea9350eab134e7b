"""The event log is append-only: the database itself refuses to change or remove an event,
or to replace one by inserting over it, while banso's own writes, its conflict detection
and its retries work as before; a store made before the guards gets them on its next open."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from tracker.application.audit import audit
from tracker.application.chain import sqlite_objects
from tracker.application.commands import Banso
from tracker.desk.bootstrap import Desk

if TYPE_CHECKING:
    from conftest import Cli, Pristine

D = date.fromisoformat
EVENTS = "stored_events"

FIRST = "position = (SELECT MIN(position) FROM stored_events_chain)"  # its first block
CHANGES = {
    "update a state": "UPDATE stored_events SET state = CAST('{}' AS BLOB) WHERE rowid = 2",
    "update a topic": "UPDATE stored_events SET topic = topic || 'x' WHERE rowid = 2",
    "delete one": "DELETE FROM stored_events WHERE rowid = 2",
    "delete all": "DELETE FROM stored_events",
    "insert or replace": "INSERT OR REPLACE INTO stored_events SELECT * FROM stored_events"
    " WHERE rowid = 2",
    "replace into": "REPLACE INTO stored_events SELECT * FROM stored_events WHERE rowid = 2",
    "upsert": "INSERT INTO stored_events SELECT * FROM stored_events WHERE rowid = 2"
    " ON CONFLICT DO UPDATE SET state = CAST('{}' AS BLOB)",
    "update the chain": f"UPDATE stored_events_chain SET digests = zeroblob(32) WHERE {FIRST}",
    "delete from the chain": f"DELETE FROM stored_events_chain WHERE {FIRST}",
    "replace a chain row": "INSERT OR REPLACE INTO stored_events_chain"
    f" SELECT * FROM stored_events_chain WHERE {FIRST}",
    "restart the chain": "DELETE FROM stored_events_chain_started",
}


def table_rows(path: str) -> dict[str, list[tuple]]:
    db = sqlite3.connect(path)
    try:
        return {
            t: db.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall()
            for t in (EVENTS, f"{EVENTS}_chain", f"{EVENTS}_chain_started")
        }
    finally:
        db.close()


@pytest.mark.parametrize("sql", CHANGES.values(), ids=CHANGES.keys())
def test_the_sqlite_log_refuses_to_change_or_remove_an_event(refusal_store: Cli, sql: str) -> None:
    before = table_rows(refusal_store.store)
    db = sqlite3.connect(refusal_store.store)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute(sql)
    db.rollback()
    db.close()
    assert table_rows(refusal_store.store) == before


def test_a_save_over_a_stale_aggregate_is_still_a_conflict_and_stores_nothing(
    refusal_store: Cli,
) -> None:
    first, second = (Banso(refusal_store.store, user=u) for u in ("一人目", "二人目"))
    try:
        stale = first.case("2025-001")
        second.add_note("2025-001", "先に記録したメモ", on=D("2025-06-03"))
        stale.add_note("古い版に重ねたメモ", on=D("2025-06-03"), by="一人目")
        with pytest.raises(IntegrityError):  # what retry_on_conflict retries on
            first.save(stale)
        first.add_note("2025-001", "読み直して記録したメモ", on=D("2025-06-04"))
        notes = [
            json.loads(n.state)["text"]
            for n in first.recorder.select_events(stale.id)
            if n.topic == "events.case:NoteAdded"
        ]
        assert notes == ["先に記録したメモ", "読み直して記録したメモ"]
        assert findings_of(first) == []
    finally:
        first.close()
        second.close()


@pytest.mark.parametrize(
    "kind", ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_an_event_stored_twice_is_a_conflict_and_stores_nothing(
    kind: str, store_of: Callable[[str], str], open_desk: Callable[..., Desk]
) -> None:
    desk = open_desk(store_of(kind))
    desk.app.register_prefecture("11", on=D("2025-04-01"))
    recorder = desk.app.recorder
    first = recorder.select_notifications(start=None, limit=1)[0]
    again = StoredEvent(first.originator_id, first.originator_version, first.topic, b"{}")
    new = StoredEvent(first.originator_id, 1_000, first.topic, b"{}")
    with pytest.raises(IntegrityError):
        recorder.insert_events([new, again])  # atomic: the new one is not kept either
    assert recorder.max_notification_id() == 63
    assert recorder.select_events(first.originator_id, gt=1) == []


@pytest.mark.postgres
def test_the_postgres_log_refuses_to_change_or_remove_an_event(postgres_store: str) -> None:
    import psycopg

    app = Banso(postgres_store, user="tester")
    app.register_prefecture("11", on=D("2025-04-01"))
    app.close()
    changes = [
        "UPDATE banso_events SET state = '\\x7b7d' WHERE notification_id = 2",
        "UPDATE banso_events SET notification_id = -2 WHERE notification_id = 2",
        "DELETE FROM banso_events WHERE notification_id = 2",
        "TRUNCATE banso_events",
        "INSERT INTO banso_events SELECT * FROM banso_events WHERE notification_id = 2"
        " ON CONFLICT (originator_id, originator_version) DO UPDATE SET state = '\\x7b7d'",
        "UPDATE banso_events_chain SET digests = '\\x00'",
        "DELETE FROM banso_events_chain",
        "TRUNCATE banso_events_chain",
        "DELETE FROM banso_events_chain_started",
    ]
    with psycopg.connect(postgres_store, autocommit=True) as db:
        before = db.execute("SELECT * FROM banso_events ORDER BY notification_id").fetchall()
        for sql in changes:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                db.execute(sql)
        assert db.execute("SELECT * FROM banso_events ORDER BY notification_id").fetchall() == (
            before
        )
        # one block: the prefecture was registered in one save
        assert db.execute("SELECT first, position FROM banso_events_chain").fetchall() == [(1, 63)]


# ---- a store made before the guards and the chain ---------------------------------------------


def as_before_the_chain(path: str) -> None:
    """Take the guards and the chain away: the store as an older banso left it."""
    db = sqlite3.connect(path)
    with db:
        tables, *triggers = sqlite_objects(EVENTS)[:2], *sqlite_objects(EVENTS)[2:]
        for name in triggers:
            db.execute(f"DROP TRIGGER {name}")
        for name in tables:
            db.execute(f"DROP TABLE {name}")
    db.close()


def findings_of(app: Banso) -> list:
    log = app.recorder
    with log.audit_scan() as (rows, links):  # type: ignore[attr-defined]
        return audit(rows, links, event_at=log.event_at).findings  # type: ignore[attr-defined]


def test_an_older_store_is_guarded_and_chained_once_on_its_next_open(
    pristine: Pristine, tmp_path: Path, cli_for: type[Cli]
) -> None:
    cli = pristine.copy(tmp_path)
    n = pristine.backup.count(b"\n")
    as_before_the_chain(cli.store)
    verified = cli.ok("verify", "--json", "--lang", "en").json()
    assert (verified["ok"], verified["problems"], verified["events"]) == (True, [], n)
    assert "the chain was begun on" in verified["notes"][0]
    assert f"over the {n} events recorded before it" in verified["notes"][0]
    # chained as found, the old log has the head its backup restores to
    (tmp_path / "backup.jsonl").write_bytes(pristine.backup)
    restored = cli_for(tmp_path / "restored" / "banso.sqlite", tmp_path)
    restored.ok("import", str(tmp_path / "backup.jsonl"))
    assert restored.ok("verify", "--json").json()["head"] == verified["head"]
    # once: later opens and writes leave the chain as it was begun
    chained_once = table_rows(cli.store)
    cli.ok("case", "note", "2025-001", "チェーン以後のメモ", "--on", "2025-06-03")
    again = table_rows(cli.store)
    assert again[f"{EVENTS}_chain"][:-1] == chained_once[f"{EVENTS}_chain"]  # a block more
    assert again[f"{EVENTS}_chain"][-1][1:3] == (n + 1, n + 1)  # (its last and first position)
    assert again[f"{EVENTS}_chain_started"] == chained_once[f"{EVENTS}_chain_started"]
    later = cli.ok("verify", "--expect", verified["head"], "--json", "--lang", "en").json()
    assert later["expected"] == {"digest": verified["head"], "position": n}
    db = sqlite3.connect(cli.store)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM stored_events")
    db.close()


def test_a_guard_dropped_from_the_file_is_back_on_the_next_open(refusal_store: Cli) -> None:
    db = sqlite3.connect(refusal_store.store)
    db.execute("DROP TRIGGER stored_events_no_delete")
    db.close()
    refusal_store.ok("case", "list")
    db = sqlite3.connect(refusal_store.store)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM stored_events")
    db.close()
    app = Banso(refusal_store.store, user="tester")
    try:
        assert findings_of(app) == []
    finally:
        app.close()
