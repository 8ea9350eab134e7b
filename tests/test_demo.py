"""``banso demo``: the synthetic history looks like the programme DOMAIN.md describes."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from events.base import DomainEvent
from events.case import CaseOpened, DispatchApplied, DispatchDecided, ExpertReassigned
from events.expert import ExpertRegistered, ExpertRetired
from events.municipality import (
    ContactTransferred,
    MunicipalityProfileUpdated,
    MunicipalityRegistered,
    OutreachRecorded,
)
from projections.log import EventLog
from projections.queries.experts import list_experts
from projections.queries.stalled import stalled
from tracker.application.commands import Banso
from tracker.demo import DemoSummary, generate, texts
from tracker.desk.bootstrap import Desk, bootstrap
from tracker.desk.settings import Settings
from tracker.domain.errors import InvalidInputError
from tracker.domain.fiscal import fiscal_year
from tracker.domain.inputs import clean_text

TODAY = date(2026, 11, 26)
FIRST_DAY = date(2025, 4, 1)
STALL_RULES = {
    "decision-overdue",
    "one-off",
    "follow-up-overdue",
    "contact-left",
    "expert-left",
    "dormant",
}


@dataclass
class Demo:
    desk: Desk
    summary: DemoSummary
    events: list[DomainEvent]
    progress: list[tuple[int, int]] = field(default_factory=list)

    def of(self, kind: type[DomainEvent]) -> list[Any]:
        return only(self.events, kind)


def events_of(app: Banso) -> list[DomainEvent]:
    """Every stored event, in log order."""
    log = EventLog.of(app)
    events: list[DomainEvent] = []
    while batch := app.recorder.select_notifications(
        start=len(events), limit=10_000, inclusive_of_start=False
    ):
        events += [log.decode(n) for n in batch]
    return events


def only(events: list[DomainEvent], kind: type[DomainEvent]) -> list[Any]:
    return [e for e in events if isinstance(e, kind)]


def history(app: Banso) -> list[tuple[str, int, dict[str, Any]]]:
    """The events without what differs between runs: random ids and recording times."""
    return [
        (
            type(e).__name__,
            e.originator_version,
            e.model_dump(exclude={"originator_id", "timestamp", "issued_to"}),
        )
        for e in events_of(app)
    ]


def prefecture_demo(**options: Any) -> Banso:
    app = Banso("memory:", user="demo")
    generate(app, today=TODAY, **options)
    return app


@pytest.fixture(scope="module")
def demo() -> Iterator[Demo]:
    """Saitama's demo (seed 1, ending 2026-11-26) in memory, with its read models."""
    desk = bootstrap(Settings(store="memory:", user="demo"))
    calls: list[tuple[int, int]] = []
    summary = generate(
        desk.app, seed=1, today=TODAY, progress=lambda done, total: calls.append((done, total))
    )
    desk.refresh()
    yield Demo(desk, summary, events_of(desk.app), calls)
    desk.close()


# ---- volumes: DOMAIN.md's "5-6 requests a month, about 100 dispatches a year" -------------


def test_every_full_month_receives_five_or_six_consultations(demo: Demo) -> None:
    per_month = Counter(e.occurred_on.replace(day=1) for e in demo.of(CaseOpened))
    full_months = [m for m in per_month if m < TODAY.replace(day=1)]
    assert len(full_months) == 19
    assert {per_month[m] for m in full_months} <= {5, 6}
    average = len(demo.of(CaseOpened)) / ((TODAY - FIRST_DAY).days / (365.25 / 12))
    assert 5 <= average <= 6


def test_a_full_fiscal_year_has_about_a_hundred_dispatches(demo: Demo) -> None:
    per_year = Counter(fiscal_year(e.occurred_on) for e in demo.of(DispatchDecided))
    assert 80 <= per_year[2025] <= 120


def test_dispatches_are_mostly_decided_within_a_week_of_the_application(demo: Demo) -> None:
    applied: dict[Any, list[date]] = {}
    days: list[int] = []
    for e in demo.events:
        if isinstance(e, DispatchApplied):
            applied.setdefault(e.originator_id, []).append(e.occurred_on)
        elif isinstance(e, DispatchDecided):
            days.append((e.occurred_on - applied[e.originator_id].pop(0)).days)
    assert statistics.median(days) <= 7
    assert sum(d <= 7 for d in days) / len(days) >= 0.75
    assert max(days) > 7  # a few stragglers, as on a real desk


def test_the_summary_counts_what_was_written(demo: Demo) -> None:
    assert demo.summary == DemoSummary(
        municipalities=63,
        experts=len(demo.of(ExpertRegistered)),
        cases=len(demo.of(CaseOpened)),
        events=len(demo.events),
    )
    assert 20 <= demo.summary.experts <= 26


# ---- the calendar -------------------------------------------------------------------------


def test_the_history_runs_from_the_first_april_to_today_and_never_after(demo: Demo) -> None:
    days = [e.occurred_on for e in demo.events]
    assert min(days) == FIRST_DAY
    assert max(days) <= TODAY


def test_progress_counts_every_day_of_the_history(demo: Demo) -> None:
    total = (TODAY - FIRST_DAY).days + 1
    assert demo.progress[-1] == (total, total)
    assert [done for done, _ in demo.progress] == list(range(1, total + 1))


# ---- the state on today ---------------------------------------------------------------------


def test_every_stall_rule_shows_on_today(demo: Demo) -> None:
    rows = stalled(demo.desk.views.conn, as_of=TODAY)
    assert {r["rule"] for r in rows} >= STALL_RULES
    assert len(rows) <= 15  # a list the secretariat can work through in a morning


