"""The base of every banso event."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class DomainEvent(BaseModel):
    """A fact that happened on ``occurred_on``, recorded at ``timestamp`` by ``recorded_by``."""

    # defer_build: each event's validator is built when that kind is first read or made,
    # not at import (about 0.05 s of every start; the TUI's first paint makes none)
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    class_version: ClassVar[int] = 1
    #: A person's details this event carries, each named by its field (``changes.email``:
    #: the ``email`` key of the dict field ``changes``) with the field holding that person's
    #: id: stored sealed under the person's own key, so that erasing the key erases them
    #: (``tracker.application.personal``).
    personal: ClassVar[dict[str, str]] = {}

    originator_id: UUID
    originator_version: int
    timestamp: datetime
    occurred_on: date
    recorded_by: str

    @classmethod
    def upcast(cls, state: dict[str, Any], from_version: int) -> dict[str, Any]:
        """Bring a stored state written at ``from_version`` up to ``class_version``."""
        while from_version < cls.class_version:
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
            from_version += 1
        return state
