"""The formats officials receive besides XLSX/DOCX/text: .xls, .doc/.wps, PDF and HTML.

- ``.xls`` (and any workbook calamine reads: .xls, .xlsb, .ods, .et): every sheet as a grid,
  with python-calamine;
- ``.doc`` / ``.wps`` (Word 97–2003 and WPS Writer): converted to DOCX by LibreOffice
  headless (``soffice --convert-to docx``), then read as DOCX;
- PDF with a text layer: its tables (pdfplumber), continued across pages as one table, and
  its text lines for a plan document; a scanned PDF (no text) is refused with that reason;
- HTML (a saved web page): every ``<table>`` as a grid, merged cells (rowspan/colspan)
  filled, and the page's text lines for a plan document.

Every failure is a :class:`~analysis.findings.PlanImportError` naming the file.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Final

from analysis.io import messages as msg
from analysis.io.raw import Grid, GridRow, clean_cell
from analysis.vocab import Bilingual

OLE_SIGNATURE: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_SIGNATURE: Final = b"%PDF-"
XLS_SUFFIXES: Final = {".xls", ".et", ".xlsb", ".ods"}
DOC_SUFFIXES: Final = {".doc", ".wps", ".rtf", ".odt"}
PDF_SUFFIXES: Final = {".pdf"}
HTML_SUFFIXES: Final = {".html", ".htm"}
EXTRA_SUFFIXES: Final = XLS_SUFFIXES | DOC_SUFFIXES | PDF_SUFFIXES | HTML_SUFFIXES
CONVERT_TIMEOUT_S: Final = 120

SCANNED_PDF: Final = Bilingual(
    "这是扫描件 PDF：页面上没有文字层，无法读取。请使用原始的 Word/Excel 文件，或可复制文字的 PDF",
    "this PDF is a scan: its pages hold no text layer and cannot be read. Use the original Word/Excel "
    "file, or a PDF whose text can be copied",
)
CONVERT_FAILED: Final = Bilingual(
    "无法转换该 Word/WPS 文件（{reason}）。请在 Word 或 WPS 中另存为 .docx 后再导入",
    "this Word/WPS file could not be converted ({reason}). Save it as .docx in Word or WPS and import that",
)
NO_CONVERTER: Final = Bilingual(
    "读取 .doc/.wps 文件需要 LibreOffice（本机未安装）。请另存为 .docx 后再导入",
    "reading .doc/.wps files needs LibreOffice, which is not installed here. Save the file as .docx and import that",
)
UNREADABLE: Final = Bilingual("无法读取该{name}文件（{error}）", "this {name} file cannot be read ({error})")


def sniff_extra(data: bytes, suffix: str) -> str | None:
    """"xls", "doc", "pdf" or "html" for a file of one of these formats, else None."""
    head = data[:1024].lstrip().lower()
    # Content and name must agree: a PDF or an old Office file named .docx/.xlsx is refused by
    # analysis.io.sniff with a message saying what it really is.
    if suffix in PDF_SUFFIXES and PDF_SIGNATURE in data[:1024]:
        return "pdf"
    if data.startswith((OLE_SIGNATURE, PDF_SIGNATURE)) and suffix not in XLS_SUFFIXES | DOC_SUFFIXES:
        return None
    if suffix in XLS_SUFFIXES:
        return "xls"
    if suffix in DOC_SUFFIXES:
        return "doc"
    if suffix in HTML_SUFFIXES or head.startswith((b"<!doctype html", b"<html")) or (
        head.startswith(b"<") and b"<table" in data[:200_000].lower()
    ):
        return "html"
    return None


# ------------------------------------------------------------------------------ xls


def grids_from_workbook(data: bytes, file: str) -> list[Grid]:
    """Every sheet of a workbook calamine reads (.xls, .xlsb, .ods), as grids."""
    try:
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        grids: list[Grid] = []
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            cells = [(n, [clean_cell(c) for c in row]) for n, row in enumerate(rows, start=1)]
            grids.append(Grid(rows=cells, name=clean_cell(name)))
        return grids
    except Exception as exc:  # noqa: BLE001 - calamine raises its own errors for damaged files
        raise msg.refusal("unreadable", UNREADABLE.format(name="Excel", error=type(exc).__name__), file=file) from None


# ------------------------------------------------------------------------------ doc


def converter() -> str | None:
    """The LibreOffice binary, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(data: bytes, file: str, target: str = "docx") -> bytes:
    """The file converted by LibreOffice headless (its own profile, a time limit)."""
    binary = converter()
    if binary is None:
        raise msg.refusal("unreadable", NO_CONVERTER, file=file)
    suffix = Path(file).suffix.lower() or ".doc"
    with tempfile.TemporaryDirectory(prefix="plan-convert-") as tmp:
        source = Path(tmp) / f"source{suffix}"
        source.write_bytes(data)
        profile = Path(tmp) / "profile"
        command = [
            binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
            "--convert-to", target, "--outdir", tmp, str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT_S, check=False,
                           env={**os.environ, "HOME": tmp})
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise msg.refusal("unreadable", CONVERT_FAILED.format(reason=type(exc).__name__), file=file) from None
        out = Path(tmp) / f"source.{target}"
        if not out.exists() or out.stat().st_size == 0:
            raise msg.refusal("unreadable", CONVERT_FAILED.format(reason="LibreOffice"), file=file)
        return out.read_bytes()


