"""The month ahead: which consultations arrive on which days, the cafes, the hearings.

Planned at the start of each month for every prefecture, then lived day by day by the
simulation. Demand is spread so that a month receives its expected number of
consultations almost exactly (5 or 6 for Saitama), not a Poisson spread around it.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from events.case import CHANNELS, Channel
from events.municipality import OutreachKind
from tracker.demo import texts
from tracker.demo.days import every_day, is_workday, month_end, nth_weekday
from tracker.demo.stories import Story
from tracker.demo.world import (
    CHANNEL_WEIGHTS,
    TOPIC_WEIGHTS,
    TOPICS,
    Muni,
    Region,
    topic_weights,
    weighted_sample,
)
from tracker.domain.fiscal import fiscal_year

CAFE_MONTHS = (6, 9, 12, 2)
HEARING_MONTH, OUTREACH_VISIT_MONTH, TRAINING_MONTH = 7, 10, 11


@dataclass(frozen=True)
class Opening:
    """A consultation planned to arrive on ``day``."""

    day: date
    muni: Muni
    topic: str
    channel: Channel
    story: Story | None = None  # None: an ordinary consultation, dealt from the deck
    with_contact: bool = True
    protect: bool = False  # a planned stall: keep its contact out of the April rotation


class Planner:
    """Plans each month's arrivals and outreach into ``openings`` and ``outreach`` by day."""

    def __init__(
        self,
        rng: random.Random,
        regions: list[Region],
        *,
        monthly_per_municipality: float,
        ramp_from: int | None,
        today: date,
    ) -> None:
        self.rng, self.regions, self.today = rng, regions, today
        self.monthly_per_municipality = monthly_per_municipality
        self.ramp_from = ramp_from
        self.openings: defaultdict[date, list[Opening]] = defaultdict(list)
        self.outreach: defaultdict[date, list[tuple[Muni, OutreachKind, str]]] = defaultdict(list)
        self.planned: Counter[tuple[str, date]] = Counter()

    def add(self, opening: Opening, region: Region) -> None:
        """A consultation planned ahead; it counts towards its month's arrivals."""
        self.openings[opening.day].append(opening)
        self.planned[(region.code, opening.day.replace(day=1))] += 1

    def plan_month(self, first: date) -> None:
        """Plan the month that starts on ``first`` (up to today) for every prefecture."""
        until = min(month_end(first), self.today)
        workdays = [d for d in every_day(first, until) if is_workday(d)]
        if not workdays:
            return
        share = len(workdays) / sum(map(is_workday, every_day(first, month_end(first))))
        fy = fiscal_year(first)
        for region in self.regions:
            cafe = self.plan_cafe(region, first, until, fy)
            expected = self.monthly_per_municipality * len(region.munis) * self.ramp(fy) * share
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
        channel: Channel = self.rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
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
        """Demand grows over a programme's first years, as it finds its feet."""
        if self.ramp_from is None:
            return 1.0
        return min(1.0, 0.45 + 0.15 * (fy - self.ramp_from))

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
