"""Events of a case: a consultation and everything done about it."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal, get_args
from uuid import UUID

from pydantic import Field

from events.base import DomainEvent

Channel = Literal["chat", "mail", "phone", "form", "cafe", "hearing", "visit"]
Resolution = Literal["resolved", "referred", "withdrawn", "no-response"]
#: Who owes a commitment: the municipality, the secretariat (事務局) or an expert.
OwnerKind = Literal["municipality", "secretariat", "expert"]
#: The values the types allow, in their order: what the CLI, the TUI and the commands offer.
CHANNELS: tuple[Channel, ...] = get_args(Channel)
RESOLUTIONS: tuple[Resolution, ...] = get_args(Resolution)
OWNER_KINDS: tuple[OwnerKind, ...] = get_args(OwnerKind)


class CaseOpened(DomainEvent):
    """A consultation opened; its municipal ``contact`` sealed under the key of
    ``contact_person``, theirs (``events.municipality.ContactAssigned``)."""

    personal: ClassVar[dict[str, str]] = {"contact": "contact_person"}

    number: str
    municipality_code: str
    topic: str
    summary: str
    channel: Channel = "chat"
    contact: str | None = None
    contact_person: UUID | None = None


class DispatchApplied(DomainEvent):
    pass


class DispatchDecided(DomainEvent):
    experts: tuple[str, ...]


class VisitReported(DomainEvent):
    """Support given, with the expert's short report (簡易報告書).

    Version 2 replaced the single optional ``next_step`` with a list ``next_steps``. Since
    commitments, a visit's next steps are recorded as ``CommitmentMade`` events of their own,
    each with its owner and due date, and ``next_steps`` stays empty; the next steps of a
    visit recorded before read as open commitments owned by the municipality.
    """

    class_version: ClassVar[int] = 2

    report: str
    experts: tuple[str, ...] = ()
    online: bool = False
    next_steps: tuple[str, ...] = ()

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        step = state.pop("next_step", None)
        state["next_steps"] = [step] if step else []


class CommitmentMade(DomainEvent):
    """A promise about the case (約束・次のステップ): who owes what, by when.

    Numbered within its case from 1, in the order recorded. ``owner`` says who owes it;
    ``member`` names one of the secretariat's members, ``expert`` the expert's id.
    ``visit`` is the entry number of the visit whose next step it is (withdrawing the visit
    withdraws it too); None for a commitment made on its own, or recorded before
    commitments named their visit."""

    number: int
    text: str
    owner: OwnerKind = "municipality"
    member: str | None = None
    expert: str | None = None
    due: date | None = None
    visit: int | None = None


class CommitmentDone(DomainEvent):
    """The commitment ``number`` of the case was kept."""

    number: int
    note: str | None = None


class CommitmentCancelled(DomainEvent):
    """The commitment ``number`` of the case will not be kept (no longer needed, or the
    case closed)."""

    number: int
    note: str | None = None


class ExpertReassigned(DomainEvent):
    """The case's expert ``from_expert`` handed it to ``to_expert`` (a retirement, a change
    of hands): from this day the case is the other's."""

    from_expert: str
    to_expert: str
    note: str | None = None


class FollowUpScheduled(DomainEvent):
    """A follow-up planned for ``due``.

    Version 2 numbers each follow-up within its case, so several can be planned at once. A
    version-1 follow-up has no number (None): it replaced the one pending, and reads so."""

    class_version: ClassVar[int] = 2

    due: date
    note: str | None = None
    number: int | None = None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["number"] = None


class FollowUpDone(DomainEvent):
    """The follow-up ``number`` done. Version 1 named none: it did every pending one."""

    class_version: ClassVar[int] = 2

    note: str | None = None
    number: int | None = None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["number"] = None


class FollowUpRescheduled(DomainEvent):
    """The pending follow-up ``number`` moved to a new due date."""

    number: int
    due: date
    note: str | None = None


class FollowUpCancelled(DomainEvent):
    """The pending follow-up ``number`` will not take place."""

    number: int
    note: str | None = None


class NoteAdded(DomainEvent):
    text: str


class FeedbackReceived(DomainEvent):
    rating: int
    comment: str | None = None


class CaseClosed(DomainEvent):
    """The case closed. Version 2 says whether the municipality's feedback was asked for
    (a case with a visit and no feedback yet); version 1 never asked."""

    class_version: ClassVar[int] = 2

    resolution: Resolution
    note: str | None = None
    feedback_requested: bool = False

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["feedback_requested"] = False


class CaseReopened(DomainEvent):
    note: str | None = None


# ---- corrections (訂正・取消): new events about an earlier entry of the same case ----------
# An entry is named by its version within the case (the number ``case show`` shows). The
# entry itself is never edited: the read models show it as corrected, and the original
# stays in the log and in the case's history.

Changes = dict[str, str | int | tuple[str, ...]]
"""Corrected fields of an entry, by name, each with its corrected value."""


class CaseEntryCorrected(DomainEvent):
    """An earlier entry of this case corrected: ``changes`` replace its fields, ``entry_on``
    (if given) its business date; ``reason`` says why."""

    entry: int
    reason: str
    changes: Changes = Field(default_factory=dict)
    entry_on: date | None = None


class CaseEntryWithdrawn(DomainEvent):
    """An earlier entry of this case withdrawn (recorded on the wrong case, or never so),
    with why. Withdrawing the opening withdraws the case: it stays readable, nothing else."""

    entry: int
    reason: str
