"""Helpers of the sheet tests: dates relative to today, the real ``banso`` command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from tracker.domain.inputs import today

BANSO = shutil.which("banso", path=str(Path(sys.executable).parent)) or "banso"
KAWAGUCHI, YOKOZE, HIGASHICHICHIBU = "112038", "113611", "113697"


def ago(days: int) -> date:
    return today() - timedelta(days=days)


@dataclass(frozen=True)
class Run:
    code: int
    out: bytes
    err: str

    @property
    def text(self) -> str:
        return self.out.decode("utf-8-sig")


def banso(store: Path, *args: str, lang: str = "ja", user: str = "事務局A") -> Run:
    """Run the real ``banso`` console script against ``store``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BANSO_")}
    env |= {"BANSO_LANG": lang, "BANSO_USER": user}
    done = subprocess.run(
        [BANSO, "--store", str(store), *args], capture_output=True, env=env, timeout=120
    )
    return Run(done.returncode, done.stdout, done.stderr.decode("utf-8"))
