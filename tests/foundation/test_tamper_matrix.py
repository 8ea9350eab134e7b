"""Tampering with a real SQLite store behind banso's back, as someone with the file would
(the guards dropped first: whoever can write the file can), is found by ``banso verify``,
which names the event, exits 1 with one line per problem, never shows a traceback, and
still finds it after ``banso rebuild`` made the read models from the altered log."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tracker.application.chain import GENESIS, chain_table, extend, pack, sqlite_objects
from tracker.desk.bootstrap import bootstrap
from tracker.desk.settings import Settings

if TYPE_CHECKING:
    from conftest import Cli

D = date.fromisoformat
EVENTS = "stored_events"
CHAIN = chain_table(EVENTS)
LAST_ID = 2**63 - 1


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with a whole case in it: a report, a follow-up and a note to tamper with."""
    folder = tmp_path_factory.mktemp("story") / "store"
    desk = bootstrap(Settings(store=str(folder / "banso.sqlite"), user="事務局 田中"))
    app = desk.app
    app.register_prefecture("11", on=D("2025-04-01"))
    app.register_expert("山田太郎", specialties=["B"], on=D("2025-04-01"))
    app.open_case("112038", topic="B", summary="移行計画の相談", on=D("2025-06-02"))
    app.apply_for_dispatch("2025-001", on=D("2025-06-03"))
    app.decide_dispatch("2025-001", ["E001"], on=D("2025-06-09"))
    app.report_visit("2025-001", report="移行計画を確認した", on=D("2025-06-16"))
    app.schedule_follow_up("2025-001", due=D("2025-07-01"), on=D("2025-06-16"))
    app.add_note("2025-001", "担当者から電話", on=D("2025-06-20"))
    desk.refresh()
    desk.close()
    return folder


@dataclass
class Store:
    """A copy of the story's store, opened raw as an attacker would open it."""

    cli: Cli
    db: sqlite3.Connection

    def rowid(self, kind: str) -> int:
        (found,) = self.db.execute(
            f"SELECT rowid FROM {EVENTS} WHERE topic = ?", (f"events.case:{kind}",)
        ).fetchone()
        return int(found)

    def edit_state(self, rowid: int, old: str, new: str) -> None:
        (state,) = self.db.execute(
            f"SELECT state FROM {EVENTS} WHERE rowid = ?", (rowid,)
        ).fetchone()
        assert old.encode() in state
        self.db.execute(
            f"UPDATE {EVENTS} SET state = ? WHERE rowid = ?",
            (state.replace(old.encode(), new.encode()), rowid),
        )

    def unguard(self) -> None:
        """Drop the guards: whoever can write the file can (banso puts them back on open)."""
        for name in sqlite_objects(EVENTS)[2:]:
            self.db.execute(f"DROP TRIGGER IF EXISTS {name}")

    def move(self, rowid: int, to: int) -> None:
        self.db.execute(f"UPDATE {EVENTS} SET rowid = ? WHERE rowid = ?", (to, rowid))


@pytest.fixture
def store(story: Path, tmp_path: Path, cli_for: type[Cli]) -> Any:
    shutil.copytree(story, tmp_path / "store")
    cli = cli_for(tmp_path / "store" / "banso.sqlite", tmp_path)
    raw = Store(cli, sqlite3.connect(cli.store, isolation_level=None))
    raw.unguard()
    yield raw
    raw.db.close()


#: What an attacker did -> (the finding's kind, the event it must name: its notification
#: id after the edit, and the chain position it was recorded at).
Tamper = Callable[[Store], tuple[str, int | None, int]]


def report_text(s: Store) -> tuple[str, int | None, int]:
    visit = s.rowid("VisitReported")
    s.edit_state(visit, "移行計画を確認した", "移行は不要と確認した")
    return "altered", visit, visit


def recorded_by(s: Store) -> tuple[str, int | None, int]:
    visit = s.rowid("VisitReported")
    s.edit_state(visit, '"recorded_by":"事務局 田中"', '"recorded_by":"山田太郎"')
    return "altered", visit, visit


