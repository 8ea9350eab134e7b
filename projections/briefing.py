"""引継ぎ資料: the handover briefing a leaving contact and the successor read together.

Written for someone who has never seen the cases: who is who, what is open and promised,
what is late, what was done before. Markdown, or HTML rendered from the same Markdown, so
the two say the same. The HTML is made to be printed on A4 (``PRINT_CSS``): margins, page
numbers in the footer, table headings repeated on each page, and dates and case numbers
that never break inside (``2026-``/``019``). Line breaks inside a report are kept (a hard
break in a list, ``<br>`` in a table cell, as GitHub's Markdown writes them).
"""

from __future__ import annotations

import html
import re
import sqlite3
from datetime import date
from typing import Any

from markdown_it import MarkdownIt

from projections.describe import numbered, owner_label
from projections.queries.cases import list_cases, show_case
from projections.queries.commitments import feedback_awaited, open_commitments, owner_of
from projections.queries.common import AsOf, expert_names
from projections.queries.municipalities import show_municipality
from projections.queries.timeline import timeline
from tracker.domain.dates import era_date
from tracker.domain.inputs import today
from tracker.domain.topics import topic_label
from tracker.language import say


def _day(value: str | None, lang: str) -> str:
    """A date as 2025-04-01（令和7年4月1日） in Japanese, plain ISO in English."""
    if not value:
        return "-"
    return say("briefing.day", lang, day=value, era=era_date(date.fromisoformat(value)))


def _cell(value: Any) -> str:
    """A table cell: a pipe would end it, and a line break inside it is ``<br>``."""
    if value in (None, ""):
        return "-"
    return str(value).replace("|", "｜").replace("\r\n", "\n").replace("\n", "<br>")


def _lines(value: Any, indent: str = "  ") -> str:
    """Text in a list item, its line breaks kept (Markdown's hard break, then the item's
    indentation so the next line stays in the item)."""
    lines = [line.strip() for line in str(value).splitlines()] or [""]
    return f"\\\n{indent}".join(line for line in lines if line) or "-"


