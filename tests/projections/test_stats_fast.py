"""``stats`` against its definition, computed naively in Python from every fact row.

``stats`` reads as little as it can: the year's rows from the kind index, and each
decision paired with its application when the read models were written. The history
here is built to hit what that could get wrong: applications pending across the start of
a fiscal year (two at once, answered one per year), decisions on the day of their
application, applications and decisions corrected or withdrawn (every later pair moves),
visits entered late, follow-ups done on the day of a first visit before or after it in
the log, and municipalities with facts but no engagement.
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from statistics import mean, median
from typing import Any

import pytest
from projections_support import (
    HIGASHICHICHIBU,
    KAWAGUCHI,
    MUNIS,
    YOKOZE,
    d,
    dump,
    memory_desk,
    rebuilt,
    register_reference,
)

from projections.kinds import ENGAGEMENT_KINDS
from projections.queries.stats import _mean, stats
from tracker.desk.bootstrap import Desk
from tracker.domain.errors import BansoError
from tracker.domain.fiscal import fiscal_year, fiscal_year_bounds

MONTHLY = {
    "consultations": "CaseOpened",
    "dispatches": "DispatchDecided",
    "visits": "VisitReported",
    "follow_ups_done": "FollowUpDone",
}


@pytest.fixture(scope="module")
def history() -> Iterator[Desk]:
    desk = memory_desk()
    register_reference(desk, on=d("2023-04-01"))
    _scripted(desk)
    _random(desk, seed=11, cases=120)
    desk.refresh()
    yield desk
    desk.close()


def _scripted(desk: Desk) -> None:
    app = desk.app
    # Two applications pending on 2024-04-01, answered one in each of the next two years.
    a, _ = app.open_case(KAWAGUCHI, topic="B", summary="二件の申請", on=d("2024-03-01"))
    app.apply_for_dispatch(a, on=d("2024-03-10"))
    app.apply_for_dispatch(a, on=d("2024-03-20"))
    app.decide_dispatch(a, ["E001"], on=d("2024-03-25"))
    app.apply_for_dispatch(a, on=d("2024-03-28"))
    app.decide_dispatch(a, ["E002"], on=d("2024-04-02"))
    app.decide_dispatch(a, ["E001"], on=d("2025-04-03"))
    app.apply_for_dispatch(a, on=d("2025-04-05"))
    app.decide_dispatch(a, ["E003"], on=d("2025-04-05"))
    # Applied on the last day of a year, decided on the first of the next.
    b, _ = app.open_case(YOKOZE, topic="C", summary="年度をまたぐ", on=d("2025-03-30"))
    app.apply_for_dispatch(b, on=d("2025-03-31"))
    app.decide_dispatch(b, ["E002"], on=d("2025-04-01"))
    # A follow-up done on the day of the first visit, recorded after it: continued.
    c, _ = app.open_case(HIGASHICHICHIBU, topic="A", summary="同日の確認", on=d("2024-05-01"))
    app.schedule_follow_up(c, due=d("2024-05-20"), on=d("2024-05-01"))
    app.report_visit(c, report="訪問", on=d("2024-05-10"))
    app.complete_follow_up(c, on=d("2024-05-10"))
    # The same day, the follow-up recorded first and the visit after it: not continued.
    e, _ = app.open_case(HIGASHICHICHIBU, topic="A", summary="同日の訪問", on=d("2024-06-01"))
    app.schedule_follow_up(e, due=d("2024-06-20"), on=d("2024-06-01"))
    app.complete_follow_up(e, on=d("2024-06-10"))
    app.report_visit(e, report="訪問", on=d("2024-06-10"))
    # A visit entered late, dated before a visit already recorded: the first is the late one.
    f, _ = app.open_case(YOKOZE, topic="D", summary="遅れた報告", on=d("2024-07-01"))
    app.report_visit(f, report="二回目", on=d("2024-07-20"))
    app.report_visit(f, report="一回目", on=d("2024-07-05"))
    app.assign_contact(KAWAGUCHI, "佐藤花子", role="主査", on=d("2024-08-01"))
    # Closings that ask for feedback: one answered after it, one not (rated before it).
    g, _ = app.open_case(KAWAGUCHI, topic="B", summary="評価あり", on=d("2025-05-01"))
    app.report_visit(g, report="訪問", on=d("2025-05-02"))
    app.close_case(g, resolution="resolved", on=d("2025-05-20"))
    app.receive_feedback(g, rating=4, on=d("2025-05-25"))
    h, _ = app.open_case(YOKOZE, topic="B", summary="評価なし", on=d("2025-06-01"))
    app.report_visit(h, report="訪問", on=d("2025-06-02"))
    app.close_case(h, resolution="resolved", on=d("2025-06-20"))
    # Applications and decisions amended: the first decision withdrawn, so the second
    # answers the first application (its date corrected) and the third the second.
    k, _ = app.open_case(KAWAGUCHI, topic="B", summary="訂正と取消", on=d("2025-07-01"))
    for applied, decided in (("2025-07-02", "2025-07-04"), ("2025-07-10", "2025-07-20")):
        app.apply_for_dispatch(k, on=d(applied))
        app.decide_dispatch(k, ["E001"], on=d(decided))
    app.apply_for_dispatch(k, on=d("2025-08-01"))
    app.decide_dispatch(k, ["E003"], on=d("2025-08-03"))
    desk.refresh()
    app.correct_case_entry(
        k, _entries(desk, k, "DispatchApplied")[0], reason="日付の誤り", entry_on=d("2025-07-03")
    )
    app.withdraw_case_entry(k, _entries(desk, k, "DispatchDecided")[0], reason="重複")


def _entries(desk: Desk, number: str, kind: str) -> list[int]:
    """The entry numbers of a case's facts of ``kind``, in the order recorded."""
    found = desk.views.conn.execute(
        "SELECT version FROM facts WHERE case_number = ? AND kind = ? ORDER BY position",
        (number, kind),
    )
    return [version for (version,) in found]


