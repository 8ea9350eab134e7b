"""What an event must hold to be stored, for events that arrive whole (an import).

A command checks each value as it is typed (``inputs``), then the aggregate's rules
(``@rule``). An event read from a file skipped the first step: here it is done again on the
event's own fields, with the same limits, so no value an import accepts can later break a
read model or a command (a population of 2**63 did, once recorded). The aggregate's rules,
and what must be unique across a store (case numbers, expert ids, topic codes), are the
importer's to check: they need the aggregates and the store.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from events.base import DomainEvent
from events.case import CaseOpened
from events.expert import ExpertRegistered
from events.municipality import MunicipalityRegistered
from events.sequence import NumberIssued
from events.topic import TopicRegistered
from tracker.domain.case import case_number
from tracker.domain.codes import validate_code
from tracker.domain.errors import FutureDateError, InvalidInputError
from tracker.domain.inputs import MAX_COUNT, MAX_LONG, MAX_SHORT, check_text, non_negative
from tracker.domain.municipality import municipality_id
from tracker.domain.sequence import number_id

#: Fields a command takes with the short limit (names, codes, roles, addresses).
SHORT = frozenset(
    {
        "recorded_by",
        "number",
        "municipality_code",
        "topic",
        "contact",
        "code",
        "name",
        "name_kana",
        "name_en",
        "prefecture",
        "kind",
        "role",
        "email",
        "phone",
        "successor",
        "expert_id",
        "sequence",
        "experts",
        "specialties",
    }
)
#: Dates that are business dates (never in the future); ``due`` is a plan, so it may be.
BUSINESS_DATES = frozenset({"occurred_on", "entry_on"})
#: Fields the store fills in, not values anyone typed.
OWN = frozenset({"originator_id", "originator_version", "timestamp"})


@cache
def _plan(kind: type[DomainEvent]) -> tuple[tuple[str, str, int], ...]:
    """What to check of each field of an event class, by its declared type, worked out
    once per class: an import checks every event, so no field is looked at twice."""
    plan = []
    for name, info in kind.model_fields.items():
        if name in OWN:
            continue
        shown = str(info.annotation)
        limit = MAX_SHORT if name in SHORT else MAX_LONG
        if info.annotation is bool or "Literal" in shown or "UUID" in shown:
            continue  # pydantic allowed only its choices already
        if "dict" in shown:
            plan.append((name, "changes", limit))
        elif "tuple" in shown:
            plan.append((name, "texts", limit))
        elif "str" in shown:
            plan.append((name, "text", limit))
        elif "int" in shown:
            plan.append((name, "count", limit))
        elif "date" in shown and name in BUSINESS_DATES:
            plan.append((name, "day", limit))
    return tuple(plan)


def check_values(event: DomainEvent, today: date) -> None:
    """Refuse an event holding a value a command would have refused (too long, a control
    character, a count out of range, a business date after ``today``)."""
    texts: list[str] = []  # checked for control characters at once: one C call, mostly
    for name, what, limit in _plan(type(event)):
        value = getattr(event, name)
        if value is None:
            continue
        if what == "text":
            if len(value) > limit:
                check_text(value, name, limit=limit)
            texts.append(value)
        elif what == "texts":
            for item in value:
                if len(item) > limit:
                    check_text(item, name, limit=limit)
                texts.append(item)
        elif what == "count":
            if not 0 <= value <= MAX_COUNT:
                non_negative(value, name)
        elif what == "day":
            if value > today:
                raise FutureDateError(on=value.isoformat())
        else:
            _check_changes(value, today)
    joined = "".join(texts).replace("\n", "").replace("\u3000", "").replace("\t", "")
    if not joined.isprintable():  # a rarer blank, or a control character: which field
        for name, what, limit in _plan(type(event)):
            value = getattr(event, name)
            if what == "text" and value is not None:
                check_text(value, name, limit=limit)
            elif what == "texts":
                for item in value:
                    check_text(item, name, limit=limit)
    _check_identity(event)


def _check_changes(changes: dict[str, Any], today: date) -> None:
    """A correction's changes, each a field of its entry, checked as that field is."""
    for field, value in changes.items():
        check_text(field, "changes", limit=MAX_SHORT)
        limit = MAX_SHORT if field in SHORT else MAX_LONG
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, bool):
                continue
            if isinstance(item, str):
                check_text(item, field, limit=limit)
            elif isinstance(item, int):
                non_negative(item, field)


def _check_identity(event: DomainEvent) -> None:
    """Aggregates keyed by what they name carry the id a command would have given them, and
    a case its number in the one form ``case_number`` writes."""
    # by exact type, not isinstance (``unique_key`` says why)
    if type(event) is MunicipalityRegistered:
        validate_code(event.code)
        if event.originator_id != municipality_id(event.code):
            raise InvalidInputError(field="code", reason="conflict", value=event.code)
    elif type(event) is NumberIssued:
        if event.originator_id != number_id(event.sequence, event.number):
            raise InvalidInputError(field="number", reason="conflict", value=str(event.number))
    elif type(event) is CaseOpened:
        _, _, seq = event.number.partition("-")
        if not (seq.isascii() and seq.isdigit()) or event.number != case_number(
            event.occurred_on, int(seq)
        ):
            raise InvalidInputError(field="number", reason="conflict", value=event.number)


def unique_key(event: DomainEvent) -> tuple[str, str] | None:
    """What this event names that no other aggregate of the store may name too."""
    # By exact type: no event class subclasses another, and isinstance through pydantic's
    # metaclass (an ABCMeta) cost about 2 µs an event here, a tenth of an import's checking.
    if type(event) is CaseOpened:
        return "case", event.number
    if type(event) is ExpertRegistered:
        return "expert", event.expert_id
    if type(event) is TopicRegistered:
        return "topic", event.code.casefold()
    return None
