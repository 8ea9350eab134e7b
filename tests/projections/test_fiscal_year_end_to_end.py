"""A small fiscal year through the real ``banso`` command line, answers checked whole.

Four municipalities of Saitama. 川口市's contact leaves on April 1 with no successor;
横瀬町's hands over to a successor the same day. One case is a one-off visit, one has an
overdue follow-up, one goes dormant, and a visit is entered late (after a later note).
Everything is recorded through the application on one SQLite store, the late visit through
the command line; every question is asked through the command line with ``--json``.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from projections_support import banso, banso_json, d

from tracker.desk.bootstrap import bootstrap
from tracker.desk.settings import Settings
from tracker.domain.dates import era_date as reiwa
from tracker.domain.inputs import today

KAWAGUCHI, YOKOZE, MINANO, HIGASHICHICHIBU = "112038", "113611", "113620", "113697"
STARTED = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> dict[str, str]:
    """The store, and the ids of its cases by number."""
    store = tmp_path_factory.mktemp("fiscal-year") / "banso.sqlite"
    desk = bootstrap(Settings(store=str(store), user="事務局A"))
    app, ids = desk.app, {"store": str(store)}

    def opened(code: str, on: str, **kw) -> str:
        number, case_id = app.open_case(code, on=d(on), **kw)
        ids[number] = str(case_id)
        return number

    registered = d("2024-04-01")
    for code, name, kana, population in (
        (KAWAGUCHI, "川口市", "かわぐちし", 605545),
        (YOKOZE, "横瀬町", "よこぜまち", 7976),
        (MINANO, "皆野町", "みなのまち", 9371),
        (HIGASHICHICHIBU, "東秩父村", "ひがしちちぶむら", 2635),
    ):
        app.register_municipality(
            code, name, name_kana=kana, prefecture="埼玉県", population=population, on=registered
        )
    app.register_expert("山田太郎", specialties=["B"], on=registered)
    app.register_expert("鈴木花子", specialties=["C", "D"], on=registered)
    app.assign_contact(KAWAGUCHI, "佐藤花子", role="情報政策課 主査", on=d("2024-10-01"))
    app.assign_contact(
        YOKOZE, "田中一郎", role="総務課 係長", email="tanaka@example.jp", on=d("2024-10-01")
    )
    a = opened(
        KAWAGUCHI,
        "2025-02-10",
        topic="B",
        summary="特定移行支援システムの申請について",
        contact="佐藤花子",
    )
    app.apply_for_dispatch(a, on=d("2025-02-12"))
    app.decide_dispatch(a, ["E001"], on=d("2025-02-17"))
    app.report_visit(a, report="移行計画を確認", next_steps=["見積を依頼"], on=d("2025-03-05"))
    b = opened(YOKOZE, "2025-03-10", topic="C", summary="公式LINEを導入したい", contact="田中一郎")
    app.apply_for_dispatch(b, on=d("2025-03-14"))
    app.transfer_contact(KAWAGUCHI, "佐藤花子", on=d("2025-04-01"))
    app.transfer_contact(YOKOZE, "田中一郎", successor="小林次郎", on=d("2025-04-01"))
    app.update_municipality(MINANO, it_staff=2, on=d("2025-04-01"))
    app.decide_dispatch(b, ["E002"], on=d("2025-04-08"))
    app.record_outreach(MINANO, "cafe", note="デジタルカフェ（秩父地域）", on=d("2025-04-10"))
    opened(MINANO, "2025-04-20", topic="A", summary="DX推進計画の策定", channel="cafe")
    app.report_visit(
        b, report="LINE公式アカウントの運用体制を整理", online=True, on=d("2025-05-09")
    )
    app.schedule_follow_up(b, due=d("2025-06-13"), note="運用開始の確認", on=d("2025-05-09"))
    e = opened(KAWAGUCHI, "2025-05-12", topic="D", summary="生成AIの庁内利用ルール", channel="mail")
    app.apply_for_dispatch(e, on=d("2025-05-12"))
    app.decide_dispatch(e, ["E001", "E002"], on=d("2025-05-16"))
    app.report_visit(e, report="ガイドライン案を説明", on=d("2025-05-23"))
    app.add_note(b, "運用ルール案を受領", on=d("2025-06-05"))
    desk.close()
    # The late entry: a visit of May 30, recorded after the note of June 5, by someone else.
    late = banso(
        store,
        "--user",
        "事務局B",
        "case",
        "visit",
        b,
        "--report",
        "職員向け操作研修",
        "--next-step",
        "庁内周知",
        "--on",
        "2025-05-30",
        "--json",
    )
    assert late.returncode == 0
    assert [a, b, e] == ["2024-001", "2024-002", "2025-002"]
    return ids


def _stall(year, case: str, code: str, rule: str, since: str, days: int) -> dict:
    about = {
        "2024-001": ("B", "特定移行支援システムの申請について"),
        "2024-002": ("C", "公式LINEを導入したい"),
        "2025-001": ("A", "DX推進計画の策定"),
        "2025-002": ("D", "生成AIの庁内利用ルール"),
    }
    names = {KAWAGUCHI: "川口市", YOKOZE: "横瀬町", MINANO: "皆野町"}
    return {
        "case": case,
        "case_id": year[case],
        "municipality": code,
        "municipality_name": names[code],
        "rule": rule,
        "since": since,
        "days": days,
        "day_kind": "office" if rule == "decision-overdue" else "calendar",
        "topic": about[case][0],
        "summary": about[case][1],
    }


def _ask(year, *args: str):
    return banso_json(Path(year["store"]), *args)


def test_before_the_transfer_only_the_undecided_application_stalls(year):
    # Office days after Friday 3/14: 3/17-3/19, 3/21 (3/20 is 春分の日), 3/24-3/28, 3/31.
    assert _ask(year, "stalled", "--as-of", "2025-03-31") == [
        _stall(year, "2024-002", YOKOZE, "decision-overdue", "2025-03-14", 10)
    ]


def test_on_the_transfer_day_the_case_whose_contact_left_unreplaced_stalls(year):
    assert _ask(year, "stalled", "--as-of", "2025-04-01") == [
        _stall(year, "2024-002", YOKOZE, "decision-overdue", "2025-03-14", 11),
        _stall(year, "2024-001", KAWAGUCHI, "contact-left", "2025-04-01", 0),
    ]


def test_by_the_end_of_june_every_rule_lists_a_case(year):
    assert _ask(year, "stalled", "--as-of", "2025-06-30") == [
        _stall(year, "2024-001", KAWAGUCHI, "one-off", "2025-03-05", 117),
        _stall(year, "2025-002", KAWAGUCHI, "one-off", "2025-05-23", 38),
        _stall(year, "2024-002", YOKOZE, "follow-up-overdue", "2025-06-13", 17),
        _stall(year, "2024-001", KAWAGUCHI, "contact-left", "2025-04-01", 90),
        _stall(year, "2025-001", MINANO, "dormant", "2025-04-20", 71),
    ]


def test_silent_municipalities_neediest_first_with_the_staff_figure_known_on_the_day(year):
    assert _ask(year, "silent", "--as-of", "2025-03-31") == [
        {
            "municipality": HIGASHICHICHIBU,
            "name": "東秩父村",
            "name_kana": "ひがしちちぶむら",
            "last_engagement": None,
            "population": 2635,
            "it_staff": None,
        },
        {
            "municipality": MINANO,
            "name": "皆野町",
            "name_kana": "みなのまち",
            "last_engagement": None,
            "population": 9371,
            "it_staff": None,
        },
    ]
    assert _ask(year, "silent", "--as-of", "2025-06-30", "--months", "2") == [
        {
            "municipality": MINANO,
            "name": "皆野町",
            "name_kana": "みなのまち",
            "last_engagement": "2025-04-20",
            "population": 9371,
            "it_staff": 2,
        },
        {
            "municipality": HIGASHICHICHIBU,
            "name": "東秩父村",
            "name_kana": "ひがしちちぶむら",
            "last_engagement": None,
            "population": 2635,
            "it_staff": None,
        },
    ]
    assert _ask(year, "silent", "--as-of", "2025-06-30") == [
        {
            "municipality": HIGASHICHICHIBU,
            "name": "東秩父村",
            "name_kana": "ひがしちちぶむら",
            "last_engagement": None,
            "population": 2635,
            "it_staff": None,
        }
    ]


def _recorded(entries: list[dict]) -> list[dict]:
    """The entries with their recording time checked (it is when this test ran) and blanked,
    and their entry numbers checked (nothing here was corrected or withdrawn) and blanked."""
    for entry in entries:
        at = datetime.fromisoformat(entry.pop("recorded_at"))
        assert STARTED <= at <= datetime.now(UTC)
        assert entry.pop("entry") >= 1
        assert entry.pop("corrected_by") is None and entry.pop("withdrawn_by") is None
        assert entry.pop("amendable") is True
    return entries


def _entry(date: str, kind: str, label: str, case: str | None, text: str, by="事務局A") -> dict:
    return {
        "date": date,
        "kind": kind,
        "kind_label": label,
        "case": case,
        "text": text,
        "recorded_by": by,
    }


TOWN_UNTIL_MARCH = [
    _entry("2024-10-01", "contact-assigned", "担当者着任", None, "田中一郎（総務課 係長）が着任"),
    _entry(
        "2025-03-10",
        "case-opened",
        "相談受付",
        "2024-002",
        "[C フロントヤード] 公式LINEを導入したい（チャット） / 担当: 田中一郎",
    ),
    _entry("2025-03-14", "dispatch-applied", "派遣申請", "2024-002", ""),
]
TOWN_UNTIL_JUNE = [
    *TOWN_UNTIL_MARCH,
    _entry(
        "2025-04-01",
        "contact-transferred",
        "担当者異動",
        None,
        "田中一郎 が異動、後任は 小林次郎",
    ),
    _entry("2025-04-08", "dispatch-decided", "派遣決定", "2024-002", "E002 鈴木花子"),
    _entry(
        "2025-05-09",
        "visit-reported",
        "支援報告",
        "2024-002",
        "（オンライン）LINE公式アカウントの運用体制を整理 / E002 鈴木花子",
    ),
    _entry(
        "2025-05-09",
        "follow-up-scheduled",
        "フォローアップ予定",
        "2024-002",
        "［1］期日 2025-06-13: 運用開始の確認",
    ),
    _entry(
        "2025-05-30",
        "visit-reported",
        "支援報告",
        "2024-002",
        "（現地）職員向け操作研修 / E002 鈴木花子",
        by="事務局B",
    ),
    _entry(  # the visit's next step: a commitment of the municipality's
        "2025-05-30",
        "commitment-made",
        "約束",
        "2024-002",
        "［1］庁内周知（担当: 市町村）",
        by="事務局B",
    ),
    _entry("2025-06-05", "note-added", "メモ", "2024-002", "運用ルール案を受領"),
]


def test_the_timeline_is_by_business_date_with_the_late_visit_in_its_place(year):
    assert _recorded(_ask(year, "timeline", "横瀬町", "--as-of", "2025-03-31")) == TOWN_UNTIL_MARCH
    assert _recorded(_ask(year, "timeline", YOKOZE, "--as-of", "2025-06-30")) == TOWN_UNTIL_JUNE


def _month(month: str, consultations=0, dispatches=0, visits=0, follow_ups_done=0) -> dict:
    return {
        "month": month,
        "consultations": consultations,
        "dispatches": dispatches,
        "visits": visits,
        "follow_ups_done": follow_ups_done,
    }


def _months(first_year: int, **counts: dict) -> list[dict]:
    keys = [f"{first_year + (m < 4)}-{m:02d}" for m in (*range(4, 13), 1, 2, 3)]
    return [_month(k, **counts.get(k, {})) for k in keys]


FISCAL_2025 = {
    "fiscal_year": 2025,
    "consultations": 2,
    "applications": 1,
    "dispatches": 2,
    "visits": 3,
    "follow_ups_done": 0,
    "median_days_to_decision": 14.5,  # 25 days (applied in March) and 4 days
    "decisions_within_7_days": 1,
    "municipalities_engaged": 3,
    "municipalities_total": 4,
    "continuity_rate": 0.5,  # the town's case was visited again; the city's AI case was not
    "outreach": 1,
    "feedback": {"count": 0, "mean_rating": None},
    "feedback_requested": 0,
    "feedback_answered": 0,
    "feedback_response_rate": None,
    "by_month": _months(
        2025,
        **{
            "2025-04": {"consultations": 1, "dispatches": 1},
            "2025-05": {"consultations": 1, "dispatches": 1, "visits": 3},
        },
    ),
    "by_topic": [{"topic": "A", "consultations": 1}, {"topic": "D", "consultations": 1}],
}


def test_the_fiscal_years_figures(year):
    assert _ask(year, "stats", "--fiscal-year", "2025") == FISCAL_2025
    assert _ask(year, "stats", "--as-of", "2025-06-30") == FISCAL_2025
    assert _ask(year, "stats", "--fiscal-year", "2024", "--as-of", "2025-03-31") == {
        "fiscal_year": 2024,
        "consultations": 2,
        "applications": 2,
        "dispatches": 1,
        "visits": 1,
        "follow_ups_done": 0,
        "median_days_to_decision": 5,
        "decisions_within_7_days": 1,
        "municipalities_engaged": 2,
        "municipalities_total": 4,
        "continuity_rate": 0.0,
        "outreach": 0,
        "feedback": {"count": 0, "mean_rating": None},
        "feedback_requested": 0,
        "feedback_answered": 0,
        "feedback_response_rate": None,
        "by_month": _months(
            2024,
            **{
                "2025-02": {"consultations": 1, "dispatches": 1},
                "2025-03": {"consultations": 1, "visits": 1},
            },
        ),
        "by_topic": [{"topic": "B", "consultations": 1}, {"topic": "C", "consultations": 1}],
    }


BRIEFING_MARCH = """\
# 引継ぎ資料: 埼玉県横瀬町（113611）

