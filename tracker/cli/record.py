"""Recording commands: each turns one line of input into one recorded event."""

from __future__ import annotations

import sys
from datetime import date

import click

from events.case import CHANNELS, RESOLUTIONS
from events.municipality import OUTREACH_KINDS
from projections.queries.directory import find_case
from tracker.cli.common import (
    DATE,
    ENTRY,
    OWNER_HELP,
    common,
    desk,
    done,
    each_step,
    expert_id,
    lang,
    muni_code,
    on_option,
    owner,
    progress_bar,
    records,
)
from tracker.domain.commitments import Promise
from tracker.domain.owners import MUNICIPALITY
from tracker.language import say


def choice_help(family: str, codes: tuple[str, ...]) -> str:
    """An option's --help: each value's code and Japanese name (either may be typed)."""
    return "、".join(f"{code} {say(f'{family}.{code}', 'ja')}" for code in codes)


@click.group("muni")
def muni() -> None:
    """市町村 / municipalities."""


@muni.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--kana", default="", help="よみがな / reading")
@click.option("--population", type=int)
@click.option("--prefecture", default="")
@on_option
@common
@records
def muni_add(code: str, name: str, kana: str, population: int | None, prefecture: str, on) -> None:
    """市町村を登録 / register a municipality."""
    d = desk()
    d.app.register_municipality(
        code, name, name_kana=kana, prefecture=prefecture, population=population, on=on
    )
    d.refresh()
    done(say("cli.muni.added", lang(), name=name, code=code), {"municipality": code})


@muni.command("update")
@click.argument("muni_ref", metavar="MUNI")
@click.option("--it-staff", type=int, help="情報担当職員数 / IT staff")
@click.option("--population", type=int)
@on_option
@common
@records
def muni_update(muni_ref: str, it_staff: int | None, population: int | None, on) -> None:
    """団体情報を更新 / update a municipality's profile."""
    d = desk()
    code = muni_code(muni_ref)
    d.app.update_municipality(code, it_staff=it_staff, population=population, on=on)
    d.refresh()
    done(say("cli.muni.updated", lang(), code=code), {"municipality": code})


@click.group("contact")
def contact() -> None:
    """市町村の担当者 / municipal contacts."""


@contact.command("assign")
@click.argument("muni_ref", metavar="MUNI")
@click.argument("name")
@click.option("--role", required=True, help="役職 / role")
@click.option("--email")
@click.option("--phone")
@on_option
@common
@records
def contact_assign(
    muni_ref: str, name: str, role: str, email: str | None, phone: str | None, on
) -> None:
    """担当者の着任 / a contact takes up a role."""
    d = desk()
    code = muni_code(muni_ref)
    d.app.assign_contact(code, name, role=role, email=email, phone=phone, on=on)
    d.refresh()
    done(
        say("cli.contact.assigned", lang(), name=name, role=role),
        {"municipality": code, "contact": name},
    )


@contact.command("transfer")
@click.argument("muni_ref", metavar="MUNI")
@click.argument("name")
@click.option("--successor", help="後任 / successor")
@on_option
@common
@records
def contact_transfer(muni_ref: str, name: str, successor: str | None, on) -> None:
    """担当者の異動 / the contact left (the successor takes over)."""
    d = desk()
    code = muni_code(muni_ref)
    d.app.transfer_contact(code, name, successor=successor, on=on)
    d.refresh()
    after = say("cli.contact.successor", lang(), successor=successor) if successor else ""
    done(
        say("cli.contact.transferred", lang(), name=name, after=after),
        {"municipality": code, "contact": name, "successor": successor},
    )


@contact.command("forget")
@click.argument("muni_ref", metavar="MUNI")
@click.argument("name")
@click.option("--yes", is_flag=True, help="確認せずに消去 / do not ask (asked only at a terminal)")
@common
@records
def contact_forget(muni_ref: str, name: str, yes: bool) -> None:
    """担当者の個人情報を消去（復元不可） / erase a contact's name, e-mail and phone for good.

    The record of what happened stays, the person shown as a placeholder (（消去済み …）);
    the erasure itself is recorded, and the chain still verifies."""
    d = desk()
    code = muni_code(muni_ref)
    if not yes and sys.stdin.isatty():
        click.confirm(
            say("cli.contact.confirm_forget", lang(), code=code, name=name),
            abort=True,
        )
    forgotten = d.app.forget_contact(code, name)
    with progress_bar(say("cli.progress.erasing", lang())) as bar:
        d.refresh(progress=bar)
    if forgotten.unsealed_remain:
        click.echo(say("cli.contact.unsealed_remain", lang(), name=name), err=True)
    done(
        say("cli.contact.forgotten", lang(), code=code, name=name, count=len(forgotten.persons)),
        {
            "municipality": code,
            "persons": [str(p) for p in forgotten.persons],
            "unsealed_remain": forgotten.unsealed_remain,
        },
    )


