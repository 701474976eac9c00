"""The same plan in every format officials receive gives the same tasks (analysis.io.formats).

The plan is the real Dazhu 2016 table (tests/fixtures/real/dazhu_2016_minsheng.txt). The test
writes it as .xlsx (openpyxl) and .docx (python-docx), then lets the real tools make the
others: LibreOffice converts the .xlsx to .xls and the .docx to .doc and to PDF; the HTML page
and the pasted text are written as a browser and Word give them (a <table>; tab-separated lines).
"""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis.findings import PlanImportError
from analysis.io.lines import grid_from_cell_lines
from analysis.model import plan_from_bytes

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "real"
SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
TITLE = "2016年民生实事目标任务分解表"


@pytest.fixture(scope="module")
def rows() -> list[list[str]]:
    grid = grid_from_cell_lines((REAL / "dazhu_2016_minsheng.txt").read_text(encoding="utf-8"))
    assert grid is not None
    return [cells for _, cells in grid.rows]


def tasks(plan) -> list[tuple]:
    return [
        (t.task_id, t.text, t.lead_text, t.support_text, str(t.deadline.date()), t.deadline_text)
        for t in plan.tasks.itertuples()
    ]


def write_xlsx(rows: list[list[str]], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([TITLE])
    for cells in rows:
        sheet.append(cells)
    book.save(path)


def write_docx(rows: list[list[str]], path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            table.cell(r, c).text = cell
    document.save(path)


def convert(path: Path, target: str) -> Path:
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{path.parent}/profile", "--headless",
                    "--convert-to", target, "--outdir", str(path.parent), str(path)],
                   check=True, capture_output=True, timeout=180)
    out = path.with_suffix("." + target.split(":")[0])
    assert out.exists()
    return out


@pytest.fixture(scope="module")
def expected(rows, tmp_path_factory) -> list[tuple]:
    path = tmp_path_factory.mktemp("xlsx") / "plan.xlsx"
    write_xlsx(rows, path)
    found = tasks(plan_from_bytes(path.read_bytes(), path.name))
    assert [t[0] for t in found] == ["1", "2", "3", "4", "5", "5-2", "6", "7", "8", "9", "10"]
    assert found[0][2:] == ("县水务局", "县住建局、县护城河指挥部", "2016-12-31", "12月底前")
    return found


@needs_soffice
def test_xls_as_libreoffice_writes_it(rows, expected, tmp_path):
    write_xlsx(rows, tmp_path / "plan.xlsx")
    xls = convert(tmp_path / "plan.xlsx", "xls")
    assert tasks(plan_from_bytes(xls.read_bytes(), "plan.xls")) == expected


@needs_soffice
def test_doc_and_wps_converted_by_libreoffice(rows, expected, tmp_path):
    write_docx(rows, tmp_path / "plan.docx")
    # LibreOffice 7.4 drops python-docx's table when writing .doc straight from .docx; through
    # its own format (as a user saving in LibreOffice or WPS would) the table is kept.
    doc = convert(convert(tmp_path / "plan.docx", "odt"), "doc")
    assert tasks(plan_from_bytes(doc.read_bytes(), "plan.doc")) == expected
    assert tasks(plan_from_bytes(doc.read_bytes(), "plan.wps")) == expected  # WPS Writer files are read alike


@needs_soffice
def test_pdf_printed_from_the_docx(rows, expected, tmp_path):
    write_docx(rows, tmp_path / "plan.docx")
    pdf = convert(tmp_path / "plan.docx", "pdf")
    assert tasks(plan_from_bytes(pdf.read_bytes(), "plan.pdf")) == expected


def test_html_page_with_the_table(rows, expected):
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c).replace(chr(10), '<br>')}</td>" for c in cells) + "</tr>"
                   for cells in rows)
    page = f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><h1>{TITLE}</h1><table>{body}</table></body></html>"
    assert tasks(plan_from_bytes(page.encode(), "plan.html")) == expected


def test_html_merged_cells_fill(expected):
    page = ("<html><body><p>2016年民生实事目标任务分解表</p><table><tr><th>序号</th><th>民生实事</th><th>责任单位</th>"
            "<th>完成时限</th></tr><tr><td rowspan=2>5</td><td>开工建设县老年养护楼。</td><td rowspan=2>县民政局</td>"
            "<td>5月底前动工</td></tr><tr><td>开工建设老年大学。</td><td>12月底前</td></tr></table></body></html>")
    found = tasks(plan_from_bytes(page.encode(), "merged.html"))
    assert [t[:3] for t in found] == [("5", "开工建设县老年养护楼。", "县民政局"), ("5-2", "开工建设老年大学。", "县民政局")]


def test_pasted_text_tab_separated(rows, expected):
    # Word, WPS, Excel and browsers copy a table as tab-separated lines; a cell's line breaks
    # come quoted, as Excel writes them.
    def cell(c: str) -> str:
        return f'"{c}"' if "\n" in c else c

    pasted = TITLE + "\n" + "\n".join("\t".join(cell(c) for c in cells) for cells in rows)
    assert tasks(plan_from_bytes(pasted.encode(), "粘贴的表格.txt")) == expected


def test_a_scanned_pdf_says_it_has_no_text(tmp_path):
    pytest.importorskip("pdfplumber")
    from PIL import Image

    image = Image.new("RGB", (200, 100), "white")
    image.save(tmp_path / "scan.pdf")
    with pytest.raises(PlanImportError) as caught:
        plan_from_bytes((tmp_path / "scan.pdf").read_bytes(), "scan.pdf")
    finding = caught.value.findings[0]
    assert finding.code == "scanned_pdf" and finding.file == "scan.pdf"
    assert "扫描件" in finding.message("zh") and "no text layer" in finding.message("en")
