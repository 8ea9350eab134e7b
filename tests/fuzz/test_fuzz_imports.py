"""Fuzzing ``banso import`` and ``banso import-sheet``: a backup or a sheet broken in any way
(lines dropped, doubled, swapped, cut short, not JSON, of the wrong types, events of
aggregates nobody began, foreign or unknown classes, hostile values) is applied whole or not
at all, exits 0 or 2 with no traceback, and leaves a store that verifies, rebuilds and
answers.

The backups are the newest schema fixture's export, mutated; each is imported into an empty
store and into the fixture's own store (which holds every event of the export already).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.conftest import CI, FAST
from tests.fuzz.harness import Desk, Tally, newest_fixture
from tests.fuzz.strategies import DATES, HOSTILE

BACKUP = (newest_fixture() / "export.jsonl").read_bytes().splitlines(keepends=True)
Lines = list[bytes]
#: Values a field of an event's state may be given instead of its own.
WRONG = st.one_of(
    HOSTILE,
    DATES,
    st.sampled_from([None, True, 0, -1, 1.5, 10**6, [], {}, ["E001"], {"a": 1}]),
    st.integers(-(10**9), 10**9),
)


def _record(line: bytes) -> dict[str, Any] | None:
    """The line's event record, if it still is one (an earlier mutation may have broken it)."""
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) and isinstance(record.get("state"), dict) else None


def _line(record: Any) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode() + b"\n"


def _undigested(line: bytes) -> bytes:
    record = _record(line)
    return line if record is None else _line({k: v for k, v in record.items() if k != "digest"})


