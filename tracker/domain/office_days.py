"""開庁日: office days, the days a municipal office and the secretariat's desk work.

A weekday that is neither a national holiday of Japan nor in the New Year closure
(12/29 to 1/3). The holidays come from the ``holidays`` library (vacanza/holidays: kept up
to date every month, with Japan's substitute holidays, 国民の休日 and one-off moves such as
the Olympic years'), never from a list typed here.

Stall clocks ask "how many office days after the application" for every open case, so each
year's office days are counted once into a prefix table (``Year.before``): counting between
two dates is then two lookups and a sum of whole years, not a walk over the days. The
library is imported, and a year counted, only when a question first needs it; the desk
keeps the library's answers in a file (``tracker.desk.holiday_file``), since importing it
is a quarter of a second of every cold start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

ONE_DAY = timedelta(days=1)


def is_new_year_closure(day: date) -> bool:
    """12/29 to 1/3: offices are closed by law (地方自治法 and the offices' own rules)."""
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def library_holidays(year: int) -> frozenset[date]:
    """Japan's national holidays of ``year`` (祝日, 振替休日, 国民の休日), from the library."""
    import holidays  # about 0.25 s to import every country and count: only when asked

    return frozenset(holidays.country_holidays("JP", years=year))


#: Where ``national_holidays`` gets a year's holidays: the library itself, or a keeper of
#: its answers that the composition root installs (``tracker.desk.holiday_file``).
_source: Callable[[int], frozenset[date]] = library_holidays


def take_holidays_from(source: Callable[[int], frozenset[date]]) -> None:
    """Ask ``source`` for each year's national holidays from now on (what it answers must
    be the library's answer: a keeper of it, not another list)."""
    global _source
    if source is not _source:
        _source = source
        national_holidays.cache_clear()
        office_year.cache_clear()


@cache
def national_holidays(year: int) -> frozenset[date]:
    """Japan's national holidays of ``year`` (祝日, 振替休日, 国民の休日)."""
    return _source(year)


@dataclass(frozen=True)
class Year:
    """One year's office days: ``before[i]`` counts those among its first ``i`` days."""

    first: date
    before: tuple[int, ...]

    @property
    def total(self) -> int:
        return self.before[-1]

    def up_to(self, day: date) -> int:
        """Office days of this year up to and including ``day``."""
        return self.before[(day - self.first).days + 1]


@cache
def office_year(year: int) -> Year:
    """The prefix table of ``year``."""
    first = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - first).days
    closed = national_holidays(year)
    before = [0]
    for i in range(days):
        day = first + timedelta(days=i)
        before.append(before[-1] + is_office_day(day, closed))
    return Year(first, tuple(before))


def is_office_day(day: date, holidays: frozenset[date] | None = None) -> bool:
    """A weekday, not a national holiday, not 12/29-1/3."""
    if day.weekday() >= 5 or is_new_year_closure(day):
        return False
    return day not in (national_holidays(day.year) if holidays is None else holidays)


def office_days_between(since: date, until: date) -> int:
    """Office days after ``since`` up to and including ``until`` (0 if ``until`` is not
    later): the clock of a rule that counts office days."""
    if until <= since:
        return 0
    if since.year == until.year:
        year = office_year(since.year)
        return year.up_to(until) - year.up_to(since)
    first = office_year(since.year)
    count = first.total - first.up_to(since)
    for y in range(since.year + 1, until.year):
        count += office_year(y).total
    return count + office_year(until.year).up_to(until)


def add_office_days(day: date, n: int) -> date:
    """The ``n``-th office day after ``day`` (``day`` itself for 0)."""
    while n > 0:
        day += ONE_DAY
        n -= is_office_day(day)
    return day


def latest_start(until: date, n: int) -> date:
    """The latest day from which ``until`` is at least ``n`` office days later: a clock
    started on it or before counts ``n`` or more on ``until``."""
    day, counted = until, 0
    while counted < n:
        counted += is_office_day(day)
        day -= ONE_DAY
    return day
