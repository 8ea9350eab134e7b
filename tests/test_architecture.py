"""Dependencies point one way: events <- tracker (domain, application) <- projections <- the
command line, the composition root and the TUI; only tui/ imports Textual."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = [
    "tracker/domain",
    "tracker/application.py",
    "tracker/store.py",
    "tracker/settings.py",
    "tracker/topics.py",
    "tracker/i18n.py",
    "tracker/municipalities.py",
]


def imports(path: Path) -> set[str]:
    """Every module a file imports (absolute names, first-level and dotted)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def files(*places: str) -> list[Path]:
    result: list[Path] = []
    for place in places:
        path = ROOT / place
        result += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return result


def offending(paths: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{p.relative_to(ROOT)} imports {name}"
        for p in paths
        for name in sorted(imports(p))
        if name.split(".")[0] in forbidden or name.startswith(forbidden)
    ]


def test_the_scanner_sees_imports_that_exist() -> None:
    assert "projections.readmodels" in imports(ROOT / "tracker/bootstrap.py")
    assert offending(files("projections"), ("tracker",)) != []


def test_events_depend_on_nothing_of_banso() -> None:
    assert offending(files("events"), ("tracker", "projections", "tui", "eventsourcing")) == []


def test_the_domain_and_application_know_nothing_of_read_models_or_interfaces() -> None:
    forbidden = ("projections", "tui", "tracker.cli", "tracker.bootstrap", "click", "rich")
    assert offending(files(*CORE), forbidden) == []


def test_read_models_know_nothing_of_the_interfaces() -> None:
    forbidden = ("tui", "tracker.cli", "tracker.bootstrap", "textual", "click")
    assert offending(files("projections"), forbidden) == []


def test_nothing_outside_tui_imports_textual() -> None:
    outside = [
        p
        for p in ROOT.rglob("*.py")
        if p.relative_to(ROOT).parts[0] not in ("tui", ".venv", "build")
        and "tests/tui" not in p.as_posix()
    ]
    assert outside, "no files scanned"
    assert offending(outside, ("textual",)) == []


@pytest.mark.parametrize("store_part", ["eventsourcing", "sqlite3", "tracker.store"])
def test_the_tui_never_touches_the_event_store(store_part: str) -> None:
    assert offending(files("tui"), (store_part,)) == []
