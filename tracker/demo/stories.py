"""How a case unfolds: a story is a generator of dated steps, each one application command.

A story is drawn lazily, step by step, as the simulated calendar reaches it, so a case that
is still running on ``today`` simply stops where the calendar ends. The stalled stories at
the bottom are planned backwards from ``today`` so that every stall rule shows on it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from events.case import Channel
from tracker.demo import texts
from tracker.demo.days import add_workdays, later, next_workday, prev_workday
from tracker.domain.fiscal import fiscal_year
from tracker.domain.office_days import latest_start


@dataclass(frozen=True)
class Step:
    """On ``on``, run the command named ``command`` on the case with ``args``."""

    on: date
    command: str
    args: dict[str, Any] = field(default_factory=dict)


Story = Callable[[random.Random, str, date], Iterator[Step]]
"""A planned case's story: its steps from the opening day on."""

#: The mix of consultations, dealt as a deck: of every twenty, four answered at the desk
#: (0 rounds) and sixteen dispatched for one to four rounds (apply, decide, visit).
DECK = (0,) * 4 + (1,) * 2 + (2,) * 7 + (3,) * 5 + (4,) * 2
#: Working days from application to decision: mostly within the week, a few stragglers.
DECISION_WORKDAYS = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12)
DECISION_WEIGHTS = (14, 20, 20, 16, 12, 7, 4, 3, 2, 2)
RATINGS, RATING_WEIGHTS = (1, 2, 3, 4, 5), (2, 5, 18, 40, 35)
ONLINE_SHARE = 0.45
FOLLOW_UP_KEPT, FOLLOW_UP_LATE = 0.82, 0.93


