"""Setting up and keeping the store: init, demo, export/import, rebuild, verify, CSV."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Literal, cast

import click

from projections.exports import TABLES, export_csv
from tracker.application.audit import Finding, Found, printable
from tracker.application.backup import Unchecked, export_events, import_events
from tracker.application.commands import dashed
from tracker.cli.common import common, desk, done, emit, output_path, progress_bar, settings, t_
from tracker.desk.bootstrap import bootstrap
from tracker.desk.verify import Report
from tracker.desk.verify import verify as verify_store


@click.command("init")
@click.option(
    "--prefecture", "prefectures", multiple=True, help="都道府県 (名称 or コード; default 11)"
)
@click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]), hidden=True)
@common
def init(prefectures: tuple[str, ...], on) -> None:
    """市町村を登録 / register a prefecture's municipalities (idempotent)."""
    d = desk()
    added = sum(
        d.app.register_prefecture(p, on=on.date() if on else None) for p in prefectures or ("11",)
    )
    d.refresh()
    total = d.views.conn.execute("SELECT COUNT(*) FROM municipalities").fetchone()[0]
    done(
        t_(
            f"{added} 市町村を登録しました（登録済み {total}）",
            f"Registered {added} municipalities ({total} in all)",
        ),
        {"registered": added, "municipalities": total},
    )


Scale = Literal["prefecture", "national"]