@click.group("expert")
def expert() -> None:
    """専門人材 / experts."""


@expert.command("add")
@click.argument("name")
@click.option("--specialty", "specialties", multiple=True, help="専門分野 / topic (repeatable)")
@click.option("--background", help="経歴 / background")
@on_option
@common
@records
def expert_add(name: str, specialties: tuple[str, ...], background: str | None, on) -> None:
    """専門人材を登録 / register an expert (prints the expert id)."""
    d = desk()
    new_id = d.app.register_expert(name, specialties=specialties, background=background, on=on)
    d.refresh()
    done(
        say("cli.expert.added", lang(), expert=new_id, name=name),
        {"expert": new_id},
    )


@click.group("case")
def case() -> None:
    """案件 / cases."""


@case.command("open")
@click.argument("muni_ref", metavar="MUNI")
@click.option(
    "--topic", required=True, help="分野: コードまたは名称 / code or name (banso topic list)"
)
@click.option("--summary", required=True, help="相談内容 / what was asked")
@click.option("--channel", default="chat", show_default=True, help=choice_help("channel", CHANNELS))
@click.option("--contact", "contact_name", help="市町村の担当者 / municipal contact")
@on_option
@common
@records
def case_open(
    muni_ref: str, topic: str, summary: str, channel: str, contact_name: str | None, on
) -> None:
    """相談を受付 / open a consultation (prints the case number)."""
    d = desk()
    code = muni_code(muni_ref)
    number, new_id = d.app.open_case(
        code, topic=topic, summary=summary, channel=channel, contact=contact_name, on=on
    )
    d.refresh()
    done(
        say("cli.case.opened", lang(), case=number),
        {"case": number, "id": str(new_id)},
    )


def case_done(ref: str, what: str, data: dict[str, object] | None = None, **params: object) -> None:
    """Say that ``what`` (a key of cli.case) was recorded on the case; with --json, the
    case's number and ``data``, and a correction's or withdrawal's ``entry`` and
    ``amendment`` (its own entry number)."""
    d = desk()
    d.refresh()
    number = find_case(d.views.conn, ref)["number"]  # the read model has it: no reload
    said = say(what, lang(), **params)
    numbers: dict[str, object] = {k: params[k] for k in ("entry", "amendment") if k in params}
    done(
        say("cli.case.done", lang(), case=number, what=said),
        {"case": number, **numbers, **(data or {})},
    )


@case.command("apply")
@click.argument("case_ref", metavar="CASE")
@on_option
@common
@records
def case_apply(case_ref: str, on) -> None:
    """派遣申請を受理 / a dispatch application received."""
    desk().app.apply_for_dispatch(case_ref, on=on)
    case_done(case_ref, "cli.case.applied")


@case.command("dispatch")
@click.argument("case_ref", metavar="CASE")
@click.option("--expert", "experts", multiple=True, required=True, help="専門人材 (repeatable)")
@on_option
@common
@records
def case_dispatch(case_ref: str, experts: tuple[str, ...], on) -> None:
    """派遣決定 / a dispatch decided, with its expert(s)."""
    d = desk()
    d.app.decide_dispatch(case_ref, [expert_id(e) for e in experts], on=on)
    case_done(case_ref, "cli.case.dispatched")


