"""Words the users read, Japanese first, English available: ``t(key, lang, **params)``."""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    # errors
    "error": ("エラー: {detail}", "Error: {detail}"),
    "invalid_input": ("{field} の値が正しくありません: {why}", "Invalid {field}: {why}"),
    "invalid_code": (
        "団体コード {code} が正しくありません（{why}）",
        "Municipality code {code} is invalid ({why})",
    ),
    "unknown_municipality": (
        "市町村 {municipality} は登録されていません",
        "Unknown municipality: {municipality}",
    ),
    "unknown_case": ("案件 {case} は見つかりません", "Unknown case: {case}"),
    "unknown_expert": ("専門人材 {expert} は登録されていません", "Unknown expert: {expert}"),
    "ambiguous_name": (
        "「{name}」に当てはまるものが複数あります: {candidates}",
        "'{name}' matches several: {candidates}",
    ),
    "unknown_contact": (
        "{municipality} の担当者に {name} はいません",
        "{name} is not a contact of {municipality}",
    ),
    "contact_already_assigned": (
        "{name} はすでに担当者です（{role}）",
        "{name} is already a contact ({role})",
    ),
    "expert_retired": (
        "専門人材 {expert}（{name}）は登録を終了しているため派遣できません",
        "Expert {expert} ({name}) has retired and cannot be dispatched",
    ),
    "no_application": (
        "案件 {case} には派遣申請がないため、派遣を決定できません",
        "Case {case} has no dispatch application to decide on",
    ),
    "case_closed": (
        "案件 {case} は終了しています（メモ・評価・再開のみ記録できます）",
        "Case {case} is closed (only a note, feedback or reopening can be recorded)",
    ),
    "case_not_closed": ("案件 {case} は終了していません", "Case {case} is not closed"),
    "no_pending_follow_up": (
        "案件 {case} には予定中のフォローアップがありません",
        "Case {case} has no pending follow-up",
    ),
    "date_before_opening": (
        "{on} は案件 {case} の受付日 {opened_on} より前です",
        "{on} is before case {case} was opened ({opened_on})",
    ),
    "date_before_last_change": (
        "{on} は {subject} の直前の記録日 {last} より前です",
        "{on} is before the last change of {subject} ({last})",
    ),
    "future_date": ("{on} は未来の日付です", "{on} is in the future"),
    "municipality_exists": (
        "市町村 {municipality} はすでに登録されています",
        "Municipality {municipality} is already registered",
    ),
    "internal_error": (
        "内部エラーが発生しました（何も記録していません）: {detail}",
        "Internal error (nothing was recorded): {detail}",
    ),
    # reasons for invalid input
    "why.format": ("6桁の数字ではありません", "not six digits"),
    "why.check_digit": ("検査数字が一致しません", "check digit does not match"),
    "why.date": ("日付は YYYY-MM-DD で入力してください（{value}）", "use YYYY-MM-DD ({value})"),
    "why.empty": ("空です", "it is empty"),
    "why.too_long": ("{value} 文字を超えています", "longer than {value} characters"),
    "why.control": ("制御文字 {value} を含んでいます", "contains control character {value}"),
    "why.choice": ("選べない値です: {value}", "not an allowed value: {value}"),
    "why.negative": ("負の値です: {value}", "negative: {value}"),
    "why.range": ("範囲外です: {value}", "out of range: {value}"),
    "why.before_on": ("記録日より前です: {value}", "before the date it was planned: {value}"),
    "why.nothing": ("変更する項目を指定してください", "give at least one value to change"),
    "why.unknown": ("見つかりません: {value}", "not found: {value}"),
    "why.not_empty": (
        "空のストアが必要です（既に {value} 件のイベントがあります。--store で新しいファイルを指定してください）",
        "needs an empty store ({value} events are already there; give a new file with --store)",
    ),
    "why.encoding": ("UTF-8 ではありません（{value}）", "not UTF-8 ({value})"),
    "why.json": ("JSON として読めません（{value}）", "not valid JSON ({value})"),
    "why.event": ("イベントとして読めません（{value}）", "not a valid event ({value})"),
    "why.conflict": ("既存の記録と食い違います（{value}）", "conflicts with the store ({value})"),
}

