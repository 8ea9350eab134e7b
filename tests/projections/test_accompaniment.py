"""Accompaniment on a store in memory: what comes due soon, who should go, each owner's
digest, and the rule book as it stood on a day."""

from __future__ import annotations

import json
from datetime import date

import pytest
from projections_support import HIGASHICHICHIBU, KAWAGUCHI, YOKOZE, d

from projections.digest import digest_html, digest_markdown, digest_text, digests, subject
from projections.queries.due import due_soon
from projections.queries.experts import open_cases_of
from projections.queries.settings import changed_on, rule_settings, setting_changes
from projections.queries.suggest import suggest
from tracker.desk.bootstrap import Desk
from tracker.domain.commitments import Promise
from tracker.domain.errors import (
    DateBeforeLastChangeError,
    ExpertNotOnCaseError,
    InvalidInputError,
)
from tracker.domain.owners import MUNICIPALITY, Owner


def _open(desk: Desk, code: str = YOKOZE, on: str = "2025-05-01", **kw) -> str:
    number, _ = desk.app.open_case(
        code, topic=kw.pop("topic", "B"), summary="移行計画", on=d(on), **kw
    )
    return number


def _ids(desk: Desk) -> dict[str, str]:
    return {r[0]: r[1] for r in desk.views.conn.execute("SELECT number, id FROM cases")}


# ---- due soon ---------------------------------------------------------------------------------


def test_a_decision_comes_due_on_the_seventh_office_day_and_leaves_the_list_when_late(
    registered,
):
    number = _open(registered)
    registered.app.apply_for_dispatch(number, on=d("2025-05-02"))  # Friday before Golden Week
    registered.refresh()
    conn = registered.views.conn
    assert [
        (r["kind"], r["due"], r["office_days_left"]) for r in due_soon(conn, d("2025-05-02"))
    ] == [("decision", "2025-05-15", 7)]
    assert due_soon(conn, d("2025-05-02"), within=6) == []
    assert [r["office_days_left"] for r in due_soon(conn, d("2025-05-15"), within=0)] == [0]
    assert due_soon(conn, d("2025-05-16")) == []  # overdue now: the stall list's


def test_a_follow_up_comes_due_for_the_cases_experts_and_the_window_is_the_rule_books(
    registered,
):
    number = _open(registered)
    registered.app.apply_for_dispatch(number, on=d("2025-05-01"))
    registered.app.decide_dispatch(number, ["E002"], on=d("2025-05-02"))
    registered.app.schedule_follow_up(
        number, due=d("2025-06-13"), note="運用確認", on=d("2025-05-09")
    )
    registered.app.change_setting("due.within", "3", on=d("2025-06-02"))
    registered.refresh()
    conn = registered.views.conn
    # 10 office days from Friday 5/30 reach 6/13; from 6/2 on the window is 3 office days.
    found = due_soon(conn, d("2025-05-30"))
    assert [(r["kind"], r["due"], r["owners"], r["text"]) for r in found] == [
        ("follow-up", "2025-06-13", ["E002"], "運用確認")
    ]
    assert due_soon(conn, d("2025-06-02")) == []
    assert [r["due"] for r in due_soon(conn, d("2025-06-10"))] == ["2025-06-13"]


def test_commitments_come_due_for_their_owners_each_and_several_follow_ups_each(registered):
    app = registered.app
    number = _open(registered)
    app.apply_for_dispatch(number, on=d("2025-05-01"))
    app.decide_dispatch(number, ["E002"], on=d("2025-05-02"))
    app.report_visit(
        number,
        report="現状確認",
        next_steps=[
            Promise("庁内で見積", MUNICIPALITY, d("2025-06-03")),
            Promise("教材を送付", Owner("secretariat", "佐藤"), d("2025-06-10")),
            Promise("期限なし"),
        ],
        on=d("2025-05-09"),
    )
    app.schedule_follow_up(number, due=d("2025-06-04"), on=d("2025-05-09"))
    app.schedule_follow_up(number, due=d("2025-06-11"), on=d("2025-05-09"))
    registered.refresh()
    conn = registered.views.conn
    found = due_soon(conn, d("2025-06-02"))
    assert [(r["kind"], r["number"], r["due"], r["owners"]) for r in found] == [
        ("commitment", 1, "2025-06-03", ["municipality"]),
        ("follow-up", 1, "2025-06-04", ["E002"]),
        ("commitment", 2, "2025-06-10", ["secretariat:佐藤"]),
        ("follow-up", 2, "2025-06-11", ["E002"]),
    ]
    # Once the municipality's promise is late it is on the stall list, chased by the desk
    # (the late follow-up is the expert's), while the member's comes due in her own digest
    # and the desk's.
    late = {g["owner"]: g for g in digests(conn, d("2025-06-05"))}
    assert [(i["what"], i["text"]) for i in late["secretariat"]["overdue"]] == [
        ("commitment-overdue", "庁内で見積")
    ]
    assert [i["what"] for i in late["E002"]["overdue"]] == ["follow-up-overdue"]
    assert [i["number"] for i in late["secretariat:佐藤"]["due_soon"]] == [2]
    assert [i["number"] for i in late["secretariat"]["due_soon"]] == [2]
    app.complete_commitment(number, 1, on=d("2025-06-05"))
    registered.refresh()
    assert "commitment-overdue" not in {
        i["what"] for g in digests(conn, d("2025-06-05")) for i in g["overdue"]
    }


