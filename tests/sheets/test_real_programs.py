"""What the desk's own programs make of banso's files: LibreOffice opens the CSV and the
workbook (converted headless, the text read back with pdftotext), and headless Chromium
prints the briefing to PDF on A4. Skipped where a program is missing (CI installs them:
.ci/run). Chromium prints without its own header and footer (``--no-pdf-header-footer``),
so the page numbers read back are the briefing's own."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sheets_support import ago, banso

pytestmark = pytest.mark.slow

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT, PDFINFO = shutil.which("pdftotext"), shutil.which("pdfinfo")
needs_office = pytest.mark.skipif(
    not (SOFFICE and PDFTOTEXT), reason="LibreOffice or poppler missing"
)
needs_chromium = pytest.mark.skipif(
    not (CHROMIUM and PDFTOTEXT and PDFINFO), reason="Chromium or poppler missing"
)


def office(tmp_path: Path, file: Path, to: str, *options: str) -> Path:
    """``file`` converted by LibreOffice headless (its own profile) into ``to``."""
    out = tmp_path / "converted"
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
         *options, "--convert-to", to, "--outdir", str(out), str(file)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return out / f"{file.stem}.{to.split(':')[0]}"


def pdf_text(pdf: Path, *options: str) -> str:
    return subprocess.run(
        [PDFTOTEXT, *options, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


@needs_office
def test_libreoffice_reads_the_csv_as_japanese_columns_and_dates(
    desk_store: Path, tmp_path: Path
) -> None:
    csv = tmp_path / "案件.csv"
    assert banso(desk_store, "export-csv", "cases", "-o", str(csv)).code == 0
    text = pdf_text(office(tmp_path, csv, "pdf", "--infilter=CSV:44,34,76,1"), "-layout")
    lines = text.splitlines()
    heading = next(line for line in lines if "案件番号" in line)
    assert re.search(r"案件番号\s+団体コード\s*市町村\s+分野\s+状態\s+受付日", heading)
    row = next(line for line in lines if "横瀬町" in line)
    assert re.search(
        rf"\d{{4}}-\d{{3}}\s+113611\s+横瀬町\s+C フロントヤード\s+対応中\s+{ago(30)}", row
    )


@needs_office
def test_libreoffice_reads_the_shift_jis_csv_too(desk_store: Path, tmp_path: Path) -> None:
    csv = tmp_path / "visits.csv"
    assert (
        banso(desk_store, "export-csv", "visits", "-o", str(csv), "--encoding", "cp932").code == 0
    )
    text = pdf_text(office(tmp_path, csv, "pdf", "--infilter=CSV:44,34,64,1"))
    # a row as high as one line shows the report's last line
    assert "支援報告" in text and "見積の比較方法を説明" in text and "いいえ" in text


@needs_office
def test_libreoffice_opens_the_workbook_with_its_sheets_text_and_real_dates(
    desk_store: Path, tmp_path: Path
) -> None:
    book = tmp_path / "banso.xlsx"
    assert banso(desk_store, "export-xlsx", "-o", str(book)).code == 0
    text = pdf_text(office(tmp_path, book, "pdf"), "-layout")
    assert re.search(r"案件番号\s+団体コード\s+市町村\s+分野", text)
    assert re.search(r"113611\s+横瀬町\s+C フロントヤード", text)  # later columns: next page
    assert ago(30).isoformat() in text
    assert "人口規模" in text and "1万人未満" in text and "専門人材ID" in text
    flat = office(tmp_path, book, "fods").read_text(encoding="utf-8")
    assert f'office:value-type="date" office:date-value="{ago(30)}"' in flat
    assert 'table:name="案件"' in flat and 'table:name="専門人材別"' in flat


@needs_chromium
def test_chromium_prints_the_briefing_on_a4_with_page_numbers_and_no_broken_tokens(
    tmp_path: Path,
) -> None:
    store = tmp_path / "long.sqlite"
    from tracker.desk.bootstrap import bootstrap
    from tracker.desk.settings import Settings

    desk = bootstrap(Settings(store=str(store), user="事務局A"))  # enough history for pages
    desk.app.register_prefecture("11", on=ago(400))
    for i in range(40):
        number, _ = desk.app.open_case(
            "112038",
            topic="D",
            summary=f"生成AIの庁内利用ルールと研修の進め方（その{i}）" * 3,
            on=ago(300 - i),
        )
        desk.app.add_note(
            number, "電話で状況を確認した。\n次回は庁内の説明会に同席する。", on=ago(200 - i)
        )
        if i % 2:
            desk.app.close_case(number, resolution="resolved", on=ago(150 - i))
    desk.close()
    page = tmp_path / "引継ぎ.html"
    assert banso(store, "briefing", "川口市", "--format", "html", "-o", str(page)).code == 0
    pdf = tmp_path / "引継ぎ.pdf"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'chromium'}", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", page.as_uri()],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    info = subprocess.run([PDFINFO, str(pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info), info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert pages >= 2
    text = pdf_text(pdf)
    footers = re.findall(r"^(\d+)\s*/\s*(\d+)$", text, re.M)  # the page's own footer
    assert footers == [(str(n), str(pages)) for n in range(1, pages + 1)]
    broken = re.findall(r"(?:^|\D)(\d{4}-(?:\d{2}-)?)(?:\s|$)", text, re.M)  # 2026- / 019
    assert broken == []
    markdown = banso(store, "briefing", "川口市").text
    tokens = set(re.findall(r"\d{4}-\d{2}-\d{2}|\d{4}-\d{3}(?!\d)", markdown))
    assert tokens and not [t for t in tokens if t not in text]
    assert "作成者: 事務局A" in text
