"""Excel reader: every worksheet of an .xlsx as a grid, streamed.

openpyxl's read-only mode reads rows as they come, so a large sheet is refused as soon as
it passes the limits, without loading it whole. Merged cells hold their value only in
their top-left cell: it is spread down the range's first column (a unit cell merged over
several task rows applies to each), while a heading merged across columns stays one cell.
"""

from __future__ import annotations

import io
import re
import warnings
from typing import Any

from analysis.findings import ImportReport, PlanImportError
from analysis.io import limits
from analysis.io import messages as msg
from analysis.io.raw import BIDI_RE, Grid, clean_cell

# openpyxl warns about features it drops (data validation, conditional formats, WPS
# extensions): nothing the import needs, and the CLI promises one line on stderr.
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")

# <mergeCell ref="C2:C5"/>, with or without a namespace prefix; <row r="7" hidden="1">. A tag
# never spans a "<", and every repetition is bounded: "<row <row <row …" in a comment costs
# linear time, not quadratic.
_MERGE_RE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]{0,40}:)?mergeCell\b[^<>]{0,1000}?\bref\s{0,20}=\s{0,20}[\"']([A-Za-z$0-9:]{1,40})[\"']"
)
_ROW_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?row\b([^<>]{0,4000})>")
_ROW_NUMBER_RE = re.compile(rb"\br\s{0,20}=\s{0,20}[\"']\s{0,20}([0-9]{1,7})")
_HIDDEN_RE = re.compile(rb"\bhidden\s{0,20}=\s{0,20}[\"']\s{0,20}(?:1|true)\b")
_EXCEL_MAX_ROW, _EXCEL_MAX_COL = 1_048_576, 16_384
_HIDDEN_STATES = ("hidden", "veryHidden")

#: (min_col, min_row, max_col, max_row) of a merged range, 1-based.
MergedRange = tuple[int, int, int, int]


def grids_from_xlsx(data: bytes, file: str, report: ImportReport | None = None) -> list[Grid]:
    """Every visible worksheet as a grid, without its hidden rows (each hidden sheet and the
    hidden rows are reported); a damaged workbook is an ``unreadable`` import error."""
    from openpyxl import load_workbook

    limits.check_unpacked(data, file, "xlsx")
    budget = limits.Budget(file)
    report = report if report is not None else ImportReport(file=file)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            grids = []
            for sheet in workbook.worksheets:
                title = clean_cell(getattr(sheet, "title", ""))
                if getattr(sheet, "sheet_state", "visible") in _HIDDEN_STATES:
                    report.add("warning", "hidden_sheet", *msg.HIDDEN_SHEET.format(sheet=title).pair())
                    continue
                grids.append(_sheet_grid(workbook, sheet, title, budget, report))
            if budget.bidi_controls:
                report.add("warning", "bidi_controls", *msg.bidi_removed(msg.BIDI_IN_CELLS).pair())
            return grids
        finally:
            workbook.close()
    except PlanImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile, zlib, lxml and openpyxl raise many types on damaged files
        raise msg.office_unreadable("xlsx", exc, file) from None


def _sheet_grid(workbook: Any, sheet: Any, title: str, budget: limits.Budget, report: ImportReport) -> Grid:
    sheet.reset_dimensions()  # a wrong <dimension> (some generators write A1) must not cut rows off
    file = budget.file
    ranges, hidden = _scan_sheet_xml(workbook, sheet)
    rows, skipped = _sheet_rows(sheet, file, budget, hidden)
    if rows:
        _spread_merged_cells(rows, ranges, budget, hidden)
        if len(rows) > limits.MAX_GRID_ROWS:
            raise limits.too_many_rows(file, sorted(rows)[limits.MAX_GRID_ROWS])
    if skipped:
        shown = "、".join(map(str, skipped[:10])) + ("…" if len(skipped) > 10 else "")
        message = msg.HIDDEN_ROWS.format(sheet=title, count=len(skipped), rows=shown)
        report.add("warning", "hidden_rows", *message.pair(), row=skipped[0])
    width = max((len(cells) for cells in rows.values()), default=0)
    grid_rows = []
    for r, cells in sorted(rows.items()):
        padding = width - len(cells)
        if padding:
            budget.spend(padding, r)  # padding is materialised too: one cell in column XFD pads every row
        grid_rows.append((r, cells + [""] * padding))
    return Grid(rows=grid_rows, name=title)