@st.composite
def mutation(draw: st.DrawFn) -> Callable[[Lines], Lines]:
    """One way of breaking a backup (each is a function of the lines)."""
    at = draw(st.integers(0, 10_000))
    other = draw(st.integers(0, 10_000))
    what = draw(
        st.sampled_from(
            ["drop", "double", "swap", "truncate", "garbage", "field", "state", "new-id",
             "orphan", "topic", "no-digests", "digest", "blank", "crlf", "bom", "version"]
        )
    )  # fmt: skip
    garbage = draw(
        st.one_of(
            st.binary(max_size=40),
            st.sampled_from([b"{", b"[]", b"null", b'{"id": 1}', b"\xff\xfe", b'{"state": 1}']),
        )
    )
    key = draw(st.sampled_from(["id", "originator_id", "originator_version", "topic", "state"]))
    value = draw(WRONG)
    topic = draw(
        st.sampled_from(
            ["events.case:Nope", "events.case:CaseOpened", "events.expert:ExpertRegistered",
             "os:system", "this:s", "events.case", "", "events.topic:TopicRegistered"]
        )
    )  # fmt: skip
    cut = draw(st.integers(0, 400))
    new_id = str(draw(st.uuids(version=4)))

    def apply(lines: Lines) -> Lines:
        lines = list(lines)
        if not lines:
            return lines
        i, j = at % len(lines), other % len(lines)
        record = _record(lines[i])
        if what == "drop":
            del lines[i]
        elif what == "double":
            lines.insert(j, lines[i])
        elif what == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif what == "truncate":
            joined = b"".join(lines)
            return [joined[: len(joined) * (at % 100) // 100]]
        elif what == "garbage":
            lines[i] = garbage + b"\n"
        elif what == "blank":
            lines.insert(i, b"\n")
        elif what == "crlf":
            lines = [line.replace(b"\n", b"\r\n") for line in lines]
        elif what == "bom":
            lines[0] = b"\xef\xbb\xbf" + lines[0]
        elif what == "no-digests":
            lines = [_undigested(x) for x in lines]
        elif record is None:
            lines[i] = lines[i][:cut]
        elif what == "field":
            lines[i] = _line({**record, key: value})
        elif what == "state" and record["state"]:
            field = sorted(record["state"])[cut % len(record["state"])]
            lines[i] = _line({**record, "state": {**record["state"], field: value}})
        elif what in ("new-id", "orphan") and record["topic"] in NUMBERED:
            pass  # a second case or expert under a taken number: test_fuzz_hostile_values
        elif what == "new-id":  # an event of an aggregate nobody began
            lines[i] = _line({**record, "originator_id": new_id})
        elif what == "orphan":  # and appended after everything else
            lines.append(_line({**record, "originator_id": new_id, "originator_version": 1}))
        elif what == "topic":
            lines[i] = _line({**record, "topic": topic})
        elif what == "digest":
            lines[i] = _line({**record, "digest": "0" * 64})
        elif what == "version":  # an earlier "field" mutation may have made it a string
            version = record["originator_version"]
            moved = version + cut if type(version) is int else cut
            lines[i] = _line({**record, "originator_version": moved})
        return lines

    apply.__name__ = apply.__qualname__ = f"{what}@{at}/{other}"
    return apply


#: Openings that carry a number from a sequence: under a new id they take it twice, which the
#: hardening branch refuses; until it lands they are fuzzed apart, as a known bug.
NUMBERED = {"events.case:CaseOpened", "events.expert:ExpertRegistered"}
BROKEN = st.lists(mutation(), min_size=1, max_size=4)


def file_events(data: bytes) -> set[tuple[str, int]]:
    found = set()
    for line in data.splitlines():
        try:
            record = json.loads(line)
            found.add(
                (str(uuid.UUID(str(record["originator_id"]))), int(record["originator_version"]))
            )
        except Exception:
            continue
    return found


def check_import(desk: Desk, tally: Tally, data: bytes, *, into_empty: bool) -> None:
    """Import ``data`` into the desk's store (or a new, empty one beside it); assert that
    it applied whole or not at all, and that the store still works."""
    if into_empty:
        desk.store = str(desk.folder / "empty" / "banso.sqlite")
    before, before_events = desk.fingerprint(), desk.events()
    path = desk.folder / "backup.jsonl"
    path.write_bytes(data)
    run = desk("--json", "import", str(path))
    tally.add("cases")
    tally.add(f"exit_{run.code}")
    tally.add("tracebacks", run.crashed)
    assert not run.crashed, str(run)
    assert run.code in (0, 2), str(run)
    after = desk.events()
    if run.code == 2:
        written = desk.fingerprint() != before
        tally.add("partial_writes", written)
        assert not written, f"refused, yet the store changed: {run}"
    else:
        whole = (
            after == before_events | file_events(data)
            and len(after) - len(before_events) == run.json()["imported"]
        )
        tally.add("partial_writes", not whole)
        assert whole, f"imported, yet not every event of the file is in the store: {run}"
    broken = desk.still_works(rebuild=True)
    tally.add("bricked_stores", bool(broken))
    assert broken == [], f"after {run}:\n" + "\n".join(broken)


def broken_backup(mutations: list[Callable[[Lines], Lines]]) -> bytes:
    lines = BACKUP
    for mutate in mutations:
        lines = mutate(lines)
    return b"".join(lines)


@settings(FAST)
@given(mutations=BROKEN, into_empty=st.booleans())
def test_a_broken_backup_is_imported_whole_or_not_at_all(
    desks: Iterator[Desk], tally: Tally, mutations: list[Callable[[Lines], Lines]], into_empty: bool
) -> None:
    check_import(next(desks), tally, broken_backup(mutations), into_empty=into_empty)


@pytest.mark.slow
@settings(CI)
@given(mutations=BROKEN, into_empty=st.booleans())
def test_a_broken_backup_is_imported_whole_or_not_at_all_thousands(
    desks: Iterator[Desk], tally: Tally, mutations: list[Callable[[Lines], Lines]], into_empty: bool
) -> None:
    check_import(next(desks), tally, broken_backup(mutations), into_empty=into_empty)


def test_the_unbroken_backup_imports_into_an_empty_store(
    desks: Iterator[Desk], tally: Tally
) -> None:
    # the base of every mutation imports as it is: the fuzzer breaks a working file
    desk = next(desks)
    check_import(desk, tally, b"".join(BACKUP), into_empty=True)
    assert len(desk.events()) == len(BACKUP)
