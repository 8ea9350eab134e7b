"""At 80 columns every key of a screen shows in the Footer; the briefing follows the theme."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from rich.color import ColorType
from rich.style import Style
from textual.app import App, ComposeResult
from textual.color import Color
from textual.pilot import Pilot

from tests.tui.conftest import on_screen, settle
from tests.tui.story import KAWAGUCHI, TODAY
from tracker.desk.bootstrap import Desk
from tracker.domain.bundled import BundledMunicipality, bundled
from tui.banso_app import BansoApp, make_app
from tui.textual_compat import FooterKey
from tui.themes import DARK, LIGHT
from tui.widgets.document import Document
from tui.widgets.record_table import RecordTable

Go = Callable[[Pilot[None]], Awaitable[None]]


def case(ref: str) -> Go:
    async def go(pilot: Pilot[None]) -> None:
        pilot.app.open_case(ref)  # type: ignore[attr-defined]

    return go


def section(key: str) -> Go:
    async def go(pilot: Pilot[None]) -> None:
        await pilot.press(key)

    return go


async def municipality(pilot: Pilot[None]) -> None:
    pilot.app.open_municipality(KAWAGUCHI)  # type: ignore[attr-defined]


async def expert(pilot: Pilot[None]) -> None:
    pilot.app.open_expert("E001")  # type: ignore[attr-defined]


async def note_form(pilot: Pilot[None]) -> None:
    pilot.app.open_case("2025-005")  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press("m")


PLACES = {
    "case, application pending": case("2025-007"),
    "case, follow-up planned": case("2025-006"),
    "case, closed": case("2025-001"),
    "municipality": municipality,
    "dashboard": section("1"),
    "municipalities": section("2"),
    "cases": section("3"),
    "experts": section("4"),
    "figures": section("5"),
    "expert": expert,
    "form": note_form,
}


def shown_keys(app: BansoApp) -> dict[str, FooterKey]:
    return {key.key: key for key in app.screen.query(FooterKey) if key.display}


def own_keys(app: BansoApp) -> set[str]:
    """The keys of the screen on view (not the app's) that the Footer is to show."""
    return {
        binding.key
        for binding_key, (node, binding, _, _) in app.screen.active_bindings.items()
        if node is not app and binding.show and binding.key == binding_key
    }


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("place", list(PLACES))
async def test_every_key_of_the_screen_shows_at_80_columns(
    desk: Desk, place: str, lang: str
) -> None:
    app = make_app(desk, lang=lang, today=TODAY, live_seconds=None, blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await PLACES[place](pilot)
        await settle(pilot)
        own, shown = own_keys(app), shown_keys(app)
        assert own, "the screen has keys of its own"
        assert own <= set(shown), f"missing from the Footer: {own - set(shown)}"
        for key in shown.values():
            assert key.region.right <= 80, f"{key.key} {key.description} cut off: {key.region}"


async def test_the_recording_keys_of_a_case_show_at_80_columns(app: BansoApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_case("2025-007")  # open, an application waiting for its decision
        await settle(pilot)
        shown = shown_keys(app)
        assert {"a", "d", "v", "f", "m", "k", "c", "u", "escape"} <= set(shown)
        assert shown["a"].description == "申請", "the short word at 80 columns"
        assert str(shown["a"].tooltip) == "派遣申請", "the whole word on hover"


async def test_the_footer_keeps_its_keys_while_they_stay_and_changes_them_with_the_screen(
    app: BansoApp,
) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = shown_keys(app)
        app.screen.refresh_bindings()  # Textual asks the Footer to compose again
        await settle(pilot)
        assert shown_keys(app) == before, "the same keys, not remounted"
        app.open_case("2025-007")
        await settle(pilot)
        assert "a" in shown_keys(app) and "a" not in before, "the case's own keys"


async def test_the_footer_has_the_whole_words_where_they_fit(app: BansoApp) -> None:
    async with app.run_test(size=(160, 36)) as pilot:
        await settle(pilot)
        app.open_case("2025-007")
        await settle(pilot)
        shown = shown_keys(app)
        assert shown["a"].description == "派遣申請" and shown["u"].description == "市町村へ"
        assert {"ctrl+p", "f1", "ctrl+d", "ctrl+n"} <= set(shown), "room for the app's keys"
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        shown = shown_keys(app)
        assert shown["a"].description == "申請" and "ctrl+p" not in shown
        assert all(key.region.right <= 80 for key in shown.values())


# ---- the briefing and the theme ------------------------------------------------------------


def colours(document: Document) -> list[tuple[str, str]]:
    """(foreground, background) of every styled cell run the briefing shows."""
    return [
        (str(segment.style.color), str(segment.style.bgcolor))
        for y in range(document.size.height)
        for segment in document.render_line(y)
        if segment.style is not None and segment.text.strip()
    ]


def standard_colours(document: Document) -> list[Style]:
    """Styles with a terminal's named colours (Rich's own Markdown theme) in its lines."""
    return [
        segment.style
        for line in document._lines
        for segment in line
        if segment.style is not None
        and any(
            c is not None and c.type == ColorType.STANDARD
            for c in (segment.style.color, segment.style.bgcolor)
        )
    ]


async def open_briefing(pilot: Pilot[None]) -> Document:
    await settle(pilot)
    pilot.app.open_municipality(KAWAGUCHI)  # type: ignore[attr-defined]
    await settle(pilot)
    pilot.app.screen.query_one("#tabs").active = "briefing"  # type: ignore[attr-defined]
    await settle(pilot)
    document = pilot.app.screen.query_one("#briefing-document", Document)
    assert document._lines, "the briefing is shown"
    return document


def surface(theme: str) -> str:
    return str(Color.parse((LIGHT if theme == LIGHT.name else DARK).surface or "").rich_color)


async def test_the_briefing_follows_the_theme_when_it_changes(desk: Desk) -> None:
    app = make_app(desk, today=TODAY, live_seconds=None, blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        document = await open_briefing(pilot)
        dark = colours(document)
        assert standard_colours(document) == []
        assert {bg for _, bg in dark} == {surface(DARK.name)}

        await pilot.press("ctrl+t")
        await settle(pilot)
        assert app.theme == LIGHT.name
        light = colours(document)
        assert standard_colours(document) == []
        assert {bg for _, bg in light} == {surface(LIGHT.name)}
        assert {fg for fg, _ in light}.isdisjoint({fg for fg, _ in dark}), "no dark text left"

        await pilot.press("ctrl+t")
        await settle(pilot)
        assert colours(document) == dark

    fresh = make_app(desk, today=TODAY, live_seconds=None, blink=False, theme=LIGHT.name)
    async with fresh.run_test(size=(100, 30)) as pilot:
        assert colours(await open_briefing(pilot)) == light, "as if it had started light"


class OneDocument(App[None]):
    def __init__(self, theme: str) -> None:
        super().__init__()
        self.register_theme(DARK)
        self.register_theme(LIGHT)
        self.theme = theme

    def compose(self) -> ComposeResult:
        yield Document()


@pytest.mark.parametrize("theme", [DARK.name, LIGHT.name])
async def test_code_in_a_document_is_on_the_theme_panel(theme: str) -> None:
    """Rich would put it on black: text a user typed with backticks or a code block."""
    app = OneDocument(theme)
    async with app.run_test(size=(60, 12)) as pilot:
        document = app.query_one(Document)
        document.show("# 見出し\n\n`コード` と本文\n\n```\nprint(1)\n```\n\n> 引用\n")
        await settle(pilot)
        panel = Color.parse(app.current_theme.panel or "").rich_color
        backgrounds = {
            segment.style.bgcolor
            for line in document._lines
            for segment in line
            if segment.style is not None and segment.style.bgcolor is not None
        }
        assert backgrounds == {panel}
        assert standard_colours(document) == []


# ---- names and numbers whole on the screens ----------------------------------------------


def saitama() -> BundledMunicipality:
    return next(m for m in bundled() if m.name == "さいたま市")


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_municipalities_show_whole_names_and_populations(
    app: BansoApp, size: tuple[int, int]
) -> None:
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        city = saitama()
        line = next(line for line in on_screen(app).splitlines() if city.code in line)
        assert city.name in line and f"{city.population:,}" in line, line


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_dashboards_lists_show_whole_names_and_numbers(
    app: BansoApp, size: tuple[int, int]
) -> None:
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for selector in ("#stalled", "#due", "#silent"):
            table = app.screen.query_one(selector, RecordTable)
            assert table.rows, selector
            for y, row in enumerate(table.rows[: table.size.height - 1], start=1):
                if row.style == "group":
                    continue
                drawn = table.render_line(y).text
                name = row.data.get("municipality_name") or row.data.get("name")
                assert name in drawn, (selector, name, drawn)
                for cell in row.cells:
                    if cell.replace(",", "").isdigit():
                        assert cell in drawn, (selector, cell, drawn)