def _random(desk: Desk, seed: int, cases: int) -> None:
    """Cases opened over three fiscal years, each with events in random order and dates."""
    rng = random.Random(seed)
    app = desk.app
    for i in range(cases):
        opened = d("2023-10-01") + timedelta(days=rng.randint(0, 900))
        number, _ = app.open_case(
            rng.choice(list(MUNIS)), topic=rng.choice("ABCD"), summary=f"相談{i}", on=opened
        )
        on = opened
        for _ in range(rng.randint(0, 12)):
            on += timedelta(days=rng.choice((0, 0, 1, 3, 8, 30, 90)))
            try:
                _act(desk, number, rng, on, opened)
            except BansoError:
                continue
    for _ in range(10):
        code = rng.choice(list(MUNIS))
        app.record_outreach(code, "cafe", on=d("2023-10-01") + timedelta(days=rng.randint(0, 900)))


def _act(desk: Desk, number: str, rng: random.Random, on: date, opened: date) -> None:
    app = desk.app
    action = rng.choice(("apply", "apply", "decide", "decide", "visit", "late", "follow"))
    action = rng.choice((action, action, "done", "feedback", "close", "reopen", "note"))
    if action == "apply":
        app.apply_for_dispatch(number, on=on)
    elif action == "decide":
        app.decide_dispatch(number, [rng.choice(("E001", "E002", "E003"))], on=on)
    elif action in ("visit", "late"):
        late = on - timedelta(days=rng.randint(0, 60)) if action == "late" else on
        app.report_visit(number, report="訪問", on=max(opened, late))
    elif action == "follow":
        app.schedule_follow_up(number, due=on + timedelta(days=14), on=on)
    elif action == "done":
        app.complete_follow_up(number, on=on)
    elif action == "feedback":
        app.receive_feedback(number, rating=rng.randint(1, 5), on=on)
    elif action == "close":
        app.close_case(number, resolution="resolved", on=on)
    elif action == "reopen":
        app.reopen_case(number, on=on)
    else:
        app.add_note(number, "メモ", on=on)


def expected(desk: Desk, year: int, as_of: date) -> dict[str, Any]:
    """The figures as CLI.md defines them, from every fact, with nothing left out."""
    conn = desk.views.conn
    first, last = fiscal_year_bounds(year)
    start, end = first.isoformat(), min(last, as_of).isoformat()
    facts = conn.execute(
        "SELECT position, kind, occurred_on, municipality, case_id, data FROM facts"
        " ORDER BY occurred_on, position"
    ).fetchall()
    inside = [f for f in facts if start <= f[2] <= end]
    counts = Counter(f[1] for f in inside)
    applied: dict[str, list[str]] = defaultdict(list)
    decided: dict[str, list[str]] = defaultdict(list)
    for _, kind, on, _, case_id, _ in facts:
        if on <= end and kind == "DispatchApplied":
            applied[case_id].append(on)
        elif on <= end and kind == "DispatchDecided":
            decided[case_id].append(on)
    delays = [
        (date.fromisoformat(dd) - date.fromisoformat(a)).days
        for case_id, days in decided.items()
        for a, dd in zip(applied[case_id], days, strict=False)
        if dd >= start
    ]
    first_visit: dict[str, tuple[str, int]] = {}
    for position, kind, on, _, case_id, _ in inside:
        if kind == "VisitReported":
            first_visit.setdefault(case_id, (on, position))
    continued = {
        case_id
        for position, kind, on, _, case_id, _ in inside
        if kind in ("VisitReported", "FollowUpDone")
        and case_id in first_visit
        and (on, position) > first_visit[case_id]
    }
    ratings = [json.loads(f[5])["rating"] for f in inside if f[1] == "FeedbackReceived"]
    asked = [f for f in inside if f[1] == "CaseClosed" and json.loads(f[5])["feedback_requested"]]
    answered = [
        a
        for a in asked
        if any(
            f[1] == "FeedbackReceived"
            and f[4] == a[4]
            and f[2] <= end
            and (f[2], f[0]) > (a[2], a[0])
            for f in facts
        )
    ]
    topics = Counter(json.loads(f[5])["topic"] for f in inside if f[1] == "CaseOpened")
    months = []
    for i in range(12):
        y, m = divmod(3 + i, 12)
        key = f"{year + y}-{m + 1:02d}"
        month = [f for f in inside if f[2][:7] == key]
        months.append(
            {"month": key}
            | {column: sum(1 for f in month if f[1] == kind) for column, kind in MONTHLY.items()}
        )
    return {
        "fiscal_year": year,
        "consultations": counts["CaseOpened"],
        "applications": counts["DispatchApplied"],
        "dispatches": counts["DispatchDecided"],
        "visits": counts["VisitReported"],
        "follow_ups_done": counts["FollowUpDone"],
        "median_days_to_decision": median(delays) if delays else None,
        "decisions_within_7_days": sum(1 for x in delays if x <= 7),
        "municipalities_engaged": len({f[3] for f in inside if f[1] in ENGAGEMENT_KINDS}),
        "municipalities_total": len(MUNIS),
        "continuity_rate": round(len(continued) / len(first_visit), 3) if first_visit else None,
        "outreach": counts["OutreachRecorded"],
        "feedback": {
            "count": len(ratings),
            "mean_rating": round(mean(ratings), 2) if ratings else None,
        },
        "feedback_requested": len(asked),
        "feedback_answered": len(answered),
        "feedback_response_rate": round(len(answered) / len(asked), 3) if asked else None,
        "by_month": months,
        "by_topic": [
            {"topic": t, "consultations": n}
            for t, n in sorted(topics.items(), key=lambda item: (-item[1], item[0]))
        ],
    }


