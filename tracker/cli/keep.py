"""Setting up and keeping the store: init, demo, export/import, rebuild, verify."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any, BinaryIO, Literal, cast, get_args

import click

from projections.log import dashed
from tracker.application.audit import Finding, Found, printable
from tracker.application.backup import Exported, Unchecked, export_events, import_events
from tracker.cli.common import (
    DATE,
    common,
    desk,
    done,
    emit,
    lang,
    output_path,
    progress_bar,
    records,
    set_aside_notice,
    settings,
    write_output,
)
from tracker.desk.bootstrap import bootstrap
from tracker.desk.verify import Report
from tracker.desk.verify import verify as verify_store
from tracker.domain.bundled import of_prefecture
from tracker.language import say


@click.command("init")
@click.option(
    "--prefecture", "prefectures", multiple=True, help="都道府県 (名称 or コード; default 11)"
)
@click.option("--on", "on", type=DATE, hidden=True)
@common
@records
def init(prefectures: tuple[str, ...], on) -> None:
    """市町村を登録 / register a prefecture's municipalities (idempotent)."""
    prefectures = prefectures or ("11",)
    for prefecture in prefectures:  # every one known before any is recorded
        of_prefecture(prefecture)
    d = desk()
    added = sum(d.app.register_prefecture(p, on=on) for p in prefectures)
    d.refresh()
    total = d.views.conn.execute("SELECT COUNT(*) FROM municipalities").fetchone()[0]
    done(
        say("cli.muni.registered", lang(), added=added, total=total),
        {"registered": added, "municipalities": total},
    )


#: The sizes of demo history (``tracker.demo.SCALES``; not imported here: it loads the demo).
Scale = Literal["prefecture", "national"]


@click.command("demo")
@click.option(
    "--scale",
    type=click.Choice(get_args(Scale)),
    default="prefecture",
    show_default=True,
)
@click.option("--seed", type=int, default=1, show_default=True)
@common
@records
def demo(scale: str, seed: int) -> None:
    """デモデータを生成 / fill an empty store with a realistic history."""
    from tracker.demo import generate

    d = desk(default_user="demo")
    with progress_bar(say("cli.progress.generating", lang())) as bar:
        summary = generate(d.app, scale=cast(Scale, scale), seed=seed, progress=bar)
    with progress_bar(say("cli.progress.projecting", lang())) as bar:
        d.refresh(progress=bar)
    done(
        say(
            "cli.demo.ready",
            lang(),
            municipalities=summary.municipalities,
            experts=summary.experts,
            cases=summary.cases,
            events=summary.events,
        ),
        {
            "municipalities": summary.municipalities,
            "experts": summary.experts,
            "cases": summary.cases,
            "events": summary.events,
        },
    )


@click.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@common
def export(output: Path) -> None:
    """全イベントをバックアップ / write every event as JSON lines."""
    output_path(output)  # refused before the store is opened
    d = desk()

    def write(f: BinaryIO) -> Exported:
        text = io.TextIOWrapper(f, encoding="utf-8", newline="\n")
        with progress_bar(say("cli.progress.exporting", lang())) as bar:
            exported = export_events(d.app, text, bar)
        text.flush()
        text.detach()  # the file is closed by who opened it
        return exported

    count, head, unmatched = write_output(output, write)
    if unmatched:
        click.echo(
            say("cli.backup.unmatched", lang(), unmatched=unmatched),
            err=True,
        )
    done(
        "\n".join(
            [
                say("cli.backup.exported", lang(), count=count, file=output),
                _head_line(head, count),
            ]
        ),
        {"events": count, "file": str(output), "head": head.hex(), "unmatched": unmatched},
    )


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@common
@records
def import_(file: Path) -> None:
    """バックアップを復元 / restore a backup (importing twice adds nothing)."""
    d = desk()
    unchecked = Unchecked()
    with progress_bar(say("cli.progress.importing", lang())) as bar:
        added = import_events(d.app, file, bar, unchecked)
    if unchecked.lines:
        click.echo(say("cli.backup.unchecked", lang(), lines=unchecked.lines), err=True)
    with progress_bar(say("cli.progress.projecting", lang())) as bar:
        d.refresh(progress=bar)
    done(
        say("cli.backup.imported", lang(), added=added),
        {"imported": added},
    )


@click.command("rebuild")
@common
def rebuild() -> None:
    """読み取りモデルを作り直す / drop and rebuild every read model."""
    d = desk(notice=False)
    with progress_bar(say("cli.progress.rebuilding", lang())) as bar:
        count = d.views.rebuild(d.log, progress=bar)
    set_aside_notice(d)
    done(
        say("cli.rebuild.done", lang(), count=count),
        {"events": count},
    )


