"""The virtual table: any number of rows, the cursor kept by key, headings skipped."""

from __future__ import annotations

import time

from rich.cells import cell_len
from textual.app import App, ComposeResult

from tui.widgets.record_table import Column, RecordTable, Row


class Holder(App[None]):
    def compose(self) -> ComposeResult:
        yield RecordTable([Column("番号", width=6), Column("名称", grow=True)], empty="なし")


def numbered(n: int, start: int = 0) -> list[Row]:
    return [Row(str(i), (str(i), f"川口市の記録 {i}")) for i in range(start, start + n)]


async def test_the_cursor_stays_on_its_row_when_rows_arrive_above_it() -> None:
    app = Holder()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(RecordTable)
        table.load(numbered(20))
        table.focus()
        await pilot.press("down", "down", "down")
        assert table.current_row.key == "3"
        table.load(numbered(5, start=100) + numbered(20))
        assert table.current_row.key == "3"
        assert table.cursor == 8


async def test_group_headings_are_skipped_and_never_selected() -> None:
    app = Holder()
    selected: list[str] = []
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(RecordTable)
        app.on_record_table_selected = lambda e: selected.append(e.row.key)  # type: ignore[attr-defined]
        rows = [
            Row("g1", ("見出し",), style="group"),
            *numbered(2),
            Row("g2", ("次",), style="group"),
            *numbered(1, 9),
        ]
        table.load(rows)
        table.focus()
        assert table.current_row.key == "0"
        await pilot.press("down", "down")
        assert table.current_row.key == "9"
        await pilot.press("up")
        assert table.current_row.key == "1"


async def _load_and_draw(table: RecordTable, rows: list[Row]) -> tuple[float, float, list[str]]:
    started = time.perf_counter()
    table.load(rows)
    loaded = time.perf_counter() - started
    table.action_edge(1)
    started = time.perf_counter()
    lines = [table.render_line(y).text for y in range(table.size.height)]
    return loaded, time.perf_counter() - started, lines


async def test_a_hundred_thousand_rows_load_no_slower_than_making_them_and_draw_as_fast_as_a_few() -> (
    None
):
    """Against floors measured in the same run, so a loaded machine does not fail it: loading
    costs no more than building the rows did, and drawing does not grow with the rows."""
    app = Holder()
    async with app.run_test(size=(80, 30)) as pilot:
        table = app.query_one(RecordTable)
        table.focus()
        started = time.perf_counter()
        rows = numbered(100_000)
        made = time.perf_counter() - started
        await _load_and_draw(table, numbered(1_000))  # warm up the drawing code
        few = min([(await _load_and_draw(table, numbered(1_000)))[1] for _ in range(3)])
        await pilot.pause()
        loaded, drawn, lines = await _load_and_draw(table, rows)
        for _ in range(2):  # the quickest of three draws: a collection may land in one
            started = time.perf_counter()
            lines = [table.render_line(y).text for y in range(table.size.height)]
            drawn = min(drawn, time.perf_counter() - started)
        assert table.current_row.key == "99999"
        assert any("99999" in line for line in lines)
        print(
            f"100k rows: made {made:.3f} s, loaded {loaded:.3f} s; drawn {drawn * 1e3:.1f} ms"
            f" against {few * 1e3:.1f} ms for 1,000 rows"
        )
        assert loaded < 2 * made, (loaded, made)
        assert drawn < 5 * few + 0.005, (drawn, few)


async def test_an_empty_table_says_so() -> None:
    app = Holder()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(RecordTable)
        table.load([])
        await pilot.pause()
        assert "なし" in table.render_line(1).text
        assert table.current_row is None


# ---- names and numbers are never cut -------------------------------------------------------


class People(App[None]):
    def __init__(self, columns: list[Column]) -> None:
        super().__init__()
        self.columns = columns

    def compose(self) -> ComposeResult:
        yield RecordTable(self.columns)


