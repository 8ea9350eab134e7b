"""Checking the log against its hash chain: which event was altered, removed, inserted,
reordered or hidden, one finding per problem.

The log is read by a full scan in notification order (rows moved to an id below 1 or past
the end are seen too), the chain in position order, side by side in one snapshot. Each
event is paired with its chain row by (originator id, version), so one removed or moved
event is one finding, not a shifted mismatch for every event after it; only the events
found out of place are held in memory, plus two integers per event for the order check.
A pair is sound when the event's digest, computed from its stored fields, its chained
position and the digest chained before it, is the one chained.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any

from tracker.application.chain import GENESIS, Link, link

#: An event row of the log scan: (notification id, originator id, version, topic, state).
LogRow = tuple[Any, Any, Any, Any, Any]
Key = tuple[Any, Any]


@dataclass(frozen=True)
class Found:
    """An event as found in the log (its fields as stored, possibly tampered with)."""

    notification_id: Any
    originator_id: Any
    version: Any
    topic: Any


@dataclass(frozen=True)
class Finding:
    """One problem. ``kind`` is one of:

    - ``altered``: the event's stored fields are not those chained (``last``: it is the
      chain's last event, so its chain row may be the one altered);
    - ``chain_altered``: the chain's digest at ``position`` was changed, not the event;
    - ``ids_altered``: the event at ``position`` now carries other ids than ``chained``;
    - ``removed``: the event chained at ``position`` (``chained``) is gone from the log;
    - ``inserted``: the event is in the log but not in the chain;
    - ``unchained``: the event's own chain row (``position``) was removed;
    - ``chain_gap``: chain rows ``position``..``other`` were removed;
    - ``reordered``: the event chained at ``position`` is found after position ``other``;
    - ``hidden``: the event was moved to a notification id below 1, outside every reader;
    - ``count``: the log and the chain hold different numbers of events.
    """

    kind: str
    position: int | None = None
    event: Found | None = None
    chained: Key | None = None
    other: int | None = None
    last: bool = False


@dataclass
class Audit:
    """What a check found, and the chain's head."""

    findings: list[Finding] = field(default_factory=list)
    events: int = 0
    chained: int = 0
    head: bytes = GENESIS
    #: the chain position whose digest is the one expected (None: not found, or not asked)
    expected_at: int | None = None


def _found(row: LogRow) -> Found:
    return Found(row[0], row[1], row[2], row[3])


