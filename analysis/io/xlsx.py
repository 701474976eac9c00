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
from analysis.io.raw import Grid, clean_cell

# openpyxl warns about features it drops (data validation, conditional formats, WPS
# extensions): nothing the import needs, and the CLI promises one line on stderr.
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")

# <mergeCell ref="C2:C5"/>, with or without a namespace prefix.
_MERGE_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']([A-Za-z$0-9:]{1,40})[\"']")
_EXCEL_MAX_ROW, _EXCEL_MAX_COL = 1_048_576, 16_384

#: (min_col, min_row, max_col, max_row) of a merged range, 1-based.
MergedRange = tuple[int, int, int, int]


def grids_from_xlsx(data: bytes, file: str, report: ImportReport | None = None) -> list[Grid]:
    """Every worksheet as a grid; a damaged workbook is an ``unreadable`` import error."""
    from openpyxl import load_workbook

    limits.check_unpacked(data, file, "xlsx")
    budget = limits.Budget(file)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return [_sheet_grid(workbook, sheet, file, budget) for sheet in workbook.worksheets]
        finally:
            workbook.close()
    except PlanImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile, zlib, lxml and openpyxl raise many types on damaged files
        raise msg.office_unreadable("xlsx", exc, file) from None


def _sheet_grid(workbook: Any, sheet: Any, file: str, budget: limits.Budget) -> Grid:
    sheet.reset_dimensions()  # a wrong <dimension> (some generators write A1) must not cut rows off
    rows = _sheet_rows(sheet, file, budget)
    if rows:
        _spread_merged_cells(rows, _merged_ranges(workbook, sheet), budget)
        if len(rows) > limits.MAX_GRID_ROWS:
            raise limits.too_many_rows(file, sorted(rows)[limits.MAX_GRID_ROWS])
    width = max((len(cells) for cells in rows.values()), default=0)
    return Grid(rows=[(r, cells + [""] * (width - len(cells))) for r, cells in sorted(rows.items())])


def _sheet_rows(sheet: Any, file: str, budget: limits.Budget) -> dict[int, list[str]]:
    """The non-empty rows of a sheet by row number, without trailing empty cells."""
    rows: dict[int, list[str]] = {}
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not row:
            continue
        budget.spend(len(row), number)
        cells = [clean_cell(c) for c in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows[number] = cells
            if len(rows) > limits.MAX_GRID_ROWS:
                raise limits.too_many_rows(file, number)
    return rows


def _spread_merged_cells(rows: dict[int, list[str]], ranges: list[MergedRange], budget: limits.Budget) -> None:
    """Each merged range's value down its first column, over the rows present."""
    last = max(rows)
    for min_col, min_row, _max_col, max_row in ranges:
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


def _merged_ranges(workbook: Any, sheet: Any) -> list[MergedRange]:
    """The merged ranges of a read-only sheet, from its XML (read-only mode does not keep them)."""
    from openpyxl.utils.cell import range_boundaries

    path = getattr(sheet, "_worksheet_path", None)
    archive = getattr(workbook, "_archive", None)
    if not path or archive is None:
        return []
    ranges: list[MergedRange] = []
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
