"""``banso demo``: a realistic synthetic history, written through the real domain.

The generator walks the calendar from the first April of the history to ``today``. Each
month it plans the consultations that arrive, the デジタルカフェ, the hearings; each April
contacts rotate and experts join; each case follows its story (stories.py) one dated step
at a time. Everything random comes from one ``random.Random(seed)`` drawn in calendar
order, so a seed and a ``today`` give the same case numbers, dates and texts every time.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Literal
from uuid import UUID

from events.municipality import OutreachKind
from tracker.application import Banso
from tracker.demo import people, texts
from tracker.demo.days import every_day, is_workday, later, month_end, nth_weekday
from tracker.demo.stories import Step, Story, consultation, stalled_cases
from tracker.demo.world import (
    CHANNEL_WEIGHTS,
    CHANNELS,
    TOPIC_WEIGHTS,
    TOPICS,
    ExpertCard,
    Muni,
    Region,
    block_of,
    make_region,
    topic_weights,
    weighted_sample,
)
from tracker.demo.writers import BulkWriter, CommandWriter
from tracker.domain.errors import InvalidInputError
from tracker.domain.fiscal import fiscal_year
from tracker.domain.inputs import business_date
from tracker.municipalities import bundled

ScaleName = Literal["prefecture", "national"]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoSummary:
    """What a demo run wrote."""

    municipalities: int
    experts: int
    cases: int
    events: int


@dataclass(frozen=True)
class Scale:
    """How big a demo is."""

    prefectures: tuple[str, ...] | None  # None: every prefecture
    fiscal_years: int  # of history, the last one being today's
    monthly_per_municipality: float  # consultations a month per municipality, at full run
    experts: int  # registered on the first day
    experts_joining: int  # each April
    experts_leaving: int  # each March 31
    ramp: bool  # demand grows over the first years, as a programme finds its feet
    bulk: bool  # write in batches rather than command by command


SCALES: dict[str, Scale] = {
    # Saitama: 5-6 consultations a month, about 100 dispatches a year (DOMAIN.md).
    "prefecture": Scale(("11",), 2, 5.5 / 63, 23, 2, 2, ramp=False, bulk=False),
    # Every municipality, ten years, about a million events: a nationwide union's load.
    "national": Scale(None, 10, 0.46, 180, 14, 6, ramp=True, bulk=True),
}

SUCCESSOR_SHARE = 0.75  # transfers that name a successor on the day
REFILL_SHARE = 0.7  # vacant roles filled again within two months
CAFE_MONTHS = (6, 9, 12, 2)
HEARING_MONTH, OUTREACH_VISIT_MONTH, TRAINING_MONTH = 7, 10, 11
HEARING_CASE_NOTE = "ヒアリングの場で個別の相談を受けた"


def generate(
    app: Banso,
    *,
    scale: ScaleName = "prefecture",
    seed: int = 1,
    today: date | None = None,
    progress: Progress | None = None,
    fraction: float = 1.0,
    bulk: bool | None = None,
) -> DemoSummary:
    """Fill an empty store with a synthetic history ending ``today``; the same for a seed.

    ``fraction`` scales the demand (0.02 gives a national history with 2% of its cases);
    ``bulk`` chooses the writer (default: command by command for a prefecture, in bulk
    nationally). ``progress(done, total)`` counts the days of history written.
    """
    if scale not in SCALES:
        raise InvalidInputError(field="scale", reason="choice", value=str(scale))
    if not 0 < fraction <= 1:
        raise InvalidInputError(field="fraction", reason="range", value=str(fraction))
    day = business_date(today)
    written = app.recorder.max_notification_id() or 0
    if written:
        raise InvalidInputError(field="store", reason="not_empty", value=str(written))
    plan = SCALES[scale]
    writer = BulkWriter(app) if (plan.bulk if bulk is None else bulk) else CommandWriter(app)
    simulation = Simulation(app, writer, random.Random(seed), plan, day, fraction)
    simulation.run(progress)
    return DemoSummary(
        municipalities=len(simulation.munis),
        experts=len(simulation.experts),
        cases=simulation.cases,
        events=app.recorder.max_notification_id() or 0,
    )


@dataclass(frozen=True)
class Opening:
    """A consultation planned to arrive on ``day``."""

    day: date
    muni: Muni
    topic: str
    channel: str
    story: Story = consultation
    with_contact: bool = True
    protect: bool = False  # a planned stall: keep its contact out of the April rotation


@dataclass
class OpenCase:
    id: UUID
    muni: Muni
    topic: str
    contact: str | None
    story: Iterator[Step]
    experts: tuple[str, ...] = field(default=())


class Simulation:
    """Walks the calendar from the first day to ``today``, recording what happens each day."""

    def __init__(
        self,
        app: Banso,
        writer: BulkWriter | CommandWriter,
        rng: random.Random,
        scale: Scale,
        today: date,
        fraction: float,
    ) -> None:
        self.app, self.writer, self.rng, self.scale = app, writer, rng, scale
        self.today, self.fraction = today, fraction
        self.start = date(fiscal_year(today) - scale.fiscal_years + 1, 4, 1)
        self.regions: list[Region] = []
        self.munis: dict[str, Muni] = {}
        self.experts: dict[str, ExpertCard] = {}
        self.expert_names: set[str] = set()
        self.pools: dict[tuple[int, str], list[ExpertCard]] = {}
        self.open_cases: dict[UUID, OpenCase] = {}
        self.openings: defaultdict[date, list[Opening]] = defaultdict(list)
        self.outreach: defaultdict[date, list[tuple[Muni, OutreachKind, str]]] = defaultdict(list)
        self.agenda: list[tuple[date, int, Callable[[], None]]] = []
        self.tick = itertools.count()
        self.planned: Counter[tuple[str, date]] = Counter()
        self.cases = 0

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
            self.plan_month(day)
        if (day.month, day.day) == (3, 31):
            self.retire_experts(day)
        if (day.month, day.day) == (4, 1) and day != self.start:
            self.register_experts(self.scale.experts_joining, day)
            for muni in self.munis.values():
                self.rotate(muni, day)
        for muni, kind, note in self.outreach.pop(day, ()):
            self.reach(muni, kind, note, day)
        for opening in self.openings.pop(day, ()):
            self.open(opening)
        while self.agenda and self.agenda[0][0] <= day:
            heapq.heappop(self.agenda)[2]()

    def schedule(self, day: date, action: Callable[[], None]) -> None:
        heapq.heappush(self.agenda, (day, next(self.tick), action))

    # ---- the first day -------------------------------------------------------------------

    def set_up(self) -> None:
        codes = self.scale.prefectures or tuple(dict.fromkeys(m.code[:2] for m in bundled()))
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
            topic = self.topic_for(muni, fiscal_year(plan.opens_on), dispatchable=True)
            opening = Opening(
                plan.opens_on, muni, topic, plan.channel, plan.story, plan.with_contact, True
            )
            self.openings[plan.opens_on].append(opening)
            self.planned[(region.code, plan.opens_on.replace(day=1))] += 1

    # ---- each month ----------------------------------------------------------------------

    def plan_month(self, first: date) -> None:
        until = min(month_end(first), self.today)
        workdays = [d for d in every_day(first, until) if is_workday(d)]
        if not workdays:
            return
        share = len(workdays) / sum(map(is_workday, every_day(first, month_end(first))))
        fy = fiscal_year(first)
        for region in self.regions:
            cafe = self.plan_cafe(region, first, until, fy)
            expected = (
                self.scale.monthly_per_municipality
                * len(region.munis)
                * self.fraction
                * self.ramp(fy)
                * share
            )
            arriving = self.round(expected) - self.planned[(region.code, first)]
            for _ in range(arriving):
                self.plan_opening(region, workdays, cafe, fy)
            if first.month == HEARING_MONTH:
                self.plan_hearings(region, first, workdays, fy)
            if first.month == OUTREACH_VISIT_MONTH:
                self.plan_outreach(region, workdays, "visit", 0.03, texts.OUTREACH_VISITS, fy)
            if first.month == TRAINING_MONTH:
                self.plan_outreach(region, workdays, "other", 0.1, texts.OUTREACH_OTHER, fy)

    def plan_opening(
        self, region: Region, workdays: list[date], cafe: tuple[date, list[Muni]] | None, fy: int
    ) -> None:
        day, muni = self.rng.choice(workdays), region.asker(self.rng)
        channel = self.rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        if channel == "cafe":  # raised at a cafe by someone who came to it
            if cafe is not None and cafe[1]:
                day, muni = cafe[0], self.rng.choice(cafe[1])
            else:
                channel = "chat"
        self.openings[day].append(Opening(day, muni, self.topic_for(muni, fy), channel))

    def plan_cafe(
        self, region: Region, first: date, until: date, fy: int
    ) -> tuple[date, list[Muni]] | None:
        day = nth_weekday(first, 3, 3)  # the third Thursday
        if first.month not in CAFE_MONTHS or day > until:
            return None
        k = max(3, round(0.15 * len(region.munis)))
        came = weighted_sample(self.rng, region.munis, [m.appetite + 0.15 for m in region.munis], k)
        note = f"デジタルカフェ（テーマ：{texts.pick(self.rng, texts.CAFE_THEMES, fy)}）に参加"
        self.outreach[day] += [(m, "cafe", note) for m in came]
        return day, [m for m in came if m.appetite > 0]

    def plan_hearings(self, region: Region, first: date, workdays: list[date], fy: int) -> None:
        """The secretariat hears the quiet ones, neediest first, as many as it can."""
        cutoff = first - timedelta(days=180)
        quiet = sorted(
            (m for m in region.munis if m.engaged_on is None or m.engaged_on < cutoff),
            key=lambda m: (m.neediness(), m.code),
        )
        k = min(len(quiet), max(2, round(0.15 * len(region.munis))))
        weights = [1 / (i + 1) ** 0.5 for i in range(len(quiet))]
        for muni in weighted_sample(self.rng, quiet, weights, k):
            note = texts.pick(self.rng, texts.HEARING_NOTES, fy)
            self.outreach[self.rng.choice(workdays)].append((muni, "hearing", note))

    def plan_outreach(
        self,
        region: Region,
        workdays: list[date],
        kind: OutreachKind,
        share: float,
        notes: tuple[str, ...],
        fy: int,
    ) -> None:
        k = max(1, round(share * len(region.munis)))
        reached = weighted_sample(self.rng, region.munis, [0.3] * len(region.munis), k)
        for muni in reached:
            note = texts.pick(self.rng, notes, fy)
            self.outreach[self.rng.choice(workdays)].append((muni, kind, note))

    def ramp(self, fy: int) -> float:
        if not self.scale.ramp:
            return 1.0
        return min(1.0, 0.45 + 0.15 * (fy - fiscal_year(self.start)))

    def round(self, expected: float) -> int:
        """``expected`` rounded up or down at random, so the long-run mean is exact."""
        whole = int(expected)
        return whole + (self.rng.random() < expected - whole)

    def topic_for(self, muni: Muni, fy: int, *, dispatchable: bool = False) -> str:
        cum = topic_weights(muni.size, fy)
        while True:
            topic = self.rng.choices(tuple(TOPIC_WEIGHTS), cum_weights=cum)[0]
            if topic in TOPICS or not dispatchable:
                return topic

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
            background = people.expert_background(self.rng, specialties)
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
            self.reach(muni, "hearing", HEARING_CASE_NOTE, day)
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
        case = OpenCase(
            case_id, muni, opening.topic, contact, opening.story(self.rng, opening.topic, day)
        )
        self.open_cases[case_id] = case
        self.advance(case)

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
            experts = self.choose_experts(case)
            case.experts = tuple(dict.fromkeys(case.experts + experts))
            self.writer.decide_dispatch(case.id, experts, on=step.on)
        elif step.command == "transfer_contact":
            self.leave(case.muni, case.contact, step.on)
        else:
            getattr(self.writer, step.command)(case.id, on=step.on, **step.args)
        case.muni.engaged_on = step.on
        if step.command == "close_case":
            del self.open_cases[case.id]
        else:
            self.advance(case)
