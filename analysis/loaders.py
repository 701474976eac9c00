"""Read a task division table from a file into raw rows.

Formats: the tab-block text of the published attachment (each cell on its own line,
starting with a tab; rows separated by blank lines), CSV/TSV, XLSX and DOCX (a table
inside a Word document). Everything is reduced to a grid of strings first, so header
recognition and row reading are shared by all formats. A text or Word file without a
table is read as a plan document with responsibilities written inline
(`analysis.documents`).

Nothing here interprets units or deadlines: that is `analysis.model`'s job.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis.findings import ImportReport, import_error

# Header names as they appear in published tables, mapped to the column they mean.
# Matching ignores all white space inside a cell ("序  号" is 序号).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "no", "no.", "number", "#"),
    "text": (
        "重点工作任务", "重点任务", "主要任务", "工作任务", "任务", "任务内容", "工作内容",
        "具体任务", "主要工作", "重点工作", "task", "tasks",
    ),
    "lead": ("牵头单位", "牵头部门", "牵头责任单位", "lead", "leadagency", "leadagencies"),
    "support": (
        "配合单位", "协同单位", "参与单位", "配合部门", "协同责任单位", "协助单位",
        "support", "supportingagencies", "supportagencies",
    ),
    "responsible": ("责任单位", "责任部门", "负责单位", "responsible", "responsibleagencies"),
}
_HEADER_LOOKUP = {alias: col for col, aliases in HEADER_ALIASES.items() for alias in aliases}
_HEADER_NAMES_ZH = {
    "number": "序号", "text": "重点工作任务", "lead": "牵头单位",
    "support": "配合单位", "responsible": "责任单位",
}

TEXT_SUFFIXES = {".txt", ".text", ".md"}
CSV_SUFFIXES = {".csv", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
DOCX_SUFFIXES = {".docx"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | CSV_SUFFIXES | XLSX_SUFFIXES | DOCX_SUFFIXES

# A section heading row inside a table: 一、网络基础设施 / （一）… / 第一部分 …
SECTION_RE = re.compile(r"^\s*(?:[一二三四五六七八九十百]+[、.．]|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|第[一二三四五六七八九十]+[部分章节项])")
TITLE_RE = re.compile(r"《([^》]+)》")
_WS_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class RawRow:
    """One task as written in the table, before any interpretation."""

    source_row: int  # line (text) or row (CSV/XLSX/DOCX) number in the file, 1-based
    number: str
    text: str
    lead: str
    support: str
    section: str = ""
    leaders: tuple[str, ...] = ()  # responsible leaders (people, not agencies), from documents


@dataclass
class RawTable:
    file: str
    rows: list[RawRow]
    title: str = ""  # 《…》 title found before the table, if any
    columns: dict[str, int] = field(default_factory=dict)  # recognised column → index
    single_responsible_column: bool = False
    report: ImportReport = field(default_factory=ImportReport)
    notes: tuple[str, ...] = ()  # plan-level notes (blanket responsibilities), from documents
    default_year: int | None = None  # year for 年底前 / 年内 when the title names one year


@dataclass
class _Grid:
    """Cells of one table with their row numbers in the source, plus text before it."""

    rows: list[tuple[int, list[str]]]
    preamble: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- decoding


def decode_text(data: bytes, file: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise import_error(
            "encoding",
            "无法识别文件编码（支持 UTF-8 和 GB18030/GBK）",
            "cannot decode the file (UTF-8 and GB18030/GBK are supported)",
            file=file,
        ) from None


def _clean(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).replace("\u3000", " ").replace("\r", "").strip()


# ------------------------------------------------------------------------- grid readers


def _grid_from_tab_blocks(text: str) -> _Grid:
    """The published attachment format: cells as tab-indented lines, rows as blocks."""
    grid = _Grid(rows=[])
    block: list[str] = []
    block_start = 0
    in_table = False
    lines = text.splitlines()
    for lineno, line in enumerate([*lines, ""], start=1):
        if line.strip() == "" and not line.startswith("\t"):
            if block:
                grid.rows.append((block_start, block))
                block = []
            continue
        if line.startswith("\t"):
            if not block:
                block_start = lineno
            block.append(_clean(line[1:]))
            in_table = True
        elif not in_table:
            grid.preamble.append(line.strip())
        else:
            # A non-indented line inside the table continues the previous cell
            # (text pasted with hard line breaks).
            if block:
                block[-1] = block[-1] + line.strip()
            else:
                grid.preamble.append(line.strip())
    return grid


def _looks_like_tab_blocks(text: str) -> bool:
    return any(re.match(r"^\t\S", line) for line in text.splitlines()) and not any(
        line.count("\t") >= 2 and not line.startswith("\t") for line in text.splitlines()
    )


def _grid_from_delimited(text: str, delimiter: str) -> _Grid:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _Grid(rows=[(i, [_clean(c) for c in row]) for i, row in enumerate(reader, start=1)])


def _grid_from_text(text: str, suffix: str) -> _Grid:
    if suffix == ".tsv":
        return _grid_from_delimited(text, "\t")
    if suffix == ".csv":
        first = next((line for line in text.splitlines() if line.strip()), "")
        return _grid_from_delimited(text, "\t" if first.count("\t") > first.count(",") else ",")
    if _looks_like_tab_blocks(text):
        return _grid_from_tab_blocks(text)
    # Plain text with one row per line and tab-separated cells.
    return _grid_from_delimited(text, "\t")


def _grids_from_xlsx(data: bytes, file: str) -> list[_Grid]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise import_error(
            "unreadable",
            f"无法读取 Excel 文件（{type(exc).__name__}），文件可能已损坏或不是 .xlsx 格式",
            f"cannot read the Excel file ({type(exc).__name__}); it may be damaged or not .xlsx",
            file=file,
        ) from None
    grids = []
    for sheet in workbook.worksheets:
        values = [[_clean(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        # Merged cells hold their value only in the top-left cell: spread it so a
        # unit cell merged over several task rows applies to each of them.
        for merged in sheet.merged_cells.ranges:
            top = values[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(values) else ""
            for r in range(merged.min_row, min(merged.max_row, len(values)) + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if c - 1 < len(values[r - 1]):
                        values[r - 1][c - 1] = top
        grids.append(_Grid(rows=[(i, row) for i, row in enumerate(values, start=1)]))
    return grids


def _grids_from_docx(data: bytes, file: str) -> list[_Grid]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise import_error(
            "unreadable",
            f"无法读取 Word 文件（{type(exc).__name__}），文件可能已损坏或不是 .docx 格式",
            f"cannot read the Word file ({type(exc).__name__}); it may be damaged or not .docx",
            file=file,
        ) from None
    preamble = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    grids = []
    for table in document.tables:
        rows = []
        for i, row in enumerate(table.rows, start=1):
            cells: list[str] = []
            previous = None
            for cell in row.cells:
                # python-docx repeats a horizontally merged cell: keep it once.
                if previous is not None and cell._tc is previous:
                    continue
                previous = cell._tc
                cells.append(_clean(cell.text))
            rows.append((i, cells))
        grids.append(_Grid(rows=rows, preamble=preamble))
    return grids


# ------------------------------------------------------------------------ table reading


def _normalise_header(cell: str) -> str:
    return _WS_RE.sub("", cell).lower().strip("：:")


def _find_header(grid: _Grid) -> tuple[int, dict[str, int]] | None:
    """Index of the header row in the grid and the recognised columns, if any."""
    for index, (_, cells) in enumerate(grid.rows[:50]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(cells):
            key = _HEADER_LOOKUP.get(_normalise_header(cell))
            if key and key not in columns:
                columns[key] = col
        if "text" in columns and ({"lead", "responsible"} & columns.keys()):
            return index, columns
        if len(columns) >= 2:
            return index, columns  # a header with a required column missing: report it
    return None


def _title_from(preamble: list[str]) -> str:
    for line in preamble:
        match = TITLE_RE.search(line)
        if match:
            return match.group(1).strip()
    return ""


def _read_grid(grid: _Grid, file: str, report: ImportReport) -> RawTable | None:
    found = _find_header(grid)
    if found is None:
        return None
    header_index, columns = found
    missing = [c for c in ("text",) if c not in columns]
    if "lead" not in columns and "responsible" not in columns:
        missing.append("lead")
    if missing:
        header_row = grid.rows[header_index][0]
        names_zh = "、".join(_HEADER_NAMES_ZH[c] for c in missing)
        raise import_error(
            "missing_column",
            f"缺少必需的列：{names_zh}（表头行中未找到）",
            f"required column missing: {', '.join(missing)} (not found in the header row)",
            file=file,
            row=header_row,
            field=names_zh,
        )
    single = "lead" not in columns
    if single:
        report.rule(
            "表格只有“责任单位”一列：第一个单位视为牵头单位，其余为配合单位。",
            "The table has a single 'responsible units' column: the first unit leads, the others support.",
        )
    if "number" not in columns:
        report.rule(
            "表格没有“序号”列：任务按行顺序编号。",
            "The table has no number column: tasks are numbered in row order.",
        )

    def cell(cells: list[str], key: str) -> str:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    rows: list[RawRow] = []
    section = ""
    width = max(columns.values()) + 1
    for source_row, cells in grid.rows[header_index + 1 :]:
        if not any(cells):
            continue
        number = cell(cells, "number")
        text = cell(cells, "text")
        units = cell(cells, "lead") or cell(cells, "responsible")
        support = cell(cells, "support")
        non_empty = [c for c in cells if c]
        # A row with a single non-empty cell that reads as a heading starts a section.
        if len(non_empty) == 1 and not units and not support and (
            SECTION_RE.match(non_empty[0]) or (not number and len(cells) < width)
        ):
            section = non_empty[0]
            continue
        if _normalise_header(number) in HEADER_ALIASES["number"] and _normalise_header(text) in HEADER_ALIASES["text"]:
            continue  # a header repeated on a new page
        if len(cells) < width and not text:
            report.add(
                "warning", "short_row",
                f"该行只有 {len(cells)} 个单元格，少于表头的 {width} 列",
                f"the row has {len(cells)} cells, fewer than the header's {width} columns",
                row=source_row,
            )
        rows.append(RawRow(source_row, number, text, units, "" if single else support, section))
    table = RawTable(file=file, rows=rows, columns=columns, single_responsible_column=single, report=report)
    table.title = _title_from(grid.preamble)
    return table


def read_table(data: bytes, file: str) -> RawTable:
    """Read a task division table from the bytes of a file called `file`.

    A .txt/.md/.docx file (or text without extension) without a table header is read as
    a plan document with responsibilities written inline (`analysis.documents`); for
    .docx its paragraphs first, then its table cells too.

    Raises PlanImportError (with Chinese and English messages naming the file and row)
    when the file cannot be read or holds neither a table nor such tasks.
    """
    from analysis.documents import docx_lines, read_document

    report = ImportReport(file=file)
    suffix = Path(file).suffix.lower()
    # Plan documents with responsibilities written inline, tried when no table is found.
    document_lines: list[Callable[[], list[tuple[int, str]]]] = []
    if not data.strip():
        raise import_error("empty", "文件为空", "the file is empty", file=file)
    if suffix in XLSX_SUFFIXES or (suffix not in DOCX_SUFFIXES and data[:2] == b"PK" and _is_xlsx(data)):
        grids = _grids_from_xlsx(data, file)
    elif suffix in DOCX_SUFFIXES or (data[:2] == b"PK" and _is_docx(data)):
        grids = _grids_from_docx(data, file)
        document_lines = [lambda: docx_lines(data, tables=False)]
        if any(grid.rows for grid in grids):
            document_lines.append(lambda: docx_lines(data, tables=True))
    elif suffix in SUPPORTED_SUFFIXES or suffix == "":
        text = decode_text(data, file)
        try:
            grid = _grid_from_text(text, suffix)
        except csv.Error as exc:  # stray quotes or carriage returns: not a table
            if suffix in CSV_SUFFIXES:
                raise import_error(
                    "unreadable", f"无法按 CSV 读取（{exc}）", f"cannot read the file as CSV ({exc})", file=file
                ) from None
            grid = _Grid(rows=[])
        if not grid.preamble:
            grid.preamble = [line.strip() for line in text.splitlines()[:10] if line.strip()]
        grids = [grid]
        if suffix not in CSV_SUFFIXES:
            document_lines = [lambda: list(enumerate(text.splitlines(), start=1))]
    else:
        raise import_error(
            "format",
            f"不支持的文件类型“{suffix}”（支持 .txt、.csv、.tsv、.xlsx、.docx）",
            f"unsupported file type '{suffix}' (supported: .txt, .csv, .tsv, .xlsx, .docx)",
            file=file,
        )
    for grid in grids:
        table = _read_grid(grid, file, report)
        if table is not None:
            if not table.rows:
                raise import_error(
                    "no_tasks", "找到了表头，但表中没有任务", "a header was found but the table holds no tasks",
                    file=file,
                )
            return table
    for lines in document_lines:
        table = read_document(lines(), file, report)
        if table is not None:
            return table
    raise import_error(
        "no_table",
        "未找到任务分工表，也未找到写明责任单位的任务：需要包含“重点工作任务”和“牵头单位”（或“责任单位”）列的表格，"
        "或逐条列出任务并在每条后写明责任单位的文件（如“1. ……（牵头单位：……；配合单位：……）”）",
        "no task table found, and no tasks with their units written inline: either a table with a task column "
        "and a lead (or responsible) units column, or a document listing numbered tasks each followed by its "
        "units (e.g. '1. … (牵头单位：…；配合单位：…)') is required",
        file=file,
    )


def _zip_names(data: bytes) -> list[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except zipfile.BadZipFile:
        return []


def _is_xlsx(data: bytes) -> bool:
    return any(name.startswith("xl/") for name in _zip_names(data))


def _is_docx(data: bytes) -> bool:
    return any(name.startswith("word/") for name in _zip_names(data))


def read_file_bytes(path: Path) -> bytes:
    """A plan file's bytes; a missing or unreadable file is an import error, not a traceback."""
    if not path.exists():
        raise import_error("not_found", "文件不存在", "file not found", file=str(path))
    if path.is_dir():
        raise import_error("is_dir", "这是一个文件夹，不是计划文件", "this is a folder, not a plan file", file=str(path))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise import_error(
            "unreadable", f"无法打开文件（{exc.strerror}）", f"cannot open the file ({exc.strerror})", file=str(path)
        ) from None


def read_table_file(path: Path) -> RawTable:
    return read_table(read_file_bytes(path), path.name)
