"""Properties of the read models over random valid histories (hypothesis).

1. Read models caught up command by command equal a rebuild from the whole log.
2. Every answer as of a day D equals the answer of a store holding only the events dated up
   to D (registrations, being reference data, are kept whatever their date), whether that
   store answers "as of D" from its facts or "today is D" from its current read models.
   With corrections and withdrawals in the history, that store holds the entries as
   amended (and not the amendments): what happened is what the record now says happened;
   the trail (which entry was corrected or withdrawn, by what) is left out of the comparison.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from projections_support import (
    MUNIS,
    check_fts,
    copy_events_until,
    dump_all,
    memory_desk,
    rebuilt,
    register_reference,
    today_is,
)

from projections.briefing import briefing_markdown
from projections.queries.cases import follow_ups_due, list_cases, show_case
from projections.queries.commitments import feedback_awaited, open_commitments
from projections.queries.experts import list_experts
from projections.queries.municipalities import list_municipalities, show_municipality
from projections.queries.search import search
from projections.queries.silent import silent
from projections.queries.stalled import stalled
from projections.queries.stats import stats
from projections.queries.timeline import timeline
from tracker.desk.bootstrap import Desk, bootstrap
from tracker.desk.settings import Settings
from tracker.domain.amending import CORRECTABLE
from tracker.domain.commitments import Promise
from tracker.domain.errors import BansoError
from tracker.domain.fiscal import fiscal_year
from tracker.domain.owners import MUNICIPALITY, SECRETARIAT, Owner

START = date(2025, 2, 1)
CODES = list(MUNIS)
EXPERTS = ["E001", "E002", "E003"]
PEOPLE = ["佐藤花子", "鈴木一郎", "高橋二郎", "田中美咲", "伊藤健"]
SUMMARIES = ["特定移行支援システムの申請", "公式LINEを導入したい", "生成AIの庁内利用", "窓口DX"]
REPORTS = ["移行計画を確認", "要件を整理した", "研修を実施"]
NOTES = ["課長に共有", "見積待ち", "庁内調整中", "メ"]
TOPICS = ["A", "B", "C", "D", "独自分野"]

index = st.integers(min_value=0, max_value=50)
maybe_text = st.one_of(st.none(), st.sampled_from(NOTES))
days = st.integers(min_value=0, max_value=45)
owners = st.sampled_from(
    [MUNICIPALITY, SECRETARIAT, Owner("secretariat", "佐藤"), Owner("expert", "E002")]
)

COMMANDS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "open": st.fixed_dictionaries(
        {
            "muni": index,
            "topic": st.sampled_from(TOPICS),
            "summary": st.sampled_from(SUMMARIES),
            "channel": st.sampled_from(["chat", "mail", "form", "visit"]),
            "contact": st.one_of(st.none(), index),
        }
    ),
    "apply": st.fixed_dictionaries({"case": index}),
    "dispatch": st.fixed_dictionaries(
        {"case": index, "experts": st.lists(st.sampled_from(EXPERTS), min_size=1, max_size=2)}
    ),
    "visit": st.fixed_dictionaries(
        {
            "case": index,
            "report": st.sampled_from(REPORTS),
            "experts": st.lists(st.sampled_from(EXPERTS), max_size=1),
            "online": st.booleans(),
            "next_steps": st.lists(
                st.tuples(st.sampled_from(NOTES), owners, st.one_of(st.none(), days)), max_size=2
            ),
        }
    ),
    "commit": st.fixed_dictionaries(
        {
            "case": index,
            "text": st.sampled_from(NOTES),
            "owner": owners,
            "due": st.one_of(st.none(), days),
        }
    ),
    "settle": st.fixed_dictionaries(
        {"case": index, "number": st.integers(1, 4), "done": st.booleans(), "note": maybe_text}
    ),
    "follow_up": st.fixed_dictionaries({"case": index, "due": days, "note": maybe_text}),
    "follow_up_done": st.fixed_dictionaries(
        {"case": index, "number": st.one_of(st.none(), st.integers(1, 3)), "note": maybe_text}
    ),
    "follow_up_moved": st.fixed_dictionaries(
        {
            "case": index,
            "number": st.one_of(st.none(), st.integers(1, 3)),
            "due": st.one_of(st.none(), days),  # none: cancelled
            "note": maybe_text,
        }
    ),
    "note": st.fixed_dictionaries({"case": index, "text": st.sampled_from(NOTES)}),
    "feedback": st.fixed_dictionaries(
        {"case": index, "rating": st.integers(1, 5), "comment": maybe_text}
    ),
    "close": st.fixed_dictionaries(
        {
            "case": index,
            "resolution": st.sampled_from(["resolved", "referred", "withdrawn", "no-response"]),
            "note": maybe_text,
            "cancel_open": st.booleans(),
        }
    ),
    "reopen": st.fixed_dictionaries({"case": index, "note": maybe_text}),
    "assign": st.fixed_dictionaries(
        {"muni": index, "name": st.sampled_from(PEOPLE), "role": st.sampled_from(["主査", "係長"])}
    ),
    "transfer": st.fixed_dictionaries(
        {
            "muni": index,
            "name": index,
            "successor": st.one_of(st.none(), st.sampled_from(PEOPLE)),
        }
    ),
    "outreach": st.fixed_dictionaries(
        {
            "muni": index,
            "kind": st.sampled_from(["cafe", "hearing", "visit", "other"]),
            "note": maybe_text,
        }
    ),
    "retire": st.fixed_dictionaries({"expert": st.sampled_from(EXPERTS)}),
    "update": st.fixed_dictionaries(
        {
            "muni": index,
            "it_staff": st.one_of(st.none(), st.integers(0, 5)),
            "population": st.one_of(st.none(), st.integers(1_000, 9_000)),
        }
    ),
    "correct": st.fixed_dictionaries(
        {
            "case": index,
            "entry": index,
            "what": st.sampled_from(["text", "date", "experts", "due"]),
            "text": st.sampled_from([*NOTES, *REPORTS]),
            "days": st.integers(-15, 10),
            "experts": st.lists(st.sampled_from(EXPERTS), min_size=1, max_size=2),
        }
    ),
    "withdraw": st.fixed_dictionaries({"case": index, "entry": index}),
    "correct_muni": st.fixed_dictionaries(
        {
            "muni": index,
            "entry": index,
            "what": st.sampled_from(["text", "date", "role", "it_staff"]),
            "text": st.sampled_from([*NOTES, "課長", "主任"]),
            "days": st.integers(-15, 10),
        }
    ),
    "withdraw_muni": st.fixed_dictionaries({"muni": index, "entry": index}),
}

#: How often each command is drawn, so that histories have cases with some life in them.
WEIGHTS = {
    "open": 4,
    "apply": 3,
    "dispatch": 3,
    "visit": 4,
    "commit": 2,
    "settle": 3,
    "follow_up": 3,
    "follow_up_done": 2,
    "follow_up_moved": 1,
    "note": 2,
    "feedback": 1,
    "close": 2,
    "reopen": 1,
    "assign": 4,
    "transfer": 4,
    "outreach": 2,
    "retire": 1,
    "update": 2,
    "correct": 3,
    "withdraw": 1,
    "correct_muni": 2,
    "withdraw_muni": 1,
}
assert set(WEIGHTS) == set(COMMANDS)

#: Mostly forward in time; one command in four is a late entry, dated before the latest.
delta = st.one_of(*[st.integers(min_value=0, max_value=12)] * 3, st.integers(-25, -1))

#: One command: its name, how many days after (or, for a late entry, before) the latest date.
step = st.sampled_from([n for n, w in WEIGHTS.items() for _ in range(w)]).flatmap(
    lambda name: st.tuples(st.just(name), delta, COMMANDS[name])
)


@dataclass
class Run:
    """What a run of commands made: the case numbers and ids, and the days used."""

    cases: list[tuple[str, str]] = field(default_factory=list)
    days: list[date] = field(default_factory=list)
    refused: int = 0


class NothingToActOn(BansoError):
    """A command with no case or contact to act on yet: skipped, like one the domain refuses."""


def _pick(names: list[str], i: int | None) -> str | None:
    return names[i % len(names)] if names and i is not None else None


def _execute(desk: Desk, name: str, on: date, a: dict[str, Any], run: Run) -> None:
    app = desk.app
    code = CODES[a.get("muni", 0) % len(CODES)]
    contacts = sorted(app.municipality(code).contacts)
    if name == "open":
        number, case_id = app.open_case(
            code,
            topic=a["topic"],
            summary=a["summary"],
            channel=a["channel"],
            contact=_pick(contacts, a["contact"]),
            on=on,
        )
        run.cases.append((number, str(case_id)))
        return
    if name == "assign":
        return app.assign_contact(code, a["name"], role=a["role"], on=on)
    if name == "transfer":  # someone who holds a role somewhere leaves it
        held = [(c, n) for c in CODES for n in sorted(app.municipality(c).contacts)]
        if not held:
            raise NothingToActOn()
        code, leaving = held[a["name"] % len(held)]
        return app.transfer_contact(code, leaving, successor=a["successor"], on=on)
    if name == "outreach":
        return app.record_outreach(code, a["kind"], note=a["note"], on=on)
    if name == "update":
        return app.update_municipality(
            code, it_staff=a["it_staff"], population=a["population"], on=on
        )
    if name == "retire":
        return app.retire_expert(a["expert"], on=on)
    if name in ("correct_muni", "withdraw_muni"):
        return _amend_municipality(app, code, name, a)
    if not run.cases:
        raise NothingToActOn()
    case = run.cases[a["case"] % len(run.cases)][0]
    if name == "apply":
        app.apply_for_dispatch(case, on=on)
    elif name == "dispatch":
        app.decide_dispatch(case, a["experts"], on=on)
    elif name == "visit":
        steps = [
            Promise(text, owner, None if due is None else on + timedelta(days=due))
            for text, owner, due in a["next_steps"]
        ]
        app.report_visit(
            case,
            report=a["report"],
            experts=a["experts"],
            online=a["online"],
            next_steps=steps,
            on=on,
        )
    elif name == "commit":
        due = None if a["due"] is None else on + timedelta(days=a["due"])
        app.commit(case, a["text"], owner=a["owner"], due=due, on=on)
    elif name == "settle":
        settle = app.complete_commitment if a["done"] else app.cancel_commitment
        settle(case, a["number"], note=a["note"], on=on)
    elif name == "follow_up":
        app.schedule_follow_up(case, due=on + timedelta(days=a["due"]), note=a["note"], on=on)
    elif name == "follow_up_done":
        app.complete_follow_up(case, a["number"], note=a["note"], on=on)
    elif name == "follow_up_moved":
        if a["due"] is None:
            app.cancel_follow_up(case, a["number"], note=a["note"], on=on)
        else:
            due = on + timedelta(days=a["due"])
            app.reschedule_follow_up(case, a["number"], due=due, note=a["note"], on=on)
    elif name == "note":
        app.add_note(case, a["text"], on=on)
    elif name == "feedback":
        app.receive_feedback(case, rating=a["rating"], comment=a["comment"], on=on)
    elif name == "close":
        app.close_case(
            case, resolution=a["resolution"], note=a["note"], on=on, cancel_open=a["cancel_open"]
        )
    elif name == "reopen":
        app.reopen_case(case, note=a["note"], on=on)
    elif name in ("correct", "withdraw"):
        _amend_case(app, case, name, a)


def _amend_case(app: Any, case: str, name: str, a: dict[str, Any]) -> None:
    """Correct or withdraw an entry of the case (the domain refuses what it must)."""
    aggregate = app.case(case)
    entry = 1 + a["entry"] % aggregate.version
    if name == "withdraw":
        return app.withdraw_case_entry(case, entry, reason="誤登録")
    what = a["what"]
    kwargs: dict[str, Any] = {}
    if what == "date":
        was = aggregate.history[entry - 1].occurred_on
        kwargs["entry_on"] = max(START, was + timedelta(days=a["days"]))
    elif what == "due":
        was = aggregate.history[entry - 1].occurred_on
        kwargs["due"] = was + timedelta(days=abs(a["days"]))
    elif what == "experts":
        kwargs["experts"] = a["experts"]
    else:
        kwargs["text"] = a["text"]
    app.correct_case_entry(case, entry, reason="誤記", **kwargs)


def _amend_municipality(app: Any, code: str, name: str, a: dict[str, Any]) -> None:
    """Correct or withdraw one of the municipality's entries that can be (what changes
    depends on its kind, or its date); the domain refuses what it must."""
    history = app.municipality(code).history
    amendable = [e for e in history if type(e) in CORRECTABLE]
    if not amendable:
        raise NothingToActOn()
    target = amendable[a["entry"] % len(amendable)]
    entry = target.originator_version
    if name == "withdraw_muni":
        return app.withdraw_municipality_entry(code, entry, reason="誤登録")
    kind = type(target).__name__
    kwargs: dict[str, Any] = {}
    if a["what"] == "date" or kind == "ContactTransferred":
        kwargs["entry_on"] = max(START, target.occurred_on + timedelta(days=a["days"]))
    elif kind == "ContactAssigned":
        kwargs["role"] = a["text"]
    elif kind == "MunicipalityProfileUpdated":
        kwargs["it_staff"] = abs(a["days"])
    else:
        kwargs["text"] = a["text"]
    app.correct_municipality_entry(code, entry, reason="誤記", **kwargs)


def play(desk: Desk, steps: list[tuple[str, int, dict[str, Any]]]) -> Run:
    """Run the commands, catching the read models up after each one the domain accepts."""
    run = Run()
    latest = START
    for name, delta, args in steps:
        on = max(START, latest + timedelta(days=delta))
        try:
            _execute(desk, name, on, args, run)
        except BansoError:
            run.refused += 1
            continue
        latest = max(latest, on)
        run.days.append(on)
        desk.refresh()
    return run


def answers(desk: Desk, day: date, run: Run) -> dict[str, Any]:
    """Every question the desk asks, as of ``day``."""
    conn = desk.views.conn
    return {
        "stalled": stalled(conn, day),
        "silent": silent(conn, day),
        "silent_2_months": silent(conn, day, months=2),
        "timeline": {code: timeline(conn, code, day) for code in CODES},
        "cases": list_cases(conn, status="all", as_of=day),
        "open_cases": list_cases(conn, status="open", as_of=day),
        "closed_cases": list_cases(conn, status="closed", as_of=day),
        "show_case": {case_id: show_case(conn, case_id, day) for _, case_id in run.cases},
        "stats": stats(conn, None, day),
        "stats_year_before": stats(conn, fiscal_year(day) - 1, day),
        "municipalities": list_municipalities(conn, day),
        "show_municipality": {code: show_municipality(conn, code, day) for code in CODES},
        "briefing": {code: briefing_markdown(conn, code, day) for code in CODES},
        "experts": list_experts(conn, day),
        "search": {text: search(conn, text, day) for text in ("相談", "課長", "AI", "メ")},
        "open_commitments": open_commitments(conn, day),
        "secretariat_owes": open_commitments(conn, day, SECRETARIAT),
        "feedback_awaited": feedback_awaited(conn, day),
        "follow_ups_due": follow_ups_due(conn, day),
    }


def check_incremental_equals_rebuild(desk: Desk, batch_size: int) -> None:
    fresh = rebuilt(desk, batch_size)
    try:
        assert dump_all(desk.views.conn) == dump_all(fresh.conn)
        check_fts(desk.views.conn)
        check_fts(fresh.conn)
    finally:
        fresh.close()


def without_trail(answer: Any) -> Any:
    """An answer without what only the store that holds the amendments can say: which
    entries were corrected or withdrawn since, and the withdrawn ones (a withdrawn case
    shows as never opened)."""
    if isinstance(answer, dict):
        if answer.get("status") == "withdrawn":
            return None
        return {
            k: without_trail(v)
            for k, v in answer.items()
            if k not in ("corrected_by", "withdrawn_by", "withdrawal")
        }
    if isinstance(answer, list):
        return [
            without_trail(a) for a in answer if not (isinstance(a, dict) and a.get("withdrawn_by"))
        ]
    return answer


def check_as_of_equals_truncated_store(desk: Desk, day: date, run: Run) -> None:
    expected = without_trail(answers(desk, day, run))
    truncated = memory_desk()
    try:
        copy_events_until(desk, truncated, day)
        truncated.refresh()
        assert without_trail(answers(truncated, day, run)) == expected
        with today_is(day):
            assert without_trail(answers(truncated, day, run)) == expected
    finally:
        truncated.close()


def _check(steps, batch_size: int, picks: list[int], on_disk: bool) -> None:
    if not on_disk:
        return _check_desk(memory_desk(), steps, batch_size, picks)
    with tempfile.TemporaryDirectory() as tmp:  # the SQLite store reads its log its own way
        store = str(Path(tmp) / "banso.sqlite")
        _check_desk(bootstrap(Settings(store=store, user="tester")), steps, batch_size, picks)


def _check_desk(desk: Desk, steps, batch_size: int, picks: list[int]) -> None:
    try:
        register_reference(desk)
        # The desk's own topic, as TOPICS names it (topics are registered before they are used).
        desk.app.register_topic("J", "独自分野", on=date(2024, 4, 1))
        run = play(desk, steps)
        assert run.cases, "every history opens a case first"
        check_incremental_equals_rebuild(desk, batch_size)
        days = sorted(set(run.days)) or [START]
        chosen = {days[-1], *(days[i % len(days)] - timedelta(days=i % 2) for i in picks)}
        for day in sorted(chosen):
            check_as_of_equals_truncated_store(desk, day, run)
    finally:
        desk.close()


def histories(min_size: int, max_size: int) -> st.SearchStrategy[list[Any]]:
    """A few openings first (so later commands have cases to act on), then anything."""
    opening = st.tuples(st.just("open"), st.integers(min_value=0, max_value=12), COMMANDS["open"])
    return st.tuples(
        st.lists(opening, min_size=1, max_size=3),
        st.lists(step, min_size=min_size, max_size=max_size),
    ).map(lambda parts: parts[0] + parts[1])


batch_sizes = st.sampled_from([1, 2, 3, 7, 5_000])
picks = st.lists(st.integers(min_value=0, max_value=200), min_size=1, max_size=3)
on_disk = st.sampled_from([False, False, True])
common = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}


@settings(max_examples=60, **common)
@given(steps=histories(10, 45), batch_size=batch_sizes, picks=picks, on_disk=on_disk)
def test_read_models_agree_with_a_rebuild_and_with_the_store_as_it_stood(
    steps, batch_size, picks, on_disk
):
    _check(steps, batch_size, picks, on_disk)


@pytest.mark.slow
@settings(max_examples=400, **common)
@given(steps=histories(30, 100), batch_size=batch_sizes, picks=picks, on_disk=on_disk)
def test_read_models_agree_over_many_longer_histories(steps, batch_size, picks, on_disk):
    _check(steps, batch_size, picks, on_disk)