PLACES = [
    Row("1", ("かすみがうら市", "1,332,226", "相談の内容がここに入る")),
    Row("2", ("川口市", "605,545", "短い")),
]


def shown(table: RecordTable) -> list[str]:
    return [table.render_line(y).text for y in range(1, len(table.rows) + 1)]


async def test_a_whole_column_is_as_wide_as_its_widest_value_and_does_not_give_way() -> None:
    app = People(
        [
            Column("名称", whole=True),
            Column("人口", align="right", whole=True),
            Column("内容", grow=True),
        ]
    )
    async with app.run_test(size=(40, 6)) as pilot:
        table = app.query_one(RecordTable)
        table.load(PLACES)
        await pilot.pause()
        lines = shown(table)
        assert "かすみがうら市" in lines[0] and "1,332,226" in lines[0]
        assert "川口市" in lines[1] and "605,545" in lines[1]
        ends = [
            cell_len(line[: line.index(n) + len(n)])
            for line, n in zip(lines, ("1,332,226", "605,545"), strict=True)
        ]
        assert ends[0] == ends[1], "right aligned"


async def test_a_whole_value_that_finds_no_room_shows_as_an_ellipsis_never_cut() -> None:
    """A population cut to 1,332,2… reads as another number."""
    app = People([Column("名称", whole=True), Column("人口", align="right", whole=True)])
    async with app.run_test(size=(22, 6)) as pilot:
        table = app.query_one(RecordTable)
        table.load(PLACES)
        await pilot.pause()
        first = shown(table)[0]
        assert "かすみがうら市" in first
        assert "1,332,226" not in first and "…" in first
        assert not any(part in first for part in ("1,3", "332")), first


async def test_beyond_the_sample_a_longer_value_is_still_whole() -> None:
    rows = [Row(str(i), ("川口市", str(i))) for i in range(1_000)]
    rows.append(Row("last", ("かすみがうら市", "1,332,226")))
    app = People([Column("名称", whole=True), Column("人口", align="right", whole=True)])
    async with app.run_test(size=(60, 6)) as pilot:
        table = app.query_one(RecordTable)
        table.load(rows)
        table.focus()
        await pilot.pause()
        table.action_edge(1)
        await pilot.pause()
        assert any("かすみがうら市" in table.render_line(y).text for y in range(6))


async def test_a_cut_text_keeps_its_ellipsis_next_to_the_last_character() -> None:
    app = People([Column("内容", width=8)])
    async with app.run_test(size=(20, 4)) as pilot:
        table = app.query_one(RecordTable)
        table.load([Row("1", ("さいたま市役所",))])
        await pilot.pause()
        assert shown(table)[0].startswith(" さいた… "), shown(table)


async def test_a_hundred_thousand_rows_with_whole_columns_load_quicker_than_they_are_made() -> None:
    """A national timeline: its kinds, case numbers and recorders are measured over every
    row, and that costs less than building the rows did (measured in the same run)."""
    app = People(
        [
            Column("日付", width=10),
            Column("種別", whole=True),
            Column("案件", whole=True),
            Column("内容", grow=True),
            Column("記録者", whole=True),
        ]
    )
    kinds = ("相談受付", "支援報告", "フォローアップ予定")
    async with app.run_test(size=(80, 30)) as pilot:
        table = app.query_one(RecordTable)
        await pilot.pause()
        started = time.perf_counter()
        rows = [
            Row(str(i), ("2025-05-01", kinds[i % 3], f"2025-{i:05d}", "相談の内容", "佐藤"))
            for i in range(100_000)
        ]
        made = time.perf_counter() - started
        started = time.perf_counter()
        table.load(rows)
        loaded = time.perf_counter() - started
        print(f"100k rows, 3 whole columns: made {made:.3f} s, loaded {loaded:.3f} s")
        assert loaded < made, (loaded, made)
        third = table.render_line(3).text  # the third row: the widest kind
        assert "フォローアップ予定 2025-00002" in third, third
