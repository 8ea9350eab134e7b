"""Every way banso writes events extends one hash chain over the whole log, in the same
transaction; a backup carries the chain, so restoring it into an empty store gives the
same head, and an edited backup is refused at the line that was edited."""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from tracker.application import backup
from tracker.application.audit import Audit, audit
from tracker.application.backup import export_events, import_events
from tracker.application.chain import GENESIS, _field, link
from tracker.application.commands import Banso
from tracker.application.eventsourcing_compat import chained
from tracker.demo import generate, generator
from tracker.demo.writers import BulkWriter
from tracker.desk.bootstrap import Desk
from tracker.domain.errors import InvalidInputError

if TYPE_CHECKING:
    from conftest import Cli, Pristine

D = date.fromisoformat
STORE_KINDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def checked(app: Banso) -> Audit:
    """The chain of ``app``'s store, checked; it must have no finding."""
    log = chained(app.recorder)
    with log.audit_scan() as (rows, links):
        found = audit(rows, links, event_at=log.event_at)
    assert found.findings == []
    assert found.events == found.chained
    assert found.head == log.chain_head()[1]
    return found


def backup_of(app: Banso) -> bytes:
    out = io.StringIO()
    export_events(app, out)
    return out.getvalue().encode("utf-8")


def test_a_digest_covers_each_field_with_its_type() -> None:
    fields = ("a" * 32, 3, "events.case:NoteAdded", b'{"text":"x"}')
    digest = link(GENESIS, 1, *fields)
    # the fast path for banso's own rows is the general encoding, without the calls
    general = __import__("hashlib").sha256(GENESIS + b"1|" + b"".join(map(_field, fields)))
    assert digest == general.digest()
    changed = [
        link(GENESIS, 2, *fields),
        link(b"\0" * 32, 1, *fields),
        link(GENESIS, 1, "b" * 32, *fields[1:]),
        link(GENESIS, 1, fields[0], 4, *fields[2:]),
        link(GENESIS, 1, fields[0], "3", *fields[2:]),  # the same digits as text
        link(GENESIS, 1, *fields[:2], "events.case:NoteAddedX", fields[3]),
        link(GENESIS, 1, *fields[:3], b'{"text":"y"}'),
        link(GENESIS, 1, *fields[:3], fields[3].decode()),  # the same bytes as text
        link(GENESIS, 1, *fields[:3], None),
    ]
    assert len({digest, *changed}) == len(changed) + 1


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_commands_chain_every_event_on_every_store(
    kind: str, store_of: Callable[[str], str], open_desk: Callable[..., Desk]
) -> None:
    app = open_desk(store_of(kind)).app
    app.register_prefecture("11", on=D("2025-04-01"))
    app.register_expert("山田太郎", on=D("2025-04-01"))
    app.open_case("112038", topic="B", summary="相談", on=D("2025-06-02"))
    app.add_note("2025-001", "メモ", on=D("2025-06-03"))
    found = checked(app)
    assert found.chained == app.recorder.max_notification_id() == 63 + 2 + 2 + 1


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_a_backup_restored_into_an_empty_store_has_the_same_head(
    kind: str,
    pristine: Pristine,
    tmp_path: Path,
    store_of: Callable[[str], str],
    open_desk: Callable[..., Desk],
) -> None:
    (tmp_path / "backup.jsonl").write_bytes(pristine.backup)
    source = open_desk(pristine.copy(tmp_path).store).app
    restored = open_desk(store_of(kind)).app
    assert import_events(restored, tmp_path / "backup.jsonl") == pristine.backup.count(b"\n")
    assert checked(restored).head == checked(source).head
    assert backup_of(restored) == pristine.backup