@case.command("visit")
@click.argument("case_ref", metavar="CASE")
@click.option("--report", required=True, help="簡易報告 / short report")
@click.option("--expert", "experts", multiple=True, help="専門人材 (default: the case's)")
@click.option("--online", is_flag=True, help="オンライン支援 / online")
@click.option(
    "--next-step",
    "next_steps",
    multiple=True,
    help="次のステップ＝約束 (repeatable) / a next step: a commitment of its own",
)
@click.option(
    "--next-step-owner",
    "owners",
    multiple=True,
    metavar="OWNER",
    help=f"担当（一つで全部、または次のステップごと）/ owner, one for all or one per step: {OWNER_HELP}",
)
@click.option(
    "--next-step-due",
    "dues",
    multiple=True,
    type=DATE,
    metavar="DATE",
    help="期限（一つで全部、または次のステップごと）/ due date, one for all or one per step",
)
@on_option
@common
@records
def case_visit(
    case_ref: str,
    report: str,
    experts: tuple[str, ...],
    online: bool,
    next_steps: tuple[str, ...],
    owners: tuple[str, ...],
    dues: tuple[date, ...],
    on,
) -> None:
    """支援の報告 / support given, with its short report and next steps (commitments)."""
    d = desk()
    named = each_step(
        [owner(o, "next_step_owner") for o in owners], len(next_steps), "next_step_owner"
    )
    due_dates = each_step(list(dues), len(next_steps), "next_step_due")
    steps = [
        Promise(text, who or MUNICIPALITY, due)
        for text, who, due in zip(next_steps, named, due_dates, strict=True)
    ]
    d.app.report_visit(
        case_ref,
        report=report,
        experts=[expert_id(e) for e in experts],
        online=online,
        next_steps=steps,
        on=on,
    )
    case_done(case_ref, "cli.case.visited")


@case.command("note")
@click.argument("case_ref", metavar="CASE")
@click.argument("text")
@on_option
@common
@records
def case_note(case_ref: str, text: str, on) -> None:
    """メモ / a note."""
    desk().app.add_note(case_ref, text, on=on)
    case_done(case_ref, "cli.case.noted")


@case.command("feedback")
@click.argument("case_ref", metavar="CASE")
@click.option("--rating", type=int, required=True, help="1-5")
@click.option("--comment")
@on_option
@common
@records
def case_feedback(case_ref: str, rating: int, comment: str | None, on) -> None:
    """市町村からの評価 / the municipality's feedback."""
    desk().app.receive_feedback(case_ref, rating=rating, comment=comment, on=on)
    case_done(case_ref, "cli.case.feedback")


@case.command("close")
@click.argument("case_ref", metavar="CASE")
@click.option("--resolution", required=True, help=choice_help("resolution", RESOLUTIONS))
@click.option("--note")
@click.option(
    "--cancel-open",
    is_flag=True,
    help="未了の約束をすべて取りやめて終了 / cancel every open commitment as the case closes",
)
@on_option
@common
@records
def case_close(case_ref: str, resolution: str, note: str | None, cancel_open: bool, on) -> None:
    """案件を終了 / close the case (refused while a commitment is open, unless --cancel-open)."""
    desk().app.close_case(
        case_ref, resolution=resolution, note=note, on=on, cancel_open=cancel_open
    )
    case_done(case_ref, "cli.case.closed")


@case.command("reopen")
@click.argument("case_ref", metavar="CASE")
@click.option("--note")
@on_option
@common
@records
def case_reopen(case_ref: str, note: str | None, on) -> None:
    """案件を再開 / reopen the case."""
    desk().app.reopen_case(case_ref, note=note, on=on)
    case_done(case_ref, "cli.case.reopened")


@click.group("topic")
def topic() -> None:
    """相談の分野 / consultation topics (A-I, Z and the desk's own)."""


@topic.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--en", "name_en", metavar="NAME", help="英語名 / English name")
@on_option
@common
@records
def topic_add(code: str, name: str, name_en: str | None, on) -> None:
    """分野を登録 / register a topic of the desk's own (then --topic CODE or NAME)."""
    d = desk()
    registered = d.app.register_topic(code, name, name_en=name_en, on=on)
    d.refresh()
    done(say("cli.topic.added", lang(), code=registered, name=name), {"topic": registered})


@click.command("outreach")
@click.argument("muni_ref", metavar="MUNI")
@click.option("--kind", required=True, help=choice_help("outreach", OUTREACH_KINDS))
@click.option("--note")
@on_option
@common
@records
def outreach(muni_ref: str, kind: str, note: str | None, on) -> None:
    """アウトリーチ（デジタルカフェ・ヒアリング）を記録 / record outreach."""
    d = desk()
    code = muni_code(muni_ref)
    d.app.record_outreach(code, kind, note=note, on=on)
    d.refresh()
    done(
        say("cli.outreach.recorded", lang(), code=code),
        {"municipality": code},
    )