class _Check:
    """The state of one pass over the log and the chain."""

    def __init__(self, expect: bytes | None) -> None:
        self.result = Audit()
        self.expect = expect
        self.positions = array("q")  # per event in log order: its chain position, 0 = none
        self.ids = array("q")  # per event in log order: its notification id
        self.hidden: dict[int, LogRow] = {}  # log index -> row, for ids below 1
        self.waiting_events: dict[Key, tuple[int, LogRow]] = {}
        self.waiting_links: dict[Key, tuple[int, bytes | None, Any]] = {}
        self.failed: dict[int, tuple[bytes, Any, LogRow]] = {}
        self.gaps: list[tuple[int, int]] = []
        self.last_position = 0
        self.last_digest = GENESIS

    def link_row(self, row: Link) -> tuple[Key, tuple[int, bytes | None, Any]]:
        position, originator_id, version, digest = row
        if self.expect is not None and digest == self.expect:
            self.result.expected_at = position
        previous: bytes | None = self.last_digest
        if position != self.last_position + 1:
            self.gaps.append((self.last_position + 1, position - 1))
            previous = None  # the digest before it is gone: this link cannot be checked
        self.last_position = position
        self.last_digest = digest if isinstance(digest, bytes) else b""
        self.result.head = self.last_digest
        self.result.chained += 1
        return (originator_id, version), (position, previous, digest)

    def log_row(self, row: LogRow) -> int:
        index = self.result.events
        self.result.events += 1
        notification_id = row[0]
        self.positions.append(0)
        self.ids.append(notification_id if isinstance(notification_id, int) else 0)
        if not isinstance(notification_id, int) or notification_id < 1:
            self.hidden[index] = row
        return index

    def pair(self, index: int, row: LogRow, chained: tuple[int, bytes | None, Any]) -> None:
        position, previous, digest = chained
        self.positions[index] = position
        if previous is None:
            return
        _, originator_id, version, topic, state = row
        expected = link(previous, position, originator_id, version, topic, state)
        if expected != digest:
            self.failed[position] = (expected, digest, row)

    def step(self, row: LogRow | None, chained_row: Link | None) -> None:
        key = chained = None
        if chained_row is not None:
            key, chained = self.link_row(chained_row)
        index = self.log_row(row) if row is not None else -1
        if row is not None and chained is not None and (row[1], row[2]) == key:
            self.pair(index, row, chained)
            return
        if row is not None:
            own = (row[1], row[2])
            if own in self.waiting_links:
                self.pair(index, row, self.waiting_links.pop(own))
            elif own in self.waiting_events:  # the same ids twice: the second is extra
                self.result.findings.append(Finding("inserted", event=_found(row)))
            else:
                self.waiting_events[own] = (index, row)
        if key is not None and chained is not None:
            if key in self.waiting_events:
                self.pair(*self.waiting_events.pop(key), chained)
            else:
                self.waiting_links[key] = chained

    # ---- after the pass ------------------------------------------------------------------

    def finish(self, event_at: Callable[[Any], LogRow | None]) -> Audit:
        findings = self.result.findings
        self._contents(findings)
        self._leftovers(findings)
        self._order(findings, event_at)
        if self.result.events != self.result.chained and not findings:
            findings.append(Finding("count"))
        findings.sort(key=lambda f: (f.position is None, f.position or 0))
        return self.result

    def _contents(self, findings: list[Finding]) -> None:
        """An altered chain row breaks its own link and the next; an altered event only
        its own: the next link, computed from the digest the event should have, tells."""
        explained: set[int] = set()
        for position in sorted(self.failed):
            if position in explained:
                continue
            expected, _, row = self.failed[position]
            following = self.failed.get(position + 1)
            if following is not None:
                _, stored, next_row = following
                if link(expected, position + 1, *next_row[1:]) == stored:
                    findings.append(Finding("chain_altered", position, _found(row)))
                    explained.add(position + 1)
                    continue
            last = position == self.last_position
            findings.append(Finding("altered", position, _found(row), last=last))

    def _leftovers(self, findings: list[Finding]) -> None:
        """Events without a chain row and chain rows without an event: an event whose ids
        were changed leaves one of each in the same place, so they are named together."""
        links_at = {position: key for key, (position, _, _) in self.waiting_links.items()}
        explained: set[int] = set()  # removed chain rows whose event is still there
        for index, row in sorted(self.waiting_events.values(), key=lambda w: w[0]):
            before = self.positions[index - 1] if index > 0 else 0
            last = index + 1 == self.result.events
            after = self.last_position + 1 if last else self.positions[index + 1]
            place = before + 1
            if (before or index == 0) and after == place + 1:
                if place in links_at:
                    key = links_at.pop(place)
                    del self.waiting_links[key]
                    findings.append(Finding("ids_altered", place, _found(row), chained=key))
                    continue
                if any(first <= place <= end for first, end in self.gaps):
                    explained.add(place)
                    findings.append(Finding("unchained", place, _found(row)))
                    continue
            findings.append(Finding("inserted", event=_found(row)))
        for first, end in self.gaps:
            if end - first + 1 > sum(first <= p <= end for p in explained):
                findings.append(Finding("chain_gap", first, other=end))
        for key, (position, _, _) in self.waiting_links.items():
            findings.append(Finding("removed", position, chained=key))

    def _order(self, findings: list[Finding], event_at: Callable[[Any], LogRow | None]) -> None:
        """Events out of chain order (a swap, a row moved past the end), and rows hidden
        below id 1 (every reader scans ids from 1 up), named once each."""
        highest = 0
        for index, position in enumerate(self.positions):
            if not position:
                continue
            if index in self.hidden:
                findings.append(Finding("hidden", position, _found(self.hidden[index])))
            elif position < highest:
                row = event_at(self.ids[index])
                found = _found(row) if row else None
                findings.append(Finding("reordered", position, found, other=highest))
            else:
                highest = position


def audit(
    log: Iterable[LogRow],
    links: Iterable[Link],
    *,
    event_at: Callable[[Any], LogRow | None],
    expect: bytes | None = None,
) -> Audit:
    """Every problem between the log and its chain; ``event_at`` fetches one event row by
    notification id (to name an event found out of order); ``expect`` is a digest kept
    elsewhere, looked for in the chain."""
    check = _Check(expect)
    for row, chained in zip_longest(log, links):
        check.step(row, chained)
    return check.finish(event_at)


def printable(value: Any, limit: int = 120) -> str:
    """A stored value as one safe line (control characters and the like escaped, long
    values cut): what a finding shows may be whatever was written into the file."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii")
        for c in text
    )
