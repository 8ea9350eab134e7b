"""The application's unit of work: commands inside it save nothing until it ends, see what
earlier ones decided, take back a refused attempt only, and are saved in one transaction."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sheets_support import KAWAGUCHI, YOKOZE, ago

from tracker.desk.bootstrap import Desk, bootstrap
from tracker.desk.settings import Settings
from tracker.domain.errors import BansoError, FutureDateError


@pytest.fixture
def desk() -> Iterator[Desk]:
    made = bootstrap(Settings(store="memory:", user="事務局A"))
    made.app.register_prefecture("11", on=ago(400))
    made.app.register_expert("山田太郎", on=ago(400))
    yield made
    made.close()


def stored(desk: Desk) -> int:
    return len(
        desk.app.recorder.select_notifications(start=0, limit=10_000, inclusive_of_start=False)
    )


def test_commands_in_a_unit_see_each_other_and_are_saved_together_at_its_end(desk: Desk) -> None:
    before = stored(desk)
    with desk.app.all_or_nothing() as unit:
        first, _ = desk.app.open_case(KAWAGUCHI, topic="B", summary="一つ目", on=ago(10))
        second, _ = desk.app.open_case(YOKOZE, topic="C", summary="二つ目", on=ago(10))
        desk.app.apply_for_dispatch(first, on=ago(9))
        desk.app.decide_dispatch(first, ["E001"], on=ago(8))
        assert stored(desk) == before, "nothing is recorded inside the unit"
        assert len(unit) == 6  # two openings, their two number claims, an application, a decision
    assert int(second.split("-")[1]) == int(first.split("-")[1]) + 1
    assert stored(desk) == before + 6
    assert desk.app.case(first).experts == ("E001",)


def test_a_refused_attempt_takes_back_only_what_it_added(desk: Desk) -> None:
    with desk.app.all_or_nothing() as unit:
        with unit.attempt():
            kept, _ = desk.app.open_case(KAWAGUCHI, topic="B", summary="残る", on=ago(10))
        with pytest.raises(FutureDateError), unit.attempt():
            desk.app.apply_for_dispatch(kept, on=ago(9))  # changes a case held before it
            desk.app.open_case(YOKOZE, topic="C", summary="消える", on=ago(10))
            desk.app.decide_dispatch(kept, ["E001"], on=ago(-1))
        again, _ = desk.app.open_case(YOKOZE, topic="C", summary="番号を継ぐ", on=ago(10))
    case = desk.app.case(kept)
    assert case.pending_applications == 0 and case.version == 1
    assert int(again.split("-")[1]) == int(kept.split("-")[1]) + 1, "the taken-back number is free"


def test_a_discarded_unit_records_nothing(desk: Desk) -> None:
    before = stored(desk)
    with desk.app.all_or_nothing() as unit:
        desk.app.open_case(KAWAGUCHI, topic="B", summary="確認だけ", on=ago(1))
        unit.discard()
    assert stored(desk) == before


def test_a_unit_left_by_an_error_records_nothing(desk: Desk) -> None:
    before = stored(desk)
    with pytest.raises(BansoError), desk.app.all_or_nothing():
        desk.app.open_case(KAWAGUCHI, topic="B", summary="途中まで", on=ago(1))
        desk.app.open_case(KAWAGUCHI, topic="B", summary="未来", on=ago(-1))
    assert stored(desk) == before
