"""One line of readable text for a fact, in the user's language (timelines, histories)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tracker.domain.topics import topic_label
from tracker.language.words import label

Describer = Callable[[dict[str, Any], str, Mapping[str, str]], str]


def _ja(lang: str, ja: str, en: str) -> str:
    return ja if lang == "ja" else en


def _experts(ids: list[str], names: Mapping[str, str]) -> str:
    return "、".join(f"{i} {names[i]}" if i in names else i for i in ids)


def _opened(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    contact = f" / {_ja(lang, '担当', 'contact')}: {d['contact']}" if d.get("contact") else ""
    return (
        f"[{topic_label(d['topic'], lang)}] {d['summary']}（{label(d['channel'], lang)}）{contact}"
    )


def _decided(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    return _experts(d["experts"], names)


def _visited(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    how = label("online" if d.get("online") else "on_site", lang)
    text = f"（{how}）{d['report']}"
    if d.get("experts"):
        text += f" / {_experts(d['experts'], names)}"
    if d.get("next_steps"):
        text += f" / {_ja(lang, '次のステップ', 'next steps')}: " + "、".join(d["next_steps"])
    return text


def _scheduled(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    note = f": {d['note']}" if d.get("note") else ""
    return f"{_ja(lang, '期日', 'due')} {d['due']}{note}"


def _note_only(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    return d.get("note") or ""


def _feedback(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    comment = f" {d['comment']}" if d.get("comment") else ""
    return f"{'★' * d['rating']}{'☆' * (5 - d['rating'])}{comment}"


def _closed(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    note = f": {d['note']}" if d.get("note") else ""
    return f"{label(d['resolution'], lang)}{note}"


def _assigned(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    return _ja(
        lang, f"{d['name']}（{d['role']}）が着任", f"{d['name']} ({d['role']}) took up the role"
    )


def _transferred(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    if d.get("successor"):
        return _ja(
            lang,
            f"{d['name']} が異動、後任は {d['successor']}",
            f"{d['name']} left; successor {d['successor']}",
        )
    return _ja(lang, f"{d['name']} が異動（後任なし）", f"{d['name']} left (no successor)")


def _outreach(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    note = f": {d['note']}" if d.get("note") else ""
    return f"{label(d['kind'], lang)}{note}"


def _profile(d: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    parts = []
    if d.get("it_staff") is not None:
        parts.append(f"{_ja(lang, '情報担当職員', 'IT staff')} {d['it_staff']}")
    if d.get("population") is not None:
        parts.append(f"{_ja(lang, '人口', 'population')} {d['population']:,}")
    return " / ".join(parts)


DESCRIBERS: dict[str, Describer] = {
    "CaseOpened": _opened,
    "DispatchApplied": lambda d, lang, n: "",
    "DispatchDecided": _decided,
    "VisitReported": _visited,
    "FollowUpScheduled": _scheduled,
    "FollowUpDone": _note_only,
    "NoteAdded": lambda d, lang, n: d["text"],
    "FeedbackReceived": _feedback,
    "CaseClosed": _closed,
    "CaseReopened": _note_only,
    "ContactAssigned": _assigned,
    "ContactTransferred": _transferred,
    "OutreachRecorded": _outreach,
    "MunicipalityProfileUpdated": _profile,
    "MunicipalityRegistered": lambda d, lang, n: d["name"],
    "ExpertRegistered": lambda d, lang, n: f"{d['expert_id']} {d['name']}",
    "ExpertRetired": lambda d, lang, n: "",
}


def describe(
    kind: str, data: dict[str, Any], lang: str = "ja", experts: Mapping[str, str] | None = None
) -> str:
    """The readable text of one fact."""
    return DESCRIBERS.get(kind, lambda d, lang, n: "")(data, lang, experts or {})


def kebab(kind: str) -> str:
    """``CaseOpened`` -> ``case-opened``: the ``kind`` scripts see in JSON."""
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in kind).lstrip("-")
