"""Setting up and keeping the store: init, demo, export/import, rebuild, verify."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal, cast, get_args

import click

from tracker.application.backup import export_events, import_events
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
)
from tracker.desk.verify import verify as verify_store
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
    d = desk()
    added = sum(d.app.register_prefecture(p, on=on) for p in prefectures or ("11",))
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
    d = desk()
    partial = output_path(output).with_name(output.name + ".partial")
    with (
        partial.open("w", encoding="utf-8") as f,
        progress_bar(say("cli.progress.exporting", lang())) as bar,
    ):
        count = export_events(d.app, f, bar)
    partial.replace(output)
    done(
        say("cli.backup.exported", lang(), count=count, file=output),
        {"events": count, "file": str(output)},
    )


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@common
@records
def import_(file: Path) -> None:
    """バックアップを復元 / restore a backup (importing twice adds nothing)."""
    d = desk()
    with progress_bar(say("cli.progress.importing", lang())) as bar:
        added = import_events(d.app, file, bar)
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
    d = desk()
    with progress_bar(say("cli.progress.rebuilding", lang())) as bar:
        count = d.views.rebuild(d.log, progress=bar)
    done(
        say("cli.rebuild.done", lang(), count=count),
        {"events": count},
    )


@click.command("verify")
@common
def verify() -> None:
    """ストアを検査 / check the store and the read models."""
    d = desk()
    with progress_bar(say("cli.progress.verifying", lang())) as bar:
        problems = verify_store(d, bar)
    emit(
        {"ok": not problems, "problems": problems},
        lambda data: click.echo(
            say("cli.verify.ok", lang())
            if data["ok"]
            else "\n".join([say("cli.verify.problems", lang(), n=len(problems)), *problems])
        ),
    )
    if problems:
        sys.exit(1)


@click.command("tui")
@common
def tui() -> None:
    """TUI を開く / open the terminal UI."""
    from tui.app import run

    run(desk())
