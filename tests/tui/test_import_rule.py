"""The TUI's core loads without Textual (import-linter checks the imports themselves:
tests/test_architecture.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_tui_core_loads_without_textual() -> None:
    code = (
        "import sys, tui.reader, tui.words, tui.text; "
        "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if 'textual' in m)"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
