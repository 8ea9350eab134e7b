"""Unit: what a Japanese desk types is understood: dates in the Western and the era
calendar (one module reads and writes them), fiscal years, and choices by code or name."""

from __future__ import annotations

from datetime import date

import pytest

from events.case import CHANNELS, RESOLUTIONS
from events.municipality import OUTREACH_KINDS
from tracker.domain.choices import choose_from
from tracker.domain.dates import era_date, era_fiscal_year, parse_date, parse_fiscal_year
from tracker.domain.errors import InvalidInputError
from tracker.language import error_message

D = date.fromisoformat

# ---- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-10-01", "2026-10-01"),
        ("2026/10/01", "2026-10-01"),
        ("2026/10/1", "2026-10-01"),
        ("2026-6-9", "2026-06-09"),
        ("2026.10.1", "2026-10-01"),
        ("2026年10月1日", "2026-10-01"),
        ("20261001", "2026-10-01"),
        ("R8.10.1", "2026-10-01"),
        ("r8/10/1", "2026-10-01"),
        ("令和8年10月1日", "2026-10-01"),
        ("令和元年5月1日", "2019-05-01"),
        ("R1.5.1", "2019-05-01"),
        ("H31.4.30", "2019-04-30"),
        ("平成31年4月30日", "2019-04-30"),
        ("平成元年1月8日", "1989-01-08"),
        ("２０２６／１０／０１", "2026-10-01"),  # full-width digits and slashes
        ("令和８年１０月１日", "2026-10-01"),
        ("Ｒ８．１０．１", "2026-10-01"),
        ("㋿8年10月1日", "2026-10-01"),  # the one-character era sign
        (" 2026-10-01 ", "2026-10-01"),
    ],
)
def test_a_date_is_read_as_the_desk_writes_it(typed: str, day: str) -> None:
    assert parse_date(typed) == D(day)


@pytest.mark.parametrize(
    "typed", ["2026-13-01", "2026-02-30", "2026/10-01", "26/10/01", "来週", "", "R8", "令和8年10月"]
)
def test_what_is_no_date_is_refused_saying_how_to_write_one(typed: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        parse_date(typed, "on")
    assert refused.value.params == {"field": "on", "reason": "date", "value": typed}
    message = error_message(refused.value, "ja")
    assert "2026/10/01" in message and "令和8年10月1日" in message and "R8.10.1" in message


@pytest.mark.parametrize(
    ("typed", "era", "first", "last"),
    [
        ("H31.5.1", "平成", "1989-01-08", "2019-04-30"),  # that day was 令和元年5月1日
        ("令和元年4月30日", "令和", "2019-05-01", ""),
        ("S64.1.8", "昭和", "1926-12-25", "1989-01-07"),
    ],
)
def test_an_era_date_the_era_never_had_is_refused_naming_the_era(typed, era, first, last) -> None:
    with pytest.raises(InvalidInputError) as refused:
        parse_date(typed, "on")
    assert refused.value.params["reason"] == "era"
    assert (refused.value.params["era"], refused.value.params["first"]) == (era, first)
    assert refused.value.params["last"] == last
    assert era in error_message(refused.value, "ja")


@pytest.mark.parametrize(
    ("day", "written"),
    [
        ("2025-04-01", "令和7年4月1日"),
        ("2019-05-01", "令和元年5月1日"),
        ("2019-04-30", "平成31年4月30日"),
        ("1989-01-08", "平成元年1月8日"),
        ("1989-01-07", "昭和64年1月7日"),
    ],
)
def test_a_date_is_written_in_its_era_from_gannen(day: str, written: str) -> None:
    assert era_date(D(day)) == written


def test_what_the_module_writes_it_reads_back() -> None:
    day = D("2019-04-25")
    while day < D("2019-05-06"):
        assert parse_date(era_date(day)) == day
        day = date.fromordinal(day.toordinal() + 1)


# ---- fiscal years -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "label"),
    [
        (2017, "平成29年度"),
        (2018, "平成30年度"),
        (2019, "令和元年度"),
        (2020, "令和2年度"),
        (2026, "令和8年度"),
    ],
)
def test_a_fiscal_year_is_named_in_the_era_of_the_year_it_starts(year: int, label: str) -> None:
    assert era_fiscal_year(year) == label
    assert parse_fiscal_year(label) == year


@pytest.mark.parametrize(
    ("typed", "year"),
    [
        ("2026", 2026),
        ("2026年度", 2026),
        ("令和8", 2026),
        ("令和8年度", 2026),
        ("R8", 2026),
        ("r8年度", 2026),
        ("令和元年度", 2019),
        ("H30", 2018),
        ("H31", 2019),  # 平成31年度 is what some still call 令和元年度
        ("２０２６", 2026),
        ("令和８年度", 2026),
    ],
)
def test_a_fiscal_year_is_read_in_either_calendar(typed: str, year: int) -> None:
    assert parse_fiscal_year(typed) == year


@pytest.mark.parametrize("typed", ["R0", "H32", "令和", "26", "次年度", "2026-04"])
def test_what_is_no_fiscal_year_is_refused_saying_how_to_write_one(typed: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        parse_fiscal_year(typed)
    assert refused.value.params["reason"] == "fiscal_year"
    assert "令和8年度" in error_message(refused.value, "ja")


# ---- choices ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "codes", "typed", "code"),
    [
        ("channel", CHANNELS, "電話", "phone"),
        ("channel", CHANNELS, "phone", "phone"),
        ("channel", CHANNELS, "PHONE", "phone"),
        ("channel", CHANNELS, "ﾁｬｯﾄ", "chat"),  # half-width katakana
        ("channel", CHANNELS, "デジタルカフェ", "cafe"),
        ("channel", CHANNELS, "digital café", "cafe"),
        ("resolution", RESOLUTIONS, "解決", "resolved"),
        ("resolution", RESOLUTIONS, "応答なし", "no-response"),
        ("resolution", RESOLUTIONS, "no response", "no-response"),
        ("outreach", OUTREACH_KINDS, "ヒアリング", "hearing"),
        ("outreach", OUTREACH_KINDS, "その他", "other"),
    ],
)
def test_a_choice_is_taken_by_its_code_or_its_name_in_either_language(
    family, codes, typed, code
) -> None:
    assert choose_from(typed, family, codes, "x") == code


def test_a_refused_choice_lists_every_value_with_its_code_and_name() -> None:
    with pytest.raises(InvalidInputError) as refused:
        choose_from("FAX", "channel", CHANNELS, "channel")
    ja = error_message(refused.value, "ja")
    assert "FAX" in ja
    for code, name in [("chat", "チャット"), ("phone", "電話"), ("visit", "訪問")]:
        assert f"{code} {name}" in ja
    en = error_message(refused.value, "en")
    assert "cafe (digital café)" in en and "phone" in en and "電話" not in en


def test_what_a_refusal_shows_of_the_typed_value_has_its_control_characters_escaped() -> None:
    with pytest.raises(InvalidInputError) as refused:
        choose_from("電話\n\x1b[2J", "channel", CHANNELS, "channel")
    message = error_message(refused.value, "ja")
    assert "\n" not in message and "\x1b" not in message
    assert "電話\\n\\x1b[2J" in message
