"""The handover briefing prints on A4: page size and margins, page numbers, who made it and
when, dates and case numbers that never break, report lines kept, Markdown and HTML alike."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from sheets_support import banso

from tracker.domain.dates import era_date as reiwa
from tracker.domain.inputs import today


class Text(HTMLParser):
    """The text of an HTML page, and the tokens kept from breaking."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tokens: list[str] = []
        self._in_token = False
        self._skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_token = ("class", "token") in attrs
        self._skip = tag in ("style", "title")
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self._in_token = self._skip = False

    def handle_data(self, data: str) -> None:
        if self._in_token:
            self.tokens.append(data)
        if not self._skip:
            self.parts.append(data)


def html_of(store: Path) -> str:
    run = banso(store, "briefing", "川口市", "--format", "html", user="佐藤 一郎")
    assert run.code == 0, run.err
    return run.text


def test_the_html_is_laid_out_for_a4_with_margins_and_page_numbers(desk_store: Path) -> None:
    page = html_of(desk_store)
    rule = re.search(r"@page\s*{(.*?)}\s*\n", page, re.S)
    assert rule is not None
    assert "size: A4" in rule.group(1) and "margin:" in rule.group(1)
    assert "counter(page)" in rule.group(1)


def test_it_says_who_prepared_it_and_when(desk_store: Path) -> None:
    day = today()
    text = banso(desk_store, "briefing", "川口市", "--format", "md", user="佐藤 一郎").text
    assert f"作成日: {day.isoformat()}（{reiwa(day)}）" in text
    assert "作成者: 佐藤 一郎" in text


def test_md_is_markdown(desk_store: Path) -> None:
    md = banso(desk_store, "briefing", "川口市", "--format", "md").text
    assert md == banso(desk_store, "briefing", "川口市", "--format", "markdown").text
    assert md.startswith("# 引継ぎ資料: 埼玉県川口市（112038）")


def test_dates_and_case_numbers_are_kept_whole_in_the_html(desk_store: Path) -> None:
    text = Text()
    text.feed(html_of(desk_store))
    body = "".join(text.parts)
    every = re.findall(r"\d{4}-\d{2}-\d{2}|\d{4}-\d{3}(?!\d)", body)
    kept = [t for t in text.tokens if re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{4}-\d{3}", t)]
    assert every and sorted(kept) == sorted(every)


def test_a_reports_line_breaks_are_kept_in_markdown_and_html(desk_store: Path) -> None:
    md = banso(desk_store, "briefing", "川口市").text
    assert "直近の支援報告: 移行計画を確認\\\n  見積の比較方法を説明" in md
    text = Text()
    text.feed(html_of(desk_store))
    body = "".join(text.parts)
    assert "移行計画を確認\n見積の比較方法を説明" in body


def test_the_html_says_what_the_markdown_says(desk_store: Path) -> None:
    md = banso(desk_store, "briefing", "川口市", user="佐藤 一郎").text
    text = Text()
    text.feed(html_of(desk_store))
    markup = set("#*|-\\")  # Markdown's own marks; the words are what is left

    def letters(s: str) -> Counter[str]:
        return Counter(c for c in s if not c.isspace() and c not in markup)

    assert letters("".join(text.parts)) == letters(md.replace("<br>", ""))


def test_html_typed_into_a_record_is_shown_as_text(tmp_path: Path, desk_store: Path) -> None:
    from tracker.desk.bootstrap import bootstrap
    from tracker.desk.settings import Settings

    store = tmp_path / "b.sqlite"
    desk = bootstrap(Settings(store=str(store), user="t"))
    desk.app.register_prefecture("11")
    desk.app.open_case("112038", topic="A", summary='<img src=x onerror="alert(1)">相談')
    desk.close()
    page = banso(store, "briefing", "川口市", "--format", "html").text
    assert "<img" not in page and "&lt;img src=x" in page
