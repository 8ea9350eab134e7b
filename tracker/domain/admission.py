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
from tracker.domain.inputs import MAX_LONG, MAX_SHORT, check_text, non_negative
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
def _fields(kind: type[DomainEvent]) -> tuple[str, ...]:
    return tuple(name for name in kind.model_fields if name not in OWN)


def check_values(event: DomainEvent, today: date) -> None:
    """Refuse an event holding a value a command would have refused (too long, a control
    character, a count out of range, a business date after ``today``)."""
    for name in _fields(type(event)):
        _check(getattr(event, name), name, today)
    _check_identity(event)


def _check(value: Any, name: str, today: date) -> None:
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        check_text(value, name, limit=MAX_SHORT if name in SHORT else MAX_LONG)
    elif isinstance(value, int):
        non_negative(value, name)
    elif isinstance(value, date):
        if name in BUSINESS_DATES and value > today:
            raise FutureDateError(on=value.isoformat())
    elif isinstance(value, tuple):
        for item in value:
            _check(item, name, today)
    elif isinstance(value, dict):  # a correction's changes, each a field of its entry
        for field, changed in value.items():
            check_text(field, "changes", limit=MAX_SHORT)
            _check(changed, field, today)


def _check_identity(event: DomainEvent) -> None:
    """Aggregates keyed by what they name carry the id a command would have given them, and
    a case its number in the one form ``case_number`` writes."""
    if isinstance(event, MunicipalityRegistered):
        validate_code(event.code)
        if event.originator_id != municipality_id(event.code):
            raise InvalidInputError(field="code", reason="conflict", value=event.code)
    elif isinstance(event, NumberIssued):
        if event.originator_id != number_id(event.sequence, event.number):
            raise InvalidInputError(field="number", reason="conflict", value=str(event.number))
    elif isinstance(event, CaseOpened):
        _, _, seq = event.number.partition("-")
        if not (seq.isascii() and seq.isdigit()) or event.number != case_number(
            event.occurred_on, int(seq)
        ):
            raise InvalidInputError(field="number", reason="conflict", value=event.number)


def unique_key(event: DomainEvent) -> tuple[str, str] | None:
    """What this event names that no other aggregate of the store may name too."""
    if isinstance(event, CaseOpened):
        return "case", event.number
    if isinstance(event, ExpertRegistered):
        return "expert", event.expert_id
    if isinstance(event, TopicRegistered):
        return "topic", event.code.casefold()
    return None