# ---- suggest ----------------------------------------------------------------------------------


def test_experts_are_ranked_continuity_first_then_specialty_then_workload(registered):
    app = registered.app
    earlier = _open(registered, code=KAWAGUCHI, topic="C", on="2025-04-10")
    app.apply_for_dispatch(earlier, on=d("2025-04-10"))
    app.decide_dispatch(earlier, ["E003"], on=d("2025-04-11"))
    app.report_visit(earlier, report="窓口の見直し", on=d("2025-04-20"))
    busy = _open(registered, code=YOKOZE, topic="B", on="2025-04-10")
    app.apply_for_dispatch(busy, on=d("2025-04-10"))
    app.decide_dispatch(busy, ["E001"], on=d("2025-04-11"))
    app.register_expert("伊藤誠", specialties=["B"], on=d("2025-04-01"))  # E004, B, idle
    app.register_expert("退任 一郎", specialties=["B"], on=d("2025-04-01"))  # E005
    app.retire_expert("E005", on=d("2025-04-30"))
    new = _open(registered, code=KAWAGUCHI, topic="B", on="2025-05-01")
    registered.refresh()
    ranked = suggest(registered.views.conn, _ids(registered)[new], d("2025-05-01"))
    assert [r["expert"] for r in ranked] == ["E003", "E004", "E001", "E002"]
    first = ranked[0]
    assert (first["municipality_visits"], first["municipality_cases"]) == (1, 1)
    assert first["reasons"] == [
        "川口市を支援（訪問 1回・案件 1件、最終 2025-04-20）",
        "担当中の案件 1件",
    ]
    assert ranked[1]["reasons"] == ["専門: B 標準化・ガバメントクラウド", "担当中の案件 0件"]
    english = suggest(registered.views.conn, _ids(registered)[new], d("2025-05-01"), "en")
    assert english[2]["reasons"] == [
        "specialty: B Standardisation and Government Cloud",
        "1 open cases",
    ]


def test_an_expert_already_on_the_case_is_suggested_first(registered):
    number = _open(registered, topic="E")
    registered.app.apply_for_dispatch(number, on=d("2025-05-01"))
    registered.app.decide_dispatch(number, ["E002"], on=d("2025-05-02"))
    registered.refresh()
    ranked = suggest(registered.views.conn, _ids(registered)[number])
    assert ranked[0]["expert"] == "E002" and ranked[0]["reasons"][0] == "この案件を担当中"
    assert ranked[1]["expert"] == "E003"  # the specialist in E


# ---- handing over -----------------------------------------------------------------------------


def _retire_handing_over(desk: Desk, leaving: str, taking: str) -> list[str]:
    """``leaving`` retires on 2025-06-30, handing every open case of theirs to ``taking``."""
    cases = [c["id"] for c in open_cases_of(desk.views.conn, leaving)]
    handed = desk.app.hand_over(leaving, taking, cases, retire=True, on=d("2025-06-30"))
    desk.refresh()
    return handed


