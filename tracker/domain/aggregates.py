"""Which aggregate each module of events belongs to: loading, importing and verifying ask it.

Derived from the aggregates' appliers (``@when``), so a new event applied by an aggregate
needs no entry here; a new aggregate goes into ``AGGREGATES``.
"""

from __future__ import annotations

from tracker.domain.base import Aggregate
from tracker.domain.case import Case
from tracker.domain.expert import Expert
from tracker.domain.municipality import Municipality
from tracker.domain.rulebook import RuleBook
from tracker.domain.sequence import NumberClaim
from tracker.domain.topics import Taxonomy

AGGREGATES: tuple[type[Aggregate], ...] = (
    Case,
    Municipality,
    Expert,
    NumberClaim,
    Taxonomy,
    RuleBook,
)

AGGREGATE_OF_MODULE: dict[str, type[Aggregate]] = {
    event_class.__module__: aggregate
    for aggregate in AGGREGATES
    for event_class in aggregate._appliers
}
