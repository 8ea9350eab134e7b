"""Two ways to write the same history: command by command, or in bulk.

``CommandWriter`` is the application itself: every record is one command that loads, checks
and saves. ``BulkWriter`` offers the same methods but keeps the aggregates in memory and
saves their events in large batches, in the order they happened; the aggregates still make
every decision, and numbers are still claimed through ``Sequence`` (one ``NumberClaim`` per
case number and expert id), so the store it writes reads exactly like one written command
by command: the same events, in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from events.base import DomainEvent
from events.case import Channel, Resolution
from events.municipality import OutreachKind
from tracker.application.commands import Banso
from tracker.domain.bundled import bundled, registration
from tracker.domain.case import Case, case_number
from tracker.domain.commitments import Promise
from tracker.domain.errors import UnknownExpertError
from tracker.domain.expert import Expert
from tracker.domain.fiscal import fiscal_year
from tracker.domain.municipality import Municipality
from tracker.domain.sequence import Sequence

#: Events per save: one transaction each; large enough that commits cost little.
BATCH_EVENTS = 10_000


class Recorded(Protocol):
    """An aggregate, or a sequence of number claims: anything holding events to save."""

    def collect_events(self) -> list[DomainEvent]: ...


class CommandWriter:
    """Writes through the application's commands: every check, one transaction per record."""

    def __init__(self, app: Banso) -> None:
        self.app = app

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    def flush(self) -> None:
        """Nothing to do: each command saved its own events."""

    def forget(self, ref: UUID) -> None:
        """Nothing to do: the application keeps no case in memory."""


