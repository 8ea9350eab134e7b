"""A small, fixed history of Saitama in fiscal 2025, seen on TODAY: every stall rule shows.

Built through the real application, so the TUI tests read real read models.
"""

from __future__ import annotations

from datetime import date

from tracker.application.commands import Banso

TODAY = date(2026, 3, 16)

KAWAGUCHI, CHICHIBU, OGANO, TOKOROZAWA = "112038", "112071", "113654", "112089"
KUMAGAYA, KOSHIGAYA, KAWAGOE, KASUKABE = "112020", "112224", "112011", "112143"
HIGASHICHICHIBU, MINANO, NAGATORO = "113697", "113620", "113638"


def d(text: str) -> date:
    return date.fromisoformat(text)


def tell(app: Banso) -> None:
    """Record the story: experts, contacts, nine cases, outreach."""
    app.register_prefecture("11", on=d("2024-04-01"))
    for code, staff in (
        (HIGASHICHICHIBU, 1),
        (OGANO, 1),
        (MINANO, 1),
        (NAGATORO, 2),
        (CHICHIBU, 4),
        (KAWAGUCHI, 12),
    ):
        app.update_municipality(code, it_staff=staff, on=d("2024-04-01"))
    app.register_expert(
        "山田太郎", specialties=["B", "E"], background="元市役所 情報政策課長", on=d("2024-04-01")
    )
    app.register_expert(
        "鈴木花子", specialties=["C", "D"], background="民間ITコンサルタント", on=d("2024-04-01")
    )
    app.register_expert(
        "高橋誠",
        specialties=["A", "F"],
        background="総務省 地域情報化アドバイザー",
        on=d("2024-04-01"),
    )
    app.register_expert(
        "田中恵", specialties=["D", "G"], background="大学教員（行政情報学）", on=d("2024-04-01")
    )
    app.retire_expert("E004", on=d("2025-12-01"))

    app.assign_contact(
        KAWAGUCHI, "佐藤花子", role="情報政策課主任", email="sato@example.jp", on=d("2025-04-01")
    )
    app.assign_contact(CHICHIBU, "伊藤健一", role="総務課情報係長", on=d("2025-04-01"))
    app.assign_contact(
        OGANO, "中村翔太", role="総務課主事", phone="0494-00-0000", on=d("2025-04-01")
    )
    app.assign_contact(KASUKABE, "小林誠", role="情報政策課主査", on=d("2024-04-01"))

    # fiscal 2024: one case, closed
    n, _ = app.open_case(
        KASUKABE,
        topic="B",
        summary="標準化の移行計画の見直し方を相談したい",
        contact="小林誠",
        on=d("2024-11-05"),
    )
    app.close_case(n, resolution="resolved", note="移行計画を改定", on=d("2025-01-20"))

    # fiscal 2025
    n, _ = app.open_case(
        KAWAGUCHI,
        topic="B",
        summary="ベンダーの標準化移行見積が妥当か判断したい",
        contact="佐藤花子",
        on=d("2025-05-12"),
    )
    app.apply_for_dispatch(n, on=d("2025-05-14"))
    app.decide_dispatch(n, ["E001"], on=d("2025-05-19"))
    app.report_visit(
        n,
        report="見積の内訳を確認し、比較の観点を助言した",
        experts=["E001"],
        next_steps=["見積比較表を作成", "ベンダーへ質問状を送付"],
        on=d("2025-06-10"),
    )
    app.schedule_follow_up(n, due=d("2025-07-15"), note="比較表の確認", on=d("2025-06-10"))
    app.complete_follow_up(n, note="比較表を確認した", on=d("2025-07-16"))
    app.complete_commitment(n, 1, on=d("2025-07-16"))
    app.report_visit(
        n,
        report="質問状への回答を踏まえて再見積を依頼する方針を確認",
        experts=["E001"],
        online=True,
        on=d("2025-09-10"),
    )
    app.complete_commitment(n, 2, note="回答を受領", on=d("2025-09-10"))
    app.close_case(n, resolution="resolved", on=d("2025-10-01"))

    app.record_outreach(OGANO, "hearing", note="DXの取組状況を聞き取り", on=d("2025-07-01"))
    app.record_outreach(
        CHICHIBU, "cafe", note="デジタルカフェ（秩父会場）に参加", on=d("2025-09-05")
    )

    n, _ = app.open_case(
        OGANO,
        topic="E",
        summary="三層分離の見直しとネットワーク更改の進め方",
        contact="中村翔太",
        on=d("2025-10-01"),
    )
    app.add_note(n, "更改時期は令和8年度の予定", on=d("2025-12-10"))

    n, _ = app.open_case(
        TOKOROZAWA,
        topic="D",
        summary="生成AIの庁内ガイドラインを作りたい",
        channel="mail",
        on=d("2025-11-10"),
    )
    app.report_visit(
        n, report="他団体のガイドライン例を紹介", experts=["E002"], online=True, on=d("2025-12-01")
    )
    app.schedule_follow_up(n, due=d("2026-02-27"), note="ガイドライン案の確認", on=d("2025-12-01"))

    n, _ = app.open_case(
        KUMAGAYA, topic="G", summary="オープンデータの公開方法を知りたい", on=d("2025-12-15")
    )

    n, _ = app.open_case(
        KAWAGUCHI,
        topic="C",
        summary="公式LINEの導入を検討したい",
        contact="佐藤花子",
        on=d("2026-01-20"),
    )
    app.apply_for_dispatch(n, on=d("2026-01-22"))
    app.decide_dispatch(n, ["E002"], on=d("2026-01-27"))
    app.report_visit(
        n,
        report="導入事例を紹介し、運用体制を一緒に検討した",
        experts=["E002"],
        next_steps=["公式アカウントの運用規程案を作る"],
        on=d("2026-02-05"),
    )

    app.transfer_contact(OGANO, "中村翔太", on=d("2026-01-15"))

    n, _ = app.open_case(
        KOSHIGAYA, topic="H", summary="防災アプリの導入を検討したい", on=d("2026-02-10")
    )
    app.report_visit(n, report="先行団体の事例を紹介", experts=["E003"], on=d("2026-02-25"))
    app.schedule_follow_up(n, due=d("2026-03-25"), note="庁内検討の結果を聞く", on=d("2026-02-25"))

    n, _ = app.open_case(
        CHICHIBU,
        topic="A",
        summary="DX推進計画を初めて策定したい",
        contact="伊藤健一",
        on=d("2026-02-20"),
    )
    app.apply_for_dispatch(n, on=d("2026-03-02"))

    app.open_case(
        KAWAGOE,
        topic="I",
        summary="高齢者向けスマホ教室の進め方",
        channel="phone",
        on=d("2026-03-10"),
    )
