"""``banso config show`` and ``banso config set KEY VALUE``: the settings, wherever they live.

Two places, one command. The settings file (``tracker.desk.config``: who records, the
language, the mail server, the address book) is one person's, and no store is opened for
it. The rule book (``rules.*``, ``due.within``: thresholds and day kinds) is the desk's: a
change is recorded in the store as an event with the day it takes effect (``--on``), so
every desk member sharing the store uses it, and ``--as-of`` answers keep the settings of
their day.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from projections.queries.settings import changed_on, rule_settings
from tracker.application.cipher import new_key
from tracker.application.private import write_key_file
from tracker.application.store import check_store
from tracker.cli.common import as_of_option, common, desk, emit, lang, on_option, records, table
from tracker.cli.common import settings as cli_settings
from tracker.desk.config import file_key, keys, load_config, set_value, show
from tracker.desk.settings import config_file
from tracker.domain.choices import Choices
from tracker.domain.errors import InvalidInputError, StoreMissingError
from tracker.domain.inputs import today
from tracker.domain.rulebook import DEFAULT_SETTINGS, DEFAULTS, is_setting
from tracker.language import say


@click.group("config")
def config() -> None:
    """設定 / the settings: the file's (user, lang, smtp, addresses) and the desk's rules."""


@config.command("show")
@as_of_option
@common
def config_show(as_of) -> None:
    """設定を表示 / every key, its value and what it is for (rules as of a day)."""
    file = config_file()
    settings = show(load_config(file), lang())
    rules = _rules(as_of)

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
        table(
            ["cli.col.key", "cli.col.value", "cli.col.since", "cli.col.about"],
            [
                (
                    r["key"],
                    _value_words(r["key"], r["value"]),
                    r["since"] or say("cli.config.default", lang()),
                    say(f"setting.{r['key']}", lang()),
                )
                for r in data["rules"]
            ],
            title=say("cli.config.rules", lang(), day=data["as_of"] or today().isoformat()),
        )

    day = as_of.isoformat() if as_of else None
    emit({"file": str(file), "settings": settings, "rules": rules, "as_of": day}, human)


@config.command("set")
@click.argument("key", metavar="KEY")
@click.argument("value", metavar="VALUE")
@on_option
@common
@records
def config_set(key: str, value: str, on) -> None:
    """設定を保存 / set KEY to VALUE ("" unsets a file key; rules.* from --on, default today).

    rules.* と due.within は事務局の設定として記録され（ストアに、発効日つき）、共有されます。
    rules.* and due.within are the desk's: recorded in the store with the day they take effect.
    """
    if is_setting(key):
        _set_rule(key, value, on)
        return
    if file_key(key) is None:
        known = [k for k, _ in keys()] + list(DEFAULTS)
        choices = Choices(tuple((k, {}) for k in known))
        raise InvalidInputError(field="config_key", reason="choice", value=key, choices=choices)
    if on is not None:
        raise InvalidInputError(field="on", reason="file_setting", value=key)
    file = config_file()
    saved = set_value(file, key, value)
    now = {s["key"]: s["value"] for s in show(saved, lang())}.get(key)
    words = "cli.config.set" if now is not None else "cli.config.unset"
    emit(
        {"key": key, "value": now, "file": str(file)},
        lambda _: click.echo(say(words, lang(), key=key, value=now, file=file)),
    )


def _set_rule(key: str, value: str, on: Any) -> None:
    d = desk()
    changed = d.app.change_setting(key, value, on=on)
    d.refresh()
    now = rule_settings(d.views.conn, on).values[key]
    since = changed_on(d.views.conn, on).get(key)
    words = "cli.config.rule_set" if changed else "cli.config.rule_same"
    emit(
        {"key": key, "value": now, "since": since, "changed": changed},
        lambda _: click.echo(
            say(words, lang(), key=key, value=_value_words(key, now), since=since or "-")
        ),
    )


def _rules(as_of: Any) -> list[dict[str, Any]]:
    """The rule book on ``as_of``: from the store when there is one, else the defaults."""
    try:
        check_store(cli_settings().store, create=False)
    except StoreMissingError:
        values, since = DEFAULT_SETTINGS.values, {}
    else:
        conn = desk().views.conn
        values, since = rule_settings(conn, as_of).values, changed_on(conn, as_of)
    return [
        {"key": k, "value": values[k], "default": DEFAULTS[k], "since": since.get(k)}
        for k in DEFAULTS
    ]


def _value_words(key: str, value: Any) -> str:
    """``10``, or a day kind in words (開庁日)."""
    return say(f"day_kind.{value}", lang()) if key.endswith(".day_kind") else str(value)


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
