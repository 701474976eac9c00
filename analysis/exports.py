"""Table exports (CSV, XLSX) that are safe to open in a spreadsheet.

A cell starting with = + - @ (or a tab / carriage return) is read as a formula by Excel,
WPS and LibreOffice: a hostile agency name could run one on an official's machine. Such
text cells get a leading apostrophe, the convention those programs show as plain text.
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with text cells (and headers) that could start a formula made inert."""
    out = frame.copy()
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_cell)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel and WPS open the Chinese text correctly."""
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "Sheet1") -> bytes:
    buffer = io.BytesIO()
    safe = neutralise(frame)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        # Sheet names are limited to 31 characters and may not hold []:*?/\
        name = "".join(ch for ch in sheet if ch not in "[]:*?/\\")[:31] or "Sheet1"
        safe.to_excel(writer, sheet_name=name, index=False)
        worksheet = writer.sheets[name]
        for index, column in enumerate(safe.columns, start=1):
            longest = max([len(str(column))] + [len(str(v)) for v in safe[column].head(200)])
            worksheet.column_dimensions[worksheet.cell(1, index).column_letter].width = min(60, max(8, longest * 1.6))
    return buffer.getvalue()
