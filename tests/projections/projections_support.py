"""Helpers shared by the projection tests: events by hand, stores, table dumps, the CLI."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock
from uuid import UUID, uuid4

from eventsourcing.persistence import StoredEvent

from events.base import DomainEvent
from events.expert import ExpertRegistered
from events.municipality import MunicipalityRegistered
from projections.readmodels import ReadModels
from tracker.desk.bootstrap import Desk, bootstrap
from tracker.desk.settings import Settings
from tracker.domain.amending import amended
from tracker.domain.errors import BansoError

#: Real Saitama municipalities (valid check digits): a city, a town, a village.
KAWAGUCHI = "112038"
YOKOZE = "113611"
HIGASHICHICHIBU = "113697"
MUNIS = {
    KAWAGUCHI: ("川口市", "かわぐちし", 605545),
    YOKOZE: ("横瀬町", "よこぜまち", 7976),
    HIGASHICHICHIBU: ("東秩父村", "ひがしちちぶむら", 2635),
}

#: The read-model tables compared row for row (the FTS index is checked separately).
TABLES = {
    "municipalities": "code",
    "contacts": "id",
    "experts": "expert_id",
    "topics": "code",
    "rule_settings": "position",
    "cases": "id",
    "facts": "position",
    "withdrawn_facts": "position",
    "fact_experts": "expert_id, position",
    "decision_delays": "position",
}

REGISTRATIONS = (MunicipalityRegistered.__name__, ExpertRegistered.__name__)

BIN = Path(sys.executable).parent


def d(value: str) -> date:
    return date.fromisoformat(value)


def ev(
    cls: type[DomainEvent],
    on: str = "2025-05-01",
    *,
    id: UUID | None = None,
    version: int = 1,
    by: str = "tester",
    at: str = "2025-05-02T09:30:00",
    **fields: Any,
) -> Any:
    """An event built by hand, as an aggregate would have made it."""
    return cls(
        originator_id=id or uuid4(),
        originator_version=version,
        timestamp=datetime.fromisoformat(at).replace(tzinfo=UTC),
        occurred_on=d(on),
        recorded_by=by,
        **fields,
    )


def memory_desk(user: str = "tester") -> Desk:
    return bootstrap(Settings(store="memory:", user=user))


def register_reference(desk: Desk, on: date = date(2024, 4, 1)) -> list[str]:
    """The three municipalities and three experts every scenario starts with."""
    for code, (name, kana, population) in MUNIS.items():
        desk.app.register_municipality(
            code, name, name_kana=kana, prefecture="埼玉県", population=population, on=on
        )
    experts = [
        desk.app.register_expert("山田太郎", specialties=["B"], background="元市職員", on=on),
        desk.app.register_expert("鈴木花子", specialties=["C", "D"], on=on),
        desk.app.register_expert("高橋誠", specialties=["E"], on=on),
    ]
    desk.refresh()
    return experts


def dump(conn: sqlite3.Connection, table: str) -> list[tuple[Any, ...]]:
    """Every row of a read-model table, in key order."""
    return conn.execute(f"SELECT * FROM {table} ORDER BY {TABLES[table]}").fetchall()


def dump_all(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    return {table: dump(conn, table) for table in TABLES}


def check_fts(conn: sqlite3.Connection) -> None:
    """Raise if the trigram index disagrees with the facts it indexes."""
    conn.execute("INSERT INTO facts_fts (facts_fts) VALUES ('integrity-check')")


def rebuilt(desk: Desk, batch_size: int = 5_000) -> ReadModels:
    """A fresh in-memory read-model file caught up once from ``desk``'s store."""
    fresh = ReadModels("memory:")
    fresh.catch_up(desk.log, batch_size=batch_size)
    return fresh


