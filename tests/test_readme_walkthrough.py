"""The README's walk-through runs as written, on any day of any fiscal year: each ``banso``
line of its first example, in order, against a new store; its dates are explicit and past,
so its case numbers are those of their fiscal year and the follow-up is due after it is
planned."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tracker.domain.case import case_number
from tracker.domain.dates import parse_date

ROOT = Path(__file__).resolve().parent.parent
BANSO = str(Path(sys.executable).with_name("banso"))
CASE = re.compile(r"\b\d{4}-\d{3}\b")


def walkthrough() -> list[list[str]]:
    """The ``banso`` lines of the README's example under "Using it", split as sh would
    (comments dropped); the bare ``banso`` that opens the TUI is left out."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    using = text[text.index("## Using it") :]
    block = using[using.index("```sh\n") + 6 : using.index("```", using.index("```sh\n") + 6)]
    lines = [shlex.split(line, comments=True) for line in block.splitlines()]
    return [words for words in lines if words and words[0] == "banso" and len(words) > 1]


def option(words: list[str], name: str) -> str | None:
    return words[words.index(name) + 1] if name in words else None


def test_the_walkthrough_names_its_dates_and_they_agree_with_its_case_numbers() -> None:
    lines = walkthrough()
    assert len(lines) >= 10
    opened = next(w for w in lines if w[1:3] == ["case", "open"])
    on = parse_date(option(opened, "--on") or "")
    assert on < date.today(), "a past date: the walk-through works on any later day"
    number = case_number(on, 1)
    used = {n for words in lines for word in words for n in CASE.findall(word)}
    assert used == {number}, "every case the walk-through names is the one it opened"
    for words in lines:
        if words[1:3] == ["case", "follow-up"]:
            assert parse_date(option(words, "--due") or "") >= parse_date(
                option(words, "--on") or ""
            )
        if words[1] == "case" and words[2] != "open":
            assert parse_date(option(words, "--on") or "") >= on, words


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BANSO_")}
    return env | {
        "BANSO_STORE": str(tmp_path / "store" / "banso.sqlite"),
        "BANSO_CONFIG": str(tmp_path / "config" / "config.toml"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }


def test_every_line_of_the_walkthrough_runs_as_written(
    tmp_path: Path, home: dict[str, str]
) -> None:
    said = {}
    for words in walkthrough():
        done = subprocess.run(
            [BANSO, *words[1:]], capture_output=True, text=True, env=home, cwd=tmp_path, timeout=120
        )
        assert done.returncode == 0, f"{shlex.join(words)}\n{done.stdout}\n{done.stderr}"
        said[" ".join(words[1:3])] = done.stdout
    assert "2025-001" in said["case open"]
    assert "E001" in said["expert add"]
    assert "2025年度（令和7年度）" in said["stats --fiscal-year"]
    assert "移行計画を確認" in said["search 移行計画"]
    assert (tmp_path / "引継ぎ.html").read_text(encoding="utf-8").count("2025-001") >= 1
    recorded_by = subprocess.run(
        [BANSO, "--json", "timeline", "川口市"],
        capture_output=True,
        text=True,
        env=home,
        check=True,
    ).stdout
    assert '"recorded_by": "佐藤"' in recorded_by, "the name the walk-through set records"