def business_date(s: Store) -> tuple[str, int | None, int]:
    visit = s.rowid("VisitReported")
    s.edit_state(visit, '"occurred_on":"2025-06-16"', '"occurred_on":"2025-06-12"')
    return "altered", visit, visit


def topic(s: Store) -> tuple[str, int | None, int]:
    note = s.rowid("NoteAdded")
    s.db.execute(f"UPDATE {EVENTS} SET topic = 'events.case:CaseReopened' WHERE rowid = ?", (note,))
    return "altered", note, note


def deleted(s: Store) -> tuple[str, int | None, int]:
    visit = s.rowid("VisitReported")
    s.db.execute(f"DELETE FROM {EVENTS} WHERE rowid = ?", (visit,))
    return "removed", None, visit


def forged(s: Store) -> tuple[str, int | None, int]:
    note = s.rowid("NoteAdded")
    s.db.execute(
        f"INSERT INTO {EVENTS} SELECT originator_id, originator_version + 1, topic,"
        f" CAST(replace(CAST(state AS TEXT), '担当者から電話', '偽のメモ') AS BLOB)"
        f" FROM {EVENTS} WHERE rowid = ?",
        (note,),
    )
    return "inserted", note + 1, 0


def swapped(s: Store) -> tuple[str, int | None, int]:
    visit, follow_up = s.rowid("VisitReported"), s.rowid("FollowUpScheduled")
    s.move(visit, -1)
    s.move(follow_up, visit)
    s.move(-1, follow_up)
    return "reordered", follow_up, visit  # the visit, now found after the follow-up


def hidden_below(s: Store) -> tuple[str, int | None, int]:
    visit = s.rowid("VisitReported")
    s.move(visit, -7)
    return "hidden", -7, visit


def hidden_past_the_end(s: Store) -> tuple[str, int | None, int]:
    visit = s.rowid("VisitReported")
    s.move(visit, LAST_ID)  # new rows then get random ids, below the readers' position
    return "reordered", LAST_ID, visit


def chain_row_edited(s: Store) -> tuple[str, int | None, int]:
    visit = s.rowid("VisitReported")
    s.db.execute(f"UPDATE {CHAIN} SET digests = randomblob(32) WHERE position = ?", (visit,))
    return "chain_altered", visit, visit


def chain_row_deleted(s: Store) -> tuple[str, int | None, int]:
    visit = s.rowid("VisitReported")
    s.db.execute(f"DELETE FROM {CHAIN} WHERE position = ?", (visit,))
    return "unchained", visit, visit


def malformed_json(s: Store) -> tuple[str, int | None, int]:
    visit = s.rowid("VisitReported")
    s.db.execute(
        f"UPDATE {EVENTS} SET state = CAST('{{\"report\": ' AS BLOB) WHERE rowid = ?", (visit,)
    )
    return "altered", visit, visit


def wrong_types(s: Store) -> tuple[str, int | None, int]:
    visit = s.rowid("VisitReported")
    s.db.execute(f"UPDATE {EVENTS} SET state = 12345 WHERE rowid = ?", (visit,))
    return "altered", visit, visit


def text_not_utf8(s: Store) -> tuple[str, int | None, int]:
    visit = s.rowid("VisitReported")
    s.db.execute(f"UPDATE {EVENTS} SET state = CAST(X'7b22ff22' AS TEXT) WHERE rowid = ?", (visit,))
    return "altered", visit, visit


def ids_changed(s: Store) -> tuple[str, int | None, int]:
    visit = s.rowid("VisitReported")
    s.db.execute(f"UPDATE {EVENTS} SET originator_version = 'four' WHERE rowid = ?", (visit,))
    return "ids_altered", visit, visit


TAMPERING: list[Tamper] = [
    report_text,
    recorded_by,
    business_date,
    topic,
    deleted,
    forged,
    swapped,
    hidden_below,
    hidden_past_the_end,
    chain_row_edited,
    chain_row_deleted,
    malformed_json,
    wrong_types,
    text_not_utf8,
    ids_changed,
]


