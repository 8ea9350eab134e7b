"""Backup: export, restore into an empty store, export again: the same events, in the same
order; restoring twice adds nothing; a file that disagrees with the store is refused whole."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tracker.application.backup import export_events, import_events
from tracker.application.commands import Banso
from tracker.desk.bootstrap import Desk
from tracker.domain.errors import InvalidInputError

if TYPE_CHECKING:
    from conftest import Cli, Pristine

D = date.fromisoformat
STORE_KINDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module")
def source(
    pristine: Pristine, tmp_path_factory: pytest.TempPathFactory, v1_visit: Callable[..., int]
) -> tuple[Path, bytes]:
    """A store with some history (a late entry, a visit stored in its v1 shape) and its
    backup made by ``banso export``."""
    home = tmp_path_factory.mktemp("source")
    cli = pristine.copy(home)
    app = Banso(cli.store, user="記録者")
    try:
        app.apply_for_dispatch("2025-001", on=D("2025-06-05"))
        app.decide_dispatch("2025-001", ["E001"], on=D("2025-06-09"))
        v1_visit(app, "2025-001", next_step="見積を依頼", on="2025-06-16")
        app.add_note("2025-001", "後から記録した、受付直後の電話", on=D("2025-06-03"))
        app.record_outreach("114651", "cafe", note="デジタルカフェ", on=D("2025-07-01"))
    finally:
        app.close()
    backup = cli.export(home / "backup.jsonl")
    return home / "backup.jsonl", backup


def records(backup: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in backup.decode("utf-8").splitlines()]


def test_a_restored_store_exports_the_same_bytes(
    source: tuple[Path, bytes], cli: Cli, tmp_path: Path
) -> None:
    path, backup = source
    assert cli.ok("import", str(path), "--json").json() == {"imported": backup.count(b"\n")}
    assert cli.export(tmp_path / "again.jsonl") == backup


def test_a_restored_store_answers_like_the_original(
    source: tuple[Path, bytes], cli: Cli, cli_for: type[Cli]
) -> None:
    path, _ = source
    original = cli_for(path.parent / "store" / "banso.sqlite", path.parent)
    cli.ok("import", str(path))
    for question in (
        ("case", "show", "2025-001", "--json"),
        ("case", "list", "--status", "all", "--json"),
        ("timeline", "川口市", "--json"),
    ):
        assert cli.ok(*question).json() == original.ok(*question).json()
    shown = cli.ok("case", "show", "2025-001", "--json").json()
    assert shown["next_steps"] == ["見積を依頼"]
    assert cli.ok("verify", "--json").json()["ok"] is True


def test_importing_the_same_file_twice_adds_nothing(
    source: tuple[Path, bytes], cli: Cli, tmp_path: Path
) -> None:
    path, backup = source
    cli.ok("import", str(path))
    assert cli.ok("import", str(path), "--json").json() == {"imported": 0}
    assert cli.export(tmp_path / "again.jsonl") == backup


def test_importing_a_backup_into_its_own_store_adds_nothing(
    source: tuple[Path, bytes], cli_for: type[Cli], tmp_path: Path
) -> None:
    path, backup = source
    shutil.copytree(path.parent / "store", tmp_path / "store")
    own = cli_for(tmp_path / "store" / "banso.sqlite", tmp_path)
    assert own.ok("import", str(path), "--json").json() == {"imported": 0}
    assert own.export(tmp_path / "again.jsonl") == backup


def conflicting(backup: bytes, *, extra: dict[str, Any] | None = None) -> bytes:
    """The backup with the case's summary changed (same id and version, other state), its
    digests left out as an older banso wrote it (with them, the digest refuses it first)."""
    out = []
    for record in records(backup):
        del record["digest"]
        if record["topic"] == "events.case:CaseOpened" and record["state"]["number"] == "2025-001":
            record["state"]["summary"] = "書き換えた相談内容"
        out.append(record)
    if extra:
        out.append(extra)
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in out)


def a_new_note(backup: bytes) -> dict[str, Any]:
    """A note that would be the next event of case 2025-001."""
    case = next(
        r
        for r in records(backup)
        if r["topic"] == "events.case:CaseOpened" and r["state"]["number"] == "2025-001"
    )
    last = max(
        r["originator_version"]
        for r in records(backup)
        if r["originator_id"] == case["originator_id"]
    )
    return {
        "id": 999,
        "originator_id": case["originator_id"],
        "originator_version": last + 1,
        "topic": "events.case:NoteAdded",
        "state": {
            "timestamp": "2025-08-01T00:00:00Z",
            "occurred_on": "2025-08-01",
            "recorded_by": "別の desk",
            "text": "新しいメモ",
        },
    }


def test_a_file_that_disagrees_with_the_store_is_refused_and_nothing_written(
    source: tuple[Path, bytes], cli: Cli, tmp_path: Path
) -> None:
    path, backup = source
    cli.ok("import", str(path))
    (tmp_path / "conflict.jsonl").write_bytes(conflicting(backup, extra=a_new_note(backup)))
    run = cli("import", str(tmp_path / "conflict.jsonl"))
    assert run.code == 2, str(run)
    assert "Traceback" not in run.err
    assert len(run.err.strip().splitlines()) == 1
    assert "既存の記録と食い違います" in run.err
    assert cli.export(tmp_path / "after.jsonl") == backup


def test_a_new_event_in_a_known_file_is_added_alone(
    source: tuple[Path, bytes], cli: Cli, tmp_path: Path
) -> None:
    path, backup = source
    cli.ok("import", str(path))
    note = a_new_note(backup)
    (tmp_path / "more.jsonl").write_bytes(
        backup + json.dumps(note, ensure_ascii=False).encode() + b"\n"
    )
    assert cli.ok("import", str(tmp_path / "more.jsonl"), "--json").json() == {"imported": 1}
    history = cli.ok("case", "show", "2025-001", "--json").json()["history"]
    assert history[-1]["text"] == "新しいメモ"
    assert history[-1]["recorded_by"] == "別の desk"


# ---- the same through the application, on every kind of store --------------------------------


def export_records(app: Banso) -> list[dict[str, Any]]:
    out = io.StringIO()
    export_events(app, out)
    return records(out.getvalue().encode("utf-8"))


def without_ids(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "id"} for r in found]


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_a_backup_restores_into_every_kind_of_store(
    kind: str,
    source: tuple[Path, bytes],
    store_of: Callable[[str], str],
    open_desk: Callable[..., Desk],
) -> None:
    path, backup = source
    desk = open_desk(store_of(kind))
    assert import_events(desk.app, path) == backup.count(b"\n")
    restored = export_records(desk.app)
    assert without_ids(restored) == without_ids(records(backup))
    ids = [r["id"] for r in restored]
    assert ids == sorted(set(ids))
    assert import_events(desk.app, path) == 0
    assert export_records(desk.app) == restored
    desk.refresh()
    assert desk.app.case("2025-001").version == 5


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_a_conflicting_backup_is_refused_on_every_kind_of_store(
    kind: str,
    source: tuple[Path, bytes],
    store_of: Callable[[str], str],
    open_desk: Callable[..., Desk],
    tmp_path: Path,
) -> None:
    path, backup = source
    desk = open_desk(store_of(kind))
    import_events(desk.app, path)
    before = export_records(desk.app)
    (tmp_path / "conflict.jsonl").write_bytes(conflicting(backup, extra=a_new_note(backup)))
    with pytest.raises(InvalidInputError) as refused:
        import_events(desk.app, tmp_path / "conflict.jsonl")
    assert refused.value.params["reason"] == "conflict"
    assert export_records(desk.app) == before


def test_a_backup_with_the_desks_own_topics_and_rules_restores_them(
    cli: Cli, cli_for: type[Cli], tmp_path: Path
) -> None:
    # A topic of the desk's own is an event of its one taxonomy, a rule changed one of its
    # one rule book: the first of each begins it.
    cli.ok("muni", "add", "112038", "川口市")
    cli.ok("config", "set", "rules.dormant.days", "45")
    cli.ok("topic", "add", "K", "窓口DX")
    cli.ok("topic", "add", "L", "庁内LAN")
    cli.ok("case", "open", "112038", "--topic", "窓口DX", "--summary", "書かない窓口")
    backup = cli.export(tmp_path / "topics.jsonl")
    restored = cli_for(tmp_path / "restored" / "banso.sqlite", tmp_path)
    restored.ok("import", str(tmp_path / "topics.jsonl"))
    assert restored.export(tmp_path / "again.jsonl") == backup
    listed = restored.ok("topic", "list", "--json").json()
    assert {"K", "L"} <= {t["code"] for t in listed}
    assert restored.ok("case", "open", "112038", "--topic", "庁内LAN", "--summary", "LAN").code == 0
    rules = restored.ok("config", "show", "--json").json()["rules"]
    assert {r["key"]: r["value"] for r in rules}["rules.dormant.days"] == 45


def test_a_backup_that_registers_a_known_code_under_another_id_is_refused(
    cli: Cli, tmp_path: Path
) -> None:
    # A municipality's id is made from its code: under another id the code would be
    # registered twice, and the read models (one row a code) could not apply it.
    cli.ok("muni", "add", "112038", "川口市")
    first = records(cli.export(tmp_path / "backup.jsonl"))[0]
    clone = {k: v for k, v in first.items() if k not in ("id", "digest")}
    clone["originator_id"] = "6f1c1b1e-0000-4000-8000-000000000009"
    (tmp_path / "clone.jsonl").write_text(json.dumps(clone, ensure_ascii=False) + "\n")
    run = cli("import", str(tmp_path / "clone.jsonl"))
    assert (run.code, run.err.count("\n")) == (2, 1), str(run)
    assert "112038" in run.err
    assert len(records(cli.export(tmp_path / "after.jsonl"))) == 1
    assert cli.ok("muni", "list", "--json").json()[0]["code"] == "112038"
    assert cli.ok("verify", "--json").json()["ok"] is True
