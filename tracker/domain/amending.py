"""Corrections (訂正) and withdrawals (取消): what of an entry may be corrected, what an
aggregate's entries read like once amended, and the checks every amendment passes.

An amendment is a later event of the same aggregate that names an earlier entry by its
version. The entry itself stays as recorded; read back "as amended", a corrected entry
has the corrected fields and date, a withdrawn one is gone. An amendment is allowed only
if the amended history still passes, entry by entry and in the order they were recorded,
the rules every entry passed when it was recorded (``Aggregate.replayed``): so business
dates of a case's state changes stay in order, which is what makes "as of a past date"
well defined, and no entry is left that its case's state could not have had.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from events.base import DomainEvent
from events.case import (
    CaseClosed,
    CaseEntryCorrected,
    CaseEntryWithdrawn,
    CaseOpened,
    CaseReopened,
    CommitmentCancelled,
    CommitmentDone,
    CommitmentMade,
    DispatchApplied,
    DispatchDecided,
    ExpertReassigned,
    FeedbackReceived,
    FollowUpCancelled,
    FollowUpDone,
    FollowUpRescheduled,
    FollowUpScheduled,
    NoteAdded,
    VisitReported,
)
from events.municipality import (
    ContactAssigned,
    ContactTransferred,
    MunicipalityEntryCorrected,
    MunicipalityEntryWithdrawn,
    MunicipalityProfileUpdated,
    OutreachRecorded,
)
from tracker.domain.base import Aggregate
from tracker.domain.errors import (
    AmendmentConflictError,
    BansoError,
    EntryNotCorrectableError,
    EntryWithdrawnError,
    FieldNotCorrectableError,
    InvalidInputError,
    NothingToCorrectError,
    ReasonRequiredError,
    UnknownEntryError,
)

CORRECTIONS = (CaseEntryCorrected, MunicipalityEntryCorrected)
WITHDRAWALS = (CaseEntryWithdrawn, MunicipalityEntryWithdrawn)
AMENDMENTS = CORRECTIONS + WITHDRAWALS

#: The fields a correction may change, by kind of entry (its business date it always may).
#: A kind not listed is not corrected: registrations are reference data, amendments are
#: themselves corrected by correcting their entry again. Every kind listed may be withdrawn.
CORRECTABLE: dict[type[DomainEvent], tuple[str, ...]] = {
    CaseOpened: ("summary",),
    DispatchApplied: (),
    DispatchDecided: ("experts",),
    VisitReported: ("report", "experts"),
    ExpertReassigned: ("note",),
    CommitmentMade: ("text", "due"),
    CommitmentDone: ("note",),
    CommitmentCancelled: ("note",),
    FollowUpScheduled: ("note", "due"),
    FollowUpRescheduled: ("note", "due"),
    FollowUpDone: ("note",),
    FollowUpCancelled: ("note",),
    NoteAdded: ("text",),
    FeedbackReceived: ("comment",),
    CaseClosed: ("note",),
    CaseReopened: ("note",),
    OutreachRecorded: ("note",),
    MunicipalityProfileUpdated: ("it_staff", "population"),
    ContactAssigned: ("role", "email", "phone"),
    ContactTransferred: (),
}

#: The free text of each kind of entry: what ``--text`` corrects.
TEXT_FIELD: dict[type[DomainEvent], str] = {
    CaseOpened: "summary",
    VisitReported: "report",
    ExpertReassigned: "note",
    CommitmentMade: "text",
    CommitmentDone: "note",
    CommitmentCancelled: "note",
    FollowUpScheduled: "note",
    FollowUpRescheduled: "note",
    FollowUpDone: "note",
    FollowUpCancelled: "note",
    NoteAdded: "text",
    FeedbackReceived: "comment",
    CaseClosed: "note",
    CaseReopened: "note",
    OutreachRecorded: "note",
}

#: Fields that name experts: a correction must leave at least one.
EXPERT_FIELDS = frozenset({"experts"})


def valid_changes(kind: type[DomainEvent], changes: Mapping[str, Any]) -> bool:
    """Whether ``changes`` name only fields a correction of ``kind`` may change, each with a
    value of its type. A stored correction that does not (none the domain made) is read as
    naming nothing, by the aggregates and the read models alike: it cannot break either."""
    allowed = CORRECTABLE.get(kind)
    if allowed is None or not set(changes) <= set(allowed):
        return False
    try:
        for name, value in changes.items():
            _adapter(kind, name).validate_python(value)
    except ValidationError:
        return False
    return True


@cache
def _adapter(kind: type[DomainEvent], name: str) -> TypeAdapter[Any]:
    annotation = kind.model_fields[name].annotation
    return TypeAdapter(Any if annotation is None else annotation)


def corrected(entry: DomainEvent, changes: Mapping[str, Any], on: date | None) -> DomainEvent:
    """The entry with ``changes`` in its fields and ``on`` (if given) as its business date,
    validated as its kind (a value of the wrong type raises pydantic's error)."""
    fields = entry.model_dump() | dict(changes)
    if on is not None:
        fields["occurred_on"] = on
    return type(entry).model_validate(fields)


@dataclass
class Amended:
    """An aggregate's entries read back as amended."""

    #: The entries not withdrawn, by version, as corrected, in the order recorded.
    entries: dict[int, DomainEvent] = field(default_factory=dict)
    #: The withdrawn entries, by version: the withdrawal of each.
    withdrawn: dict[int, DomainEvent] = field(default_factory=dict)


def amended(history: Iterable[DomainEvent]) -> Amended:
    """The entries of ``history`` (an aggregate's events, in order) as amended; withdrawing
    the first entry (a case's opening) withdraws them all, withdrawing a visit the
    commitments it made (``made_with``)."""
    found = Amended()
    for event in history:
        if isinstance(event, CORRECTIONS):
            target = found.entries.get(event.entry)
            if target is not None and valid_changes(type(target), event.changes):
                found.entries[event.entry] = corrected(target, event.changes, event.entry_on)
        elif isinstance(event, WITHDRAWALS):
            # Withdrawing the first entry (a case's opening) withdraws every entry.
            numbers = list(found.entries) if event.entry == 1 else [event.entry]
            numbers += made_with(found.entries, event.entry)
            for number in numbers:
                if found.entries.pop(number, None) is not None:
                    found.withdrawn[number] = event
        else:
            found.entries[event.originator_version] = event
    return found


def made_with(entries: Mapping[int, DomainEvent], visit: int) -> list[int]:
    """The entries that go with visit entry ``visit`` when it is withdrawn: the commitments
    it made (``CommitmentMade.visit``) and what settled them. A visit that never took place
    promised nothing; the read models (``projections.amend``) withdraw the same entries."""
    if not isinstance(entries.get(visit), VisitReported):
        return []
    made = {
        e.number: n
        for n, e in entries.items()
        if isinstance(e, CommitmentMade) and e.visit == visit
    }
    settled = [
        n
        for n, e in entries.items()
        if isinstance(e, CommitmentDone | CommitmentCancelled) and e.number in made
    ]
    return [*made.values(), *settled]


def require_reason(reason: str, subject: str) -> None:
    """Refuse an amendment that does not say why."""
    if not reason.strip():
        raise ReasonRequiredError(subject=subject)


def target_of(aggregate: Aggregate, number: int, subject: str) -> tuple[DomainEvent, Amended]:
    """Entry ``number`` of an aggregate as amended so far, and all its entries so; refuses
    an entry that does not exist, cannot be amended or is withdrawn already."""
    history = aggregate.history
    if history is None:  # a programming error: amendments are decided over loaded history
        raise RuntimeError(f"{type(aggregate).__name__} was not loaded with its history")
    if not 1 <= number <= len(history):
        raise UnknownEntryError(subject=subject, entry=number)
    recorded = history[number - 1]
    if type(recorded) not in CORRECTABLE:
        raise EntryNotCorrectableError(
            subject=subject, entry=number, entry_kind=type(recorded).__name__
        )
    so_far = amended(history)
    if number in so_far.withdrawn:
        raise EntryWithdrawnError(
            subject=subject, entry=number, by=so_far.withdrawn[number].originator_version
        )
    return so_far.entries[number], so_far


def check_amendment(
    aggregate: Aggregate, amendment: Any, subject: str, *, replay: bool = True
) -> None:
    """Refuse an amendment without a reason, of an entry that cannot take it, or (with
    ``replay``) after which an entry would break the rule it was recorded under: the
    rule of every case and municipality amendment."""
    require_reason(amendment.reason, subject)
    entry, so_far = target_of(aggregate, amendment.entry, subject)
    if isinstance(amendment, CORRECTIONS):
        check_changes(entry, amendment, subject)
    if replay:
        after = amended([*so_far.entries.values(), amendment])
        _check_replay(type(aggregate), aggregate.id, after.entries.values(), subject)


def check_changes(entry: DomainEvent, correction: Any, subject: str) -> None:
    """Refuse a correction that names a field its entry's kind does not let it change,
    leaves no expert, or changes nothing."""
    allowed = CORRECTABLE[type(entry)]
    number = correction.entry
    for name in correction.changes:
        if name not in allowed:
            raise FieldNotCorrectableError(
                subject=subject, entry=number, entry_kind=type(entry).__name__, field=name
            )
        if name in EXPERT_FIELDS and not correction.changes[name]:
            raise InvalidInputError(field="expert", reason="empty", value="")
    try:
        after = corrected(entry, correction.changes, correction.entry_on)
    except ValidationError as error:
        where = error.errors()[0]["loc"]
        raise InvalidInputError(
            field=str(where[0]) if where else "entry", reason="wrong_type", value=str(number)
        ) from None
    if after == entry:
        raise NothingToCorrectError(subject=subject, entry=number)


def _check_replay(
    cls: type[Aggregate], aggregate_id: Any, entries: Iterable[DomainEvent], subject: str
) -> None:
    """Refuse an amendment after which an entry would break the rule it was recorded under."""
    fresh = cls(aggregate_id)
    for entry in entries:
        try:
            fresh.check(entry)
        except BansoError as error:
            raise AmendmentConflictError(
                subject=subject,
                entry=entry.originator_version,
                entry_kind=type(entry).__name__,
                cause=error,
            ) from None
        fresh.mutate(entry)
        fresh.version = entry.originator_version
