"""Table reader: a grid with a task header → raw rows.

Shared by every table format (tab-block text, CSV/TSV, XLSX, DOCX). The header is found by
:mod:`analysis.io.headers`; each row below it is a task, except

- a row whose only cell reads as a section heading (一、网络基础设施 / （一）… / 第一部分 …,
  or a short row without a number) starts a section;
- a header repeated on a new page is skipped.

A row with a very long cell, or fewer cells than the header (and no task text), is kept
with a warning. A table past the task limit is refused.
"""

from __future__ import annotations

import re
from typing import Final

from analysis.findings import ImportReport
from analysis.io import limits
from analysis.io import messages as msg
from analysis.io.headers import (
    COLUMN_NAMES,
    ColumnRole,
    Header,
    find_header,
    is_repeated_header,
)
from analysis.io.raw import Grid, RawRow, RawTable
from analysis.vocab import SECTION_HEADING_RE, Bilingual

TITLE_RE: Final = re.compile(r"《([^》]+)》")


def read_grid(grid: Grid, file: str, report: ImportReport) -> RawTable | None:
    """The tasks of a grid, or None when it has no task header.

    Raises PlanImportError ``missing_column`` when the header lacks a required column,
    ``too_many_tasks`` past the limit.
    """
    header = find_header(grid)
    if header is None:
        return None
    _check_required_columns(grid, header, file)
    _note_column_rules(header, report)
    rows = _read_rows(grid, header, file, report)
    return RawTable(
        file=file,
        rows=rows,
        title=title_from(grid.preamble),
        columns=dict(header.columns),
        single_responsible_column=header.single_responsible_column,
        report=report,
    )


def title_from(preamble: list[str]) -> str:
    """The first 《…》 title in the text before the table."""
    for line in preamble:
        match = TITLE_RE.search(line)
        if match:
            return match.group(1).strip()
    return ""


def _check_required_columns(grid: Grid, header: Header, file: str) -> None:
    missing = header.missing()
    if missing:
        names = Bilingual("、".join(COLUMN_NAMES[c].zh for c in missing), ", ".join(COLUMN_NAMES[c].en for c in missing))
        raise msg.refusal(
            "missing_column",
            msg.per_language(msg.MISSING_COLUMN, columns=names),
            file=file,
            row=grid.rows[header.index][0],
            field=names.zh,
        )


def _note_column_rules(header: Header, report: ImportReport) -> None:
    if header.single_responsible_column:
        report.rule(*msg.RULE_SINGLE_RESPONSIBLE_COLUMN.pair())
    if ColumnRole.NUMBER not in header.columns:
        report.rule(*msg.RULE_NO_NUMBER_COLUMN.pair())


def _is_section_row(cells: list[str], number: str, units: str, support: str, width: int) -> bool:
    """A row with a single non-empty cell that reads as a heading starts a section."""
    non_empty = [c for c in cells if c]
    return len(non_empty) == 1 and not units and not support and bool(
        SECTION_HEADING_RE.match(non_empty[0]) or (not number and len(cells) < width)
    )


def _read_rows(grid: Grid, header: Header, file: str, report: ImportReport) -> list[RawRow]:
    rows: list[RawRow] = []
    section = ""
    width = header.width
    single = header.single_responsible_column
    for source_row, cells in grid.rows[header.index + 1 :]:
        if not any(cells):
            continue
        number = header.cell(cells, ColumnRole.NUMBER)
        text = header.cell(cells, ColumnRole.TEXT)
        units = header.cell(cells, ColumnRole.LEAD) or header.cell(cells, ColumnRole.RESPONSIBLE)
        support = header.cell(cells, ColumnRole.SUPPORT)
        if _is_section_row(cells, number, units, support, width):
            section = next(c for c in cells if c)
            continue
        if is_repeated_header(number, text):
            continue
        limits.check_task_count(len(rows), file, source_row)
        _warn_about_row(cells, text, width, source_row, report)
        rows.append(RawRow(source_row, number, text, units, "" if single else support, section))
    return rows


def _warn_about_row(cells: list[str], text: str, width: int, source_row: int, report: ImportReport) -> None:
    longest = max(cells, key=len)
    if len(longest) > limits.LONG_CELL_CHARS:
        report.add("warning", "long_cell", *msg.LONG_CELL.format(length=len(longest)).pair(), row=source_row)
    if len(cells) < width and not text:
        report.add("warning", "short_row", *msg.SHORT_ROW.format(cells=len(cells), width=width).pair(), row=source_row)
