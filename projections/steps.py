"""How each event of a case moves the case's state on: the steps of the fold.

One small function a kind, on the plain state dict (``casestate`` explains why a dict);
``kinds.py`` names the step of each kind, ``casestate.step`` applies it. The opening
(``CaseOpened``) has no step: it makes the state (``casestate.new_state``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

State = dict[str, Any]
Step = Callable[[State, dict[str, Any], str], None]
"""A step: the state, the event's data, its business date."""


def dispatch_applied(s: State, d: dict[str, Any], on: str) -> None:
    if s["application_pending_since"] is None:
        s["application_pending_since"] = on


def _add_experts(s: State, experts: Iterable[str]) -> None:
    s["experts"] = list(dict.fromkeys((*s["experts"], *experts)))


def dispatch_decided(s: State, d: dict[str, Any], on: str) -> None:
    s["decisions"] += 1
    s["application_pending_since"] = None
    _add_experts(s, d["experts"])


def visit_reported(s: State, d: dict[str, Any], on: str) -> None:
    s["visits"] += 1
    s["last_visit_on"] = max(s["last_visit_on"] or on, on)
    s["latest_report"] = d["report"]
    _add_experts(s, d.get("experts", ()))
    # Next steps of a visit recorded before commitments: open commitments of the
    # municipality, numbered in business-date order (``tracker.domain.commitments``).
    for text in d.get("next_steps", ()):
        s["legacy_steps"] += 1
        _add_commitment(s, {"number": s["legacy_steps"], "text": text}, on)


# ---- commitments -------------------------------------------------------------------------


def _add_commitment(s: State, d: dict[str, Any], on: str) -> None:
    s["commitments"].append(
        {
            "number": d["number"],
            "text": d["text"],
            "owner": d.get("owner") or "municipality",
            "member": d.get("member"),
            "expert": d.get("expert"),
            "due": d.get("due"),
            "made_on": on,
            "state": "open",
            "settled_on": None,
            "note": None,
        }
    )
    _commitment_due(s)


def _commitment_due(s: State) -> None:
    """The earliest due date among the open commitments (what the overdue rule reads)."""
    dues = [c["due"] for c in s["commitments"] if c["state"] == "open" and c["due"]]
    s["commitment_due"] = min(dues, default=None)


def commitment_made(s: State, d: dict[str, Any], on: str) -> None:
    _add_commitment(s, d, on)


def _settle(s: State, d: dict[str, Any], on: str, state: str) -> None:
    for c in s["commitments"]:
        if c["number"] == d["number"] and c["state"] == "open":
            c.update(state=state, settled_on=on, note=d.get("note"))
    _commitment_due(s)


def commitment_done(s: State, d: dict[str, Any], on: str) -> None:
    _settle(s, d, on, "done")


def commitment_cancelled(s: State, d: dict[str, Any], on: str) -> None:
    _settle(s, d, on, "cancelled")


# ---- follow-ups --------------------------------------------------------------------------


def _next_follow_up(s: State) -> None:
    """Pending follow-ups soonest first; the first is the case's next follow-up."""
    s["follow_ups"].sort(key=lambda f: (f["due"], f["number"]))
    first = s["follow_ups"][0] if s["follow_ups"] else None
    s["follow_up_due"] = first["due"] if first else None
    s["follow_up_note"] = first["note"] if first else None


def expert_reassigned(s: State, d: dict[str, Any], on: str) -> None:
    """The case's expert handed it on: the other takes their place among its experts, and
    owes from this day what the first still owed on it (what they kept stays theirs)."""
    s["experts"] = list(
        dict.fromkeys(d["to_expert"] if e == d["from_expert"] else e for e in s["experts"])
    )
    for c in s["commitments"]:
        if c["state"] == "open" and c["expert"] == d["from_expert"]:
            c["expert"] = d["to_expert"]


def follow_up_scheduled(s: State, d: dict[str, Any], on: str) -> None:
    number = d.get("number")
    pending = s["follow_ups"]
    if number is None:  # planned before numbering: it replaced the one pending
        replaced = max((f["number"] for f in pending), default=None)
        number = replaced if replaced is not None else s["last_follow_up"] + 1
        s["follow_ups"] = pending = [f for f in pending if f["number"] != number]
    pending.append({"number": number, "due": d["due"], "note": d.get("note"), "planned_on": on})
    s["last_follow_up"] = max(s["last_follow_up"], number)
    _next_follow_up(s)


def follow_up_rescheduled(s: State, d: dict[str, Any], on: str) -> None:
    for f in s["follow_ups"]:
        if f["number"] == d["number"]:
            f["due"] = d["due"]
    _next_follow_up(s)


def _follow_up_over(s: State, number: int | None) -> None:
    """A follow-up done or cancelled; one done before numbering (None) ended every one."""
    s["follow_ups"] = [f for f in s["follow_ups"] if number is not None and f["number"] != number]
    _next_follow_up(s)


def follow_up_done(s: State, d: dict[str, Any], on: str) -> None:
    _follow_up_over(s, d.get("number"))


def follow_up_cancelled(s: State, d: dict[str, Any], on: str) -> None:
    _follow_up_over(s, d["number"])


# ---- feedback, closing -------------------------------------------------------------------


def feedback_received(s: State, d: dict[str, Any], on: str) -> None:
    s["feedback_ratings"] = [*s["feedback_ratings"], d["rating"]]
    s["feedback_requested_on"] = None


def case_closed(s: State, d: dict[str, Any], on: str) -> None:
    s["status"] = "closed"
    s["closed_on"] = on
    s["resolution"] = d["resolution"]
    s["follow_ups"] = []  # a closed case has no next follow-up
    _next_follow_up(s)
    # Nor anything still promised: only an older store's next steps can be open here (a
    # closing now settles each first), and they end with the case as the aggregate's do.
    for c in s["commitments"]:
        if c["state"] == "open":
            c.update(state="cancelled", settled_on=on)
    _commitment_due(s)
    s["feedback_requested_on"] = on if d.get("feedback_requested") else None


def case_reopened(s: State, d: dict[str, Any], on: str) -> None:
    s["status"] = "open"
    s["closed_on"] = s["resolution"] = None
    s["feedback_requested_on"] = None


def only_activity(s: State, d: dict[str, Any], on: str) -> None:
    """A step that changes nothing but the case's last activity (a note)."""
