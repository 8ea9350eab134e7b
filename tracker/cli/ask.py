"""Questions: every answer comes from the read models, brought up to date first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from projections.queries.cases import STATUS_FILTERS, list_cases, show_case
from projections.queries.experts import list_experts, show_expert
from projections.queries.municipalities import list_municipalities, show_municipality
from projections.queries.search import search as search_query
from projections.queries.silent import silent as silent_query
from projections.queries.stalled import stalled as stalled_query
from projections.queries.stats import stats as stats_query
from projections.queries.timeline import timeline as timeline_query
from tracker.cli.common import (
    as_of_option,
    case_id,
    common,
    desk,
    emit,
    expert_id,
    lang,
    muni_code,
    output_path,
    t_,
    table,
)
from tracker.cli.record import case, expert, muni
from tracker.domain.errors import InvalidInputError
from tracker.domain.topics import topic_label
from tracker.language.words import label


def _history(entries: list[dict[str, Any]]) -> None:
    table(
        [
            t_("日付", "Date"),
            t_("種別", "Kind"),
            t_("案件", "Case"),
            t_("内容", "What"),
            t_("記録者", "By"),
        ],
        [(e["date"], e["kind_label"], e["case"], e["text"], e["recorded_by"]) for e in entries],
    )


@muni.command("list")
@click.option("--prefecture", help="都道府県で絞り込み / filter by prefecture")
@as_of_option
@common
def muni_list(prefecture: str | None, as_of) -> None:
    """市町村の一覧 / municipalities."""
    rows = list_municipalities(desk().views.conn, as_of, prefecture)
    emit(
        rows,
        lambda rs: table(
            [
                t_("コード", "Code"),
                t_("名称", "Name"),
                t_("よみ", "Kana"),
                t_("人口", "Population"),
                t_("情報職員", "IT staff"),
                t_("対応中", "Open"),
                t_("最終関与", "Last engaged"),
                t_("担当者", "Contacts"),
            ],
            [
                (
                    r["code"],
                    r["name"],
                    r["name_kana"],
                    f"{r['population']:,}" if r["population"] else "",
                    r["it_staff"],
                    r["open_cases"],
                    r["last_engagement"],
                    "、".join(c["name"] for c in r["contacts"]),
                )
                for r in rs
            ],
        ),
    )


@muni.command("show")
@click.argument("muni_ref", metavar="MUNI")
@as_of_option
@common
def muni_show(muni_ref: str, as_of) -> None:
    """一つの市町村 / one municipality whole."""
    data = show_municipality(desk().views.conn, muni_code(muni_ref), as_of)

    def human(m: dict[str, Any]) -> None:
        click.echo(f"{m['code']} {m['prefecture']}{m['name']}（{m['name_kana']}）")
        pop = f"{m['population']:,}" if m["population"] else "-"
        click.echo(
            t_(
                f"人口 {pop} / 情報担当職員 {m['it_staff'] if m['it_staff'] is not None else '-'}"
                f" / 最終関与 {m['last_engagement'] or '-'}",
                f"population {pop} / IT staff {m['it_staff']} / last engaged {m['last_engagement']}",
            )
        )
        table(
            [
                t_("担当者", "Contact"),
                t_("役職", "Role"),
                t_("着任", "Since"),
                t_("前任", "Predecessor"),
            ],
            [(c["name"], c["role"], c["since"], c["predecessor"]) for c in m["contacts"]],
            title=t_("現在の担当者", "Current contacts"),
        )
        if m["past_contacts"]:
            table(
                [
                    t_("担当者", "Contact"),
                    t_("役職", "Role"),
                    t_("期間", "Tenure"),
                    t_("後任", "Successor"),
                ],
                [
                    (
                        c["name"],
                        c["role"],
                        f"{c['since']}〜{c['until']}",
                        c["successor"] or t_("なし", "none"),
                    )
                    for c in m["past_contacts"]
                ],
                title=t_("過去の担当者", "Past contacts"),
            )
        table(
            [
                t_("案件", "Case"),
                t_("状態", "Status"),
                t_("分野", "Topic"),
                t_("受付", "Opened"),
                t_("相談内容", "Summary"),
            ],
            [
                (
                    c["case"],
                    label(c["status"], lang()),
                    topic_label(c["topic"], lang()),
                    c["opened_on"],
                    c["summary"],
                )
                for c in m["cases"]
            ],
            title=t_("案件", "Cases"),
        )

    emit(data, human)


@expert.command("list")
@as_of_option
@common
def expert_list(as_of) -> None:
    """専門人材の一覧 / experts."""
    rows = list_experts(desk().views.conn, as_of)
    emit(
        rows,
        lambda rs: table(
            [
                t_("ID", "ID"),
                t_("氏名", "Name"),
                t_("専門分野", "Specialties"),
                t_("対応中", "Open"),
                t_("今年度の支援", "Visits this FY"),
                t_("状態", "Status"),
            ],
            [
                (
                    r["expert"],
                    r["name"],
                    "、".join(topic_label(s, lang()) for s in r["specialties"]),
                    r["open_cases"],
                    r["visits_this_year"],
                    t_("登録終了", "retired") if r["retired"] else "",
                )
                for r in rs
            ],
        ),
    )


@expert.command("show")
@click.argument("expert_ref", metavar="EXPERT")
@as_of_option
@common
def expert_show(expert_ref: str, as_of) -> None:
    """一人の専門人材 / one expert and their history."""
    data = show_expert(desk().views.conn, expert_id(expert_ref), as_of, lang())

    def human(e: dict[str, Any]) -> None:
        click.echo(
            f"{e['expert']} {e['name']}  "
            + "、".join(topic_label(s, lang()) for s in e["specialties"])
        )
        if e["background"]:
            click.echo(e["background"])
        _history(e["history"])

    emit(data, human)


@case.command("list")
@click.option("--muni", "muni_ref", metavar="MUNI")
@click.option("--status", type=click.Choice(STATUS_FILTERS), default="open", show_default=True)
@as_of_option
@common
def case_list(muni_ref: str | None, status: str, as_of) -> None:
    """案件の一覧 / cases."""
    code = muni_code(muni_ref) if muni_ref else None
    rows = list_cases(desk().views.conn, municipality=code, status=status, as_of=as_of)
    emit(
        rows,
        lambda rs: table(
            [
                t_("案件", "Case"),
                t_("市町村", "Municipality"),
                t_("分野", "Topic"),
                t_("状態", "Status"),
                t_("受付", "Opened"),
                t_("次回フォロー", "Next follow-up"),
                t_("相談内容", "Summary"),
            ],
            [
                (
                    r["case"],
                    r["municipality_name"],
                    r["topic"],
                    label(r["status"], lang()),
                    r["opened_on"],
                    r["next_follow_up"],
                    r["summary"],
                )
                for r in rs
            ],
        ),
    )


@case.command("show")
@click.argument("case_ref", metavar="CASE")
@as_of_option
@common
def case_show(case_ref: str, as_of) -> None:
    """一つの案件 / one case whole."""
    data = show_case(desk().views.conn, case_id(case_ref), as_of, lang())
    if data is None:
        raise InvalidInputError(field="as_of", reason="unknown", value=str(as_of))

    def human(c: dict[str, Any]) -> None:
        click.echo(
            f"{c['case']}  {c['municipality_name']}  [{topic_label(c['topic'], lang())}]  "
            f"{label(c['status'], lang())}"
        )
        click.echo(c["summary"])
        experts = "、".join(f"{e['id']} {e['name']}" for e in c["experts"]) or "-"
        click.echo(
            t_(
                f"担当者: {c['contact'] or '-'} / 専門人材: {experts} / 次回フォロー: {c['next_follow_up'] or '-'}",
                f"contact: {c['contact']} / experts: {experts} / next follow-up: {c['next_follow_up']}",
            )
        )
        for s in c["stalls"]:
            click.echo(
                f"⚠ {label(s['rule'], lang())} ({s['since']}, {s['days']}{t_('日', ' days')})"
            )
        _history(c["history"])

    emit(data, human)


@click.command("stalled")
@as_of_option
@common
def stalled(as_of) -> None:
    """停滞している案件 / cases that are stalling."""
    rows = stalled_query(desk().views.conn, as_of)
    emit(
        rows,
        lambda rs: table(
            [
                t_("ルール", "Rule"),
                t_("案件", "Case"),
                t_("市町村", "Municipality"),
                t_("起点", "Since"),
                t_("日数", "Days"),
                t_("相談内容", "Summary"),
            ],
            [
                (
                    label(r["rule"], lang()),
                    r["case"],
                    r["municipality_name"],
                    r["since"],
                    r["days"],
                    r["summary"],
                )
                for r in rs
            ],
            title=t_(f"停滞案件 {len(rs)} 件", f"{len(rs)} stalling"),
        ),
    )


@click.command("silent")
@as_of_option
@click.option("--months", type=click.IntRange(min=1), default=12, show_default=True)
@common
def silent(as_of, months: int) -> None:
    """最近関与のない市町村 / municipalities not engaged lately, neediest first."""
    rows = silent_query(desk().views.conn, as_of, months)
    emit(
        rows,
        lambda rs: table(
            [
                t_("コード", "Code"),
                t_("名称", "Name"),
                t_("情報職員", "IT staff"),
                t_("人口", "Population"),
                t_("最終関与", "Last engaged"),
            ],
            [
                (
                    r["municipality"],
                    r["name"],
                    r["it_staff"],
                    f"{r['population']:,}" if r["population"] else "",
                    r["last_engagement"] or t_("なし", "never"),
                )
                for r in rs
            ],
            title=t_(
                f"{months}か月以上関与のない市町村 {len(rs)}",
                f"{len(rs)} silent for {months} months",
            ),
        ),
    )


@click.command("timeline")
@click.argument("muni_ref", metavar="MUNI")
@as_of_option
@common
def timeline(muni_ref: str, as_of) -> None:
    """市町村の経過 / everything that happened with a municipality."""
    rows = timeline_query(desk().views.conn, muni_code(muni_ref), as_of, lang())
    emit(rows, _history)


@click.command("briefing")
@click.argument("muni_ref", metavar="MUNI")
@as_of_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "html"]),
    default="markdown",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@common
def briefing(muni_ref: str, as_of, fmt: str, output: Path | None) -> None:
    """引継ぎ資料 / the handover briefing."""
    from projections.briefing import briefing_html, briefing_markdown  # only here: Markdown

    render = briefing_html if fmt == "html" else briefing_markdown
    text = render(desk().views.conn, muni_code(muni_ref), as_of, lang())
    if output is None:
        click.echo(text)
        return
    output_path(output).write_text(text, encoding="utf-8")
    click.echo(t_(f"{output} に書き出しました", f"Wrote {output}"), err=True)


@click.command("stats")
@click.option("--fiscal-year", "year", type=int, help="年度 (2025 = 令和7年度)")
@as_of_option
@common
def stats(year: int | None, as_of) -> None:
    """年度の実績 / the fiscal year's figures."""
    data = stats_query(desk().views.conn, year, as_of)

    def human(s: dict[str, Any]) -> None:
        keys = [
            ("consultations", "相談受付", "Consultations"),
            ("applications", "派遣申請", "Applications"),
            ("dispatches", "派遣決定", "Dispatches"),
            ("visits", "支援実施", "Visits"),
            ("follow_ups_done", "フォローアップ実施", "Follow-ups done"),
            ("median_days_to_decision", "決定までの日数（中央値）", "Median days to decision"),
            ("decisions_within_7_days", "7日以内の決定", "Decisions within 7 days"),
            ("municipalities_engaged", "関与した市町村", "Municipalities engaged"),
            ("municipalities_total", "登録市町村", "Municipalities registered"),
            ("continuity_rate", "継続支援率", "Continuity rate"),
            ("outreach", "アウトリーチ", "Outreach"),
        ]
        year_ = s["fiscal_year"]
        table(
            [t_("項目", "Figure"), t_("値", "Value")],
            [(t_(ja, en), "-" if s[k] is None else s[k]) for k, ja, en in keys]
            + [
                (
                    t_("評価（件数・平均）", "Feedback (count, mean)"),
                    f"{s['feedback']['count']} / {s['feedback']['mean_rating'] or '-'}",
                )
            ],
            title=t_(f"{year_}年度（令和{year_ - 2018}年度）", f"Fiscal year {year_}"),
        )
        table(
            [
                t_("月", "Month"),
                t_("相談", "Consult."),
                t_("派遣決定", "Dispatches"),
                t_("支援", "Visits"),
                t_("フォロー", "Follow-ups"),
            ],
            [
                (m["month"], m["consultations"], m["dispatches"], m["visits"], m["follow_ups_done"])
                for m in s["by_month"]
            ],
        )
        table(
            [t_("分野", "Topic"), t_("相談", "Consultations")],
            [(topic_label(r["topic"], lang()), r["consultations"]) for r in s["by_topic"]],
        )

    emit(data, human)


@click.command("search")
@click.argument("text")
@as_of_option
@common
def search(text: str, as_of) -> None:
    """全文検索 / search summaries, reports and notes."""
    rows = search_query(desk().views.conn, text, as_of, lang())
    emit(
        rows,
        lambda rs: table(
            [
                t_("日付", "Date"),
                t_("種別", "Kind"),
                t_("案件", "Case"),
                t_("市町村", "Municipality"),
                t_("本文", "Text"),
            ],
            [
                (r["date"], r["kind_label"], r["case"], r["municipality_name"], r["text"])
                for r in rs
            ],
            title=t_(f"「{text}」 {len(rs)} 件", f"'{text}': {len(rs)}"),
        ),
    )
