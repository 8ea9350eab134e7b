"""The simulated world: municipalities with their appetite for help, contacts and experts.

This is the generator's own bookkeeping (who is in which role, who is busy), kept beside
the aggregates so that choices stay cheap; the aggregates still decide what may happen.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate

from tracker.demo import people
from tracker.domain.bundled import BundledMunicipality

TOPICS = "ABCDEFGHI"
TOPIC_WEIGHTS = {"A": 14, "B": 16, "C": 17, "D": 18, "E": 9, "F": 8, "G": 5, "H": 7, "I": 4, "Z": 2}
#: Small towns ask about basics and the divide; large cities about data, AI and services.
TOPIC_BIAS = {
    "small": {"A": 1.4, "B": 1.3, "E": 1.2, "I": 1.5, "G": 0.4, "H": 0.7},
    "middle": {},
    "large": {"A": 0.5, "B": 0.8, "D": 1.4, "G": 2.2, "H": 1.5, "I": 0.7},
}
#: Standardisation (標準化) became a topic with the 2020 plan (the law followed in 2021).
STANDARDISATION_FROM = 2020
#: How often each channel is used, in the order of ``events.case.CHANNELS``.
CHANNEL_WEIGHTS = (62, 12, 9, 7, 4, 5, 1)
#: Share of municipalities that never ask, and who they tend to be: the smallest places,
#: and big cities that manage on their own.
NEVER_ASK_SHARE = 0.05


def block_of(prefecture_code: str) -> int:
    """The regional block (北海道・東北 .. 九州・沖縄) experts travel within."""
    n = int(prefecture_code)
    return sum(n > bound for bound in (7, 14, 23, 30, 39))


@dataclass
class Muni:
    """A municipality as the generator sees it."""

    code: str
    prefecture: str
    population: int
    appetite: float
    contacts: dict[str, str] = field(default_factory=dict)
    since: dict[str, date] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    protected: set[str] = field(default_factory=set)
    engaged_on: date | None = None
    it_staff: int = 1

    @property
    def size(self) -> str:
        return people.size_class(self.population)

    def neediness(self) -> tuple[int, int]:
        return (self.it_staff, self.population)


@dataclass
class Region:
    """A prefecture: its municipalities and the cumulative weights to draw an asker."""

    code: str
    munis: list[Muni]
    cum_appetite: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cum_appetite = list(accumulate(m.appetite for m in self.munis))

    def asker(self, rng: random.Random) -> Muni:
        return rng.choices(self.munis, cum_weights=self.cum_appetite)[0]

    @property
    def askers(self) -> list[Muni]:
        return [m for m in self.munis if m.appetite > 0]


@dataclass
class ExpertCard:
    expert_id: str
    specialties: tuple[str, ...]
    block: int
    active: bool = True


def weighted_sample(
    rng: random.Random, items: Sequence[Muni], weights: Sequence[float], k: int
) -> list[Muni]:
    """``k`` distinct items, each drawn with chance growing with its weight."""
    keyed = sorted(
        ((rng.random() ** (1 / w) if w > 0 else 0.0, i) for i, w in enumerate(weights)),
        reverse=True,
    )
    return [items[i] for _, i in keyed[:k]]


def make_region(rng: random.Random, code: str, bundled: list[BundledMunicipality]) -> Region:
    """A prefecture's municipalities with appetites; about a fifth of them never ask."""
    munis = [Muni(m.code, code, m.population, _appetite(rng, m.population)) for m in bundled]
    never = weighted_sample(
        rng,
        munis,
        [_never_weight(m.population) for m in munis],
        round(NEVER_ASK_SHARE * len(munis)),
    )
    for muni in never:
        muni.appetite = 0.0
    return Region(code, munis)


def _appetite(rng: random.Random, population: int) -> float:
    base = 0.8 if population < 10_000 else 1.0 if population < 30_000 else 1.3
    if population >= 150_000:
        base = 1.1 if population < 300_000 else 0.9
    return base * rng.lognormvariate(0, 0.35)


def _never_weight(population: int) -> float:
    if population < 10_000:
        return 6.0
    if population < 30_000:
        return 3.0
    return 3.0 if population >= 300_000 else 1.0


def topic_weights(size: str, fiscal_year: int) -> list[float]:
    """Cumulative weights over ``TOPIC_WEIGHTS`` for a size class and year."""
    bias = TOPIC_BIAS[size]
    weights = [
        0.0 if t == "B" and fiscal_year < STANDARDISATION_FROM else w * bias.get(t, 1.0)
        for t, w in TOPIC_WEIGHTS.items()
    ]
    return list(accumulate(weights))