def test_every_line_of_a_backup_carries_its_digest(pristine: Pristine) -> None:
    lines = [json.loads(line) for line in pristine.backup.splitlines()]
    previous = GENESIS
    for position, line in enumerate(lines, start=1):
        state = json.dumps(line["state"], ensure_ascii=False, separators=(",", ":")).encode()
        oid = line["originator_id"].replace("-", "")
        previous = link(previous, position, oid, line["originator_version"], line["topic"], state)
        assert line["digest"] == previous.hex()


def test_export_prints_the_head_that_verify_prints(refusal_store: Cli, tmp_path: Path) -> None:
    exported = refusal_store.ok("export", "-o", str(tmp_path / "b.jsonl"), "--json").json()
    verified = refusal_store.ok("verify", "--json").json()
    assert exported["head"] == verified["head"]
    assert exported["unmatched"] == 0
    text = refusal_store.ok("export", "-o", str(tmp_path / "b.jsonl"), "--lang", "en")
    assert (
        text.out.splitlines()[-1] == f"chain head: {verified['head']} ({exported['events']} events)"
    )


def warnings(err: str) -> list[str]:
    """What a command said on stderr, without the note that it made a new store."""
    return [line for line in err.strip().splitlines() if not line.startswith("Created the store")]


def test_a_backup_edited_in_one_line_is_refused_at_that_line(
    pristine: Pristine, cli: Cli, tmp_path: Path
) -> None:
    lines = pristine.backup.splitlines(keepends=True)
    edited = next(i for i, line in enumerate(lines) if b"CaseOpened" in line)
    lines[edited] = lines[edited].replace("移行計画の相談".encode(), "別の相談".encode())
    (tmp_path / "edited.jsonl").write_bytes(b"".join(lines))
    run = cli("import", str(tmp_path / "edited.jsonl"), "--lang", "en")
    assert run.code == 2, str(run)
    assert f"edited.jsonl:{edited + 1}: its digest does not follow" in run.err
    assert len(warnings(run.err)) == 1
    assert cli.ok("verify", "--json").json()["events"] == 0  # nothing was written


def test_a_backup_with_lines_reordered_is_refused(
    pristine: Pristine, cli: Cli, tmp_path: Path
) -> None:
    lines = pristine.backup.splitlines(keepends=True)
    lines[3], lines[4] = lines[4], lines[3]
    (tmp_path / "reordered.jsonl").write_bytes(b"".join(lines))
    run = cli("import", str(tmp_path / "reordered.jsonl"), "--lang", "en")
    assert run.code == 2 and "reordered.jsonl:4: its digest does not follow" in run.err


@pytest.mark.parametrize("digest", ['"zz"', "12", '"' + "0" * 64 + '"'])
def test_a_bad_digest_in_a_line_is_refused_as_such(
    pristine: Pristine, cli: Cli, tmp_path: Path, digest: str
) -> None:
    first, rest = pristine.backup.split(b"\n", 1)
    record = json.loads(first)
    record["digest"] = json.loads(digest)
    (tmp_path / "bad.jsonl").write_bytes(json.dumps(record).encode() + b"\n" + rest)
    run = cli("import", str(tmp_path / "bad.jsonl"))
    assert run.code == 2 and "bad.jsonl:1" in run.err and "Traceback" not in run.err


def test_a_backup_of_an_older_banso_without_digests_restores_to_the_same_head(
    pristine: Pristine, cli: Cli, tmp_path: Path
) -> None:
    older = []
    for line in pristine.backup.splitlines():
        record = json.loads(line)
        del record["digest"]
        older.append(json.dumps(record, ensure_ascii=False).encode())
    (tmp_path / "older.jsonl").write_bytes(b"\n".join(older) + b"\n")
    imported = cli.ok("import", str(tmp_path / "older.jsonl"), "--lang", "en")
    assert warnings(imported.err) == [
        f"Note: {len(older)} lines carried no digest and could not be checked against the"
        " file's chain (a backup of an older banso, or lines added by hand)"
    ]
    original = json.loads(pristine.backup.splitlines()[-1])["digest"]
    assert cli.ok("verify", "--json").json()["head"] == original


