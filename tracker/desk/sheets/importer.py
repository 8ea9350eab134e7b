"""Checking every row of a sheet through the ordinary commands, then recording all of them
in one transaction, or none.

Each row runs, inside the application's unit of work, the commands a person would have
typed: ``case open``, then ``case apply``, ``case dispatch`` and ``case visit`` if the row
has their dates. So the same rules hold (no future dates, text limits, known
municipalities, experts and topics, dates in order). A refused row is taken back and
listed with its column and why; if any row was refused, or on a dry run, nothing is
recorded.

A row's case id is derived from the row's natural key (the municipality and the desk's own
reference number, else the municipality, the opening date and the summary), so importing
the same sheet again finds its cases recorded and adds nothing, and two stores that import
the same sheet name its cases alike.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from projections.queries.topics import list_topics
from tracker.desk.bootstrap import Desk
from tracker.desk.sheets import values
from tracker.desk.sheets.fields import BY_NAME, FIELDS, Mapping
from tracker.desk.sheets.reading import Row
from tracker.domain.case import imported_case_id
from tracker.domain.errors import (
    BansoError,
    ExpertRetiredError,
    InvalidInputError,
    UnknownContactError,
    UnknownExpertError,
    UnknownMunicipalityError,
)
from tracker.language import error_message, say, why

#: The column of a refusal, by the field the command named (``InvalidInputError.field``).
COLUMN_OF_FIELD = {
    "summary": "summary",
    "topic": "topic",
    "contact": "contact",
    "channel": "channel",
    "report": "report",
    "next_step": "next_steps",
    "expert": "experts",
    "online": "online",
}
#: Columns that say something only about a step whose date the row gives.
NEEDS = {
    "experts": ("decided_on", "visited_on"),
    "report": ("visited_on",),
    "online": ("visited_on",),
    "next_steps": ("visited_on",),
}
#: Tries when another writer claimed a case number between checking and recording.
TRIES = 5


@dataclass(frozen=True)
class Problem:
    """Why a row is refused: its number, the column, and the reason in the reader's words."""

    row: int
    column: str
    reason: str