# ---- corrections (訂正) and withdrawals (取消): new events, never edits ------------------

REASON_HELP = "理由（必須）/ why (required)"


@case.command("correct")
@click.argument("case_ref", metavar="CASE")
@click.argument("entry", type=ENTRY)
@click.option("--text", help="本文の訂正（相談内容・報告・約束・メモ・コメント）/ the entry's text")
@click.option("--expert", "experts", multiple=True, help="専門人材の訂正 (repeatable)")
@click.option(
    "--due",
    type=DATE,
    help="期日の訂正（フォローアップ・約束）/ a follow-up's or commitment's due date",
)
@click.option("--date", "entry_on", type=DATE, help="実施日の訂正 / the entry's business date")
@click.option("--reason", required=True, help=REASON_HELP)
@common
def case_correct(
    case_ref: str,
    entry: int,
    text: str | None,
    experts: tuple[str, ...],
    due,
    entry_on,
    reason: str,
) -> None:
    """記録の訂正 / correct entry ENTRY (its number in `case show`) of the case."""
    d = desk()
    amendment = d.app.correct_case_entry(
        case_ref,
        entry,
        reason=reason,
        text=text,
        experts=[expert_id(e) for e in experts] or None,
        due=due,
        entry_on=entry_on,
    )
    case_done(case_ref, "cli.case.corrected", entry=entry, amendment=amendment)


@case.command("withdraw")
@click.argument("case_ref", metavar="CASE")
@click.argument("entry", type=ENTRY, required=False)
@click.option("--reason", required=True, help=REASON_HELP)
@common
def case_withdraw(case_ref: str, entry: int | None, reason: str) -> None:
    """記録の取消 / withdraw entry ENTRY of the case (without ENTRY: the whole case)."""
    d = desk()
    amendment = d.app.withdraw_case_entry(case_ref, entry or 1, reason=reason)
    what = "cli.case.withdrawn_case" if entry in (None, 1) else "cli.case.withdrawn"
    case_done(case_ref, what, entry=entry or 1, amendment=amendment)


@muni.command("correct")
@click.argument("muni_ref", metavar="MUNI")
@click.argument("entry", type=ENTRY)
@click.option("--text", help="メモの訂正（アウトリーチ）/ an outreach's note")
@click.option("--role", help="役職の訂正 / a contact's role")
@click.option("--email", help="メールの訂正 / a contact's e-mail")
@click.option("--phone", help="電話の訂正 / a contact's phone")
@click.option("--it-staff", type=int, help="情報担当職員数の訂正 / a profile's IT staff")
@click.option("--population", type=int, help="人口の訂正 / a profile's population")
@click.option("--date", "entry_on", type=DATE, help="実施日の訂正 / the entry's business date")
@click.option("--reason", required=True, help=REASON_HELP)
@common
def muni_correct(
    muni_ref: str,
    entry: int,
    text: str | None,
    role: str | None,
    email: str | None,
    phone: str | None,
    it_staff: int | None,
    population: int | None,
    entry_on,
    reason: str,
) -> None:
    """記録の訂正 / correct entry ENTRY (its number in `timeline`) of the municipality."""
    d = desk()
    code = muni_code(muni_ref)
    amendment = d.app.correct_municipality_entry(
        code,
        entry,
        reason=reason,
        text=text,
        role=role,
        email=email,
        phone=phone,
        it_staff=it_staff,
        population=population,
        entry_on=entry_on,
    )
    d.refresh()
    done(
        say("cli.muni.corrected", lang(), code=code, entry=entry, amendment=amendment),
        {"municipality": code, "entry": entry, "amendment": amendment},
    )


@muni.command("withdraw")
@click.argument("muni_ref", metavar="MUNI")
@click.argument("entry", type=ENTRY)
@click.option("--reason", required=True, help=REASON_HELP)
@common
def muni_withdraw(muni_ref: str, entry: int, reason: str) -> None:
    """記録の取消 / withdraw entry ENTRY of the municipality."""
    d = desk()
    code = muni_code(muni_ref)
    amendment = d.app.withdraw_municipality_entry(code, entry, reason=reason)
    d.refresh()
    done(
        say("cli.muni.withdrawn", lang(), code=code, entry=entry, amendment=amendment),
        {"municipality": code, "entry": entry, "amendment": amendment},
    )