def test_an_expert_retires_handing_cases_to_a_colleague_but_one_is_forgotten(demo: Demo) -> None:
    handed = demo.of(ExpertReassigned)
    assert len(handed) >= 1 and len({e.from_expert for e in handed}) == 1
    leaver = handed[0].from_expert
    retired = [e for e in demo.of(ExpertRetired) if e.occurred_on == handed[0].occurred_on]
    assert len(retired) == 1  # on the day they retired, and by the same expert
    left = [r for r in stalled(demo.desk.views.conn, as_of=TODAY) if r["rule"] == "expert-left"]
    assert [r["since"] for r in left] == [handed[0].occurred_on.isoformat()]
    experts = {e["expert"]: e for e in list_experts(demo.desk.views.conn, TODAY)}
    assert experts[leaver]["retired"] and experts[leaver]["open_cases"] == 1


def test_contacts_rotate_on_april_first_some_without_a_successor(demo: Demo) -> None:
    on_april_first = [e for e in demo.of(ContactTransferred) if e.occurred_on == date(2026, 4, 1)]
    assert any(e.successor for e in on_april_first)
    assert any(e.successor is None for e in on_april_first)


def test_the_secretariat_reaches_out_through_cafes_and_hearings(demo: Demo) -> None:
    kinds = Counter(e.kind for e in demo.of(OutreachRecorded))
    assert kinds["cafe"] >= 10
    assert kinds["hearing"] >= 10


def test_some_municipalities_never_ask(demo: Demo) -> None:
    asking = {e.municipality_code for e in demo.of(CaseOpened)}
    assert 8 <= 63 - len(asking) <= 20


def test_it_staff_follows_the_size_of_the_municipality(demo: Demo) -> None:
    population = {e.originator_id: e.population for e in demo.of(MunicipalityRegistered)}
    staff = {e.originator_id: e.it_staff for e in demo.of(MunicipalityProfileUpdated)}
    assert staff.keys() == population.keys()
    for muni, people in population.items():
        if people < 10_000:
            assert staff[muni] == 1  # 一人情シス
        elif 50_000 <= people < 100_000:
            assert 3 <= staff[muni] <= 5


# ---- determinism and the two writers ----------------------------------------------------------


def test_the_same_seed_writes_the_same_history(demo: Demo) -> None:
    assert history(prefecture_demo(seed=1)) == history(demo.desk.app)


def test_another_seed_writes_another_history(demo: Demo) -> None:
    assert history(prefecture_demo(seed=2)) != history(demo.desk.app)


def test_writing_in_bulk_gives_the_same_history_as_command_by_command(demo: Demo) -> None:
    assert history(prefecture_demo(seed=1, bulk=True)) == history(demo.desk.app)


def test_a_store_that_already_has_events_is_refused(demo: Demo) -> None:
    with pytest.raises(InvalidInputError) as refused:
        generate(demo.desk.app, today=TODAY)
    assert refused.value.params["field"] == "store"
    assert demo.desk.app.recorder.max_notification_id() == len(demo.events)


def test_every_phrase_the_demo_writes_passes_the_applications_text_checks() -> None:
    phrases: list[str] = []
    for name, value in vars(texts).items():
        groups = value.values() if isinstance(value, dict) else [value]
        if name.isupper():
            phrases += [p for g in groups for p in (g if isinstance(g, tuple) else [g])]
    phrases = [p for p in phrases if isinstance(p, str)]
    assert len(phrases) > 200
    for phrase in phrases:
        assert clean_text(phrase, "text") == phrase


# ---- national scale -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def national() -> tuple[DemoSummary, Banso, list[DomainEvent]]:
    """A national demo at 2% of its demand: every municipality, ten years, ~25,000 events."""
    app = Banso("memory:", user="demo")
    summary = generate(app, scale="national", today=TODAY, fraction=0.02)
    return summary, app, events_of(app)


@pytest.mark.slow
def test_a_national_demo_covers_every_municipality_with_gap_free_case_numbers(
    national: tuple[DemoSummary, Banso, list[DomainEvent]],
) -> None:
    summary, app, events = national
    assert summary.municipalities == len(only(events, MunicipalityRegistered)) == 1741
    assert summary.experts >= 300
    assert min(e.occurred_on for e in events) == date(2017, 4, 1)
    assert max(e.occurred_on for e in events) <= TODAY
    opened = only(events, CaseOpened)
    numbers: dict[int, list[int]] = {}
    for e in opened:
        year, seq = e.number.split("-")
        assert int(year) == fiscal_year(e.occurred_on)
        numbers.setdefault(int(year), []).append(int(seq))
    assert len(numbers) == 10
    assert all(seqs == list(range(1, len(seqs) + 1)) for seqs in numbers.values())
    assert app.case(opened[-1].number).id == opened[-1].originator_id


@pytest.mark.slow
def test_a_national_demo_speaks_only_of_what_existed_in_its_year(
    national: tuple[DemoSummary, Banso, list[DomainEvent]],
) -> None:
    opened = only(national[2], CaseOpened)
    before_ai = [e for e in opened if fiscal_year(e.occurred_on) < 2023]
    assert before_ai
    assert not [e for e in before_ai if "生成AI" in e.summary]
    assert any("生成AI" in e.summary for e in opened)
    assert not [e for e in opened if fiscal_year(e.occurred_on) < 2020 and e.topic == "B"]
