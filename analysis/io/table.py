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
from collections.abc import Mapping
from typing import Final

from analysis.findings import ImportReport
from analysis.io import limits
from analysis.io import messages as msg
from analysis.io.headers import (
    COLUMN_NAMES,
    UNIT_ROLES,
    ColumnRole,
    Header,
    find_header,
    is_repeated_header,
    normalise_header,
    role_of,
)
from analysis.io.raw import Grid, RawRow, RawTable, raw_row
from analysis.units import split_leaders
from analysis.vocab import SECTION_HEADING_RE, Bilingual

TITLE_RE: Final = re.compile(r"《([^》]+)》")
CAPTION_RE: Final = re.compile(r"^[^。；;，,：:]{4,60}(?:表|方案|计划|清单|要点|台账|完成情况)(?:[（(][^（）()]{1,20}[）)])?$")
_PLAN_TITLE_RE: Final = re.compile(r"^[^。；;，,：:]{4,60}(?:分工|分解)$")
_LIST_NUMBER_RE: Final = re.compile(r"^\d{1,2}\s*[.．、](?:(?=\d{4}\s*年)|(?!\d))")  # 3.2022年度…: an attachment's number
NOTICE_RE: Final = re.compile(r"关于(?:印发|对|做好)?(.{4,80}?)的通知")


def read_grid(
    grid: Grid, file: str, report: ImportReport, overrides: Mapping[str, ColumnRole] | None = None
) -> RawTable | None:
    """The tasks of a grid, or None when it has no task header.

    ``overrides`` (header text → role) replace the inferred role of those columns.
    Raises PlanImportError ``missing_column`` when the header lacks a required column,
    ``too_many_tasks`` past the limit.
    """
    header = find_header(grid, overrides)
    if header is None:
        return None
    _check_required_columns(grid, header, file)
    _note_column_rules(header, report)
    rows = _read_rows(grid, header, file, report)
    # The text before the table: the grid's preamble, else its rows above the header (a
    # workbook's title row).
    above = [cell for _, cells in grid.rows[: header.index] for cell in cells if cell][-10:]
    preamble = above or grid.preamble or []
    return RawTable(
        file=file,
        rows=rows,
        title=title_from(preamble),
        columns=dict(header.columns),
        single_responsible_column=header.single_responsible_column,
        report=report,
        column_roles=tuple((f.header, f.role.value) for f in header.fields),
        preamble=tuple(preamble),
    )


def join_continued_tables(grids: list[Grid], report: ImportReport) -> list[Grid]:
    """Word tables continued across several tables (split by a page or a section heading) as
    one grid each: after a table with a task header, a table that repeats that header, or
    has none and as many columns, continues it. A section heading (二、…) between them
    becomes a section row; the continuation's rows are numbered on from the table above."""
    joined: list[Grid] = []
    index = 0
    while index < len(grids):
        grid = grids[index]
        index += 1
        header = find_header(grid)
        if header is None or not grid.rows:
            joined.append(grid)
            continue
        header_cells = [normalise_header(c) for c in grid.rows[header.index][1]]
        width = len(header_cells)
        rows = list(grid.rows)
        first, count = index, 0
        while index < len(grids):
            following = grids[index]
            if not following.rows:
                break
            repeated = [normalise_header(c) for c in following.rows[0][1]] == header_cells
            widest = max(len(cells) for _, cells in following.rows)
            if not repeated and (widest != width or find_header(following) is not None):
                break
            offset = rows[-1][0]
            headings = [line for line in following.lead_in if SECTION_HEADING_RE.match(line)]
            if headings:
                offset += 1
                rows.append((offset, [headings[-1]] + [""] * (width - 1)))
            body = following.rows[1:] if repeated else following.rows
            rows += [(offset + number, cells) for number, cells in body]
            index += 1
            count += 1
        if count:
            report.add("info", "tables_joined", *msg.TABLES_JOINED.format(first=first, count=count).pair())
            grid = Grid(rows=rows, preamble=grid.preamble, lead_in=grid.lead_in)
        joined.append(grid)
    return joined


