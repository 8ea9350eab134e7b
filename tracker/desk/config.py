"""The desk's settings file: what a person sets once (``banso config set user 佐藤``).

A TOML file in the user's config directory (platformdirs; ``BANSO_CONFIG`` names another,
read in ``tracker.desk.settings``). Its keys are the fields of ``DeskConfig``, each with a
type, and what it is for in the catalogue (``setting.KEY``, both languages), so ``banso
config show`` can list them and ``banso config set`` can refuse a key or a value that would
not do. A group of keys is a nested model, written as a TOML table and set by a dotted key
(``smtp.host``); the address book is a table of its own whose keys are owners
(``addresses.E001``). Reading uses ``tomllib``; writing uses ``tomlkit``, which keeps the
comments and the order of a file someone edited by hand.

What is one machine's or one person's lives here: who records, the language, the mail
server the daily digest goes through and where each owner's digest is sent. The stall
rules' thresholds and day kinds are the desk's, shared and dated: they are recorded in
the store (``tracker.domain.rulebook``), though ``config show``/``config set`` list and set
them too.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from tracker.domain.choices import Choices, choose
from tracker.domain.errors import InvalidInputError
from tracker.domain.inputs import MAX_SHORT, clean_text
from tracker.language import say

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = get_args(Lang)


class Smtp(BaseModel):
    """The mail server ``banso digest --send`` hands the digests to."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    host: str | None = None
    port: int | None = None
    user: str | None = None
    password_file: str | None = None
    sender: str | None = Field(default=None, alias="from")
    starttls: bool | None = None


class DeskConfig(BaseModel):
    """Everything ``banso config set`` can set; a key not set falls back to its default.
    What each key is for, in both languages, is the catalogue's ``setting.KEY``
    (``tracker/language/labels.toml``), which ``show`` gives."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    user: str | None = None
    lang: Lang | None = None
    cipher_key_file: str | None = None
    smtp: Smtp = Smtp()
    addresses: dict[str, str] = {}

    @field_validator("addresses")
    @classmethod
    def _mailboxes(cls, value: dict[str, str]) -> dict[str, str]:
        for owner, address in value.items():
            if not is_mailbox(address):
                raise ValueError(f"{owner}: not a mail address: {address}")
        return value


def is_mailbox(address: str) -> bool:
    """``name@example.jp``: one address, no blanks, a domain with a dot."""
    local, at, domain = address.partition("@")
    return bool(at and local and "." in domain) and not any(ch.isspace() for ch in address)


#: A table whose keys are chosen by whoever fills it (``addresses.E001``).
TABLES = ("addresses",)


def keys(model: type[BaseModel] = DeskConfig, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every settable key (dotted for a group's keys, by the name the file uses) with its
    field; a table of free keys is named ``addresses.*``."""
    for name, info in model.model_fields.items():
        nested = info.annotation
        if isinstance(nested, type) and issubclass(nested, BaseModel):
            yield from keys(nested, f"{prefix}{info.alias or name}.")
        elif name in TABLES:
            yield f"{prefix}{name}.*", info
        else:
            yield f"{prefix}{info.alias or name}", info


def load_config(path: Path) -> DeskConfig:
    """The settings in ``path``; none set when the file does not exist. A file that is not
    TOML, or holds a key or a value that would not do, is refused naming the file."""
    if not path.is_file():
        return DeskConfig()
    try:
        return DeskConfig.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise InvalidInputError(field="config", reason="config", value=f"{path}: {e}") from None
    except ValidationError as e:
        raise InvalidInputError(
            field="config", reason="config", value=f"{path}: {_first(e)}"
        ) from None


def show(config: DeskConfig, lang: str = "ja") -> list[dict[str, Any]]:
    """Each key, its value (None if not set), its type and what it is for (in ``lang``); a
    table of free keys shows each key set in it (and nothing when none is)."""
    values = config.model_dump(by_alias=True)
    found = []
    for key, info in keys():
        doc = say(f"setting.{key}", lang)
        if key.endswith(".*"):
            table = key.removesuffix(".*")
            found += [
                {"key": f"{table}.{k}", "value": v, "type": "str", "doc": doc}
                for k, v in values[table].items()
            ]
            continue
        value: Any = values
        for part in key.split("."):
            value = value[part]
        found.append({"key": key, "value": value, "type": _type_name(info.annotation), "doc": doc})
    return found


def file_key(key: str) -> str | None:
    """The settable key ``key`` is (``addresses.E001`` is one of ``addresses.*``), or None."""
    known = dict(keys())
    if key in known:
        return key
    table, dot, rest = key.partition(".")
    return f"{table}.*" if dot and rest and f"{table}.*" in known else None


def set_value(path: Path, key: str, value: str) -> DeskConfig:
    """Set ``key`` to ``value`` in the file (made if missing); an empty value unsets it.
    The key and the value are checked first: a refusal changes nothing."""
    known = dict(keys())
    settable = file_key(key)
    if settable is None:
        choices = Choices(tuple((k, {}) for k in known))
        raise InvalidInputError(field="config_key", reason="choice", value=key, choices=choices)
    annotation = str if settable.endswith(".*") else known[settable].annotation
    typed = _typed(key, annotation, value) if value.strip() else None
    if settable.endswith(".*") and typed is not None and not is_mailbox(typed):
        raise InvalidInputError(field=key, reason="mailbox", value=value)
    document = _document(path)
    table: Any = document
    *groups, name = key.split(".", 1) if settable.endswith(".*") else key.split(".")
    for group in groups:
        table = table.setdefault(group, {})
    if typed is None:
        table.pop(name, None)
    else:
        table[name] = typed
    config = DeskConfig.model_validate(document.unwrap())
    _write(path, document)
    return config


def _typed(key: str, annotation: Any, value: str) -> Any:
    """``value`` as the key's type: one of a choice's values (``ja``), a number, a name."""
    allowed = next((get_args(a) for a in get_args(annotation) if get_origin(a) is Literal), ())
    if allowed:
        return choose(value, tuple((v, {}) for v in allowed), key)
    text = clean_text(value, key, limit=MAX_SHORT)
    try:
        return TypeAdapter(annotation).validate_python(text)
    except ValidationError as e:
        raise InvalidInputError(
            field=key, reason="config_value", value=value, detail=_first(e)
        ) from None


def _document(path: Path) -> Any:
    import tomlkit  # only when writing

    load_config(path)  # a broken file is refused, not overwritten
    return tomlkit.parse(path.read_text(encoding="utf-8")) if path.is_file() else tomlkit.document()


def _write(path: Path, document: Any) -> None:
    """Replace the file whole (a half-written settings file would stop every command)."""
    import tomlkit

    from tracker.desk.outputs import write_file  # it reads the settings module, as this does

    path.parent.mkdir(parents=True, exist_ok=True)
    text = tomlkit.dumps(document).encode("utf-8")
    write_file(path, lambda f: f.write(text))  # a settings file kept as a link stays one


def _first(error: ValidationError) -> str:
    """The first problem pydantic found, in one line: where and what."""
    problem = error.errors()[0]
    where = ".".join(str(p) for p in problem["loc"])
    return f"{where}: {problem['msg']}" if where else problem["msg"]


def _type_name(annotation: Any) -> str:
    """``str``, ``ja|en``: a field's type as ``config show`` names it."""
    args = [a for a in get_args(annotation) if a is not type(None)] or [annotation]
    if len(args) == 1 and get_args(args[0]):
        args = list(get_args(args[0]))
    return "|".join(a if isinstance(a, str) else a.__name__ for a in args)
