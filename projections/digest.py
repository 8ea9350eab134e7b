"""``banso digest``: for each owner, what is overdue, due soon and stalling, as a reminder.

One digest per owner (``owners.py``): the secretariat, each of its members, each expert.
Three sections: overdue (a clock someone promised to beat: a decision, a follow-up, a
commitment), due soon (``queries/due.py``) and stalled (the other stall rules). Overdue and
stalled items are newest first (what went wrong most recently leads; the oldest are
already known); due-soon items soonest first. An owner with nothing gets no digest.

Text for a terminal or a plain mail, Markdown, or HTML rendered from the Markdown (text a
person typed is shown as text, never as HTML).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from projections.owners import SECRETARIAT, owner_label, reminded, rule_owners, sees
from projections.queries.common import AsOf, case_states, expert_names, retired_experts
from projections.queries.due import due_soon
from projections.queries.settings import rule_settings
from projections.queries.stalled import stalled
from tracker.domain.dates import era_date
from tracker.language import say

#: Stall rules about a date someone promised to keep: the digest calls them overdue.
OVERDUE_RULES = frozenset({"decision-overdue", "follow-up-overdue", "commitment-overdue"})
SECTIONS = ("overdue", "due_soon", "stalled")
FORMATS = ("text", "markdown", "html")


def digests(
    conn: sqlite3.Connection, as_of: date | None = None, owner: str | None = None
) -> list[dict[str, Any]]:
    """Every owner's digest on ``as_of`` (default today), or ``owner``'s alone; only the
    owners with something in it. Secretariat first, then its members, then experts."""
    day = AsOf.of(as_of)
    settings = rule_settings(conn, day.day)
    retired = retired_experts(conn, day)
    stalls = stalled(conn, day.day, settings)
    ids = sorted({r["case_id"] for r in stalls})
    cases = {
        c.id: c
        for c in case_states(conn, day, where=f"id IN ({','.join('?' * len(ids))})", params=ids)
    }
    items: list[tuple[str, list[str], dict[str, Any]]] = []
    for r in stalls:
        section = "overdue" if r["rule"] in OVERDUE_RULES else "stalled"
        case = cases[r["case_id"]]
        note = case.follow_up_note if r["rule"] == "follow-up-overdue" else None
        item = {**r, "what": r["rule"], "on": r["since"], "text": note or ""}
        items.append((section, rule_owners(r["rule"], case, retired), item))
    for r in due_soon(conn, day.day, settings=settings):
        items.append(("due_soon", r["owners"], {**r, "what": r["kind"], "on": r["due"]}))
    names = expert_names(conn)
    readers = sorted(
        {reminded(o) for _, owners, _ in items for o in owners} | _secretariat(items),
        key=_reader_order,
    )
    found = []
    for reader in readers if owner is None else [owner]:
        mine = {s: [i for s_, os, i in items if s_ == s and _sees(reader, os)] for s in SECTIONS}
        if any(mine.values()):
            for section in ("overdue", "stalled"):
                mine[section].sort(key=lambda i: (i["on"], i["case"]), reverse=True)
            found.append(
                {
                    "owner": reader,
                    "name": names.get(reader),
                    "as_of": day.iso,
                    **mine,
                }
            )
    return found


def _sees(reader: str, owners: list[str]) -> bool:
    return any(sees(reader, o) for o in owners)


def _secretariat(items: list[tuple[str, list[str], dict[str, Any]]]) -> set[str]:
    """The whole secretariat reads its members' items too, so it has a digest of its own."""
    members = any(o.startswith(f"{SECRETARIAT}:") for _, owners, _ in items for o in owners)
    return {SECRETARIAT} if members else set()


def _reader_order(reader: str) -> tuple[int, str]:
    if reader == SECRETARIAT:
        return (0, "")
    return (1, reader) if reader.startswith(f"{SECRETARIAT}:") else (2, reader)


# ---- rendering ------------------------------------------------------------------------------


def subject(digest: dict[str, Any], lang: str) -> str:
    """The mail's subject: whose, which day, and how many of each."""
    return say(
        "digest.subject",
        lang,
        owner=owner_label(digest["owner"], lang, digest.get("name")),
        day=digest["as_of"],
        overdue=len(digest["overdue"]),
        due_soon=len(digest["due_soon"]),
        stalled=len(digest["stalled"]),
    )


def _line(item: dict[str, Any], section: str, lang: str) -> tuple[str, str, str]:
    """An item as (case and municipality, what and when, the case's summary or note)."""
    where = f"{item['case']} {item['municipality_name']}"
    if section == "due_soon":
        what = say(f"coming.kind.{item['kind']}", lang)
        left = say("count.office", lang, n=item["office_days_left"])
        when = say("digest.due_on", lang, due=item["due"], left=left)
    else:
        what = say(f"rule.{item['rule']}", lang)
        days = say(f"count.{item['day_kind']}", lang, n=item["days"])
        when = say("digest.since", lang, since=item["since"], days=days)
    text = item.get("text") or item["summary"]
    return where, f"{what} {when}", text


def digest_text(digest: dict[str, Any], lang: str = "ja") -> str:
    """A digest as plain text: a mail's body, or what a terminal shows."""
    out = [_title(digest, lang), ""]
    for section in SECTIONS:
        if digest[section]:
            out.append(say(f"digest.{section}", lang, n=len(digest[section])))
            for item in digest[section]:
                where, what, text = _line(item, section, lang)
                out.append(f"  {where}  {what}  {_one_line(text)}")
            out.append("")
    return "\n".join(out)


def digest_markdown(digest: dict[str, Any], lang: str = "ja") -> str:
    """A digest as Markdown: a heading per section, a list item per case."""
    out = [f"# {_title(digest, lang)}", ""]
    for section in SECTIONS:
        if digest[section]:
            out += [f"## {say(f'digest.{section}', lang, n=len(digest[section]))}", ""]
            for item in digest[section]:
                where, what, text = _line(item, section, lang)
                out.append(f"- **{_escape(where)}** {_escape(what)}: {_escape(_one_line(text))}")
            out.append("")
    return "\n".join(out)


def digest_html(digest: dict[str, Any], lang: str = "ja") -> str:
    """A digest as a standalone HTML page (for an HTML mail)."""
    import html

    from markdown_it import MarkdownIt  # only when HTML is asked for

    body = MarkdownIt("commonmark", {"html": False}).render(digest_markdown(digest, lang))
    title = html.escape(_title(digest, lang))
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body>\n{body}</body></html>\n"
    )


RENDERERS = {"text": digest_text, "markdown": digest_markdown, "html": digest_html}


def _title(digest: dict[str, Any], lang: str) -> str:
    day = date.fromisoformat(digest["as_of"])
    when = say("briefing.day", lang, day=digest["as_of"], era=era_date(day))
    return say(
        "digest.title", lang, owner=owner_label(digest["owner"], lang, digest.get("name")), day=when
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _escape(text: str) -> str:
    """Markdown that shows ``text`` as typed (no emphasis, links or headings from it)."""
    return "".join(f"\\{ch}" if ch in "\\`*_[]<>#!|" else ch for ch in text)
