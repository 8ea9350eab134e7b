"""``banso config show`` and ``banso config set KEY VALUE``: the desk's settings file.

No store is opened: these read and write the settings file only (``tracker.desk.config``).
"""

from __future__ import annotations

from pathlib import Path

import click

from tracker.application.cipher import new_key
from tracker.application.private import write_key_file
from tracker.cli.common import common, emit, lang, table
from tracker.desk.config import load_config, set_value, show
from tracker.desk.settings import config_file
from tracker.language import say


@click.group("config")
def config() -> None:
    """設定 / the settings file (user, lang)."""


@config.command("show")
@common
def config_show() -> None:
    """設定を表示 / every key, its value and what it is for."""
    file = config_file()
    settings = show(load_config(file))

    def human(data: dict) -> None:
        click.echo(say("cli.config.file", lang(), file=data["file"]))
        table(
            ["cli.col.key", "cli.col.value", "cli.col.type", "cli.col.about"],
            [
                (
                    s["key"],
                    say("cli.config.not_set", lang()) if s["value"] is None else s["value"],
                    s["type"],
                    s["doc"],
                )
                for s in data["settings"]
            ],
        )

    emit({"file": str(file), "settings": settings}, human)


@config.command("set")
@click.argument("key", metavar="KEY")
@click.argument("value", metavar="VALUE")
@common
def config_set(key: str, value: str) -> None:
    """設定を保存 / set KEY to VALUE in the settings file ("" unsets it; banso config show)."""
    file = config_file()
    saved = set_value(file, key, value)
    now = {s["key"]: s["value"] for s in show(saved)}[key]
    words = "cli.config.set" if now is not None else "cli.config.unset"
    emit(
        {"key": key, "value": now, "file": str(file)},
        lambda _: click.echo(say(words, lang(), key=key, value=now, file=file)),
    )


@click.command("keygen")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="鍵ファイルを新規作成（所有者のみ読み書き可） / write the key to a new file, owner only",
)
@common
def keygen(output: Path | None) -> None:
    """暗号鍵を生成 / print a new encryption key for BANSO_CIPHER_KEY (AES-256-GCM)."""
    key = new_key()
    if output is None:
        emit({"key": key}, lambda _: click.echo(key))
        click.echo(say("cli.keygen.hint", lang()), err=True)
        return
    write_key_file(output, key)
    emit(
        {"file": str(output)},
        lambda _: click.echo(say("cli.keygen.written", lang(), file=output)),
    )