ASKED = [
    (year, as_of)
    for as_of in (
        "2024-03-31",
        "2024-04-01",
        "2024-04-02",
        "2025-01-15",
        "2025-04-03",
        "2025-07-25",
        "2026-11-26",
    )
    for year in (fiscal_year(d(as_of)) - 1, fiscal_year(d(as_of)))
]


@pytest.mark.parametrize(("year", "as_of"), ASKED)
def test_stats_equal_their_definition(history: Desk, year: int, as_of: str) -> None:
    found = stats(history.views.conn, year, d(as_of))
    assert found == expected(history, year, d(as_of))
    # The same keys in the same order: the CLI prints the dict as it is.
    assert json.dumps(found) == json.dumps(expected(history, year, d(as_of)))


def test_the_history_has_what_the_shortcuts_could_get_wrong(history: Desk) -> None:
    figures = stats(history.views.conn, 2025, d("2026-03-31"))
    assert figures["dispatches"] > 0 and figures["applications"] > 0
    assert 0 < figures["feedback_answered"] < figures["feedback_requested"]
    assert stats(history.views.conn, 2024, d("2025-03-31"))["continuity_rate"] not in (0, 1)
    unanswered_at_start = history.views.conn.execute(
        "SELECT COUNT(*) FROM (SELECT case_id FROM facts WHERE occurred_on < '2024-04-01'"
        " GROUP BY case_id HAVING SUM(kind = 'DispatchApplied') > SUM(kind = 'DispatchDecided')"
        " + 1)"
    ).fetchone()[0]
    assert unanswered_at_start >= 1  # two or more pending when fiscal 2024 began


def test_a_decision_answers_its_application_as_amended(history: Desk) -> None:
    pairs = history.views.conn.execute(
        "SELECT p.decided_on, p.applied_on, p.days FROM decision_delays p"
        " JOIN facts f ON f.position = p.position WHERE f.case_number = ? ORDER BY p.position",
        (_case_of(history, "訂正と取消"),),
    ).fetchall()
    assert pairs == [("2025-07-20", "2025-07-03", 17), ("2025-08-03", "2025-07-10", 24)]
    fresh = rebuilt(history)  # the pairs of every case again, from the log at once
    try:
        assert dump(fresh.conn, "decision_delays") == dump(history.views.conn, "decision_delays")
    finally:
        fresh.close()


def _case_of(desk: Desk, summary: str) -> str:
    found = desk.views.conn.execute(
        "SELECT number FROM cases WHERE summary = ?", (summary,)
    ).fetchone()
    return str(found[0])


def test_an_empty_year_has_no_figures(history: Desk) -> None:
    figures = stats(history.views.conn, 2019, d("2026-11-26"))
    assert figures == expected(history, 2019, d("2026-11-26"))
    assert figures["median_days_to_decision"] is None
    assert figures["continuity_rate"] is None
    assert figures["feedback"] == {"count": 0, "mean_rating": None}


@pytest.mark.parametrize("ratings", [[4], [4, 4], [1, 2], [1, 2, 2], [5, 3, 4, 4, 1, 2, 2]])
def test_the_mean_rating_is_the_mean_of_the_ratings_to_the_digit(ratings: list[int]) -> None:
    found = _mean(sum(ratings), len(ratings))
    # the same number of the same type: a whole mean prints as 4, not 4.0
    assert (found, type(found)) == (round(mean(ratings), 2), type(round(mean(ratings), 2)))