FIELDS: dict[str, tuple[str, str]] = {
    "date": ("日付", "date"),
    "on": ("日付 (--on)", "date (--on)"),
    "due": ("期日 (--due)", "due date (--due)"),
    "as_of": ("基準日 (--as-of)", "as-of date"),
    "summary": ("相談内容 (--summary)", "summary"),
    "report": ("報告 (--report)", "report"),
    "text": ("本文", "text"),
    "note": ("メモ (--note)", "note"),
    "name": ("氏名・名称", "name"),
    "role": ("役職 (--role)", "role"),
    "topic": ("分野 (--topic)", "topic"),
    "channel": ("受付経路 (--channel)", "channel"),
    "resolution": ("終了理由 (--resolution)", "resolution"),
    "kind": ("種別 (--kind)", "kind"),
    "rating": ("評価 (--rating)", "rating"),
    "expert": ("専門人材 (--expert)", "expert"),
    "prefecture": ("都道府県", "prefecture"),
    "population": ("人口", "population"),
    "it_staff": ("情報担当職員数", "IT staff"),
    "profile": ("変更内容", "profile"),
    "lang": ("言語 (--lang)", "language"),
    "next_step": ("次のステップ (--next-step)", "next step"),
    "store": ("ストア", "store"),
    "file": ("ファイル", "file"),
    "user": ("記録者 (--user)", "user"),
    "argument": ("引数", "argument"),
}


def t(key: str, lang: str = "ja", **params: Any) -> str:
    """The message ``key`` in ``lang``, formatted with ``params``."""
    ja, en = MESSAGES.get(key) or FIELDS.get(key) or (key, key)
    text = ja if lang == "ja" else en
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text


def field_label(field: str, lang: str = "ja") -> str:
    pair = FIELDS.get(field)
    return (pair[0] if lang == "ja" else pair[1]) if pair else field


def error_message(error: Any, lang: str = "ja") -> str:
    """One line that says what was wrong (a ``BansoError``: its ``key`` and ``params``)."""
    params = dict(error.params)
    if "reason" in params:
        params["why"] = t(f"why.{params['reason']}", lang, **params)
    if "field" in params:
        params["field"] = field_label(params["field"], lang)
    return t(error.key, lang, **params)


LABELS: dict[str, tuple[str, str]] = {
    # event kinds
    "MunicipalityRegistered": ("市町村登録", "municipality registered"),
    "MunicipalityProfileUpdated": ("団体情報更新", "profile updated"),
    "ContactAssigned": ("担当者着任", "contact assigned"),
    "ContactTransferred": ("担当者異動", "contact transferred"),
    "OutreachRecorded": ("アウトリーチ", "outreach"),
    "ExpertRegistered": ("専門人材登録", "expert registered"),
    "ExpertRetired": ("専門人材登録終了", "expert retired"),
    "CaseOpened": ("相談受付", "consultation opened"),
    "DispatchApplied": ("派遣申請", "dispatch applied"),
    "DispatchDecided": ("派遣決定", "dispatch decided"),
    "VisitReported": ("支援報告", "visit reported"),
    "FollowUpScheduled": ("フォローアップ予定", "follow-up scheduled"),
    "FollowUpDone": ("フォローアップ実施", "follow-up done"),
    "NoteAdded": ("メモ", "note"),
    "FeedbackReceived": ("評価", "feedback"),
    "CaseClosed": ("案件終了", "case closed"),
    "CaseReopened": ("案件再開", "case reopened"),
    # stall rules
    "decision-overdue": ("派遣決定待ち超過", "decision overdue"),
    "one-off": ("単発支援のまま", "one-off"),
    "follow-up-overdue": ("フォローアップ期限超過", "follow-up overdue"),
    "contact-left": ("担当者異動・後任なし", "contact left"),
    "dormant": ("長期動きなし", "dormant"),
    # statuses, channels, resolutions, outreach kinds
    "open": ("対応中", "open"),
    "closed": ("終了", "closed"),
    "chat": ("チャット", "chat"),
    "mail": ("メール", "mail"),
    "phone": ("電話", "phone"),
    "form": ("申込書", "form"),
    "cafe": ("デジタルカフェ", "digital café"),
    "hearing": ("ヒアリング", "hearing"),
    "visit": ("訪問", "visit"),
    "other": ("その他", "other"),
    "resolved": ("解決", "resolved"),
    "referred": ("他機関へ紹介", "referred"),
    "withdrawn": ("取り下げ", "withdrawn"),
    "no-response": ("応答なし", "no response"),
    "online": ("オンライン", "online"),
    "on_site": ("現地", "on site"),
}


def label(key: str, lang: str = "ja") -> str:
    """The display label of an event kind, rule, status, channel or resolution."""
    pair = LABELS.get(key)
    return (pair[0] if lang == "ja" else pair[1]) if pair else key
