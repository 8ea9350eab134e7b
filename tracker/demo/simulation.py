"""The simulation: walks the calendar from the first April of the history to ``today``.

Each day it lives what the planner put on it (consultations, outreach), then every case
step that falls due; each April contacts rotate and experts join. Every random choice
comes from one ``random.Random`` drawn in calendar order, so a seed and a ``today`` give
the same case numbers, dates and texts every time.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from uuid import UUID

from events.municipality import OutreachKind
from tracker.demo import people, texts
from tracker.demo.days import every_day, later
from tracker.demo.planning import Opening, Planner
from tracker.demo.stories import Deck, Step, consultation, stalled_cases
from tracker.demo.world import TOPICS, ExpertCard, Muni, Region, block_of, make_region
from tracker.demo.writers import BulkWriter, CommandWriter
from tracker.domain.bundled import bundled
from tracker.domain.fiscal import fiscal_year

Progress = Callable[[int, int], None]
SUCCESSOR_SHARE = 0.75  # transfers that name a successor on the day
REFILL_SHARE = 0.7  # vacant roles filled again within two months


@dataclass(frozen=True)
class Scale:
    """How big a demo is."""

    prefectures: tuple[str, ...] | None  # None: every prefecture
    fiscal_years: int  # of history, the last one being today's
    monthly_per_municipality: float  # consultations a month per municipality, at full run
    experts: int  # registered on the first day
    experts_joining: int  # each April
    experts_leaving: int  # each March 31
    ramp: bool  # demand grows over the first years
    bulk: bool  # write in batches rather than command by command


@dataclass
class OpenCase:
    id: UUID
    muni: Muni
    topic: str
    contact: str | None
    story: Iterator[Step]
    experts: tuple[str, ...] = field(default=())  # every expert dispatched so far
    dispatched: tuple[str, ...] = field(default=())  # those of the latest decision


class Simulation:
    """Walks the calendar from the first day to ``today``, recording what happens each day."""

    def __init__(
        self,
        writer: BulkWriter | CommandWriter,
        rng: random.Random,
        scale: Scale,
        *,
        today: date,
        fraction: float,
    ) -> None:
        self.writer, self.rng, self.scale, self.today = writer, rng, scale, today
        self.start = date(fiscal_year(today) - scale.fiscal_years + 1, 4, 1)
        self.regions: list[Region] = []
        self.munis: dict[str, Muni] = {}
        self.planner = Planner(
            rng,
            self.regions,
            monthly_per_municipality=scale.monthly_per_municipality * fraction,
            ramp_from=self.start.year if scale.ramp else None,
            today=today,
        )
        self.experts: dict[str, ExpertCard] = {}
        self.expert_names: set[str] = set()
        self.pools: dict[tuple[int, str], list[ExpertCard]] = {}
        self.open_cases: dict[UUID, OpenCase] = {}
        self.agenda: list[tuple[date, int, Callable[[], None]]] = []
        self.tick = itertools.count()
        self.deck = Deck(rng)
        self.cases = 0
        #: The expert the planned stories send and then retire (``stories.LEAVER``).
        self.leaver: str | None = None

    def run(self, progress: Progress | None) -> None:
        """Set the world up on the first day, then live each day up to today."""
        self.set_up()
        total = (self.today - self.start).days + 1
        for done, day in enumerate(every_day(self.start, self.today), 1):
            self.live(day)
            if progress is not None:
                progress(done, total)
        self.writer.flush()

    def live(self, day: date) -> None:
        if day.day == 1:
            self.planner.plan_month(day)
        if (day.month, day.day) == (3, 31):
            self.retire_experts(day)
        if (day.month, day.day) == (4, 1) and day != self.start:
            self.register_experts(self.scale.experts_joining, day)
            for muni in self.munis.values():
                self.rotate(muni, day)
        for muni, kind, note in self.planner.outreach.pop(day, ()):
            self.reach(muni, kind, note, day)
        for opening in self.planner.openings.pop(day, ()):
            self.open(opening)
        while self.agenda and self.agenda[0][0] <= day:
            heapq.heappop(self.agenda)[2]()

    def schedule(self, day: date, action: Callable[[], None]) -> None:
        heapq.heappush(self.agenda, (day, next(self.tick), action))

    # ---- the first day -------------------------------------------------------------------

    def set_up(self) -> None:
        everywhere = dict.fromkeys(m.prefecture_code for m in bundled())
        codes = self.scale.prefectures or tuple(everywhere)
        for code in codes:
            self.writer.register_prefecture(code, on=self.start)
            region = make_region(
                self.rng, code, [m for m in bundled() if m.prefecture_code == code]
            )
            self.regions.append(region)
            self.munis |= {m.code: m for m in region.munis}
        for muni in self.munis.values():
            muni.it_staff = people.it_staff(self.rng, muni.population)
            self.writer.update_municipality(muni.code, it_staff=muni.it_staff, on=self.start)
            for role in people.contact_roles(self.rng, muni.population):
                self.assign(muni, role, self.start)
        self.register_experts(self.scale.experts, self.start)
        self.plan_stalled()

    def plan_stalled(self) -> None:
        region = next((r for r in self.regions if r.code == "11"), self.regions[0])
        stalled = stalled_cases(self.today)
        for plan, muni in zip(stalled, self.rng.sample(region.askers, len(stalled)), strict=True):
            if plan.opens_on < self.start:
                continue
            topic = self.planner.topic_for(muni, fiscal_year(plan.opens_on), dispatchable=True)
            opening = Opening(
                plan.opens_on, muni, topic, plan.channel, plan.story, plan.with_contact, True
            )
            self.planner.add(opening, region)

    # ---- contacts and outreach -----------------------------------------------------------

    def assign(self, muni: Muni, role: str, day: date) -> None:
        name = people.person_name(self.rng, muni.names)
        self.writer.assign_contact(muni.code, name, role=role, on=day)
        muni.contacts[name], muni.since[name] = role, day

    def rotate(self, muni: Muni, day: date) -> None:
        """April 1: some contacts are transferred, most with a successor named on the day."""
        for name, role in list(muni.contacts.items()):
            years = (day - muni.since[name]).days / 365.25
            if name in muni.protected or years < 0.9:
                continue
            if self.rng.random() >= min(0.7, 0.25 + 0.12 * (years - 1)):
                continue
            if self.rng.random() < SUCCESSOR_SHARE:
                successor = people.person_name(self.rng, muni.names)
                self.writer.transfer_contact(muni.code, name, successor=successor, on=day)
                muni.contacts[successor], muni.since[successor] = role, day
            else:
                self.writer.transfer_contact(muni.code, name, successor=None, on=day)
                if self.rng.random() < REFILL_SHARE:
                    refill = later(self.rng, day, 10, 60)
                    self.schedule(refill, partial(self.assign, muni, role, refill))
            del muni.contacts[name], muni.since[name]

    def leave(self, muni: Muni, name: str | None, day: date) -> None:
        """A contact leaves mid-year with nobody named to follow."""
        if name is not None and name in muni.contacts:
            self.writer.transfer_contact(muni.code, name, successor=None, on=day)
            del muni.contacts[name], muni.since[name]

    def reach(self, muni: Muni, kind: OutreachKind, note: str, day: date) -> None:
        self.writer.record_outreach(muni.code, kind, note=note, on=day)
        muni.engaged_on = day

    # ---- experts -------------------------------------------------------------------------

    def register_experts(self, n: int, day: date) -> None:
        blocks = [block_of(r.code) for r in self.regions for _ in r.munis]
        for _ in range(n):
            first = TOPICS[len(self.experts) % len(TOPICS)]  # every topic has its experts
            others = [t for t in TOPICS if t != first]
            specialties = tuple(
                sorted((first, *self.rng.sample(others, self.rng.choice((0, 1, 1, 2)))))
            )
            name = people.person_name(self.rng, self.expert_names)
            background = people.expert_background(self.rng, specialties, fiscal_year(day))
            expert_id = self.writer.register_expert(
                name, specialties=specialties, background=background, on=day
            )
            self.experts[expert_id] = ExpertCard(expert_id, specialties, self.rng.choice(blocks))
        self.pools.clear()

    def retire_experts(self, day: date) -> None:
        """March 31: a few experts leave the registry; none with a case still running."""
        busy = {e for case in self.open_cases.values() for e in case.experts}
        idle = [c for c in self.experts.values() if c.active and c.expert_id not in busy]
        for card in self.rng.sample(idle, min(len(idle), self.scale.experts_leaving)):
            self.writer.retire_expert(card.expert_id, on=day)
            card.active = False
        self.pools.clear()

    def retire_leaver(self, forgotten: OpenCase, day: date, note: str) -> None:
        """The leaving expert retires; a colleague sharing a specialty takes over every
        open case of theirs but ``forgotten`` (which the stall rule expert-left then lists)."""
        leaver = self.leaver
        assert leaver is not None
        card = self.experts[leaver]
        self.writer.retire_expert(leaver, on=day)
        card.active = False
        self.pools.clear()
        active = [c for c in self.experts.values() if c.active]
        colleague = next(
            (c for c in active if set(c.specialties) & set(card.specialties)), active[0]
        ).expert_id
        for case in self.open_cases.values():
            if case is not forgotten and leaver in case.experts:
                self.writer.reassign_expert(case.id, leaver, colleague, note=note, on=day)
                swap = {leaver: colleague}
                case.experts = tuple(dict.fromkeys(swap.get(e, e) for e in case.experts))
                case.dispatched = tuple(dict.fromkeys(swap.get(e, e) for e in case.dispatched))

    def choose_experts(self, case: OpenCase) -> tuple[str, ...]:
        """One expert (sometimes two) for the topic, from the municipality's region if any."""
        block = block_of(case.muni.prefecture)
        pool = self.pools.get((block, case.topic))
        if pool is None:
            active = [e for e in self.experts.values() if e.active]
            pool = self.pools[(block, case.topic)] = (
                [e for e in active if e.block == block and case.topic in e.specialties]
                or [e for e in active if case.topic in e.specialties]
                or [e for e in active if e.block == block]
                or active
            )
        k = 2 if len(pool) > 1 and self.rng.random() < 0.15 else 1
        return tuple(e.expert_id for e in self.rng.sample(pool, k))

    # ---- cases ---------------------------------------------------------------------------

    def open(self, opening: Opening) -> None:
        muni, day, fy = opening.muni, opening.day, fiscal_year(opening.day)
        if opening.channel == "hearing":
            self.reach(muni, "hearing", texts.HEARING_CASE_NOTE, day)
        contact = self.contact_for(opening)
        summary = texts.summary(self.rng, opening.topic, fy, cafe=opening.channel == "cafe")
        _, case_id = self.writer.open_case(
            muni.code,
            topic=opening.topic,
            summary=summary,
            channel=opening.channel,
            contact=contact,
            on=day,
        )
        self.cases += 1
        muni.engaged_on = day
        case = OpenCase(case_id, muni, opening.topic, contact, self.story_of(opening))
        self.open_cases[case_id] = case
        self.advance(case)

    def story_of(self, opening: Opening) -> Iterator[Step]:
        if opening.story is not None:
            return opening.story(self.rng, opening.topic, opening.day)
        rounds = 0 if opening.topic == "Z" else self.deck.deal()  # その他: answered at the desk
        return consultation(self.rng, opening.topic, opening.day, rounds)

    def contact_for(self, opening: Opening) -> str | None:
        muni = opening.muni
        if not opening.with_contact:
            return None
        if not muni.contacts:
            if not opening.protect:
                return None
            self.assign(muni, people.contact_roles(self.rng, muni.population)[0], opening.day)
        elif opening.channel in ("cafe", "hearing") and self.rng.random() < 0.3:
            return None  # raised in a room full of people; nobody took a name
        name = self.rng.choice(list(muni.contacts))
        if opening.protect:
            muni.protected.add(name)
        return name

    def advance(self, case: OpenCase) -> None:
        step = next(case.story, None)
        if step is not None:
            self.schedule(step.on, partial(self.take, case, step))

    def take(self, case: OpenCase, step: Step) -> None:
        """Run one step of a case's story as the command it names."""
        if step.command == "decide_dispatch":
            case.dispatched = self.choose_experts(case)
            if step.args.get("leaver"):
                self.leaver = self.leaver or case.dispatched[0]
                case.dispatched = (self.leaver,)
            case.experts = tuple(dict.fromkeys(case.experts + case.dispatched))
            self.writer.decide_dispatch(case.id, case.dispatched, on=step.on)
        elif step.command == "retire_leaver":
            self.retire_leaver(case, step.on, step.args["note"])
        elif step.command == "report_visit":  # by whoever the latest decision sent
            self.writer.report_visit(case.id, experts=case.dispatched, on=step.on, **step.args)
        elif step.command == "transfer_contact":  # a contact change, not an engagement
            self.leave(case.muni, case.contact, step.on)
            self.advance(case)
            return
        else:
            getattr(self.writer, step.command)(case.id, on=step.on, **step.args)
        case.muni.engaged_on = step.on
        if step.command == "close_case":
            del self.open_cases[case.id]
        else:
            self.advance(case)
