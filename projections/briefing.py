"""引継ぎ資料: the handover briefing a leaving contact and the successor read together.

Written for someone who has never seen the cases: who is who, what is open and promised,
what is late, what was done before. Markdown, or HTML rendered from the same Markdown.
"""

from __future__ import annotations

import html
import sqlite3
from datetime import date
from typing import Any

from markdown_it import MarkdownIt

from projections.queries.cases import list_cases, show_case
from projections.queries.common import AsOf
from projections.queries.municipalities import show_municipality
from projections.queries.timeline import timeline
from tracker.domain.fiscal import reiwa
from tracker.domain.topics import topic_label
from tracker.language.words import label


def _day(value: str | None, lang: str) -> str:
    """A date as 2025-04-01（令和7年4月1日） in Japanese, plain ISO in English."""
    if not value:
        return "-"
    return f"{value}（{reiwa(date.fromisoformat(value))}）" if lang == "ja" else value


def _cell(value: Any) -> str:
    return "-" if value in (None, "") else str(value).replace("|", "｜").replace("\n", " ")


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return [*lines, ""]


def briefing_markdown(
    conn: sqlite3.Connection, code: str, as_of: date | None = None, lang: str = "ja"
) -> str:
    """The briefing of one municipality as Markdown."""
    ja = lang == "ja"

    def tr(j: str, e: str) -> str:
        return j if ja else e

    day = AsOf.of(as_of)
    muni = show_municipality(conn, code, as_of)
    out = [
        f"# {tr('引継ぎ資料', 'Handover briefing')}: {muni['prefecture']}{muni['name']}（{code}）",
        "",
        f"{tr('基準日', 'As of')}: {_day(day.iso, lang)}",
        "",
        f"## {tr('団体の概要', 'The municipality')}",
        "",
        f"- {tr('人口', 'Population')}: {muni['population']:,}"
        if muni["population"]
        else f"- {tr('人口', 'Population')}: -",
        f"- {tr('情報担当職員数', 'IT staff')}: {_cell(muni['it_staff'])}",
        f"- {tr('最後に関わった日', 'Last engagement')}: {_day(muni['last_engagement'], lang)}",
        "",
        f"## {tr('担当者', 'Contacts')}",
        "",
    ]
    if muni["contacts"]:
        out += _table(
            [
                tr("氏名", "Name"),
                tr("役職", "Role"),
                tr("着任", "Since"),
                tr("前任", "Predecessor"),
                tr("連絡先", "Contact details"),
            ],
            [
                [
                    c["name"],
                    c["role"],
                    _day(c["since"], lang),
                    c["predecessor"],
                    " ".join(filter(None, (c["email"], c["phone"]))),
                ]
                for c in muni["contacts"]
            ],
        )
    else:
        out += [tr("現在の担当者は登録されていません。", "No current contact is recorded."), ""]
    if muni["past_contacts"]:
        out += [f"### {tr('担当者の履歴', 'Who held which role before')}", ""]
        out += _table(
            [tr("氏名", "Name"), tr("役職", "Role"), tr("期間", "Tenure"), tr("後任", "Successor")],
            [
                [
                    c["name"],
                    c["role"],
                    f"{c['since']} 〜 {c['until']}",
                    c["successor"] or tr("なし", "none"),
                ]
                for c in muni["past_contacts"]
            ],
        )

    open_cases = sorted(
        (
            _case(conn, c["id"], as_of, lang)
            for c in list_cases(conn, municipality=code, status="open", as_of=as_of)
        ),
        key=lambda c: c["case"],
    )
    out += [f"## {tr('対応中の案件', 'Open cases')}（{len(open_cases)}）", ""]
    if not open_cases:
        out += [tr("対応中の案件はありません。", "No open cases."), ""]
    for c in open_cases:
        out += _open_case(c, lang, day.iso)

    alerts = [(c["case"], s) for c in open_cases for s in c["stalls"]]
    out += [f"## {tr('注意が必要な点（停滞ルール）', 'What the stall rules say')}", ""]
    if alerts:
        out += [
            f"- **{label(s['rule'], lang)}** {case}: {tr('起点', 'since')} {_day(s['since'], lang)}"
            f"（{s['days']}{tr('日', ' days')}）"
            for case, s in alerts
        ]
    else:
        out += [tr("停滞している案件はありません。", "No case is stalling.")]
    out.append("")

    closed = list_cases(conn, municipality=code, status="closed", as_of=as_of)
    out += [f"## {tr('終了した案件', 'Closed cases')}（{len(closed)}）", ""]
    if closed:
        out += _table(
            [
                tr("案件", "Case"),
                tr("分野", "Topic"),
                tr("受付", "Opened"),
                tr("相談内容", "Summary"),
            ],
            [
                [c["case"], topic_label(c["topic"], lang), c["opened_on"], c["summary"]]
                for c in closed
            ],
        )

    history = timeline(conn, code, as_of, lang)
    outreach = [e for e in history if e["kind"] == "outreach-recorded"]
    out += [f"## {tr('アウトリーチ（デジタルカフェ・ヒアリング等）', 'Outreach')}", ""]
    out += [f"- {_day(e['date'], lang)} {e['text']}" for e in outreach] or [tr("記録なし", "None")]
    out += ["", f"## {tr('最近の経過', 'Recent history')}", ""]
    out += _table(
        [tr("日付", "Date"), tr("種別", "Kind"), tr("案件", "Case"), tr("内容", "What")],
        [[e["date"], e["kind_label"], e["case"], e["text"]] for e in history[-15:]],
    )
    return "\n".join(out)


