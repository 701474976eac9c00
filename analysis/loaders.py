"""Read a task division table from a file into raw rows.

Formats: the tab-block text of the published attachment (each cell on its own line,
starting with a tab; rows separated by blank lines), CSV/TSV, XLSX and DOCX (a table
inside a Word document). Everything is reduced to a grid of strings first, so header
recognition and row reading are shared by all formats. A text or Word file without a
table is read as a plan document with responsibilities written inline
(`analysis.documents`).

Nothing here interprets units or deadlines: that is `analysis.model`'s job.

Limits (the constants below; the app, the CLI and the report share them). Anything past
them is refused at once with a PlanImportError saying which limit and what to do:

- a file of at most 50 MB (= server.maxUploadSize in .streamlit/config.toml);
- at most 100 000 tasks, and 200 000 non-empty rows of any kind, in the table read;
- at most 4 000 000 cells read from a workbook's sheets or a document's Word tables;
- an .xlsx whose XML unpacks to at most 128 MB (read streamed), a .docx whose body
  unpacks to at most 32 MB (python-docx holds it in memory): zip bombs stop here;
- a file without a table read as a plan document only up to 5 000 000 characters;
- a CSV cell of at most 131 072 characters (Python's csv limit; Excel's is 32 767).

A cell over 10 000 characters is kept, with a warning. Measured times and memory for
the largest accepted and refused inputs: tests/hardening/LOAD_RESULTS.md.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis.findings import ImportReport, PlanImportError, import_error

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

# Limits: every input is read, or refused with a clear message, in well under a minute
# and a few hundred MB (measured in tests/hardening/LOAD_RESULTS.md). Listed in the module docstring.
MB = 1024 * 1024
MAX_FILE_BYTES = 50 * MB  # = server.maxUploadSize in .streamlit/config.toml
MAX_TASKS = 100_000  # tasks in one table: the largest plan the benchmarks cover
MAX_GRID_ROWS = 2 * MAX_TASKS  # non-empty rows of any kind (headings, notes) read from a sheet
MAX_CELLS = 4_000_000  # cells read from a workbook or Word tables (e.g. 200 000 rows × 20 columns)
MAX_XLSX_XML_BYTES = 128 * MB  # sheets and shared strings of an .xlsx, unpacked (streamed)
MAX_DOCX_XML_BYTES = 32 * MB  # the body of a .docx, unpacked (python-docx holds it in memory, ~16×)
MAX_DOCUMENT_CHARS = 5_000_000  # prose read as a plan document (a 300-page text is ~300 000)
LONG_CELL_CHARS = 10_000  # a cell longer than this gets a warning (the data is kept)

# openpyxl warns about features it drops (data validation, conditional formats, WPS
# extensions): nothing the import needs, and the CLI promises one line on stderr.
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")

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
    """Decode UTF-8 (with or without BOM), UTF-16 (with BOM, or plainly UTF-16), or GB18030/GBK text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return data[: exc.start].decode("utf-8-sig")  # a file cut off inside its last character
    text = _utf16_without_bom(data)
    if text is not None:
        return text
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise import_error(
            "encoding",
            "无法识别文件编码（支持 UTF-8、UTF-16 和 GB18030/GBK），文件可能不是文本或表格文件",
            "cannot decode the file (UTF-8, UTF-16 and GB18030/GBK are supported); it may not be a text or table file",
            file=file,
        ) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a byte order mark: its ASCII characters (digits, commas,
    line breaks) have a zero byte, always on the same side."""
    sample = data[:8192]
    zeros = sample.count(0)
    if zeros < max(4, len(sample) // 100):
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < 0.95 * zeros:
        return None
    try:
        text = data.decode("utf-16-be" if even > odd else "utf-16-le")
    except UnicodeDecodeError:
        return None
    head = text[:4000]
    printable = sum(1 for ch in head if ch.isprintable() or ch in "\r\n\t")
    return text if printable >= 0.98 * len(head) else None


# Control characters (never meaningful in a table, and illegal in XLSX exports) and
# invisible zero-width characters (they would make 省经信厅 and 省经信厅\u200b two agencies).
_INVISIBLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff\ufffe\uffff]")


def _clean(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell).replace("\u3000", " ").replace("\r", "")
    return _INVISIBLE_RE.sub("", text).strip()


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


class _DelimitedError(csv.Error):
    """A CSV that cannot be read, with the record where reading stopped."""

    def __init__(self, zh: str, en: str, row: int) -> None:
        super().__init__(en)
        self.zh, self.en, self.row = zh, en, row


def _too_many_rows(file: str, row: int, limit: int = MAX_GRID_ROWS) -> PlanImportError:
    return import_error(
        "too_many_rows",
        f"表格超过 {limit:,} 行，超出看板的处理上限（最多 {MAX_TASKS:,} 项任务）：请拆分后分别导入",
        f"the table has more than {limit:,} rows, beyond what the dashboard reads (at most {MAX_TASKS:,} tasks): "
        "split it and import the parts",
        file=file, row=row,
    )


def _grid_from_delimited(text: str, delimiter: str, file: str = "") -> _Grid:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    filled = 0
    record = 0
    try:
        for record, row in enumerate(reader, start=1):
            cells = [_clean(c) for c in row]
            if any(cells):
                filled += 1
                if filled > MAX_GRID_ROWS:
                    raise _too_many_rows(file, record)
            rows.append((record, cells))
    except csv.Error as exc:
        limit = csv.field_size_limit()
        if "field larger than field limit" in str(exc):
            raise _DelimitedError(
                f"单元格超过 {limit:,} 个字符（Excel 单元格最多 32,767 个字符），文件可能不是任务分工表",
                f"a cell is longer than {limit:,} characters (Excel allows 32,767); this is probably not a task table",
                reader.line_num,
            ) from None
        raise _DelimitedError(f"无法按 CSV 读取（{exc}）", f"cannot read the file as CSV ({exc})", reader.line_num) from None
    return _Grid(rows=rows)


def _grid_from_text(text: str, suffix: str, file: str = "") -> _Grid:
    if suffix == ".tsv":
        return _grid_from_delimited(text, "\t", file)
    if suffix == ".csv":
        first = next((line for line in text.splitlines() if line.strip()), "")
        return _grid_from_delimited(text, "\t" if first.count("\t") > first.count(",") else ",", file)
    if _looks_like_tab_blocks(text):
        grid = _grid_from_tab_blocks(text)
        if len(grid.rows) > MAX_GRID_ROWS:
            raise _too_many_rows(file, grid.rows[MAX_GRID_ROWS][0])
        return grid
    # Plain text with one row per line and tab-separated cells.
    return _grid_from_delimited(text, "\t", file)


# ---------------------------------------------------------------------- office files


def _unreadable(kind: str, exc: BaseException, file: str) -> PlanImportError:
    name_zh, name_en = ("Excel", "Excel") if kind == "xlsx" else ("Word", "Word")
    return import_error(
        "unreadable",
        f"无法读取 {name_zh} 文件（{type(exc).__name__}），文件可能已损坏或不是 .{kind} 格式：请在 {name_zh}/WPS 中打开后另存为 .{kind} 再上传",
        f"cannot read the {name_en} file ({type(exc).__name__}); it may be damaged or not .{kind}: "
        f"open it in {name_en} or WPS, save it as .{kind} and upload that",
        file=file,
    )


def _check_unpacked(data: bytes, file: str, kind: str) -> None:
    """Refuse a workbook or document whose XML would unpack beyond the limit (a zip bomb, or huge)."""
    limit = MAX_XLSX_XML_BYTES if kind == "xlsx" else MAX_DOCX_XML_BYTES
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(
                info.file_size for info in archive.infolist()
                if info.filename.lower().endswith((".xml", ".rels"))
                and (kind == "xlsx" or info.filename.startswith("word/"))
            )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return  # not a readable zip: the reader reports it
    if size > limit:
        raise import_error(
            "too_large_unpacked",
            f"文件解压后的内容约 {size / MB:,.0f} MB，超过 {limit / MB:,.0f} MB 的上限：请删除无关的工作表或内容，或拆分后分别导入",
            f"the file unpacks to about {size / MB:,.0f} MB, beyond the {limit / MB:,.0f} MB limit: "
            "remove unrelated sheets or content, or split it",
            file=file,
        )


@dataclass
class _Budget:
    """Cells read so far from one file, against MAX_CELLS."""

    file: str
    cells: int = 0

    def spend(self, n: int, row: int) -> None:
        self.cells += n
        if self.cells > MAX_CELLS:
            raise import_error(
                "too_many_cells",
                f"表格超过 {MAX_CELLS:,} 个单元格，超出看板的处理上限：请删除无关的行列或工作表，或拆分后分别导入",
                f"the tables hold more than {MAX_CELLS:,} cells, beyond what the dashboard reads: "
                "remove unrelated rows, columns or sheets, or split the file",
                file=self.file, row=row,
            )


# <mergeCell ref="C2:C5"/>, with or without a namespace prefix.
_MERGE_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']([A-Za-z$0-9:]{1,40})[\"']")
_EXCEL_MAX_ROW, _EXCEL_MAX_COL = 1_048_576, 16_384


def _merged_ranges(workbook: object, sheet: object) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of a read-only sheet's merged cells, from its XML."""
    from openpyxl.utils.cell import range_boundaries

    path = getattr(sheet, "_worksheet_path", None)
    archive = getattr(workbook, "_archive", None)
    if not path or archive is None:
        return []
    ranges: list[tuple[int, int, int, int]] = []
    tail = b""
    with archive.open(path) as source:
        while chunk := source.read(1 << 20):
            buffer = tail + chunk
            last = 0
            for match in _MERGE_RE.finditer(buffer):
                last = match.end()
                try:
                    bounds = range_boundaries(match.group(1).decode("ascii").replace("$", ""))
                except (ValueError, TypeError, KeyError):
                    continue
                if None in bounds:
                    continue
                min_col, min_row, max_col, max_row = bounds
                if 1 <= min_col <= max_col <= _EXCEL_MAX_COL and 1 <= min_row <= max_row <= _EXCEL_MAX_ROW:
                    ranges.append((min_col, min_row, max_col, max_row))
            tail = buffer[max(last, len(buffer) - 512):]
    return ranges