基準日: 2025-03-31（令和7年3月31日）

## 団体の概要

- 人口: 7,976
- 情報担当職員数: -
- 最後に関わった日: 2025-03-14（令和7年3月14日）

## 担当者

| 氏名 | 役職 | 着任 | 前任 | 連絡先 |
|---|---|---|---|---|
| 田中一郎 | 総務課 係長 | 2024-10-01（令和6年10月1日） | - | tanaka@example.jp |

## 対応中の案件（1）

### 2024-002 [C フロントヤード]

- 相談内容: 公式LINEを導入したい
- 受付日: 2025-03-10（令和7年3月10日）（チャット）
- 市町村の担当者: 田中一郎
- 専門人材: 未決定
- 派遣申請（決定待ち）: 2025-03-14（令和7年3月14日）
- フォローアップ: 予定なし
- 最終活動日: 2025-03-14（令和7年3月14日）

## 約束（誰が・誰に・何を・いつまでに）（0）

未了の約束はありません。

## 注意が必要な点（停滞ルール）

- **派遣決定待ち超過** 2024-002: 起点 2025-03-14（令和7年3月14日）（10開庁日）

## 終了した案件（0）

## アウトリーチ（デジタルカフェ・ヒアリング等）

記録なし

## 最近の経過

| 日付 | 種別 | 案件 | 内容 |
|---|---|---|---|
| 2024-10-01 | 担当者着任 | - | 田中一郎（総務課 係長）が着任 |
| 2025-03-10 | 相談受付 | 2024-002 | [C フロントヤード] 公式LINEを導入したい（チャット） / 担当: 田中一郎 |
| 2025-03-14 | 派遣申請 | 2024-002 | - |

