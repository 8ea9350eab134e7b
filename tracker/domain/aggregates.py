"""Which aggregate each module of events belongs to: loading, importing and verifying ask it."""

from __future__ import annotations

from tracker.domain.base import Aggregate
from tracker.domain.case import Case
from tracker.domain.expert import Expert
from tracker.domain.municipality import Municipality
from tracker.domain.sequence import NumberClaim

AGGREGATE_OF_MODULE: dict[str, type[Aggregate]] = {
    "events.case": Case,
    "events.municipality": Municipality,
    "events.expert": Expert,
    "events.sequence": NumberClaim,
}