def test_a_handover_moves_every_open_case_in_one_transaction_or_none(registered):
    app = registered.app
    cases = [_open(registered) for _ in range(3)]
    for number in cases:
        app.apply_for_dispatch(number, on=d("2025-05-01"))
        app.decide_dispatch(number, ["E001"], on=d("2025-05-02"))
    app.add_note(cases[2], "後の記録", on=d("2025-06-10"))
    app.close_case(cases[1], resolution="resolved", on=d("2025-06-20"))
    registered.refresh()
    conn = registered.views.conn
    assert [c["case"] for c in open_cases_of(conn, "E001")] == [cases[0], cases[2]]
    assert [c["case"] for c in open_cases_of(conn, "E001", d("2025-06-01"))] == cases
    with pytest.raises(InvalidInputError):  # the same expert on both sides: nothing recorded
        app.hand_over("E001", "E001", [cases[0]], retire=True, on=d("2025-06-30"))
    assert not app.expert("E001").retired
    handed = _retire_handing_over(registered, "E001", "E002")
    assert handed == [cases[0], cases[2]]
    assert open_cases_of(conn, "E001") == []
    assert [c["case"] for c in open_cases_of(conn, "E002")] == [cases[0], cases[2]]
    assert app.expert("E001").retired_on == date(2025, 6, 30)


def test_an_expert_owing_a_commitment_on_a_case_they_are_not_on_hands_it_over_too(registered):
    app = registered.app
    theirs, others = _open(registered), _open(registered)
    for number in (theirs, others):
        app.apply_for_dispatch(number, on=d("2025-05-01"))
    app.decide_dispatch(theirs, ["E001"], on=d("2025-05-02"))
    app.decide_dispatch(others, ["E002"], on=d("2025-05-02"))
    owed = app.commit(others, "研修資料を提供", owner=Owner("expert", "E001"), on=d("2025-05-10"))
    kept = app.commit(others, "見積を確認", owner=Owner("expert", "E002"), on=d("2025-05-10"))
    registered.refresh()
    conn = registered.views.conn
    assert [c["case"] for c in open_cases_of(conn, "E001")] == [theirs, others]
    with pytest.raises(ExpertNotOnCaseError):  # neither on it nor owing on it: nothing recorded
        app.reassign_expert(others, "E003", "E002", on=d("2025-06-01"))
    handed = _retire_handing_over(registered, "E001", "E003")
    assert handed == [theirs, others]
    assert open_cases_of(conn, "E001") == []
    state = conn.execute(
        "SELECT experts, commitments FROM cases WHERE number = ?", (others,)
    ).fetchone()
    experts, commitments = json.loads(state[0]), {c["number"]: c for c in json.loads(state[1])}
    assert experts == ["E002"]  # the owing expert was not on it, nor is the one taking over
    assert commitments[owed]["expert"] == "E003" and commitments[kept]["expert"] == "E002"
    # the domain's book follows the handover: E003 may settle or hand it on, E001 no more
    with pytest.raises(ExpertNotOnCaseError):
        app.reassign_expert(others, "E001", "E002", on=d("2025-07-01"))
    app.reassign_expert(others, "E003", "E002", on=d("2025-07-01"))
    registered.refresh()
    (row,) = conn.execute("SELECT commitments FROM cases WHERE number = ?", (others,))
    assert {c["number"]: c["expert"] for c in json.loads(row[0])} == {owed: "E002", kept: "E002"}


# ---- digests ----------------------------------------------------------------------------------


@pytest.fixture
def desk_of_promises(registered) -> Desk:
    """An application waiting (the desk's), a follow-up overdue (E002's), a follow-up due
    soon and a one-off visit (E003's), and a case whose expert E001 left (the desk's)."""
    app = registered.app
    waiting = _open(registered, code=KAWAGUCHI, on="2025-06-02")
    app.apply_for_dispatch(waiting, on=d("2025-06-02"))
    late = _open(registered, code=YOKOZE, on="2025-05-01")
    app.apply_for_dispatch(late, on=d("2025-05-01"))
    app.decide_dispatch(late, ["E002"], on=d("2025-05-02"))
    app.schedule_follow_up(late, due=d("2025-06-05"), note="<b>議会</b>の結果", on=d("2025-05-02"))
    soon = _open(registered, code=HIGASHICHICHIBU, on="2025-05-01")
    app.apply_for_dispatch(soon, on=d("2025-05-01"))
    app.decide_dispatch(soon, ["E003"], on=d("2025-05-02"))
    app.schedule_follow_up(soon, due=d("2025-06-20"), on=d("2025-05-02"))
    once = _open(registered, code=HIGASHICHICHIBU, on="2025-04-01")
    app.apply_for_dispatch(once, on=d("2025-04-01"))
    app.decide_dispatch(once, ["E003"], on=d("2025-04-02"))
    app.report_visit(once, report="一度だけ", on=d("2025-04-10"))
    left = _open(registered, code=YOKOZE, on="2025-05-07")
    app.apply_for_dispatch(left, on=d("2025-05-07"))
    app.decide_dispatch(left, ["E001"], on=d("2025-05-08"))
    app.schedule_follow_up(left, due=d("2025-12-01"), on=d("2025-05-08"))
    app.retire_expert("E001", on=d("2025-06-06"))
    registered.refresh()
    return registered


