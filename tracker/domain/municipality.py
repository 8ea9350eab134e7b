"""A municipality: its profile, its contacts (who holds which role) and outreach to it.

Its own entries can be corrected and withdrawn like a case's (``tracker.domain.amending``):
a contact's change only so far as the contacts that follow still hold together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from events.base import DomainEvent
from events.municipality import (
    ContactAssigned,
    ContactTransferred,
    MunicipalityEntryCorrected,
    MunicipalityEntryWithdrawn,
    MunicipalityProfileUpdated,
    MunicipalityRegistered,
    OutreachKind,
    OutreachRecorded,
)
from tracker.domain import amending
from tracker.domain.base import Aggregate, rule, when
from tracker.domain.codes import validate_code
from tracker.domain.errors import (
    ContactAlreadyAssignedError,
    DateBeforeLastChangeError,
    UnknownContactError,
)


def municipality_id(code: str) -> UUID:
    """Municipalities are keyed by their code, so registering one twice is one aggregate."""
    return uuid5(NAMESPACE_URL, f"banso:municipality:{code}")


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    since: date


class Municipality(Aggregate):
    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.code = ""
        self.name = ""
        self.registered_on: date | None = None
        self.contacts: dict[str, Contact] = {}

    @classmethod
    def register(
        cls,
        code: str,
        name: str,
        *,
        name_kana: str = "",
        prefecture: str = "",
        kind: str = "",
        population: int | None = None,
        on: date,
        by: str,
    ) -> Municipality:
        validate_code(code)
        muni = cls(municipality_id(code))
        muni._trigger(
            MunicipalityRegistered,
            on=on,
            by=by,
            code=code,
            name=name,
            name_kana=name_kana,
            prefecture=prefecture,
            kind=kind or name[-1:],
            population=population,
        )
        return muni

    def update_profile(
        self, *, it_staff: int | None, population: int | None, on: date, by: str
    ) -> None:
        self._trigger(
            MunicipalityProfileUpdated, on=on, by=by, it_staff=it_staff, population=population
        )

    def assign_contact(
        self, name: str, role: str, *, email: str | None, phone: str | None, on: date, by: str
    ) -> None:
        self._trigger(ContactAssigned, on=on, by=by, name=name, role=role, email=email, phone=phone)

    def transfer_contact(self, name: str, *, successor: str | None, on: date, by: str) -> None:
        """The contact leaves; a successor, if named, takes over the role."""
        self._trigger(ContactTransferred, on=on, by=by, name=name, successor=successor)

    def record_outreach(self, kind: OutreachKind, *, note: str | None, on: date, by: str) -> None:
        self._trigger(OutreachRecorded, on=on, by=by, kind=kind, note=note)

    # ---- corrections ---------------------------------------------------------------------

    def entry(self, number: int) -> DomainEvent:
        """Entry ``number`` as corrected so far (refused if unknown, not correctable or
        withdrawn): what a correction starts from."""
        return amending.target_of(self, number, self.name)[0]

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
            MunicipalityEntryCorrected,
            on=on,
            by=by,
            entry=entry,
            reason=reason,
            changes=changes,
            entry_on=entry_on,
        )

    def withdraw(self, entry: int, *, reason: str, on: date, by: str) -> None:
        """Withdraw entry ``entry`` (recorded on the wrong municipality, or never so)."""
        self._trigger(MunicipalityEntryWithdrawn, on=on, by=by, entry=entry, reason=reason)

    # ---- rules ---------------------------------------------------------------------------

    @rule(ContactAssigned)
    def _may_assign(self, event: ContactAssigned) -> None:
        if event.name in self.contacts:
            raise ContactAlreadyAssignedError(name=event.name, role=self.contacts[event.name].role)

    @rule(ContactTransferred)
    def _may_transfer(self, event: ContactTransferred) -> None:
        name, on, successor = event.name, event.occurred_on, event.successor
        if name not in self.contacts:
            raise UnknownContactError(name=name, municipality=self.name)
        if on < self.contacts[name].since:
            raise DateBeforeLastChangeError(
                subject=name, on=on.isoformat(), last=self.contacts[name].since.isoformat()
            )
        if successor is not None and successor in self.contacts:
            raise ContactAlreadyAssignedError(name=successor, role=self.contacts[successor].role)

    @rule(MunicipalityEntryCorrected, MunicipalityEntryWithdrawn)
    def _may_amend(
        self, amendment: MunicipalityEntryCorrected | MunicipalityEntryWithdrawn
    ) -> None:
        so_far = amending.check_amendment(self, amendment, self.name)
        after = amending.amended([*so_far.entries.values(), amendment])
        amending.check_replay(Municipality, self.id, after.entries.values(), self.name)

    def require_contact(self, name: str) -> None:
        if name not in self.contacts:
            raise UnknownContactError(name=name, municipality=self.name)

    @when(MunicipalityRegistered)
    def _on_municipality_registered(self, event: MunicipalityRegistered) -> None:
        self.code = event.code
        self.name = event.name
        self.registered_on = event.occurred_on

    @when(MunicipalityProfileUpdated)
    def _on_municipality_profile_updated(self, event: MunicipalityProfileUpdated) -> None:
        pass  # the profile matters to read models, not to any decision here

    @when(ContactAssigned)
    def _on_contact_assigned(self, event: ContactAssigned) -> None:
        self.contacts[event.name] = Contact(event.name, event.role, event.occurred_on)

    @when(ContactTransferred)
    def _on_contact_transferred(self, event: ContactTransferred) -> None:
        leaving = self.contacts.pop(event.name)
        if event.successor:
            self.contacts[event.successor] = Contact(
                event.successor, leaving.role, event.occurred_on
            )

    @when(OutreachRecorded)
    def _on_outreach_recorded(self, event: OutreachRecorded) -> None:
        pass

    @when(MunicipalityEntryCorrected, MunicipalityEntryWithdrawn)
    def _on_amended(self, event: MunicipalityEntryCorrected | MunicipalityEntryWithdrawn) -> None:
        if self.history is not None:  # else loaded only to check events, not to decide
            self.contacts = {}
            for entry in amending.amended([*self.history, event]).entries.values():
                self.mutate(entry)
