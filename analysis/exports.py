"""Table exports (CSV, XLSX) that are safe to open in a spreadsheet.

A cell starting with = + - @ (or a tab / carriage return, or their full-width forms) is
read as a formula by Excel, WPS and LibreOffice: a hostile agency name could run one on an
official's machine. Such text cells (and headers) get a leading apostrophe, the convention
those programs show as plain text; so do cells whose first non-blank character is one of
these. Numbers stay numbers, and text that is just a number ("-5", "+3.5") is left alone:
a spreadsheet reads it as that number, nothing more.

XLSX cells are also written as text explicitly (never a formula), cleared of the control
characters the format cannot hold, and cut to Excel's 32,767 characters per cell.
"""

from __future__ import annotations

import io
import re

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_BLANKS = " \u3000\u00a0\n"
_PLAIN_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# Characters XML 1.0 (so XLSX) cannot hold; openpyxl refuses a cell that contains one.
_ILLEGAL_XLSX_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EXCEL_CELL_LIMIT = 32_767
_CUT_MARK = "…"


def neutralise_cell(value: object) -> object:
    if not isinstance(value, str):
        return value
    # blanks and control characters (which XLSX drops, so "\x1f=1" would become "=1") skipped
    stripped = _ILLEGAL_XLSX_RE.sub("", value).lstrip(_BLANKS)
    if value.startswith(("\t", "\r")) or (
        stripped.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER_RE.fullmatch(stripped)
    ):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with text cells (and headers) that could start a formula made inert."""
    out = frame.copy()
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = [" ".join(str(part) for part in column) for column in out.columns]
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    for index in range(out.shape[1]):  # by position: duplicate column names are allowed
        column = out.iloc[:, index]
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(object)
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            out.isetitem(index, column.map(neutralise_cell))
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel and WPS open the Chinese text correctly.

    Lines end in CR LF, so a cell holding a bare carriage return is quoted too: unquoted,
    a spreadsheet would start a new row there, and "x\r=1" would put a formula in it.
    """
    text: str = neutralise(frame).to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def _xlsx_text(value: str) -> str:
    value = _ILLEGAL_XLSX_RE.sub("", value)
    if len(value) > EXCEL_CELL_LIMIT:
        value = value[: EXCEL_CELL_LIMIT - len(_CUT_MARK)] + _CUT_MARK
    return value


def _xlsx_value(value: object) -> object:
    """A value openpyxl writes as itself: text, number, boolean, date or empty."""
    if isinstance(value, str):
        return _xlsx_text(value)
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if hasattr(value, "item") and not isinstance(value, (list, tuple, dict, set)):
        value = value.item()  # numpy scalars
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return str(value)  # Excel has no infinity
    if isinstance(value, (bool, int, float)) or hasattr(value, "isoformat"):
        return value
    return _xlsx_text(str(value))


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "Sheet1") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    safe = neutralise(frame)
    workbook = Workbook(write_only=True)
    # Sheet names are limited to 31 characters and may not hold []:*?/\
    name = "".join(ch for ch in _ILLEGAL_XLSX_RE.sub("", sheet) if ch not in "[]:*?/\\'")[:31] or "Sheet1"
    worksheet = workbook.create_sheet(name)
    for index, column in enumerate(safe.columns, start=1):
        longest = max([len(str(column))] + [len(str(v)) for v in safe.iloc[:200, index - 1]])
        worksheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, longest * 1.6))

    def cell(value: object) -> WriteOnlyCell:
        value = _xlsx_value(value)
        written = WriteOnlyCell(worksheet, value=value)
        if isinstance(value, str):
            written.data_type = "s"  # text, whatever it starts with: never a formula
        return written

    worksheet.append([cell(str(c)) for c in safe.columns])
    for values in safe.itertuples(index=False, name=None):
        worksheet.append([cell(v) for v in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