class Deck:
    """Deals the number of dispatch rounds of each new consultation.

    Independent draws let a year's dispatches wander by twenty either way; a shuffled
    deck keeps the programme's mix exact over every twenty consultations, in random order.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cards: list[int] = []

    def deal(self) -> int:
        if not self.cards:
            self.cards = list(DECK)
            self.rng.shuffle(self.cards)
        return self.cards.pop()


def consultation(rng: random.Random, topic: str, opened_on: date, rounds: int) -> Iterator[Step]:
    """A consultation answered at the desk (no rounds), or supported over dispatch rounds."""
    fy = fiscal_year(opened_on)
    if rounds == 0:
        yield from _desk_answer(rng, opened_on, fy)
        return
    day = later(rng, opened_on, 0, 12)
    for n in range(rounds):
        day = yield from _dispatch(rng, topic, day, fy, n)
        last = n == rounds - 1
        if not last or rng.random() < 0.55:
            day, kept = yield from _follow_up(rng, day, fy, may_lapse=last)
            if not kept:
                day = later(rng, day, 10, 40)
                note = texts.pick(rng, texts.CLOSE_NOTES["no-response"], fy)
                yield Step(day, "close_case", {"resolution": "no-response", "note": note})
                return
        if not last:
            day = later(rng, day, 7, 30)
    yield from _wrap_up(rng, day, fy, ("resolved", "referred", "withdrawn"), (85, 10, 5))


def _desk_answer(rng: random.Random, opened_on: date, fy: int) -> Iterator[Step]:
    day = later(rng, opened_on, 0, 4)
    yield Step(day, "add_note", {"text": texts.pick(rng, texts.DESK_NOTES, fy)})
    if rng.random() < 0.3:
        day = later(rng, day, 1, 10)
        yield Step(day, "add_note", {"text": texts.pick(rng, texts.DESK_MORE, fy)})
    yield from _wrap_up(rng, day, fy, ("resolved", "referred", "withdrawn"), (72, 22, 6), 0.25)


def _dispatch(
    rng: random.Random, topic: str, day: date, fy: int, n: int
) -> Generator[Step, None, date]:
    yield Step(day, "apply_for_dispatch")
    day = add_workdays(day, rng.choices(DECISION_WORKDAYS, DECISION_WEIGHTS)[0])
    yield Step(day, "decide_dispatch")
    day = later(rng, day, 5, 25)
    online = rng.random() < ONLINE_SHARE
    report = texts.report(rng, topic, fy, online=online, again=n > 0)
    steps = texts.next_steps(rng, topic)
    yield Step(day, "report_visit", {"report": report, "online": online, "next_steps": steps})
    return day


def _follow_up(
    rng: random.Random, visited_on: date, fy: int, *, may_lapse: bool
) -> Generator[Step, None, tuple[date, bool]]:
    """A follow-up planned after a visit: mostly kept, sometimes late, sometimes missed.

    Only the last one may lapse for good: a case with more rounds to come is chased up.
    """
    on = later(rng, visited_on, 0, 3)
    due = later(rng, on, 14, 35)
    yield Step(
        on, "schedule_follow_up", {"due": due, "note": texts.pick(rng, texts.FOLLOW_UP_PLANS, fy)}
    )
    chance = rng.random()
    if chance < FOLLOW_UP_KEPT:
        done = max(on, later(rng, due, -3, 4))
        yield Step(done, "complete_follow_up", {"note": texts.pick(rng, texts.FOLLOW_UP_DONE, fy)})
        return done, True
    late = later(rng, due, 5, 20)
    if chance < FOLLOW_UP_LATE or not may_lapse:
        yield Step(late, "add_note", {"text": texts.pick(rng, texts.FOLLOW_UP_LATE, fy)})
        done = later(rng, late, 3, 20)
        yield Step(done, "complete_follow_up", {"note": texts.pick(rng, texts.FOLLOW_UP_DONE, fy)})
        return done, True
    yield Step(late, "add_note", {"text": texts.pick(rng, texts.FOLLOW_UP_MISSED, fy)})
    return late, False


def _wrap_up(
    rng: random.Random,
    day: date,
    fy: int,
    resolutions: tuple[str, ...],
    weights: tuple[int, ...],
    feedback_share: float = 0.75,
) -> Iterator[Step]:
    if rng.random() < feedback_share:
        day = later(rng, day, 1, 14)
        rating = rng.choices(RATINGS, RATING_WEIGHTS)[0]
        comment = texts.pick(rng, texts.FEEDBACK[rating], fy) if rng.random() < 0.7 else None
        yield Step(day, "receive_feedback", {"rating": rating, "comment": comment})
    day = later(rng, day, 3, 21)
    resolution = rng.choices(resolutions, weights)[0]
    note = texts.pick(rng, texts.CLOSE_NOTES[resolution], fy)
    yield Step(day, "close_case", {"resolution": resolution, "note": note})


# ---- stalled on purpose ------------------------------------------------------------------


@dataclass(frozen=True)
class Stalled:
    """A case planned to show one stall rule on ``today`` (or, ``handed-over``, the
    other side of one: a case handed on when its expert retired)."""

    rule: str
    opens_on: date
    channel: Channel
    story: Story
    with_contact: bool = True


def stalled_cases(today: date) -> list[Stalled]:
    """One case per stall rule of CLI.md, opened and left off so that the rule holds today."""

    def ago(days: int) -> date:
        return prev_workday(today - timedelta(days=days))

    def awaiting_decision(rng: random.Random, topic: str, opened_on: date) -> Iterator[Step]:
        # The decision clock counts office days: ten of them, whatever holidays fall between.
        applied = prev_workday(latest_start(today, 10))
        yield Step(min(ago(20), applied), "add_note", {"text": texts.FORM_REQUESTED})
        yield Step(applied, "apply_for_dispatch")

    def visited_once(rng: random.Random, topic: str, opened_on: date) -> Iterator[Step]:
        yield from _visit(rng, topic, ago(70), ago(45), (texts.ONE_OFF_STEP,))

    def follow_up_forgotten(rng: random.Random, topic: str, opened_on: date) -> Iterator[Step]:
        yield from _visit(rng, topic, ago(90), ago(45), texts.next_steps(rng, topic))
        note = texts.pick(rng, texts.FOLLOW_UP_PLANS)
        yield Step(ago(45), "schedule_follow_up", {"due": ago(8), "note": note})

    def contact_gone(rng: random.Random, topic: str, opened_on: date) -> Iterator[Step]:
        yield from _visit(rng, topic, ago(50), ago(30), texts.next_steps(rng, topic))
        due = next_workday(today + timedelta(days=25))
        note = texts.pick(rng, texts.FOLLOW_UP_PLANS)
        yield Step(ago(30), "schedule_follow_up", {"due": due, "note": note})
        yield Step(ago(15), "transfer_contact")
        yield Step(ago(14), "add_note", {"text": texts.CONTACT_LEFT_NOTE})

    def gone_quiet(rng: random.Random, topic: str, opened_on: date) -> Iterator[Step]:
        yield Step(ago(85), "add_note", {"text": texts.DORMANT_NOTE})

    def expert_gone(rng: random.Random, topic: str, opened_on: date) -> Iterator[Step]:
        """The leaving expert's case nobody took over when they retired (expert-left)."""
        yield from _visit(rng, topic, ago(70), ago(55), texts.next_steps(rng, topic), LEAVER)
        due = next_workday(today + timedelta(days=30))
        yield Step(
            ago(55),
            "schedule_follow_up",
            {"due": due, "note": texts.pick(rng, texts.FOLLOW_UP_PLANS)},
        )
        yield Step(ago(20), "retire_leaver", {"note": texts.HANDED_OVER_NOTE})

    def handed_over(rng: random.Random, topic: str, opened_on: date) -> Iterator[Step]:
        """Another case of the leaving expert: handed to a colleague when they retired."""
        yield from _visit(rng, topic, ago(72), ago(50), texts.next_steps(rng, topic), LEAVER)
        due = next_workday(today + timedelta(days=20))
        yield Step(
            ago(50),
            "schedule_follow_up",
            {"due": due, "note": texts.pick(rng, texts.FOLLOW_UP_PLANS)},
        )
        yield Step(ago(12), "add_note", {"text": texts.NEW_EXPERT_NOTE})

    return [
        Stalled("decision-overdue", ago(24), "chat", awaiting_decision),
        Stalled("one-off", ago(75), "mail", visited_once),
        Stalled("follow-up-overdue", ago(95), "chat", follow_up_forgotten),
        Stalled("contact-left", ago(55), "phone", contact_gone),
        Stalled("dormant", ago(100), "hearing", gone_quiet, with_contact=False),
        Stalled("expert-left", ago(78), "mail", expert_gone),
        Stalled("handed-over", ago(82), "chat", handed_over),
    ]


#: A dispatch step's args: send the expert who will leave the registry (one for the demo).
LEAVER = {"leaver": True}


def _visit(
    rng: random.Random,
    topic: str,
    applied_on: date,
    visited_on: date,
    steps: tuple[str, ...],
    decision: dict[str, Any] | None = None,
) -> Iterator[Step]:
    yield Step(applied_on, "apply_for_dispatch")
    yield Step(add_workdays(applied_on, 3), "decide_dispatch", decision or {})
    online = rng.random() < ONLINE_SHARE
    report = texts.report(rng, topic, fiscal_year(visited_on), online=online, again=False)
    yield Step(
        visited_on, "report_visit", {"report": report, "online": online, "next_steps": steps}
    )
