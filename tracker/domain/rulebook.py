"""The desk's rule book: each stall clock's threshold and the kind of days it counts.

Why events, not the settings file: a settings file is one person's, on one machine, and
it holds only the latest value. The thresholds decide which cases every desk member sees
as stalling, so they are the desk's, shared through its store (a PostgreSQL desk shares
them at once); and a change is a fact with the day it takes effect, so ``stalled --as-of``
a past day uses the settings in force that day, and the same question always gets the
same answer. ``banso config set rules.decision-overdue.days 10 [--on D]`` records one.

A setting not changed yet has its default (CLI.md's stall rules; decision-overdue counts
office days, 開庁日, since that clock measures the desk's own work).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal, get_args
from uuid import NAMESPACE_URL, UUID, uuid5

from events.rules import RuleSettingChanged
from tracker.domain.base import Aggregate, when
from tracker.domain.choices import Choices, choose_from
from tracker.domain.errors import DateBeforeLastChangeError, InvalidInputError
from tracker.domain.office_days import add_office_days, latest_start, office_days_between

DayKind = Literal["office", "calendar"]
DAY_KINDS: tuple[DayKind, ...] = get_args(DayKind)
#: The desk's one rule book: every setting change is an event of this aggregate.
RULEBOOK_ID: UUID = uuid5(NAMESPACE_URL, "banso:rulebook")
#: Longest threshold: a year of days.
MAX_DAYS = 366

#: Each setting and its default, in the order ``config show`` lists them. A ``.days`` key
#: is a threshold (a case is listed when its clock counts more than that many days); a
#: ``.day_kind`` key says what the clock counts. ``due.within`` is the due-soon window.
DEFAULTS: dict[str, int | str] = {
    "rules.decision-overdue.days": 7,
    "rules.decision-overdue.day_kind": "office",
    "rules.one-off.days": 30,
    "rules.one-off.day_kind": "calendar",
    "rules.follow-up-overdue.days": 0,
    "rules.follow-up-overdue.day_kind": "calendar",
    "rules.commitment-overdue.days": 0,
    "rules.commitment-overdue.day_kind": "calendar",
    "rules.contact-left.day_kind": "calendar",
    "rules.expert-left.day_kind": "calendar",
    "rules.dormant.days": 60,
    "rules.dormant.day_kind": "calendar",
    "due.within": 10,
}


def is_setting(key: str) -> bool:
    """Whether ``key`` is one of the rule book's (the others live in the settings file)."""
    return key in DEFAULTS


def setting_choices() -> Choices:
    """Every key of the rule book, for a refusal."""
    return Choices(tuple((k, {}) for k in DEFAULTS))


def parse_value(key: str, value: str) -> int | str:
    """``value`` as ``key`` takes it: a whole number of days (full-width digits too), or a
    day kind by its code or name (``office``, ``開庁日``)."""
    if not is_setting(key):
        raise InvalidInputError(
            field="config_key", reason="choice", value=key, choices=setting_choices()
        )
    text = unicodedata.normalize("NFKC", value).strip()
    if isinstance(DEFAULTS[key], int):
        if not text.isdigit() or not 0 <= int(text) <= MAX_DAYS:
            raise InvalidInputError(field=key, reason="days", value=value, most=MAX_DAYS)
        return int(text)
    return choose_from(text, "day_kind", DAY_KINDS, key)


@lru_cache(maxsize=256)  # a stall list asks it for every case, of a few rules and one day
def _latest_overdue_start(kind: DayKind, more: int, until: date) -> date:
    """The latest day from which ``until`` is ``more`` days of ``kind`` later."""
    if kind == "office":
        return latest_start(until, more)
    return until - timedelta(days=more)


@dataclass(frozen=True)
class RuleSettings:
    """The settings in force on one day: every key, changed or default."""

    values: Mapping[str, int | str] = field(default_factory=lambda: dict(DEFAULTS))

    def days(self, rule: str) -> int:
        """A rule's threshold (0 for a rule without one: listed from its first day)."""
        return int(self.values.get(f"rules.{rule}.days", 0))

    def day_kind(self, rule: str) -> DayKind:
        return "office" if self.values.get(f"rules.{rule}.day_kind") == "office" else "calendar"

    @property
    def due_within(self) -> int:
        """Office days ahead that the due-soon list looks."""
        return int(self.values["due.within"])

    def changed(self, key: str, value: int | str) -> RuleSettings:
        return RuleSettings({**self.values, key: value})

    # ---- the clocks ----------------------------------------------------------------------

    def count(self, rule: str, since: date, until: date) -> int:
        """Days of the rule's kind after ``since`` up to ``until``: its ``days`` figure."""
        if self.day_kind(rule) == "office":
            return office_days_between(since, until)
        return (until - since).days

    def overdue(self, rule: str, since: date, until: date) -> bool:
        """The rule's clock, started on ``since``, counts more than its threshold on ``until``
        (it started on the latest such start or before: the count falls as the start moves
        later, so this is the same test, without counting for each case)."""
        return since <= self.latest_overdue_start(rule, until)

    def latest_overdue_start(self, rule: str, until: date) -> date:
        """The latest start of a clock that counts more than the threshold on ``until`` (an
        SQL filter keeps the cases started then or before)."""
        return _latest_overdue_start(self.day_kind(rule), self.days(rule) + 1, until)

    def due_on(self, rule: str, since: date) -> date:
        """The last day the rule's clock is within its threshold: the thing is due then."""
        if self.day_kind(rule) == "office":
            return add_office_days(since, self.days(rule))
        return since + timedelta(days=self.days(rule))


DEFAULT_SETTINGS = RuleSettings()


class RuleBook(Aggregate):
    """The desk's settings as changed over time: one aggregate for the whole desk, so two
    people changing a setting at once cannot both win unseen."""

    def __init__(self, id: UUID = RULEBOOK_ID) -> None:
        super().__init__(id)
        self.values: dict[str, int | str] = dict(DEFAULTS)
        self.changed_on: dict[str, date] = {}

    def settings(self) -> RuleSettings:
        """The settings as last changed (the latest in force)."""
        return RuleSettings(dict(self.values))

    def change(self, key: str, value: str, *, on: date, by: str) -> bool:
        """Set ``key`` to ``value`` from ``on``; False (nothing recorded) if it already is.
        A setting's changes keep their days in order, so any past day has one setting."""
        typed = parse_value(key, value)
        last = self.changed_on.get(key)
        if last is not None and on < last:
            raise DateBeforeLastChangeError(subject=key, on=on.isoformat(), last=last.isoformat())
        if self.values[key] == typed:
            return False
        self._trigger(RuleSettingChanged, on=on, by=by, key=key, value=str(typed))
        return True

    @when(RuleSettingChanged)
    def _on_setting_changed(self, event: RuleSettingChanged) -> None:
        typed = stored_value(event.key, event.value)
        if typed is not None:
            self.values[event.key] = typed
            self.changed_on[event.key] = event.occurred_on


def stored_value(key: str, value: str) -> int | str | None:
    """A recorded value as its key takes it; None for a key or value this banso does not
    know (a store written by another version): skipped, never an error."""
    if not is_setting(key):
        return None
    if isinstance(DEFAULTS[key], int):
        return int(value) if value.isdigit() else None
    return value if value in DAY_KINDS else None


def settings_from(changes: list[tuple[str, str]]) -> RuleSettings:
    """The settings after ``changes`` (key, value text) in effective order."""
    values: dict[str, int | str] = dict(DEFAULTS)
    for key, value in changes:
        typed = stored_value(key, value)
        if typed is not None:
            values[key] = typed
    return RuleSettings(values)
