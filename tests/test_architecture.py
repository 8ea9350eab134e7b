"""The layers named by the folders hold (import-linter's contracts in pyproject.toml), and
the contracts would catch an import that points the wrong way."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("events", "tracker", "projections", "tui")
LINT = str(Path(sys.executable).with_name("lint-imports"))


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LINT, str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )


def copy_of_the_tree(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_every_layer_contract_is_kept() -> None:
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and " 0 broken" in result.stdout


def test_an_upward_import_from_the_domain_breaks_the_layers(tmp_path: Path) -> None:
    tree = copy_of_the_tree(tmp_path)
    case = tree / "tracker/domain/case.py"
    case.write_text(case.read_text(encoding="utf-8") + "\nimport projections.readmodels\n")
    result = lint(tree)
    assert result.returncode == 1
    assert "tracker.domain.case -> projections.readmodels" in result.stdout


def test_textual_outside_the_tui_and_a_module_outside_any_layer_are_caught(
    tmp_path: Path,
) -> None:
    tree = copy_of_the_tree(tmp_path)
    (tree / "projections/widget.py").write_text("import textual.app\n")
    (tree / "tracker/loose.py").write_text('"""A module in no layer."""\n')
    result = lint(tree)
    assert result.returncode == 1
    assert "projections.widget -> textual (l.1)" in result.stdout
    assert "tracker.loose" in result.stdout
