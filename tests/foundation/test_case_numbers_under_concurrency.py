"""Slow: several processes opening cases at once get distinct, gap-free case numbers."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tracker.application.audit import audit
from tracker.application.commands import Banso
from tracker.application.eventsourcing_compat import chained
from tracker.desk.bootstrap import Desk

if TYPE_CHECKING:
    from conftest import Cli

pytestmark = pytest.mark.slow

PROCESSES = 4
D = date.fromisoformat


def test_four_banso_processes_opening_ten_cases_each_get_2025_001_to_040(
    cli: Cli,
) -> None:
    Path(cli.store).parent.mkdir(parents=True)
    app = Banso(cli.store, user="準備")
    app.register_prefecture("11", on=D("2025-04-01"))
    app.close()

    def open_ten(worker: int) -> list[str]:
        return [
            cli.ok(
                "case", "open", "川口市", "--topic", "B", "--summary", f"{worker} の {n} 件目",
                "--on", "2025-06-01", "--json",
            ).json()["case"]
            for n in range(10)
        ]  # fmt: skip

    with ThreadPoolExecutor(PROCESSES) as pool:  # each thread drives its own banso processes
        printed = [number for numbers in pool.map(open_ten, range(PROCESSES)) for number in numbers]
    expected = [f"2025-{n:03d}" for n in range(1, 41)]
    assert sorted(printed) == expected
    listed = cli.ok("case", "list", "--status", "all", "--json").json()
    assert sorted(c["case"] for c in listed) == expected
    assert len({c["id"] for c in listed}) == 40
    assert sorted(c["summary"] for c in listed) == sorted(
        f"{w} の {n} 件目" for w in range(PROCESSES) for n in range(10)
    )
    verified = cli.ok("verify", "--json").json()
    assert (verified["ok"], verified["problems"]) == (True, [])


def open_cases(store: str, worker: int, count: int) -> list[tuple[str, str]]:
    """Open ``count`` cases straight through the application (run in a pool process)."""
    app = Banso(store, user=f"worker-{worker}")
    try:
        return [
            tuple(
                map(
                    str,
                    app.open_case("112038", topic="D", summary=f"{worker}-{n}", on=D("2026-03-31")),
                )
            )
            for n in range(count)
        ]
    finally:
        app.close()


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_pool_of_processes_calling_the_application_shares_one_gap_free_sequence(
    kind: str, store_of: Callable[[str], str], open_desk: Callable[..., Desk]
) -> None:
    store = store_of(kind)
    desk = open_desk(store)
    desk.app.register_prefecture("11", on=D("2025-04-01"))
    per_worker = 25
    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        results = pool.starmap(open_cases, [(store, w, per_worker) for w in range(PROCESSES)])
    opened = [pair for worker in results for pair in worker]
    expected = [f"2025-{n:03d}" for n in range(1, PROCESSES * per_worker + 1)]
    assert sorted(number for number, _ in opened) == expected
    for number, case_id in opened:
        assert str(desk.app.case(number).id) == case_id
    # the next number follows on without a gap
    assert desk.app.open_case("112038", topic="A", summary="次", on=D("2026-03-31"))[0] == (
        f"2025-{PROCESSES * per_worker + 1:03d}"
    )
    assert desk.app.open_case("112038", topic="A", summary="新年度", on=D("2026-04-01"))[0] == (
        "2026-001"
    )
    log = chained(desk.app.recorder)  # and one chain over it all
    with log.audit_scan() as (rows, links):
        found = audit(rows, links, event_at=log.event_at)
    assert (found.findings, found.chained) == ([], 63 + 2 * (PROCESSES * per_worker + 2))