"""

BRIEFING_JUNE = """\
# 引継ぎ資料: 埼玉県横瀬町（113611）

基準日: 2025-06-30（令和7年6月30日）

## 団体の概要

- 人口: 7,976
- 情報担当職員数: -
- 最後に関わった日: 2025-06-05（令和7年6月5日）

## 担当者

| 氏名 | 役職 | 着任 | 前任 | 連絡先 |
|---|---|---|---|---|
| 小林次郎 | 総務課 係長 | 2025-04-01（令和7年4月1日） | 田中一郎 | - |

### 担当者の履歴

| 氏名 | 役職 | 期間 | 後任 |
|---|---|---|---|
| 田中一郎 | 総務課 係長 | 2024-10-01 〜 2025-04-01 | 小林次郎 |

## 対応中の案件（1）

### 2024-002 [C フロントヤード]

- 相談内容: 公式LINEを導入したい
- 受付日: 2025-03-10（令和7年3月10日）（チャット）
- 市町村の担当者: 小林次郎
- 専門人材: E002 鈴木花子
- 直近の支援報告: 職員向け操作研修
- 約束（未了）:
  - ［1］庁内周知（担当: 市町村）
- フォローアップ:
  - ［1］2025-06-13（令和7年6月13日） **期限超過**（運用開始の確認）
