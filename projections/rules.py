"""Stall rules (CLI.md): when a case counts as stalling, in one place.

Thresholds and the kind of days each clock counts come from the rule book in force on the
day asked about (``tracker.domain.rulebook``; ``banso config set``). A rule's ``days`` is
"the day asked about minus ``since``" counted in its kind of days: office days (開庁日) for
decision-overdue by default, calendar days for the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from tracker.domain.rulebook import DEFAULT_SETTINGS, RuleSettings

#: What a visit records: the report and the commitments made at it (its next steps).
VISIT_KINDS = ("VisitReported", "CommitmentMade")

RULES = (
    "decision-overdue",
    "one-off",
    "follow-up-overdue",
    "commitment-overdue",
    "contact-left",
    "expert-left",
    "dormant",
)


@dataclass(frozen=True)
class Stall:
    rule: str
    since: date

    def days(self, as_of: date, settings: RuleSettings = DEFAULT_SETTINGS) -> int:
        """The rule's clock on ``as_of``, in its kind of days."""
        return settings.count(self.rule, self.since, as_of)


class StallFacts(Protocol):
    """What the rules read of a case: a ``CaseState``, or the few columns ``stalled`` reads
    of the current ones (decoding every column of every candidate took half its time)."""

    @property
    def status(self) -> str: ...
    @property
    def last_activity_on(self) -> str: ...
    @property
    def last_activity_kind(self) -> str: ...
    @property
    def last_visit_on(self) -> str | None: ...
    @property
    def application_pending_since(self) -> str | None: ...
    @property
    def follow_up_due(self) -> str | None: ...
    @property
    def commitment_due(self) -> str | None: ...
    @property
    def experts(self) -> Sequence[str]: ...


def stalls(
    case: StallFacts,
    as_of: date,
    *,
    contact_left_on: str | None = None,
    expert_left_on: str | None = None,
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> list[Stall]:
    """What each rule says about an open case on ``as_of`` (closed cases never stall);
    ``expert_left_on`` is the day the first of its experts still on it retired."""
    if case.status != "open":
        return []
    found: list[Stall] = []

    def check(rule: str, since: str | None) -> None:
        if since is not None and settings.overdue(rule, date.fromisoformat(since), as_of):
            found.append(Stall(rule, date.fromisoformat(since)))

    check("decision-overdue", case.application_pending_since)
    if (
        case.last_activity_kind in VISIT_KINDS
        and case.last_activity_on == case.last_visit_on
        and case.follow_up_due is None
    ):
        check("one-off", case.last_visit_on)
    check("follow-up-overdue", case.follow_up_due)
    check("commitment-overdue", case.commitment_due)
    if contact_left_on is not None:
        found.append(Stall("contact-left", date.fromisoformat(contact_left_on)))
    if expert_left_on is not None:
        found.append(Stall("expert-left", date.fromisoformat(expert_left_on)))
    if not found:
        check("dormant", case.last_activity_on)
    return found


def expert_left_on(case: StallFacts, retired: dict[str, str]) -> str | None:
    """The day the first of the case's experts left the registry (``retired``: expert ->
    retirement day, as known on the day asked about), if any is still on the case."""
    days = [retired[e] for e in case.experts if e in retired]
    return min(days) if days else None
