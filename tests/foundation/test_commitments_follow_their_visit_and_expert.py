"""Through the real ``banso`` command: a commitment goes with the visit that made it (a
withdrawn visit promised nothing) and with the case's expert (a case handed over hands over
what its expert owed), in every answer, "as of" and "as recorded" alike."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tracker.domain.fiscal import fiscal_year
from tracker.domain.inputs import today

if TYPE_CHECKING:
    from conftest import Cli

T = today() - timedelta(days=120)
NUMBER = f"{fiscal_year(T + timedelta(days=1))}-001"


def on(n: int) -> str:
    return (T + timedelta(days=n)).isoformat()


@pytest.fixture
def visited(cli: Cli) -> Cli:
    """川口市's case with E001: a visit (entry 4) promising 見積を比較 (the municipality's,
    due day 20, kept on day 15) and 教材を送付 (E001's, due day 25), and 研修日程を調整 (the
    secretariat's, due day 30) promised on its own (entry 7)."""
    cli.ok("init")
    cli.ok("expert", "add", "山田太郎", "--on", on(0))
    cli.ok("expert", "add", "鈴木花子", "--on", on(0))
    cli.ok("case", "open", "川口市", "--topic", "C", "--summary", "公式LINE", "--on", on(1))
    cli.ok("case", "apply", NUMBER, "--on", on(2))
    cli.ok("case", "dispatch", NUMBER, "--expert", "E001", "--on", on(3))
    cli.ok("case", "visit", NUMBER, "--report", "導入事例を紹介した", "--on", on(10),
           "--next-step", "見積を比較", "--next-step-owner", "市町村", "--next-step-due", on(20),
           "--next-step", "教材を送付", "--next-step-owner", "E001", "--next-step-due", on(25))  # fmt: skip
    cli.ok("case", "commit", NUMBER, "研修日程を調整", "--owner", "事務局", "--due", on(30),
           "--on", on(10))  # fmt: skip
    cli.ok("case", "commitment-done", NUMBER, "1", "--on", on(15))
    return cli


def _open(cli: Cli, *asked: str) -> list[str]:
    shown = cli.ok("case", "show", NUMBER, "--json", *asked).json()
    return [c["text"] for c in shown["commitments"] if c["state"] == "open"]


def _overdue_since(cli: Cli, *asked: str) -> list[str]:
    stalled = cli.ok("--json", "stalled", *asked).json()
    return [r["since"] for r in stalled if r["rule"] == "commitment-overdue"]


def _texts(found: Any) -> str:
    return json.dumps(found, ensure_ascii=False)


def test_withdrawing_a_visit_withdraws_the_commitments_it_made_everywhere(visited: Cli) -> None:
    cli = visited
    assert _open(cli) == ["教材を送付", "研修日程を調整"]
    assert _overdue_since(cli, "--as-of", on(40)) == [on(25)]
    withdrawn = cli.ok("--json", "case", "withdraw", NUMBER, "4", "--reason", "別の案件に記録した")
    assert withdrawn.json()["entry"] == 4

    assert _open(cli) == ["研修日程を調整"]
    assert _open(cli, "--as-of", on(16)) == ["研修日程を調整"], "never promised, on any day"
    shown = cli.ok("case", "show", NUMBER, "--json").json()
    assert [c["number"] for c in shown["commitments"]] == [3], "the kept one went too"
    history = {e["entry"]: e for e in shown["history"]}
    assert [n for n, e in history.items() if e.get("withdrawn_by") == 9] == [4, 5, 6, 8]
    listed = cli.ok("--json", "commitments").json()
    assert [(r["case"], r["number"]) for r in listed] == [(NUMBER, 3)]
    assert cli.ok("--json", "commitments", "--for", "E001").json() == []
    assert _overdue_since(cli, "--as-of", on(40)) == [on(30)]
    digests = cli.ok("--json", "digest", "--as-of", on(40)).json()
    assert "教材を送付" not in _texts(digests) and "研修日程を調整" in _texts(digests)
    assert cli.ok("--json", "digest", "--for", "E001", "--as-of", on(40)).json() == []
    coming = cli.ok("--json", "due", "--as-of", on(24), "--within", "10").json()
    assert "教材を送付" not in _texts(coming)
    briefing = cli.ok("briefing", "川口市", "--as-of", on(40)).out
    assert "教材を送付" not in briefing and "研修日程を調整" in briefing

    again = cli.ok("--json", "case", "commit", NUMBER, "報告書を共有", "--owner", "市町村")
    assert again.json()["commitment"] == 4, "a withdrawn commitment's number is not given again"
    before = cli.export(Path(cli.store).with_name("before-close.jsonl"))
    refused = cli("case", "close", NUMBER, "--resolution", "resolved")
    assert refused.code == 2 and refused.err.count("\n") == 1, str(refused)
    assert "（3, 4）" in refused.err and "--cancel-open" in refused.err, refused.err
    assert cli.export(Path(cli.store).with_name("after-close.jsonl")) == before  # nothing recorded
    cli.ok("case", "close", NUMBER, "--resolution", "resolved", "--cancel-open")


def test_a_withdrawn_visit_is_refused_for_its_commitments_and_closing_no_longer_asks(
    visited: Cli,
) -> None:
    cli = visited
    cli.ok("case", "withdraw", NUMBER, "4", "--reason", "別の案件に記録した")
    refused = cli("case", "commitment-done", NUMBER, "2")
    assert refused.code == 2 and refused.err.count("\n") == 1, str(refused)
    cli.ok("case", "commitment-done", NUMBER, "3", "--on", on(31))
    cli.ok("case", "close", NUMBER, "--resolution", "resolved", "--on", on(32))


def test_as_recorded_before_the_withdrawal_the_visits_commitments_were_open(
    visited: Cli, tmp_path: Path, restamped: Callable[..., Cli]
) -> None:
    visited.ok("case", "withdraw", NUMBER, "4", "--reason", "別の案件に記録した")
    restored = restamped(visited, tmp_path, T, 60)
    assert _open(restored, "--as-recorded", on(50)) == ["教材を送付", "研修日程を調整"]
    assert _open(restored, "--as-recorded", on(60)) == ["研修日程を調整"]
    assert _overdue_since(restored, "--as-recorded", on(50), "--as-of", on(40)) == [on(25)]
    assert _overdue_since(restored, "--as-recorded", on(60), "--as-of", on(40)) == [on(30)]


def _owed(cli: Cli, owner: str, *asked: str) -> list[tuple[int, str]]:
    listed = cli.ok("--json", "commitments", "--for", owner, *asked).json()
    return [(r["number"], r["expert"]) for r in listed]


def test_a_case_handed_over_hands_over_what_its_expert_still_owed_from_that_day(
    visited: Cli,
) -> None:
    cli = visited
    cli.ok("case", "commit", NUMBER, "手順書を渡す", "--owner", "E001", "--on", on(15))
    cli.ok("case", "commitment-done", NUMBER, "4", "--on", on(16))
    cli.ok("case", "reassign", NUMBER, "--from", "E001", "--to", "鈴木花子", "--on", on(30))

    assert _owed(cli, "E002") == [(2, "E002")]
    assert _owed(cli, "E001") == []
    assert _owed(cli, "E001", "--as-of", on(29)) == [(2, "E001")], "theirs until handed over"
    assert _owed(cli, "E002", "--as-of", on(29)) == []
    kept = cli.ok("case", "show", NUMBER, "--json").json()["commitments"]
    assert [(c["number"], c["expert"]) for c in kept if c["state"] == "done"] == [
        (1, None),
        (4, "E001"),
    ], "what E001 kept stays theirs"
    assert cli.ok("--json", "digest", "--for", "E001", "--as-of", on(40)).json() == []
    (mine,) = cli.ok("--json", "digest", "--for", "E002", "--as-of", on(40)).json()
    assert "教材を送付" in _texts(mine["overdue"])
    (before,) = cli.ok("--json", "digest", "--for", "E001", "--as-of", on(29)).json()
    assert "教材を送付" in _texts(before["overdue"])


def test_retiring_with_reassign_to_hands_over_the_retiring_experts_commitments(
    visited: Cli,
) -> None:
    cli = visited
    cli.ok("expert", "retire", "E001", "--reassign-to", "E002", "--on", on(30))
    assert _owed(cli, "E002") == [(2, "E002")]
    assert _owed(cli, "E001") == []
    briefing = cli.ok("briefing", "川口市", "--as-of", on(40)).out
    owed = [line for line in briefing.splitlines() if "教材を送付" in line and "超過" in line]
    assert len(owed) == 2 and all("E002 鈴木花子" in line for line in owed), owed
    timeline = [
        line for line in briefing.splitlines() if "教材を送付" in line and "超過" not in line
    ]
    assert ["E001 山田太郎" in line for line in timeline] == [True], "as it was promised"


def test_the_secretariat_follows_up_the_municipalitys_promises_in_its_list_and_digest_alike(
    visited: Cli,
) -> None:
    cli = visited
    cli.ok("case", "commit", NUMBER, "議会に説明", "--owner", "市町村", "--due", on(34),
           "--on", on(16))  # fmt: skip
    cli.ok("case", "commit", NUMBER, "予算を確認", "--owner", "事務局:佐藤", "--due", on(36),
           "--on", on(16))  # fmt: skip

    def listed(owner: str) -> list[str]:
        return [r["text"] for r in cli.ok("--json", "commitments", "--for", owner).json()]

    assert listed("事務局") == ["研修日程を調整", "議会に説明", "予算を確認"]
    assert listed("secretariat") == listed("事務局")
    assert listed("市町村") == ["議会に説明"]
    assert listed("事務局:佐藤") == ["予算を確認"]
    (digest,) = cli.ok("--json", "digest", "--for", "事務局", "--as-of", on(35)).json()
    overdue = _texts(digest["overdue"])
    assert "研修日程を調整" in overdue and "議会に説明" in overdue
    assert [i["text"] for i in digest["due_soon"]] == ["予算を確認"]
    (member,) = cli.ok("--json", "digest", "--for", "事務局:佐藤", "--as-of", on(35)).json()
    assert "議会に説明" not in _texts(member)
    assert "市町村" in cli.ok("commitments", "--help").out
