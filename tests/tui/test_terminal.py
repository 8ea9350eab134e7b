"""The real ``banso tui`` in a real terminal: Japanese is drawn aligned and a key path works."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.tui.terminal import BANSO, TMUX, Terminal, border_columns, showing

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(TMUX is None, reason="needs tmux"),
]


def test_banso_tui_draws_japanese_aligned_and_finds_a_municipality_by_kana(store: Path) -> None:
    term = Terminal([BANSO, "--store", str(store), "--user", "t", "tui"], width=120, height=36)
    try:
        term.wait_for(showing("単発支援のまま"))
        term.wait_for(showing("年度の実績"))
        lines = term.screen()
        assert all(cell_len(line) <= 120 for line in lines)

        top = next(i for i, line in enumerate(lines) if "停滞案件" in line and "╭" in line)
        corners = border_columns(lines[top])
        assert len(corners) == 4, lines[top]
        body = []
        for line in lines[top + 1 :]:
            if "╰" in line or "╭" in line:
                break
            body.append(line)
        assert any(any(ord(ch) > 0x3000 for ch in line) for line in body), "Japanese inside"
        for line in body:
            assert border_columns(line) == corners, f"misaligned: {line!r}"

        term.keys("2")
        term.wait_for(showing("現在の担当者"))
        term.type("かわぐち")
        term.wait_for(showing("1 / 63"))
        term.keys("Enter")
        term.wait_for(showing("埼玉県川口市（かわぐちし）"))
        term.wait_for(showing("担当者着任"))
        term.keys("F1")
        term.wait_for(showing("この画面のキー"))
        term.keys("Escape", "C-q")
        term.wait_for(lambda lines: not any("伴走" in line for line in lines), timeout=10)
    finally:
        term.close()