class BulkWriter:
    """The application's recording commands over aggregates held in memory, saved in batches."""

    def __init__(self, app: Banso, *, batch: int = BATCH_EVENTS) -> None:
        self.app = app
        self.user = app.user
        self.batch = batch
        self.pending: list[DomainEvent] = []
        self.municipalities: dict[str, Municipality] = {}
        self.experts: dict[str, Expert] = {}
        self.cases: dict[UUID, Case] = {}
        self.sequences: dict[str, Sequence] = {}

    def flush(self) -> None:
        """Save the events held back, in the order they happened, in one transaction."""
        if self.pending:
            self.app.save(*self.pending)
            self.pending = []

    def _keep(self, *aggregates: Recorded) -> None:
        for aggregate in aggregates:
            self.pending.extend(aggregate.collect_events())
        if len(self.pending) >= self.batch:
            self.flush()

    def _municipality(self, code: str) -> Municipality:
        muni = self.municipalities.get(code)
        if muni is None:
            muni = self.municipalities[code] = self.app.municipality(code)
        return muni

    def _sequence(self, name: str) -> Sequence:
        sequence = self.sequences.get(name)
        if sequence is None:
            if name.startswith("case:"):  # last year's numbers are all issued: let them go
                self.sequences = {k: v for k, v in self.sequences.items() if k == "expert"}
            sequence = self.sequences[name] = Sequence.start(name)
        return sequence

    # ---- municipalities ------------------------------------------------------------------

    def register_prefecture(self, prefecture_code: str, *, on: date) -> int:
        """Register a prefecture's bundled municipalities into the (empty) store; how many."""
        registered = 0
        for m in bundled():
            if m.prefecture_code == prefecture_code:
                muni = registration(m, on=on, by=self.user)
                self.municipalities[m.code] = muni
                self._keep(muni)
                registered += 1
        return registered

    def update_municipality(self, code: str, *, it_staff: int | None, on: date) -> None:
        muni = self._municipality(code)
        muni.update_profile(it_staff=it_staff, population=None, on=on, by=self.user)
        self._keep(muni)

    def assign_contact(self, code: str, name: str, *, role: str, on: date) -> None:
        muni = self._municipality(code)
        muni.assign_contact(name, role, email=None, phone=None, on=on, by=self.user)
        self._keep(muni)

    def transfer_contact(self, code: str, name: str, *, successor: str | None, on: date) -> None:
        muni = self._municipality(code)
        muni.transfer_contact(name, successor=successor, on=on, by=self.user)
        self._keep(muni)

    def record_outreach(self, code: str, kind: OutreachKind, *, note: str | None, on: date) -> None:
        muni = self._municipality(code)
        muni.record_outreach(kind, note=note, on=on, by=self.user)
        self._keep(muni)

    # ---- experts -------------------------------------------------------------------------

    def register_expert(
        self, name: str, *, specialties: Iterable[str], background: str | None, on: date
    ) -> str:
        sequence = self._sequence("expert")
        expert = Expert.register(
            sequence.last + 1,
            name,
            specialties=tuple(specialties),
            background=background,
            on=on,
            by=self.user,
        )
        sequence.issue(expert.id, on=on, by=self.user)
        self.experts[expert.expert_id] = expert
        self._keep(sequence, expert)
        return expert.expert_id

    def retire_expert(self, ref: str, *, on: date) -> None:
        expert = self._expert(ref)
        expert.retire(on=on, by=self.user)
        self._keep(expert)

    def _expert(self, ref: str) -> Expert:
        try:
            return self.experts[ref]
        except KeyError:
            raise UnknownExpertError(expert=ref) from None

    # ---- cases ---------------------------------------------------------------------------

    def open_case(
        self,
        code: str,
        *,
        topic: str,
        summary: str,
        channel: Channel,
        contact: str | None,
        on: date,
    ) -> tuple[str, UUID]:
        muni = self._municipality(code)
        person = None if contact is None else muni.person_of(contact)
        sequence = self._sequence(f"case:{fiscal_year(on)}")
        case = Case.open(
            case_number(on, sequence.last + 1),
            code,
            topic=topic,
            summary=summary,
            channel=channel,
            contact=contact,
            contact_person=person,
            on=on,
            by=self.user,
        )
        sequence.issue(case.id, on=on, by=self.user)
        self.cases[case.id] = case
        self._keep(sequence, case)
        return case.number, case.id

    def apply_for_dispatch(self, ref: UUID, *, on: date) -> None:
        case = self.cases[ref]
        case.apply_for_dispatch(on=on, by=self.user)
        self._keep(case)

    def decide_dispatch(self, ref: UUID, experts: Iterable[str], *, on: date) -> None:
        chosen = [self._expert(e) for e in experts]
        for expert in chosen:
            expert.require_active()
        case = self.cases[ref]
        case.decide_dispatch(tuple(e.expert_id for e in chosen), on=on, by=self.user)
        self._keep(case)

    def report_visit(
        self,
        ref: UUID,
        *,
        report: str,
        experts: Iterable[str],
        online: bool,
        next_steps: Iterable[Promise],
        on: date,
    ) -> None:
        chosen = [self._expert(e) for e in experts]
        for expert in chosen:
            expert.require_in_post_on(on)
        named = tuple(dict.fromkeys(e.expert_id for e in chosen))
        case = self.cases[ref]
        case.report_visit(
            report, experts=named, online=online, next_steps=tuple(next_steps), on=on, by=self.user
        )
        self._keep(case)

    def complete_commitment(self, ref: UUID, number: int, *, note: str | None, on: date) -> None:
        case = self.cases[ref]
        case.complete_commitment(number, note=note, on=on, by=self.user)
        self._keep(case)

    def cancel_commitment(self, ref: UUID, number: int, *, note: str | None, on: date) -> None:
        case = self.cases[ref]
        case.cancel_commitment(number, note=note, on=on, by=self.user)
        self._keep(case)

    def reassign_expert(
        self, ref: UUID, from_ref: str, to_ref: str, *, note: str | None, on: date
    ) -> None:
        taking = self._expert(to_ref)
        taking.require_active()
        case = self.cases[ref]
        case.reassign_expert(
            self._expert(from_ref).expert_id, taking.expert_id, note=note, on=on, by=self.user
        )
        self._keep(case)

    def schedule_follow_up(self, ref: UUID, *, due: date, note: str | None, on: date) -> None:
        case = self.cases[ref]
        case.schedule_follow_up(due, note=note, on=on, by=self.user)
        self._keep(case)

    def complete_follow_up(
        self, ref: UUID, number: int | None = None, *, note: str | None, on: date
    ) -> None:
        case = self.cases[ref]
        case.complete_follow_up(number, note=note, on=on, by=self.user)
        self._keep(case)

    def reschedule_follow_up(
        self, ref: UUID, number: int, *, due: date, note: str | None, on: date
    ) -> None:
        case = self.cases[ref]
        case.reschedule_follow_up(number, due, note=note, on=on, by=self.user)
        self._keep(case)

    def cancel_follow_up(self, ref: UUID, number: int, *, note: str | None, on: date) -> None:
        case = self.cases[ref]
        case.cancel_follow_up(number, note=note, on=on, by=self.user)
        self._keep(case)

    def add_note(self, ref: UUID, text: str, *, on: date) -> None:
        case = self.cases[ref]
        case.add_note(text, on=on, by=self.user)
        self._keep(case)

    def receive_feedback(self, ref: UUID, *, rating: int, comment: str | None, on: date) -> None:
        case = self.cases[ref]
        case.receive_feedback(rating, comment=comment, on=on, by=self.user)
        self._keep(case)

    def close_case(
        self,
        ref: UUID,
        *,
        resolution: Resolution,
        note: str | None,
        on: date,
        cancel_open: bool = False,
    ) -> None:
        case = self.cases[ref]
        case.close(resolution, note=note, on=on, by=self.user, cancel_open=cancel_open)
        self._keep(case)

    def forget(self, ref: UUID) -> None:
        """The case's story is told: it takes no more part, let it go."""
        self.cases.pop(ref, None)
