"""Experts rotate too: retiring one, handing their cases over, and who should go instead.

``expert retire EXPERT [--reassign-to EXPERT]`` retires an expert, handing every open case
of theirs over in the same transaction when told to whom; ``expert reassign EXPERT --to
EXPERT`` hands them over later (the bulk form); ``case reassign CASE --from EXPERT --to
EXPERT`` one case. A retired expert's open cases not handed over are listed by the stall
rule ``expert-left`` until they are. ``suggest CASE`` ranks who could take a case.
"""

from __future__ import annotations

from typing import Any

import click

from projections.queries.directory import find_case
from projections.queries.experts import open_cases_of
from projections.queries.suggest import suggest as suggest_query
from tracker.cli.common import (
    as_of_option,
    case_id,
    common,
    desk,
    done,
    emit,
    expert_id,
    lang,
    on_option,
    records,
    table,
)
from tracker.cli.record import case, expert
from tracker.domain.errors import ExpertHasNoOpenCasesError
from tracker.domain.inputs import business_date
from tracker.language import say


@expert.command("retire")
@click.argument("expert_ref", metavar="EXPERT")
@click.option(
    "--reassign-to",
    "to_ref",
    metavar="EXPERT",
    help="対応中の案件をすべて引き継ぐ専門人材 / hand every open case to this expert",
)
@click.option("--note", help="担当替えのメモ / a note on each case handed over")
@on_option
@common
@records
def expert_retire(expert_ref: str, to_ref: str | None, note: str | None, on) -> None:
    """専門人材の登録終了 / an expert leaves the registry (optionally handing over cases).

    引き継ぎ先がなければ、対応中の案件は停滞ルール expert-left に載ります。
    Without --reassign-to, their open cases are listed by the stall rule expert-left.
    """
    d = desk()
    eid = expert_id(expert_ref)
    day = business_date(on)
    to = expert_id(to_ref) if to_ref else None
    handed: list[str] = []
    if to is None:
        d.app.retire_expert(eid, on=day)
    else:
        cases = [c["id"] for c in open_cases_of(d.views.conn, eid, day)]
        handed = d.app.hand_over(eid, to, cases, retire=True, note=note, on=day)
    d.refresh()
    still = open_cases_of(d.views.conn, eid, day)
    left = [c["case"] for c in still if c["on_case"]]  # listed by the rule expert-left
    owing = [c["case"] for c in still if not c["on_case"]]  # by commitment-overdue, once due
    words = [say("cli.expert.retired", lang(), expert=eid)]
    if handed:
        words.append(say("cli.expert.handed", lang(), to=to, n=len(handed), cases=_listed(handed)))
    if left:
        words.append(say("cli.expert.left_open", lang(), n=len(left), cases=_listed(left)))
    if owing:
        words.append(say("cli.expert.left_owing", lang(), n=len(owing), cases=_listed(owing)))
    done(
        "\n".join(words),
        {"expert": eid, "reassigned": handed, "to": to, "left_open": left, "left_owing": owing},
    )


@expert.command("reassign")
@click.argument("expert_ref", metavar="EXPERT")
@click.option("--to", "to_ref", metavar="EXPERT", required=True, help="引き継ぐ専門人材 / to whom")
@click.option("--note", help="担当替えのメモ / a note on each case")
@on_option
@common
@records
def expert_reassign(expert_ref: str, to_ref: str, note: str | None, on) -> None:
    """担当案件の一括引継ぎ / hand every open case of an expert to another, all or none."""
    d = desk()
    eid, to = expert_id(expert_ref), expert_id(to_ref)
    day = business_date(on)
    cases = [c["id"] for c in open_cases_of(d.views.conn, eid, day)]
    if not cases:
        raise ExpertHasNoOpenCasesError(expert=eid)
    handed = d.app.hand_over(eid, to, cases, note=note, on=day)
    d.refresh()
    done(
        say("cli.expert.handed", lang(), to=to, n=len(handed), cases=_listed(handed)),
        {"expert": eid, "to": to, "reassigned": handed},
    )


@case.command("reassign")
@click.argument("case_ref", metavar="CASE")
@click.option(
    "--from", "from_ref", metavar="EXPERT", required=True, help="引き継ぐ人 / who hands over"
)
@click.option("--to", "to_ref", metavar="EXPERT", required=True, help="引き継ぐ先 / who takes over")
@click.option("--note", help="メモ / a note")
@on_option
@common
@records
def case_reassign(case_ref: str, from_ref: str, to_ref: str, note: str | None, on) -> None:
    """担当替え / hand the case from one of its experts to another."""
    d = desk()
    eid, to = expert_id(from_ref), expert_id(to_ref)
    number = d.app.reassign_expert(case_ref, eid, to, note=note, on=on)
    d.refresh()
    what = say("cli.case.reassigned", lang(), before=eid, after=to)
    done(
        say("cli.case.done", lang(), case=number, what=what),
        {"case": number, "from": eid, "to": to},
    )


@click.command("suggest")
@click.argument("case_ref", metavar="CASE")
@as_of_option
@common
def suggest(case_ref: str, as_of) -> None:
    """派遣候補の専門人材 / who should go: active experts ranked for the case, with reasons.

    継続性（この案件・この市町村を支援した人）、専門分野、担当件数の順に並べます。
    Continuity first (on the case, supported the municipality), then specialty, then workload.
    """
    d = desk()
    found = find_case(d.views.conn, case_ref)
    rows = suggest_query(d.views.conn, case_id(case_ref), as_of, lang())

    def human(rs: list[dict[str, Any]]) -> None:
        table(
            ["cli.col.rank", "cli.col.id", "cli.col.person", "cli.col.reasons"],
            [
                (r["rank"], r["expert"], r["name"], say("punct.list", lang()).join(r["reasons"]))
                for r in rs
            ],
            title=say("cli.suggest.title", lang(), case=found["number"], n=len(rs)),
        )

    emit(rows, human)


def _listed(numbers: list[str]) -> str:
    return say("punct.list", lang()).join(numbers)
