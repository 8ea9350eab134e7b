"""The application: each command loads aggregates, lets them decide, and saves the events.

Commands raise the domain's named errors on bad input and record nothing then. Writes that
collide with another process (eventsourcing's IntegrityError) are retried from a fresh load.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, NamedTuple, ParamSpec, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import ApplicationRecorder, IntegrityError, InternalError
from eventsourcing.utils import Environment, get_topic

from events.case import CHANNELS, RESOLUTIONS, CaseOpened
from events.municipality import OUTREACH_KINDS
from tracker.application.cipher import SAMPLE, check_key
from tracker.application.eventsourcing_compat import (
    SQLiteLog,
    person_keys,
    select_rows,
    sqlite_log,
)
from tracker.application.personal import Keyring
from tracker.application.store import PydanticMapper, store_env
from tracker.application.unit import Unit
from tracker.domain.amending import TEXT_FIELD
from tracker.domain.bundled import of_prefecture, registration
from tracker.domain.case import Case, canonical_number, case_number
from tracker.domain.choices import choose_from
from tracker.domain.commitments import Promise
from tracker.domain.errors import (
    CaseExistsError,
    FieldNotCorrectableError,
    InvalidInputError,
    MunicipalityExistsError,
    StoredEventUnreadableError,
    UnknownCaseError,
    UnknownExpertError,
    UnknownMunicipalityError,
)
from tracker.domain.expert import Expert
from tracker.domain.fiscal import fiscal_year
from tracker.domain.inputs import (
    MAX_SHORT,
    business_date,
    clean_text,
    non_negative,
    optional_text,
)
from tracker.domain.municipality import Municipality, municipality_id
from tracker.domain.owners import MUNICIPALITY, Owner
from tracker.domain.rulebook import RULEBOOK_ID, RuleBook
from tracker.domain.sequence import NumberClaim, Sequence, number_id
from tracker.domain.topics import TAXONOMY_ID, Taxonomy, default_topic


class Forgotten(NamedTuple):
    """Whose details an erasure destroyed, and whether the same name is also in the log
    from before details were sealed (there for good: the command says so)."""

    persons: list[UUID]
    unsealed_remain: bool


P = ParamSpec("P")
R = TypeVar("R")

CONFLICT_RETRIES = 50


def retry_on_conflict(method: Callable[P, R]) -> Callable[P, R]:
    """Run a command again from a fresh load when another writer got there first."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        for _ in range(CONFLICT_RETRIES - 1):
            try:
                return method(*args, **kwargs)
            except IntegrityError:
                continue
        return method(*args, **kwargs)

    return wrapper


