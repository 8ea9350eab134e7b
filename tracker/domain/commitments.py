"""What a case has promised and planned, as its aggregate keeps count: commitments and follow-ups.

A commitment is numbered within its case when it is made (``CommitmentMade.number``). The
next steps of a visit recorded before commitments existed carry no number: they read as
open commitments of the municipality, numbered 1, 2, ... in business-date order (then in
the order recorded), which the read side's fold counts the same way, so "as of" any day
they keep their numbers. Such visits are all older than any numbered commitment, so the
numbers never meet.

Follow-ups are numbered too (``FollowUpScheduled.number``); one planned before numbering
(None) replaced the one pending, and is numbered after the highest so far.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tracker.domain.owners import MUNICIPALITY, Owner


@dataclass(frozen=True)
class Promise:
    """A commitment about to be made: what, who owes it, and by when (if anyone said)."""

    text: str
    owner: Owner = MUNICIPALITY
    due: date | None = None


@dataclass(slots=True)
class Book:
    """A case's commitments (number -> the day made, and whether still open) and its
    pending follow-ups (number -> due date). Slotted: an import holds every case's book."""

    made_on: dict[int, date] = field(default_factory=dict)
    open: set[int] = field(default_factory=set)
    follow_ups: dict[int, date] = field(default_factory=dict)
    last_follow_up: int = 0
    #: The highest commitment number given, withdrawn ones included.
    highest: int = 0
    #: The open commitments an expert owes: (number, the expert's id), handed on with a
    #: reassignment, so an expert owing one on a case may hand it over though not on it;
    #: a tuple, shared empty as ``legacy_steps`` is.
    owed: tuple[tuple[int, str], ...] = ()
    #: The unnumbered next steps of older visits: (day, case version, place in the visit);
    #: a tuple, shared empty by every case without any (an import holds every case's book).
    legacy_steps: tuple[tuple[date, int, int], ...] = ()

    def next_commitment(self) -> int:
        """The number the next commitment gets."""
        return max(self.highest, max(self.made_on, default=0)) + 1

    def made(self, number: int, on: date, expert: str | None = None) -> None:
        self.made_on[number] = on
        self.open.add(number)
        self.highest = max(self.highest, number)
        if expert is not None:
            self.owed = (*self.owed, (number, expert))

    def legacy_visit(self, on: date, version: int, steps: int) -> None:
        """An older visit's next steps: numbered with the others like them by date."""
        self.legacy_steps = tuple(
            sorted([*self.legacy_steps, *((on, version, i) for i in range(steps))])
        )
        for number, (made_on, _, _) in enumerate(self.legacy_steps, 1):
            self.made(number, made_on)

    def settled(self, number: int) -> None:
        self.open.discard(number)
        self.owed = tuple(o for o in self.owed if o[0] != number)

    def handed_over(self, from_expert: str, to_expert: str) -> None:
        """What ``from_expert`` still owes on the case is ``to_expert``'s to keep."""
        self.owed = tuple((n, to_expert if e == from_expert else e) for n, e in self.owed)

    def planned(self, number: int | None, due: date) -> None:
        """A follow-up planned; an unnumbered (older) one replaces the one pending."""
        if number is None:
            number = max(self.follow_ups) if self.follow_ups else self.last_follow_up + 1
        self.follow_ups[number] = due
        self.last_follow_up = max(self.last_follow_up, number)

    def follow_up_over(self, number: int | None) -> None:
        """A follow-up done or cancelled; an unnumbered (older) done ends every pending one."""
        if number is None:
            self.follow_ups.clear()
        else:
            self.follow_ups.pop(number, None)