def assert_found(
    cli: Cli, kind: str, notification_id: int | None, position: int, *, human: bool = True
) -> None:
    """``banso verify`` exits 1, its first problem is the expected one, one line each."""
    run = cli("verify", "--json", "--lang", "en")
    assert run.code == 1, str(run)
    assert "Traceback" not in run.err and run.err == "", str(run)
    report = run.json()
    first = report["findings"][0]
    assert first["kind"] == kind, report
    if notification_id is not None:
        assert first["notification_id"] == notification_id, report
    if position:
        assert first["position"] == position, report
    if not human:
        return
    shown = cli("verify", "--lang", "en")
    assert shown.code == 1 and "Traceback" not in shown.err
    lines = shown.out.splitlines()
    assert lines[0] == f"{len(report['problems'])} problems:"
    assert lines[1 : 1 + len(report["problems"])] == report["problems"]
    if notification_id is not None:
        assert f"#{notification_id} (" in lines[1]
    assert lines[-1].startswith("chain head: ")


@pytest.mark.parametrize("tamper", TAMPERING, ids=[t.__name__ for t in TAMPERING])
def test_verify_names_the_event_tampered_with(store: Store, tamper: Tamper) -> None:
    kind, notification_id, position = tamper(store)
    assert_found(store.cli, kind, notification_id, position)


@pytest.mark.parametrize("tamper", TAMPERING, ids=[t.__name__ for t in TAMPERING])
def test_a_rebuild_from_the_altered_log_hides_nothing(store: Store, tamper: Tamper) -> None:
    kind, notification_id, position = tamper(store)
    rebuilt = store.cli("rebuild")
    assert rebuilt.code == 0 and "Traceback" not in rebuilt.err, str(rebuilt)
    assert_found(store.cli, kind, notification_id, position)


@pytest.mark.parametrize("tamper", TAMPERING, ids=[t.__name__ for t in TAMPERING])
def test_after_any_tampering_rebuild_and_questions_still_work(store: Store, tamper: Tamper) -> None:
    """The read models set aside an event they cannot apply, say which in one line, and
    answer from the rest; the rest of the case and the other municipalities still read."""
    tamper(store)
    for args in (
        ("rebuild",),
        ("case", "list"),
        ("timeline", "川口市"),
        ("muni", "show", "さいたま市"),
    ):
        run = store.cli(*args, "--lang", "en")
        assert run.code == 0 and "Traceback" not in run.err, str(run)
        if tamper in (malformed_json, wrong_types):
            assert run.err.count("\n") == 1 and run.err.startswith("Note: 1 stored events"), str(
                run
            )
            assert "banso verify" in run.err
    listed = store.cli.ok("case", "list", "--json").json()
    assert [c["case"] for c in listed] == ["2025-001"]
    if tamper in (malformed_json, wrong_types):  # recording on that case is refused, named
        noted = store.cli("case", "note", "2025-001", "電話", "--lang", "en")
        assert noted.code == 2 and "Traceback" not in noted.err, str(noted)
        assert noted.err.splitlines()[-1].startswith("Error: ") and "banso verify" in noted.err


def test_an_unaltered_copy_verifies(store: Store) -> None:
    verified = store.cli.ok("verify", "--json").json()
    assert (verified["ok"], verified["findings"], verified["events"]) == (True, [], 72)


def test_two_alterations_are_two_findings_in_log_order(store: Store) -> None:
    note, visit = store.rowid("NoteAdded"), store.rowid("VisitReported")
    store.edit_state(note, "担当者から電話", "電話はなかった")
    store.db.execute(f"DELETE FROM {EVENTS} WHERE rowid = ?", (visit,))
    report = store.cli("verify", "--json").json()
    assert [(f["kind"], f["position"]) for f in report["findings"]] == [
        ("removed", visit),
        ("altered", note),
    ]


def test_the_backup_of_an_altered_store_cannot_be_restored_silently(
    store: Store, tmp_path: Path, cli_for: type[Cli]
) -> None:
    report_text(store)
    store.cli.ok("export", "-o", str(tmp_path / "b.jsonl"))  # a backup is still made
    restored = cli_for(tmp_path / "restored" / "banso.sqlite", tmp_path)
    refused = restored("import", str(tmp_path / "b.jsonl"), "--lang", "en")
    visit = store.rowid("VisitReported")
    assert refused.code == 2 and f"b.jsonl:{visit}: its digest does not follow" in refused.err