- 最終活動日: 2025-06-05（令和7年6月5日）

## 約束（誰が・誰に・何を・いつまでに）（1）

| 案件 | 番号 | 誰が | 誰に | 何を | いつまでに |
|---|---|---|---|---|---|
| 2024-002 | 1 | 市町村 | 事務局・専門人材 | 庁内周知 | - |

## 注意が必要な点（停滞ルール）

- **フォローアップ期限超過** 2024-002: 起点 2025-06-13（令和7年6月13日）（17日）

## 終了した案件（0）

## アウトリーチ（デジタルカフェ・ヒアリング等）

記録なし

## 最近の経過

| 日付 | 種別 | 案件 | 内容 |
|---|---|---|---|
| 2024-10-01 | 担当者着任 | - | 田中一郎（総務課 係長）が着任 |
| 2025-03-10 | 相談受付 | 2024-002 | [C フロントヤード] 公式LINEを導入したい（チャット） / 担当: 田中一郎 |
| 2025-03-14 | 派遣申請 | 2024-002 | - |
| 2025-04-01 | 担当者異動 | - | 田中一郎 が異動、後任は 小林次郎 |
| 2025-04-08 | 派遣決定 | 2024-002 | E002 鈴木花子 |
| 2025-05-09 | 支援報告 | 2024-002 | （オンライン）LINE公式アカウントの運用体制を整理 / E002 鈴木花子 |
| 2025-05-09 | フォローアップ予定 | 2024-002 | ［1］期日 2025-06-13: 運用開始の確認 |
| 2025-05-30 | 支援報告 | 2024-002 | （現地）職員向け操作研修 / E002 鈴木花子 |
| 2025-05-30 | 約束 | 2024-002 | ［1］庁内周知（担当: 市町村） |
| 2025-06-05 | メモ | 2024-002 | 運用ルール案を受領 |

