"""Dates as a Japanese desk writes them, and as banso writes them back: the one era module.

Read: ``2026-10-01``, ``2026/10/01``, ``2026/10/1``, ``2026年10月1日``, ``R8.10.1``,
``令和8年10月1日``, ``令和元年5月1日``, ``H31.4.30``, in full-width digits too (NFKC first),
and fiscal years (年度) as ``2026``, ``2026年度``, ``令和8``, ``令和8年度``, ``R8``. Written: the
era date of a day (令和7年4月1日, 平成 before 2019-05-01) and the era name of a fiscal year
(令和元年度 for 2019, 平成30年度 for 2018). The CLI, the TUI's date fields, the briefing and
the import of spreadsheets all read and write dates here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.domain.errors import InvalidInputError


@dataclass(frozen=True)
class Era:
    """A Japanese era (元号): its name, its letter (R, H, S) and its first day."""

    name: str
    letter: str
    first: date


#: The eras a business date or a fiscal year can fall in, newest first.
ERAS: tuple[Era, ...] = (
    Era("令和", "R", date(2019, 5, 1)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("昭和", "S", date(1926, 12, 25)),
)
#: The days a date typed may name: from 1900 (before any record the desk keeps) to the end
#: of 9998, so that a year or a fiscal year after it still exists for date arithmetic.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)
_ERA_BY_MARK = {mark: era for era in ERAS for mark in (era.name, era.letter)}
_ERA = "|".join([*(e.name for e in ERAS), *(e.letter for e in ERAS)])
_WESTERN = re.compile(
    r"(?P<y>\d{4})(?:(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"|年(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日?)"
)
_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")
_ERA_DATE = re.compile(
    rf"(?P<era>{_ERA})(?P<n>元|\d{{1,2}})(?:(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})"
    r"|年(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日?)"
)
_FISCAL_WESTERN = re.compile(r"(?P<y>\d{4})(?:年度?)?")
_FISCAL_ERA = re.compile(rf"(?P<era>{_ERA})(?P<n>元|\d{{1,2}})(?:年度?)?")

#: How a date and a fiscal year may be written (the CLI's --help; the refusals say the same).
DATE_FORMS = "2026-10-01|2026/10/01|R8.10.1|令和8年10月1日"
FISCAL_YEAR_FORMS = "2026|令和8|令和8年度|R8"


def _typed(value: str) -> str:
    """What was typed, as the patterns read it: NFKC (full-width digits, ㋿), no blanks,
    era letters in capitals."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def parse_date(value: str, field: str = "date") -> date:
    """A date written in any of the ways this module reads, or a named error."""
    text = _typed(value)
    try:
        if found := _WESTERN.fullmatch(text) or _COMPACT.fullmatch(text):
            parts = found.groupdict()
            day = date(
                int(parts["y"]), int(parts["m"] or parts["m2"]), int(parts["d"] or parts["d2"])
            )
            if not FIRST_DAY <= day <= LAST_DAY:
                raise InvalidInputError(field=field, reason="range", value=value)
            return day
        if found := _ERA_DATE.fullmatch(text):
            era, year = _era_year(found["era"], found["n"])
            day = date(year, int(found["m"] or found["m2"]), int(found["d"] or found["d2"]))
            _require_in_era(era, day, value, field)
            return day
    except ValueError:  # a month or day that does not exist
        pass
    raise InvalidInputError(field=field, reason="date", value=value)


def parse_fiscal_year(value: str, field: str = "fiscal_year") -> int:
    """A fiscal year (named by the year it starts in) written as 2026, 令和8年度 or R8."""
    text = _typed(value)
    if found := _FISCAL_WESTERN.fullmatch(text):
        year = int(found["y"])
        if not FIRST_DAY.year <= year <= LAST_DAY.year:
            raise InvalidInputError(field=field, reason="range", value=value)
        return year
    if found := _FISCAL_ERA.fullmatch(text):
        era, year = _era_year(found["era"], found["n"])
        if year >= era.first.year and (era is ERAS[0] or year <= _last_day(era).year):
            return year
    raise InvalidInputError(field=field, reason="fiscal_year", value=value)


def _era_year(mark: str, number: str) -> tuple[Era, int]:
    """The era a mark names and the western year of its ``number``-th year (元 is the first)."""
    era = _ERA_BY_MARK[mark]
    return era, era.first.year + (1 if number == "元" else int(number)) - 1


def _last_day(era: Era) -> date:
    later = ERAS.index(era) - 1
    return ERAS[later].first - timedelta(days=1) if later >= 0 else date.max


def _require_in_era(era: Era, day: date, value: str, field: str) -> None:
    """Refuse an era date the era never had (平成31年5月1日 is 令和元年5月1日)."""
    if not era.first <= day <= _last_day(era):
        last = "" if era is ERAS[0] else _last_day(era).isoformat()
        raise InvalidInputError(
            field=field,
            reason="era",
            value=value,
            era=era.name,
            first=era.first.isoformat(),
            last=last,
        )


def era_of(day: date) -> Era | None:
    """The era ``day`` falls in (None before 昭和)."""
    return next((era for era in ERAS if day >= era.first), None)


def _numbered(era: Era, year: int) -> str:
    n = year - era.first.year + 1
    return f"{era.name}{'元' if n == 1 else n}"


def era_date(day: date) -> str:
    """``day`` written in its era: 令和7年4月1日, 令和元年5月1日, 平成31年4月30日."""
    era = era_of(day)
    year = _numbered(era, day.year) if era else str(day.year)
    return f"{year}年{day.month}月{day.day}日"


def era_fiscal_year(year: int) -> str:
    """The era name of fiscal year ``year``: 令和元年度 (2019), 平成30年度 (2018).

    A fiscal year takes the era of the calendar year it starts in, as the government names
    it: 2019-04-01 was still 平成, but the year is 令和元年度."""
    era = next((e for e in ERAS if year >= e.first.year), None)
    return f"{_numbered(era, year) if era else year}年度"