def _table(headers: list[str], rows: list[list[Any]], lang: str) -> list[str]:
    """A Markdown table under the words of the keys ``headers``."""
    words = [say(header, lang) for header in headers]
    lines = ["| " + " | ".join(words) + " |", "|" + "---|" * len(words)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return [*lines, ""]


def briefing_markdown(
    conn: sqlite3.Connection,
    code: str,
    as_of: date | None = None,
    lang: str = "ja",
    prepared_by: str | None = None,
    prepared_on: date | None = None,
    include_personal: bool = False,
) -> str:
    """The briefing of one municipality as Markdown; ``prepared_by`` names who made it,
    ``prepared_on`` when (default today). Contacts' e-mail and phone only with
    ``include_personal`` (a briefing is handed around; APPI)."""
    day = AsOf.of(as_of)
    muni = show_municipality(conn, code, as_of)
    population = f"{muni['population']:,}" if muni["population"] else "-"
    stamp = [  # one paragraph, a line each (Markdown's hard breaks)
        f"{say('briefing.as_of', lang)}: {_day(day.iso, lang)}",
        f"{say('briefing.prepared_on', lang)}: {_day((prepared_on or today()).isoformat(), lang)}",
    ]
    if prepared_by:
        stamp.append(f"{say('briefing.prepared_by', lang)}: {_cell(prepared_by)}")
    out = [
        f"# {say('briefing.title', lang)}: {muni['prefecture']}{muni['name']}（{code}）",
        "",
        "\\\n".join(stamp),
        "",
        f"## {say('briefing.municipality', lang)}",
        "",
        f"- {say('briefing.population', lang)}: {population}",
        f"- {say('briefing.it_staff', lang)}: {_cell(muni['it_staff'])}",
        f"- {say('briefing.last_engagement', lang)}: {_day(muni['last_engagement'], lang)}",
        "",
        f"## {say('briefing.contacts', lang)}",
        "",
    ]
    if muni["contacts"]:
        reach = ["briefing.col.reach"] if include_personal else []
        out += _table(
            [
                "briefing.col.name",
                "briefing.col.role",
                "briefing.col.since",
                "briefing.col.predecessor",
                *reach,
            ],
            [
                [c["name"], c["role"], _day(c["since"], lang), c["predecessor"]]
                + ([" ".join(filter(None, (c["email"], c["phone"])))] if reach else [])
                for c in muni["contacts"]
            ],
            lang,
        )
    else:
        out += [say("briefing.no_contact", lang), ""]
    if muni["past_contacts"]:
        out += [f"### {say('briefing.past_contacts', lang)}", ""]
        out += _table(
            [
                "briefing.col.name",
                "briefing.col.role",
                "briefing.col.tenure",
                "briefing.col.successor",
            ],
            [
                [
                    c["name"],
                    c["role"],
                    f"{c['since']} 〜 {c['until']}",
                    c["successor"] or say("briefing.none", lang),
                ]
                for c in muni["past_contacts"]
            ],
            lang,
        )

    open_cases = sorted(
        (
            _case(conn, c["id"], as_of, lang)
            for c in list_cases(conn, municipality=code, status="open", as_of=as_of)
        ),
        key=lambda c: c["case"],
    )
    out += [f"## {say('briefing.open_cases', lang)}（{len(open_cases)}）", ""]
    if not open_cases:
        out += [say("briefing.no_open_cases", lang), ""]
    names = expert_names(conn)
    for c in open_cases:
        out += _open_case(c, lang, day.iso, names)
    out += _promises(conn, code, as_of, lang, names, muni["name"])

    alerts = [(c["case"], s) for c in open_cases for s in c["stalls"]]
    out += [f"## {say('briefing.alerts', lang)}", ""]
    if alerts:
        for case, s in alerts:
            rule = say(f"rule.{s['rule']}", lang)
            days = say(f"count.{s['day_kind']}", lang, n=s["days"])
            since = say("briefing.alert", lang, since=_day(s["since"], lang), days=days)
            out.append(f"- **{rule}** {case}: {since}")
    else:
        out += [say("briefing.no_alerts", lang)]
    out.append("")

    closed = list_cases(conn, municipality=code, status="closed", as_of=as_of)
    out += [f"## {say('briefing.closed_cases', lang)}（{len(closed)}）", ""]
    if closed:
        out += _table(
            [
                "briefing.col.case",
                "briefing.col.topic",
                "briefing.col.opened",
                "briefing.col.summary",
            ],
            [
                [c["case"], topic_label(c["topic"], lang), c["opened_on"], c["summary"]]
                for c in closed
            ],
            lang,
        )
    awaited = [f for f in feedback_awaited(conn, as_of) if f["municipality"] == code]
    if awaited:
        out += [f"- {say('briefing.feedback_awaited', lang)}:"]
        out += [
            f"  - {f['case']}: {say('briefing.asked_on', lang, day=_day(f['requested_on'], lang))}"
            for f in awaited
        ]
        out.append("")

    history = timeline(conn, code, as_of, lang, trail=False)
    outreach = [e for e in history if e["kind"] == "outreach-recorded"]
    out += [f"## {say('briefing.outreach', lang)}", ""]
    out += [f"- {_day(e['date'], lang)} {e['text']}" for e in outreach] or [
        say("briefing.no_outreach", lang)
    ]
    out += ["", f"## {say('briefing.history', lang)}", ""]
    out += _table(
        ["briefing.col.date", "briefing.col.kind", "briefing.col.case", "briefing.col.what"],
        [[e["date"], e["kind_label"], e["case"], e["text"]] for e in history[-15:]],
        lang,
    )
    return "\n".join(out)


def _case(conn: sqlite3.Connection, case_id: str, as_of: date | None, lang: str) -> dict[str, Any]:
    found = show_case(conn, case_id, as_of, lang)
    assert found is not None  # listed as open on that day, so it existed then
    return found


def _promises(
    conn: sqlite3.Connection,
    code: str,
    as_of: date | None,
    lang: str,
    names: dict[str, str],
    municipality: str,
) -> list[str]:
    """Who owes what to whom, by when: every open commitment, soonest due first."""
    found = open_commitments(conn, as_of, municipality=code)
    out = [f"## {say('briefing.promises', lang)}（{len(found)}）", ""]
    if not found:
        return [*out, say("briefing.no_promises", lang), ""]
    desk = say("briefing.desk", lang)
    return out + _table(
        [
            "briefing.col.case",
            "briefing.col.number",
            "briefing.col.who",
            "briefing.col.to_whom",
            "briefing.col.promise",
            "briefing.col.due",
        ],
        [
            [
                r["case"],
                r["number"],
                owner_label(owner_of(r), lang, names),
                desk if r["owner_kind"] == "municipality" else municipality,
                r["text"],
                _due(r["due"], r["overdue"], lang),
            ]
            for r in found
        ],
        lang,
    )


def _due(due: str | None, overdue: bool, lang: str) -> str:
    """A due date, marked when it has passed; ``-`` when none was set."""
    if not due:
        return "-"
    late = f" **{say('briefing.overdue', lang)}**" if overdue else ""
    return _day(due, lang) + late


def _open_case(c: dict[str, Any], lang: str, today: str, names: dict[str, str]) -> list[str]:
    experts = "、".join(f"{e['id']} {e['name']}" for e in c["experts"])
    contact = c["contact"] or (
        say("briefing.contact_left", lang, name=c["original_contact"])
        if c["original_contact"]
        else "-"
    )
    channel = say(f"channel.{c['channel']}", lang)
    lines = [
        f"### {c['case']} [{topic_label(c['topic'], lang)}]",
        "",
        f"- {say('briefing.question', lang)}: {_lines(c['summary'])}",
        f"- {say('briefing.opened', lang)}: {_day(c['opened_on'], lang)}（{channel}）",
        f"- {say('briefing.contact', lang)}: {contact}",
        f"- {say('briefing.experts', lang)}: {experts or say('briefing.no_experts', lang)}",
    ]
    if c["application_pending_since"]:
        lines.append(
            f"- {say('briefing.pending', lang)}: {_day(c['application_pending_since'], lang)}"
        )
    if c["latest_report"]:
        lines.append(f"- {say('briefing.report', lang)}: {_lines(c['latest_report'])}")
    promised = [p for p in c["commitments"] if p["state"] == "open"]
    if promised:
        lines.append(f"- {say('briefing.next_steps', lang)}:")
        for p in promised:
            owner = say("describe.owner", lang, owner=owner_label(owner_of(p), lang, names))
            due = f" / {_due(p['due'], p['overdue'], lang)}" if p["due"] else ""
            text = numbered(p["number"], _lines(p["text"], "    "), lang)
            lines.append(f"  - {text}（{owner}{due}）")
    follow_up = say("briefing.follow_up", lang)
    if c["follow_ups"]:
        lines.append(f"- {follow_up}:")
        for f in c["follow_ups"]:
            late = f["due"] < today
            state = say("briefing.overdue" if late else "briefing.planned", lang)
            note = f"（{_lines(f['note'], '    ')}）" if f["note"] else ""
            planned = numbered(f["number"], _day(f["due"], lang), lang)
            lines.append(f"  - {planned} **{state}**{note}")
    else:
        lines.append(f"- {follow_up}: {say('briefing.no_follow_up', lang)}")
    lines.append(f"- {say('briefing.last_activity', lang)}: {_day(c['last_activity_on'], lang)}")
    return [*lines, ""]


#: Printing on A4: the page, its margins and a footer with the page number (Chromium and
#: other browsers print CSS page-margin boxes); headings kept with what follows them.
PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #555; } }
body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif;
       margin: 2em auto; max-width: 60em; line-height: 1.6; color: #222; }
table { border-collapse: collapse; margin: .5em 0 1em; width: 100%; }
th, td { border: 1px solid #bbb; padding: .25em .5em; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #eef2f6; }
thead { display: table-header-group; }
tr, li { break-inside: avoid; }
h1 { border-bottom: 3px solid #35618f; } h2 { border-left: 6px solid #35618f; padding-left: .4em; }
h1, h2, h3 { break-after: avoid; }
.token { white-space: nowrap; overflow-wrap: normal; }
@media print { body { margin: 0; max-width: none; font-size: 10.5pt; } }
"""
#: What must never break across lines: dates (2025-04-01), case numbers (2025-001), era
#: dates (令和7年4月1日), municipality codes.
TOKEN = re.compile(
    r"\d{4}-\d{2}-\d{2}|\d{4}-\d{3,}|(?:令和|平成)(?:\d+|元)年\d+月\d+日|\d+年\d+月\d+日|\b\d{6}\b"
)


def _keep_tokens(body: str) -> str:
    """Wrap every unbreakable token of the rendered text (never inside a tag) in a span."""
    parts = re.split(r"(<[^>]*>)", body)
    return "".join(
        part if part.startswith("<") else TOKEN.sub(r'<span class="token">\g<0></span>', part)
        for part in parts
    )


def briefing_html(
    conn: sqlite3.Connection,
    code: str,
    as_of: date | None = None,
    lang: str = "ja",
    prepared_by: str | None = None,
    prepared_on: date | None = None,
    include_personal: bool = False,
) -> str:
    """The briefing as a standalone HTML page for the screen and A4 paper (the Markdown,
    rendered; text a person typed is shown as text, never as HTML)."""
    markdown = briefing_markdown(
        conn, code, as_of, lang, prepared_by, prepared_on, include_personal
    )
    rendered = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    body = _keep_tokens(rendered.replace("&lt;br&gt;", "<br>"))
    title = html.escape(markdown.splitlines()[0].lstrip("# "))
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>{PRINT_CSS}</style></head>
<body>
{body}</body></html>
"""
