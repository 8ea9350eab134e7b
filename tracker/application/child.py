"""Starting a Python process of banso's own: the import's writer, the rebuild's case folder.

Each is a new interpreter (not a fork: the process starting it has connections open, and
maybe threads), which must find banso's packages as this one does, installed or not.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

#: The folder holding banso's packages (``events``, ``tracker``, ``projections``).
ROOT = str(Path(__file__).resolve().parents[2])


def start(args: list[str], **options: Any) -> subprocess.Popen[bytes]:
    """``python ARGS`` with this interpreter and environment, banso's packages first on
    its ``PYTHONPATH``."""
    env = os.environ | {
        "PYTHONPATH": os.pathsep.join(filter(None, (ROOT, os.environ.get("PYTHONPATH"))))
    }
    return subprocess.Popen([sys.executable, *args], env=env, **options)
