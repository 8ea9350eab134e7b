"""Fuzzing every command's arguments: whatever is typed, ``banso`` exits 0 or 2 (1 only
for ``verify``'s findings), never shows a traceback, records nothing when it refuses, and
leaves a store that ``verify`` passes and a query reads.

Each example runs against its own copy of the newest schema fixture's store (every kind of
event in it, corrections and a withdrawn case too). ``..._thousands`` twins run the same
property with the ``fuzz-ci`` budget in the slow suite.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings

from tests.fuzz.conftest import CI, FAST
from tests.fuzz.harness import Desk, Tally, newest_fixture
from tests.fuzz.strategies import command_lines, known

IDS = known(newest_fixture())
#: Exit statuses the contract allows: 0, 2; 1 only for verify's findings.
ALLOWED = {0, 2}


def allowed(args: list[str]) -> set[int]:
    return ALLOWED | {1} if "verify" in args[:1] else ALLOWED


def check_command_line(
    desks: Iterator[Desk], tally: Tally, args: list[str], *, process: bool = False
) -> None:
    """Run one command line on a fresh copy of the store (in this process, or through the
    real ``banso`` process); assert the contract."""
    desk = next(desks)
    before = desk.fingerprint()
    run = desk.process(*args) if process else desk(*args)
    tally.add("cases")
    tally.add(f"exit_{run.code}")
    if run.crashed:
        tally.add("tracebacks")
    assert not run.crashed, str(run)
    assert run.code in allowed(args), str(run)
    if run.code != 0:
        written = desk.fingerprint() != before
        tally.add("partial_writes", written)
        assert not written, f"refused, yet the store changed: {run}"
    broken = desk.still_works()
    tally.add("bricked_stores", bool(broken))
    assert broken == [], f"after {run}:\n" + "\n".join(broken)


@settings(FAST, max_examples=6)
@given(args=command_lines(IDS))
def test_any_command_line_keeps_the_contract_through_the_real_process_too(
    desks: Iterator[Desk], tally: Tally, args: list[str]
) -> None:
    check_command_line(desks, tally, args, process=True)


@settings(FAST)
@given(args=command_lines(IDS))
def test_any_command_line_exits_0_or_2_and_leaves_a_store_that_works(
    desks: Iterator[Desk], tally: Tally, args: list[str]
) -> None:
    check_command_line(desks, tally, args)


@pytest.mark.slow
@settings(CI, max_examples=3 * CI.max_examples)
@given(args=command_lines(IDS))
def test_any_command_line_exits_0_or_2_and_leaves_a_store_that_works_thousands(
    desks: Iterator[Desk], tally: Tally, args: list[str]
) -> None:
    check_command_line(desks, tally, args)