def _case(conn: sqlite3.Connection, case_id: str, as_of: date | None, lang: str) -> dict[str, Any]:
    found = show_case(conn, case_id, as_of, lang)
    assert found is not None  # listed as open on that day, so it existed then
    return found


def _open_case(c: dict[str, Any], lang: str, today: str) -> list[str]:
    ja = lang == "ja"

    def tr(j: str, e: str) -> str:
        return j if ja else e

    experts = "、".join(f"{e['id']} {e['name']}" for e in c["experts"]) or tr("未決定", "none yet")
    contact = c["contact"] or (
        tr(
            f"{c['original_contact']}（異動・後任なし）",
            f"{c['original_contact']} (left, no successor)",
        )
        if c["original_contact"]
        else "-"
    )
    lines = [
        f"### {c['case']} [{topic_label(c['topic'], lang)}]",
        "",
        f"- {tr('相談内容', 'Question')}: {c['summary']}",
        f"- {tr('受付日', 'Opened')}: {_day(c['opened_on'], lang)}（{label(c['channel'], lang)}）",
        f"- {tr('市町村の担当者', 'Municipal contact')}: {contact}",
        f"- {tr('専門人材', 'Experts')}: {experts}",
    ]
    if c["application_pending_since"]:
        lines.append(
            f"- {tr('派遣申請（決定待ち）', 'Application awaiting decision')}: "
            f"{_day(c['application_pending_since'], lang)}"
        )
    if c["latest_report"]:
        lines.append(f"- {tr('直近の支援報告', 'Latest report')}: {c['latest_report']}")
    if c["next_steps"]:
        lines.append(
            f"- {tr('約束した次のステップ（未フォロー）', 'Next steps promised, not yet followed up')}:"
        )
        lines += [f"  - {step}" for step in c["next_steps"]]
    if c["next_follow_up"]:
        late = c["next_follow_up"] < today
        state = tr("期限超過", "OVERDUE") if late else tr("予定", "planned")
        note = f"（{c['follow_up_note']}）" if c["follow_up_note"] else ""
        lines.append(
            f"- {tr('フォローアップ', 'Follow-up')}: {_day(c['next_follow_up'], lang)} "
            f"**{state}**{note}"
        )
    else:
        lines.append(f"- {tr('フォローアップ', 'Follow-up')}: {tr('予定なし', 'none planned')}")
    lines.append(f"- {tr('最終活動日', 'Last activity')}: {_day(c['last_activity_on'], lang)}")
    return [*lines, ""]


def briefing_html(
    conn: sqlite3.Connection, code: str, as_of: date | None = None, lang: str = "ja"
) -> str:
    """The briefing as a standalone HTML page (the Markdown, rendered)."""
    markdown = briefing_markdown(conn, code, as_of, lang)
    body = MarkdownIt("commonmark").enable("table").render(markdown)
    title = html.escape(markdown.splitlines()[0].lstrip("# "))
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif; margin: 2em auto;
       max-width: 60em; line-height: 1.6; color: #222; }}
table {{ border-collapse: collapse; margin: .5em 0 1em; }}
th, td {{ border: 1px solid #bbb; padding: .25em .6em; text-align: left; vertical-align: top; }}
th {{ background: #eef2f6; }}
h1 {{ border-bottom: 3px solid #35618f; }} h2 {{ border-left: 6px solid #35618f; padding-left: .4em; }}
@media print {{ body {{ margin: 0; }} }}
</style></head>
<body>
{body}</body></html>
"""
