"""Run every benchmark on one store and report figures, ratios and targets."""

from __future__ import annotations

import compileall
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Any

from benchmarks.floors import insert_floor, raw_rows, read_floor
from projections.queries.search import search
from projections.queries.stalled import stalled
from projections.queries.stats import stats
from projections.queries.timeline import timeline
from tracker.application.backup import export_events, import_events
from tracker.desk.bootstrap import bootstrap
from tracker.desk.settings import Settings

#: name -> (target, "min" or "max"): the bar of issue 5.
TARGETS: dict[str, tuple[float, str]] = {
    "import_ratio": (0.5, "min"),
    "rebuild_ratio": (0.3, "min"),
    "rebuild_s_per_million": (20.0, "max"),
    "command_p95_ms": (10.0, "max"),
    "timeline_p95_ms": (30.0, "max"),
    "stalled_p95_ms": (30.0, "max"),
    "search_p95_ms": (30.0, "max"),
    "stats_p95_ms": (100.0, "max"),
    "import_peak_rss_mb": (250.0, "max"),
    "rebuild_peak_rss_mb": (250.0, "max"),
    "tui_start_s": (0.8, "max"),
}
RATIOS = ("import_ratio", "rebuild_ratio")
SEARCH_WORDS = ("標準化", "AI", "LINE", "窓口", "見積", "セキュリティ", "研修", "デジタル")


@dataclass
class Size:
    name: str
    fraction: float


SIZES = {"national": Size("national", 1.0), "ci": Size("ci", 0.03)}