def _sheet_rows(
    sheet: Any, file: str, budget: limits.Budget, hidden: set[int]
) -> tuple[dict[int, list[str]], list[int]]:
    """The non-empty visible rows of a sheet by row number, without trailing empty cells, and
    the numbers of the hidden rows that held something (left out)."""
    rows: dict[int, list[str]] = {}
    skipped: list[int] = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not row:
            continue
        budget.spend(len(row), number)
        for value in row:
            if isinstance(value, str):
                budget.spend_text(len(value), number, cell_limit=limits.MAX_XLSX_CELL_CHARS)
                if not budget.bidi_controls and BIDI_RE.search(value):
                    budget.bidi_controls = True
        if number in hidden:
            if any(xlsx_cell(value) for value in row):
                skipped.append(number)
            continue
        cells = [xlsx_cell(c) for c in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows[number] = cells
            if len(rows) > limits.MAX_GRID_ROWS:
                raise limits.too_many_rows(file, number)
    return rows, skipped


def xlsx_cell(value: object) -> str:
    """A workbook value as text: booleans (TRUE/FALSE) and error values (#N/A, #REF! …) are
    no content, so they can never become a task or an agency."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, str) and value.strip().upper() in ERROR_VALUES:
        return ""
    return clean_cell(value)


#: Excel's error values, as openpyxl gives them in data_only mode.
ERROR_VALUES = frozenset({"#N/A", "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#GETTING_DATA",
                          "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})


def _spread_merged_cells(
    rows: dict[int, list[str]], ranges: list[MergedRange], budget: limits.Budget, hidden: set[int]
) -> None:
    """Each merged range's value down its first column, over the visible rows present."""
    last = max(rows)
    for min_col, min_row, _max_col, max_row in ranges:
        top = rows.get(min_row, [])
        value = top[min_col - 1] if min_col - 1 < len(top) else ""
        if not value:
            continue
        for r in range(min_row + 1, min(max_row, last) + 1):
            if r in hidden:
                continue  # a hidden row stays out
            budget.spend(1, r)
            cells = rows.setdefault(r, [])
            if len(cells) < min_col:
                budget.spend(min_col - len(cells), r)
                cells.extend([""] * (min_col - len(cells)))
            cells[min_col - 1] = value


def _scan_sheet_xml(workbook: Any, sheet: Any) -> tuple[list[MergedRange], set[int]]:
    """The merged ranges and the hidden rows of a read-only sheet, from its XML (read-only mode
    keeps neither)."""
    from openpyxl.utils.cell import range_boundaries

    path = getattr(sheet, "_worksheet_path", None)
    archive = getattr(workbook, "_archive", None)
    if not path or archive is None:
        return [], set()
    ranges: list[MergedRange] = []
    hidden: set[int] = set()
    row_number = 0
    tail = b""
    with archive.open(path) as source:
        while chunk := source.read(1 << 20):
            buffer = tail + chunk
            last = 0
            for match in _ROW_RE.finditer(buffer):
                last = max(last, match.end())
                attributes = match.group(1)
                number = _ROW_NUMBER_RE.search(attributes)
                row_number = int(number.group(1)) if number else row_number + 1
                if _HIDDEN_RE.search(attributes):
                    hidden.add(row_number)
            for match in _MERGE_RE.finditer(buffer):
                last = max(last, match.end())
                try:
                    bounds = range_boundaries(match.group(1).decode("ascii").replace("$", ""))
                except (ValueError, TypeError, KeyError):
                    continue
                if None in bounds:
                    continue
                min_col, min_row, max_col, max_row = bounds
                if 1 <= min_col <= max_col <= _EXCEL_MAX_COL and 1 <= min_row <= max_row <= _EXCEL_MAX_ROW:
                    ranges.append((min_col, min_row, max_col, max_row))
            tail = buffer[max(last, len(buffer) - 4096):]
    return ranges, hidden