"""


def prepared(briefing: str) -> str:
    """A briefing as 事務局A makes it today: its as-of line, then who made it and when."""
    day = today()
    as_of, rest = briefing.split("\n", 3)[2], briefing.split("\n", 3)[3]
    head = briefing.split("\n", 2)[:2]
    stamp = f"{as_of}\\\n作成日: {day}（{reiwa(day)}）\\\n作成者: 事務局A"
    return "\n".join([*head, stamp, rest])


def test_the_handover_briefing_before_and_after_the_transfer(year):
    store = Path(year["store"])
    march = banso(store, "briefing", "横瀬町", "--as-of", "2025-03-31", "--include-personal")
    assert march.stdout == prepared(BRIEFING_MARCH)
    june = banso(store, "briefing", YOKOZE, "--as-of", "2025-06-30", "--include-personal")
    assert june.stdout == prepared(BRIEFING_JUNE)
    handed_around = banso(store, "briefing", YOKOZE, "--as-of", "2025-03-31").stdout
    assert "田中一郎" in handed_around and "tanaka@example.jp" not in handed_around


def test_the_city_briefing_flags_the_case_whose_contact_left(year):
    text = banso(Path(year["store"]), "briefing", "川口市", "--as-of", "2025-06-30").stdout
    section = text.split("## 注意が必要な点（停滞ルール）\n\n")[1].split("\n\n")[0]
    assert section.splitlines() == [  # in case-number order, like the case sections
        "- **単発支援のまま** 2024-001: 起点 2025-03-05（令和7年3月5日）（117日）",
        "- **担当者異動・後任なし** 2024-001: 起点 2025-04-01（令和7年4月1日）（90日）",
        "- **単発支援のまま** 2025-002: 起点 2025-05-23（令和7年5月23日）（38日）",
    ]
    assert "- 市町村の担当者: 佐藤花子（異動・後任なし）" in text.splitlines()


def test_search_finds_two_characters_in_a_summary_and_in_a_visits_next_step(year):
    assert _ask(year, "search", "庁内", "--as-of", "2025-06-30") == [
        {
            "date": "2025-05-30",
            "kind": "CommitmentMade",
            "kind_label": "約束",
            "case": "2024-002",
            "municipality": YOKOZE,
            "municipality_name": "横瀬町",
            "text": "庁内周知",
        },
        {
            "date": "2025-05-12",
            "kind": "CaseOpened",
            "kind_label": "相談受付",
            "case": "2025-002",
            "municipality": KAWAGUCHI,
            "municipality_name": "川口市",
            "text": "生成AIの庁内利用ルール",
        },
    ]
    assert _ask(year, "search", "庁内", "--as-of", "2025-05-29") == [
        {
            "date": "2025-05-12",
            "kind": "CaseOpened",
            "kind_label": "相談受付",
            "case": "2025-002",
            "municipality": KAWAGUCHI,
            "municipality_name": "川口市",
            "text": "生成AIの庁内利用ルール",
        },
    ]


# ---- verify and rebuild --------------------------------------------------------------------


@pytest.fixture
def copy(year, tmp_path) -> Path:
    """A copy of the year's store and read models, free to be tampered with."""
    source = Path(year["store"]).parent
    target = tmp_path / "copy"
    shutil.copytree(source, target)
    return target / "banso.sqlite"


