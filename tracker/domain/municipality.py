"""A municipality: its profile, its contacts (who holds which role) and outreach to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from events.municipality import (
    ContactAssigned,
    ContactTransferred,
    MunicipalityProfileUpdated,
    MunicipalityRegistered,
    OutreachKind,
    OutreachRecorded,
)
from tracker.domain.base import Aggregate, when
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
        if name in self.contacts:
            raise ContactAlreadyAssignedError(name=name, role=self.contacts[name].role)
        self._trigger(ContactAssigned, on=on, by=by, name=name, role=role, email=email, phone=phone)

    def transfer_contact(self, name: str, *, successor: str | None, on: date, by: str) -> None:
        """The contact leaves; a successor, if named, takes over the role."""
        if name not in self.contacts:
            raise UnknownContactError(name=name, municipality=self.name)
        if on < self.contacts[name].since:
            raise DateBeforeLastChangeError(
                subject=name, on=on.isoformat(), last=self.contacts[name].since.isoformat()
            )
        if successor is not None and successor in self.contacts:
            raise ContactAlreadyAssignedError(name=successor, role=self.contacts[successor].role)
        self._trigger(ContactTransferred, on=on, by=by, name=name, successor=successor)

    def record_outreach(self, kind: OutreachKind, *, note: str | None, on: date, by: str) -> None:
        self._trigger(OutreachRecorded, on=on, by=by, kind=kind, note=note)

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