# ------------------------------------------------------------------------------ pdf


def read_pdf(data: bytes, file: str) -> tuple[list[Grid], list[tuple[int, str]]]:
    """The tables of a PDF (one grid, continued across pages) and its text lines."""
    try:
        import pdfplumber

        rows: list[GridRow] = []
        lines: list[tuple[int, str]] = []
        chars = 0
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                chars += len(page.chars)
                for table in page.extract_tables():
                    for cells in table:
                        rows.append((len(rows) + 1, [clean_cell(_pdf_cell(c)) for c in cells]))
                text = page.extract_text() or ""
                lines.extend((len(lines) + 1, line) for line in text.splitlines())
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds of errors on damaged files
        raise msg.refusal("unreadable", UNREADABLE.format(name="PDF", error=type(exc).__name__), file=file) from None
    if chars == 0:
        raise msg.refusal("scanned_pdf", SCANNED_PDF, file=file)
    # The text above the table: the lines before the one that starts with its first cell.
    first = next((c for _, cells in rows[:1] for c in cells if c), "")
    end = next((i for i, (_, line) in enumerate(lines) if first and line.strip().startswith(first)), 15)
    preamble = [line.strip() for _, line in lines[: min(end, 15)] if line.strip()]
    return [Grid(rows=_fill_merged_pdf(rows), preamble=preamble)], lines


_UNIT_LINE_RE: Final = re.compile(r"(?:厅|局|委|办|部|院|会|中心|集团|公司|政府|单位|部门|街道|镇|乡|所|站|队|馆|联|处|室|行|署)$")


def _pdf_cell(cell: Any) -> str:
    """A cell's text: pdfplumber gives its lines as laid out. Lines that are each a unit
    name (one unit a line) stay lines; wrapped text is joined again."""
    if cell is None:
        return ""
    lines = [line.strip() for line in str(cell).splitlines() if line.strip()]
    if len(lines) > 1 and all(len(line) <= 20 and _UNIT_LINE_RE.search(line) for line in lines):
        return "\n".join(lines)
    return "".join(lines)


def _fill_merged_pdf(rows: list[GridRow]) -> list[GridRow]:
    return rows


# ------------------------------------------------------------------------------ html


def read_html(data: bytes, file: str, text: str) -> tuple[list[Grid], list[tuple[int, str]]]:
    """The tables of a web page (merged cells filled) and its text lines."""
    try:
        import lxml.html

        root = lxml.html.document_fromstring(text)
    except Exception as exc:  # noqa: BLE001 - lxml on a page it cannot parse
        raise msg.refusal("unreadable", UNREADABLE.format(name="HTML", error=type(exc).__name__), file=file) from None
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    page_lines = [line.strip() for line in root.text_content().splitlines() if line.strip()]
    grids: list[Grid] = []
    for table in root.xpath("//table[not(ancestor::table)]"):
        grid = _html_table(table)
        grid.preamble = [str(t).strip() for t in table.xpath("preceding::text()") if str(t).strip()][-15:]
        grids.append(grid)
    return grids, list(enumerate(page_lines, start=1))


def _html_table(table: Any) -> Grid:
    pending: dict[int, tuple[int, str]] = {}  # column → (rows left, text) of a rowspan above
    rows: list[GridRow] = []
    for number, tr in enumerate(table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"), start=1):
        cells: list[str] = []
        column = 0
        for td in tr.xpath("./td|./th"):
            while column in pending:
                left, value = pending[column]
                cells.append(value)
                pending[column] = (left - 1, value)
                if left - 1 <= 0:
                    del pending[column]
                column += 1
            value = clean_cell("\n".join(s.strip() for s in td.itertext() if s.strip()))
            span = _int(td.get("colspan"))
            down = _int(td.get("rowspan"))
            for offset in range(span):
                cells.append(value if offset == 0 else "")
                if down > 1:
                    pending[column] = (down - 1, value)
                column += 1
        while column in pending:
            left, value = pending[column]
            cells.append(value)
            pending[column] = (left - 1, value)
            if left - 1 <= 0:
                del pending[column]
            column += 1
        rows.append((number, cells))
    return Grid(rows=rows)


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1
