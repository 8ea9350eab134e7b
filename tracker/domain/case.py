"""A case: one consultation and the support that follows it, until it is closed."""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from events.case import (
    CaseClosed,
    CaseOpened,
    CaseReopened,
    Channel,
    DispatchApplied,
    DispatchDecided,
    ExpertReassigned,
    FeedbackReceived,
    FollowUpDone,
    FollowUpScheduled,
    NoteAdded,
    Resolution,
    VisitReported,
)
from tracker.domain.base import Aggregate, when
from tracker.domain.errors import (
    CaseClosedError,
    CaseNotClosedError,
    DateBeforeLastChangeError,
    DateBeforeOpeningError,
    ExpertNotOnCaseError,
    InvalidInputError,
    NoApplicationError,
    NoPendingFollowUpError,
)
from tracker.domain.fiscal import fiscal_year


def case_number(opened_on: date, sequence: int) -> str:
    """``YYYY-NNN``: the fiscal year of the opening date and the sequence within it."""
    return f"{fiscal_year(opened_on)}-{sequence:03d}"


class Case(Aggregate):
    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.number = ""
        self.municipality_code = ""
        self.opened_on = date.min
        self.closed = False
        self.pending_applications = 0
        self.experts: tuple[str, ...] = ()
        self.follow_up_due: date | None = None
        self.last_change_on = date.min

    @classmethod
    def open(
        cls,
        number: str,
        municipality_code: str,
        *,
        topic: str,
        summary: str,
        channel: Channel,
        contact: str | None,
        on: date,
        by: str,
        id: UUID | None = None,
    ) -> Case:
        case = cls(id or uuid4())
        case._trigger(
            CaseOpened,
            on=on,
            by=by,
            number=number,
            municipality_code=municipality_code,
            topic=topic,
            summary=summary,
            channel=channel,
            contact=contact,
        )
        return case

    def apply_for_dispatch(self, *, on: date, by: str) -> None:
        self._require_open(on)
        self._require_in_order(on)
        self._trigger(DispatchApplied, on=on, by=by)

    def decide_dispatch(self, experts: tuple[str, ...], *, on: date, by: str) -> None:
        self._require_open(on)
        self._require_in_order(on)
        if self.pending_applications == 0:
            raise NoApplicationError(case=self.number)
        self._trigger(DispatchDecided, on=on, by=by, experts=experts)

    def report_visit(
        self,
        report: str,
        *,
        experts: tuple[str, ...],
        online: bool,
        next_steps: tuple[str, ...],
        on: date,
        by: str,
    ) -> None:
        self._require_open(on)
        self._trigger(
            VisitReported,
            on=on,
            by=by,
            report=report,
            experts=experts or self.experts,
            online=online,
            next_steps=next_steps,
        )

    def reassign_expert(
        self, from_expert: str, to_expert: str, *, note: str | None, on: date, by: str
    ) -> None:
        """Hand the case from one of its experts to another (who may be on it already)."""
        self._require_open(on)
        self._require_in_order(on)
        if from_expert not in self.experts:
            raise ExpertNotOnCaseError(case=self.number, expert=from_expert)
        if to_expert == from_expert:
            raise InvalidInputError(field="to", reason="same_expert", value=to_expert)
        self._trigger(
            ExpertReassigned,
            on=on,
            by=by,
            from_expert=from_expert,
            to_expert=to_expert,
            note=note,
        )

    def schedule_follow_up(self, due: date, *, note: str | None, on: date, by: str) -> None:
        self._require_open(on)
        self._require_in_order(on)
        if due < on:
            raise InvalidInputError(field="due", reason="before_on", value=due.isoformat())
        self._trigger(FollowUpScheduled, on=on, by=by, due=due, note=note)

    def complete_follow_up(self, *, note: str | None, on: date, by: str) -> None:
        self._require_open(on)
        self._require_in_order(on)
        if self.follow_up_due is None:
            raise NoPendingFollowUpError(case=self.number)
        self._trigger(FollowUpDone, on=on, by=by, note=note)

    def add_note(self, text: str, *, on: date, by: str) -> None:
        self._require_not_before_opening(on)
        self._trigger(NoteAdded, on=on, by=by, text=text)

    def receive_feedback(self, rating: int, *, comment: str | None, on: date, by: str) -> None:
        self._require_not_before_opening(on)
        if not 1 <= rating <= 5:
            raise InvalidInputError(field="rating", reason="range", value=str(rating))
        self._trigger(FeedbackReceived, on=on, by=by, rating=rating, comment=comment)

    def close(self, resolution: Resolution, *, note: str | None, on: date, by: str) -> None:
        self._require_open(on)
        self._require_in_order(on)
        self._trigger(CaseClosed, on=on, by=by, resolution=resolution, note=note)

    def reopen(self, *, note: str | None, on: date, by: str) -> None:
        self._require_in_order(on)
        if not self.closed:
            raise CaseNotClosedError(case=self.number)
        self._trigger(CaseReopened, on=on, by=by, note=note)

    def _require_open(self, on: date) -> None:
        if self.closed:
            raise CaseClosedError(case=self.number)
        self._require_not_before_opening(on)

    def _require_in_order(self, on: date) -> None:
        """State changes keep their business dates in order, so any past date has one state."""
        if on < self.last_change_on:
            raise DateBeforeLastChangeError(
                subject=self.number, on=on.isoformat(), last=self.last_change_on.isoformat()
            )

    def _require_not_before_opening(self, on: date) -> None:
        if on < self.opened_on:
            raise DateBeforeOpeningError(
                case=self.number, on=on.isoformat(), opened_on=self.opened_on.isoformat()
            )

    @when(CaseOpened)
    def _on_case_opened(self, event: CaseOpened) -> None:
        self.last_change_on = event.occurred_on
        self.number = event.number
        self.municipality_code = event.municipality_code
        self.opened_on = event.occurred_on

    @when(DispatchApplied)
    def _on_dispatch_applied(self, event: DispatchApplied) -> None:
        self.last_change_on = event.occurred_on
        self.pending_applications += 1

    @when(DispatchDecided)
    def _on_dispatch_decided(self, event: DispatchDecided) -> None:
        self.last_change_on = event.occurred_on
        self.pending_applications -= 1
        self.experts = tuple(dict.fromkeys(self.experts + event.experts))

    @when(VisitReported)
    def _on_visit_reported(self, event: VisitReported) -> None:
        self.experts = tuple(dict.fromkeys(self.experts + event.experts))

    @when(ExpertReassigned)
    def _on_expert_reassigned(self, event: ExpertReassigned) -> None:
        self.last_change_on = event.occurred_on
        self.experts = reassigned(self.experts, event.from_expert, event.to_expert)

    @when(FollowUpScheduled)
    def _on_follow_up_scheduled(self, event: FollowUpScheduled) -> None:
        self.last_change_on = event.occurred_on
        self.follow_up_due = event.due

    @when(FollowUpDone)
    def _on_follow_up_done(self, event: FollowUpDone) -> None:
        self.last_change_on = event.occurred_on
        self.follow_up_due = None

    @when(NoteAdded, FeedbackReceived)
    def _on_note_or_feedback(self, event: NoteAdded | FeedbackReceived) -> None:
        pass

    @when(CaseClosed)
    def _on_case_closed(self, event: CaseClosed) -> None:
        self.last_change_on = event.occurred_on
        self.closed = True

    @when(CaseReopened)
    def _on_case_reopened(self, event: CaseReopened) -> None:
        self.last_change_on = event.occurred_on
        self.closed = False


def reassigned(experts: tuple[str, ...], from_expert: str, to_expert: str) -> tuple[str, ...]:
    """The case's experts once ``from_expert`` handed it to ``to_expert`` (in its place)."""
    return tuple(dict.fromkeys(to_expert if e == from_expert else e for e in experts))


def imported_case_id(natural_key: str) -> UUID:
    """The id of a case brought in from a desk's own records, derived from what identifies
    the record there: the same record gets the same id in every import and every store."""
    return uuid5(NAMESPACE_URL, f"banso:case:{natural_key}")
