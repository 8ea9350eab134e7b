"""A gap-free number sequence: case numbers per fiscal year, expert ids.

Issuing a number and creating what it names are saved in one transaction; two processes
that take the same number collide on the sequence's version and one of them retries.
"""

from __future__ import annotations

from datetime import date
from functools import singledispatchmethod
from uuid import NAMESPACE_URL, UUID, uuid5

from events.base import DomainEvent
from events.sequence import NumberIssued
from tracker.domain.base import Aggregate


def sequence_id(name: str) -> UUID:
    """The stable id of the sequence called ``name`` (e.g. ``case:2025``, ``expert``)."""
    return uuid5(NAMESPACE_URL, f"banso:sequence:{name}")


class Sequence(Aggregate):
    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.name = ""
        self.issued: dict[int, UUID] = {}

    @classmethod
    def start(cls, name: str) -> Sequence:
        seq = cls(sequence_id(name))
        seq.name = name
        return seq

    @property
    def last(self) -> int:
        return max(self.issued, default=0)

    def issue(self, issued_to: UUID, *, on: date, by: str) -> int:
        """Take the next number for ``issued_to``."""
        number = self.last + 1
        self._trigger(
            NumberIssued, on=on, by=by, sequence=self.name, number=number, issued_to=issued_to
        )
        return number

    def holder(self, number: int) -> UUID | None:
        return self.issued.get(number)

    @singledispatchmethod
    def mutate(self, event: DomainEvent) -> None:
        raise TypeError(event)

    @mutate.register
    def _(self, event: NumberIssued) -> None:
        self.name = event.sequence
        self.issued[event.number] = event.issued_to
