"""Fixtures of every suite: no test reads or writes the settings file of whoever runs it."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from pathlib import Path

import pytest

# Fixtures made once per session start banso too: they get a settings file of their own.
os.environ["BANSO_CONFIG"] = str(Path(tempfile.mkdtemp(prefix="banso-config-")) / "config.toml")


@pytest.fixture(autouse=True)
def own_settings_file(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A settings file of the test's own (``BANSO_CONFIG``, not there until written); the
    ``banso`` processes a test starts inherit it."""
    path = tmp_path_factory.mktemp("config") / "config.toml"
    monkeypatch.setenv("BANSO_CONFIG", str(path))
    return path


# ---- the fuzz suite's figures (tests/fuzz): here, so that the controller of an xdist run
# ---- (which collects no test module) has the hooks too

#: The figures each fuzz test records as its junit properties ``fuzz_NAME``.
FUZZ_FIGURES = (
    "cases",
    "tracebacks",
    "partial_writes",
    "bricked_stores",
    "exit_0",
    "exit_1",
    "exit_2",
)
_FIGURES: dict[str, Counter[str]] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # runs where the reports arrive: in the controller under xdist too
    if report.when == "teardown":
        found = {k[5:]: v for k, v in report.user_properties if k.startswith("fuzz_")}
        if found:
            name = report.nodeid.split("::")[-1] + (
                " (xfail)" if "xfail" in report.keywords else ""
            )
            _FIGURES[name] = Counter(found)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _FIGURES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("fuzz figures")
    total: Counter[str] = Counter()
    for name, counts in sorted(_FIGURES.items()):
        write(f"{name}: " + ", ".join(f"{k} {counts[k]}" for k in FUZZ_FIGURES))
        if "(xfail)" not in name:
            total.update(counts)
    write(
        "TOTAL (known-bug xfail tests left out): "
        + ", ".join(f"{k} {total[k]}" for k in FUZZ_FIGURES)
    )
