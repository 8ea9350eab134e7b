"""Commitments and follow-ups of a case: each made, done, moved or cancelled on its own.

A commitment (約束) is numbered within its case, as is a follow-up; ``case show`` lists both
with their numbers. A follow-up's number may be left out while only one is pending.
"""

from __future__ import annotations

from typing import Any

import click

from projections.describe import owner_label
from projections.queries.commitments import open_commitments, owner_of
from projections.queries.common import expert_names
from tracker.cli.common import (
    DATE,
    DATE_HELP,
    OWNER_HELP,
    as_of_option,
    common,
    desk,
    emit,
    lang,
    muni_code,
    on_option,
    owner,
    records,
    table,
)
from tracker.cli.record import case, case_done
from tracker.language import say

NUMBER = click.IntRange(min=1)


@case.command("commit")
@click.argument("case_ref", metavar="CASE")
@click.argument("text")
@click.option("--owner", "owner_ref", required=True, metavar="OWNER", help=f"担当 / {OWNER_HELP}")
@click.option("--due", type=DATE, help=f"期限 / due date {DATE_HELP}")
@on_option
@common
@records
def case_commit(case_ref: str, text: str, owner_ref: str, due, on) -> None:
    """約束を記録 / a commitment: who owes what, by when (prints its number)."""
    number = desk().app.commit(case_ref, text, owner=owner(owner_ref), due=due, on=on)
    case_done(case_ref, "cli.case.committed", {"commitment": number}, number=number)


@case.command("commitment-done")
@click.argument("case_ref", metavar="CASE")
@click.argument("number", metavar="N", type=NUMBER)
@click.option("--note")
@on_option
@common
@records
def case_commitment_done(case_ref: str, number: int, note: str | None, on) -> None:
    """約束の完了 / commitment N kept."""
    desk().app.complete_commitment(case_ref, number, note=note, on=on)
    case_done(case_ref, "cli.case.commitment_done", {"commitment": number}, number=number)


@case.command("commitment-cancel")
@click.argument("case_ref", metavar="CASE")
@click.argument("number", metavar="N", type=NUMBER)
@click.option("--note", help="理由 / why")
@on_option
@common
@records
def case_commitment_cancel(case_ref: str, number: int, note: str | None, on) -> None:
    """約束の取りやめ / commitment N will not be kept."""
    desk().app.cancel_commitment(case_ref, number, note=note, on=on)
    case_done(case_ref, "cli.case.commitment_cancelled", {"commitment": number}, number=number)


@case.command("follow-up")
@click.argument("case_ref", metavar="CASE")
@click.option("--due", type=DATE, required=True, help=f"期日 / due date {DATE_HELP}")
@click.option("--note")
@on_option
@common
@records
def case_follow_up(case_ref: str, due, note: str | None, on) -> None:
    """フォローアップを予定（予定中のものに加えて）/ plan a follow-up, beside any pending."""
    number = desk().app.schedule_follow_up(case_ref, due=due, note=note, on=on)
    case_done(case_ref, "cli.case.follow_up", {"follow_up": number}, number=number, due=due)


@case.command("follow-up-done")
@click.argument("case_ref", metavar="CASE")
@click.argument("number", metavar="[N]", type=NUMBER, required=False)
@click.option("--note")
@on_option
@common
@records
def case_follow_up_done(case_ref: str, number: int | None, note: str | None, on) -> None:
    """フォローアップ実施 / follow-up N done (N may be left out while only one is pending)."""
    done = desk().app.complete_follow_up(case_ref, number, note=note, on=on)
    case_done(case_ref, "cli.case.follow_up_done", {"follow_up": done}, number=done)


@case.command("follow-up-reschedule")
@click.argument("case_ref", metavar="CASE")
@click.argument("number", metavar="[N]", type=NUMBER, required=False)
@click.option("--due", type=DATE, required=True, help=f"新しい期日 / new due date {DATE_HELP}")
@click.option("--note", help="理由 / why")
@on_option
@common
@records
def case_follow_up_reschedule(case_ref: str, number: int | None, due, note: str | None, on) -> None:
    """フォローアップの予定変更 / follow-up N moved to a new due date."""
    moved = desk().app.reschedule_follow_up(case_ref, number, due=due, note=note, on=on)
    case_done(
        case_ref, "cli.case.follow_up_rescheduled", {"follow_up": moved}, number=moved, due=due
    )


@case.command("follow-up-cancel")
@click.argument("case_ref", metavar="CASE")
@click.argument("number", metavar="[N]", type=NUMBER, required=False)
@click.option("--note", help="理由 / why")
@on_option
@common
@records
def case_follow_up_cancel(case_ref: str, number: int | None, note: str | None, on) -> None:
    """フォローアップの取りやめ / follow-up N will not take place."""
    cancelled = desk().app.cancel_follow_up(case_ref, number, note=note, on=on)
    case_done(case_ref, "cli.case.follow_up_cancelled", {"follow_up": cancelled}, number=cancelled)


@click.command("commitments")
@click.option(
    "--for",
    "owner_ref",
    metavar="OWNER",
    help="担当で絞り込み（事務局は職員と市町村の分も）/ of one owner (事務局: also its members'"
    f" and the municipalities', which it follows up): {OWNER_HELP}",
)
@click.option("--muni", "muni_ref", metavar="MUNI", help="市町村で絞り込み / of one municipality")
@as_of_option
@common
def commitments(owner_ref: str | None, muni_ref: str | None, as_of) -> None:
    """未了の約束（誰が・何を・いつまでに）/ open commitments: who owes what, by when."""
    d = desk()
    who = owner(owner_ref, "for") if owner_ref else None
    code = muni_code(muni_ref) if muni_ref else None
    rows = open_commitments(d.views.conn, as_of, who, municipality=code)
    names = expert_names(d.views.conn)

    def human(rs: list[dict[str, Any]]) -> None:
        table(
            [
                "cli.col.due",
                "cli.col.case",
                "cli.col.number",
                "cli.col.municipality",
                "cli.col.owner",
                "cli.col.promise",
            ],
            [
                (
                    r["due"] or "-",
                    r["case"],
                    r["number"],
                    r["municipality_name"],
                    owner_label(owner_of(r), lang(), names),
                    r["text"],
                )
                for r in rs
            ],
            title=say(
                "cli.commitments.title", lang(), n=len(rs), overdue=sum(r["overdue"] for r in rs)
            ),
        )

    emit(rows, human)
