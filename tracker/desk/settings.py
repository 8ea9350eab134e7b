"""Settings: where the store and read models live, the language, who records.

Each value comes from the command line, else an environment variable, else the desk's
settings file (``tracker.desk.config``; ``banso config set``), else a default. This is the
one module that reads banso's environment variables: the application records as the user
it is given, the CLI and the TUI speak the language they are given.
"""

from __future__ import annotations

import getpass
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import platformdirs

from tracker.application.store import MEMORY, is_postgres
from tracker.desk.config import LANGS, DeskConfig, Lang, load_config
from tracker.domain.choices import Choices
from tracker.domain.errors import BansoError, InvalidInputError

__all__ = ["LANGS", "Lang", "Settings"]

APP_NAME = "banso"


def login_name() -> str:
    """The login name, for who records when nobody is named."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


@dataclass(frozen=True)
class Settings:
    """Everything the composition root needs to build banso."""

    store: str
    """A SQLite file path, ``memory:`` or a ``postgresql://`` URL (``--store``/``BANSO_STORE``)."""
    lang: Lang = "ja"
    """Language of labels and messages (``--lang``/``BANSO_LANG``)."""
    user: str = field(default_factory=login_name)
    """Who records (``--user``/``BANSO_USER``, else ``user`` in the settings file, else the
    login name)."""
    user_is_login: bool = False
    """Nobody named who records, so the login name does: the CLI says so when it records,
    the TUI asks for the name and keeps it in the settings file."""
    read_models: str | None = None
    """The read-model SQLite file; by default beside the store (``BANSO_READ_MODELS``)."""
    cipher_key_text: str | None = field(default=None, repr=False)
    """The store's encryption key (``BANSO_CIPHER_KEY``): base64, as ``banso keygen`` prints."""
    cipher_key_file: str | None = None
    """A file holding that key (``BANSO_CIPHER_KEY_FILE``, else ``cipher_key_file`` in the
    settings file), read when the store is opened."""
    exit_after_paint: bool = False
    """The TUI quits once the dashboard is painted (``BANSO_TUI_EXIT_AFTER_PAINT``): how the
    benchmarks time a cold start."""

    @classmethod
    def load(
        cls,
        *,
        store: str | None = None,
        lang: str | None = None,
        user: str | None = None,
        read_models: str | None = None,
        default_user: str | None = None,
    ) -> Settings:
        """Settings from explicit values, then the environment, then defaults;
        ``default_user`` records when neither ``user`` nor BANSO_USER names someone."""
        env = os.environ
        config = load_config(config_file())
        named = user or env.get("BANSO_USER") or config.user or default_user
        return cls(
            store=store or env.get("BANSO_STORE") or default_store(),
            lang=language(lang, config),
            user=named or login_name(),
            user_is_login=not named,
            read_models=read_models or env.get("BANSO_READ_MODELS") or None,
            cipher_key_text=env.get("BANSO_CIPHER_KEY") or None,
            cipher_key_file=env.get("BANSO_CIPHER_KEY_FILE") or config.cipher_key_file,
            exit_after_paint=bool(env.get("BANSO_TUI_EXIT_AFTER_PAINT")),
        )

    def cipher_key(self) -> str | None:
        """The store's encryption key, if one is given (the variable, else the key file);
        a key file that cannot be read is refused in one line."""
        if self.cipher_key_text:
            return self.cipher_key_text
        if not self.cipher_key_file:
            return None
        try:
            return Path(self.cipher_key_file).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            raise InvalidInputError(
                field="cipher_key_file", reason="key_file", value=self.cipher_key_file
            ) from None

    @property
    def read_model_path(self) -> str:
        """Where the read models live: beside a file store, in the cache dir for PostgreSQL."""
        if self.read_models:
            return self.read_models
        if self.store == MEMORY:
            return MEMORY
        if is_postgres(self.store):
            digest = hashlib.sha256(self.store.encode()).hexdigest()[:16]
            cache = Path(platformdirs.user_cache_dir(APP_NAME))
            return str(cache / f"read-models-{digest}.sqlite")
        path = Path(self.store)
        return str(path.with_name(path.stem + ".views.sqlite"))


def holidays_path() -> Path:
    """Where the holidays library's answers are kept (``tracker.desk.holiday_file``)."""
    return Path(platformdirs.user_cache_dir(APP_NAME)) / "holidays-jp.json"


def default_store() -> str:
    """The store in the user's data directory."""
    return str(Path(platformdirs.user_data_dir(APP_NAME)) / "banso.sqlite")


def config_file() -> Path:
    """The desk's settings file: ``BANSO_CONFIG``, else config.toml in the user config dir."""
    named = os.environ.get("BANSO_CONFIG")
    return Path(named) if named else Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def wanted_language(lang: str | None = None, config: DeskConfig | None = None) -> str:
    """The language asked for, unchecked: ``lang`` (--lang), else BANSO_LANG, else the
    settings file's, else Japanese (a settings file that cannot be read names none here:
    its refusal needs a language too)."""
    if lang or os.environ.get("BANSO_LANG"):
        return lang or os.environ["BANSO_LANG"]
    if config is None:
        try:
            config = load_config(config_file())
        except BansoError:
            config = DeskConfig()
    return config.lang or "ja"


def language(lang: str | None = None, config: DeskConfig | None = None) -> Lang:
    """The language asked for (``wanted_language``); one banso does not speak is refused."""
    wanted = wanted_language(lang, config)
    if wanted not in LANGS:
        choices = Choices(tuple((lang, {}) for lang in LANGS))
        raise InvalidInputError(field="lang", reason="choice", value=wanted, choices=choices)
    return cast(Lang, wanted)


def debugging() -> bool:
    """Whether an internal error shows its traceback (``BANSO_DEBUG``), not one line."""
    return bool(os.environ.get("BANSO_DEBUG"))


def smtp_password_from_environment() -> str | None:
    """The SMTP login's password from ``BANSO_SMTP_PASSWORD`` (when no password file is
    set): for a cron job whose environment is kept where only it can read it."""
    return os.environ.get("BANSO_SMTP_PASSWORD") or None
