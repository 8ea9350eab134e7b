"""``banso demo``: a realistic synthetic history of the programme, written through the domain.

Prefecture scale: Saitama's 63 municipalities over two fiscal years, written command by
command through the application. National scale: all 1,741 municipalities over ten fiscal
years, about a million events, written in bulk by the same aggregates (writers.py).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Literal

from tracker.application.commands import Banso
from tracker.demo.simulation import Progress, Scale, Simulation
from tracker.demo.writers import BulkWriter, CommandWriter
from tracker.domain.errors import InvalidInputError
from tracker.domain.inputs import business_date

ScaleName = Literal["prefecture", "national"]

SCALES: dict[str, Scale] = {
    # Saitama: 5-6 consultations a month, about 100 dispatches a year (DOMAIN.md).
    "prefecture": Scale(("11",), 2, 5.5 / 63, 23, 2, 2, ramp=False, bulk=False),
    # Every municipality, ten years, about a million events: a nationwide union's load.
    "national": Scale(None, 10, 0.43, 180, 14, 6, ramp=True, bulk=True),
}


@dataclass(frozen=True)
class DemoSummary:
    """What a demo run wrote."""

    municipalities: int
    experts: int
    cases: int
    events: int


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
    size = SCALES[scale]
    writer = BulkWriter(app) if (size.bulk if bulk is None else bulk) else CommandWriter(app)
    simulation = Simulation(writer, random.Random(seed), size, today=day, fraction=fraction)
    simulation.run(progress)
    return DemoSummary(
        municipalities=len(simulation.munis),
        experts=len(simulation.experts),
        cases=simulation.cases,
        events=app.recorder.max_notification_id() or 0,
    )
