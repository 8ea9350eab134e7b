"""``banso verify``: the log matches its hash chain, reads back whole, and the read models
match a fresh rebuild.

The chain is checked first, by a full scan of the events table, and owes nothing to the
read models: a rebuild (which reads the log as it is now) cannot hide tampering. When the
log fails that check the read models are not compared (they were made from a log that is
no longer the one recorded: restore it from a backup first; a rebuild over some altered
logs does not even end). Each step is guarded, so an unreadable row or read models that
cannot be brought up to date are findings, never an internal error.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from projections.readmodels import BATCH_SIZE, Progress, ReadModels
from projections.schema import TABLES
from tracker.application.audit import Audit, LogRow, audit, printable
from tracker.application.chain import UNKNOWN
from tracker.application.eventsourcing_compat import chained
from tracker.desk.bootstrap import Desk
from tracker.domain.aggregates import AGGREGATE_OF_MODULE
from tracker.domain.base import Aggregate

COMPARED = [t for t in TABLES if t not in ("tracking", "facts_fts")]


@dataclass
class Report:
    """What verify found: the chain's findings and every other problem, one line each."""

    chain: Audit
    problems: list[str] = field(default_factory=list)
    #: how many events were logged before the chain began (0: chained from the start), when
    started: tuple[int, str] | None = None
    expect: bytes | None = None
    #: False when the log failed its chain check, so the read models were not compared
    compared: bool = True

    @property
    def expected_found(self) -> bool:
        return self.expect is None or self.chain.expected_at is not None

    @property
    def ok(self) -> bool:
        return not self.chain.findings and not self.problems and self.expected_found


def verify(desk: Desk, progress: Progress | None = None, expect: bytes | None = None) -> Report:
    """Check the store and its read models; ``expect`` is a head digest kept elsewhere."""
    log = chained(desk.app.recorder)
    problems: list[str] = []
    aggregates: dict[UUID, type[Aggregate]] = {}
    total = log.chain_head()[0]
    with log.audit_scan() as (rows, links):
        found = audit(
            _read_each(desk, rows, problems, aggregates, progress, total),
            links,
            event_at=log.event_at,
            expect=expect,
        )
    for aggregate_id, cls in aggregates.items():
        try:
            desk.app.repository.get(aggregate_id, projector_func=cls.project)
        except Exception as e:  # keep going to report them all
            problems.append(f"aggregate {aggregate_id} ({cls.__name__}): {_first_line(e)}")
    started = log.chain_started()
    if started and started[0] == UNKNOWN:
        problems.append(
            f"the record of how the chain began was removed (found missing {started[1]})"
        )
    compared = not found.findings
    if compared:
        try:
            problems += _compare_with_rebuild(desk)
            problems += [
                f"event {position} ({printable(kind)}) is set aside by the read models:"
                f" {printable(reason)}"
                for position, kind, reason in desk.views.quarantined()
            ]
        except Exception as e:  # the read models cannot be brought up to date at all
            problems.append(f"read models could not be rebuilt: {_first_line(e)}")
    return Report(found, problems, started, expect, compared)


def _read_each(
    desk: Desk,
    rows: Iterable[LogRow],
    problems: list[str],
    aggregates: dict[UUID, type[Aggregate]],
    progress: Progress | None,
    total: int,
) -> Iterator[LogRow]:
    """Pass every row on to the chain check, reading each back as the store would."""
    for count, row in enumerate(rows, start=1):
        notification_id, originator_id, version, topic, state = row
        try:
            aggregate_id = UUID(originator_id)
            stored = StoredEvent(
                originator_id=aggregate_id,
                originator_version=version,
                topic=topic,
                state=state,
            )
            event = desk.log.decode(stored)
            aggregates[aggregate_id] = AGGREGATE_OF_MODULE[type(event).__module__]
        except Exception as e:  # report every unreadable event, not only the first
            problems.append(
                f"event {printable(notification_id)} ({printable(topic)}): {_first_line(e)}"
            )
        if progress and count % BATCH_SIZE == 0:
            progress(count, total * 2)
        yield row


def _first_line(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return printable(f"{type(error).__name__}: {text}")


def _compare_with_rebuild(desk: Desk) -> list[str]:
    desk.refresh()
    with tempfile.TemporaryDirectory() as tmp:
        fresh_path = str(Path(tmp) / "fresh.sqlite")
        fresh = ReadModels(fresh_path)
        fresh.catch_up(desk.log)
        fresh.close()
        conn = desk.views.conn
        conn.execute("ATTACH DATABASE ? AS fresh", (fresh_path,))
        try:
            problems = []
            for table in COMPARED:
                for a, b in (("main", "fresh"), ("fresh", "main")):
                    extra = conn.execute(
                        f"SELECT COUNT(*) FROM (SELECT * FROM {a}.{table}"
                        f" EXCEPT SELECT * FROM {b}.{table})"
                    ).fetchone()[0]
                    if extra:
                        problems.append(f"read model {table}: {extra} rows only in {a}")
            try:
                conn.execute("INSERT INTO main.facts_fts (facts_fts) VALUES ('integrity-check')")
            except Exception as e:  # the FTS index disagrees with the facts
                problems.append(f"read model facts_fts: {e}")
            return problems
        finally:
            conn.execute("DETACH DATABASE fresh")
