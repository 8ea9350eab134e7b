"""The store as it had been recorded by the end of a day: what the desk knew then.

``--as-of D`` asks what had happened by D (business dates), in the record as it reads now,
corrections included. ``--as-recorded D`` asks what had been recorded by the end of D in
Japan (each event's ``timestamp``): events recorded later, corrections among them, are
left out. That store is answered by read models built afresh, in a temporary file, from
the events recorded by then alone, by the same rebuild as ever (set-based from a filtered
copy of an embedded SQLite log, else event by event), so every question reads it as it
reads the whole store. It costs a rebuild of those events; the read models the desk keeps
pay nothing for it.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from projections.log import EventLog, LoggedEvent, UnreadableEvent
from projections.readmodels import ReadModels
from tracker.application.eventsourcing_compat import EVENT_COLUMNS, SQLiteLog
from tracker.domain.inputs import TOKYO


def end_of(day: date) -> datetime:
    """The end of ``day`` in Japan: the first instant of the next."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=TOKYO)


class RecordedBy(EventLog):
    """A log read as it stood at ``until``: only the events recorded before then."""

    def __init__(self, log: EventLog, until: datetime, folder: Path) -> None:
        super().__init__(log.recorder, log.mapper)
        self.log, self.until, self.folder = log, until, folder
        self._copy: SQLiteLog | None = None

    def recorded_in_time(self, timestamp: str) -> bool:
        """Whether an event stamped ``timestamp`` (ISO 8601) was recorded before ``until``."""
        return datetime.fromisoformat(timestamp) < self.until

    def _in_time(self, event: LoggedEvent) -> bool:
        try:
            return self.recorded_in_time(event.state["timestamp"])
        except (KeyError, TypeError, ValueError) as e:  # no timestamp it can read
            raise UnreadableEvent(event.position, event.kind, e) from e

    def read(self, after: int, limit: int) -> list[LoggedEvent]:
        kept: list[LoggedEvent] = []
        while len(kept) < limit:
            batch = self.log.read(after, limit)
            kept += [e for e in batch if self._in_time(e)]
            if len(batch) < limit:
                break
            after = batch[-1].position
        return kept[:limit]

    def sqlite(self) -> SQLiteLog | None:
        """A copy of the embedded SQLite log holding only the events recorded in time (their
        positions kept), made once; None if the store is not one."""
        source = self.log.sqlite()
        if source is None or self._copy is not None:
            return self._copy if source is not None else None
        path = self.folder / "recorded.sqlite"
        columns = ", ".join(EVENT_COLUMNS)
        limit = self.until.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
        with sqlite3.connect(path) as conn:
            conn.create_function("recorded_in_time", 1, self.recorded_in_time, deterministic=True)
            conn.execute(f'CREATE TABLE "{source.table}" ({columns})')
            conn.execute("ATTACH DATABASE ? AS log", (Path(source.path).as_uri() + "?mode=ro",))
            stamp = "state ->> 'timestamp'"
            conn.execute(
                f'INSERT INTO main."{source.table}" (rowid, {columns})'
                f' SELECT rowid, {columns} FROM log."{source.table}"'
                # Stamps in UTC ("Z") compare as text; any other offset through Python.
                f" WHERE CASE WHEN {stamp} LIKE '%Z' THEN {stamp} < ?"
                f" ELSE recorded_in_time({stamp}) END",
                (limit,),
            )
            conn.commit()
            conn.execute("DETACH DATABASE log")
        self._copy = SQLiteLog(str(path), source.table)
        return self._copy


class RecordedViews:
    """Read models of the events recorded by the end of ``day``, in a temporary folder."""

    def __init__(self, log: EventLog, day: date) -> None:
        self.day = day
        self._folder = tempfile.TemporaryDirectory(prefix="banso-as-recorded-")
        folder = Path(self._folder.name)
        self.views = ReadModels(str(folder / "views.sqlite"))
        self.views.rebuild(RecordedBy(log, end_of(day), folder))

    @property
    def conn(self) -> sqlite3.Connection:
        return self.views.conn

    def close(self) -> None:
        self.views.close()
        self._folder.cleanup()

    def __enter__(self) -> RecordedViews:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