@dataclass
class Outcome:
    """What an import found and did."""

    rows: int = 0
    #: New rows and their case numbers (recorded, or to be recorded if none is refused).
    recorded: list[tuple[int, str]] = field(default_factory=list)
    already: list[tuple[int, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    events: int = 0
    dry_run: bool = False

    @property
    def saved(self) -> bool:
        return not self.dry_run and not self.problems and bool(self.recorded)


class _Refused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems


def natural_key(code: str, row: Row, summary: str) -> str:
    """What identifies a row's consultation: the desk's own number, or its day and words."""
    reference = values.text(row["reference"])
    if reference:
        return f"{code}|ref|{unicodedata.normalize('NFKC', reference)}"
    words = " ".join(unicodedata.normalize("NFKC", summary).split())
    return f"{code}|{row['opened_on']}|{words}"


class _Checker:
    """One pass over the rows inside a unit of work."""

    def __init__(self, desk: Desk, mapping: Mapping, lang: str) -> None:
        self.desk, self.mapping, self.lang = desk, mapping, lang
        self.conn: sqlite3.Connection = desk.views.conn
        self.topics = [
            (t["code"], {"ja": t["name"], "en": t["name_en"]}) for t in list_topics(self.conn)
        ]
        self.rows_of: dict[UUID, int] = {}

    def problem(self, row: Row, name: str, error: BansoError) -> Problem:
        if isinstance(error, InvalidInputError) and "reason" in error.params:
            reason = why(error, self.lang)
        else:
            reason = error_message(error, self.lang)
        return Problem(row.number, self.mapping.shown(name, self.lang), reason)

    def parsers(self, row: Row) -> dict[str, Callable[[], Any]]:
        """How each column of ``row`` becomes a command's input."""
        conn = self.conn
        dated = ("opened_on", "applied_on", "decided_on", "visited_on")
        return {
            **{name: partial(values.day, row[name], name) for name in dated},
            "municipality": lambda: values.municipality(conn, row["municipality"]),
            "topic": lambda: values.topic(row["topic"], self.topics),
            "channel": lambda: values.channel(row["channel"]),
            "experts": lambda: values.experts(conn, row["experts"]),
            "online": lambda: values.yes_no(row["online"]),
        }

    def check(self, row: Row, outcome: Outcome) -> None:
        """Run the row's commands; a refusal raises ``_Refused`` with what was wrong."""
        problems = [
            self.problem(row, f.name, InvalidInputError(field=f.name, reason="empty", value=""))
            for f in FIELDS
            if f.required and row[f.name] is None
        ]
        inputs: dict[str, Any] = {}
        for name, read in self.parsers(row).items():
            if row[name] is None and BY_NAME[name].required:
                continue
            try:
                inputs[name] = read()
            except BansoError as e:
                problems.append(self.problem(row, name, e))
        for name, steps in NEEDS.items():
            if row[name] is not None and not any(row[s] is not None for s in steps):
                needed = "、".join(self.mapping.shown(s, self.lang) for s in steps)
                says = say("sheet.problem.needs", self.lang, columns=needed)
                problems.append(Problem(row.number, self.mapping.shown(name, self.lang), says))
        if problems:
            raise _Refused(problems)
        summary = values.text(row["summary"]) or ""
        case_id = imported_case_id(natural_key(inputs["municipality"], row, summary))
        if case_id in self.rows_of:
            says = say("sheet.problem.duplicate", self.lang, row=self.rows_of[case_id])
            raise _Refused([Problem(row.number, "", says)])
        if self.desk.app.exists(case_id):
            found = self.conn.execute("SELECT number FROM cases WHERE id = ?", (str(case_id),))
            number = found.fetchone()
            outcome.already.append((row.number, number[0] if number else str(case_id)))
            return
        self.record(row, inputs, summary, case_id, outcome)

    def record(
        self, row: Row, inputs: dict[str, Any], summary: str, case_id: UUID, outcome: Outcome
    ) -> None:
        app, unit = self.desk.app, self.desk.app.unit
        assert unit is not None
        step = "opened_on"
        try:
            with unit.attempt():
                number, _ = app.open_case(
                    inputs["municipality"],
                    topic=inputs["topic"],
                    summary=summary,
                    channel=inputs["channel"],
                    contact=values.text(row["contact"]),
                    on=inputs["opened_on"],
                    id=case_id,
                )
                if inputs["applied_on"]:
                    step = "applied_on"
                    app.apply_for_dispatch(number, on=inputs["applied_on"])
                if inputs["decided_on"]:
                    step = "decided_on"
                    app.decide_dispatch(number, inputs["experts"] or (), on=inputs["decided_on"])
                if inputs["visited_on"]:
                    step = "visited_on"
                    app.report_visit(
                        number,
                        report=values.text(row["report"]) or "",
                        experts=() if inputs["decided_on"] else inputs["experts"] or (),
                        online=bool(inputs["online"]),
                        next_steps=values.items(row["next_steps"]),
                        on=inputs["visited_on"],
                    )
        except BansoError as e:
            raise _Refused([self.problem(row, _column(e, step), e)]) from None
        self.rows_of[case_id] = row.number
        outcome.recorded.append((row.number, number))


def _column(error: BansoError, step: str) -> str:
    """The column a command's refusal is about: the field it names, else the step's date."""
    if isinstance(error, UnknownContactError):
        return "contact"
    if isinstance(error, ExpertRetiredError | UnknownExpertError):
        return "experts"
    if isinstance(error, UnknownMunicipalityError):
        return "municipality"
    if isinstance(error, InvalidInputError) and error.params.get("field") in COLUMN_OF_FIELD:
        if error.params["field"] == "expert" and step == "decided_on":
            return "experts"
        return COLUMN_OF_FIELD[error.params["field"]]
    return step


def import_rows(
    desk: Desk, rows: list[Row], mapping: Mapping, *, dry_run: bool, lang: str
) -> Outcome:
    """Check every row; record them all in one transaction if none is refused (and this is
    not a dry run). The read models are brought up to date afterwards."""
    for attempt in range(TRIES):
        outcome = Outcome(rows=len(rows), dry_run=dry_run)
        checker = _Checker(desk, mapping, lang)
        try:
            with desk.app.all_or_nothing() as unit:
                for row in rows:
                    try:
                        checker.check(row, outcome)
                    except _Refused as refused:
                        outcome.problems += refused.problems
                outcome.events = len(unit)
                if dry_run or outcome.problems:
                    unit.discard()
        except IntegrityError:  # another writer took a case number meanwhile: check again
            if attempt == TRIES - 1:
                raise
            desk.refresh()
            continue
        break
    if outcome.saved:
        desk.refresh()
    return outcome