def test_a_backup_of_a_store_with_a_damaged_chain_restores_to_the_head_kept_elsewhere(
    store: Store, tmp_path: Path, cli_for: type[Cli]
) -> None:
    kept = store.cli.ok("verify", "--json").json()["head"]
    store.unguard()
    chain_row_deleted(store)
    exported = store.cli("export", "-o", str(tmp_path / "b.jsonl"), "--lang", "en")
    assert exported.code == 0, str(exported)
    assert "events do not match the chain and were written without a digest" in exported.err
    restored = cli_for(tmp_path / "restored" / "banso.sqlite", tmp_path)
    imported = restored.ok("import", str(tmp_path / "b.jsonl"), "--lang", "en")
    assert "lines carried no digest" in imported.err
    assert restored.ok("verify", "--expect", kept, "--json").json()["expected"]["position"] == 72


# ---- a digest kept elsewhere ------------------------------------------------------------------


def test_expect_accepts_the_head_and_any_earlier_head_of_the_same_chain(store: Store) -> None:
    head = store.cli.ok("verify", "--json").json()["head"]
    assert store.cli.ok("verify", "--expect", head, "--lang", "en").out.splitlines()[-2] == (
        "the expected digest is the chain's head"
    )
    store.cli.ok("case", "note", "2025-001", "その後のメモ", "--on", "2025-06-21")
    later = store.cli.ok("verify", "--expect", head.upper(), "--json").json()
    assert later["expected"] == {"digest": head, "position": 72}
    assert later["head"] != head


def recomputed_chain(db: sqlite3.Connection) -> None:
    """Rewrite every chain row from the log as it now is: what someone who knows the
    algorithm can do to the file, which only a digest kept elsewhere reveals."""
    rows = db.execute(
        f"SELECT originator_id, originator_version, topic, state FROM {EVENTS} ORDER BY rowid"
    ).fetchall()
    db.execute(f"DELETE FROM {CHAIN}")
    db.execute(f"INSERT INTO {CHAIN} VALUES (?, ?, ?, ?)", pack(extend((0, GENESIS), rows)))


def test_a_log_rewritten_with_its_chain_fails_only_against_the_digest_kept_elsewhere(
    store: Store,
) -> None:
    kept = store.cli.ok("verify", "--json").json()["head"]
    store.unguard()
    report_text(store)
    recomputed_chain(store.db)
    store.cli.ok("rebuild")  # and the read models made again from the rewritten log
    assert store.cli.ok("verify", "--json").json()["ok"] is True  # the file alone cannot tell
    run = store.cli("verify", "--expect", kept, "--lang", "en")
    assert run.code == 1
    assert run.out.splitlines()[:2] == [
        "1 problems:",
        f"the expected digest {kept} is not in this store's chain (the log was rewritten,"
        " or the digest is another store's)",
    ]


@pytest.mark.parametrize("digest", ["abc", "g" * 64, "", "0" * 63, "0" * 65, "\x1b[31m" + "0" * 59])
def test_expect_refuses_what_is_not_a_digest_with_one_line(store: Store, digest: str) -> None:
    run = store.cli("verify", "--expect", digest)
    assert run.code == 2, str(run)
    assert len(run.err.strip().splitlines()) == 1
    assert "\x1b" not in run.err and "Traceback" not in run.err


def test_the_chain_start_record_removed_is_a_finding(store: Store) -> None:
    store.db.execute(f"DELETE FROM {EVENTS}_chain_started")
    run = store.cli("verify", "--json")
    assert run.code == 1
    assert any("how the chain began was removed" in p for p in run.json()["problems"])
    assert store.cli("verify", "--json").json()["events"] == 72  # not chained a second time


# ---- the same on PostgreSQL ---------------------------------------------------------------------

PG_EVENTS, PG_CHAIN = "banso_events", "banso_events_chain"


def pg_visit(db: Any) -> int:
    (found,) = db.execute(
        f"SELECT notification_id FROM {PG_EVENTS} WHERE topic = 'events.case:VisitReported'"
    ).fetchone()
    return int(found)


