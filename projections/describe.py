"""One line of readable text for a fact, in the user's language (timelines, histories)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from tracker.domain.owners import Owner
from tracker.domain.topics import topic_label
from tracker.language import say

Describer = Callable[[dict[str, Any], str, Mapping[str, str]], str]


def _experts(ids: list[str], names: Mapping[str, str], lang: str) -> str:
    return say("punct.list", lang).join(f"{i} {names[i]}" if i in names else i for i in ids)


def _opened(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    contact = (
        f" / {say('describe.contact', lang, contact=d['contact'])}" if d.get("contact") else ""
    )
    channel = say(f"channel.{d['channel']}", lang)
    summary = say("punct.aside", lang, text=d["summary"], aside=channel)
    return f"[{topic_label(d['topic'], lang)}] {summary}{contact}"


def _decided(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    return _experts(d["experts"], names, lang)


def _visited(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    how = say("support.online" if d.get("online") else "support.on_site", lang)
    text = say("describe.visited", lang, how=how, report=d["report"])
    if d.get("experts"):
        text += f" / {_experts(d['experts'], names, lang)}"
    if d.get("next_steps"):
        steps = say("punct.list", lang).join(d["next_steps"])
        text += f" / {say('describe.next_steps', lang, steps=steps)}"
    return text


def numbered(number: int | None, text: str, lang: str) -> str:
    """``［2］text``: a commitment or follow-up by its number within the case."""
    return text if number is None else say("punct.numbered", lang, number=number, text=text)


def owner_label(owner: Owner, lang: str, names: Mapping[str, str]) -> str:
    """Who owes a commitment, in words: 市町村, 事務局（佐藤）, E001 山田太郎."""
    if owner.kind == "expert":
        return _experts([str(owner.name)], names, lang)
    word = say(f"owner.{owner.kind}", lang)
    return say("punct.aside", lang, text=word, aside=owner.name) if owner.name else word


def promise(d: Mapping[str, Any], lang: str, names: Mapping[str, str]) -> str:
    """A commitment in one line (its recorded fields): its number and text, who owes it,
    by when."""
    due = say("describe.commitment_due", lang, due=d["due"]) if d.get("due") else ""
    owner = say("describe.owner", lang, owner=owner_label(Owner.of(d), lang, names))
    return numbered(d["number"], say("punct.aside", lang, text=d["text"], aside=owner + due), lang)


def _promised(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    return promise(d, lang, names)


def _settled(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    """A commitment done or cancelled: its number, its text (when the query looked it up:
    ``queries.timeline.entry``), and the note."""
    text = " / ".join(filter(None, (d.get("text"), d.get("note"))))
    return numbered(d["number"], text, lang)


def _scheduled(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    note = f": {d['note']}" if d.get("note") else ""
    return numbered(d.get("number"), say("describe.due", lang, due=d["due"]) + note, lang)


def _rescheduled(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    note = f": {d['note']}" if d.get("note") else ""
    return numbered(d["number"], say("describe.moved_to", lang, due=d["due"]) + note, lang)


def _follow_up_over(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    return numbered(d.get("number"), d.get("note") or "", lang)


def _note_only(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    return d.get("note") or ""


def _feedback(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    comment = f" {d['comment']}" if d.get("comment") else ""
    return f"{'★' * d['rating']}{'☆' * (5 - d['rating'])}{comment}"


def _closed(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    note = f": {d['note']}" if d.get("note") else ""
    asked = f" / {say('describe.feedback_requested', lang)}" if d.get("feedback_requested") else ""
    return say(f"resolution.{d['resolution']}", lang) + note + asked


def _reassigned(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    text = say(
        "describe.reassigned",
        lang,
        before=_experts([d["from_expert"]], names, lang),
        after=_experts([d["to_expert"]], names, lang),
    )
    return text + (f": {d['note']}" if d.get("note") else "")


def _setting(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    return say("describe.setting", lang, key=d["key"], value=d["value"])


def _assigned(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    return say("describe.assigned", lang, name=d["name"], role=d["role"])


def _transferred(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    if d.get("successor"):
        return say("describe.transferred", lang, name=d["name"], successor=d["successor"])
    return say("describe.left", lang, name=d["name"])


def _forgotten(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    return say("describe.forgotten", lang, count=len(d["persons"]))


def _outreach(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    note = f": {d['note']}" if d.get("note") else ""
    return say(f"outreach.{d['kind']}", lang) + note


def _profile(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    parts = []
    if d.get("it_staff") is not None:
        parts.append(say("describe.it_staff", lang, it_staff=d["it_staff"]))
    if d.get("population") is not None:
        parts.append(say("describe.population", lang, population=f"{d['population']:,}"))
    return " / ".join(parts)


def _value(name: str, value: Any, names: Mapping[str, str], lang: str) -> str:
    if isinstance(value, list):
        if name == "experts":
            return _experts(value, names, lang)
        return say("punct.list", lang).join(map(str, value))
    return "-" if value in (None, "") else str(value)


def _corrected(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    """What a correction changed, from what to what, and why."""
    target = d.get("target")
    if not target:  # it named nothing it could change (none the domain records)
        return say("describe.not_applied", lang, entry=d.get("entry"), reason=d.get("reason"))
    was = target.get("was", {})
    parts = [
        say(
            "describe.changed",
            lang,
            field=say(f"describe.field.{name}", lang),
            was=_value(name, was.get(name), names, lang),
            now=_value(name, value, names, lang),
        )
        for name, value in (d.get("changes") or {}).items()
    ]
    if d.get("entry_on"):
        parts.append(
            say(
                "describe.changed",
                lang,
                field=say("describe.field.on", lang),
                was=target.get("was_on", "-"),
                now=d["entry_on"],
            )
        )
    return say(
        "describe.corrected",
        lang,
        entry=d["entry"],
        kind=_kind(target, lang),
        changes=" / ".join(parts),
        reason=d["reason"],
    )


def _withdrawn(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    target = d.get("target")
    if not target:
        return say("describe.not_applied", lang, entry=d.get("entry"), reason=d.get("reason"))
    key = "describe.case_withdrawn" if target.get("kind") == "CaseOpened" else "describe.withdrawn"
    return say(key, lang, entry=d["entry"], kind=_kind(target, lang), reason=d["reason"])


def _kind(target: dict[str, Any], lang: str) -> str:
    return say(f"kind.{target['kind']}", lang) if target.get("kind") else ""


DESCRIBERS: dict[str, Describer] = {
    "CaseOpened": _opened,
    "DispatchApplied": lambda d, lang, n: "",
    "DispatchDecided": _decided,
    "VisitReported": _visited,
    "CommitmentMade": _promised,
    "CommitmentDone": _settled,
    "CommitmentCancelled": _settled,
    "ExpertReassigned": _reassigned,
    "FollowUpScheduled": _scheduled,
    "FollowUpRescheduled": _rescheduled,
    "FollowUpDone": _follow_up_over,
    "FollowUpCancelled": _follow_up_over,
    "NoteAdded": lambda d, lang, n: d["text"],
    "FeedbackReceived": _feedback,
    "CaseClosed": _closed,
    "CaseReopened": _note_only,
    "ContactAssigned": _assigned,
    "ContactTransferred": _transferred,
    "ContactForgotten": _forgotten,
    "OutreachRecorded": _outreach,
    "MunicipalityProfileUpdated": _profile,
    "MunicipalityRegistered": lambda d, lang, n: d["name"],
    "ExpertRegistered": lambda d, lang, n: f"{d['expert_id']} {d['name']}",
    "ExpertRetired": lambda d, lang, n: "",
    "TopicRegistered": lambda d, lang, n: f"{d['code']} {d['name']}",
    "RuleSettingChanged": _setting,
    "CaseEntryCorrected": _corrected,
    "CaseEntryWithdrawn": _withdrawn,
    "MunicipalityEntryCorrected": _corrected,
    "MunicipalityEntryWithdrawn": _withdrawn,
}


def describe(
    kind: str, data: dict[str, Any], lang: str = "ja", experts: Mapping[str, str] | None = None
) -> str:
    """The readable text of one fact."""
    return DESCRIBERS.get(kind, lambda d, lang, n: "")(data, lang, experts or {})


@cache  # a timeline names a few kinds thousands of times
def kebab(kind: str) -> str:
    """``CaseOpened`` -> ``case-opened``: the ``kind`` scripts see in JSON."""
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in kind).lstrip("-")


@cache
def kind_label(kind: str, lang: str) -> str:
    """A kind's name as people read it (``kind.NAME`` in the labels)."""
    return say(f"kind.{kind}", lang)