def _child(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.child", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(statistics.median(ordered) * 1000, 2), round(p95 * 1000, 2)


def _timed(action: Callable[[], object], times: int) -> tuple[float, float]:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


def demo_store(size: Size, cache: Path, today: date) -> Path:
    """The store of this size, generated once with the demo generator and kept in ``cache``."""
    store = cache / f"{size.name}-{today.isoformat()}.sqlite"
    if store.exists():
        return store
    from tracker.demo import generate

    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / "partial.sqlite"
    for leftover in cache.glob("partial.*"):
        leftover.unlink()
    desk = bootstrap(Settings(store=str(partial), user="demo"))
    started = time.perf_counter()
    generate(desk.app, scale="national", seed=1, today=today, fraction=size.fraction)
    print(
        f"generated {desk.app.recorder.max_notification_id()} events in "
        f"{time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    desk.close()
    partial.replace(store)
    return store


def run(size: Size, cache: Path, today: date, key: str | None = None) -> dict[str, Any]:
    """Every figure for a store of ``size``; with ``key``, of the same store encrypted
    (imported from the plain store's export with that key), every step using the key."""
    source = demo_store(size, cache, today)
    figures: dict[str, Any] = {"size": size.name, "encrypted": key is not None}
    with tempfile.TemporaryDirectory(prefix="banso-bench-") as tmp_dir:
        tmp = Path(tmp_dir)
        store = tmp / "store.sqlite"
        if key is None:
            shutil.copy(source, store)
        else:
            _encrypted_copy(source, store, key, tmp)
        keyed = ("--key", key) if key else ()
        desk = bootstrap(_settings(store, key))
        events = desk.app.recorder.max_notification_id() or 0
        figures["events"] = events
        backup = tmp / "backup.jsonl"
        with backup.open("w", encoding="utf-8") as out:
            export_events(desk.app, out)
        desk.close()

        # import vs raw insert of the same rows
        floor_insert = insert_floor(raw_rows(store), tmp / "floor.sqlite")  # rows freed here
        imported = _child("import", str(backup), str(tmp / "imported.sqlite"), *keyed)
        figures |= {
            "import_s": round(imported["seconds"], 3),
            "import_floor_s": round(floor_insert, 3),
            "import_ratio": round(floor_insert / imported["seconds"], 3),
            "import_peak_rss_mb": imported["peak_rss_mb"],
        }

        # rebuild vs raw read of the same rows
        floor_read, _ = read_floor(store)
        rebuilt = _child("rebuild", str(store), *keyed)
        figures |= {
            "rebuild_s": round(rebuilt["seconds"], 3),
            "rebuild_floor_s": round(floor_read, 3),
            "rebuild_ratio": round(floor_read / rebuilt["seconds"], 3),
            # no target: the same rebuild against writing the events once (the import floor)
            "rebuild_vs_insert_floor": round(floor_insert / rebuilt["seconds"], 3),
            "rebuild_s_per_million": round(rebuilt["seconds"] * 1_000_000 / events, 2),
            "rebuild_events_per_s": round(events / rebuilt["seconds"]),
            "rebuild_peak_rss_mb": rebuilt["peak_rss_mb"],
        }

        os.sync()  # the import's and rebuild's writes reach the disk before timing commands
        figures |= _latencies(store, key)
        figures |= _tui_start(store, key)
    return figures


def _settings(store: Path, key: str | None) -> Settings:
    return Settings(store=str(store), user="bench", cipher_key_text=key)


def _encrypted_copy(source: Path, store: Path, key: str, tmp: Path) -> None:
    """``source`` as an encrypted store: its export imported with ``key``."""
    plain = bootstrap(Settings(store=str(source), user="bench"))
    backup = tmp / "plain.jsonl"
    with backup.open("w", encoding="utf-8") as out:
        export_events(plain.app, out)
    plain.close()
    encrypted = bootstrap(_settings(store, key))
    import_events(encrypted.app, backup)
    encrypted.close()
    backup.unlink()


def _latencies(store: Path, key: str | None) -> dict[str, Any]:
    desk = bootstrap(_settings(store, key))
    desk.refresh()
    conn = desk.views.conn
    rng = random.Random(7)
    open_cases = [r[0] for r in conn.execute("SELECT number FROM cases WHERE status = 'open'")]
    munis = [
        r[0]
        for r in conn.execute(
            "SELECT code FROM municipalities WHERE last_engagement_on IS NOT NULL"
        )
    ]

    def command() -> None:
        desk.app.add_note(rng.choice(open_cases), "ベンチマークのメモ")
        desk.refresh()

    figures: dict[str, Any] = {}
    for name, action, times in (
        ("command", command, 200),
        ("timeline", lambda: timeline(conn, rng.choice(munis)), 100),
        ("stalled", lambda: stalled(conn), 30),
        ("search", lambda: search(conn, rng.choice(SEARCH_WORDS)), 100),
        ("stats", lambda: stats(conn), 30),
    ):
        p50, p95 = _timed(action, times)
        figures[f"{name}_p50_ms"], figures[f"{name}_p95_ms"] = p50, p95
    desk.close()
    return figures


#: banso's packages, compiled before the TUI's start is timed (``_compiled``).
PACKAGES = ("events", "tracker", "projections", "tui")


def _compiled() -> None:
    """banso's modules compiled to bytecode where they are, as installing banso compiles
    them (pip does for a wheel; an editable install leaves it to the first run, which
    PYTHONDONTWRITEBYTECODE forbids): the start timed is an installed banso's, not one
    compiling its hundred modules from source every time (about 0.1 s of CPU)."""
    for package in PACKAGES:
        compileall.compile_dir(Path(import_module(package).__path__[0]), quiet=1)


#: Starts of the TUI timed: one start varies by a third from one to the next on this
#: machine (0.54-0.85 s on one day), so the figure is their median, beside the slowest.
TUI_STARTS = 5


def _tui_start(store: Path, key: str | None) -> dict[str, Any]:
    """Seconds from starting ``banso tui`` to a painted dashboard (the TUI reports it):
    the median of ``TUI_STARTS`` starts, and the slowest of them."""
    _compiled()
    env = os.environ | {"BANSO_TUI_EXIT_AFTER_PAINT": "1", "TERM": "xterm-256color"}
    if key:
        env["BANSO_CIPHER_KEY"] = key
    starts = []
    for _ in range(TUI_STARTS):
        started = time.perf_counter()
        try:
            done = subprocess.run(
                [str(Path(sys.executable).parent / "banso"), "--store", str(store), "tui"],
                capture_output=True,
                text=True,
                env=env,
                timeout=60,
            )
        except subprocess.TimeoutExpired:
            return {"tui_start_s": None}
        if done.returncode != 0:
            return {"tui_start_s": None}
        starts.append(time.perf_counter() - started)
    return {
        "tui_start_s": round(statistics.median(starts), 3),
        "tui_start_slowest_s": round(max(starts), 3),
    }


BASELINE = Path(__file__).with_name("baseline.json")


def load_baseline(size: str) -> dict[str, float]:
    """Ratios recorded for ``size`` on this kind of machine where the target is out of
    reach (benchmarks/baseline.json): the guard holds those to half the record instead."""
    if not BASELINE.exists():
        return {}
    return dict(json.loads(BASELINE.read_text(encoding="utf-8")).get(size, {}))


def check(
    figures: dict[str, Any], baseline: dict[str, float], ratio_floor: float = 0.5
) -> list[str]:
    """Ratios that fell below half their bar: the target, or the recorded baseline where
    the target is out of reach (see README: a rebuild writes every event again)."""
    failures = []
    for name in RATIOS:
        bar = min(TARGETS[name][0], baseline.get(name, TARGETS[name][0]))
        if figures.get(name) is not None and figures[name] < bar * ratio_floor:
            failures.append(f"{name} = {figures[name]} < {ratio_floor} × {bar}")
    return failures


def verdict(name: str, value: Any) -> str:
    if name not in TARGETS or value is None:
        return ""
    target, kind = TARGETS[name]
    ok = value >= target if kind == "min" else value <= target
    return f"{'met' if ok else 'MISSED'} ({'≥' if kind == 'min' else '≤'} {target})"


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
    }
