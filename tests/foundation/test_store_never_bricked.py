"""No value a command or an import accepts can later make a command, ``rebuild`` or
``verify`` fail: each is refused before anything is recorded, with one line and exit 2,
and the store goes on answering (issue 10, "a store is never bricked")."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tracker.desk.bootstrap import bootstrap
from tracker.desk.settings import Settings
from tracker.domain.inputs import today

if TYPE_CHECKING:
    from conftest import Cli, Pristine

Record = dict[str, Any]


def events_in(cli: Cli) -> int:
    return int(cli.ok("verify", "--json").json()["events"])


def still_answers(cli: Cli) -> None:
    """Every kind of question, a rebuild and verify all still work."""
    for question in (("case", "list"), ("stalled",)):
        cli.ok(*question)
    cli.ok("rebuild")
    cli.ok("verify")


#: What a recording command may say besides its answer (where it made the store, who records).
NOTICES = ("ストアを作成しました", "記録者は")


def refused(run: Any) -> None:
    """Exit 2 and one line saying why (beside the notices of a store just made)."""
    assert run.code == 2, str(run)
    said = [line for line in run.err.splitlines() if not line.startswith(NOTICES)]
    assert len(said) == 1 and "Traceback" not in run.err, str(run)


@pytest.mark.parametrize(
    "args",
    [
        ("muni", "update", "川口市", "--population", "9223372036854775808"),
        ("muni", "update", "川口市", "--it-staff", str(10**12)),
        ("muni", "add", "011002", "札幌市", "--population", str(2**64)),
        ("case", "correct", "2025-003", "1", "--reason", "誤記", "--text", "x" * 20_001),
    ],
    ids=["population-2**63", "it-staff-10**12", "new-muni-2**64", "text-too-long"],
)
def test_a_number_or_text_beyond_its_limit_is_refused_and_the_store_goes_on(
    refusal_store: Cli, args: tuple[str, ...]
) -> None:
    before = events_in(refusal_store)
    refused(refusal_store(*args))
    assert events_in(refusal_store) == before
    still_answers(refusal_store)


def backup_lines(pristine: Pristine) -> list[Record]:
    return [json.loads(line) for line in pristine.backup.decode("utf-8").splitlines()]


def first(records: list[Record], kind: str) -> Record:
    return next(r for r in records if r["topic"].endswith(f":{kind}"))


def write(records: list[Record], path: Path) -> Path:
    """A backup of ``records``, without digests (an edited line follows no chain)."""
    for r in records:
        r.pop("digest", None)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def second_case_same_number(records: list[Record]) -> list[Record]:
    opening = first(records, "CaseOpened")
    copy = json.loads(json.dumps(opening))
    copy["originator_id"] = str(uuid.uuid4())
    copy["id"] = records[-1]["id"] + 1
    return [*records, copy]


def huge_population(records: list[Record]) -> list[Record]:
    first(records, "MunicipalityRegistered")["state"]["population"] = 2**63
    return records


def future_date(records: list[Record]) -> list[Record]:
    later = (today() + timedelta(days=3)).isoformat()
    first(records, "CaseClosed")["state"]["occurred_on"] = later
    return records


def control_character(records: list[Record]) -> list[Record]:
    first(records, "CaseOpened")["state"]["summary"] = "相談\x1b[2J"
    return records


def too_long(records: list[Record]) -> list[Record]:
    first(records, "CaseOpened")["state"]["summary"] = "長" * 20_001
    return records


def out_of_order(records: list[Record]) -> list[Record]:
    """The application received before the case was opened."""
    first(records, "DispatchApplied")["state"]["occurred_on"] = "2025-05-01"
    return records


def municipality_under_another_id(records: list[Record]) -> list[Record]:
    registered = first(records, "MunicipalityRegistered")
    registered["originator_id"] = str(uuid.uuid4())
    return records


def case_number_not_canonical(records: list[Record]) -> list[Record]:
    first(records, "CaseOpened")["state"]["number"] = "2025-1"
    return records


def _after_a_claim(records: list[Record], kind: str) -> list[Record]:
    """A line of ``kind`` as the second event of a number claim (an import keeps a claim
    only as its version once issued: it must refuse what follows all the same)."""
    claim = first(records, "NumberIssued")
    later = json.loads(json.dumps(first(records, kind)))
    later |= {"id": records[-1]["id"] + 1, "originator_id": claim["originator_id"]}
    later["originator_version"] = 2
    return [*records, later]


def number_issued_twice(records: list[Record]) -> list[Record]:
    return _after_a_claim(records, "NumberIssued")


def dispatch_applied_on_a_number_claim(records: list[Record]) -> list[Record]:
    return _after_a_claim(records, "DispatchApplied")


EDITS: list[Callable[[list[Record]], list[Record]]] = [
    second_case_same_number,
    huge_population,
    future_date,
    control_character,
    too_long,
    out_of_order,
    municipality_under_another_id,
    case_number_not_canonical,
    number_issued_twice,
    dispatch_applied_on_a_number_claim,
]


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__ for e in EDITS])
def test_an_import_applies_the_rules_of_the_commands_and_records_nothing(
    pristine: Pristine, cli: Cli, tmp_path: Path, edit: Callable[[list[Record]], list[Record]]
) -> None:
    backup = write(edit(backup_lines(pristine)), tmp_path / "edited.jsonl")
    run = cli("import", str(backup))
    refused(run)
    assert "edited.jsonl:" in run.err, "the line refused is named"
    assert not Path(cli.store).exists() or events_in(cli) == 0
    cli.ok("init")  # the store refused nothing else: it records and answers
    still_answers(cli)


def test_an_import_may_not_open_a_case_under_a_number_the_store_issued(
    refusal_store: Cli, pristine: Pristine, tmp_path: Path
) -> None:
    opening = json.loads(json.dumps(first(backup_lines(pristine), "CaseOpened")))
    opening["originator_id"], opening["id"] = str(uuid.uuid4()), 1
    backup = write([opening], tmp_path / "one.jsonl")
    before = events_in(refusal_store)
    run = refusal_store("import", str(backup), "--lang", "en")
    refused(run)
    assert "already taken: 2025-001" in run.err, str(run)
    assert events_in(refusal_store) == before
    still_answers(refusal_store)


def test_the_unedited_backup_still_imports(pristine: Pristine, cli: Cli, tmp_path: Path) -> None:
    backup = write(backup_lines(pristine), tmp_path / "as-is.jsonl")
    cli.ok("import", str(backup))
    assert events_in(cli) == len(backup_lines(pristine))
    still_answers(cli)


def test_a_value_an_older_banso_recorded_that_sql_cannot_hold_is_set_aside_and_named(
    refusal_store: Cli,
) -> None:
    """A population of 2**63 recorded before it was refused (here through the aggregate,
    as the old command did): every command still answers, says which event it left out
    and how to recover, and verify reports it as a finding (exit 1), not an internal
    error."""
    desk = bootstrap(Settings(store=refusal_store.store, user="旧版"))
    try:
        muni = desk.app.municipality("112038")
        muni.update_profile(it_staff=None, population=2**63, on=today(), by="旧版")
        desk.app.save(muni)
    finally:
        desk.close()
    for args in (("case", "list"), ("muni", "show", "川口市"), ("rebuild",)):
        run = refusal_store(*args, "--lang", "en")
        assert run.code == 0, str(run)
        assert run.err.startswith("Note: 1 stored events") and "OverflowError" in run.err, str(run)
        assert run.err.count("\n") == 1
    assert refusal_store.ok("muni", "show", "川口市", "--json").json()["population"] != 2**63
    refusal_store.ok("muni", "update", "川口市", "--population", "600000")
    verified = refusal_store("verify", "--json")
    assert verified.code == 1 and verified.err == "", str(verified)
    problems = verified.json()["problems"]
    assert any("event 79 (MunicipalityProfileUpdated) is set aside" in p for p in problems)
