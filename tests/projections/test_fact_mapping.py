"""The projection's pure per-event mappings, checked without a database."""

from __future__ import annotations

import json
from uuid import UUID

import pytest
from projections_support import d, ev

from events.case import (
    CaseClosed,
    CaseEntryCorrected,
    CaseEntryWithdrawn,
    CaseOpened,
    CaseReopened,
    CommitmentCancelled,
    CommitmentDone,
    CommitmentMade,
    DispatchApplied,
    DispatchDecided,
    ExpertReassigned,
    FeedbackReceived,
    FollowUpCancelled,
    FollowUpDone,
    FollowUpRescheduled,
    FollowUpScheduled,
    NoteAdded,
    VisitReported,
)
from events.expert import ExpertRegistered, ExpertRetired
from events.municipality import (
    ContactAssigned,
    ContactForgotten,
    ContactTransferred,
    MunicipalityEntryCorrected,
    MunicipalityEntryWithdrawn,
    MunicipalityProfileUpdated,
    MunicipalityRegistered,
    OutreachRecorded,
)
from events.rules import RuleSettingChanged
from events.topic import TopicRegistered
from projections.facts import Fact, fact_from_state, fact_of, search_text
from projections.handlers import expert_row, municipality_row
from projections.kinds import FACT_KINDS
from tracker.application.store import JSONBytesTranscoder, PydanticMapper
from tracker.domain.folding import fold

CASE = UUID("00000000-0000-4000-8000-00000000ca5e")
MUNI = UUID("00000000-0000-4000-8000-0000000000a1")
EXPERT = UUID("00000000-0000-4000-8000-0000000000e1")
ON_CASE = {"municipality": "112038", "case_number": "2025-001"}
ON_MUNI = {"municipality": "112038"}

