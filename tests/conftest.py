"""Fixtures of every suite: no test reads or writes the settings file of whoever runs it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Fixtures made once per session start banso too: they get a settings file of their own.
os.environ["BANSO_CONFIG"] = str(Path(tempfile.mkdtemp(prefix="banso-config-")) / "config.toml")


@pytest.fixture(autouse=True)
def own_settings_file(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A settings file of the test's own (``BANSO_CONFIG``, not there until written); the
    ``banso`` processes a test starts inherit it."""
    path = tmp_path_factory.mktemp("config") / "config.toml"
    monkeypatch.setenv("BANSO_CONFIG", str(path))
    return path
