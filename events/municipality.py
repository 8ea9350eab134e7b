"""Events of a municipality: its registration, profile, contacts and outreach."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal, get_args
from uuid import UUID

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
    """A person took up a role; ``person`` is their id (none before personal data was
    sealed: such a name is stored as it was given)."""

    personal: ClassVar[dict[str, str]] = {"name": "person", "email": "person", "phone": "person"}

    name: str
    role: str
    email: str | None = None
    phone: str | None = None
    person: UUID | None = None


class ContactTransferred(DomainEvent):
    """The contact left the role (人事異動); a named successor takes over role and cases."""

    personal: ClassVar[dict[str, str]] = {"name": "person", "successor": "successor_person"}

    name: str
    successor: str | None = None
    person: UUID | None = None
    successor_person: UUID | None = None


class ContactForgotten(DomainEvent):
    """The details of these people were erased (APPI): their keys destroyed, so that what
    they did stays in the record under a neutral placeholder, and their details nowhere."""

    persons: tuple[UUID, ...]


class OutreachRecorded(DomainEvent):
    kind: OutreachKind
    note: str | None = None


# ---- corrections (訂正・取消) of the municipality's own entries: see events/case.py -------

MunicipalityChanges = dict[str, str | int | tuple[str, ...]]
"""Corrected fields of an entry, by name, each with its corrected value."""


class MunicipalityEntryCorrected(DomainEvent):
    """An earlier entry of this municipality (an outreach, a profile update, a contact's
    change) corrected: ``changes`` replace its fields, ``entry_on`` its business date; a
    contact's corrected e-mail or phone sealed under the key of ``person``, theirs."""

    personal: ClassVar[dict[str, str]] = {"changes.email": "person", "changes.phone": "person"}

    entry: int
    reason: str
    changes: MunicipalityChanges = Field(default_factory=dict)
    entry_on: date | None = None
    person: UUID | None = None


class MunicipalityEntryWithdrawn(DomainEvent):
    """An earlier entry of this municipality withdrawn (recorded on the wrong one), with why."""

    entry: int
    reason: str
