"""Whose move it is: the owners a reminder about a case goes to.

An owner is one word: ``secretariat`` (事務局, the desk as a whole), ``secretariat:佐藤`` (one
of its members), ``municipality`` (市町村) or an expert's id (``E001``), as a commitment
names its owner. The desk's own clocks (a decision, a contact or an expert who left) are
the secretariat's; a follow-up, a one-off visit and a quiet case are for the case's
experts still in post, and the secretariat's when it has none. A municipality's promise is
chased by the secretariat, so its reminders go there.
"""

from __future__ import annotations

from typing import Any

from projections.casestate import CaseState
from tracker.domain.owners import Owner
from tracker.language import say

SECRETARIAT = "secretariat"
MUNICIPALITY = "municipality"

#: The stall rules about the desk's own work: the secretariat owns them whatever the case.
DESK_RULES = frozenset({"decision-overdue", "contact-left", "expert-left"})


def case_owners(case: CaseState, retired: dict[str, str]) -> list[str]:
    """The case's experts still in post, else the secretariat."""
    return [e for e in case.experts if e not in retired] or [SECRETARIAT]


def rule_owners(
    rule: str, case: CaseState, retired: dict[str, str], day: str | None = None
) -> list[str]:
    """Who a stall rule's listing of ``case`` is for: a commitment overdue on ``day`` is
    its owner's."""
    if rule == "commitment-overdue":
        late = overdue_commitments(case, day)
        return sorted({Owner.of(c).key for c in late}) or [SECRETARIAT]
    return [SECRETARIAT] if rule in DESK_RULES else case_owners(case, retired)


def overdue_commitments(case: CaseState, day: str | None) -> list[dict[str, Any]]:
    """The case's open commitments past due on ``day`` (ISO; every one with a due date
    if None)."""
    return [c for c in case.open_commitments if c["due"] and (day is None or c["due"] < day)]


def reminded(owner: str) -> str:
    """The owner whose digest carries ``owner``'s items: a municipality's go to the
    secretariat; everyone else's to themselves."""
    return SECRETARIAT if owner == MUNICIPALITY else owner


def sees(reader: str, owner: str) -> bool:
    """Whether ``reader``'s digest shows what ``owner`` owes: their own, and for the whole
    secretariat also each member's and the municipalities' (``Owner.includes``, the rule
    ``commitments --for`` follows too)."""
    return Owner.of_key(reader).includes(Owner.of_key(owner))


#: How people write the owners that are not experts, in either language.
_KINDS = {"事務局": SECRETARIAT, SECRETARIAT: SECRETARIAT, "市町村": MUNICIPALITY}
_KINDS[MUNICIPALITY] = MUNICIPALITY


def owner_key(text: str) -> str:
    """The owner ``text`` names, as one word: ``事務局`` or ``secretariat``, ``事務局:佐藤``
    (``：`` too), ``市町村``, or anything else as an expert (``e001`` as ``E001``; a name is
    left for the caller to look up)."""
    typed = text.strip()
    head, _, name = typed.replace("：", ":").partition(":")
    kind = _KINDS.get(head.strip().lower() if head.isascii() else head.strip())
    if kind == SECRETARIAT:
        return f"{SECRETARIAT}:{name.strip()}" if name.strip() else SECRETARIAT
    if kind == MUNICIPALITY:
        return MUNICIPALITY
    if typed[:1] in "eE" and typed[1:].isdigit():
        return typed.upper()
    return typed


def owner_label(owner: str, lang: str, name: str | None = None) -> str:
    """事務局, 事務局（佐藤）, 市町村, E001 山田太郎: an owner in the desk's words."""
    if owner == SECRETARIAT:
        return say("digest.secretariat", lang)
    if owner == MUNICIPALITY:
        return say("digest.municipality", lang)
    if owner.startswith(f"{SECRETARIAT}:"):
        return say("digest.member", lang, name=owner.split(":", 1)[1])
    return f"{owner} {name}" if name else owner
