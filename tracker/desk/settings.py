"""Settings: where the store and read models live, the language, who records.

Each value comes from the command line, else an environment variable, else a default.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import platformdirs

from tracker.application.store import MEMORY, is_postgres
from tracker.domain.errors import InvalidInputError

Lang = Literal["ja", "en"]
APP_NAME = "banso"


@dataclass(frozen=True)
class Settings:
    """Everything the composition root needs to build banso."""

    store: str
    """A SQLite file path, ``memory:`` or a ``postgresql://`` URL (``--store``/``BANSO_STORE``)."""
    lang: Lang = "ja"
    """Language of labels and messages (``--lang``/``BANSO_LANG``)."""
    user: str | None = None
    """Who records (``--user``/``BANSO_USER``, else the login name)."""
    read_models: str | None = None
    """The read-model SQLite file; by default beside the store (``BANSO_READ_MODELS``)."""

    @classmethod
    def load(
        cls,
        *,
        store: str | None = None,
        lang: str | None = None,
        user: str | None = None,
        read_models: str | None = None,
    ) -> Settings:
        """Settings from explicit values, then the environment, then defaults."""
        env = os.environ
        lang = lang or env.get("BANSO_LANG") or "ja"
        if lang not in ("ja", "en"):
            raise InvalidInputError(field="lang", reason="choice", value=lang)
        return cls(
            store=store or env.get("BANSO_STORE") or default_store(),
            lang=lang,  # type: ignore[arg-type]
            user=user or env.get("BANSO_USER") or None,
            read_models=read_models or env.get("BANSO_READ_MODELS") or None,
        )

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


def default_store() -> str:
    """The store in the user's data directory."""
    return str(Path(platformdirs.user_data_dir(APP_NAME)) / "banso.sqlite")
