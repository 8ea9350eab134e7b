"""Every kind of event and what the read side does with it: one declaration a kind.

The projection's handlers, the fold's steps, the fact kinds, the search and expert fields
and the bulk rebuild's lists are all derived from these declarations. A new event kind
needs one ``Kind`` here, besides its aggregate's applier and its label;
``tests/projections/test_every_event_kind.py`` fails, naming the event class and each
place, when any of them is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from events import case, expert, municipality, rules, sequence, topic
from events.base import DomainEvent
from projections import handlers as on
from projections import steps
from projections.handlers import Handler
from projections.steps import Step
from tracker.domain.aggregates import AGGREGATE_OF_MODULE
from tracker.domain.base import Aggregate
from tracker.domain.case import Case


@dataclass(frozen=True)
class Kind:
    """One kind of event, as the read side handles it."""

    event: type[DomainEvent]
    #: What the event does to the read models (``handlers.py``).
    handler: Handler
    #: It becomes a fact: a row of the timeline, the search index and the "as of" source.
    fact: bool = True
    #: The fields it gives full-text search (a list field gives all its items, an empty
    #: field nothing), joined by ``separator``.
    searchable: tuple[str, ...] = ()
    separator: str = " "
    #: The fields naming the experts it is about (each a list, or one expert id).
    experts: tuple[str, ...] = ()
    #: It is about the expert whose aggregate it belongs to (named at registration).
    its_expert: bool = False
    #: The first event of an aggregate names the municipality (and a case's number) that
    #: every event of the aggregate is about.
    municipality_field: str | None = None
    number_field: str | None = None
    #: How it moves a case's state on (every event of a case but the opening).
    step: Step | None = None
    #: It counts as engagement with its municipality (silent municipalities, stats).
    engagement: bool = False
    #: The bulk rebuild applies it through its handler, in log order, rather than in SQL
    #: (the small reference tables: municipalities, contacts, experts).
    bulk_by_handler: bool = False
    #: It corrects ("corrects") or withdraws ("withdraws") an earlier entry of its
    #: aggregate: ``projections.amend`` applies it to that entry's fact (it moves no case
    #: state on by itself, and is no engagement).
    amends: Literal["corrects", "withdraws"] | None = None

    @property
    def name(self) -> str:
        """The kind's name: its event class's, as stored in the topic and the facts."""
        return self.event.__name__

    @property
    def aggregate(self) -> type[Aggregate]:
        """The aggregate whose events these are (by the event's module)."""
        return AGGREGATE_OF_MODULE[self.event.__module__]


def later_case_event(event: type[DomainEvent], step: Step, **more: Any) -> Kind:
    """A case's event after its opening: a fact of the case that moves its state on by
    ``step`` and counts as engagement with its municipality."""
    return Kind(event, on.of_case, step=step, engagement=True, **more)


DECLARED: tuple[Kind, ...] = (
    # municipalities
    Kind(
        municipality.MunicipalityRegistered,
        on.municipality_registered,
        searchable=("name",),
        municipality_field="code",
        bulk_by_handler=True,
    ),
    Kind(municipality.MunicipalityProfileUpdated, on.municipality_profile_updated),
    Kind(
        municipality.ContactAssigned,
        on.contact_assigned,
        searchable=("name",),
        bulk_by_handler=True,
    ),
    Kind(
        municipality.ContactTransferred,
        on.contact_transferred,
        searchable=("name", "successor"),
        bulk_by_handler=True,
    ),
    Kind(municipality.ContactForgotten, on.contact_forgotten),
    Kind(municipality.OutreachRecorded, on.of_municipality, searchable=("note",), engagement=True),
    Kind(
        municipality.MunicipalityEntryCorrected,
        on.municipality_entry_amended,
        searchable=("reason",),
        bulk_by_handler=True,  # for the contacts it changes; its fact is amended after
        amends="corrects",
    ),
    Kind(
        municipality.MunicipalityEntryWithdrawn,
        on.municipality_entry_amended,
        searchable=("reason",),
        bulk_by_handler=True,
        amends="withdraws",
    ),
    # experts
    Kind(
        expert.ExpertRegistered,
        on.expert_registered,
        searchable=("name",),
        experts=("expert_id",),
        bulk_by_handler=True,
    ),
    Kind(expert.ExpertRetired, on.expert_retired, its_expert=True, bulk_by_handler=True),
    # numbers
    Kind(sequence.NumberIssued, on.no_view, fact=False),
    # the desk's own topics
    Kind(topic.TopicRegistered, on.topic_registered, bulk_by_handler=True),
    # the desk's rule book
    Kind(rules.RuleSettingChanged, on.rule_setting_changed, bulk_by_handler=True),
    # cases
    Kind(
        case.CaseOpened,
        on.case_opened,
        searchable=("summary",),
        municipality_field="municipality_code",
        number_field="number",
        engagement=True,
    ),
    later_case_event(case.DispatchApplied, steps.dispatch_applied),
    later_case_event(case.DispatchDecided, steps.dispatch_decided, experts=("experts",)),
    later_case_event(
        case.VisitReported,
        steps.visit_reported,
        searchable=("report", "next_steps"),
        separator="\n",
        experts=("experts",),
    ),
    later_case_event(
        case.ExpertReassigned,
        steps.expert_reassigned,
        searchable=("note",),
        experts=("from_expert", "to_expert"),
    ),
    later_case_event(
        case.CommitmentMade, steps.commitment_made, searchable=("text",), experts=("expert",)
    ),
    later_case_event(case.CommitmentDone, steps.commitment_done, searchable=("note",)),
    later_case_event(case.CommitmentCancelled, steps.commitment_cancelled, searchable=("note",)),
    later_case_event(case.FollowUpScheduled, steps.follow_up_scheduled, searchable=("note",)),
    later_case_event(case.FollowUpRescheduled, steps.follow_up_rescheduled, searchable=("note",)),
    later_case_event(case.FollowUpDone, steps.follow_up_done, searchable=("note",)),
    later_case_event(case.FollowUpCancelled, steps.follow_up_cancelled, searchable=("note",)),
    later_case_event(case.NoteAdded, steps.only_activity, searchable=("text",)),
    later_case_event(case.FeedbackReceived, steps.feedback_received, searchable=("comment",)),
    later_case_event(case.CaseClosed, steps.case_closed, searchable=("note",)),
    later_case_event(case.CaseReopened, steps.case_reopened, searchable=("note",)),
    Kind(case.CaseEntryCorrected, on.case_entry_amended, searchable=("reason",), amends="corrects"),
    Kind(
        case.CaseEntryWithdrawn, on.case_entry_amended, searchable=("reason",), amends="withdraws"
    ),
)

# ---- derived: each table the read side looks kinds up in ------------------------------------

KINDS: dict[str, Kind] = {kind.name: kind for kind in DECLARED}
HANDLERS: dict[str, Handler] = {kind.name: kind.handler for kind in DECLARED}
#: Events of a case.
CASE_KINDS = frozenset(kind.name for kind in DECLARED if kind.aggregate is Case)
#: Kinds whose events become facts (a ``NumberIssued`` only shows on what it numbers).
FACT_KINDS = frozenset(kind.name for kind in DECLARED if kind.fact)
#: Events that count as engagement with a municipality.
ENGAGEMENT_KINDS = frozenset(kind.name for kind in DECLARED if kind.engagement)
SEARCHABLE: dict[str, tuple[tuple[str, ...], str]] = {
    kind.name: (kind.searchable, kind.separator) for kind in DECLARED if kind.searchable
}
EXPERTS_FIELDS: dict[str, tuple[str, ...]] = {
    kind.name: kind.experts for kind in DECLARED if kind.experts
}
ITS_EXPERT_KINDS = frozenset(kind.name for kind in DECLARED if kind.its_expert)
#: Kind -> (the field naming its aggregate's municipality, the field naming its number).
OPENINGS: dict[str, tuple[str, str | None]] = {
    kind.name: (kind.municipality_field, kind.number_field)
    for kind in DECLARED
    if kind.municipality_field
}
STEPS: dict[str, Step] = {kind.name: kind.step for kind in DECLARED if kind.step}
#: Kinds the bulk rebuild applies through their handlers, in log order.
BULK_BY_HANDLER = tuple(kind.name for kind in DECLARED if kind.bulk_by_handler)
#: Kinds that correct or withdraw an earlier entry.
AMENDING_KINDS = frozenset(kind.name for kind in DECLARED if kind.amends)
#: Of those, the ones that withdraw it.
WITHDRAWING_KINDS = frozenset(kind.name for kind in DECLARED if kind.amends == "withdraws")