def join_sheets(grids: list[Grid], report: ImportReport) -> list[Grid]:
    """A workbook's sheets: the first sheet with a complete task header is the table (a cover
    or notes sheet before it is skipped); later sheets with the same header are read with it,
    as one table whose tasks are grouped by sheet (a section row with the sheet's name before
    each). Sheets with another task header are not read, and the report says so."""
    headers = [(grid, find_header(grid)) for grid in grids]
    tables = [(grid, header) for grid, header in headers if header is not None and not header.missing()]
    if not tables:
        return grids
    first, first_header = tables[0]
    if not first.preamble:  # a cover sheet's lines before the table: the plan's title
        before = grids[: next(i for i, g in enumerate(grids) if g is first)]
        first.preamble = [cell for grid in before for _, cells in grid.rows for cell in cells if cell][:20]
    if len(tables) < 2:
        return grids
    key = [normalise_header(c) for c in first.rows[first_header.index][1]]
    same = [(g, h) for g, h in tables if [normalise_header(c) for c in g.rows[h.index][1]] == key]
    others = [g.name or "?" for g, _ in tables if all(g is not s for s, _ in same)]
    if others:
        message = msg.SHEET_NOT_READ.format(sheets="、".join(others), first=first.name)
        report.add("warning", "sheet_not_read", *message.pair())
    if len(same) < 2:
        return grids
    rows = list(first.rows[: first_header.index + 1])
    text_column = first_header.columns[ColumnRole.TEXT]
    for grid, header in same:
        offset = rows[-1][0]
        rows.append((offset + 1, [""] * text_column + [grid.name]))  # only a name, short of the header: a section row
        rows += [(offset + 1 + number - grid.rows[header.index][0], cells) for number, cells in grid.rows[header.index + 1 :]]
    report.add("info", "sheets_joined", *msg.SHEETS_JOINED.format(sheets="、".join(g.name for g, _ in same)).pair())
    joined = Grid(rows=rows, preamble=first.preamble, name=first.name)
    return [joined] + [g for g in grids if all(g is not s for s, _ in same)]


def title_from(preamble: list[str]) -> str:
    """The plan's title in the text before the table: the table's caption (the last line
    before it ending in 表/方案/计划/清单/要点, not a line naming an attachment), else a
    notice title (关于印发《…》的通知 → …), else the first 《…》 title."""
    lines = [_LIST_NUMBER_RE.sub("", line.strip()) for line in preamble if line.strip()]
    for line in reversed(lines[-3:]):
        if CAPTION_RE.match(line) and not line.startswith("附件"):
            return line
    for line in lines:
        match = NOTICE_RE.search(line)
        if match:
            return TITLE_RE.sub(lambda m: m.group(1), match.group(1)).strip()
    for line in lines:
        match = TITLE_RE.search(line)
        if match:
            return match.group(1).strip()
    for line in lines:  # a page's own title above its furniture (发布日期, 来源 …), a cover sheet's
        if (CAPTION_RE.match(line) or _PLAN_TITLE_RE.match(line)) and not line.startswith("附件"):
            return line
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


def _joined(cells: list[str], sep: str = "\n") -> str:
    return sep.join(c for c in cells if c)


