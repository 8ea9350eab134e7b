"""One measured operation in a fresh process, so its peak memory is its own.

``python -m benchmarks.child import SRC.jsonl STORE`` or ``... rebuild STORE`` (either
followed by ``--key KEY`` for an encrypted store) prints
``{"seconds": ..., "events": ..., "peak_rss_mb": ...}`` on stdout.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from tracker.application.backup import import_events
from tracker.desk.bootstrap import bootstrap
from tracker.desk.settings import Settings


def _peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM; ru_maxrss would count the parent's before exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> None:
    operation, *args = argv
    key = args[args.index("--key") + 1] if "--key" in args else None
    if operation == "import":
        source, store = Path(args[0]), args[1]
        desk = bootstrap(Settings(store=store, user="bench", cipher_key_text=key))
        started = time.perf_counter()
        events = import_events(desk.app, source)
    elif operation == "rebuild":
        desk = bootstrap(Settings(store=args[0], user="bench", cipher_key_text=key))
        started = time.perf_counter()
        events = desk.views.rebuild(desk.log)
    else:
        raise SystemExit(f"unknown operation {operation}")
    seconds = time.perf_counter() - started
    # the import's writer process counts too: the sum of both peaks bounds what ran at once
    peak = _peak_rss_mb() + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "events": events, "peak_rss_mb": round(peak, 1)}))


if __name__ == "__main__":
    main(sys.argv[1:])
