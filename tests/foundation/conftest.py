"""Shared fixtures of the foundation suite: the real ``banso`` command, stores of each kind,
and a small store full of things to refuse (built once, copied per test).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest

from tracker.application.backup import export_events
from tracker.application.commands import Banso
from tracker.desk.bootstrap import Desk, bootstrap
from tracker.desk.settings import Settings
from tracker.domain.inputs import TOKYO, today

BANSO = shutil.which("banso", path=str(Path(sys.executable).parent)) or shutil.which("banso")
POSTGRES_URL = os.environ.get("BANSO_TEST_POSTGRES_URL")
#: Variables a developer's shell may set that would make a run depend on it.
LEAKY = (
    "BANSO_STORE",
    "BANSO_LANG",
    "BANSO_USER",
    "BANSO_READ_MODELS",
    "BANSO_DEBUG",
    "BANSO_CIPHER_KEY",
    "BANSO_CIPHER_KEY_FILE",
)

Arg = str | bytes


@dataclass(frozen=True)
class Run:
    """What one ``banso`` process did."""

    args: tuple[Arg, ...]
    code: int
    out: str
    err: str
    raw_out: bytes

    def json(self) -> Any:
        return json.loads(self.raw_out.decode("utf-8"))

    def __str__(self) -> str:
        shown = repr(self.args)
        shown = shown if len(shown) < 300 else shown[:300] + "…"
        return f"banso {shown} -> {self.code}\nstdout: {self.out}\nstderr: {self.err}"


class Cli:
    """The installed ``banso`` console script, run as a user would, against one store."""

    def __init__(self, store: Path | str, home: Path, user: str = "事務局 田中") -> None:
        assert BANSO, "the banso console script is not installed beside this Python"
        self.store = str(store)
        self.env = {k: v for k, v in os.environ.items() if k not in LEAKY}
        self.env |= {
            "BANSO_STORE": self.store,
            "BANSO_USER": user,
            "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_DATA_HOME": str(home / "data"),
        }

    def __call__(self, *args: Arg, env: dict[str, str] | None = None) -> Run:
        done = subprocess.run(
            [BANSO, *args],
            capture_output=True,
            env=self.env | (env or {}),
            timeout=120,
        )
        return Run(
            tuple(args),
            done.returncode,
            done.stdout.decode("utf-8", "replace"),
            done.stderr.decode("utf-8", "replace"),
            done.stdout,
        )

    def ok(self, *args: Arg) -> Run:
        """Run a command that must succeed."""
        run = self(*args)
        assert run.code == 0, str(run)
        return run

    def export(self, path: Path) -> bytes:
        """``banso export`` to ``path``; the file's bytes."""
        self.ok("export", "-o", str(path))
        return path.read_bytes()


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """``banso`` against a new, empty SQLite store of this test."""
    return Cli(tmp_path / "store" / "banso.sqlite", tmp_path)


@pytest.fixture(scope="session")
def cli_for() -> type[Cli]:
    """Make ``banso`` for a store: ``cli_for(store_path, home)``."""
    return Cli


@pytest.fixture(scope="session")
def exported() -> Callable[[str], bytes]:
    """The store's backup, made in this process (see ``export_in_process``)."""
    return export_in_process


def export_in_process(store: str) -> bytes:
    """The store's backup as ``banso export`` writes it (the same function, no process)."""
    app = Banso(store, user="exporter")
    try:
        out = io.StringIO()
        export_events(app, out)
        return out.getvalue().encode("utf-8")
    finally:
        app.close()


# ---- stores of each kind, through the one composition root --------------------------------


