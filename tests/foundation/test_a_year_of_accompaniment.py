"""A year of accompaniment through the real ``banso`` command, ending today, on SQLite and on
PostgreSQL: promises made at visits (one kept, one coming due, one forgotten), the April
transfer, an expert retiring, an application waiting; then the stall list, due-soon, the
briefing, the digests and the year's figures, each asked at the days that matter.

Every date is relative to today (business dates in the future are refused): the year
starts four months before the last April 1, and office days come from the same calendar
the rules use (``tracker.domain.office_days``), itself checked on fixed dates elsewhere.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse, urlunparse

import pytest

from tracker.domain.fiscal import fiscal_year
from tracker.domain.inputs import today
from tracker.domain.office_days import add_office_days, is_office_day, latest_start

if TYPE_CHECKING:
    from conftest import Cli

T = today()
#: The April transfer: the last April 1 on or before today.
A = date(fiscal_year(T), 4, 1)
S = A - timedelta(days=120)


def office(day: date) -> date:
    """The office day itself, or the one before (where the desk records things)."""
    while not is_office_day(day):
        day -= timedelta(days=1)
    return day


def ago(days: int) -> date:
    return office(T - timedelta(days=days))


def after(days: int) -> date:
    return office(S + timedelta(days=days))


@dataclass
class Year:
    """The store, and what the test recorded: each kind of step with its dates."""

    cli: Cli
    done: dict[str, list[date]] = field(default_factory=dict)
    days: dict[str, date] = field(default_factory=dict)

    def run(self, kind: str | None, on: date, *args: str) -> Any:
        run = self.cli.ok(*args, "--on", on.isoformat())
        if kind:
            self.done.setdefault(kind, []).append(on)
        return run

    def ask(self, *args: str) -> Any:
        return self.cli.ok("--json", *args).json()


def _postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = os.environ.get("BANSO_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("BANSO_TEST_POSTGRES_URL is not set (run under scripts/with-postgres)")
    import psycopg

    name = f"banso_year_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(urlparse(url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.slow])],
)
def year(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, cli_for: type[Cli]
) -> Iterator[Year]:
    home = tmp_path_factory.mktemp("year")
    if request.param == "sqlite":
        stores: Iterator[str] = iter([str(home / "store" / "banso.sqlite")])
    else:
        stores = _postgres(tmp_path_factory)
    store = next(stores)
    y = Year(cli_for(store, home))
    _live(y)
    yield y
    next(stores, None)  # drops the PostgreSQL database


def _case(y: Year, muni: str, topic: str, summary: str, on: date, *more: str) -> str:
    opened = y.cli.ok(
        "--json",
        "case",
        "open",
        muni,
        "--topic",
        topic,
        "--summary",
        summary,
        *more,
        "--on",
        on.isoformat(),
    ).json()
    y.done.setdefault("consultations", []).append(on)
    return str(opened["case"])


def _dispatched(y: Year, number: str, expert: str, applied: date, decided: date) -> None:
    y.run("applications", applied, "case", "apply", number)
    y.run("dispatches", decided, "case", "dispatch", number, "--expert", expert)


def _live(y: Year) -> None:
    """The year, command by command."""
    c = y.cli
    c.ok("init")
    for name, topics in (("山田太郎", ("B",)), ("鈴木花子", ("B", "C")), ("高橋誠", ("D",))):
        c.ok(
            "expert",
            "add",
            name,
            *(a for t in topics for a in ("--specialty", t)),
            "--on",
            S.isoformat(),
        )
    c.ok("contact", "assign", "川口市", "佐藤花子", "--role", "主査", "--on", S.isoformat())
    c.ok("contact", "assign", "横瀬町", "田中一郎", "--role", "係長", "--on", S.isoformat())

    # Kept: 川口市's follow-up is done before its day; the case closes with feedback.
    k = y.days["kept_case"] = _case(
        y, "川口市", "B", "標準化の移行計画", after(5), "--contact", "佐藤花子"
    )
    _dispatched(y, k, "E001", after(6), after(8))
    y.run(
        "visits",
        after(20),
        "case",
        "visit",
        k,
        "--report",
        "移行計画を確認",
        "--next-step",
        "見積を依頼",
    )
    y.run(
        None,
        after(20),
        "case",
        "follow-up",
        k,
        "--due",
        after(50).isoformat(),
        "--note",
        "見積の確認",
    )
    y.run("follow_ups_done", after(48), "case", "follow-up-done", k, "--note", "見積が届いた")
    y.run(None, after(55), "case", "feedback", k, "--rating", "5")
    y.run(None, after(56), "case", "close", k, "--resolution", "resolved")

    # Forgotten: 横瀬町's follow-up is never done, and its contact leaves in April unreplaced.
    f = y.days["forgotten_case"] = _case(
        y, "横瀬町", "D", "生成AIの利用規程", after(30), "--contact", "田中一郎"
    )
    _dispatched(y, f, "E003", after(31), after(33))
    y.run(
        "visits",
        after(45),
        "case",
        "visit",
        f,
        "--report",
        "規程案を説明",
        "--next-step",
        "庁内規程案",
    )
    y.days["forgotten_due"] = after(75)
    y.run(
        None,
        after(45),
        "case",
        "follow-up",
        f,
        "--due",
        after(75).isoformat(),
        "--note",
        "規程の決裁",
    )
    c.ok(
        "contact",
        "transfer",
        "川口市",
        "佐藤花子",
        "--successor",
        "鈴木一郎",
        "--on",
        A.isoformat(),
    )
    c.ok("contact", "transfer", "横瀬町", "田中一郎", "--on", A.isoformat())

    # Due: 皆野町's follow-up falls three office days from today; its expert retires first,
    # and the case is handed over. 東秩父村's case is left with the retired expert.
    d = y.days["due_case"] = _case(y, "皆野町", "B", "ガバメントクラウドの費用", ago(60))
    _dispatched(y, d, "E001", ago(59), ago(57))
    y.run(
        "visits", ago(50), "case", "visit", d, "--report", "費用の試算", "--next-step", "試算の共有"
    )
    y.days["due_on"] = add_office_days(T, 3)
    y.run(None, ago(50), "case", "follow-up", d, "--due", y.days["due_on"].isoformat())
    left = y.days["left_case"] = _case(y, "東秩父村", "B", "特定移行支援システム", ago(55))
    _dispatched(y, left, "E001", ago(54), ago(52))
    y.run("visits", ago(45), "case", "visit", left, "--report", "申請書の確認")
    y.run(None, ago(45), "case", "follow-up", left, "--due", (T + timedelta(days=30)).isoformat())
    r = y.days["retired_on"] = ago(30)
    retired = y.run(None, r, "--json", "expert", "retire", "E001").json()
    assert retired["left_open"] == sorted([d, left])
    y.run(None, r, "case", "reassign", d, "--from", "E001", "--to", "鈴木花子")

    # One-off: 越谷市 had one visit and nothing since. Waiting: 小鹿野町's application.
    o = y.days["one_off_case"] = _case(y, "越谷市", "C", "公式LINEの運用", ago(70))
    _dispatched(y, o, "E002", ago(69), ago(67))
    y.days["one_off_visit"] = ago(45)
    y.run("visits", ago(45), "case", "visit", o, "--report", "運用体制の整理")
    p = y.days["waiting_case"] = _case(y, "小鹿野町", "A", "DX推進計画の策定", ago(20))
    y.days["applied_on"] = latest_start(T, 9)  # nine office days before today
    y.run("applications", y.days["applied_on"], "case", "apply", p)


def _rows(rows: list[dict[str, Any]], case: str | None = None) -> list[tuple[str, str, str, int]]:
    return [
        (r["case"], r["rule"], r["since"], r["days"]) for r in rows if case in (None, r["case"])
    ]


# ---- the stall list on the days that matter ---------------------------------------------------


def test_the_forgotten_follow_up_stalls_and_the_april_transfer_adds_contact_left(
    year: Year,
) -> None:
    f, due = year.days["forgotten_case"], year.days["forgotten_due"]
    before = A - timedelta(days=1)
    assert _rows(year.ask("stalled", "--as-of", before.isoformat()), f) == [
        (f, "follow-up-overdue", due.isoformat(), (before - due).days)
    ]
    assert _rows(year.ask("stalled", "--as-of", A.isoformat()), f) == [
        (f, "follow-up-overdue", due.isoformat(), (A - due).days),
        (f, "contact-left", A.isoformat(), 0),
    ]
    assert _rows(year.ask("stalled", "--as-of", due.isoformat()), f) == []  # due that day


def test_the_retired_experts_case_nobody_took_stalls_from_the_retirement_day(year: Year) -> None:
    r, left = year.days["retired_on"], year.days["left_case"]

    def expert_left(day: date) -> list[tuple[str, str, str, int]]:
        return [
            row
            for row in _rows(year.ask("stalled", "--as-of", day.isoformat()))
            if row[1] == "expert-left"
        ]

    assert expert_left(r - timedelta(days=1)) == []
    assert expert_left(r) == [(left, "expert-left", r.isoformat(), 0)]


def test_today_every_rule_of_the_year_lists_its_case(year: Year) -> None:
    d = year.days
    assert _rows(year.ask("stalled")) == [
        (d["waiting_case"], "decision-overdue", d["applied_on"].isoformat(), 9),
        (
            d["one_off_case"],
            "one-off",
            d["one_off_visit"].isoformat(),
            (T - d["one_off_visit"]).days,
        ),
        (
            d["forgotten_case"],
            "follow-up-overdue",
            d["forgotten_due"].isoformat(),
            (T - d["forgotten_due"]).days,
        ),
        (d["forgotten_case"], "contact-left", A.isoformat(), (T - A).days),
        (d["left_case"], "expert-left", d["retired_on"].isoformat(), (T - d["retired_on"]).days),
    ]


def test_the_waiting_application_is_due_on_its_seventh_office_day_then_overdue(year: Year) -> None:
    applied, p = year.days["applied_on"], year.days["waiting_case"]
    seventh, eighth = add_office_days(applied, 7), add_office_days(applied, 8)
    due = year.ask("due", "--as-of", seventh.isoformat(), "--within", "0")
    assert [(r["case"], r["kind"], r["due"], r["office_days_left"]) for r in due] == [
        (p, "decision", seventh.isoformat(), 0)
    ]
    assert _rows(year.ask("stalled", "--as-of", seventh.isoformat()), p) == []
    assert _rows(year.ask("stalled", "--as-of", eighth.isoformat()), p) == [
        (p, "decision-overdue", applied.isoformat(), 8)
    ]


def test_what_comes_due_today_is_the_handed_over_follow_up(year: Year) -> None:
    due = year.ask("due")
    assert [(r["case"], r["kind"], r["due"], r["office_days_left"], r["owners"]) for r in due] == [
        (year.days["due_case"], "follow-up", year.days["due_on"].isoformat(), 3, ["E002"])
    ]


# ---- the briefing, the digests, the figures ---------------------------------------------------


def test_the_briefing_of_the_municipality_whose_contact_left_says_what_is_late(year: Year) -> None:
    f = year.days["forgotten_case"]
    now = year.cli.ok("briefing", "横瀬町").out
    assert f"**フォローアップ期限超過** {f}" in now and f"**担当者異動・後任なし** {f}" in now
    assert "田中一郎（異動・後任なし）" in now
    before = year.cli.ok("briefing", "横瀬町", "--as-of", (A - timedelta(days=1)).isoformat()).out
    assert "担当者異動・後任なし" not in before and "| 田中一郎 | 係長 |" in before


def test_each_owner_gets_a_digest_of_their_own_and_the_retired_expert_none(year: Year) -> None:
    d = year.days
    digests = year.ask("digest")
    found = {
        g["owner"]: {
            s: [(i["case"], i["what"]) for i in g[s]] for s in ("overdue", "due_soon", "stalled")
        }
        for g in digests
    }
    desk_stalled = sorted(
        [
            (d["left_case"], "expert-left", d["retired_on"]),
            (d["forgotten_case"], "contact-left", A),
        ],
        key=lambda item: (item[2], item[0]),
        reverse=True,
    )
    assert found == {
        "secretariat": {
            "overdue": [(d["waiting_case"], "decision-overdue")],
            "due_soon": [],
            "stalled": [(case, rule) for case, rule, _ in desk_stalled],
        },
        "E002": {
            "overdue": [],
            "due_soon": [(d["due_case"], "follow-up")],
            "stalled": [(d["one_off_case"], "one-off")],
        },
        "E003": {
            "overdue": [(d["forgotten_case"], "follow-up-overdue")],
            "due_soon": [],
            "stalled": [],
        },
    }
    assert year.ask("digest", "--for", "E001") == []
    text = year.cli.ok("--lang", "en", "digest", "--for", "鈴木花子", "--format", "markdown").out
    assert text.startswith(f"# banso digest {T.isoformat()}: E002 鈴木花子")
    assert "## Due soon (1)" in text and "## Stalled (1)" in text


def test_the_years_figures_count_what_was_recorded_in_each_fiscal_year(year: Year) -> None:
    for fy in sorted({fiscal_year(S), fiscal_year(T)}):
        figures = year.ask("stats", "--fiscal-year", str(fy))

        def counted(kind: str, fy: int = fy) -> int:
            return sum(fiscal_year(day) == fy for day in year.done.get(kind, []))

        assert {
            k: figures[k]
            for k in ("consultations", "applications", "dispatches", "visits", "follow_ups_done")
        } == {
            k: counted(k)
            for k in ("consultations", "applications", "dispatches", "visits", "follow_ups_done")
        }
