"""What every fuzz test shares: ``banso`` run in this process against a copy of a small
store full of history, a fingerprint of the store to tell a write, and the checks that the
store still works afterwards (verify, rebuild, a query).

``main`` (the console script's entry point) runs in this process, inside click's test
isolation, so thousands of command lines take minutes, not hours; the error handling under
test is the console script's own. A few cases also run through the real process
(``test_fuzz_arguments.py``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from tracker.cli import main
from tracker.language import say

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "schema"
#: The words of the console script's last guard, in both languages, before their detail.
INTERNAL = tuple(say("cli.internal_error", lang, detail="").strip() for lang in ("ja", "en"))


@dataclass(frozen=True)
class Run:
    """What one ``banso`` command did, in this process."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def __str__(self) -> str:
        shown = repr(self.args)
        shown = shown if len(shown) < 400 else shown[:400] + "…"
        return f"banso {shown} -> {self.code}\nstdout: {self.out[:800]}\nstderr: {self.err[:800]}"

    @property
    def crashed(self) -> bool:
        """A traceback, or the last guard's "internal error", was shown."""
        both = self.out + self.err
        return "Traceback (most recent call last)" in both or any(w in both for w in INTERNAL)


def newest_fixture() -> Path:
    """The newest committed schema fixture's folder: a small store of every event kind."""
    manifests = sorted(FIXTURES.glob("v*-*/manifest.json"))
    newest = max(manifests, key=lambda m: _newness(json.loads(m.read_text("utf-8"))))
    return newest.parent


def _newness(manifest: dict[str, Any]) -> tuple[int, str]:
    return manifest["schema_version"], manifest["written_on"]


class Desk:
    """One example's own copy of the store, its read models, settings file and folder."""

    def __init__(self, folder: Path, pristine: Path) -> None:
        self.folder = folder
        shutil.copytree(pristine, folder / "store")
        self.store = str(folder / "store" / "banso.sqlite")
        self.env = {
            "BANSO_CONFIG": str(folder / "config.toml"),
            "XDG_CACHE_HOME": str(folder / "cache"),
            "XDG_DATA_HOME": str(folder / "data"),
            **{name: None for name in ("BANSO_STORE", "BANSO_LANG", "BANSO_USER", "BANSO_DEBUG")},
        }

    def __call__(self, *args: str, stdin: bytes | None = None) -> Run:
        """``banso --store THIS --user 'fuzz' ARGS`` in this process (from the example's
        folder, so a relative output lands in it)."""
        argv = ["--store", self.store, "--user", "ふざ 検査", *args]
        runner = CliRunner()
        before = Path.cwd()
        os.chdir(self.folder)
        try:
            with runner.isolation(input=stdin, env=self.env) as (out, err, _):
                try:
                    main(argv)
                    code = 0
                except SystemExit as e:
                    code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
                out_text = out.getvalue().decode("utf-8", "replace")
                err_text = err.getvalue().decode("utf-8", "replace")
        finally:
            os.chdir(before)
        return Run(tuple(args), code, out_text, err_text)

    def process(self, *args: str) -> Run:
        """The same command line through the real ``banso`` process (an argument cannot
        hold NUL there: the OS ends it; one that is not UTF-8 goes as its bytes)."""
        program = shutil.which("banso", path=str(Path(sys.executable).parent)) or "banso"
        argv = ["--store", self.store, "--user", "ふざ 検査", *args]
        env = {k: v for k, v in os.environ.items() if k not in self.env} | {
            k: v for k, v in self.env.items() if v is not None
        }
        done = subprocess.run(
            [program, *(a.replace("\x00", "").encode("utf-8", "surrogateescape") for a in argv)],
            capture_output=True,
            env=env,
            cwd=self.folder,
            timeout=120,
        )
        out, err = (s.decode("utf-8", "replace") for s in (done.stdout, done.stderr))
        return Run(tuple(args), done.returncode, out, err)

    def fingerprint(self) -> str:
        """A digest of every stored event and chain row: equal before and after means
        nothing was recorded (a new store's note of when its chain began is no record)."""
        digest = hashlib.sha256()
        if not Path(self.store).exists():  # no store, no rows: as an empty store
            return digest.hexdigest()
        with _reading(self.store) as conn:
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
            for table in ("stored_events", "stored_events_chain"):
                if table in tables:
                    for row in conn.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid"):
                        digest.update(repr(row).encode())
        return digest.hexdigest()

    def events(self) -> set[tuple[str, int]]:
        """Every stored event's (originator id, version); none for a store not made yet."""
        if not Path(self.store).exists():
            return set()
        with _reading(self.store) as conn:
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
            if "stored_events" not in tables:
                return set()
            rows = conn.execute("SELECT originator_id, originator_version FROM stored_events")
            return {(str(uuid.UUID(str(oid))), int(v)) for oid, v in rows}

    def still_works(self, rebuild: bool = False) -> list[str]:
        """What a later command cannot do with the store (nothing, for a sound store):
        verify passes, a query answers, and (``rebuild``) the read models rebuild."""
        problems: list[str] = []
        if not self.events():  # nothing recorded yet: a later command starts afresh
            return problems
        checks: list[Sequence[str]] = [("--json", "verify"), ("--json", "case", "list")]
        if rebuild:
            checks.insert(1, ("rebuild",))
        for check in checks:
            run = self(*check)
            if run.code != 0 or run.crashed:
                problems.append(str(run))
        return problems


@contextmanager
def _reading(store: str) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        yield conn
    finally:
        conn.close()


class Tally:
    """The figures of one fuzz test, recorded as its junit properties (``fuzz_*``) and
    summed at the end of the run (see ``tests/fuzz/conftest.py``)."""

    NAMES = (
        "cases",
        "tracebacks",
        "partial_writes",
        "bricked_stores",
        "exit_0",
        "exit_2",
    )  # as tests/conftest.py prints them

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter({name: 0 for name in self.NAMES})

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] += n
