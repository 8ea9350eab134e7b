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
from hypothesis import HealthCheck, Phase, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from tests.fuzz.harness import ROOT, Desk, Tally, newest_fixture

_COMMON = {
    "deadline": None,
    # each example makes its own copy of the store: a function's fixtures are only its tools
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # examples chdir into their own folder: the database is named by an absolute path
    "database": DirectoryBasedExampleDatabase(str(ROOT / ".hypothesis" / "examples")),
}
settings.register_profile("fuzz-fast", max_examples=40, **_COMMON)
settings.register_profile(
    "fuzz-ci", max_examples=int(os.environ.get("BANSO_FUZZ_EXAMPLES", "300")), **_COMMON
)
FAST = settings.get_profile("fuzz-fast")
CI = settings.get_profile("fuzz-ci")
#: For a test marked xfail on a known bug: the fast budget, but it stops at the first
#: failure it finds (no shrinking, no hunt for more), so a known bug costs seconds.
KNOWN_BUG = settings(
    FAST, phases=(Phase.explicit, Phase.reuse, Phase.generate), report_multiple_bugs=False
)


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
