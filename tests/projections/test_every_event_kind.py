"""Every event class is handled by every path: its declaration in the registry of kinds,
its aggregate's applier, the projection, the fold, the bulk rebuild, its labels and its
timeline text; and an example of every kind, stored for real, makes the same tables by
the Python projection and by the set-based rebuild (so a forgotten SQL twin fails)."""

from __future__ import annotations

import gc
import types
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin
from uuid import UUID, uuid4

import pytest
from projections_support import check_fts, dump_all

from events.base import DomainEvent
from projections.casestate import OPENING
from projections.describe import DESCRIBERS
from projections.handlers import no_view
from projections.kinds import DECLARED, FACT_KINDS, HANDLERS, KINDS, STEPS, Kind
from projections.readmodels import ReadModels
from tracker.desk.bootstrap import bootstrap
from tracker.desk.settings import Settings
from tracker.domain.aggregates import AGGREGATE_OF_MODULE
from tracker.domain.case import Case
from tracker.language import WORDS


def event_classes() -> list[type[DomainEvent]]:
    """Every subclass of ``DomainEvent``, however deep."""
    found, todo = [], list(DomainEvent.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return sorted(found, key=lambda cls: (cls.__module__, cls.__name__))


def unhandled(classes: list[type[DomainEvent]]) -> list[str]:
    """One line per event class and place that does not handle it. Labels and timeline
    texts are for the kinds shown: those that become facts (not ``NumberIssued``)."""
    gaps = []
    for cls in classes:
        name = cls.__name__
        kind = KINDS.get(name)
        kind = kind if kind is not None and kind.event is cls else None
        missing = ["projections/kinds.py: no Kind declared"] if kind is None else []
        aggregate = AGGREGATE_OF_MODULE.get(cls.__module__)
        if aggregate is None:
            missing.append(f"tracker/domain/aggregates.py: no aggregate for {cls.__module__}")
        elif cls not in aggregate._appliers:
            missing.append(f"{aggregate.__name__}: no @when applier")
        if kind is None or name not in HANDLERS:
            missing.append("projection: no handler")
        amends = kind is not None and kind.amends is not None  # it moves no state itself
        if aggregate is Case and name != OPENING and not amends and name not in STEPS:
            missing.append("case fold: no step")
        if kind is None or not (kind.fact or kind.bulk_by_handler or kind.handler is no_view):
            missing.append("bulk rebuild: neither a fact nor applied by its handler")
        shown = kind is None or kind.fact
        if kind is not None and kind.fact and name not in DESCRIBERS:
            missing.append("timeline: no text in projections/describe.py")
        if shown and f"kind.{name}" not in WORDS:
            missing.append(f"tracker/language: no label kind.{name} in labels.toml")
        gaps += [f"{cls.__module__}.{name}: {place}" for place in missing]
    return gaps


def test_every_event_class_is_handled_by_every_path() -> None:
    classes = event_classes()
    assert unhandled(classes) == []
    assert {cls.__name__ for cls in classes} == set(KINDS)


def new_event_class() -> type[DomainEvent]:
    """A new event class of a case, as if in ``events/case.py``, that nothing handles yet."""

    class ThrowawayHappened(DomainEvent):
        __module__ = "events.case"
        __qualname__ = "ThrowawayHappened"

        note: str

    return ThrowawayHappened


def test_a_new_event_class_fails_naming_itself_and_each_place_it_is_not_handled() -> None:
    throwaway = new_event_class()
    try:
        assert throwaway in event_classes()
        assert unhandled(event_classes()) == [
            f"events.case.ThrowawayHappened: {place}"
            for place in (
                "projections/kinds.py: no Kind declared",
                "Case: no @when applier",
                "projection: no handler",
                "case fold: no step",
                "bulk rebuild: neither a fact nor applied by its handler",
                "tracker/language: no label kind.ThrowawayHappened in labels.toml",
            )
        ]
    finally:  # other tests walk the subclasses of DomainEvent too
        del throwaway
        gc.collect()
    assert "ThrowawayHappened" not in {cls.__name__ for cls in event_classes()}


# ---- one example of every kind, through both rebuilds ---------------------------------------

DAY = date(2025, 5, 1)
BASE_FIELDS = set(DomainEvent.model_fields)


def value_for(cls: type[DomainEvent], field: str, annotation: Any) -> Any:
    """An example value of a field's type: the same name gives the same value, so that a
    transfer names the contact an assignment named."""
    origin, args = get_origin(annotation), get_args(annotation)
    if field == "entry":  # an amendment: a correction names entry 2, a withdrawal entry 3
        return 2 if KINDS[cls.__name__].amends == "corrects" else 3
    if origin is dict:  # a correction's changes: none (its date is corrected)
        return {}
    if origin in (Union, types.UnionType):  # an optional field: give it a value
        return value_for(cls, field, next(a for a in args if a is not type(None)))
    if origin is Literal:
        return args[0]
    if origin is tuple and args[0] is str:  # two items: lists are joined and kept in order
        return (f"{field}の例1", f"{field}の例2")
    if origin is tuple:
        return (value_for(cls, field, args[0]),)
    simple = {str: f"{field}の例", int: 1, bool: True, date: DAY, UUID: UUID(int=1)}
    if annotation in simple:
        return simple[annotation]
    raise TypeError(f"no example value for {cls.__name__}.{field}: {annotation}")


def examples() -> list[DomainEvent]:
    """One event of each declared kind, in the registry's order: the events of one
    aggregate class on one aggregate id, numbered in turn."""
    ids: dict[type, UUID] = defaultdict(uuid4)
    versions: dict[type, int] = defaultdict(int)
    made = []
    for kind in DECLARED:
        versions[kind.aggregate] += 1
        made.append(example(kind, ids[kind.aggregate], versions[kind.aggregate]))
    return made


def example(kind: Kind, aggregate_id: UUID, version: int) -> DomainEvent:
    cls = kind.event
    fields = {
        name: value_for(cls, name, info.annotation)
        for name, info in cls.model_fields.items()
        if name not in BASE_FIELDS
    }
    return cls(
        originator_id=aggregate_id,
        originator_version=version,
        timestamp=datetime(2025, 5, 2, 0, 30, tzinfo=UTC),
        occurred_on=DAY,
        recorded_by="例の記録者",
        **fields,
    )


def test_an_example_of_every_kind_makes_the_same_tables_event_by_event_and_set_based(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = bootstrap(Settings(store=str(tmp_path / "banso.sqlite"), user="tester"))
    # the app's own mapper: the people's details the examples name are sealed, as stored
    mapper = desk.app.mapper
    desk.app.recorder.insert_events([mapper.to_stored_event(e) for e in examples()])
    set_based = ReadModels(str(tmp_path / "set.views.sqlite"))
    one_by_one = ReadModels(str(tmp_path / "one.views.sqlite"))
    try:
        assert desk.log.sqlite() is not None
        assert set_based.rebuild(desk.log) == len(DECLARED)
        monkeypatch.setattr(desk.log, "sqlite", lambda: None)
        assert one_by_one.rebuild(desk.log) == len(DECLARED)

        tables = dump_all(one_by_one.conn)
        # but the decisions' pairs: the example withdrawal takes the case's opening, and
        # with it every entry of the case (the property tests compare the pairs)
        paired = tables.pop("decision_delays")
        assert paired == [] and all(tables.values()), "every table has rows"
        tables["decision_delays"] = paired
        kinds = {row[1] for table in ("facts", "withdrawn_facts") for row in tables[table]}
        assert kinds == FACT_KINDS
        assert dump_all(set_based.conn) == tables
        check_fts(set_based.conn)
    finally:
        set_based.close()
        one_by_one.close()
        desk.close()
