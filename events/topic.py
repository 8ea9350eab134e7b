"""Events of the desk's taxonomy of consultation topics (the default ones are built in)."""

from __future__ import annotations

from events.base import DomainEvent


class TopicRegistered(DomainEvent):
    """A topic of the desk's own (``banso topic add``), chosen by its code or its names."""

    code: str
    name: str
    name_en: str | None = None
