"""``python -m benchmarks [--size national|ci] [--check] [--cipher]``: print the table,
write JSON. ``--cipher`` measures the same store encrypted (a new key, AES-GCM)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.run import SIZES, check, load_baseline, machine, run, verdict
from tracker.application.cipher import new_key

HERE = Path(__file__).parent


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--size", choices=sorted(SIZES), default="national")
    parser.add_argument("--check", action="store_true", help="exit 1 if a ratio < half its target")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--cipher", action="store_true", help="measure the store encrypted with a new key"
    )
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 26))
    args = parser.parse_args()

    key = new_key() if args.cipher else None
    figures = run(SIZES[args.size], args.cache, args.today, key)
    result = {"machine": machine(), "figures": figures}
    name = f"{args.size}-cipher" if args.cipher else args.size
    out = args.out or HERE / "results" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    table = Table("figure", "value", "target", title=f"banso benchmarks ({args.size})")
    for name, value in figures.items():
        table.add_row(name, str(value), verdict(name, value))
    console = Console()
    console.print(table)
    console.print(f"machine: {result['machine']}  ->  {out}")
    failures = check(figures, load_baseline(args.size)) if args.check else []
    for failure in failures:
        console.print(f"[red]regression: {failure}[/red]")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
