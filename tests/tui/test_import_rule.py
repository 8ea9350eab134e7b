"""Dependencies point one way: nothing outside tui/ imports Textual (STYLE.md, rule 1)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = ("events", "tracker", "projections", "tests")


def _textual_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        found += [f"{path}:{node.lineno} {n}" for n in names if n.split(".")[0] == "textual"]
    return found


def test_nothing_outside_tui_imports_textual() -> None:
    files = [
        path
        for folder in OUTSIDE
        for path in (ROOT / folder).rglob("*.py")
        if (ROOT / "tests" / "tui") not in path.parents
    ]
    assert len(files) > 20, "the scan found too few files to mean anything"
    offenders = [hit for path in files for hit in _textual_imports(path)]
    assert offenders == []


def test_the_rule_catches_an_import_of_textual(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom textual.app import App\nimport textual\n")
    assert len(_textual_imports(sample)) == 2


def test_the_tui_core_loads_without_textual() -> None:
    code = (
        "import sys, tui.reader, tui.strings, tui.text; "
        "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if 'textual' in m)"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
