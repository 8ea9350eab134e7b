"""A small bar chart of a fiscal year's twelve months (April to March)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

BLOCKS = " ▁▂▃▄▅▆▇█"
MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


def bars(values: list[int], height: int) -> list[str]:
    """Rows of vertical bars, top row first, two cells a month with one between."""
    top = max(values, default=0) or 1
    lines = []
    for level in range(height, 0, -1):
        cells = []
        for value in values:
            filled = value / top * height
            if filled >= level:
                cells.append("██")
            elif filled > level - 1:
                cells.append(BLOCKS[max(1, round((filled - level + 1) * 8))] * 2)
            else:
                cells.append("  ")
        lines.append(" ".join(cells))
    return lines


class MonthChart(Widget):
    """Twelve bars with the month under each and the largest value on the left."""

    DEFAULT_CSS = """
    MonthChart { height: 6; width: auto; color: $accent; }
    """

    values: reactive[tuple[int, ...]] = reactive(tuple([0] * 12))

    def render(self) -> Text:
        height = max(1, self.size.height - 1)
        values = list(self.values)
        top = max(values, default=0)
        scale = f"{top:>3} "
        text = Text()
        for i, line in enumerate(bars(values, height)):
            text.append(scale if i == 0 else "    ", style="dim")
            text.append(line + "\n")
        text.append("    " + " ".join(f"{m:>2}" for m in MONTHS), style="dim")
        return text

    def get_content_width(self, container, viewport) -> int:  # type: ignore[no-untyped-def]
        return 4 + 12 * 3 - 1
