"""A case: one consultation and the support that follows it, until it is closed.

What each kind of entry requires of the case is its rule (``@rule``); corrections and
withdrawals of earlier entries are checked by replaying the amended history through the
same rules (``tracker.domain.amending``).
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from events.base import DomainEvent
from events.case import (
    CaseClosed,
    CaseEntryCorrected,
    CaseEntryWithdrawn,
    CaseOpened,
    CaseReopened,
    Channel,
    CommitmentCancelled,
    CommitmentDone,
    CommitmentMade,
    DispatchApplied,
    DispatchDecided,
    ExpertReassigned,
    FeedbackReceived,
    FollowUpCancelled,
    FollowUpDone,
    FollowUpRescheduled,
    FollowUpScheduled,
    NoteAdded,
    Resolution,
    VisitReported,
)
from tracker.domain import amending
from tracker.domain.base import Aggregate, rule, when
from tracker.domain.commitments import Book, Promise
from tracker.domain.errors import (
    CaseClosedError,
    CaseNotClosedError,
    CaseWithdrawnError,
    CommitmentNotOpenError,
    DateBeforeCommitmentError,
    DateBeforeLastChangeError,
    DateBeforeOpeningError,
    ExpertNotOnCaseError,
    FollowUpAmbiguousError,
    InvalidInputError,
    NoApplicationError,
    NoPendingFollowUpError,
    OpenCommitmentsError,
    UnknownFollowUpError,
)
from tracker.domain.fiscal import fiscal_year

#: The entry that opens a case: withdrawing it withdraws the case.
OPENING_ENTRY = 1
#: Ratings this low (1-5) are given with a reason, or refused.
LOW_RATING = 2


def case_number(opened_on: date, sequence: int) -> str:
    """``YYYY-NNN``: the fiscal year of the opening date and the sequence within it."""
    return f"{fiscal_year(opened_on)}-{sequence:03d}"


def canonical_number(ref: str) -> str:
    """A case number as ``case_number`` writes it, however it was typed (``2025-1``,
    ``2025-0001``, full-width digits); anything else (a UUID) as it is, stripped. Commands
    and questions both read a number through this, so what one records the other finds."""
    text = unicodedata.normalize("NFKC", ref).strip()
    year, dash, seq = text.partition("-")
    digits = (year + seq).isascii() and year.isdigit() and seq.isdigit()
    if dash and len(year) == 4 and digits and len(seq) <= 9:
        return f"{year}-{int(seq):03d}"
    return text


class Case(Aggregate):
    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.withdrawn = False
        self._blank()

    def _blank(self) -> None:
        """The state a case has before its opening (what its entries then change)."""
        self.number = ""
        self.municipality_code = ""
        self.opened_on = date.min
        self.closed = False
        self.pending_applications = 0
        self.experts: tuple[str, ...] = ()
        self.book = Book()
        self.visited = False
        self.feedback_given = False
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
        contact_person: UUID | None = None,
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
            contact_person=contact_person,
        )
        return case

    def apply_for_dispatch(self, *, on: date, by: str) -> None:
        self._trigger(DispatchApplied, on=on, by=by)

    def decide_dispatch(self, experts: tuple[str, ...], *, on: date, by: str) -> None:
        self._trigger(DispatchDecided, on=on, by=by, experts=experts)

    def report_visit(
        self,
        report: str,
        *,
        experts: tuple[str, ...],
        online: bool,
        next_steps: tuple[Promise, ...],
        on: date,
        by: str,
    ) -> None:
        """The visit, and each of its next steps as a commitment of its own."""
        for step in next_steps:  # refused before anything is decided
            _require_due(step.due, on)
        visit = self._trigger(
            VisitReported,
            on=on,
            by=by,
            report=report,
            experts=experts or self.experts,
            online=online,
        )
        for step in next_steps:
            self._promise(step, on=on, by=by, visit=visit.originator_version)

    def commit(self, promise: Promise, *, on: date, by: str) -> int:
        """A commitment made later than a visit; returns its number."""
        return self._promise(promise, on=on, by=by)

    def _promise(self, promise: Promise, *, on: date, by: str, visit: int | None = None) -> int:
        number = self.book.next_commitment()
        self._trigger(
            CommitmentMade,
            on=on,
            by=by,
            number=number,
            text=promise.text,
            due=promise.due,
            visit=visit,
            **promise.owner.fields(),
        )
        return number

    def complete_commitment(self, number: int, *, note: str | None, on: date, by: str) -> None:
        self._trigger(CommitmentDone, on=on, by=by, number=number, note=note)

    def cancel_commitment(self, number: int, *, note: str | None, on: date, by: str) -> None:
        self._trigger(CommitmentCancelled, on=on, by=by, number=number, note=note)

    @property
    def open_commitments(self) -> tuple[int, ...]:
        """The numbers of the commitments neither done nor cancelled, in order."""
        return tuple(sorted(self.book.open))

    @property
    def owing(self) -> frozenset[str]:
        """The experts who owe an open commitment on the case (on it or not)."""
        return frozenset(expert for _, expert in self.book.owed)

    def reassign_expert(
        self, from_expert: str, to_expert: str, *, note: str | None, on: date, by: str
    ) -> None:
        """Hand the case from one of its experts, or from an expert owing one of its open
        commitments, to another (who may be on it already)."""
        self._trigger(
            ExpertReassigned,
            on=on,
            by=by,
            from_expert=from_expert,
            to_expert=to_expert,
            note=note,
        )

    def schedule_follow_up(self, due: date, *, note: str | None, on: date, by: str) -> int:
        """Plan a follow-up beside any already pending; returns its number."""
        number = self.book.last_follow_up + 1
        self._trigger(FollowUpScheduled, on=on, by=by, due=due, note=note, number=number)
        return number

    def complete_follow_up(
        self, number: int | None = None, *, note: str | None, on: date, by: str
    ) -> int:
        """The follow-up ``number`` done (the only one pending, if None); returns its number."""
        number = self._pending_follow_up(number)
        self._trigger(FollowUpDone, on=on, by=by, note=note, number=number)
        return number

    def reschedule_follow_up(
        self, number: int | None, due: date, *, note: str | None, on: date, by: str
    ) -> int:
        """The follow-up ``number`` (the only one pending, if None) moved to ``due``."""
        number = self._pending_follow_up(number)
        self._trigger(FollowUpRescheduled, on=on, by=by, number=number, due=due, note=note)
        return number

    def cancel_follow_up(self, number: int | None, *, note: str | None, on: date, by: str) -> int:
        """The follow-up ``number`` (the only one pending, if None) will not take place."""
        number = self._pending_follow_up(number)
        self._trigger(FollowUpCancelled, on=on, by=by, number=number, note=note)
        return number

    def _pending_follow_up(self, number: int | None) -> int:
        """The follow-up named, or the only one pending when none is named (the rules
        check the one named)."""
        if self.closed:
            raise CaseClosedError(case=self.number)
        if number is not None:
            return number
        pending = sorted(self.book.follow_ups)
        if not pending:
            raise NoPendingFollowUpError(case=self.number)
        if len(pending) > 1:
            raise FollowUpAmbiguousError(case=self.number, numbers=_numbers(pending))
        return pending[0]

    @property
    def pending_follow_ups(self) -> dict[int, date]:
        """The follow-ups still to come: number -> due date."""
        return dict(sorted(self.book.follow_ups.items()))

    def add_note(self, text: str, *, on: date, by: str) -> None:
        self._trigger(NoteAdded, on=on, by=by, text=text)

    def receive_feedback(self, rating: int, *, comment: str | None, on: date, by: str) -> None:
        """A rating of 1-5; a low one (``LOW_RATING`` or less) comes with its reason (asked
        of new feedback only: an older store's low ratings stay as they were)."""
        if 1 <= rating <= LOW_RATING and not comment:
            raise InvalidInputError(field="comment", reason="low_rating", value=str(rating))
        self._trigger(FeedbackReceived, on=on, by=by, rating=rating, comment=comment)

    def close(
        self,
        resolution: Resolution,
        *,
        note: str | None,
        on: date,
        by: str,
        cancel_open: bool = False,
    ) -> None:
        """Close the case. Open commitments are refused unless ``cancel_open`` cancels each
        (with the closing's note); pending follow-ups end with the case. The municipality's
        feedback is asked for when the case had a visit and gave none yet.

        The refusal is the command's, not a rule: an older store's cases closed with their
        visits' next steps unsettled, and a correction replays them."""
        if self.closed:
            raise CaseClosedError(case=self.number)
        still_open = self.open_commitments
        if still_open and not cancel_open:
            raise OpenCommitmentsError(case=self.number, numbers=_numbers(still_open))
        for number in still_open:
            self.cancel_commitment(number, note=note, on=on, by=by)
        self._trigger(
            CaseClosed,
            on=on,
            by=by,
            resolution=resolution,
            note=note,
            feedback_requested=self.visited and not self.feedback_given,
        )

    def reopen(self, *, note: str | None, on: date, by: str) -> None:
        self._trigger(CaseReopened, on=on, by=by, note=note)

    # ---- corrections ---------------------------------------------------------------------

    def entry(self, number: int) -> DomainEvent:
        """Entry ``number`` of this case as corrected so far (refused if it is unknown,
        cannot be corrected or is withdrawn): what a correction starts from."""
        if self.withdrawn:
            raise CaseWithdrawnError(case=self.number)
        return amending.target_of(self, number, self.number)[0]

    def correct(
        self,
        entry: int,
        *,
        changes: dict[str, Any],
        entry_on: date | None,
        reason: str,
        on: date,
        by: str,
    ) -> None:
        """Correct entry ``entry``: ``changes`` to its fields, ``entry_on`` its date."""
        self._trigger(
            CaseEntryCorrected,
            on=on,
            by=by,
            entry=entry,
            reason=reason,
            changes=changes,
            entry_on=entry_on,
        )

    def withdraw(self, entry: int, *, reason: str, on: date, by: str) -> None:
        """Withdraw entry ``entry`` (the opening, entry 1: the whole case)."""
        self._trigger(CaseEntryWithdrawn, on=on, by=by, entry=entry, reason=reason)

    # ---- rules: what each entry requires of the case -------------------------------------

    def check(self, event: DomainEvent) -> None:
        if self.withdrawn:
            raise CaseWithdrawnError(case=self.number)
        super().check(event)

    @rule(DispatchApplied, CaseClosed)
    def _open_and_in_order(self, event: DomainEvent) -> None:
        self._require_open(event.occurred_on)
        self._require_in_order(event.occurred_on)

    @rule(DispatchDecided)
    def _may_decide(self, event: DispatchDecided) -> None:
        self._open_and_in_order(event)
        if self.pending_applications == 0:
            raise NoApplicationError(case=self.number)

    @rule(VisitReported)
    def _may_report(self, event: VisitReported) -> None:
        self._require_open(event.occurred_on)

    @rule(ExpertReassigned)
    def _may_reassign(self, event: ExpertReassigned) -> None:
        self._open_and_in_order(event)
        if event.from_expert not in self.experts and event.from_expert not in self.owing:
            raise ExpertNotOnCaseError(case=self.number, expert=event.from_expert)
        if event.to_expert == event.from_expert:
            raise InvalidInputError(field="to", reason="same_expert", value=event.to_expert)

    @rule(CommitmentMade)
    def _may_promise(self, event: CommitmentMade) -> None:
        self._require_open(event.occurred_on)
        _require_due(event.due, event.occurred_on)

    @rule(CommitmentDone, CommitmentCancelled)
    def _may_settle(self, event: CommitmentDone | CommitmentCancelled) -> None:
        self._open_and_in_order(event)
        if event.number not in self.book.open:
            raise CommitmentNotOpenError(case=self.number, number=event.number)
        made_on = self.book.made_on[event.number]
        if event.occurred_on < made_on:
            raise DateBeforeCommitmentError(
                case=self.number,
                number=event.number,
                on=event.occurred_on.isoformat(),
                made_on=made_on.isoformat(),
            )

    @rule(FollowUpScheduled)
    def _may_schedule(self, event: FollowUpScheduled) -> None:
        self._open_and_in_order(event)
        _require_due(event.due, event.occurred_on)

    @rule(FollowUpDone, FollowUpRescheduled, FollowUpCancelled)
    def _may_follow_up(self, event: FollowUpDone | FollowUpRescheduled | FollowUpCancelled) -> None:
        self._open_and_in_order(event)
        if not self.book.follow_ups:
            raise NoPendingFollowUpError(case=self.number)
        if event.number is not None and event.number not in self.book.follow_ups:
            raise UnknownFollowUpError(case=self.number, number=event.number)
        if isinstance(event, FollowUpRescheduled):
            _require_due(event.due, event.occurred_on)

    @rule(NoteAdded)
    def _may_note(self, event: NoteAdded) -> None:
        self._require_not_before_opening(event.occurred_on)

    @rule(FeedbackReceived)
    def _may_take_feedback(self, event: FeedbackReceived) -> None:
        self._require_not_before_opening(event.occurred_on)
        if not 1 <= event.rating <= 5:
            raise InvalidInputError(field="rating", reason="range", value=str(event.rating))

    @rule(CaseReopened)
    def _may_reopen(self, event: CaseReopened) -> None:
        self._require_in_order(event.occurred_on)
        if not self.closed:
            raise CaseNotClosedError(case=self.number)

    @rule(CaseEntryCorrected, CaseEntryWithdrawn)
    def _may_amend(self, amendment: CaseEntryCorrected | CaseEntryWithdrawn) -> None:
        whole = isinstance(amendment, CaseEntryWithdrawn) and amendment.entry == OPENING_ENTRY
        # the whole case withdrawn leaves nothing to break
        amending.check_amendment(self, amendment, self.number, replay=not whole)

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

    # ---- appliers ------------------------------------------------------------------------

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
        self.visited = True
        if event.next_steps:  # recorded before commitments: the municipality's, unnumbered
            self.book.legacy_visit(
                event.occurred_on, event.originator_version, len(event.next_steps)
            )

    @when(CommitmentMade)
    def _on_commitment_made(self, event: CommitmentMade) -> None:
        expert = event.expert if event.owner == "expert" else None
        self.book.made(event.number, event.occurred_on, expert)

    @when(CommitmentDone, CommitmentCancelled)
    def _on_commitment_settled(self, event: CommitmentDone | CommitmentCancelled) -> None:
        self.last_change_on = event.occurred_on
        self.book.settled(event.number)

    @when(ExpertReassigned)
    def _on_expert_reassigned(self, event: ExpertReassigned) -> None:
        self.last_change_on = event.occurred_on
        self.experts = reassigned(self.experts, event.from_expert, event.to_expert)
        self.book.handed_over(event.from_expert, event.to_expert)

    @when(FollowUpScheduled, FollowUpRescheduled)
    def _on_follow_up_planned(self, event: FollowUpScheduled | FollowUpRescheduled) -> None:
        self.last_change_on = event.occurred_on
        self.book.planned(event.number, event.due)

    @when(FollowUpDone, FollowUpCancelled)
    def _on_follow_up_over(self, event: FollowUpDone | FollowUpCancelled) -> None:
        self.last_change_on = event.occurred_on
        self.book.follow_up_over(event.number)

    @when(FeedbackReceived)
    def _on_feedback(self, event: FeedbackReceived) -> None:
        self.feedback_given = True

    @when(NoteAdded)
    def _on_note(self, event: NoteAdded) -> None:
        pass

    @when(CaseClosed)
    def _on_case_closed(self, event: CaseClosed) -> None:
        self.last_change_on = event.occurred_on
        self.closed = True
        self.book.follow_up_over(None)  # a closed case has nothing more to follow up
        self.book.open.clear()  # nor anything promised (an older store's next steps)
        self.book.owed = ()

    @when(CaseReopened)
    def _on_case_reopened(self, event: CaseReopened) -> None:
        self.last_change_on = event.occurred_on
        self.closed = False

    @when(CaseEntryCorrected, CaseEntryWithdrawn)
    def _on_amended(self, event: CaseEntryCorrected | CaseEntryWithdrawn) -> None:
        if isinstance(event, CaseEntryWithdrawn) and event.entry == OPENING_ENTRY:
            self.withdrawn = True
        if self.history is not None:  # else loaded only to check events, not to decide
            entries = amending.amended([*self.history, event]).entries.values()
            number, highest = self.number, self.book.highest
            self._blank()
            for entry in entries:
                self.mutate(entry)
            self.number = self.number or number  # a withdrawn case keeps its number
            # A withdrawn commitment's number is not given again (the timeline keeps it).
            self.book.highest = max(self.book.highest, highest)


def _require_due(due: date | None, on: date) -> None:
    if due is not None and due < on:
        raise InvalidInputError(field="due", reason="before_on", value=due.isoformat())


def _numbers(numbers: tuple[int, ...] | list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def reassigned(experts: tuple[str, ...], from_expert: str, to_expert: str) -> tuple[str, ...]:
    """The case's experts once ``from_expert`` handed it to ``to_expert`` (in its place)."""
    return tuple(dict.fromkeys(to_expert if e == from_expert else e for e in experts))


def imported_case_id(natural_key: str) -> UUID:
    """The id of a case brought in from a desk's own records, derived from what identifies
    the record there: the same record gets the same id in every import and every store."""
    return uuid5(NAMESPACE_URL, f"banso:case:{natural_key}")
