"""Events of a case: a consultation and everything done about it."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal, get_args

from pydantic import Field

from events.base import DomainEvent

Channel = Literal["chat", "mail", "phone", "form", "cafe", "hearing", "visit"]
Resolution = Literal["resolved", "referred", "withdrawn", "no-response"]
#: The values the types allow, in their order: what the CLI, the TUI and the commands offer.
CHANNELS: tuple[Channel, ...] = get_args(Channel)
RESOLUTIONS: tuple[Resolution, ...] = get_args(Resolution)


class CaseOpened(DomainEvent):
    number: str
    municipality_code: str
    topic: str
    summary: str
    channel: Channel = "chat"
    contact: str | None = None


class DispatchApplied(DomainEvent):
    pass


class DispatchDecided(DomainEvent):
    experts: tuple[str, ...]


class VisitReported(DomainEvent):
    """Support given, with the expert's short report (簡易報告書).

    Version 2 replaced the single optional ``next_step`` with a list ``next_steps``.
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


class ExpertReassigned(DomainEvent):
    """The case's expert ``from_expert`` handed it to ``to_expert`` (a retirement, a change
    of hands): from this day the case is the other's."""

    from_expert: str
    to_expert: str
    note: str | None = None


class FollowUpScheduled(DomainEvent):
    due: date
    note: str | None = None


class FollowUpDone(DomainEvent):
    note: str | None = None


class NoteAdded(DomainEvent):
    text: str


class FeedbackReceived(DomainEvent):
    rating: int
    comment: str | None = None


class CaseClosed(DomainEvent):
    resolution: Resolution
    note: str | None = None


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