def pg_report_text(db: Any) -> tuple[str, int | None, int]:
    visit = pg_visit(db)
    db.execute(
        f"UPDATE {PG_EVENTS} SET state = convert_to(replace(convert_from(state, 'UTF8'),"
        " '移行計画を確認した', '移行は不要と確認した'), 'UTF8') WHERE notification_id = %s",
        (visit,),
    )
    return "altered", visit, visit


def pg_deleted(db: Any) -> tuple[str, int | None, int]:
    visit = pg_visit(db)
    db.execute(f"DELETE FROM {PG_EVENTS} WHERE notification_id = %s", (visit,))
    return "removed", None, visit


def pg_hidden(db: Any) -> tuple[str, int | None, int]:
    visit = pg_visit(db)
    db.execute(f"UPDATE {PG_EVENTS} SET notification_id = -3 WHERE notification_id = %s", (visit,))
    return "hidden", -3, visit


def pg_swapped(db: Any) -> tuple[str, int | None, int]:
    visit = pg_visit(db)
    db.execute(f"UPDATE {PG_EVENTS} SET notification_id = -1 WHERE notification_id = %s", (visit,))
    db.execute(
        f"UPDATE {PG_EVENTS} SET notification_id = %s WHERE notification_id = %s",
        (visit, visit + 1),
    )
    db.execute(
        f"UPDATE {PG_EVENTS} SET notification_id = %s WHERE notification_id = -1", (visit + 1,)
    )
    return "reordered", visit + 1, visit


def pg_chain_row_edited(db: Any) -> tuple[str, int | None, int]:
    visit = pg_visit(db)
    db.execute(f"UPDATE {PG_CHAIN} SET digests = '\\x00' WHERE position = %s", (visit,))
    return "chain_altered", visit, visit


def pg_forged(db: Any) -> tuple[str, int | None, int]:
    (forged,) = db.execute(
        f"INSERT INTO {PG_EVENTS} (originator_id, originator_version, topic, state)"
        f" SELECT originator_id, originator_version + 10, topic, state FROM {PG_EVENTS}"
        " WHERE topic = 'events.case:NoteAdded' RETURNING notification_id"
    ).fetchone()
    return "inserted", int(forged), 0


PG_TAMPERING = [
    pg_report_text,
    pg_deleted,
    pg_hidden,
    pg_swapped,
    pg_chain_row_edited,
    pg_forged,
]


@pytest.mark.postgres
@pytest.mark.parametrize("tamper", PG_TAMPERING, ids=[t.__name__ for t in PG_TAMPERING])
def test_verify_names_the_event_tampered_with_on_postgres(
    postgres_store: str, tmp_path: Path, cli_for: type[Cli], tamper: Callable[[Any], Any]
) -> None:
    import psycopg

    desk = bootstrap(
        Settings(store=postgres_store, user="事務局 田中", read_models=str(tmp_path / "v.sqlite"))
    )
    app = desk.app
    app.register_prefecture("11", on=D("2025-04-01"))
    app.register_expert("山田太郎", specialties=["B"], on=D("2025-04-01"))
    app.open_case("112038", topic="B", summary="移行計画の相談", on=D("2025-06-02"))
    app.apply_for_dispatch("2025-001", on=D("2025-06-03"))
    app.decide_dispatch("2025-001", ["E001"], on=D("2025-06-09"))
    app.report_visit("2025-001", report="移行計画を確認した", on=D("2025-06-16"))
    app.add_note("2025-001", "担当者から電話", on=D("2025-06-20"))
    desk.close()
    cli = cli_for(postgres_store, tmp_path)
    assert cli.ok("verify", "--json").json()["ok"] is True
    with psycopg.connect(postgres_store, autocommit=True) as db:
        for table in (PG_EVENTS, PG_CHAIN):  # the owner of the tables can
            db.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        kind, notification_id, position = tamper(db)
    assert_found(cli, kind, notification_id, position)
    cli.ok("rebuild")
    assert_found(cli, kind, notification_id, position, human=False)
    with (  # the guards are back
        psycopg.connect(postgres_store, autocommit=True) as db,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        db.execute(f"DELETE FROM {PG_EVENTS}")
