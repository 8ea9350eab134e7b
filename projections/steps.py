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
    s["next_steps"] = list(d.get("next_steps", ()))
    _add_experts(s, d.get("experts", ()))


def expert_reassigned(s: State, d: dict[str, Any], on: str) -> None:
    """The case's expert handed it on: the other takes their place among its experts."""
    s["experts"] = list(
        dict.fromkeys(d["to_expert"] if e == d["from_expert"] else e for e in s["experts"])
    )


def follow_up_scheduled(s: State, d: dict[str, Any], on: str) -> None:
    s["follow_up_due"] = d["due"]
    s["follow_up_note"] = d.get("note")


def follow_up_done(s: State, d: dict[str, Any], on: str) -> None:
    s["follow_up_due"] = s["follow_up_note"] = None
    s["next_steps"] = []


def feedback_received(s: State, d: dict[str, Any], on: str) -> None:
    s["feedback_ratings"] = [*s["feedback_ratings"], d["rating"]]


def case_closed(s: State, d: dict[str, Any], on: str) -> None:
    s["status"] = "closed"
    s["closed_on"] = on
    s["resolution"] = d["resolution"]


def case_reopened(s: State, d: dict[str, Any], on: str) -> None:
    s["status"] = "open"
    s["closed_on"] = s["resolution"] = None


def only_activity(s: State, d: dict[str, Any], on: str) -> None:
    """A step that changes nothing but the case's last activity (a note)."""