def test_verify_passes_on_a_sound_store(copy):
    done = banso(copy, "verify", "--json")
    verified = json.loads(done.stdout)
    assert (done.returncode, verified["ok"], verified["problems"]) == (0, True, [])


def test_verify_reports_tampered_read_models_and_rebuild_mends_them(copy):
    views = sqlite3.connect(copy.with_name("banso.views.sqlite"))
    (events,) = views.execute("SELECT position FROM tracking").fetchone()
    with views:
        views.execute("DELETE FROM cases WHERE number = '2024-001'")
        views.execute("UPDATE municipalities SET it_staff = 9 WHERE code = ?", (YOKOZE,))
    views.close()
    broken = banso(copy, "verify", "--json", check=False)
    assert broken.returncode == 1
    assert {k: v for k, v in json.loads(broken.stdout).items() if k in ("ok", "problems")} == {
        "ok": False,
        "problems": [
            "read model municipalities: 1 rows only in main",
            "read model municipalities: 1 rows only in fresh",
            "read model cases: 1 rows only in fresh",
        ],
    }
    human = banso(copy, "verify", check=False)
    assert human.returncode == 1
    assert human.stdout.splitlines()[:-1] == [
        "3 件の問題:",
        "read model municipalities: 1 rows only in main",
        "read model municipalities: 1 rows only in fresh",
        "read model cases: 1 rows only in fresh",
    ]
    assert human.stdout.splitlines()[-1].startswith("チェーンの先頭: ")
    assert banso_json(copy, "rebuild") == {"events": events}
    mended = banso(copy, "verify", "--json", check=False)
    verified = json.loads(mended.stdout)
    assert (mended.returncode, verified["ok"], verified["problems"]) == (0, True, [])
