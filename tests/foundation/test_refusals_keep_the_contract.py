"""Exit codes and messages keep the CLI contract (CLI.md): a case number is read the same
way by the command that records and by the answer it prints; a value out of range is
refused with exit 2 and one line; and what someone typed is echoed escaped, never as raw
newlines or terminal escape codes (issue 10)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Cli, Run


def history_of(cli: Cli, number: str) -> list[str]:
    return [e["kind"] for e in cli.ok("case", "show", number, "--json").json()["history"]]


@pytest.mark.parametrize("typed", ["2025-1", "2025-0001", "２０２５－００１", " 2025-001 "])
def test_a_case_number_however_written_records_once_and_answers_with_its_number(
    refusal_store: Cli, typed: str
) -> None:
    before = history_of(refusal_store, "2025-001")
    noted = refusal_store.ok("case", "note", typed, "電話で確認", "--json")
    assert noted.json()["case"] == "2025-001"
    assert history_of(refusal_store, "2025-001") == [*before, "note-added"]
    assert refusal_store.ok("case", "show", typed, "--json").json()["case"] == "2025-001"


@pytest.mark.parametrize("typed", ["2025-999", "2025-0", "2025-" + "9" * 12])
def test_a_case_number_that_names_no_case_is_refused_before_recording(
    refusal_store: Cli, typed: str
) -> None:
    before = refusal_store.ok("verify", "--json").json()["events"]
    refused(refusal_store("case", "note", typed, "電話"))
    assert refusal_store.ok("verify", "--json").json()["events"] == before


def refused(run: Run) -> None:
    """Exit 2, one line on stderr (after the notice of who records), no traceback."""
    assert run.code == 2, str(run)
    said = [line for line in run.err.splitlines() if not line.startswith("記録者は")]
    assert len(said) == 1 and "Traceback" not in run.err, str(run)


@pytest.mark.parametrize(
    "args",
    [
        ("stats", "--fiscal-year", "9999"),
        ("stats", "--fiscal-year", "0"),
        ("stats", "--fiscal-year", "99999999999999999999"),
        ("export-csv", "figures", "-o", "-", "--fiscal-year", "1"),
        ("silent", "--months", "0"),
        ("silent", "--months", "1201"),
        ("silent", "--months", "100000000000"),
        ("silent", "--as-of", "0001-01-01"),
        ("stalled", "--as-of", "9999-12-31"),
        ("case", "follow-up", "2025-001", "--due", "9999-12-31"),
    ],
    ids=lambda a: " ".join(a),
)
def test_a_value_out_of_range_exits_2_with_one_line(refusal_store: Cli, args: tuple[str]) -> None:
    refused(refusal_store(*args))


HOSTILE = ["\x1b[2J行1\n行2\r\x07\x08", "\x9b31m\x7f"]
#: Commands that echo what they were given in their refusal.
ECHOING = [
    ("case", "show", "{}"),
    ("muni", "show", "{}"),
    ("case", "note", "2025-001", "x", "--on", "{}"),
    ("case", "correct", "2025-001", "{}", "--reason", "r", "--text", "t"),
    ("stats", "--fiscal-year", "{}"),
    ("export", "-o", "/nonexistent{}/x.jsonl"),
    ("case", "note", "{}", "x"),
]


@pytest.mark.parametrize("value", HOSTILE, ids=["escape-newline-cr-bell", "c1-csi-del"])
@pytest.mark.parametrize("command", ECHOING, ids=lambda c: " ".join(c[:2]))
def test_a_refusal_echoes_the_value_escaped(
    refusal_store: Cli, command: tuple[str, ...], value: str
) -> None:
    run = refusal_store(*(part.replace("{}", value) for part in command))
    refused(run)
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in run.err.rstrip("\n")), repr(
        run.err
    )
