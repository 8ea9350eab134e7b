"""Questions: every answer comes from the read models, brought up to date first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from projections.describe import numbered, owner_label
from projections.queries.cases import STATUS_FILTERS, list_cases, show_case
from projections.queries.commitments import owner_of
from projections.queries.experts import list_experts, show_expert
from projections.queries.municipalities import list_municipalities, show_municipality
from projections.queries.search import search as search_query
from projections.queries.silent import silent as silent_query
from projections.queries.stalled import stalled as stalled_query
from projections.queries.stats import FIGURES
from projections.queries.stats import stats as stats_query
from projections.queries.timeline import shown
from projections.queries.timeline import timeline as timeline_query
from projections.queries.topics import list_topics
from tracker.cli.common import (
    FISCAL_YEAR,
    FISCAL_YEAR_HELP,
    as_of_option,
    as_recorded_option,
    asked,
    case_id,
    common,
    desk,
    emit,
    expert_id,
    include_personal_option,
    lang,
    muni_code,
    settings,
    table,
    write_output,
)
from tracker.cli.record import case, expert, muni, topic
from tracker.domain.dates import era_fiscal_year
from tracker.domain.errors import InvalidInputError
from tracker.domain.topics import topic_label
from tracker.language import say


def _history(entries: list[dict[str, Any]]) -> None:
    """A history as a table; No. is each entry's number, which `case correct` and
    `case withdraw` (a municipality's own: `muni correct`, `muni withdraw`) take."""
    table(
        [
            "cli.col.entry",
            "cli.col.date",
            "cli.col.kind",
            "cli.col.case",
            "cli.col.what",
            "cli.col.by",
        ],
        [
            (
                e["entry"],
                e["date"],
                e["kind_label"],
                e["case"],
                shown(e, lang()),
                e["recorded_by"],
            )
            for e in entries
        ],
    )


@muni.command("list")
@click.option("--prefecture", help="都道府県で絞り込み / filter by prefecture")
@as_of_option
@as_recorded_option
@common
def muni_list(prefecture: str | None, as_of, as_recorded) -> None:
    """市町村の一覧 / municipalities."""
    conn, as_of = asked(as_of, as_recorded)
    rows = list_municipalities(conn, as_of, prefecture)
    emit(
        rows,
        lambda rs: table(
            [
                "cli.col.code",
                "cli.col.name",
                "cli.col.kana",
                "cli.col.population",
                "cli.col.it_staff",
                "cli.col.open",
                "cli.col.last_engaged",
                "cli.col.contacts",
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
@as_recorded_option
@common
def muni_show(muni_ref: str, as_of, as_recorded) -> None:
    """一つの市町村 / one municipality whole."""
    conn, as_of = asked(as_of, as_recorded)
    data = show_municipality(conn, muni_code(muni_ref), as_of)

    def human(m: dict[str, Any]) -> None:
        click.echo(f"{m['code']} {m['prefecture']}{m['name']}（{m['name_kana']}）")
        pop = f"{m['population']:,}" if m["population"] else "-"
        click.echo(
            say(
                "cli.muni.profile",
                lang(),
                population=pop,
                it_staff="-" if m["it_staff"] is None else m["it_staff"],
                last=m["last_engagement"] or "-",
            )
        )
        table(
            [
                "cli.col.contact",
                "cli.col.role",
                "cli.col.start",
                "cli.col.predecessor",
            ],
            [(c["name"], c["role"], c["since"], c["predecessor"]) for c in m["contacts"]],
            title=say("cli.muni.current_contacts", lang()),
        )
        if m["past_contacts"]:
            table(
                [
                    "cli.col.contact",
                    "cli.col.role",
                    "cli.col.tenure",
                    "cli.col.successor",
                ],
                [
                    (
                        c["name"],
                        c["role"],
                        f"{c['since']}〜{c['until']}",
                        c["successor"] or say("cli.none", lang()),
                    )
                    for c in m["past_contacts"]
                ],
                title=say("cli.muni.past_contacts", lang()),
            )
        table(
            [
                "cli.col.case",
                "cli.col.status",
                "cli.col.topic",
                "cli.col.opened",
                "cli.col.summary",
            ],
            [
                (
                    c["case"],
                    say(f"status.{c['status']}", lang()),
                    topic_label(c["topic"], lang()),
                    c["opened_on"],
                    c["summary"],
                )
                for c in m["cases"]
            ],
            title=say("cli.muni.cases", lang()),
        )

    emit(data, human)


@expert.command("list")
@as_of_option
@as_recorded_option
@common
def expert_list(as_of, as_recorded) -> None:
    """専門人材の一覧 / experts."""
    conn, as_of = asked(as_of, as_recorded)
    rows = list_experts(conn, as_of)
    emit(
        rows,
        lambda rs: table(
            [
                "cli.col.id",
                "cli.col.person",
                "cli.col.specialties",
                "cli.col.open",
                "cli.col.visits_this_year",
                "cli.col.status",
            ],
            [
                (
                    r["expert"],
                    r["name"],
                    "、".join(topic_label(s, lang()) for s in r["specialties"]),
                    r["open_cases"],
                    r["visits_this_year"],
                    say("cli.expert.state_retired", lang()) if r["retired"] else "",
                )
                for r in rs
            ],
        ),
    )


@expert.command("show")
@click.argument("expert_ref", metavar="EXPERT")
@as_of_option
@as_recorded_option
@common
def expert_show(expert_ref: str, as_of, as_recorded) -> None:
    """一人の専門人材 / one expert and their history."""
    conn, as_of = asked(as_of, as_recorded)
    data = show_expert(conn, expert_id(expert_ref), as_of, lang())

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
@as_recorded_option
@common
def case_list(muni_ref: str | None, status: str, as_of, as_recorded) -> None:
    """案件の一覧 / cases."""
    conn, as_of = asked(as_of, as_recorded)
    code = muni_code(muni_ref) if muni_ref else None
    rows = list_cases(conn, municipality=code, status=status, as_of=as_of)
    emit(
        rows,
        lambda rs: table(
            [
                "cli.col.case",
                "cli.col.municipality",
                "cli.col.topic",
                "cli.col.status",
                "cli.col.opened",
                "cli.col.next_follow_up",
                "cli.col.summary",
            ],
            [
                (
                    r["case"],
                    r["municipality_name"],
                    r["topic"],
                    say(f"status.{r['status']}", lang()),
                    r["opened_on"],
                    r["next_follow_up"],
                    r["summary"],
                )
                for r in rs
            ],
        ),
    )


def _commitments(promised: list[dict[str, Any]]) -> None:
    names = {p["expert"]: p["expert_name"] for p in promised if p["expert_name"]}
    table(
        [
            "cli.col.number",
            "cli.col.owner",
            "cli.col.promise",
            "cli.col.due",
            "cli.col.state",
            "cli.col.note",
        ],
        [
            (
                p["number"],
                owner_label(owner_of(p), lang(), names),
                p["text"],
                p["due"] or "-",
                say(
                    "rule.commitment-overdue" if p["overdue"] else f"commitment.{p['state']}",
                    lang(),
                )
                + (f" {p['settled_on']}" if p["settled_on"] else ""),
                p["note"],
            )
            for p in promised
        ],
        title=say("cli.case.commitments", lang()),
    )


@case.command("show")
@click.argument("case_ref", metavar="CASE")
@as_of_option
@as_recorded_option
@common
def case_show(case_ref: str, as_of, as_recorded) -> None:
    """一つの案件 / one case whole."""
    conn, as_of = asked(as_of, as_recorded)
    data = show_case(conn, case_id(case_ref), as_of, lang())
    if data is None:  # not opened (or not recorded) by the day asked about
        field = "as_of" if as_recorded is None else "as_recorded"
        raise InvalidInputError(field=field, reason="unknown", value=str(as_of))

    def human(c: dict[str, Any]) -> None:
        status = say(f"status.{c['status']}", lang())
        click.echo(
            f"{c['case']}  {c['municipality_name']}  [{topic_label(c['topic'], lang())}]  {status}"
        )
        click.echo(c["summary"])
        experts = "、".join(f"{e['id']} {e['name']}" for e in c["experts"]) or "-"
        click.echo(
            say(
                "cli.case.facts",
                lang(),
                contact=c["contact"] or "-",
                experts=experts,
                next_follow_up=c["next_follow_up"] or "-",
            )
        )
        for s in c["stalls"]:
            rule = say(f"rule.{s['rule']}", lang())
            days = say(f"count.{s['day_kind']}", lang(), n=s["days"])
            click.echo(say("cli.case.stall", lang(), rule=rule, since=s["since"], days=days))
        if c["withdrawal"]:
            click.echo(say("cli.case.withdrawn_note", lang(), **c["withdrawal"]))
        for f in c["follow_ups"]:
            planned = numbered(f["number"], f"{f['due']} {f['note'] or ''}".rstrip(), lang())
            click.echo(say("cli.case.follow_up_planned", lang(), follow_up=planned))
        if c["feedback_requested_on"]:
            click.echo(say("cli.case.feedback_asked", lang(), on=c["feedback_requested_on"]))
        if c["commitments"]:
            _commitments(c["commitments"])
        _history(c["history"])

    emit(data, human)


@topic.command("list")
@common
def topic_list() -> None:
    """分野の一覧 / the topics a consultation can be filed under."""
    rows = list_topics(desk().views.conn)
    emit(
        rows,
        lambda rs: table(
            ["cli.col.code", "cli.col.name", "cli.col.name_en", "cli.col.registered"],
            [
                (
                    r["code"],
                    r["name"],
                    r["name_en"],
                    r["registered_on"] or say("cli.topic.builtin", lang()),
                )
                for r in rs
            ],
        ),
    )


@click.command("stalled")
@as_of_option
@as_recorded_option
@common
def stalled(as_of, as_recorded) -> None:
    """停滞している案件 / cases that are stalling."""
    conn, as_of = asked(as_of, as_recorded)
    rows = stalled_query(conn, as_of)
    emit(
        rows,
        lambda rs: table(
            [
                "cli.col.rule",
                "cli.col.case",
                "cli.col.municipality",
                "cli.col.since",
                "cli.col.days",
                "cli.col.summary",
            ],
            [
                (
                    say(f"rule.{r['rule']}", lang()),
                    r["case"],
                    r["municipality_name"],
                    r["since"],
                    say(f"count.{r['day_kind']}", lang(), n=r["days"]),
                    r["summary"],
                )
                for r in rs
            ],
            title=say("cli.stalled.title", lang(), n=len(rs)),
        ),
    )


@click.command("silent")
@as_of_option
@as_recorded_option
@click.option("--months", type=click.IntRange(1, 1200), default=12, show_default=True)
@common
def silent(as_of, as_recorded, months: int) -> None:
    """最近関与のない市町村 / municipalities not engaged lately, neediest first."""
    conn, as_of = asked(as_of, as_recorded)
    rows = silent_query(conn, as_of, months)
    emit(
        rows,
        lambda rs: table(
            [
                "cli.col.code",
                "cli.col.name",
                "cli.col.it_staff",
                "cli.col.population",
                "cli.col.last_engaged",
            ],
            [
                (
                    r["municipality"],
                    r["name"],
                    r["it_staff"],
                    f"{r['population']:,}" if r["population"] else "",
                    r["last_engagement"] or say("cli.never", lang()),
                )
                for r in rs
            ],
            title=say("cli.silent.title", lang(), months=months, n=len(rs)),
        ),
    )


@click.command("timeline")
@click.argument("muni_ref", metavar="MUNI")
@as_of_option
@as_recorded_option
@common
def timeline(muni_ref: str, as_of, as_recorded) -> None:
    """市町村の経過 / everything that happened with a municipality."""
    conn, as_of = asked(as_of, as_recorded)
    rows = timeline_query(conn, muni_code(muni_ref), as_of, lang())
    emit(rows, _history)


@click.command("briefing")
@click.argument("muni_ref", metavar="MUNI")
@as_of_option
@as_recorded_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "md", "html"]),
    default="markdown",
    show_default=True,
    help="markdown（md）または印刷用の html（A4）/ Markdown, or HTML to print on A4",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@include_personal_option
@common
def briefing(
    muni_ref: str, as_of, as_recorded, fmt: str, output: Path | None, include_personal: bool
) -> None:
    """引継ぎ資料 / the handover briefing (contacts' e-mail and phone: --include-personal)."""
    conn, as_of = asked(as_of, as_recorded)
    from projections.briefing import briefing_html, briefing_markdown  # only here: Markdown

    render = briefing_html if fmt == "html" else briefing_markdown
    text = render(
        conn,
        muni_code(muni_ref),
        as_of,
        lang(),
        settings().user,
        include_personal=include_personal,
    )
    if output is None:
        click.echo(text)
        return
    write_output(output, lambda f: f.write(text.encode("utf-8")))  # owner only, whole
    click.echo(say("cli.briefing.written", lang(), file=output), err=True)


@click.command("stats")
@click.option(
    "--fiscal-year", "year", type=FISCAL_YEAR, help=f"年度 / fiscal year {FISCAL_YEAR_HELP}"
)
@as_of_option
@as_recorded_option
@common
def stats(year: int | None, as_of, as_recorded) -> None:
    """年度の実績 / the fiscal year's figures."""
    conn, as_of = asked(as_of, as_recorded)
    data = stats_query(conn, year, as_of)
    known = {t["code"]: t for t in list_topics(conn)}  # the desk's own topics, named

    def human(s: dict[str, Any]) -> None:
        year_ = s["fiscal_year"]
        table(
            ["cli.stats.figure", "cli.stats.value"],
            [
                (say(f"cli.stats.figures.{k}", lang()), "-" if s[k] is None else s[k])
                for k in FIGURES
            ]
            + [
                (
                    say("cli.stats.feedback", lang()),
                    f"{s['feedback']['count']} / {s['feedback']['mean_rating'] or '-'}",
                ),
                (
                    say("cli.stats.feedback_asked", lang()),
                    f"{s['feedback_answered']} / {s['feedback_requested']}"
                    f" ({_percent(s['feedback_response_rate'])})",
                ),
            ],
            title=say("cli.stats.title", lang(), year=year_, era=era_fiscal_year(year_)),
        )
        table(
            [
                "cli.stats.month",
                "cli.stats.month_consultations",
                "cli.stats.month_dispatches",
                "cli.stats.month_visits",
                "cli.stats.month_follow_ups",
            ],
            [
                (m["month"], m["consultations"], m["dispatches"], m["visits"], m["follow_ups_done"])
                for m in s["by_month"]
            ],
        )
        table(
            ["cli.col.topic", "cli.stats.topic_consultations"],
            [
                (topic_label(r["topic"], lang(), known.get(r["topic"])), r["consultations"])
                for r in s["by_topic"]
            ],
        )

    emit(data, human)


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.0%}"


@click.command("search")
@click.argument("text")
@as_of_option
@as_recorded_option
@common
def search(text: str, as_of, as_recorded) -> None:
    """全文検索 / search summaries, reports and notes."""
    conn, as_of = asked(as_of, as_recorded)
    rows = search_query(conn, text, as_of, lang())
    emit(
        rows,
        lambda rs: table(
            [
                "cli.col.date",
                "cli.col.kind",
                "cli.col.case",
                "cli.col.municipality",
                "cli.col.text",
            ],
            [
                (r["date"], r["kind_label"], r["case"], r["municipality_name"], r["text"])
                for r in rs
            ],
            title=say("cli.search.title", lang(), text=text, n=len(rs)),
        ),
    )