def test_the_import_writer_process_chains_what_it_writes(
    pristine: Pristine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup, "WRITER_BYTES", 0)  # every import through the second process
    monkeypatch.setattr(backup, "IMPORT_BATCH", 7)
    (tmp_path / "backup.jsonl").write_bytes(pristine.backup)
    app = Banso(str(tmp_path / "restored.sqlite"), user="tester")
    try:
        app.register_prefecture("13", on=D("2025-04-01"))  # the file's chain starts at 1, ours not
        before = checked(app).chained
        import_events(app, tmp_path / "backup.jsonl")
        assert checked(app).chained == before + pristine.backup.count(b"\n")
        app.add_note("2025-001", "取り込み後のメモ", on=D("2025-06-20"))
        checked(app)
    finally:
        app.close()


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk writer", "command writer"])
def test_the_demo_writers_chain_every_event(
    bulk: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # batches of 100 events, so the bulk writer's saves are many transactions too
    monkeypatch.setattr(generator, "BulkWriter", functools.partial(BulkWriter, batch=100))
    app = Banso(str(tmp_path / "demo.sqlite"), user="demo")
    try:
        summary = generate(app, scale="prefecture", seed=3, fraction=0.2, bulk=bulk)
        assert checked(app).chained == summary.events > 600
    finally:
        app.close()


@pytest.mark.postgres
def test_gaps_in_postgres_notification_ids_do_not_reach_the_chain(
    postgres_store: str, pristine: Pristine, tmp_path: Path
) -> None:
    app = Banso(postgres_store, user="tester")
    try:
        app.register_prefecture("11", on=D("2025-04-01"))
        taken = app.recorder.select_notifications(start=None, limit=1)[0]
        for _ in range(3):  # each rolled-back insert leaves a hole in the id sequence
            with pytest.raises(IntegrityError):
                app.recorder.insert_events(
                    [
                        StoredEvent(uuid4(), 1, "events.case:NoteAdded", b"{}"),
                        StoredEvent(taken.originator_id, 1, taken.topic, b"{}"),
                    ]
                )
        app.register_expert("山田太郎", on=D("2025-04-01"))
        ids = [n.id for n in app.recorder.select_notifications(start=None, limit=100)]
        assert ids[-1] > len(ids)  # there are gaps
        found = checked(app)
        assert found.chained == len(ids)
        # the same events in a fresh SQLite store chain to the same head
        (tmp_path / "b.jsonl").write_bytes(backup_of(app))
        copy = Banso(str(tmp_path / "copy.sqlite"), user="tester")
        import_events(copy, tmp_path / "b.jsonl")
        assert checked(copy).head == found.head
        copy.close()
    finally:
        app.close()


def test_a_refused_import_leaves_the_chain_as_it_was(refusal_store: Cli, tmp_path: Path) -> None:
    before = refusal_store.ok("verify", "--json").json()["head"]
    lines = refusal_store.export(tmp_path / "b.jsonl").splitlines(keepends=True)
    broken = json.loads(lines[-1])
    broken["originator_version"] = 99
    (tmp_path / "broken.jsonl").write_bytes(b"".join(lines) + json.dumps(broken).encode() + b"\n")
    assert refusal_store("import", str(tmp_path / "broken.jsonl")).code == 2
    assert refusal_store.ok("verify", "--json").json()["head"] == before


def test_an_edited_backup_cannot_be_imported_even_when_rows_are_known(
    pristine: Pristine, tmp_path: Path, open_desk: Callable[..., Desk]
) -> None:
    (tmp_path / "b.jsonl").write_bytes(pristine.backup.replace(b'"2025-06-10"', b'"2025-06-11"'))
    app = open_desk(pristine.copy(tmp_path).store).app
    with pytest.raises(InvalidInputError) as refused:
        import_events(app, tmp_path / "b.jsonl")
    assert "its digest does not follow" in refused.value.params["value"]
