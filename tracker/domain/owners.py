"""Who owes a commitment: the municipality, the secretariat (or one of its members), or an expert.

What people type: ``市町村`` / ``municipality``, ``事務局`` / ``secretariat``, ``事務局:佐藤`` (a
member of the secretariat; ``：`` too), or an expert by id or name (``E001``, ``山田太郎``;
``専門人材:E001`` also). The same reading serves a commitment's ``--owner`` and
``banso digest --for``; an expert's name is resolved by the caller, who can look names up
(``projections.queries.directory.find_owner``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from events.case import OWNER_KINDS, OwnerKind
from tracker.domain.choices import named
from tracker.domain.errors import InvalidInputError
from tracker.domain.folding import fold
from tracker.domain.inputs import MAX_SHORT, clean_text

#: Between the kind and the name: ``事務局:佐藤`` or ``事務局：佐藤``.
_SEPARATOR = re.compile("[:：]")
_EXPERT_ID = re.compile(r"[Ee]\d+")


@dataclass(frozen=True)
class Owner:
    """An owner: its kind, and the secretariat member's name or the expert's id (or, before
    the caller resolved it, the expert as typed)."""

    kind: OwnerKind
    name: str | None = None

    @property
    def key(self) -> str:
        """The owner in one word, as typed back: ``municipality``, ``secretariat``,
        ``secretariat:佐藤`` or the expert's id."""
        if self.kind == "expert":
            return str(self.name)
        return f"{self.kind}:{self.name}" if self.name else self.kind

    def fields(self) -> dict[str, Any]:
        """The owner as a commitment's event records it (``owner``, ``member``, ``expert``)."""
        return {
            "owner": self.kind,
            "member": self.name if self.kind == "secretariat" else None,
            "expert": self.name if self.kind == "expert" else None,
        }

    @classmethod
    def of(cls, fields: Mapping[str, Any]) -> Owner:
        """The owner a commitment's recorded fields name."""
        kind: OwnerKind = fields.get("owner") or "municipality"
        if kind == "expert":
            return cls("expert", fields.get("expert"))
        return cls(kind, fields.get("member") if kind == "secretariat" else None)

    @classmethod
    def of_key(cls, key: str) -> Owner:
        """The owner ``key`` (as ``Owner.key`` writes it) names."""
        kind, _, name = key.partition(":")
        if kind == "municipality":
            return MUNICIPALITY
        if kind == "secretariat":
            return cls("secretariat", name or None)
        return cls("expert", key)

    def includes(self, other: Owner) -> bool:
        """Whether ``other``'s commitments are this owner's to see: the same owner's, and
        for the whole secretariat also each member's and the municipality's (the
        secretariat follows up what a municipality promised). ``commitments --for`` and
        the digests both read owners so."""
        if self == other:
            return True
        whole_secretariat = self.kind == "secretariat" and self.name is None
        return whole_secretariat and other.kind in ("secretariat", "municipality")


MUNICIPALITY = Owner("municipality")
SECRETARIAT = Owner("secretariat")


def parse_owner(text: str, field: str = "owner") -> Owner:
    """The owner ``text`` names. An expert comes back as typed (id upper-cased), for the
    caller to resolve; a kind that takes no name (``市町村:…``) or an expert without one is
    refused."""
    typed = clean_text(text, field, limit=MAX_SHORT)
    head, _, rest = (part.strip() for part in _partition(typed))
    kind = _kind(head)
    if kind is None:  # no kind named: an expert by id or name
        return Owner("expert", _expert_ref(typed))
    if kind == "municipality":
        if rest:
            raise InvalidInputError(field=field, reason="owner", value=typed)
        return MUNICIPALITY
    if kind == "secretariat":
        return Owner("secretariat", rest or None)
    if not rest:
        raise InvalidInputError(field=field, reason="owner", value=typed)
    return Owner("expert", _expert_ref(rest))


def _partition(text: str) -> tuple[str, str, str]:
    found = _SEPARATOR.search(text)
    if found is None:
        return text, "", ""
    return text[: found.start()], found.group(), text[found.end() :]


def _kind(word: str) -> OwnerKind | None:
    return _kinds().get(fold(word))


@cache
def _kinds() -> dict[str, OwnerKind]:
    """Every folded spelling of every kind (its code, its words in each language)."""
    found: dict[str, OwnerKind] = {}
    for kind, (_, names) in zip(OWNER_KINDS, named("owner", OWNER_KINDS), strict=True):
        for spelling in (kind, *names.values()):
            found[fold(spelling)] = kind
    return found


def _expert_ref(text: str) -> str:
    return text.upper() if _EXPERT_ID.fullmatch(text) else text