@pytest.fixture
def postgres_store() -> Iterator[str]:
    """A PostgreSQL store in a database of its own, dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("BANSO_TEST_POSTGRES_URL is not set (run under scripts/with-postgres)")
    import psycopg

    name = f"banso_foundation_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(urlparse(POSTGRES_URL)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def store_of(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], str]:
    """Make the name of a new, empty store of a kind: ``memory``, ``sqlite`` or ``postgres``."""

    def make(kind: str) -> str:
        if kind == "memory":
            return "memory:"
        if kind == "sqlite":
            return str(tmp_path / f"{uuid.uuid4().hex[:8]}" / "banso.sqlite")
        return request.getfixturevalue("postgres_store")

    return make


@pytest.fixture
def open_desk(tmp_path: Path) -> Iterator[Callable[[str], Desk]]:
    """Build desks through ``bootstrap``; each is closed when the test ends."""
    desks: list[Desk] = []

    def make(store: str, user: str = "事務局 田中") -> Desk:
        views = "memory:" if store == "memory:" else str(tmp_path / f"views-{len(desks)}.sqlite")
        desk = bootstrap(Settings(store=store, user=user, read_models=views))
        desks.append(desk)
        return desk

    yield make
    for desk in desks:
        desk.close()


# ---- a store full of things to refuse --------------------------------------------------------

D = date.fromisoformat


def fill_refusal_store(app: Banso) -> None:
    """Saitama, two experts (E002 retired), two contacts in 川口市, and three cases:
    2025-001 open with nothing done, 2025-002 open with an application pending,
    2025-003 closed."""
    app.register_prefecture("11", on=D("2025-04-01"))
    app.register_expert("山田太郎", specialties=["B"], on=D("2025-04-01"))
    app.register_expert("退職 花子", on=D("2025-04-01"))
    app.retire_expert("E002", on=D("2025-05-01"))
    app.assign_contact("112038", "佐藤花子", role="情報政策課 主査", on=D("2025-04-01"))
    app.assign_contact("112038", "高橋健", role="情報政策課 主任", on=D("2025-04-01"))
    app.open_case(
        "112038", topic="B", summary="移行計画の相談", contact="佐藤花子", on=D("2025-06-02")
    )
    app.open_case("114651", topic="D", summary="生成AIの導入", on=D("2025-06-02"))
    app.apply_for_dispatch("2025-002", on=D("2025-06-03"))
    app.open_case("111007", topic="C", summary="公式LINE", on=D("2025-06-02"))
    app.close_case("2025-003", resolution="resolved", on=D("2025-06-10"))


@dataclass(frozen=True)
class Pristine:
    """A store built once: its folder and its export made by ``banso export``."""

    folder: Path
    backup: bytes

    def copy(self, to: Path) -> Cli:
        """A copy of the store for one test, and ``banso`` pointed at it."""
        shutil.copytree(self.folder, to / "store")
        return Cli(to / "store" / "banso.sqlite", to)


@pytest.fixture(scope="session")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Pristine:
    home = tmp_path_factory.mktemp("pristine")
    store = home / "store" / "banso.sqlite"
    desk = bootstrap(Settings(store=str(store), user="準備"))
    try:
        fill_refusal_store(desk.app)
        desk.refresh()
    finally:
        desk.close()
    backup = Cli(store, home).export(home / "before.jsonl")
    assert backup.count(b"\n") > 63
    return Pristine(store.parent, backup)


@pytest.fixture
def refusal_store(pristine: Pristine, tmp_path: Path) -> Cli:
    """``banso`` against this test's own copy of the store full of things to refuse."""
    return pristine.copy(tmp_path)


# ---- events in an older shape ----------------------------------------------------------------


def write_v1_visit(app: Banso, case_ref: str, *, next_step: str | None, on: str) -> int:
    """Store a VisitReported as version 1 wrote it (one optional ``next_step``, no
    ``class_version``) straight into the recorder, as the next event of the case; returns
    its version."""
    from eventsourcing.persistence import StoredEvent

    case = app.case(case_ref)
    state: dict[str, Any] = {
        "timestamp": f"{on}T01:02:03.000004Z",
        "occurred_on": on,
        "recorded_by": "旧版の記録者",
        "report": "旧版で記録した報告",
        "experts": ["E001"],
        "online": False,
    }
    if next_step is not None:
        state["next_step"] = next_step
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=case.id,
                originator_version=case.version + 1,
                topic="events.case:VisitReported",
                state=json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode(),
            )
        ]
    )
    return case.version + 1


def restamp(cli: Cli, folder: Path, start: date, last_on: int) -> Cli:
    """The store exported and imported again into a new store in ``folder``, each entry
    recorded on its own business day (the registrations, dated today, on day 0) and the
    last one on day ``last_on``, days counted from ``start``: a history recorded day by day
    (``--as-recorded``), which the future-date refusal keeps commands from writing."""
    backup = folder / "backup.jsonl"
    cli.ok("export", "-o", str(backup))
    records = [json.loads(line) for line in backup.read_text(encoding="utf-8").splitlines()]
    last = max(r["id"] for r in records)

    def stamped(n: int) -> str:  # day n at noon in Japan, as the application stamps (UTC)
        moment = datetime.combine(start + timedelta(days=n), time(12), tzinfo=TOKYO)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    for r in records:
        day_of = (date.fromisoformat(r["state"]["occurred_on"]) - start).days
        recorded_on = 0 if day_of == (today() - start).days else day_of
        r["state"]["timestamp"] = stamped(last_on if r["id"] == last else recorded_on)
        r.pop("digest", None)  # an edited line no longer follows the file's chain
    backup.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    restored = Cli(folder / "restored" / "banso.sqlite", folder)
    restored.ok("import", str(backup))
    return restored


@pytest.fixture(scope="session")
def restamped() -> Callable[[Cli, Path, date, int], Cli]:
    """``restamped(cli, folder, start, last_on)``: see ``restamp``."""
    return restamp


@pytest.fixture(scope="session")
def v1_visit() -> Callable[..., int]:
    """``v1_visit(app, case_ref, next_step=..., on=...)``: see ``write_v1_visit``."""
    return write_v1_visit
