"""Events of an expert in the registry."""

from __future__ import annotations

from events.base import DomainEvent


class ExpertRegistered(DomainEvent):
    expert_id: str
    name: str
    specialties: tuple[str, ...] = ()
    background: str | None = None


class ExpertRetired(DomainEvent):
    pass