class Banso(Application[UUID]):
    """banso's commands over the event store."""

    name = "banso"

    def __init__(self, store: str, *, user: str, cipher_key: str | None = None) -> None:
        """Commands over ``store``, recorded as done by ``user`` (the settings name them);
        with ``cipher_key``, every event's state is stored encrypted."""
        super().__init__(env=store_env(store, cipher_key))
        mapper = cast(PydanticMapper, self.mapper)
        mapper.keyring = self.keyring = Keyring(person_keys(self.recorder), mapper.cipher)
        self.store = store
        self.user = clean_text(user, "user", limit=MAX_SHORT)
        self._unit: Unit | None = None

    def construct_env(self, name: str, env: Any = None) -> Environment:
        """eventsourcing's environment less banso's own variables: by its ``NAME_KEY``
        convention it would read ``BANSO_CIPHER_KEY`` itself, behind the settings' back
        (``tracker.desk.settings`` reads banso's variables and decides; ``store_env``
        passes on what they decided)."""
        found = super().construct_env(name, env)
        ours = f"{name.upper()}_"  # store_env's keys never carry the prefix
        return Environment(name, {k: v for k, v in found.items() if not k.startswith(ours)})

    def check_key(self) -> None:
        """Refuse (``StoreKeyError``) a key that does not fit the store: none for an
        encrypted store, one for a plain store, or the wrong one."""
        first = select_rows(self.recorder, 0, SAMPLE)
        states = [r[4] if isinstance(r[4], bytes) else str(r[4]).encode() for r in first]
        check_key(self.mapper.cipher, states, self.store)

    def record_as(self, user: str) -> None:
        """Record as ``user`` from now on (the TUI asks for the name at first start)."""
        self.user = clean_text(user, "user", limit=MAX_SHORT)

    def construct_recorder(self) -> ApplicationRecorder:
        """The recorder, whose tables are created if missing. Two processes starting at once
        on PostgreSQL can collide there ("tuple concurrently updated"): try again."""
        for _ in range(CONFLICT_RETRIES - 1):
            try:
                return super().construct_recorder()
            except InternalError:
                continue
        return super().construct_recorder()

    def sqlite_log(self) -> SQLiteLog | None:
        """The embedded SQLite file of the store, for writing into it directly (a large
        import); None for other stores."""
        return sqlite_log(self.recorder, self.mapper)

    # ---- many commands, one transaction -----------------------------------------------

    @contextmanager
    def all_or_nothing(self) -> Iterator[Unit]:
        """Run commands that save nothing until the block ends; then save all they decided
        in one transaction, unless the block raised or called ``unit.discard()``.

        One caller at a time (the importer): commands from other threads would join it."""
        unit = self._unit = Unit()
        try:
            yield unit
        finally:
            self._unit = None
        if unit.objects() and not unit.discarded:
            super().save(*unit.objects())

    @property
    def unit(self) -> Unit | None:
        """The open unit of work, if any."""
        return self._unit

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        """Record the aggregates' new events, or hold them in the unit of work if one is open."""
        if self._unit is not None:
            self._unit.hold(*objs)
            return []
        return super().save(*objs, **kwargs)

    # ---- loading -------------------------------------------------------------------------

    def _load(self, aggregate_id: UUID, project: Callable[..., Any]) -> Any:
        """An aggregate as the unit of work holds it, else from the store."""
        held = self._unit.get(aggregate_id) if self._unit is not None else None
        if held is not None:
            return held
        try:
            return self.repository.get(aggregate_id, projector_func=project)
        except (ValueError, TypeError, KeyError, AttributeError) as e:
            # one of its stored events was altered by hand: refuse, saying so
            first = str(e).splitlines()[0] if str(e) else ""
            raise StoredEventUnreadableError(
                subject=str(aggregate_id), detail=f"{type(e).__name__}: {first}"
            ) from None

    def municipality(self, code: str) -> Municipality:
        try:
            return self._load(municipality_id(code), Municipality.project)
        except AggregateNotFoundError:
            raise UnknownMunicipalityError(municipality=code) from None

    def case(self, ref: str | UUID) -> Case:
        """A case by number (``2025-001``) or UUID."""
        case_id = self._case_id(ref)
        try:
            return self._load(case_id, Case.project)
        except AggregateNotFoundError:
            raise UnknownCaseError(case=str(ref)) from None

    def expert(self, ref: str) -> Expert:
        """An expert by id (``E001``)."""
        expert_uuid = self._issued_to("expert", _expert_seq(ref), ref, UnknownExpertError)
        return self._load(expert_uuid, Expert.project)

    def _case_id(self, ref: str | UUID) -> UUID:
        if isinstance(ref, UUID):
            return ref
        ref = canonical_number(ref)
        year, _, seq = ref.partition("-")
        if len(year) == 4 and year.isdigit() and seq.isdigit():
            return self._issued_to(f"case:{year}", int(seq), ref, UnknownCaseError)
        try:
            case_id = UUID(ref)
        except ValueError:
            raise UnknownCaseError(case=ref) from None
        # Another aggregate's id (a municipality's, a sequence's) names no case.
        if self._unit is not None and self._unit.holds(case_id):
            if not isinstance(self._unit.aggregates.get(case_id), Case):
                raise UnknownCaseError(case=ref)
            return case_id
        first = self.recorder.select_events(case_id, limit=1)
        if first and first[0].topic != get_topic(CaseOpened):
            raise UnknownCaseError(case=ref)
        return case_id

    def _issued_to(self, name: str, number: int, ref: str, error: type[Exception]) -> UUID:
        held = self._unit.claims.get(number_id(name, number)) if self._unit else None
        if held is not None:
            return held.issued_to
        try:
            claim = self.repository.get(number_id(name, number), projector_func=NumberClaim.project)
        except AggregateNotFoundError:
            raise error(**{"case" if error is UnknownCaseError else "expert": ref}) from None
        assert claim.issued_to is not None
        return claim.issued_to

    def _sequence(self, name: str) -> Sequence:
        """The sequence after its last issued number (numbers are claimed without gaps)."""
        taken = lambda n: self._exists(number_id(name, n))  # noqa: E731
        high = 1
        while taken(high):
            high *= 2
        low = high // 2  # taken (or 0); high is free: the first free number is in (low, high]
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if taken(middle) else (low, middle)
        return Sequence.start(name, last=low)

    def _exists(self, aggregate_id: UUID) -> bool:
        if self._unit is not None and self._unit.holds(aggregate_id):
            return True
        return bool(self.recorder.select_events(aggregate_id, limit=1))

    def exists(self, aggregate_id: UUID) -> bool:
        """Whether the store (or the open unit of work) has the aggregate ``aggregate_id``."""
        return self._exists(aggregate_id)

    def taxonomy(self) -> Taxonomy:
        """The desk's topics: the default ones and those it registered."""
        try:
            return self._load(TAXONOMY_ID, Taxonomy.project)
        except AggregateNotFoundError:
            return Taxonomy()

    def _topic(self, value: str, field: str) -> str:
        """The code of the topic ``value`` names; the desk's own topics are loaded only for
        a value that names no default one."""
        text = clean_text(value, field, limit=MAX_SHORT)
        return default_topic(text) or self.taxonomy().choose(text, field)

    # ---- municipalities ------------------------------------------------------------------

    def register_municipality(
        self,
        code: str,
        name: str,
        *,
        name_kana: str = "",
        prefecture: str = "",
        population: int | None = None,
        on: date | None = None,
    ) -> str:
        muni = Municipality.register(
            code,
            clean_text(name, "name", limit=MAX_SHORT),
            name_kana=optional_text(name_kana, "kana", limit=MAX_SHORT) or "",
            prefecture=optional_text(prefecture, "prefecture", limit=MAX_SHORT) or "",
            population=non_negative(population, "population"),
            on=business_date(on),
            by=self.user,
        )
        if self._exists(muni.id):
            raise MunicipalityExistsError(municipality=code)
        self.save(muni)
        return code

    def register_prefecture(self, prefecture: str, *, on: date | None = None) -> int:
        """Register a prefecture's bundled municipalities not yet known; returns how many."""
        day = business_date(on)
        new = [
            registration(m, on=day, by=self.user)
            for m in of_prefecture(prefecture)
            if not self._exists(municipality_id(m.code))
        ]
        self.save(*new)
        return len(new)

    @retry_on_conflict
    def update_municipality(
        self,
        code: str,
        *,
        it_staff: int | None = None,
        population: int | None = None,
        on: date | None = None,
    ) -> None:
        if it_staff is None and population is None:
            raise InvalidInputError(field="profile", reason="nothing", value="")
        muni = self.municipality(code)
        muni.update_profile(
            it_staff=non_negative(it_staff, "it_staff"),
            population=non_negative(population, "population"),
            on=business_date(on),
            by=self.user,
        )
        self.save(muni)

    @retry_on_conflict
    def assign_contact(
        self,
        code: str,
        name: str,
        *,
        role: str,
        email: str | None = None,
        phone: str | None = None,
        on: date | None = None,
    ) -> None:
        muni = self.municipality(code)
        muni.assign_contact(
            clean_text(name, "name", limit=MAX_SHORT),
            clean_text(role, "role", limit=MAX_SHORT),
            email=optional_text(email, "email", limit=MAX_SHORT),
            phone=optional_text(phone, "phone", limit=MAX_SHORT),
            on=business_date(on),
            by=self.user,
        )
        self.save(muni)

    @retry_on_conflict
    def transfer_contact(
        self, code: str, name: str, *, successor: str | None = None, on: date | None = None
    ) -> None:
        muni = self.municipality(code)
        muni.transfer_contact(
            clean_text(name, "name", limit=MAX_SHORT),
            successor=optional_text(successor, "successor", limit=MAX_SHORT),
            on=business_date(on),
            by=self.user,
        )
        self.save(muni)

    def forget_contact(self, code: str, name: str) -> Forgotten:
        """Erase the details of everyone named ``name`` who was ever a contact of ``code``
        (APPI): the erasure recorded, then their keys destroyed, so that every event keeps
        what happened under a placeholder. Run again after an interruption, it destroys the
        keys of an erasure already recorded."""
        name = clean_text(name, "name", limit=MAX_SHORT)
        muni = self.municipality(code)
        persons = muni.persons_named(name)
        self._record_forgetting(code, persons)
        self.keyring.destroy(str(p) for p in persons)
        return Forgotten(persons, name in muni.unsealed)

    @retry_on_conflict
    def _record_forgetting(self, code: str, persons: list[UUID]) -> None:
        muni = self.municipality(code)
        pending = [p for p in persons if p not in muni.forgotten]
        if pending:
            muni.forget(pending, on=business_date(None), by=self.user)
            self.save(muni)

    @retry_on_conflict
    def record_outreach(
        self, code: str, kind: str, *, note: str | None = None, on: date | None = None
    ) -> None:
        muni = self.municipality(code)
        muni.record_outreach(
            choose_from(kind, "outreach", OUTREACH_KINDS, "kind"),
            note=optional_text(note, "note"),
            on=business_date(on),
            by=self.user,
        )
        self.save(muni)

    # ---- topics --------------------------------------------------------------------------

    @retry_on_conflict
    def register_topic(
        self, code: str, name: str, *, name_en: str | None = None, on: date | None = None
    ) -> str:
        """Register a topic of the desk's own; returns its code."""
        taxonomy = self.taxonomy()
        registered = taxonomy.register(
            code, name, name_en=name_en, on=business_date(on), by=self.user
        )
        self.save(taxonomy)
        return registered

    # ---- experts -------------------------------------------------------------------------

    @retry_on_conflict
    def register_expert(
        self,
        name: str,
        *,
        specialties: Iterable[str] = (),
        background: str | None = None,
        on: date | None = None,
    ) -> str:
        """Register an expert; returns the new expert id (``E001``)."""
        day = business_date(on)
        sequence = self._sequence("expert")
        expert = Expert.register(
            sequence.last + 1,
            clean_text(name, "name", limit=MAX_SHORT),
            specialties=tuple(self._topic(s, "specialty") for s in specialties),
            background=optional_text(background, "background"),
            on=day,
            by=self.user,
        )
        sequence.issue(expert.id, on=day, by=self.user)
        self.save(*sequence.collect_events(), expert)
        return expert.expert_id

    @retry_on_conflict
    def retire_expert(self, ref: str, *, on: date | None = None) -> None:
        expert = self.expert(ref)
        expert.retire(on=business_date(on), by=self.user)
        self.save(expert)

    def hand_over(
        self,
        from_ref: str,
        to_ref: str,
        cases: Iterable[str | UUID],
        *,
        retire: bool = False,
        note: str | None = None,
        on: date | None = None,
    ) -> list[str]:
        """Hand ``cases`` from one expert to another, retiring the first if asked, all in one
        transaction or nothing; returns the numbers of the cases handed over."""
        day = business_date(on)
        if self.expert(from_ref).expert_id == self.expert(to_ref).expert_id:
            raise InvalidInputError(field="to", reason="same_expert", value=to_ref)
        for attempt in range(CONFLICT_RETRIES):
            try:
                with self.all_or_nothing():
                    if retire:
                        self.retire_expert(from_ref, on=day)
                    return [
                        self.reassign_expert(ref, from_ref, to_ref, note=note, on=day)
                        for ref in cases
                    ]
            except IntegrityError:
                if attempt == CONFLICT_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    @retry_on_conflict
    def reassign_expert(
        self,
        ref: str | UUID,
        from_ref: str,
        to_ref: str,
        *,
        note: str | None = None,
        on: date | None = None,
    ) -> str:
        """Hand one case from one of its experts to another; returns the case's number."""
        day = business_date(on)
        leaving = self.expert(from_ref)
        taking = self.expert(to_ref)
        taking.require_active()
        case = self.case(ref)
        case.reassign_expert(
            leaving.expert_id,
            taking.expert_id,
            note=optional_text(note, "note"),
            on=day,
            by=self.user,
        )
        self.save(case)
        return case.number

    def _active_experts(self, refs: Iterable[str]) -> tuple[str, ...]:
        experts = [self.expert(ref) for ref in refs]
        for expert in experts:
            expert.require_active()
        return tuple(dict.fromkeys(e.expert_id for e in experts))

    # ---- the rule book -------------------------------------------------------------------

    def rulebook(self) -> RuleBook:
        """The desk's rule settings (thresholds and day kinds) as last changed."""
        try:
            return self._load(RULEBOOK_ID, RuleBook.project)
        except AggregateNotFoundError:
            return RuleBook()

    @retry_on_conflict
    def change_setting(self, key: str, value: str, *, on: date | None = None) -> bool:
        """Set a rule setting from ``on`` (default today); False if it already was so."""
        book = self.rulebook()
        changed = book.change(key, value, on=business_date(on), by=self.user)
        if changed:
            self.save(book)
        return changed

    # ---- cases ---------------------------------------------------------------------------

    @retry_on_conflict
    def open_case(
        self,
        code: str,
        *,
        topic: str,
        summary: str,
        channel: str = "chat",
        contact: str | None = None,
        on: date | None = None,
        id: UUID | None = None,
    ) -> tuple[str, UUID]:
        """Open a consultation; returns its number (``2025-001``) and id. ``id``, if given,
        is the case's (an import derives it from the row, so a second import adds nothing)."""
        if id is not None and self._exists(id):
            raise CaseExistsError(case=str(id))
        day = business_date(on)
        muni = self.municipality(code)
        contact = optional_text(contact, "contact", limit=MAX_SHORT)
        person = None if contact is None else muni.person_of(contact)
        sequence = self._sequence(f"case:{fiscal_year(day)}")
        case = Case.open(
            case_number(day, sequence.last + 1),
            code,
            topic=self._topic(topic, "topic"),
            summary=clean_text(summary, "summary"),
            channel=choose_from(channel, "channel", CHANNELS, "channel"),
            contact=contact,
            contact_person=person,
            on=day,
            by=self.user,
            id=id,
        )
        sequence.issue(case.id, on=day, by=self.user)
        self.save(*sequence.collect_events(), case)
        return case.number, case.id

    @retry_on_conflict
    def apply_for_dispatch(self, ref: str, *, on: date | None = None) -> None:
        case = self.case(ref)
        case.apply_for_dispatch(on=business_date(on), by=self.user)
        self.save(case)

    @retry_on_conflict
    def decide_dispatch(self, ref: str, experts: Iterable[str], *, on: date | None = None) -> None:
        chosen = self._active_experts(experts)
        if not chosen:
            raise InvalidInputError(field="expert", reason="empty", value="")
        case = self.case(ref)
        case.decide_dispatch(chosen, on=business_date(on), by=self.user)
        self.save(case)

    @retry_on_conflict
    def report_visit(
        self,
        ref: str,
        *,
        report: str,
        experts: Iterable[str] = (),
        online: bool = False,
        next_steps: Iterable[str | Promise] = (),
        on: date | None = None,
    ) -> None:
        """Support given; each next step (a text: the municipality's, or a ``Promise``
        naming its owner and due date) becomes a commitment of its own."""
        day = business_date(on)
        steps = tuple(self._promise(s, "next_step") for s in next_steps)
        case = self.case(ref)
        case.report_visit(
            clean_text(report, "report"),
            experts=self._in_post(experts, case, day),
            online=online,
            next_steps=steps,
            on=day,
            by=self.user,
        )
        self.save(case)

    def _promise(self, step: str | Promise, field: str) -> Promise:
        """A commitment's text cleaned, and its owner checked: an expert by id, registered
        and active; a secretariat member's name cleaned."""
        promise = step if isinstance(step, Promise) else Promise(step)
        owner = promise.owner
        if owner.kind == "expert":
            expert = self.expert(str(owner.name))
            expert.require_active()
            owner = Owner("expert", expert.expert_id)
        elif owner.name is not None:
            owner = Owner(owner.kind, clean_text(owner.name, "owner", limit=MAX_SHORT))
        return Promise(clean_text(promise.text, field), owner, promise.due)

    @retry_on_conflict
    def commit(
        self,
        ref: str,
        text: str,
        *,
        owner: Owner = MUNICIPALITY,
        due: date | None = None,
        on: date | None = None,
    ) -> int:
        """A commitment made on the case (who owes what, by when); returns its number."""
        promise = self._promise(Promise(text, owner, due), "text")
        case = self.case(ref)
        number = case.commit(promise, on=business_date(on), by=self.user)
        self.save(case)
        return number

    @retry_on_conflict
    def complete_commitment(
        self, ref: str, number: int, *, note: str | None = None, on: date | None = None
    ) -> None:
        case = self.case(ref)
        case.complete_commitment(
            number, note=optional_text(note, "note"), on=business_date(on), by=self.user
        )
        self.save(case)

    @retry_on_conflict
    def cancel_commitment(
        self, ref: str, number: int, *, note: str | None = None, on: date | None = None
    ) -> None:
        case = self.case(ref)
        case.cancel_commitment(
            number, note=optional_text(note, "note"), on=business_date(on), by=self.user
        )
        self.save(case)

    def _in_post(self, refs: Iterable[str], case: Case, day: date) -> tuple[str, ...]:
        """Who supported on ``day``: the experts named, each still in post then; else the
        case's experts in post then (one retired before the day is not credited with a
        visit; a case whose experts have all left is refused, naming the first)."""
        named = [self.expert(ref) for ref in refs]
        for expert in named:
            expert.require_in_post_on(day)
        if named:
            return tuple(dict.fromkeys(e.expert_id for e in named))
        team = [self.expert(e) for e in case.experts]
        in_post = [e for e in team if e.retired_on is None or day <= e.retired_on]
        if team and not in_post:
            team[0].require_in_post_on(day)
        return tuple(e.expert_id for e in in_post)

    @retry_on_conflict
    def schedule_follow_up(
        self, ref: str, *, due: date, note: str | None = None, on: date | None = None
    ) -> int:
        """A follow-up planned beside any pending; returns its number."""
        case = self.case(ref)
        number = case.schedule_follow_up(
            due, note=optional_text(note, "note"), on=business_date(on), by=self.user
        )
        self.save(case)
        return number

    @retry_on_conflict
    def complete_follow_up(
        self,
        ref: str,
        number: int | None = None,
        *,
        note: str | None = None,
        on: date | None = None,
    ) -> int:
        """The follow-up ``number`` done (None: the only one pending); returns its number."""
        case = self.case(ref)
        done = case.complete_follow_up(
            number, note=optional_text(note, "note"), on=business_date(on), by=self.user
        )
        self.save(case)
        return done

    @retry_on_conflict
    def reschedule_follow_up(
        self,
        ref: str,
        number: int | None = None,
        *,
        due: date,
        note: str | None = None,
        on: date | None = None,
    ) -> int:
        """The pending follow-up ``number`` (None: the only one) moved to ``due``."""
        case = self.case(ref)
        moved = case.reschedule_follow_up(
            number, due, note=optional_text(note, "note"), on=business_date(on), by=self.user
        )
        self.save(case)
        return moved

    @retry_on_conflict
    def cancel_follow_up(
        self,
        ref: str,
        number: int | None = None,
        *,
        note: str | None = None,
        on: date | None = None,
    ) -> int:
        """The pending follow-up ``number`` (None: the only one) will not take place."""
        case = self.case(ref)
        cancelled = case.cancel_follow_up(
            number, note=optional_text(note, "note"), on=business_date(on), by=self.user
        )
        self.save(case)
        return cancelled

    @retry_on_conflict
    def add_note(self, ref: str, text: str, *, on: date | None = None) -> None:
        case = self.case(ref)
        case.add_note(clean_text(text, "text"), on=business_date(on), by=self.user)
        self.save(case)

    @retry_on_conflict
    def receive_feedback(
        self, ref: str, *, rating: int, comment: str | None = None, on: date | None = None
    ) -> None:
        case = self.case(ref)
        case.receive_feedback(
            rating, comment=optional_text(comment, "comment"), on=business_date(on), by=self.user
        )
        self.save(case)

    @retry_on_conflict
    def close_case(
        self,
        ref: str,
        *,
        resolution: str,
        note: str | None = None,
        on: date | None = None,
        cancel_open: bool = False,
    ) -> None:
        """Close the case; open commitments are refused unless ``cancel_open`` cancels them."""
        case = self.case(ref)
        case.close(
            choose_from(resolution, "resolution", RESOLUTIONS, "resolution"),
            note=optional_text(note, "note"),
            on=business_date(on),
            by=self.user,
            cancel_open=cancel_open,
        )
        self.save(case)

    @retry_on_conflict
    def reopen_case(self, ref: str, *, note: str | None = None, on: date | None = None) -> None:
        case = self.case(ref)
        case.reopen(note=optional_text(note, "note"), on=business_date(on), by=self.user)
        self.save(case)

    # ---- corrections (訂正) and withdrawals (取消) ------------------------------------------

    @retry_on_conflict
    def correct_case_entry(
        self,
        ref: str,
        entry: int,
        *,
        reason: str,
        text: str | None = None,
        experts: Iterable[str] | None = None,
        due: date | None = None,
        entry_on: date | None = None,
    ) -> int:
        """Correct entry ``entry`` of a case (its text, experts, due date or business date;
        a visit's next steps are commitments, each an entry of its own); returns the
        correction's own entry number."""
        case = self.case(ref)
        target = case.entry(entry)
        changes = self._text_change(target, text, case.number, entry)
        if experts is not None:
            changes["experts"] = tuple(dict.fromkeys(self.expert(e).expert_id for e in experts))
        if due is not None:
            changes["due"] = due.isoformat()  # as the entry stores it
        case.correct(
            entry,
            changes=changes,
            entry_on=None if entry_on is None else business_date(entry_on),
            reason=_reason(reason),
            on=business_date(None),
            by=self.user,
        )
        self.save(case)
        return case.version

    @retry_on_conflict
    def withdraw_case_entry(self, ref: str, entry: int = 1, *, reason: str) -> int:
        """Withdraw entry ``entry`` of a case (by default its opening: the whole case);
        returns the withdrawal's own entry number."""
        case = self.case(ref)
        case.withdraw(entry, reason=_reason(reason), on=business_date(None), by=self.user)
        self.save(case)
        return case.version

    @retry_on_conflict
    def correct_municipality_entry(
        self,
        code: str,
        entry: int,
        *,
        reason: str,
        text: str | None = None,
        role: str | None = None,
        email: str | None = None,
        phone: str | None = None,
        it_staff: int | None = None,
        population: int | None = None,
        entry_on: date | None = None,
    ) -> int:
        """Correct entry ``entry`` of a municipality (an outreach's note, a contact's role,
        e-mail or phone, a profile's figures, or its business date); returns the
        correction's own entry number."""
        muni = self.municipality(code)
        target = muni.entry(entry)
        changes = self._text_change(target, text, muni.name, entry)
        for name, value in (("role", role), ("email", email), ("phone", phone)):
            if value is not None:
                changes[name] = clean_text(value, name, limit=MAX_SHORT)
        for name, number in (("it_staff", it_staff), ("population", population)):
            if number is not None:
                changes[name] = non_negative(number, name)
        muni.correct(
            entry,
            changes=changes,
            entry_on=None if entry_on is None else business_date(entry_on),
            reason=_reason(reason),
            on=business_date(None),
            by=self.user,
            person=getattr(target, "person", None) if {"email", "phone"} & set(changes) else None,
        )
        self.save(muni)
        return muni.version

    @retry_on_conflict
    def withdraw_municipality_entry(self, code: str, entry: int, *, reason: str) -> int:
        """Withdraw entry ``entry`` of a municipality; returns the withdrawal's entry number."""
        muni = self.municipality(code)
        muni.withdraw(entry, reason=_reason(reason), on=business_date(None), by=self.user)
        self.save(muni)
        return muni.version

    @staticmethod
    def _text_change(target: Any, text: str | None, subject: str, entry: int) -> dict[str, Any]:
        """The change of an entry's free text (``TEXT_FIELD``), if a text is given."""
        if text is None:
            return {}
        field = TEXT_FIELD.get(type(target))
        if field is None:
            raise FieldNotCorrectableError(
                subject=subject, entry=entry, entry_kind=type(target).__name__, field="text"
            )
        return {field: clean_text(text, field)}


def _reason(reason: str | None) -> str:
    """Why an entry is amended: checked as text; blank is left to the domain to refuse."""
    return optional_text(reason, "reason") or ""


def _expert_seq(ref: str) -> int:
    ref = ref.strip().upper()
    if len(ref) >= 2 and ref[0] == "E" and ref[1:].isdigit():
        return int(ref[1:])
    raise UnknownExpertError(expert=ref)
