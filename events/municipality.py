"""Events of a municipality: its registration, profile, contacts and outreach."""

from __future__ import annotations

from datetime import date
from typing import Literal, get_args

from pydantic import Field

from events.base import DomainEvent

OutreachKind = Literal["cafe", "hearing", "visit", "other"]
#: The kinds the type allows, in its order: what the CLI, the TUI and the commands offer.
OUTREACH_KINDS: tuple[OutreachKind, ...] = get_args(OutreachKind)


class MunicipalityRegistered(DomainEvent):
    code: str
    name: str
    name_kana: str
    prefecture: str
    kind: str
    population: int | None


class MunicipalityProfileUpdated(DomainEvent):
    it_staff: int | None = None
    population: int | None = None


class ContactAssigned(DomainEvent):
    name: str
    role: str
    email: str | None = None
    phone: str | None = None


class ContactTransferred(DomainEvent):
    """The contact left the role (人事異動); a named successor takes over role and cases."""

    name: str
    successor: str | None = None


class OutreachRecorded(DomainEvent):
    kind: OutreachKind
    note: str | None = None


# ---- corrections (訂正・取消) of the municipality's own entries: see events/case.py -------

MunicipalityChanges = dict[str, str | int | tuple[str, ...]]
"""Corrected fields of an entry, by name, each with its corrected value."""


class MunicipalityEntryCorrected(DomainEvent):
    """An earlier entry of this municipality (an outreach, a profile update, a contact's
    change) corrected: ``changes`` replace its fields, ``entry_on`` its business date."""

    entry: int
    reason: str
    changes: MunicipalityChanges = Field(default_factory=dict)
    entry_on: date | None = None


class MunicipalityEntryWithdrawn(DomainEvent):
    """An earlier entry of this municipality withdrawn (recorded on the wrong one), with why."""

    entry: int
    reason: str
