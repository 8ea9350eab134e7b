"""The small benchmark configuration runs in CI and fails on a ratio regression."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.run import RATIOS, TARGETS, check


@pytest.mark.slow
@pytest.mark.bench
def test_small_benchmark_prints_figures_and_keeps_its_ratios(tmp_path: Path) -> None:
    out = tmp_path / "ci.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--size",
            "ci",
            "--check",
            "--cache",
            str(tmp_path / "cache"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    print(done.stdout, done.stderr)
    figures = json.loads(out.read_text(encoding="utf-8"))["figures"]
    assert figures["events"] > 40_000
    for name in RATIOS:
        assert figures[name] > 0
    assert done.returncode == 0, done.stdout


def test_the_guard_flags_a_ratio_below_half_its_bar() -> None:
    bar = {name: TARGETS[name][0] for name in RATIOS}
    healthy = {name: value * 0.6 for name, value in bar.items()}
    assert check(healthy, baseline={}) == []
    broken = healthy | {"import_ratio": bar["import_ratio"] * 0.4}
    assert [f.split(" ")[0] for f in check(broken, baseline={})] == ["import_ratio"]


def test_a_recorded_baseline_sets_the_bar_only_for_its_out_of_reach_ratio() -> None:
    baseline = {"rebuild_ratio": 0.04}
    assert check({"import_ratio": 0.3, "rebuild_ratio": 0.03}, baseline) == []
    flagged = check({"import_ratio": 0.2, "rebuild_ratio": 0.01}, baseline)
    assert [f.split(" ")[0] for f in flagged] == ["import_ratio", "rebuild_ratio"]
