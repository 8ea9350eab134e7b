"""Write the schema-evolution fixture of this version: a small store, its export, and what
the desk's questions answered from it (``tests/fixtures/schema/``).

Every later version must load, verify, rebuild and answer the same questions from the
committed files (``tests/foundation/test_schema_fixtures.py``). The store is made by the
real ``banso`` command, one recording command at a time, and holds every event kind that
``projections/kinds.py`` declares, corrections and withdrawals included. Business dates are
in the past of the day it is written (the future is refused); the questions are asked "as
of" a fixed day of the fixture, so they answer the same on any later day.

Run it once per read-model schema version (``scripts/write-schema-fixtures``); never over a
fixture already committed: a fixture is history, kept as it was written.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from projections.kinds import KINDS  # noqa: E402
from projections.schema import SCHEMA_VERSION  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "schema"
#: The questions every later version must answer the same: file name -> banso arguments
#: (``{as_of}`` and ``{fiscal_year}`` filled in from the manifest); a ``.json`` answer is
#: asked with ``--json``, the briefing (which has no JSON) as the Markdown it prints.
QUESTIONS: dict[str, list[str]] = {
    "timeline-kawaguchi.json": ["timeline", "112038", "--as-of", "{as_of}"],
    "timeline-chichibu.json": ["timeline", "112071", "--as-of", "{as_of}"],
    "stalled.json": ["stalled", "--as-of", "{as_of}"],
    "stats.json": ["stats", "--fiscal-year", "{fiscal_year}", "--as-of", "{as_of}"],
    # contacts' e-mail and phone (the 連絡先 column) need --include-personal since they
    # leave briefings by default (APPI): asked so, the kept answer is the same
    "briefing-kawaguchi.md": ["briefing", "112038", "--as-of", "{as_of}", "--include-personal"],
    "case-list.json": ["case", "list", "--status", "all"],
    "silent.json": ["silent", "--as-of", "{as_of}", "--months", "1"],
}


class Banso:
    """The installed ``banso`` console script against one store, as a user runs it."""

    def __init__(self, store: Path, home: Path) -> None:
        found = shutil.which("banso", path=str(Path(sys.executable).parent))
        self.program = found or shutil.which("banso") or "banso"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("BANSO_")}
        self.env |= {
            "BANSO_STORE": str(store),
            "BANSO_USER": "事務局 田中",
            "BANSO_CONFIG": str(home / "config.toml"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_DATA_HOME": str(home / "data"),
        }

    def __call__(self, *args: str) -> Any:
        """Run ``banso --json ARGS``; its JSON output (a command that fails stops the run)."""
        out = self.text("--json", *args).strip()
        return json.loads(out) if out else None

    def text(self, *args: str) -> str:
        """Run ``banso ARGS``; what it printed."""
        done = subprocess.run([self.program, *args], capture_output=True, env=self.env, timeout=120)
        if done.returncode != 0:
            raise SystemExit(f"banso {args!r} -> {done.returncode}: {done.stderr.decode()}")
        return done.stdout.decode("utf-8")


def entry_of(history: Sequence[dict[str, Any]], kind: str, nth: int = 0) -> str:
    """The entry number of the ``nth`` entry of ``kind`` in a history."""
    return str([row["entry"] for row in history if row["kind"] == kind][nth])


def record_history(banso: Banso, today: date) -> dict[str, Any]:
    """Record a small desk's quarter, every kind of event in it; what the manifest needs."""

    def on(days: int) -> str:
        return (today - timedelta(days=90 - days)).isoformat()

    banso("muni", "add", "112038", "川口市", "--kana", "かわぐちし", "--population", "600000",
          "--on", on(0))  # fmt: skip
    banso("muni", "add", "112071", "秩父市", "--population", "60000", "--on", on(0))
    banso("muni", "add", "112089", "所沢市", "--population", "340000", "--on", on(0))
    banso("muni", "update", "川口市", "--it-staff", "6", "--population", "605000", "--on", on(0))
    banso("topic", "add", "K", "窓口DX", "--en", "Front-desk DX", "--on", on(0))
    banso(
        "contact", "assign", "川口市", "佐藤花子", "--role", "情報政策課 主査",
        "--email", "sato@example.jp", "--phone", "048-000-0000", "--on", on(0),
    )  # fmt: skip
    banso("contact", "assign", "川口市", "高橋健", "--role", "情報政策課 主任", "--on", on(0))
    first = banso("expert", "add", "山田太郎", "--specialty", "B", "--background", "自治体SE",
                  "--on", on(0))  # fmt: skip
    second = banso("expert", "add", "鈴木一郎", "--specialty", "K", "--on", on(0))
    third = banso("expert", "add", "佐藤三郎", "--specialty", "B", "--on", on(0))
    expert, leaver, successor = first["expert"], second["expert"], third["expert"]
    banso("config", "set", "rules.dormant.days", "45", "--on", on(0))

    opened = banso(
        "case", "open", "川口市", "--topic", "B", "--summary", "標準化移行の相談",
        "--channel", "mail", "--contact", "佐藤花子", "--on", on(1),
    )  # fmt: skip
    kawaguchi = opened["case"]
    banso("case", "apply", kawaguchi, "--on", on(2))
    banso("case", "dispatch", kawaguchi, "--expert", expert, "--on", on(5))
    banso(
        "case", "visit", kawaguchi, "--report", "移行計画を確認した", "--expert", expert,
        "--next-step", "ベンダー見積を比較", "--on", on(10),
    )  # fmt: skip
    banso("case", "commit", kawaguchi, "教材を送付", "--owner", "事務局:佐藤", "--due", on(20),
          "--on", on(10))  # fmt: skip
    banso("case", "follow-up", kawaguchi, "--due", on(30), "--note", "見積の確認", "--on", on(10))
    banso("case", "follow-up", kawaguchi, "--due", on(35), "--note", "二回目", "--on", on(10))
    banso("case", "follow-up-reschedule", kawaguchi, "2", "--due", on(36), "--on", on(11))
    banso("case", "follow-up-cancel", kawaguchi, "2", "--note", "不要になった", "--on", on(12))
    banso("case", "commitment-done", kawaguchi, "1", "--note", "比較した", "--on", on(25))
    banso("case", "commitment-cancel", kawaguchi, "2", "--note", "送付不要", "--on", on(26))
    banso("case", "follow-up-done", kawaguchi, "--note", "見積を確認した", "--on", on(30))
    banso("case", "note", kawaguchi, "議会説明の日程が決まった", "--on", on(31))
    banso("case", "note", kawaguchi, "別の案件のメモ（誤り）", "--on", on(31))
    banso("case", "feedback", kawaguchi, "--rating", "4", "--comment", "助かった", "--on", on(32))
    banso("case", "close", kawaguchi, "--resolution", "resolved", "--note", "完了", "--on", on(33))
    banso("case", "reopen", kawaguchi, "--note", "追加の相談", "--on", on(40))
    banso("case", "reassign", kawaguchi, "--from", expert, "--to", successor,
          "--note", "担当替え", "--on", on(41))  # fmt: skip
    history = banso("case", "show", kawaguchi)["history"]
    visit = entry_of(history, "visit-reported")
    banso("case", "correct", kawaguchi, visit, "--text", "移行計画と見積を確認した",
          "--reason", "報告の書き漏れ")  # fmt: skip
    banso("case", "correct", kawaguchi, entry_of(history, "note-added"), "--date", on(32),
          "--reason", "日付の誤り")  # fmt: skip
    banso("case", "withdraw", kawaguchi, entry_of(history, "note-added", 1),
          "--reason", "別の案件に記録した")  # fmt: skip

    chichibu = banso(
        "case", "open", "秩父市", "--topic", "K", "--summary", "窓口のオンライン化",
        "--on", on(3),
    )["case"]  # fmt: skip
    banso("case", "apply", chichibu, "--on", on(45))
    wrong = banso(
        "case", "open", "所沢市", "--topic", "B", "--summary", "川口市の相談（誤登録）",
        "--on", on(4),
    )["case"]  # fmt: skip
    banso("case", "withdraw", wrong, "--reason", "市町村の誤り")

    banso("outreach", "川口市", "--kind", "cafe", "--note", "デジタルカフェ", "--on", on(20))
    banso("outreach", "川口市", "--kind", "hearing", "--note", "重複した記録", "--on", on(21))
    banso("contact", "transfer", "川口市", "佐藤花子", "--successor", "伊藤誠", "--on", on(45))
    banso("expert", "retire", leaver, "--on", on(55))
    # a person's details erased (APPI): the key sealing them destroyed, the record kept
    banso("contact", "assign", "所沢市", "小林 消去", "--role", "企画課 主任",
          "--email", "kobayashi@example.jp", "--phone", "04-2998-0000", "--on", on(50))  # fmt: skip
    banso("contact", "forget", "所沢市", "小林 消去")
    timeline = banso("timeline", "川口市")
    outreaches = [row["entry"] for row in timeline if row["kind"] == "outreach-recorded"]
    contact = next(row["entry"] for row in timeline if row["kind"] == "contact-assigned")
    banso("muni", "correct", "川口市", str(outreaches[0]), "--text", "デジタルカフェ（10名）",
          "--reason", "人数の追記")  # fmt: skip
    banso("muni", "correct", "川口市", str(contact), "--role", "DX推進課 主査",
          "--reason", "課名の誤り")  # fmt: skip
    banso("muni", "withdraw", "川口市", str(outreaches[1]), "--reason", "重複")
    as_of = date.fromisoformat(on(60))
    return {
        "as_of": as_of.isoformat(),
        "fiscal_year": as_of.year if as_of.month >= 4 else as_of.year - 1,
        "cases": {"kawaguchi": kawaguchi, "chichibu": chichibu, "withdrawn": wrong},
    }


