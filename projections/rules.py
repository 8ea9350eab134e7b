"""Stall rules (CLI.md): when a case counts as stalling, in one place.

Thresholds and the kind of days each clock counts come from the rule book in force on the
day asked about (``tracker.domain.rulebook``; ``banso config set``). A rule's ``days`` is
"the day asked about minus ``since``" counted in its kind of days: office days (開庁日) for
decision-overdue by default, calendar days for the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from projections.casestate import CaseState
from tracker.domain.rulebook import DEFAULT_SETTINGS, RuleSettings

RULES = (
    "decision-overdue",
    "one-off",
    "follow-up-overdue",
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


def stalls(
    case: CaseState,
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
    if case.last_activity_kind == "VisitReported" and case.follow_up_due is None:
        check("one-off", case.last_visit_on)
    check("follow-up-overdue", case.follow_up_due)
    if contact_left_on is not None:
        found.append(Stall("contact-left", date.fromisoformat(contact_left_on)))
    if expert_left_on is not None:
        found.append(Stall("expert-left", date.fromisoformat(expert_left_on)))
    if not found:
        check("dormant", case.last_activity_on)
    return found


def expert_left_on(case: CaseState, retired: dict[str, str]) -> str | None:
    """The day the first of the case's experts left the registry (``retired``: expert ->
    retirement day, as known on the day asked about), if any is still on the case."""
    days = [retired[e] for e in case.experts if e in retired]
    return min(days) if days else None
