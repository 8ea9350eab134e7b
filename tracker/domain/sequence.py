"""Gap-free numbers: case numbers per fiscal year (``case:2025``), expert ids (``expert``).

Each issued number is an aggregate of its own, a ``NumberClaim`` whose id derives from
the sequence and the number. Claiming a number and creating what it names are saved in
one transaction; two processes that take the same number collide on the claim's id and
one of them retries with the next. Looking a number up loads one event, however many
numbers the year has.
"""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from events.base import DomainEvent
from events.sequence import NumberIssued
from tracker.domain.base import Aggregate, when


def number_id(sequence: str, number: int) -> UUID:
    """The stable id of number ``number`` of ``sequence``."""
    return uuid5(NAMESPACE_URL, f"banso:number:{sequence}:{number}")


class NumberClaim(Aggregate):
    """One issued number and what it was issued to."""

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.sequence = ""
        self.number = 0
        self.issued_to: UUID | None = None

    @classmethod
    def issue(
        cls, sequence: str, number: int, issued_to: UUID, *, on: date, by: str
    ) -> NumberClaim:
        claim = cls(number_id(sequence, number))
        claim._trigger(
            NumberIssued, on=on, by=by, sequence=sequence, number=number, issued_to=issued_to
        )
        return claim

    @when(NumberIssued)
    def _on_number_issued(self, event: NumberIssued) -> None:
        self.sequence = event.sequence
        self.number = event.number
        self.issued_to = event.issued_to


class Sequence:
    """Issues the numbers after ``last`` in turn (for writers that hold a sequence for long).

    Not stored itself: ``collect_events`` hands over the claims issued since, to be saved.
    """

    def __init__(self, name: str, last: int = 0) -> None:
        self.name = name
        self.last = last
        self._claims: list[NumberClaim] = []

    @classmethod
    def start(cls, name: str, last: int = 0) -> Sequence:
        return cls(name, last)

    def issue(self, issued_to: UUID, *, on: date, by: str) -> int:
        """Take the next number for ``issued_to``."""
        self.last += 1
        self._claims.append(NumberClaim.issue(self.name, self.last, issued_to, on=on, by=by))
        return self.last

    def collect_events(self) -> list[DomainEvent]:
        claims, self._claims = self._claims, []
        return [event for claim in claims for event in claim.collect_events()]
