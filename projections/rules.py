"""Stall rules (CLI.md): when a case counts as stalling. Thresholds live here, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from projections.casestate import CaseState


@dataclass(frozen=True)
class Thresholds:
    """Days after which a clock counts as overdue (strictly more than this many)."""

    decision_days: int = 7
    one_off_days: int = 30
    dormant_days: int = 60


DEFAULT = Thresholds()

#: What a visit records: the report and the commitments made at it (its next steps).
VISIT_KINDS = ("VisitReported", "CommitmentMade")

RULES = (
    "decision-overdue",
    "one-off",
    "follow-up-overdue",
    "commitment-overdue",
    "contact-left",
    "dormant",
)


@dataclass(frozen=True)
class Stall:
    rule: str
    since: date

    def days(self, as_of: date) -> int:
        return (as_of - self.since).days


def _days(as_of: date, since: str) -> int:
    return (as_of - date.fromisoformat(since)).days


def stalls(
    case: CaseState,
    as_of: date,
    *,
    contact_left_on: str | None = None,
    thresholds: Thresholds = DEFAULT,
) -> list[Stall]:
    """What each rule says about an open case on ``as_of`` (closed cases never stall)."""
    if case.status != "open":
        return []
    found: list[Stall] = []
    pending = case.application_pending_since
    if pending and _days(as_of, pending) > thresholds.decision_days:
        found.append(Stall("decision-overdue", date.fromisoformat(pending)))
    if (
        case.last_activity_kind in VISIT_KINDS
        and case.last_activity_on == case.last_visit_on
        and case.follow_up_due is None
        and case.last_visit_on
        and _days(as_of, case.last_visit_on) > thresholds.one_off_days
    ):
        found.append(Stall("one-off", date.fromisoformat(case.last_visit_on)))
    if case.follow_up_due and _days(as_of, case.follow_up_due) > 0:
        found.append(Stall("follow-up-overdue", date.fromisoformat(case.follow_up_due)))
    if case.commitment_due and _days(as_of, case.commitment_due) > 0:
        found.append(Stall("commitment-overdue", date.fromisoformat(case.commitment_due)))
    if contact_left_on is not None:
        found.append(Stall("contact-left", date.fromisoformat(contact_left_on)))
    if not found and _days(as_of, case.last_activity_on) > thresholds.dormant_days:
        found.append(Stall("dormant", date.fromisoformat(case.last_activity_on)))
    return found
