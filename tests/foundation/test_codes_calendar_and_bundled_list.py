"""Unit: municipality codes and their check digit, the fiscal year and case numbers, the
bundled list of municipalities, and what people type (dates, text)."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tracker.domain.bundled import bundled, of_prefecture
from tracker.domain.case import case_number
from tracker.domain.codes import check_digit, validate_code
from tracker.domain.errors import InvalidInputError, InvalidMunicipalityCodeError
from tracker.domain.fiscal import fiscal_year, fiscal_year_bounds
from tracker.domain.inputs import clean_text, optional_text

SHARED_LIST = Path("/work/shared/data/japan_municipalities.csv")
D = date.fromisoformat

# ---- the check digit ------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["111007", "112038", "114651"])
def test_the_documented_examples_have_valid_check_digits(code: str) -> None:
    assert validate_code(code) == code


def test_a_sum_divisible_by_eleven_gives_check_digit_one() -> None:
    # 松伏町: 6*1 + 5*1 + 4*4 + 3*6 + 2*5 = 55 = 5 * 11
    assert check_digit("11465") == 1


def test_every_bundled_code_has_a_valid_check_digit() -> None:
    assert [m.code for m in bundled() if check_digit(m.code[:5]) != int(m.code[5])] == []


def test_changing_the_check_digit_of_any_bundled_code_makes_it_invalid() -> None:
    accepted = []
    for m in bundled():
        for digit in "0123456789":
            if digit != m.code[5]:
                try:
                    validate_code(m.code[:5] + digit)
                    accepted.append(m.code[:5] + digit)
                except InvalidMunicipalityCodeError as e:
                    assert e.params["reason"] == "check_digit"
    assert accepted == []


@pytest.mark.parametrize("code", ["112039", "112138", "121038", "111008"])
def test_a_mistyped_digit_is_caught(code: str) -> None:
    with pytest.raises(InvalidMunicipalityCodeError) as refused:
        validate_code(code)
    assert refused.value.params == {"code": code, "reason": "check_digit"}


@pytest.mark.parametrize("code", ["11203", "1120380", "", "11203a", "１１２０３８", " 112038"])
def test_a_code_that_is_not_six_ascii_digits_is_refused_as_such(code: str) -> None:
    with pytest.raises(InvalidMunicipalityCodeError) as refused:
        validate_code(code)
    assert refused.value.params["reason"] == "format"


# ---- the fiscal year and case numbers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "year"),
    [
        ("2025-04-01", 2025),
        ("2025-12-31", 2025),
        ("2026-01-01", 2025),
        ("2026-03-31", 2025),
        ("2026-04-01", 2026),
        ("2024-02-29", 2023),
    ],
)
def test_the_fiscal_year_runs_from_april_to_march(day: str, year: int) -> None:
    assert fiscal_year(D(day)) == year


def test_a_fiscal_year_is_bounded_by_april_first_and_march_thirty_first() -> None:
    assert fiscal_year_bounds(2025) == (D("2025-04-01"), D("2026-03-31"))


def test_case_numbers_carry_the_fiscal_year_of_the_opening_day() -> None:
    assert case_number(D("2026-03-31"), 57) == "2025-057"
    assert case_number(D("2026-04-01"), 1) == "2026-001"
    assert case_number(D("2025-04-01"), 1234) == "2025-1234"


# ---- the bundled list ----------------------------------------------------------------------


def test_the_bundled_list_has_every_municipality_of_japan_once() -> None:
    rows = bundled()
    assert len(rows) == 1741
    assert len({m.code for m in rows}) == 1741
    assert Counter(m.kind for m in rows) == {"市": 792, "町": 743, "村": 183, "区": 23}
    assert len({m.prefecture for m in rows}) == 47


def test_the_bundled_list_is_the_shared_data_file() -> None:
    if not SHARED_LIST.exists():
        pytest.skip("the shared data folder is not here")
    with SHARED_LIST.open(encoding="utf-8") as f:
        shared = [(r["code"], r["name"], int(r["population"])) for r in csv.DictReader(f)]
    assert [(m.code, m.name, m.population) for m in bundled()] == shared


@pytest.mark.parametrize("name", ["11", "埼玉県", "埼玉", " 埼玉県 "])
def test_saitama_has_63_municipalities_by_any_of_its_names(name: str) -> None:
    rows = of_prefecture(name)
    assert len(rows) == 63
    assert {m.prefecture for m in rows} == {"埼玉県"}
    assert Counter(m.kind for m in rows) == {"市": 40, "町": 22, "村": 1}
    assert sum(m.population for m in rows) == 7_385_848


def test_every_prefecture_found_by_code_adds_up_to_the_whole_list() -> None:
    assert sum(len(of_prefecture(str(n))) for n in range(1, 48)) == 1741
    assert len(of_prefecture("1")) == len(of_prefecture("北海道")) == 179
    assert {m.prefecture for m in of_prefecture("京都")} == {"京都府"}


@pytest.mark.parametrize("name", ["アトランティス", "48", "", "埼"])
def test_an_unknown_prefecture_is_refused(name: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        of_prefecture(name)
    assert refused.value.params["reason"] == "unknown"


# ---- what people type --------------------------------------------------------------------------


def test_text_is_stripped_and_keeps_newlines_and_tabs() -> None:
    assert clean_text("  一行目\n\t二行目 \u3000", "note") == "一行目\n\t二行目"
    assert optional_text("   ", "note") is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        (" \u3000\n", "empty"),
        ("あ" * 20_001, "too_long"),
        ("ベル\x07", "control"),
        ("\x1b[2J", "control"),
        ("NUL\x00", "control"),
        ("削除\x7f", "control"),
        ("\udcff", "control"),
        ("私用\ue000", "control"),
    ],
)
def test_text_that_cannot_be_recorded_is_refused_with_its_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        clean_text(text, "summary")
    assert refused.value.params["reason"] == reason


def test_text_at_the_limit_is_accepted() -> None:
    assert len(clean_text("あ" * 20_000, "summary")) == 20_000