def copy_events_until(source: Desk, target: Desk, day: date) -> int:
    """Copy into ``target`` the stored events dated up to ``day`` (registrations always), each
    entry as amended: corrected as its corrections say, left out if withdrawn, the
    corrections and withdrawals themselves left out (the entries now say what they said)."""
    notifications = source.app.recorder.select_notifications(
        start=0, limit=1_000_000, inclusive_of_start=False
    )
    events = [source.log.decode(n) for n in notifications]
    histories: dict[UUID, list[DomainEvent]] = defaultdict(list)
    for event in events:
        histories[event.originator_id].append(event)
    now = {
        (oid, version): entry
        for oid, history in histories.items()
        for version, entry in amended(history).entries.items()
    }
    kept = []
    for event in events:  # in log order
        entry = now.get((event.originator_id, event.originator_version))
        if entry is None:  # an amendment, or withdrawn
            continue
        if type(entry).__name__ in REGISTRATIONS or entry.occurred_on <= day:
            kept.append(source.app.mapper.to_stored_event(entry))
    # the people's keys go with their sealed details, as a backup carries them
    target.app.keyring.restore(source.app.keyring.living_keys())
    target.app.recorder.insert_events(kept)
    return len(kept)


@contextmanager
def today_is(day: date) -> Iterator[None]:
    """Queries believe ``day`` is today, so they answer from the current read models."""
    with mock.patch("projections.queries.common.today", return_value=day):
        yield


def banso(store: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the real ``banso`` command line in a subprocess."""
    env = {**os.environ, "BANSO_USER": "事務局A", "BANSO_LANG": "ja"}
    env.pop("BANSO_STORE", None)
    env.pop("BANSO_READ_MODELS", None)
    done = subprocess.run(
        [str(BIN / "banso"), "--store", str(store), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"banso {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done


def banso_json(store: Path, *args: str) -> Any:
    return json.loads(banso(store, *args, "--json").stdout)


def busy_history(desk: Desk, cases: int, seed: int = 7) -> None:
    """A long, varied history: cases with every kind of event, late entries, staff rotation."""
    rng = random.Random(seed)
    app = desk.app
    day = date(2024, 4, 1)
    people = iter(f"職員{i:04d}" for i in range(10_000))
    for code in MUNIS:
        app.assign_contact(code, next(people), role="主査", on=day)
    numbers: list[str] = []
    for i in range(cases):
        day += timedelta(days=rng.choice((0, 0, 1, 1, 2)))
        code = rng.choice(list(MUNIS))
        contacts = sorted(app.municipality(code).contacts)
        if i % 40 == 39:  # staff rotation, with or without a successor
            successor = next(people) if rng.random() < 0.6 else None
            app.transfer_contact(code, contacts[0], successor=successor, on=day)
            app.assign_contact(code, next(people), role="係長", on=day)
            contacts = sorted(app.municipality(code).contacts)
        number, _ = app.open_case(
            code,
            topic=rng.choice("ABCDEFGHIZ"),
            summary=f"相談{i}: " + rng.choice(("標準化の移行", "公式LINE", "生成AI", "窓口DX")),
            contact=rng.choice([None, *contacts]),
            on=day,
        )
        numbers.append(number)
        on = day
        for _ in range(rng.randint(1, 8)):
            on += timedelta(days=rng.randint(0, 12))
            action = rng.choice(("apply", "visit", "follow", "note", "late", "close", "feedback"))
            try:
                if action == "apply":
                    app.apply_for_dispatch(number, on=on)
                    app.decide_dispatch(number, [rng.choice(("E001", "E002", "E003"))], on=on)
                elif action == "visit":
                    app.report_visit(number, report=f"支援{i}", next_steps=["次回確認"], on=on)
                elif action == "follow":
                    due = on + timedelta(days=rng.randint(0, 40))
                    app.schedule_follow_up(number, due=due, note="状況確認", on=on)
                elif action == "note":
                    app.add_note(rng.choice(numbers), f"メモ{i}", on=on)
                elif action == "late":  # entered now, dated before what is already recorded
                    app.add_note(number, f"遅れて記録{i}", on=max(day, on - timedelta(days=20)))
                elif action == "close":
                    app.close_case(number, resolution="resolved", on=on)
                else:
                    app.receive_feedback(number, rating=rng.randint(1, 5), on=on)
            except BansoError:
                continue


def events_of(desk: Desk) -> list[StoredEvent]:
    """Every stored event of ``desk``'s store, in log order."""
    return [
        StoredEvent(
            originator_id=n.originator_id,
            originator_version=n.originator_version,
            topic=n.topic,
            state=n.state,
        )
        for n in desk.app.recorder.select_notifications(
            start=0, limit=10_000_000, inclusive_of_start=False
        )
    ]
