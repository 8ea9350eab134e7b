"""How an erased person's details read (APPI erasure: ``banso contact forget``).

Their details are gone for good (``tracker.application.personal``); what they did stays in
the record, under a neutral placeholder that is still one per person, so that two erased
contacts of one municipality stay two, and each keeps its tenures and cases.
"""

from __future__ import annotations

from uuid import UUID

#: What an erased e-mail, phone or unnamed person reads as.
ERASED = "（消去済み）"


def erased_name(person: str | UUID | None) -> str:
    """The placeholder of an erased person's name: ``（消去済み 3f2a1c）``."""
    if person is None:
        return ERASED
    return f"（消去済み {UUID(str(person)).hex[:6]}）"
