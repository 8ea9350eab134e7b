"""``banso verify``: the store reads back whole, and the read models match a fresh rebuild."""

from __future__ import annotations

import tempfile
from pathlib import Path
from uuid import UUID

from projections.readmodels import BATCH_SIZE, Progress, ReadModels
from projections.schema import TABLES
from tracker.desk.bootstrap import Desk
from tracker.domain.aggregates import AGGREGATE_OF_MODULE
from tracker.domain.base import Aggregate

COMPARED = [t for t in TABLES if t not in ("tracking", "facts_fts")]


def verify(desk: Desk, progress: Progress | None = None) -> list[str]:
    """Every problem found (an empty list means the store and read models are sound)."""
    problems: list[str] = []
    aggregates: dict[UUID, type[Aggregate]] = {}
    total = desk.app.recorder.max_notification_id() or 0
    position = 0
    while batch := desk.app.recorder.select_notifications(
        start=position, limit=BATCH_SIZE, inclusive_of_start=False
    ):
        for n in batch:
            try:
                event = desk.log.decode(n)
            except Exception as e:  # report every unreadable event, not only the first
                problems.append(f"event {n.id} ({n.topic}): {type(e).__name__}: {e}")
                continue
            aggregates[UUID(str(n.originator_id))] = AGGREGATE_OF_MODULE[type(event).__module__]
        position = batch[-1].id
        if progress:
            progress(position, total * 2)
    for aggregate_id, cls in aggregates.items():
        try:
            desk.app.repository.get(aggregate_id, projector_func=cls.project)
        except Exception as e:  # same: keep going to report them all
            problems.append(f"aggregate {aggregate_id} ({cls.__name__}): {type(e).__name__}: {e}")
    problems += _compare_with_rebuild(desk)
    return problems


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