class DigestType(click.ParamType):
    """A head digest as ``verify`` and ``export`` print it: 64 hexadecimal digits."""

    name = "DIGEST"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> bytes:
        text = str(value).strip().lower()
        if len(text) == 64 and all(c in "0123456789abcdef" for c in text):
            return bytes.fromhex(text)
        self.fail(
            say("cli.verify.digest", lang(), value=printable(value)),
            param,
            ctx,
        )


@click.command("verify")
@click.option(
    "--expect",
    type=DigestType(),
    help="別に保管した先頭ダイジェストと照合 / check against a head digest kept elsewhere",
)
@common
def verify(expect: bytes | None) -> None:
    """ストアを検査 / check the log against its hash chain, and the read models."""
    # the desk as found: catching up first could fail on the very rows verify must report
    d = bootstrap(settings())
    click.get_current_context().find_root().call_on_close(d.close)
    with progress_bar(say("cli.progress.verifying", lang())) as bar:
        report = verify_store(d, bar, expect=expect)
    problems = [_finding(f) for f in report.chain.findings] + report.problems
    if not report.expected_found:
        problems.append(
            say("cli.verify.expected_missing", lang(), digest=expect.hex() if expect else "")
        )
    notes = _notes(report)
    data: dict[str, Any] = {
        "ok": report.ok,
        "problems": problems,
        "findings": [_finding_data(f) for f in report.chain.findings],
        "head": report.chain.head.hex(),
        "events": report.chain.chained,
    }
    if expect is not None:
        data["expected"] = {"digest": expect.hex(), "position": report.chain.expected_at}
    if notes:
        data["notes"] = notes
    emit(
        data,
        lambda _: click.echo(
            "\n".join(
                [
                    say("cli.verify.ok", lang())
                    if report.ok
                    else say("cli.verify.problems", lang(), n=len(problems)),
                    *problems,
                    *notes,
                    _head_line(report.chain.head, report.chain.chained),
                ]
            )
        ),
    )
    if not report.ok:
        sys.exit(1)


def _head_line(head: bytes, events: int) -> str:
    return say("cli.verify.head", lang(), head=head.hex(), events=events)


def _notes(report: Report) -> list[str]:
    """What verify says without failing: how the chain began, where the expected digest is."""
    notes = []
    if not report.compared:
        notes.append(say("cli.verify.not_compared", lang()))
    if report.started and report.started[0] > 0:
        count, began = report.started
        notes.append(say("cli.verify.began", lang(), began=printable(began), count=count))
    at, last = report.chain.expected_at, report.chain.chained
    if at is not None and at == last:
        notes.append(say("cli.verify.expected_head", lang()))
    elif at is not None:
        notes.append(say("cli.verify.expected_at", lang(), at=at, since=last - at))
    return notes


def _event(found: Found | None) -> str:
    """An event as a finding names it: notification id, kind, aggregate id and version."""
    if found is None:
        return "?"
    topic = found.topic
    kind = topic.rpartition(":")[2] if isinstance(topic, str) else topic
    oid = (
        dashed(found.originator_id) if isinstance(found.originator_id, str) else found.originator_id
    )
    return (
        f"#{printable(found.notification_id)}"
        f" ({printable(kind)} {printable(oid)} v{printable(found.version)})"
    )


def _key(key: tuple[Any, Any] | None) -> str:
    if key is None:
        return "?"
    oid, version = key
    return f"{printable(dashed(oid) if isinstance(oid, str) else oid)} v{printable(version)}"


def _finding(f: Finding) -> str:
    """One finding as one line."""
    e, p, o, k = _event(f.event), f.position, f.other, _key(f.chained)
    kind = "altered_last" if f.kind == "altered" and f.last else f.kind
    return say(f"cli.finding.{kind}", lang(), event=e, position=p, other=o, chained=k)


def _finding_data(f: Finding) -> dict[str, Any]:
    """A finding for --json: its kind, the chain position and the event as found."""
    event = f.event
    fields = ("notification_id", "originator_id", "version", "topic")
    found = {name: None if event is None else _plain(getattr(event, name)) for name in fields}
    return {
        "kind": f.kind,
        "position": f.position,
        **found,
        "chained": None if f.chained is None else [_plain(v) for v in f.chained],
        "other": f.other,
    }


def _plain(value: Any) -> Any:
    """A stored value for JSON (which escapes what a terminal must not see)."""
    return (
        value if isinstance(value, int | str) and not isinstance(value, bool) else printable(value)
    )
