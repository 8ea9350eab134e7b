"""An expert (専門人材) in the prefecture's registry."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from events.expert import ExpertRegistered, ExpertRetired
from tracker.domain.base import Aggregate, when
from tracker.domain.errors import (
    DateBeforeLastChangeError,
    ExpertRetiredError,
    ExpertRetiredOnError,
)


def expert_number(n: int) -> str:
    """The human id of the n-th expert: E001, E002, ..."""
    return f"E{n:03d}"


class Expert(Aggregate):
    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.expert_id = ""
        self.name = ""
        self.retired = False
        self.registered_on = date.min
        self.retired_on: date | None = None

    @classmethod
    def register(
        cls,
        number: int,
        name: str,
        *,
        specialties: tuple[str, ...],
        background: str | None,
        on: date,
        by: str,
        id: UUID | None = None,
    ) -> Expert:
        expert = cls(id or uuid4())
        expert._trigger(
            ExpertRegistered,
            on=on,
            by=by,
            expert_id=expert_number(number),
            name=name,
            specialties=specialties,
            background=background,
        )
        return expert

    def retire(self, *, on: date, by: str) -> None:
        self.require_active()
        if on < self.registered_on:
            raise DateBeforeLastChangeError(
                subject=self.expert_id, on=on.isoformat(), last=self.registered_on.isoformat()
            )
        self._trigger(ExpertRetired, on=on, by=by)

    def require_active(self) -> None:
        """Still in the registry: can be dispatched, or take over a case."""
        if self.retired:
            raise ExpertRetiredError(expert=self.expert_id, name=self.name)

    def require_in_post_on(self, day: date) -> None:
        """Could support on ``day``: not retired, or retired on that day or later (the
        last day in post counts)."""
        if self.retired_on is not None and day > self.retired_on:
            raise ExpertRetiredOnError(
                expert=self.expert_id,
                name=self.name,
                retired_on=self.retired_on.isoformat(),
                on=day.isoformat(),
            )

    @when(ExpertRegistered)
    def _on_expert_registered(self, event: ExpertRegistered) -> None:
        self.expert_id = event.expert_id
        self.name = event.name
        self.registered_on = event.occurred_on

    @when(ExpertRetired)
    def _on_expert_retired(self, event: ExpertRetired) -> None:
        self.retired = True
        self.retired_on = event.occurred_on