# (event, what the projection passes in, municipality, case id, case number, text, data, experts)
CASES = [
    (
        ev(
            CaseOpened,
            id=CASE,
            number="2025-001",
            municipality_code="112038",
            topic="B",
            summary="特定移行支援システムの申請について",
            channel="mail",
            contact="佐藤花子",
        ),
        {},
        "112038",
        str(CASE),
        "2025-001",
        "特定移行支援システムの申請について",
        {
            "number": "2025-001",
            "municipality_code": "112038",
            "topic": "B",
            "summary": "特定移行支援システムの申請について",
            "channel": "mail",
            "contact": "佐藤花子",
            "contact_person": None,
        },
        (),
    ),
    (ev(DispatchApplied, id=CASE), ON_CASE, "112038", str(CASE), "2025-001", "", {}, ()),
    (
        ev(DispatchDecided, id=CASE, experts=("E001", "E002")),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "",
        {"experts": ["E001", "E002"]},
        ("E001", "E002"),
    ),
    (
        ev(
            VisitReported,
            id=CASE,
            report="移行計画を確認",
            experts=("E001",),
            online=True,
            next_steps=("見積を依頼", "庁内説明"),
        ),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "移行計画を確認\n見積を依頼\n庁内説明",
        {
            "report": "移行計画を確認",
            "experts": ["E001"],
            "online": True,
            "next_steps": ["見積を依頼", "庁内説明"],
        },
        ("E001",),
    ),
    (
        ev(ExpertReassigned, id=CASE, from_expert="E001", to_expert="E002", note="退任のため"),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "退任のため",
        {"from_expert": "E001", "to_expert": "E002", "note": "退任のため"},
        ("E001", "E002"),
    ),
    (
        ev(
            CommitmentMade,
            id=CASE,
            number=1,
            text="見積を依頼",
            owner="expert",
            expert="E002",
            due=d("2025-06-30"),
            visit=4,
        ),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "見積を依頼",
        {
            "number": 1,
            "text": "見積を依頼",
            "owner": "expert",
            "member": None,
            "expert": "E002",
            "due": "2025-06-30",
            "visit": 4,
        },
        ("E002",),
    ),
    (  # the secretariat's: about no expert
        ev(
            CommitmentMade, id=CASE, number=2, text="教材を送付", owner="secretariat", member="佐藤"
        ),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "教材を送付",
        {
            "number": 2,
            "text": "教材を送付",
            "owner": "secretariat",
            "member": "佐藤",
            "expert": None,
            "due": None,
            "visit": None,
        },
        (),
    ),
    (
        ev(CommitmentDone, id=CASE, number=1, note="受領"),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "受領",
        {"number": 1, "note": "受領"},
        (),
    ),
    (
        ev(CommitmentCancelled, id=CASE, number=2),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "",
        {"number": 2, "note": None},
        (),
    ),
    (
        ev(FollowUpScheduled, id=CASE, due=d("2025-06-20"), number=1),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "",
        {"due": "2025-06-20", "note": None, "number": 1},
        (),
    ),
    (
        ev(FollowUpScheduled, id=CASE, due=d("2025-06-20"), note="見積の状況を確認"),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "見積の状況を確認",
        {"due": "2025-06-20", "note": "見積の状況を確認", "number": None},
        (),
    ),
    (
        ev(FollowUpRescheduled, id=CASE, number=1, due=d("2025-07-01"), note="先方都合"),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "先方都合",
        {"number": 1, "due": "2025-07-01", "note": "先方都合"},
        (),
    ),
    (
        ev(FollowUpDone, id=CASE, note="見積受領済み", number=1),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "見積受領済み",
        {"note": "見積受領済み", "number": 1},
        (),
    ),
    (
        ev(FollowUpCancelled, id=CASE, number=2),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "",
        {"number": 2, "note": None},
        (),
    ),
    (
        ev(NoteAdded, id=CASE, text="課長に電話で共有"),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "課長に電話で共有",
        {"text": "課長に電話で共有"},
        (),
    ),
    (
        ev(FeedbackReceived, id=CASE, rating=4, comment="助かりました"),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "助かりました",
        {"rating": 4, "comment": "助かりました"},
        (),
    ),
    (
        ev(CaseClosed, id=CASE, resolution="resolved", note="移行完了"),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "移行完了",
        {"resolution": "resolved", "note": "移行完了", "feedback_requested": False},
        (),
    ),
    (
        ev(CaseReopened, id=CASE),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "",
        {"note": None},
        (),
    ),
    (
        ev(
            MunicipalityRegistered,
            id=MUNI,
            code="112038",
            name="川口市",
            name_kana="かわぐちし",
            prefecture="埼玉県",
            kind="市",
            population=605545,
        ),
        {},
        "112038",
        None,
        None,
        "川口市",
        {
            "code": "112038",
            "name": "川口市",
            "name_kana": "かわぐちし",
            "prefecture": "埼玉県",
            "kind": "市",
            "population": 605545,
        },
        (),
    ),
    (
        ev(MunicipalityProfileUpdated, id=MUNI, it_staff=1),
        ON_MUNI,
        "112038",
        None,
        None,
        "",
        {"it_staff": 1, "population": None},
        (),
    ),
    (
        ev(ContactAssigned, id=MUNI, name="佐藤花子", role="情報政策課 主査", email="s@example.jp"),
        ON_MUNI,
        "112038",
        None,
        None,
        "佐藤花子",
        {
            "name": "佐藤花子",
            "role": "情報政策課 主査",
            "email": "s@example.jp",
            "phone": None,
            "person": None,
        },
        (),
    ),
    (
        ev(ContactTransferred, id=MUNI, name="佐藤花子", successor="田中一郎"),
        ON_MUNI,
        "112038",
        None,
        None,
        "佐藤花子 田中一郎",
        {"name": "佐藤花子", "successor": "田中一郎", "person": None, "successor_person": None},
        (),
    ),
    (
        ev(ContactTransferred, id=MUNI, name="佐藤花子"),
        ON_MUNI,
        "112038",
        None,
        None,
        "佐藤花子",
        {"name": "佐藤花子", "successor": None, "person": None, "successor_person": None},
        (),
    ),
    (
        ev(ContactForgotten, id=MUNI, persons=(UUID(int=7),)),
        ON_MUNI,
        "112038",
        None,
        None,
        "",
        {"persons": ["00000000-0000-0000-0000-000000000007"]},
        (),
    ),
    (
        ev(OutreachRecorded, id=MUNI, kind="cafe", note="デジタルカフェ（秩父地域）"),
        ON_MUNI,
        "112038",
        None,
        None,
        "デジタルカフェ（秩父地域）",
        {"kind": "cafe", "note": "デジタルカフェ（秩父地域）"},
        (),
    ),
    (
        ev(
            CaseEntryCorrected,
            id=CASE,
            version=9,
            entry=4,
            reason="報告の誤記",
            changes={"report": "訂正した報告"},
            entry_on=d("2025-04-30"),
        ),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "報告の誤記",
        {
            "entry": 4,
            "reason": "報告の誤記",
            "changes": {"report": "訂正した報告"},
            "entry_on": "2025-04-30",
        },
        (),
    ),
    (
        ev(CaseEntryWithdrawn, id=CASE, entry=1, reason="別の市の案件"),
        ON_CASE,
        "112038",
        str(CASE),
        "2025-001",
        "別の市の案件",
        {"entry": 1, "reason": "別の市の案件"},
        (),
    ),
    (
        ev(
            MunicipalityEntryCorrected,
            id=MUNI,
            entry=3,
            reason="役職の誤り",
            changes={"role": "課長"},
        ),
        ON_MUNI,
        "112038",
        None,
        None,
        "役職の誤り",
        {
            "entry": 3,
            "reason": "役職の誤り",
            "changes": {"role": "課長"},
            "entry_on": None,
            "person": None,
        },
        (),
    ),
    (
        ev(MunicipalityEntryWithdrawn, id=MUNI, entry=5, reason="別の市"),
        ON_MUNI,
        "112038",
        None,
        None,
        "別の市",
        {"entry": 5, "reason": "別の市"},
        (),
    ),
    (
        ev(
            ExpertRegistered,
            id=EXPERT,
            expert_id="E007",
            name="山田太郎",
            specialties=("B", "E"),
            background="元市職員",
        ),
        {},
        None,
        None,
        None,
        "山田太郎",
        {
            "expert_id": "E007",
            "name": "山田太郎",
            "specialties": ["B", "E"],
            "background": "元市職員",
        },
        ("E007",),
    ),
    (ev(ExpertRetired, id=EXPERT), {}, None, None, None, "", {}, ()),
    (
        ev(TopicRegistered, code="J", name="AI活用", name_en="AI use"),
        {},
        None,
        None,
        None,
        "",
        {"code": "J", "name": "AI活用", "name_en": "AI use"},
        (),
    ),
    (
        ev(RuleSettingChanged, key="rules.decision-overdue.days", value="10"),
        {},
        None,
        None,
        None,
        "",
        {"key": "rules.decision-overdue.days", "value": "10"},
        (),
    ),
]


