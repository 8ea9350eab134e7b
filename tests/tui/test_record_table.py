"""The virtual table: any number of rows, the cursor kept by key, headings skipped."""

from __future__ import annotations

import time

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