@click.command("demo")
@click.option(
    "--scale",
    type=click.Choice(["prefecture", "national"]),
    default="prefecture",
    show_default=True,
)
@click.option("--seed", type=int, default=1, show_default=True)
@common
def demo(scale: str, seed: int) -> None:
    """デモデータを生成 / fill an empty store with a realistic history."""
    from tracker.demo import generate

    d = desk(default_user="demo")
    with progress_bar(t_("デモデータ生成", "Generating")) as bar:
        summary = generate(d.app, scale=cast(Scale, scale), seed=seed, progress=bar)
    with progress_bar(t_("集計", "Projecting")) as bar:
        d.refresh(progress=bar)
    done(
        t_(
            f"デモデータを作成しました: 市町村 {summary.municipalities}、専門人材 {summary.experts}、"
            f"案件 {summary.cases}、イベント {summary.events}",
            f"Demo ready: {summary.municipalities} municipalities, {summary.experts} experts, "
            f"{summary.cases} cases, {summary.events} events",
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
    with partial.open("w", encoding="utf-8") as f, progress_bar(t_("書き出し", "Exporting")) as bar:
        count, head, unmatched = export_events(d.app, f, bar)
    partial.replace(output)
    if unmatched:
        click.echo(
            t_(
                f"注意: {unmatched} 件のイベントがチェーンと一致しないため、ダイジェストなしで"
                "書き出しました（banso verify で確認してください）",
                f"Note: {unmatched} events do not match the chain and were written without"
                " a digest (run banso verify)",
            ),
            err=True,
        )
    done(
        t_(
            f"{count} 件のイベントを {output} に書き出しました\n{_head_line(head, count)}",
            f"Exported {count} events to {output}\n{_head_line(head, count)}",
        ),
        {"events": count, "file": str(output), "head": head.hex(), "unmatched": unmatched},
    )


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@common
def import_(file: Path) -> None:
    """バックアップを復元 / restore a backup (importing twice adds nothing)."""
    d = desk()
    unchecked = Unchecked()
    with progress_bar(t_("読み込み", "Importing")) as bar:
        added = import_events(d.app, file, bar, unchecked)
    if unchecked.lines:
        click.echo(
            t_(
                f"注意: {unchecked.lines} 行にはダイジェストがなく、ファイルのチェーンで確認できません"
                "でした（古い banso のバックアップか、手で加えた行です）",
                f"Note: {unchecked.lines} lines carried no digest and could not be checked against"
                " the file's chain (a backup of an older banso, or lines added by hand)",
            ),
            err=True,
        )
    with progress_bar(t_("集計", "Projecting")) as bar:
        d.refresh(progress=bar)
    done(
        t_(f"{added} 件のイベントを取り込みました", f"Imported {added} new events"),
        {"imported": added},
    )


@click.command("export-csv")
@click.argument("table", type=click.Choice(sorted(TABLES)))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--encoding", type=click.Choice(["utf-8-sig", "cp932"]), default="utf-8-sig", show_default=True
)
@common
def export_csv_command(table: str, output: Path, encoding: str) -> None:
    """Excel 用の CSV / a table for Excel."""
    count, replaced = export_csv(desk().views.conn, table, output_path(output), encoding)
    if replaced:
        click.echo(
            t_(
                f"注意: cp932 で表せない {replaced} 文字を ? に置き換えました",
                f"Note: {replaced} characters not in cp932 were replaced by ?",
            ),
            err=True,
        )
    done(
        t_(f"{count} 行を {output} に書き出しました", f"Wrote {count} rows to {output}"),
        {"rows": count, "file": str(output)},
    )


@click.command("rebuild")
@common
def rebuild() -> None:
    """読み取りモデルを作り直す / drop and rebuild every read model."""
    d = desk()
    with progress_bar(t_("再構築", "Rebuilding")) as bar:
        count = d.views.rebuild(d.app, progress=bar)
    done(
        t_(f"{count} 件のイベントから再構築しました", f"Rebuilt from {count} events"),
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
            t_(
                f"64 桁の16進数で指定してください: {printable(value)}",
                f"give 64 hexadecimal digits: {printable(value)}",
            ),
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
    with progress_bar(t_("検査", "Verifying")) as bar:
        report = verify_store(d, bar, expect=expect)
    problems = [_finding(f) for f in report.chain.findings] + report.problems
    if not report.expected_found:
        problems.append(
            t_(
                f"期待したダイジェスト {expect.hex() if expect else ''} はこのストアのチェーンにありません"
                "（ログが書き換えられたか、別のストアのダイジェストです）",
                f"the expected digest {expect.hex() if expect else ''} is not in this store's chain"
                " (the log was rewritten, or the digest is another store's)",
            )
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
                    t_("問題は見つかりませんでした", "No problems found")
                    if report.ok
                    else t_(f"{len(problems)} 件の問題:", f"{len(problems)} problems:"),
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
    return t_(
        f"チェーンの先頭: {head.hex()}（イベント {events} 件）",
        f"chain head: {head.hex()} ({events} events)",
    )


def _notes(report: Report) -> list[str]:
    """What verify says without failing: how the chain began, where the expected digest is."""
    notes = []
    if not report.compared:
        notes.append(
            t_(
                "読み取りモデルは照合していません（ログがチェーンと一致しないため。"
                "バックアップから復元してください）",
                "the read models were not compared (the log does not match its chain:"
                " restore it from a backup)",
            )
        )
    if report.started and report.started[0] > 0:
        count, began = report.started
        notes.append(
            t_(
                f"チェーンは {printable(began)} に、それまでに記録された {count} 件のイベントの上に"
                "作られました（それより前の改変は検出できません）",
                f"the chain was begun on {printable(began)} over the {count} events recorded"
                " before it (changes made before then cannot be detected)",
            )
        )
    at, last = report.chain.expected_at, report.chain.chained
    if at is not None and at == last:
        notes.append(
            t_(
                "期待したダイジェストはチェーンの先頭です",
                "the expected digest is the chain's head",
            )
        )
    elif at is not None:
        notes.append(
            t_(
                f"期待したダイジェストはチェーン位置 {at} のものです（その後 {last - at} 件を記録）",
                f"the expected digest is the chain's at position {at} ({last - at} events"
                " recorded since)",
            )
        )
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
    messages = {
        "altered": (
            f"イベント {e} は記録後に書き換えられています（チェーン位置 {p} のダイジェストと一致しません）",
            f"event {e} was altered after it was recorded (it does not match the digest"
            f" chained at position {p})",
        ),
        "altered_last": (
            f"イベント {e} がチェーン位置 {p} のダイジェストと一致しません（最後のイベントのため、"
            "イベントかチェーンの最終行のどちらかが書き換えられています）",
            f"event {e} does not match the digest chained at position {p} (the last one: the"
            " event or the chain's last row was altered)",
        ),
        "chain_altered": (
            f"チェーン位置 {p} のダイジェストが書き換えられています（イベント {e} は記録どおりです）",
            f"the chain's digest at position {p} was altered (event {e} is as recorded)",
        ),
        "ids_altered": (
            f"イベント {e} の識別子が書き換えられています（チェーン位置 {p} には {k} として記録）",
            f"event {e} had its ids altered (chained at position {p} as {k})",
        ),
        "removed": (
            f"チェーン位置 {p} のイベント {k} がログから削除されています",
            f"event {k}, chained at position {p}, was removed from the log",
        ),
        "inserted": (
            f"イベント {e} はチェーンにありません（banso を通さずに追加されたか、チェーンの行が"
            "削除されています）",
            f"event {e} is not in the chain (inserted outside banso, or its chain row removed)",
        ),
        "unchained": (
            f"イベント {e} のチェーンの行（位置 {p}）が削除されています",
            f"event {e} lost its chain row (position {p} was removed)",
        ),
        "chain_gap": (
            f"チェーン位置 {p}–{o} の行が削除されています",
            f"chain rows {p}–{o} were removed",
        ),
        "reordered": (
            f"イベント {e} の順序が入れ替えられています（チェーン位置 {p} ですが、位置 {o} の後にあります）",
            f"event {e} is out of order (chained at position {p}, found after position {o})",
        ),
        "hidden": (
            f"イベント {e} は通知 ID を 1 未満に変えられ、読み手から隠されています（チェーン位置 {p}）",
            f"event {e} was hidden below notification id 1, where no reader looks (chained at"
            f" position {p})",
        ),
        "count": (
            "ログとチェーンのイベント数が一致しません",
            "the log and the chain hold different numbers of events",
        ),
    }
    ja, en = messages["altered_last" if f.kind == "altered" and f.last else f.kind]
    return t_(ja, en)


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


@click.command("tui")
@common
def tui() -> None:
    """TUI を開く / open the terminal UI."""
    from tui.app import run

    run(desk())