@pytest.mark.parametrize(
    ("event", "given", "municipality", "case_id", "number", "text", "data", "experts"),
    CASES,
    ids=[f"{type(c[0]).__name__}-{i}" for i, c in enumerate(CASES)],
)
def test_each_event_maps_to_one_fact_row(
    event, given, municipality, case_id, number, text, data, experts
):
    assert fact_of(event, 42, **given) == Fact(
        position=42,
        kind=type(event).__name__,
        version=event.originator_version,
        occurred_on="2025-05-01",
        recorded_at="2025-05-02T09:30:00+00:00",
        recorded_by="tester",
        originator_id=str(event.originator_id),
        municipality=municipality,
        case_id=case_id,
        case_number=number,
        text=fold(text),  # the search index holds the text folded
        data=data,
        experts=experts,
    )
    assert search_text(type(event).__name__, data) == text  # and search shows it as written


def test_every_kind_that_becomes_a_fact_has_a_mapping_case():
    assert {type(c[0]).__name__ for c in CASES} == FACT_KINDS


def test_a_case_opening_names_its_own_municipality_and_number_over_what_is_passed():
    opened = CASES[0][0]
    fact = fact_of(opened, 1, municipality="999999", case_number="1999-999")
    assert (fact.municipality, fact.case_number) == ("112038", "2025-001")


def test_a_fact_row_keeps_japanese_data_unescaped():
    row = fact_of(ev(NoteAdded, id=CASE, text="課長に共有"), 7, **ON_CASE).row()
    assert "課長に共有" in row["data"]
    assert json.loads(row.pop("data")) == {"text": "課長に共有"}
    assert row == {
        "position": 7,
        "kind": "NoteAdded",
        "occurred_on": "2025-05-01",
        "recorded_at": "2025-05-02T09:30:00+00:00",
        "recorded_by": "tester",
        "originator_id": str(CASE),
        "version": 1,
        "municipality": "112038",
        "case_id": str(CASE),
        "case_number": "2025-001",
        "text": "課長に共有",
        "corrected_by": None,
    }


def test_a_registration_makes_the_municipality_row_with_no_staff_or_engagement_yet():
    registered = next(c[0] for c in CASES if isinstance(c[0], MunicipalityRegistered))
    assert municipality_row(str(MUNI), registered.model_dump(mode="json")) == {
        "code": "112038",
        "id": str(MUNI),
        "name": "川口市",
        "name_kana": "かわぐちし",
        "prefecture": "埼玉県",
        "kind": "市",
        "population": 605545,
        "it_staff": None,
        "registered_on": "2025-05-01",
        "last_engagement_on": None,
    }


def test_a_municipality_of_unknown_population_keeps_it_unknown():
    event = ev(
        MunicipalityRegistered,
        "2024-04-01",
        id=MUNI,
        code="113697",
        name="東秩父村",
        name_kana="",
        prefecture="",
        kind="村",
        population=None,
    )
    row = municipality_row(str(MUNI), event.model_dump(mode="json"))
    assert (row["population"], row["registered_on"], row["kind"]) == (None, "2024-04-01", "村")


def test_an_expert_registration_makes_the_expert_row_with_specialties_as_json():
    registered = next(c[0] for c in CASES if isinstance(c[0], ExpertRegistered))
    assert expert_row(str(EXPERT), registered.model_dump(mode="json")) == {
        "expert_id": "E007",
        "id": str(EXPERT),
        "name": "山田太郎",
        "specialties": '["B", "E"]',
        "background": "元市職員",
        "registered_on": "2025-05-01",
        "retired_on": None,
    }


@pytest.mark.parametrize(
    ("event", "given"), [c[:2] for c in CASES], ids=[type(c[0]).__name__ for c in CASES]
)
def test_the_stored_state_the_read_models_consume_maps_to_the_same_fact(event, given):
    mapper = PydanticMapper(transcoder=JSONBytesTranscoder())
    stored = mapper.to_stored_event(event)
    state = mapper.state_of(stored.topic, stored.state)
    state["originator_version"] = event.originator_version  # the log reads it beside the state
    from_log = fact_from_state(type(event).__name__, str(event.originator_id), state, 5, **given)
    assert from_log == fact_of(event, 5, **given)
