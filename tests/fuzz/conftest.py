"""The fuzz suite's budgets, its one store, and the figures it prints at the end of a run.

Two hypothesis profiles: ``fuzz-fast`` (a few dozen cases a test, in the fast suite) and
``fuzz-ci`` (thousands in all, the ``slow`` twins that ``make test`` runs; set
``BANSO_FUZZ_EXAMPLES`` for a longer run). Each test's figures (cases tried, tracebacks,
partial writes, bricked stores) are its junit properties (``fuzz_*``); ``tests/conftest.py``
prints them at the end of the run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from tests.fuzz.harness import ROOT, Desk, Tally, newest_fixture

#: Each run tries the same cases (hypothesis derandomised: drawn from a seed made of each
#: test's own source), so that a CI run passes or fails on the code alone; a developer hunting
#: for new cases sets ``BANSO_FUZZ_RANDOM=1`` (random cases, failures kept in an example
#: database and tried first the next time).
RANDOM = bool(os.environ.get("BANSO_FUZZ_RANDOM"))
_COMMON = {
    "deadline": None,
    # each example makes its own copy of the store: a function's fixtures are only its tools
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "derandomize": not RANDOM,
    # examples chdir into their own folder: the database is named by an absolute path
    "database": DirectoryBasedExampleDatabase(str(ROOT / ".hypothesis" / "examples"))
    if RANDOM
    else None,
}
settings.register_profile("fuzz-fast", max_examples=40, **_COMMON)
settings.register_profile(
    "fuzz-ci", max_examples=int(os.environ.get("BANSO_FUZZ_EXAMPLES", "300")), **_COMMON
)
FAST = settings.get_profile("fuzz-fast")
CI = settings.get_profile("fuzz-ci")


@pytest.fixture(scope="session")
def fuzz_pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The newest schema fixture's store with its read models built: copied by every
    example (the committed file is never opened)."""
    folder = tmp_path_factory.mktemp("fuzz-pristine")
    shutil.copyfile(newest_fixture() / "banso.sqlite", folder / "banso.sqlite")
    desk = Desk.__new__(Desk)
    desk.folder, desk.store = folder, str(folder / "banso.sqlite")
    desk.env = {"BANSO_CONFIG": str(folder / "config.toml")}
    built = desk("--json", "verify")
    assert built.code == 0, str(built)
    return folder


@pytest.fixture
def desks(fuzz_pristine: Path, tmp_path: Path) -> Iterator[Desk]:
    """Make a new copy of the store for each example: ``next(desks)``."""

    def made() -> Iterator[Desk]:
        for n in range(1_000_000):
            folder = tmp_path / f"example-{n}"
            folder.mkdir()
            yield Desk(folder, fuzz_pristine)
            shutil.rmtree(folder, ignore_errors=True)

    return made()


@pytest.fixture
def tally(record_property: pytest.RecordProperty) -> Iterator[Tally]:
    """This test's figures, recorded as its junit properties when it ends."""
    counts = Tally()
    yield counts
    for name, value in counts.counts.items():
        record_property(f"fuzz_{name}", value)
