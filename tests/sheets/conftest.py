"""A small desk's store, recorded through the application with dates relative to today."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sheets_support import HIGASHICHICHIBU, KAWAGUCHI, YOKOZE, ago

from tracker.desk.bootstrap import bootstrap
from tracker.desk.settings import Settings


@pytest.fixture(scope="module")
def desk_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Three municipalities, two experts, a contact; a case visited (with a two-line report
    and a follow-up done, then another planned), one applied for, one closed with feedback,
    and an outreach."""
    store = tmp_path_factory.mktemp("desk") / "banso.sqlite"
    desk = bootstrap(Settings(store=str(store), user="事務局A"))
    app = desk.app
    app.register_prefecture("11", on=ago(400))
    app.register_expert("山田太郎", specialties=["B"], on=ago(400))
    app.register_expert("鈴木花子", specialties=["C"], on=ago(400))
    app.assign_contact(KAWAGUCHI, "佐藤花子", role="情報政策課 主査", on=ago(300))
    a, _ = app.open_case(
        KAWAGUCHI, topic="B", summary="特定移行支援システムの申請", contact="佐藤花子", on=ago(90)
    )
    app.apply_for_dispatch(a, on=ago(88))
    app.decide_dispatch(a, ["E001"], on=ago(85))
    app.report_visit(
        a, report="移行計画を確認\n見積の比較方法を説明", next_steps=["見積を依頼"], on=ago(70)
    )
    app.schedule_follow_up(a, due=ago(50), note="見積の確認", on=ago(70))
    app.complete_follow_up(a, note="見積を受領", on=ago(45))
    app.schedule_follow_up(a, due=ago(10), note="比較表の確認", on=ago(45))
    b, _ = app.open_case(
        YOKOZE, topic="C", summary="公式LINEを導入したい", channel="phone", on=ago(30)
    )
    app.apply_for_dispatch(b, on=ago(29))
    c, _ = app.open_case(
        HIGASHICHICHIBU, topic="Z", summary="パソコン更新の相談", channel="mail", on=ago(60)
    )
    app.close_case(c, resolution="referred", on=ago(55))
    app.receive_feedback(c, rating=4, comment="助かりました", on=ago(54))
    app.record_outreach(HIGASHICHICHIBU, "cafe", note="デジタルカフェ", on=ago(20))
    desk.close()
    yield store


@pytest.fixture
def fresh_store(tmp_path: Path) -> Path:
    """Saitama registered, experts E001 山田太郎 and E002 鈴木花子, 佐藤花子 a contact of 川口市."""
    store = tmp_path / "banso.sqlite"
    desk = bootstrap(Settings(store=str(store), user="事務局A"))
    desk.app.register_prefecture("11", on=ago(400))
    desk.app.register_expert("山田太郎", specialties=["B"], on=ago(400))
    desk.app.register_expert("鈴木花子", specialties=["C"], on=ago(400))
    desk.app.assign_contact(KAWAGUCHI, "佐藤花子", role="情報政策課 主査", on=ago(300))
    desk.close()
    return store
