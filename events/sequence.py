"""Events of a number sequence (case numbers per fiscal year, expert ids)."""

from __future__ import annotations

from uuid import UUID

from events.base import DomainEvent


class NumberIssued(DomainEvent):
    sequence: str
    number: int
    issued_to: UUID
