"""Reminders: what comes due soon (``banso due``) and each owner's digest (``banso digest``).

``banso digest --send`` mails each owner's digest through the settings file's SMTP server
to the address its address book gives the owner, so a daily cron job keeps everyone on
their promises::

    0 7 * * 1-5  banso --store postgresql://… digest --send --format html
"""

from __future__ import annotations

from typing import Any

import click

from projections.digest import FORMATS, RENDERERS, digests, subject
from projections.owners import MUNICIPALITY, SECRETARIAT, owner_key, owner_label
from projections.queries.common import expert_names
from projections.queries.directory import find_expert
from projections.queries.due import due_soon
from projections.queries.settings import rule_settings
from tracker.cli.common import as_of_option, common, desk, emit, lang, table
from tracker.desk.config import load_config
from tracker.desk.mail import MailServer, Outgoing
from tracker.desk.settings import config_file
from tracker.domain.inputs import today
from tracker.language import say


@click.command("due")
@click.option(
    "--within",
    type=click.IntRange(min=0, max=366),
    metavar="N",
    help="開庁日数（既定: 設定 due.within）/ office days ahead (default: the setting due.within)",
)
@as_of_option
@common
def due(within: int | None, as_of) -> None:
    """期日が近いもの / dispatch decisions and follow-ups coming due within N office days."""
    conn = desk().views.conn
    rows = due_soon(conn, as_of, within)
    days = rule_settings(conn, as_of).due_within if within is None else within
    names = expert_names(conn)

    def human(rs: list[dict[str, Any]]) -> None:
        table(
            [
                "cli.col.due",
                "cli.col.left",
                "cli.col.kind",
                "cli.col.case",
                "cli.col.municipality",
                "cli.col.owners",
                "cli.col.summary",
            ],
            [
                (
                    r["due"],
                    say("count.office", lang(), n=r["office_days_left"]),
                    say(f"coming.kind.{r['kind']}", lang()),
                    r["case"],
                    r["municipality_name"],
                    say("punct.list", lang()).join(
                        owner_label(o, lang(), names.get(o)) for o in r["owners"]
                    ),
                    r["text"] or r["summary"],
                )
                for r in rs
            ],
            title=say("cli.due.title", lang(), within=days, n=len(rs)),
        )

    emit(rows, human)


@click.command("digest")
@click.option(
    "--for",
    "owner_ref",
    metavar="OWNER",
    help="事務局・事務局:名前・専門人材（E001 または氏名）/ secretariat[:NAME] or an expert",
)
@as_of_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--send", is_flag=True, help="各宛先へメール送信 / mail each digest (smtp.*, addresses.*)"
)
@common
def digest(owner_ref: str | None, as_of, fmt: str, send: bool) -> None:
    """担当者ごとのダイジェスト / each owner's overdue, due-soon and stalled items.

    事務局と専門人材ごとに、期限超過・期限間近・停滞を新しい順に。何もない人には何も出しません。
    For each owner (the secretariat, its members, each expert): overdue, due soon and
    stalled, newest first; nothing for an owner with nothing.
    """
    conn = desk().views.conn
    owner = _owner(owner_ref) if owner_ref else None
    found = digests(conn, as_of, owner)
    render = RENDERERS[fmt]
    if send:
        _send(found, fmt)
        return
    if not found:
        day = (as_of or today()).isoformat()
        emit([], lambda _: click.echo(say("cli.digest.nothing", lang(), day=day), err=True))
        return
    emit(found, lambda ds: click.echo("\n".join(render(d, lang()) for d in ds)))


def _owner(text: str) -> str:
    """The owner ``--for`` names: the secretariat (or a member), or an expert by id or name."""
    key = owner_key(text)
    if key == MUNICIPALITY:
        return SECRETARIAT  # the secretariat chases what municipalities promised
    if key == SECRETARIAT or key.startswith(f"{SECRETARIAT}:"):
        return key
    return str(find_expert(desk().views.conn, key)["expert_id"])


def _send(found: list[dict[str, Any]], fmt: str) -> None:
    """Mail each digest to its owner's address; owners without one are named on stderr."""
    config = load_config(config_file())
    server = MailServer.of(config)
    addresses = {owner_key(k): v for k, v in config.addresses.items()}
    render = RENDERERS[fmt]
    mails, skipped = [], []
    for d in found:
        to = addresses.get(d["owner"])
        if to is None:
            skipped.append(d["owner"])
            click.echo(say("cli.digest.no_address", lang(), owner=d["owner"]), err=True)
            continue
        html = RENDERERS["html"](d, lang()) if fmt == "html" else None
        text = render(d, lang()) if fmt != "html" else RENDERERS["text"](d, lang())
        mails.append(Outgoing(d["owner"], to, subject(d, lang()), text, html))
    sent = server.send(mails)
    emit(
        {"sent": [m.owner for m in mails], "skipped": skipped},
        lambda _: click.echo(say("cli.digest.sent", lang(), n=sent)),
    )
