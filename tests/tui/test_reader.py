"""The TUI's core without Textual: matching what people type, and what it asks."""

from __future__ import annotations

import sys
import threading
from datetime import date, timedelta

from tests.tui.story import CHICHIBU, OGANO, TODAY
from tracker.desk.bootstrap import Desk
from tracker.domain.folding import fold
from tui.reader import DASHBOARD, Reader
from tui.text import fit


def test_fold_matches_katakana_and_full_width_with_hiragana() -> None:
    assert fold("チチブ") == "ちちぶ"
    assert fold("ｶﾜｸﾞﾁ") == "かわぐち"
    assert fold("ＡＢＣ 市") == "abc市"


def test_fold_drops_every_blank_python_knows_wherever_it_is() -> None:
    blanks = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    assert "\u3000" in blanks and "\u2028" in blanks and "\x85" in blanks
    assert fold(f"{blanks}申請{blanks}書 の{blanks}") == "申請書の"


def test_fit_counts_wide_characters_as_two_cells() -> None:
    assert fit("川口市", 8) == "川口市  "
    assert fit("川口市役所情報政策課", 7) == "川口市…"
    assert fit("12", 4, align="right") == "  12"


def test_the_palette_finds_municipalities_by_kana_katakana_and_code(desk: Desk) -> None:
    reader = Reader(desk, today=TODAY)
    assert reader.find("おがの")[0].ref == OGANO
    assert reader.find("チチブ")[0].ref == CHICHIBU
    assert reader.find("11207")[0].ref == CHICHIBU
    assert [f.ref for f in reader.find("2025-00") if f.kind == "case"][:1] == ["2025-008"]
    assert reader.find("鈴木")[0].ref == "E002"


def test_due_soon_is_what_comes_due_in_the_next_ten_office_days(desk: Desk) -> None:
    reader = Reader(desk, today=TODAY)
    now = reader.due_soon(None)
    assert now["within"] == 10
    assert [(c["case"], c["kind"], c["due"]) for c in now["due"]] == [
        ("2025-006", "follow-up", "2026-03-25")
    ]
    before = reader.due_soon(date(2026, 2, 20))["due"]
    assert [(c["case"], c["kind"]) for c in before] == [("2025-003", "follow-up")]


def test_the_dashboard_answered_early_is_taken_once_then_asked_again(desk: Desk) -> None:
    reader = Reader(desk, today=TODAY)
    reader.answer_early(DASHBOARD)
    early = reader.stalled(None)
    assert early == Reader(desk, today=TODAY).stalled(None)
    again = reader.stalled(None)
    assert again == early and again is not early
    assert reader.stalled(date(2026, 2, 20)) != early  # another day is never taken early
    reader.finish_early()


def test_the_figures_begun_early_do_not_wait_for_the_other_questions(desk: Desk) -> None:
    reader = Reader(desk, today=TODAY)
    answered: list[dict[str, object]] = []
    with desk.views.lock:  # the read models' own connection busy throughout
        reader.answer_early(DASHBOARD)
        asking = threading.Thread(target=lambda: answered.append(reader.figures(None, None)))
        asking.start()
        asking.join(timeout=30)
        assert not asking.is_alive() and answered  # on a connection of their own
    assert answered[0] == Reader(desk, today=TODAY).figures(None, None)
    assert reader.stalled(None) == Reader(desk, today=TODAY).stalled(None)
    reader.finish_early()


def test_a_recording_drops_the_answers_begun_early(desk: Desk) -> None:
    reader = Reader(desk, today=TODAY)
    reader.answer_early(DASHBOARD)
    assert reader.figures(None, None) and reader.silent(None) is not None  # all answered now
    due = TODAY + timedelta(days=3)
    reader.record(lambda app: app.schedule_follow_up("2025-005", due=due, on=TODAY))
    assert "2025-005" in [c["case"] for c in reader.due_soon(None)["due"]]


def test_the_timeline_comes_newest_first(desk: Desk) -> None:
    dates = [e["date"] for e in Reader(desk, today=TODAY).timeline(CHICHIBU, None)]
    assert dates == sorted(dates, reverse=True)


def test_catch_up_notices_a_record_made_through_another_desk(desk: Desk, store) -> None:  # type: ignore[no-untyped-def]
    from tracker.desk.bootstrap import bootstrap
    from tracker.desk.settings import Settings

    reader = Reader(desk, today=TODAY)
    assert reader.catch_up() is False
    other = bootstrap(Settings(store=str(store), user="other"))
    other.app.add_note("2025-005", "別の端末から", on=TODAY)
    other.refresh()  # the other process even catches the shared read models up itself
    other.close()
    assert reader.catch_up() is True
    assert reader.catch_up() is False


def test_the_tui_runs_no_sql_of_its_own() -> None:
    """Its questions are the projections' query functions (the reader calls them under the
    read models' lock, or on a connection of their own): SQL in tui/ would be a second place
    for what they know."""
    from pathlib import Path

    running = [
        f"{path.name}: {needle}"
        for path in (Path(__file__).resolve().parents[2] / "tui").rglob("*.py")
        for needle in (".execute(", ".executemany(", "SELECT ")
        if needle in path.read_text(encoding="utf-8")
    ]
    assert running == []
