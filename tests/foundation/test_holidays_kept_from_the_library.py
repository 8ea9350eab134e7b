"""Office days: the holidays library's answers kept in a file (``tracker.desk.holiday_file``),
so that a start need not import the library, and never anything but the library's answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from importlib import metadata
from pathlib import Path

import pytest

from tracker.desk.holiday_file import HolidayFile
from tracker.domain import office_days
from tracker.domain.office_days import library_holidays, take_holidays_from

LIBRARY = f"holidays {metadata.version('holidays')}"


@pytest.fixture(autouse=True)
def _source_restored() -> Iterator[None]:
    """Each test's keeper is installed for that test only."""
    before = office_days._source
    yield
    take_holidays_from(before)


def test_a_year_not_kept_is_the_librarys_answer_and_is_kept_with_the_librarys_version(
    tmp_path: Path,
) -> None:
    path = tmp_path / "holidays.json"
    assert HolidayFile(path)(2025) == library_holidays(2025)
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert kept["library"] == LIBRARY
    assert [date.fromisoformat(d) for d in kept["years"]["2025"]] == sorted(library_holidays(2025))


def test_a_kept_year_is_read_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "holidays.json"
    HolidayFile(path)(2025)
    kept = json.loads(path.read_text(encoding="utf-8"))
    kept["years"]["2025"].append("2025-06-02")  # what only the file says: it is read
    path.write_text(json.dumps(kept), encoding="utf-8")
    assert date(2025, 6, 2) in HolidayFile(path)(2025)


def test_a_file_of_another_library_version_is_not_believed(tmp_path: Path) -> None:
    path = tmp_path / "holidays.json"
    other = {"library": "holidays 0.1", "years": {"2025": ["2025-06-02"]}}
    path.write_text(json.dumps(other), encoding="utf-8")
    assert HolidayFile(path)(2025) == library_holidays(2025)
    assert json.loads(path.read_text(encoding="utf-8"))["library"] == LIBRARY


BAD_DAY = json.dumps({"library": LIBRARY, "years": {"2025": ["May 5"]}})


@pytest.mark.parametrize("text", ["", "{", "[]", BAD_DAY])
def test_a_damaged_file_is_asked_of_the_library_again_and_written_whole(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "holidays.json"
    path.write_text(text, encoding="utf-8")
    assert HolidayFile(path)(2025) == library_holidays(2025)
    assert json.loads(path.read_text(encoding="utf-8"))["library"] == LIBRARY


def test_a_file_under_a_file_leaves_the_librarys_answer(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    assert HolidayFile(blocker / "holidays.json")(2025) == library_holidays(2025)


def test_office_days_count_the_same_from_the_kept_file(tmp_path: Path) -> None:
    since, until = date(2025, 4, 25), date(2026, 1, 13)
    from_library = office_days.office_days_between(since, until)
    take_holidays_from(HolidayFile(tmp_path / "holidays.json"))
    assert office_days.office_days_between(since, until) == from_library  # asked, then kept
    take_holidays_from(HolidayFile(tmp_path / "holidays.json"))
    assert office_days.office_days_between(since, until) == from_library  # from the file


ASK = """
import sys
from datetime import date
from tracker.desk.bootstrap import bootstrap
from tracker.desk.settings import Settings
from tracker.domain.office_days import office_days_between

desk = bootstrap(Settings(store="memory:", user="t"))
print(office_days_between(date(2025, 4, 25), date(2026, 1, 13)), "holidays" in sys.modules)
"""


def test_a_desk_counts_office_days_without_importing_the_library_once_they_are_kept(
    tmp_path: Path,
) -> None:
    env = os.environ | {"XDG_CACHE_HOME": str(tmp_path / "cache")}

    def ask() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", ASK], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.split()

    first, second = ask(), ask()
    assert first[1] == "True" and second[1] == "False"
    assert (
        first[0]
        == second[0]
        == str(office_days.office_days_between(date(2025, 4, 25), date(2026, 1, 13)))
    )
