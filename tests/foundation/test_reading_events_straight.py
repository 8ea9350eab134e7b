"""Reading a stored state straight from its JSON bytes (``store.read_straight``) gives the
event the long way gives (parse, open, upcast, validate), or declines: an import reads
most lines of a backup so, and any line it declines is read the long way as before."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from tests.foundation.conftest import Cli, write_v1_visit
from tracker.application.backup import import_events
from tracker.application.commands import Banso
from tracker.application.store import read_straight
from tracker.demo import generate
from tracker.domain.inputs import today


def test_every_event_read_straight_is_the_event_read_the_long_way(tmp_path: Path) -> None:
    app = Banso(str(tmp_path / "demo.sqlite"), user="demo")
    try:
        generate(app, scale="prefecture", seed=3, fraction=0.2)
        number, _ = app.open_case("112038", topic="B", summary="旧版の訪問", on=today())
        write_v1_visit(app, number, next_step="資料を送る", on=today().isoformat())
        ways: Counter[str] = Counter()
        for stored in app.recorder.select_notifications(start=1, limit=10**7):
            ids = _ids(str(stored.originator_id), stored.originator_version)
            straight = read_straight(stored.topic, ids, stored.state)
            if straight is None:
                ways["long: " + stored.topic.rpartition(":")[2]] += 1
            else:
                ways["straight"] += 1
                assert straight == app.mapper.decode(stored), stored.topic
    finally:
        app.close()
    declined = {way for way in ways if way != "straight"}
    # only events sealing people's details, and the one of an older version, go the long way
    assert declined == {
        "long: CaseOpened",
        "long: ContactAssigned",
        "long: ContactTransferred",
        "long: VisitReported",
    }, ways
    assert ways["long: VisitReported"] == 1
    assert ways["straight"] > 3 * sum(ways[way] for way in declined)


def test_states_out_of_the_ordinary_are_declined() -> None:
    topic, oid = "events.case:NoteAdded", "0" * 8 + "-0000-4000-8000-" + "0" * 12
    note = {
        "timestamp": "2025-06-02T01:00:00Z",
        "occurred_on": "2025-06-02",
        "recorded_by": "事務局",
        "text": "メモ",
    }
    plain = json.dumps(note, ensure_ascii=False, separators=(",", ":")).encode()
    ids = _ids(oid, 2)
    assert read_straight(topic, ids, plain) is not None
    for odd in (
        plain[:-1] + b',"originator_id":"' + oid.encode() + b'"}',  # the record's, not the state's
        plain[:-1] + b',"class_version":1}',  # a version the class does not write
        plain[:-1] + b',"unknown":1}',  # pydantic refuses it: the long way names it
        b"[" + plain + b"]",
        b"{}",
    ):
        assert read_straight(topic, ids, odd) is None, odd
    assert read_straight("events.case:NoSuchEvent", ids, plain) is None
    assert read_straight("events.base:BaseModel", ids, plain) is None


def _ids(originator_id: str, version: int) -> bytes:
    """An event's id and version as a backup's line writes them (``backup.EXPORTED``)."""
    return b'"originator_id":"%s","originator_version":%d' % (originator_id.encode(), version)


def test_lines_not_as_exported_import_as_before(pristine, tmp_path: Path) -> None:
    """A backup edited by hand (spaces, keys in another order, no digest) is read the long
    way, line by line, and restores the same events as the file as exported."""
    edited = []
    for line in pristine.backup.decode().splitlines():
        record = json.loads(line)
        record.pop("digest", None)
        state = record.pop("state")
        edited.append(json.dumps({"state": state, **record}, ensure_ascii=False))
    source = tmp_path / "edited.jsonl"
    source.write_text("\n".join(edited) + "\n", encoding="utf-8")
    exported_copy = tmp_path / "as-exported.jsonl"
    exported_copy.write_bytes(pristine.backup)
    restored = []
    for name, path in (("edited", source), ("exported", exported_copy)):
        app = Banso(str(tmp_path / f"{name}.sqlite"), user="取り込み")
        try:
            assert import_events(app, path) == len(edited)
            restored.append(
                [
                    (e.originator_id, e.originator_version, e.topic, json.loads(e.state))
                    for e in app.recorder.select_notifications(start=1, limit=10**6)
                ]
            )
        finally:
            app.close()
    assert restored[0] == restored[1]
    assert Cli(tmp_path / "edited.sqlite", tmp_path).ok("verify").code == 0