def test_each_owner_gets_what_is_theirs_overdue_due_soon_and_stalled_newest_first(
    desk_of_promises,
):
    found = digests(desk_of_promises.views.conn, d("2025-06-16"))
    summary = {
        g["owner"]: {
            s: [(i["case"], i["what"]) for i in g[s]] for s in ("overdue", "due_soon", "stalled")
        }
        for g in found
    }
    assert summary == {
        "secretariat": {
            "overdue": [("2025-001", "decision-overdue")],
            "due_soon": [],
            "stalled": [("2025-005", "expert-left")],
        },
        "E002": {"overdue": [("2025-002", "follow-up-overdue")], "due_soon": [], "stalled": []},
        "E003": {
            "overdue": [],
            "due_soon": [("2025-003", "follow-up")],
            "stalled": [("2025-004", "one-off")],
        },
    }
    assert [g["owner"] for g in found] == ["secretariat", "E002", "E003"]
    assert found[2]["name"] == "高橋誠"


def test_a_digest_for_one_owner_and_nothing_for_an_owner_with_nothing(desk_of_promises):
    conn = desk_of_promises.views.conn
    assert [g["owner"] for g in digests(conn, d("2025-06-16"), "E002")] == ["E002"]
    assert digests(conn, d("2025-06-16"), "E001") == []
    assert digests(conn, d("2025-03-31")) == []


def test_a_digest_reads_as_text_markdown_and_html_with_what_people_typed_kept_as_text(
    desk_of_promises,
):
    digest = digests(desk_of_promises.views.conn, d("2025-06-16"), "E002")[0]
    text = digest_text(digest)
    assert text.splitlines()[0] == "伴走ダイジェスト 2025-06-16（令和7年6月16日）: E002 鈴木花子"
    assert "期限超過（1件）" in text and "起点 2025-06-05（11日）" in text
    assert "<b>議会</b>の結果" in text
    markdown = digest_markdown(digest)
    assert markdown.startswith("# 伴走ダイジェスト") and "## 期限超過（1件）" in markdown
    html = digest_html(digest)
    assert "&lt;b&gt;議会&lt;/b&gt;の結果" in html and "<b>議会" not in html
    assert (
        subject(digest, "en")
        == "[banso] 2025-06-16 E002 鈴木花子: 1 overdue, 0 due soon, 0 stalled"
    )


# ---- the rule book ----------------------------------------------------------------------------


def test_the_rule_book_answers_for_any_day_and_keeps_every_change(registered):
    app = registered.app
    assert app.change_setting("rules.dormant.days", "45", on=d("2025-04-01"))
    assert not app.change_setting("rules.dormant.days", "４５", on=d("2025-05-01"))  # already so
    assert app.change_setting("rules.one-off.day_kind", "開庁日", on=d("2025-05-01"))
    with pytest.raises(DateBeforeLastChangeError):
        app.change_setting("rules.dormant.days", "30", on=d("2025-03-01"))
    with pytest.raises(InvalidInputError):
        app.change_setting("rules.dormant.days", "ten", on=d("2025-05-01"))
    with pytest.raises(InvalidInputError):
        app.change_setting("rules.dormant.weeks", "3", on=d("2025-05-01"))
    registered.refresh()
    conn = registered.views.conn
    assert rule_settings(conn, d("2025-03-31")).days("dormant") == 60
    assert rule_settings(conn, d("2025-04-01")).days("dormant") == 45
    assert rule_settings(conn, d("2025-04-30")).day_kind("one-off") == "calendar"
    assert rule_settings(conn).day_kind("one-off") == "office"
    assert changed_on(conn) == {
        "rules.dormant.days": "2025-04-01",
        "rules.one-off.day_kind": "2025-05-01",
    }
    assert [(c["key"], c["value"], c["recorded_by"]) for c in setting_changes(conn)] == [
        ("rules.dormant.days", "45", "tester"),
        ("rules.one-off.day_kind", "office", "tester"),
    ]