def _read_rows(grid: Grid, header: Header, file: str, report: ImportReport) -> list[RawRow]:
    rows: list[RawRow] = []
    section = ""
    categories: list[str] = []  # the category cells above, filled down (merged cells)
    width = max(header.width, max((f.index for f in header.fields), default=0) + 1)
    single = header.single_responsible_column
    category_columns = header.indexes(ColumnRole.CATEGORY)
    extra_fields = [f for f in header.fields if f.role in (ColumnRole.OTHER, ColumnRole.PROGRESS, ColumnRole.NOTES)]
    numbered = ColumnRole.NUMBER in header.columns
    continued = False
    # The columns of each role, found once (Header.cells looks them up again for every cell).
    text_columns = header.indexes(ColumnRole.TEXT) + header.indexes(ColumnRole.DETAIL)
    support_columns = header.indexes(ColumnRole.SUPPORT)
    leader_columns = header.indexes(ColumnRole.LEADER)
    deadline_columns = header.indexes(ColumnRole.DEADLINE)

    def pick(cells: list[str], columns: list[int]) -> list[str]:
        return [cells[i] if i < len(cells) else "" for i in columns]

    def one(cells: list[str], index: int | None) -> str:
        """The cell at `index` ("" when the row is short or there is no such column)."""
        return cells[index] if index is not None and index < len(cells) else ""

    number_column = header.columns.get(ColumnRole.NUMBER)
    lead_column = header.columns.get(ColumnRole.LEAD)
    responsible_column = header.columns.get(ColumnRole.RESPONSIBLE)
    # One column of a role (the common table): its cell is what joining the role's cells gives.
    text_column = text_columns[0] if len(text_columns) == 1 else None
    support_column = support_columns[0] if len(support_columns) == 1 else None
    max_tasks, long_cell = limits.MAX_TASKS, limits.LONG_CELL_CHARS
    long_cells = grid.longest_cell is None or grid.longest_cell > long_cell  # whether a cell may be long
    for source_row, cells in grid.rows[header.index + 1 :]:
        if not any(cells):
            continue
        size = len(cells)
        number = cells[number_column] if number_column is not None and number_column < size else ""
        if text_column is not None:
            text = cells[text_column] if text_column < size else ""
        else:
            text = _joined(pick(cells, text_columns))
        units = (cells[lead_column] if lead_column is not None and lead_column < size else "") or one(
            cells, responsible_column
        )
        if support_column is not None:
            support = cells[support_column] if support_column < size else ""
        else:
            support = _joined(pick(cells, support_columns), "、")
        if not units and not support and _is_section_row(cells, number, units, support, width):
            section = next(c for c in cells if c)
            categories = []
            continue
        # A number of digits alone (most rows) names no role: role_of("12") is None.
        if number and not number.isdigit() and role_of(number) == ColumnRole.NUMBER and (
            is_repeated_header(number, text.split("\n")[0]) or role_of(units) in UNIT_ROLES
        ):
            continue
        if len(rows) >= max_tasks:
            limits.check_task_count(len(rows), file, source_row)
        if (size < width and not text) or (long_cells and max(map(len, cells)) > long_cell):
            _warn_about_row(cells, text, width, source_row, report)
        if category_columns:
            row_categories = [cells[i] if i < size else "" for i in category_columns]
            categories = [
                cell or (categories[level] if level < len(categories) and not any(row_categories[:level]) else "")
                for level, cell in enumerate(row_categories)
            ]
            themes = [c for c in categories if c]
            row_section = section or (themes[0] if themes else "")
            subthemes = tuple(themes[1:] if not section else themes)
        else:
            categories = []
            row_section, subthemes = section, ()
        leaders = tuple(split_leaders(_joined(pick(cells, leader_columns), "、"))) if leader_columns else ()
        deadline = _joined(pick(cells, deadline_columns), "；") if deadline_columns else ""
        extra = tuple((f.header or COLUMN_NAMES[f.role].zh, cells[f.index]) for f in extra_fields
                      if f.index < size and cells[f.index]) if extra_fields else ()
        row = raw_row(source_row, number, text, units, "" if single else support, row_section, leaders,
                      deadline, subthemes, extra)
        if numbered and not number and text and rows and rows[-1].number:
            # An unnumbered row below a numbered task continues it (merged number, unit and
            # leader cells): it takes what it leaves empty, and stays a task of its own.
            above = rows[-1]
            row = row._replace(
                number=above.number, continues=True,
                lead=row.lead or above.lead, support=row.support or ("" if row.lead else above.support),
                leaders=row.leaders or above.leaders, section=row.section or above.section,
                subthemes=row.subthemes or above.subthemes,
            )
            continued = True
        rows.append(row)
    if continued:
        report.rule(*msg.RULE_CONTINUATION_ROWS.pair())
    return rows


def _warn_about_row(cells: list[str], text: str, width: int, source_row: int, report: ImportReport) -> None:
    longest = max(map(len, cells))  # the length of the first longest cell (max(cells, key=len))
    if longest > limits.LONG_CELL_CHARS:
        report.add("warning", "long_cell", *msg.LONG_CELL.format(length=longest).pair(), row=source_row)
    if len(cells) < width and not text:
        report.add("warning", "short_row", *msg.SHORT_ROW.format(cells=len(cells), width=width).pair(), row=source_row)