def ask(banso: Banso, name: str, manifest: dict[str, Any]) -> str:
    """The answer to question ``name`` (``QUESTIONS``), as its expected file holds it."""
    args = [arg.format(**manifest) for arg in QUESTIONS[name]]
    if not name.endswith(".json"):
        return banso.text(*args)
    return json.dumps(banso(*args), ensure_ascii=False, indent=1) + "\n"


def kinds_in(store: Path) -> dict[str, int]:
    """How many events of each kind the store holds (by their topics' class names)."""
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT topic, count(*) FROM stored_events GROUP BY topic").fetchall()
    return {topic.rsplit(":", 1)[1]: n for topic, n in rows}


def write(target: Path, today: date) -> Path:
    """Write the fixture of this version into a new folder under ``target``; its path."""
    folder = target / f"v{SCHEMA_VERSION}-{today.isoformat()}"
    if folder.exists():
        raise SystemExit(f"{folder} exists: a written fixture is never rewritten")
    with tempfile.TemporaryDirectory(prefix="banso-fixture-") as work:
        home = Path(work)
        store = home / "store" / "banso.sqlite"
        banso = Banso(store, home)
        manifest = record_history(banso, today)
        missing = sorted(set(KINDS) - set(kinds_in(store)))
        if missing:
            raise SystemExit(f"the fixture lacks events of: {', '.join(missing)}")
        verified = banso("verify")
        if not verified["ok"]:
            raise SystemExit(f"the fixture does not verify: {verified['problems']}")
        banso("export", "-o", str(home / "export.jsonl"))
        answers = {name: ask(banso, name, manifest) for name in QUESTIONS}
        folder.mkdir(parents=True)
        (folder / "expected").mkdir()
        # Only the store travels: its read models are rebuilt from it (a later version's
        # schema would throw them away anyway).
        # Every page in the one file: the fixture travels without its write-ahead log.
        with sqlite3.connect(store) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        shutil.copyfile(store, folder / "banso.sqlite")
        shutil.copyfile(home / "export.jsonl", folder / "export.jsonl")
        for name, answer in answers.items():
            (folder / "expected" / name).write_text(answer, encoding="utf-8")
        manifest |= {
            "schema_version": SCHEMA_VERSION,
            "written_on": today.isoformat(),
            "head": verified["head"],
            "events": verified["events"],
            "kinds": kinds_in(store),
            "questions": QUESTIONS,
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
        (folder / "manifest.json").write_text(text, encoding="utf-8")
    return folder


def main(argv: Sequence[str] | None = None) -> None:
    """``write-schema-fixtures [--into DIR]``: write this version's fixture."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--into", type=Path, default=FIXTURES, help="default: %(default)s")
    args = parser.parse_args(argv)
    today = datetime.now(ZoneInfo("Asia/Tokyo")).date()
    print(write(args.into, today))


if __name__ == "__main__":
    main()
