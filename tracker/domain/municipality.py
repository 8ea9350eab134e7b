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
    ContactForgotten,
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
from tracker.domain.erasure import erased_name
from tracker.domain.errors import (
    ContactAlreadyAssignedError,
    ContactNotSealedError,
    DateBeforeLastChangeError,
    UnknownContactError,
    UnknownPersonError,
)


def municipality_id(code: str) -> UUID:
    """Municipalities are keyed by their code, so registering one twice is one aggregate."""
    return uuid5(NAMESPACE_URL, f"banso:municipality:{code}")


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    since: date
    #: Their id, whose key seals their details (None: recorded before details were sealed).
    person: UUID | None = None


class Municipality(Aggregate):
    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.code = ""
        self.name = ""
        self.registered_on: date | None = None
        self.contacts: dict[str, Contact] = {}
        #: Everyone who ever held a role here, by their id: their name (until erased).
        self.people: dict[UUID, str] = {}
        #: Names recorded before details were sealed: in the log as given, for good.
        self.unsealed: set[str] = set()
        self.forgotten: set[UUID] = set()

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
        self._trigger(
            ContactAssigned,
            on=on,
            by=by,
            name=name,
            role=role,
            email=email,
            phone=phone,
            person=self._new_person(),
        )

    def transfer_contact(self, name: str, *, successor: str | None, on: date, by: str) -> None:
        """The contact leaves; a successor, if named, takes over the role."""
        leaving = self.contacts.get(name)
        self._trigger(
            ContactTransferred,
            on=on,
            by=by,
            name=name,
            successor=successor,
            person=leaving.person if leaving else None,
            successor_person=self._new_person() if successor else None,
        )

    def _new_person(self) -> UUID:
        """The id of someone who takes up a role in the entry about to be recorded: made of
        the municipality and the entry's number, so that the same history gives the same
        ids (a demo, stores that merge), and of nothing about the person."""
        return uuid5(self.id, f"person:{self.version + 1}")

    def person_of(self, name: str) -> UUID | None:
        """The id of the current contact ``name`` (refused if there is none)."""
        self.require_contact(name)
        return self.contacts[name].person

    def persons_named(self, name: str) -> list[UUID]:
        """Everyone named ``name`` who ever held a role here (refused if nobody did, or if
        the name was recorded before details were sealed, and so cannot be erased)."""
        found = [person for person, known in self.people.items() if known == name]
        if not found:
            if name in self.unsealed:
                raise ContactNotSealedError(name=name, municipality=self.name)
            raise UnknownContactError(name=name, municipality=self.name)
        return found

    def forget(self, persons: list[UUID], *, on: date, by: str) -> None:
        """Record that these people's details are erased (their keys destroyed next)."""
        self._trigger(ContactForgotten, on=on, by=by, persons=tuple(persons))

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
        person: UUID | None = None,
    ) -> None:
        """Correct entry ``entry``: ``changes`` to its fields, ``entry_on`` its date
        (``person``: whose details the changes are, sealed under their key)."""
        self._trigger(
            MunicipalityEntryCorrected,
            on=on,
            by=by,
            entry=entry,
            reason=reason,
            changes=changes,
            entry_on=entry_on,
            person=person,
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

    @rule(ContactForgotten)
    def _may_forget(self, event: ContactForgotten) -> None:
        unknown = [p for p in event.persons if p not in self.people or p in self.forgotten]
        if unknown or not event.persons:
            raise UnknownPersonError(
                person=str(unknown[0]) if unknown else "", municipality=self.name
            )

    @rule(MunicipalityEntryCorrected, MunicipalityEntryWithdrawn)
    def _may_amend(
        self, amendment: MunicipalityEntryCorrected | MunicipalityEntryWithdrawn
    ) -> None:
        amending.check_amendment(self, amendment, self.name)

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
        self.contacts[event.name] = Contact(event.name, event.role, event.occurred_on, event.person)
        self._met(event.person, event.name)

    @when(ContactTransferred)
    def _on_contact_transferred(self, event: ContactTransferred) -> None:
        leaving = self.contacts.pop(event.name)
        if event.successor:
            self.contacts[event.successor] = Contact(
                event.successor, leaving.role, event.occurred_on, event.successor_person
            )
            self._met(event.successor_person, event.successor)

    def _met(self, person: UUID | None, name: str) -> None:
        if person is None:
            self.unsealed.add(name)
        else:
            self.people[person] = name

    @when(ContactForgotten)
    def _on_contact_forgotten(self, event: ContactForgotten) -> None:
        """As the log reads once their keys are gone: under a placeholder each."""
        self.forgotten.update(event.persons)
        for person in event.persons:
            self.people[person] = erased_name(person)
        renamed = {}
        for c in self.contacts.values():
            if c.person in event.persons:
                c = Contact(erased_name(c.person), c.role, c.since, c.person)
            renamed[c.name] = c
        self.contacts = renamed

    @when(OutreachRecorded)
    def _on_outreach_recorded(self, event: OutreachRecorded) -> None:
        pass

    @when(MunicipalityEntryCorrected, MunicipalityEntryWithdrawn)
    def _on_amended(self, event: MunicipalityEntryCorrected | MunicipalityEntryWithdrawn) -> None:
        if self.history is not None:  # else loaded only to check events, not to decide
            self.contacts = {}
            for entry in amending.amended([*self.history, event]).entries.values():
                self.mutate(entry)
