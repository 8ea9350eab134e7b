"""Experts rotating, who should go, what comes due, the desk's rules and the digests mailed,
all through the real ``banso`` command (a real SMTP server on loopback for ``--send``)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tracker.desk.bootstrap import bootstrap
from tracker.desk.settings import Settings
from tracker.domain.inputs import today

if TYPE_CHECKING:
    from conftest import Cli

D = date.fromisoformat


@pytest.fixture
def desk_cli(cli: Cli) -> Cli:
    """Saitama, E001-E003, and four cases: 2025-001 and 2025-002 with E001 (2025-002 with a
    follow-up due 2025-06-20), 2025-003 awaiting a decision, 2025-004 with E002."""
    desk = bootstrap(Settings(store=cli.store, user="事務局 田中"))
    app = desk.app
    try:
        app.register_prefecture("11", on=D("2025-04-01"))
        app.register_expert("山田太郎", specialties=["B"], on=D("2025-04-01"))
        app.register_expert("鈴木花子", specialties=["B", "C"], on=D("2025-04-01"))
        app.register_expert("高橋誠", specialties=["E"], on=D("2025-04-01"))
        for code, expert in (
            ("112038", "E001"),
            ("112038", "E001"),
            ("113611", None),
            ("114651", "E002"),
        ):
            number, _ = app.open_case(code, topic="B", summary="移行計画の相談", on=D("2025-05-07"))
            app.apply_for_dispatch(number, on=D("2025-05-07"))
            if expert:
                app.decide_dispatch(number, [expert], on=D("2025-05-08"))
        app.schedule_follow_up(
            "2025-002", due=D("2025-06-20"), note="見積の確認", on=D("2025-05-09")
        )
    finally:
        desk.close()
    return cli


def _refused(run: Any, says: str) -> None:
    assert run.code == 2, str(run)
    assert says in run.err and run.err.count("\n") == 1, str(run)


def test_a_retiring_expert_owing_a_commitment_on_a_case_they_are_not_on_is_told_and_hands_it_over(
    desk_cli: Cli,
) -> None:
    cli = desk_cli
    cli.ok("case", "commit", "2025-004", "研修資料を提供", "--owner", "E001", "--on", "2025-05-20")
    retired = cli.ok("expert", "retire", "E001", "--on", "2025-06-30")
    assert "未了の約束が残る案件 1件: 2025-004" in retired.out, str(retired)
    assert "停滞一覧（専門人材登録終了・引継ぎなし）に載ります: 2025-001、2025-002" in retired.out
    handed = cli.ok("--json", "expert", "reassign", "E001", "--to", "E003", "--on", "2025-07-01")
    assert handed.json()["reassigned"] == ["2025-001", "2025-002", "2025-004"]
    owed = cli.ok("--json", "commitments", "--for", "E003").json()
    assert [(c["case"], c["text"]) for c in owed] == [("2025-004", "研修資料を提供")]
    case = cli.ok("--json", "case", "show", "2025-004").json()
    assert [e["id"] for e in case["experts"]] == ["E002"]  # E003 only owes the promise


def test_a_retired_experts_open_cases_stall_until_handed_over_and_their_later_visits_are_refused(
    desk_cli: Cli,
) -> None:
    cli = desk_cli
    retired = cli.ok("--json", "expert", "retire", "E001", "--on", "2025-06-30").json()
    assert retired == {
        "expert": "E001",
        "reassigned": [],
        "to": None,
        "left_open": ["2025-001", "2025-002"],
        "left_owing": [],
    }
    stalled = cli.ok("--json", "stalled", "--as-of", "2025-07-01").json()
    assert [
        (r["case"], r["rule"], r["since"], r["days"]) for r in stalled if r["rule"] == "expert-left"
    ] == [
        ("2025-001", "expert-left", "2025-06-30", 1),
        ("2025-002", "expert-left", "2025-06-30", 1),
    ]
    cli.ok("case", "visit", "2025-001", "--report", "最後の訪問", "--on", "2025-06-30")
    _refused(
        cli("case", "visit", "2025-001", "--report", "退任後", "--on", "2025-07-01"),
        "E001（山田太郎）は 2025-06-30 に登録を終了しているため、2025-07-01 の支援は記録できません",
    )
    _refused(
        cli("case", "visit", "2025-004", "--report", "x", "--expert", "E001", "--on", "2025-07-01"),
        "2025-06-30 に登録を終了",
    )
    handed = cli.ok(
        "--json",
        "case",
        "reassign",
        "2025-001",
        "--from",
        "E001",
        "--to",
        "鈴木花子",
        "--on",
        "2025-07-02",
    )
    assert handed.json() == {"case": "2025-001", "from": "E001", "to": "E002"}
    cli.ok("case", "visit", "2025-001", "--report", "引継ぎ後の訪問", "--on", "2025-07-03")
    shown = cli.ok("--json", "case", "show", "2025-001").json()
    assert [e["id"] for e in shown["experts"]] == ["E002"]
    assert [h["kind"] for h in shown["history"]][-2:] == ["expert-reassigned", "visit-reported"]
    bulk = cli.ok(
        "--json", "expert", "reassign", "E001", "--to", "E003", "--on", "2025-07-04"
    ).json()
    assert bulk == {"expert": "E001", "to": "E003", "reassigned": ["2025-002"]}
    assert [
        r
        for r in cli.ok("--json", "stalled", "--as-of", "2025-07-05").json()
        if r["rule"] == "expert-left"
    ] == []
    _refused(
        cli("expert", "reassign", "E001", "--to", "E003"), "E001 には対応中の担当案件がありません"
    )


def test_handing_a_case_over_refuses_what_cannot_be_and_records_nothing(
    desk_cli: Cli, exported
) -> None:
    cli = desk_cli
    before = exported(cli.store)
    _refused(
        cli("case", "reassign", "2025-003", "--from", "E001", "--to", "E002"),
        "E001 は案件 2025-003 の担当ではありません",
    )
    _refused(
        cli("case", "reassign", "2025-001", "--from", "E001", "--to", "E001"),
        "引き継ぐ人と同じです",
    )
    _refused(cli("case", "reassign", "2025-001", "--from", "E001", "--to", "E009"), "E009")
    cli.ok("expert", "retire", "E003", "--on", "2025-06-01")
    _refused(
        cli("case", "reassign", "2025-001", "--from", "E001", "--to", "E003"), "登録を終了している"
    )
    _refused(
        cli("expert", "retire", "E001", "--reassign-to", "E003", "--on", "2025-06-30"),
        "登録を終了している",
    )
    assert cli.ok("--json", "expert", "list").json()[0]["retired"] is False  # all or nothing
    after = exported(cli.store)
    assert after.count(b"\n") == before.count(b"\n") + 1  # only E003's retirement


def test_retiring_with_reassign_to_hands_every_open_case_over_at_once(desk_cli: Cli) -> None:
    cli = desk_cli
    run = cli.ok(
        "expert",
        "retire",
        "E001",
        "--reassign-to",
        "E002",
        "--note",
        "退任のため",
        "--on",
        "2025-06-30",
    )
    assert "対応中の案件 2件を E002 に引き継ぎました: 2025-001、2025-002" in run.out
    experts = {e["expert"]: e for e in cli.ok("--json", "expert", "list").json()}
    assert (experts["E001"]["retired_on"], experts["E001"]["open_cases"]) == ("2025-06-30", 0)
    assert experts["E002"]["open_cases"] == 3
    history = cli.ok("--json", "timeline", "川口市").json()
    assert [h["text"] for h in history if h["kind"] == "expert-reassigned"] == [
        "E001 山田太郎 から E002 鈴木花子 へ担当替え: 退任のため"
    ] * 2


def test_suggest_ranks_experts_with_their_reasons(desk_cli: Cli) -> None:
    cli = desk_cli
    ranked = cli.ok("--json", "suggest", "2025-001").json()
    assert [r["expert"] for r in ranked] == ["E001", "E002", "E003"]
    assert ranked[0]["on_case"] and ranked[0]["reasons"][0] == "この案件を担当中"
    assert ranked[1]["specialty_match"] and not ranked[2]["specialty_match"]
    human = cli.ok("--lang", "en", "suggest", "2025-001")
    assert (
        "experts who could take case 2025-001" in human.out and "already on this case" in human.out
    )


def test_due_lists_what_comes_due_and_the_rule_book_sets_its_window(desk_cli: Cli) -> None:
    cli = desk_cli
    due = cli.ok("--json", "due", "--as-of", "2025-06-09").json()
    assert [(r["case"], r["kind"], r["due"], r["office_days_left"], r["owners"]) for r in due] == [
        ("2025-002", "follow-up", "2025-06-20", 9, ["E001"])
    ]
    assert cli.ok("--json", "due", "--as-of", "2025-06-09", "--within", "8").json() == []
    # 2025-003 applied on 5/7: due on the 7th office day after, 5/16.
    early = cli.ok("--json", "due", "--as-of", "2025-05-12", "--within", "5").json()
    assert [(r["case"], r["kind"], r["due"], r["owners"]) for r in early] == [
        ("2025-003", "decision", "2025-05-16", ["secretariat"])
    ]
    cli.ok("config", "set", "due.within", "3", "--on", "2025-06-01")
    assert cli.ok("--json", "due", "--as-of", "2025-06-09").json() == []
    table = cli.ok("due", "--as-of", "2025-06-17").out
    assert "3開庁日以内に期日を迎えるもの 1 件" in table and "山田太郎" in table


def test_the_desks_rules_are_set_with_the_day_they_take_effect_and_shown_as_of_a_day(
    desk_cli: Cli, own_settings_file: Path
) -> None:
    cli = desk_cli
    run = cli.ok("config", "set", "rules.decision-overdue.day_kind", "暦日", "--on", "2025-06-01")
    assert "rules.decision-overdue.day_kind = 暦日 を記録しました（2025-06-01 から）" in run.out
    assert not own_settings_file.exists()  # the store's, not the file's
    again = cli.ok("--json", "config", "set", "rules.decision-overdue.day_kind", "calendar").json()
    assert again["changed"] is False
    before = cli.ok("--json", "config", "show", "--as-of", "2025-05-31").json()["rules"]
    after = cli.ok("--json", "config", "show").json()["rules"]
    assert before[1] == {
        "key": "rules.decision-overdue.day_kind",
        "value": "office",
        "default": "office",
        "since": None,
    }
    assert after[1]["value"] == "calendar" and after[1]["since"] == "2025-06-01"
    shown = cli("config", "show", env={"COLUMNS": "200"}).out  # as of today; each key in Japanese
    assert f"{today().isoformat()} 時点" in shown and "記録者: この人が記録する" in shown, shown
    stalled = cli.ok("--json", "stalled", "--as-of", "2025-06-02").json()
    assert {
        (r["case"], r["day_kind"], r["days"]) for r in stalled if r["rule"] == "decision-overdue"
    } == {("2025-003", "calendar", 26)}
    _refused(cli("config", "set", "rules.dormant.days", "367"), "0〜366 の日数を入力してください")
    _refused(
        cli("config", "set", "rules.decision-overdue.day_kind", "office", "--on", "2025-05-01"),
        "2025-05-01 は rules.decision-overdue.day_kind の直前の記録日 2025-06-01 より前です",
    )


# ---- mailing the digests ----------------------------------------------------------------------


class Inbox:
    """What a local SMTP server received: (envelope sender, recipients, message) each."""

    def __init__(self) -> None:
        self.mails: list[tuple[str, list[str], Any]] = []
        self.logins: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.mails.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> Any:
        from aiosmtpd.smtp import AuthResult

        login, password = data.login.decode(), data.password.decode()
        self.logins.append((login, password))
        return AuthResult(success=(login, password) == ("banso", "himitsu-123"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server (aiosmtpd) on loopback that takes a login, for this test only."""
    from aiosmtpd.controller import Controller

    inbox, port = Inbox(), _free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_digest_send_mails_each_owner_their_digest_and_names_who_has_no_address(
    desk_cli: Cli, smtp_server: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, port = smtp_server
    cli = desk_cli
    secret = tmp_path / "smtp-password"
    secret.write_text("himitsu-123\n", encoding="utf-8")
    for key, value in (
        ("smtp.host", "127.0.0.1"),
        ("smtp.port", str(port)),
        ("smtp.from", "banso@example.jp"),
        ("smtp.user", "banso"),
        ("smtp.password_file", str(secret)),
        ("addresses.e001", "yamada@example.jp"),
    ):
        cli.ok("config", "set", key, value)
    printed = cli.ok("digest", "--as-of", "2025-06-23").out
    assert "伴走ダイジェスト 2025-06-23（令和7年6月23日）: 事務局" in printed
    run = cli.ok("--json", "digest", "--as-of", "2025-06-23", "--send", "--format", "html")
    assert run.json() == {"sent": ["E001"], "skipped": ["secretariat"]}
    assert "secretariat の宛先がありません" in run.err
    assert inbox.logins == [("banso", "himitsu-123")]
    assert [(sender, to) for sender, to, _ in inbox.mails] == [
        ("banso@example.jp", ["yamada@example.jp"])
    ]
    yamada = inbox.mails[0][2]
    assert yamada["Subject"] == "[banso] 2025-06-23 E001 山田太郎: 期限超過 1・期限間近 0・停滞 0"
    plain = yamada.get_body(("plain",)).get_content()
    html = yamada.get_body(("html",)).get_content()
    assert "フォローアップ期限超過" in plain and "見積の確認" in plain
    assert html.startswith("<!doctype html>") and "見積の確認" in html
    only = cli.ok("--json", "digest", "--for", "山田太郎", "--as-of", "2025-06-23", "--send").json()
    assert only == {"sent": ["E001"], "skipped": []}
    assert len(inbox.mails) == 2 and inbox.mails[1][2].get_body(("html",)) is None
    cli.ok("config", "set", "addresses.事務局", "desk@example.jp")
    desk = cli.ok("--json", "digest", "--for", "事務局", "--as-of", "2025-06-23", "--send").json()
    assert desk == {"sent": ["secretariat"], "skipped": []}
    assert inbox.mails[2][1] == ["desk@example.jp"]


def test_digest_send_without_a_server_or_to_one_that_is_not_there_says_so_in_one_line(
    desk_cli: Cli,
) -> None:
    cli = desk_cli
    nothing = cli("digest", "--for", "E003")  # today, nothing for 高橋誠
    assert nothing.code == 0 and nothing.out == "", str(nothing)
    assert f"ダイジェストに載せることはありません（{today().isoformat()}）" in nothing.err
    _refused(cli("digest", "--as-of", "2025-06-23", "--send"), "banso config set smtp.host")
    cli.ok("config", "set", "smtp.host", "127.0.0.1")
    _refused(cli("digest", "--as-of", "2025-06-23", "--send"), "banso config set smtp.from")
    cli.ok("config", "set", "smtp.port", str(_free_port()))
    cli.ok("config", "set", "smtp.from", "banso@example.jp")
    for owner in ("secretariat", "E001", "E002"):
        cli.ok("config", "set", f"addresses.{owner}", f"{owner.lower()}@example.jp")
    _refused(cli("digest", "--as-of", "2025-06-23", "--send"), "メールを送信できません（127.0.0.1:")
    _refused(
        cli("config", "set", "addresses.E001", "not-an-address"), "メールアドレスではありません"
    )


def test_the_new_commands_say_what_they_do_in_help(cli: Cli) -> None:
    for args, says in (
        (("expert", "retire", "--help"), "--reassign-to"),
        (("expert", "reassign", "--help"), "--to"),
        (("case", "reassign", "--help"), "--from"),
        (("suggest", "--help"), "Continuity first"),
        (("due", "--help"), "--within"),
        (("digest", "--help"), "--send"),
        (("config", "set", "--help"), "rules.*"),
    ):
        assert says in cli.ok(*args).out