def _sheet_grid(workbook: object, sheet: object, file: str, budget: _Budget) -> _Grid:
    sheet.reset_dimensions()  # a wrong <dimension> (some generators write A1) must not cut rows off
    rows: dict[int, list[str]] = {}
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not row:
            continue
        budget.spend(len(row), number)
        cells = [_clean(c) for c in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows[number] = cells
            if len(rows) > MAX_GRID_ROWS:
                raise _too_many_rows(file, number)
    if rows:
        last = max(rows)
        # Merged cells hold their value only in the top-left cell. Spread it down the
        # range's first column, so a unit cell merged over several task rows applies to
        # each of them; a heading merged across the columns stays a single cell.
        for min_col, min_row, _max_col, max_row in _merged_ranges(workbook, sheet):
            top = rows.get(min_row, [])
            value = top[min_col - 1] if min_col - 1 < len(top) else ""
            if not value:
                continue
            for r in range(min_row + 1, min(max_row, last) + 1):
                budget.spend(1, r)
                cells = rows.setdefault(r, [])
                if len(cells) < min_col:
                    cells.extend([""] * (min_col - len(cells)))
                cells[min_col - 1] = value
        if len(rows) > MAX_GRID_ROWS:
            raise _too_many_rows(file, sorted(rows)[MAX_GRID_ROWS])
    width = max((len(cells) for cells in rows.values()), default=0)
    return _Grid(rows=[(r, cells + [""] * (width - len(cells))) for r, cells in sorted(rows.items())])


def _grids_from_xlsx(data: bytes, file: str, report: ImportReport | None = None) -> list[_Grid]:
    """Every worksheet as a grid, streamed (openpyxl read-only mode): large sheets are
    refused as soon as they pass the limits, without loading them whole."""
    from openpyxl import load_workbook

    _check_unpacked(data, file, "xlsx")
    budget = _Budget(file)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return [_sheet_grid(workbook, sheet, file, budget) for sheet in workbook.worksheets]
        finally:
            workbook.close()
    except PlanImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile, zlib, lxml and openpyxl raise many types on damaged files
        raise _unreadable("xlsx", exc, file) from None


def _docx_table_rows(table: object, budget: _Budget) -> list[tuple[int, list[str]]]:
    """Rows of a Word table, read from its XML in one pass.

    A cell merged down several rows (vMerge) gives its text to each of them, like a
    merged Excel cell; a cell merged across columns (gridSpan) keeps its text in its
    first column, the others stay empty, so columns stay aligned with the header.
    (python-docx's row.cells looks up the cell above recursively: quadratic, and a
    RecursionError past ~1000 merged rows.)
    """
    from docx.table import _Cell

    rows: list[tuple[int, list[str]]] = []
    above: dict[int, str] = {}  # grid column → text of the cell there in the previous row
    for number, tr in enumerate(table._tbl.tr_lst, start=1):
        column = max(0, min(int(tr.grid_before or 0), 64))
        cells = [""] * column
        current: dict[int, str] = {}
        for tc in tr.tc_lst:
            span = max(1, min(int(tc.grid_span or 1), 64))
            if tc.vMerge == "continue":
                text = above.get(column, "")
            else:
                text = _clean(_Cell(tc, table).text)
            cells.append(text)
            cells.extend([""] * (span - 1))
            current[column] = text
            column += span
        budget.spend(len(cells), number)
        above = current
        rows.append((number, cells))
    return rows


def _grids_from_docx(data: bytes, file: str, report: ImportReport | None = None) -> list[_Grid]:
    import docx

    _check_unpacked(data, file, "docx")
    budget = _Budget(file)
    try:
        document = docx.Document(io.BytesIO(data))
        preamble = [p.text.strip() for p in document.paragraphs if p.text.strip()]
        tables = list(document.tables)
    except PlanImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile, lxml and python-docx raise many types on damaged files
        raise _unreadable("docx", exc, file) from None
    grids = []
    for index, table in enumerate(tables, start=1):
        try:
            rows = _docx_table_rows(table, budget)
        except PlanImportError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged table: skip it, keep the others
            if report is not None:
                report.add(
                    "warning", "unreadable_table",
                    f"第 {index} 个表格已损坏，无法读取（{type(exc).__name__}），已跳过",
                    f"table {index} is damaged and cannot be read ({type(exc).__name__}); it was skipped",
                )
            continue
        if sum(1 for _, cells in rows if any(cells)) > MAX_GRID_ROWS:
            raise _too_many_rows(file, rows[MAX_GRID_ROWS][0])
        grids.append(_Grid(rows=rows, preamble=preamble))
    return grids


# ------------------------------------------------------------------------ table reading


def _normalise_header(cell: str) -> str:
    return _WS_RE.sub("", cell).lower().strip("：:")


def _header_columns(cells: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for col, cell in enumerate(cells):
        key = _HEADER_LOOKUP.get(_normalise_header(cell))
        if key and key not in columns:
            columns[key] = col
    return columns


def _find_header(grid: _Grid) -> tuple[int, dict[str, int]] | None:
    """Index of the header row in the grid and the recognised columns, if any.

    A two-row header — 责任单位 merged over a second row that reads 牵头单位 | 配合单位 —
    takes its lead and support columns from the second row.
    """
    for index, (_, cells) in enumerate(grid.rows[:50]):
        columns = _header_columns(cells)
        if "text" in columns and ({"lead", "responsible"} & columns.keys()):
            if "lead" not in columns and index + 1 < len(grid.rows):
                below = _header_columns(grid.rows[index + 1][1])
                if "lead" in below:
                    merged = {**columns, **{k: v for k, v in below.items() if k in ("lead", "support")}}
                    merged.pop("responsible", None)
                    return index + 1, merged
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
        if len(rows) >= MAX_TASKS:
            raise import_error(
                "too_many_tasks",
                f"表格超过 {MAX_TASKS:,} 项任务，超出看板的处理上限：请拆分后分别导入",
                f"the table holds more than {MAX_TASKS:,} tasks, beyond what the dashboard reads: split it",
                file=file, row=source_row,
            )
        longest = max(cells, key=len)
        if len(longest) > LONG_CELL_CHARS:
            report.add(
                "warning", "long_cell",
                f"该行有一个长达 {len(longest):,} 个字符的单元格（已完整保留），请检查是否误把多行内容并入了一个单元格",
                f"the row has a cell of {len(longest):,} characters (kept in full); check that several rows "
                "were not pasted into one cell",
                row=source_row,
            )
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
    .docx its paragraphs first, then its table cells too. A workbook or Word file is
    recognised by its content whatever its name ends in.

    Raises PlanImportError (with Chinese and English messages naming the file and row)
    when the file cannot be read, is beyond the limits above, or holds neither a table
    nor such tasks. Never raises anything else.
    """
    from analysis.documents import docx_lines

    report = ImportReport(file=file)
    suffix = Path(file).suffix.lower()
    # Plan documents with responsibilities written inline, tried when no table is found.
    document_lines: list[Callable[[], list[tuple[int, str]]]] = []
    check_size(len(data), file)
    if not data.strip():
        raise import_error("empty", "文件为空", "the file is empty", file=file)
    kind = _office_kind(data)
    if kind is None:
        _refuse_known_formats(data, file, suffix)
    if kind == "xlsx" or (kind is None and suffix in XLSX_SUFFIXES):
        grids = _grids_from_xlsx(data, file, report)
    elif kind == "docx" or (kind is None and suffix in DOCX_SUFFIXES):
        grids = _grids_from_docx(data, file, report)
        document_lines = [lambda: docx_lines(data, tables=False)]
        if any(grid.rows for grid in grids):
            document_lines.append(lambda: docx_lines(data, tables=True))
    elif suffix in SUPPORTED_SUFFIXES or suffix == "":
        text = decode_text(data, file)
        if not text.strip():
            raise import_error("empty", "文件为空（只有空白字符）", "the file is empty (white space only)", file=file)
        try:
            grid = _grid_from_text(text, suffix, file)
        except _DelimitedError as exc:  # stray quotes, or a gigantic cell: not a table
            if suffix in CSV_SUFFIXES:
                raise import_error("unreadable", exc.zh, exc.en, file=file, row=exc.row) from None
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
    # The first sheet or table with a task header wins; a header lacking a required
    # column is reported only when no other sheet or table has a complete one.
    missing_column: PlanImportError | None = None
    for grid in grids:
        try:
            table = _read_grid(grid, file, report)
        except PlanImportError as exc:
            if exc.findings[0].code != "missing_column":
                raise
            missing_column = missing_column or exc
            continue
        if table is not None:
            if not table.rows:
                raise import_error(
                    "no_tasks", "找到了表头，但表中没有任务", "a header was found but the table holds no tasks",
                    file=file,
                )
            return table
    if missing_column is not None:
        raise missing_column
    for lines in document_lines:
        table = _read_document_lines(lines, file, report)
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


def check_size(size: int, file: str) -> None:
    """Refuse a file above MAX_FILE_BYTES before reading it."""
    if size > MAX_FILE_BYTES:
        raise import_error(
            "too_large",
            f"文件大小 {size / MB:,.1f} MB，超过 {MAX_FILE_BYTES / MB:,.0f} MB 的上限：任务分工表通常不足 1 MB，请确认选对了文件，"
            "或删除其中的图片和无关工作表后再上传",
            f"the file is {size / MB:,.1f} MB, beyond the {MAX_FILE_BYTES / MB:,.0f} MB limit: task tables are "
            "usually under 1 MB; check that this is the right file, or remove pictures and unrelated sheets",
            file=file,
        )


def _read_document_lines(lines: Callable[[], list[tuple[int, str]]], file: str, report: ImportReport) -> RawTable | None:
    from analysis.documents import read_document

    try:
        numbered = lines()
    except PlanImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx on a damaged part of the document
        raise _unreadable("docx", exc, file) from None
    characters = sum(len(line) for _, line in numbered)
    if characters > MAX_DOCUMENT_CHARS:
        raise import_error(
            "too_long",
            f"文件中没有任务分工表，而正文长达 {characters:,} 个字符，超过按正文读取任务的上限（{MAX_DOCUMENT_CHARS:,} 个字符）：请上传任务分工表",
            f"the file holds no task table, and its {characters:,} characters of text are beyond what is read as a "
            f"plan document ({MAX_DOCUMENT_CHARS:,}): upload the task table",
            file=file,
        )
    return read_document(numbered, file, report)


# Signatures of files people upload by mistake, with what to do instead.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "这是旧版 Office 文件（.xls、.doc、.et、.wps）或加密的文件：请在 Excel/WPS/Word 中打开，取消密码后另存为 .xlsx 或 .docx 再上传",
     "this is an old Office file (.xls, .doc, .et, .wps) or an encrypted one: open it in Excel, WPS or Word, "
     "remove any password and save it as .xlsx or .docx"),
    (b"%PDF-",
     "这是 PDF 文件：请上传原始的 Excel/Word 表格，或把表格复制到 Excel 中另存为 .xlsx",
     "this is a PDF file: upload the original Excel or Word table, or copy the table into Excel and save it as .xlsx"),
    (b"\x89PNG\r\n\x1a\n", "这是 PNG 图片，不是表格文件", "this is a PNG image, not a table file"),
    (b"\xff\xd8\xff", "这是 JPEG 图片，不是表格文件", "this is a JPEG image, not a table file"),
    (b"GIF87a", "这是 GIF 图片，不是表格文件", "this is a GIF image, not a table file"),
    (b"GIF89a", "这是 GIF 图片，不是表格文件", "this is a GIF image, not a table file"),
    (b"II*\x00", "这是 TIFF 图片，不是表格文件", "this is a TIFF image, not a table file"),
    (b"MM\x00*", "这是 TIFF 图片，不是表格文件", "this is a TIFF image, not a table file"),
    (b"Rar!", "这是 RAR 压缩包：请解压后上传其中的表格文件", "this is a RAR archive: unpack it and upload the table inside"),
    (b"7z\xbc\xaf\x27\x1c", "这是 7z 压缩包：请解压后上传其中的表格文件", "this is a 7z archive: unpack it and upload the table inside"),
    (b"\x1f\x8b", "这是 gzip 压缩文件：请解压后上传其中的表格文件", "this is a gzip file: unpack it and upload the table inside"),
)


def _refuse_known_formats(data: bytes, file: str, suffix: str) -> None:
    """A clear message for images, PDFs, old Office files, archives and other zips."""
    head = data[:16]
    for signature, zh, en in _SIGNATURES:
        if head.startswith(signature):
            raise import_error("unreadable", zh, en, file=file)
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        raise import_error("unreadable", "这是 WebP 图片，不是表格文件", "this is a WebP image, not a table file", file=file)
    if head.startswith(b"PK"):
        names = _zip_names(data)
        if not names:
            return  # a damaged zip: the reader for its suffix says so
        if any(name.startswith("ppt/") for name in names):
            zh, en = "这是 PowerPoint 演示文稿", "this is a PowerPoint presentation"
        elif "OFD.xml" in names or any(name.startswith("Doc_") for name in names):
            zh, en = "这是 OFD 版式文件", "this is an OFD document"
        elif "mimetype" in names or any(name.startswith("META-INF/") for name in names):
            zh, en = "这是 OpenDocument（.ods/.odt）文件", "this is an OpenDocument (.ods/.odt) file"
        else:
            zh, en = "这是 ZIP 压缩包", "this is a ZIP archive"
        raise import_error(
            "unreadable",
            f"{zh}，不是 .xlsx 或 .docx 表格：请在 WPS/Excel/Word 中另存为 .xlsx 或 .docx（压缩包请先解压）再上传",
            f"{en}, not an .xlsx or .docx table: save it as .xlsx or .docx in WPS, Excel or Word "
            "(unpack an archive first) and upload that",
            file=file,
        )


def _zip_names(data: bytes) -> list[str]:
    if not data.startswith(b"PK"):
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return []


def _office_kind(data: bytes) -> str | None:
    """"xlsx" or "docx" when the bytes are such a package, whatever the file is called."""
    names = _zip_names(data)
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    if any(name.startswith("word/") for name in names):
        return "docx"
    return None


def read_file_bytes(path: Path) -> bytes:
    """A plan file's bytes; a missing, unreadable or oversized file is an import error, not a traceback."""
    if not path.exists():
        raise import_error("not_found", "文件不存在", "file not found", file=str(path))
    if path.is_dir():
        raise import_error("is_dir", "这是一个文件夹，不是计划文件", "this is a folder, not a plan file", file=str(path))
    try:
        check_size(path.stat().st_size, path.name)
        return path.read_bytes()
    except OSError as exc:
        raise import_error(
            "unreadable", f"无法打开文件（{exc.strerror}）", f"cannot open the file ({exc.strerror})", file=str(path)
        ) from None


def read_table_file(path: Path) -> RawTable:
    return read_table(read_file_bytes(path), path.name)
