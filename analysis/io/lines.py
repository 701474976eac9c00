"""A table copied from a web page as text: one cell per line, or cells between | (pipes).

Pages and their text copies often flatten a table to its cells, each on a line of its own
(blank lines between), row after row::

    序号 / 民生实事 / 责任单位 / 完成时限 / 1 / 启动建设…。 / 县水务局 / 县住建局 / 12月底前 / 2 / …

:func:`grid_from_cell_lines` finds such a header (three or more consecutive lines naming
columns, one of them the number) and deals the lines below into its columns by what each
line holds: a number starts a row; a unit name goes to the unit column (several lines of
units are one cell); a date phrase to the deadline column; a person to the leader column;
other text to the task column. A line that belongs to a column left of the last one filled
starts a new row without a number (a row continuing the task above, as merged cells read).
Returns None when the text holds no such header.
"""

from __future__ import annotations

import re
from typing import Final

from analysis.io import limits
from analysis.io.headers import UNIT_ROLES, ColumnRole, is_person, role_of
from analysis.io.raw import Grid, GridRow, clean_cell

_NUMBER_RE: Final = re.compile(r"^\d{1,4}[.．、]?$")
_DATE_RE: Final = re.compile(
    r"^(?:\d{4}\s*年)?\s*(?:\d{1,2}\s*月|[一二三四]季度|上半年|下半年|年底|年内|全年|长期|持续|常态化|\d{4}\s*年)"
)
_UNIT_RE: Final = re.compile(
    r"(?:厅|局|委|办|部|院|会|中心|集团|公司|政府|单位|部门|街道|镇|乡|所|站|队|馆|联|处|室|行|署|办公室|指挥部)$"
)
_MAX_HEADER_CELL: Final = 12
# Page furniture below a table: a label (分享到:) or a link line, never a cell.
_FURNITURE_RE: Final = re.compile(r"[:：]$|^(?:分享到|打印|关闭|扫一扫|返回顶部|【|上一篇|下一篇)")
_TEXT_ROLES: Final = frozenset({ColumnRole.TEXT, ColumnRole.DETAIL, ColumnRole.CATEGORY})


def _kind(line: str) -> ColumnRole:
    """What a line holds, as the role of the column it belongs to."""
    if _NUMBER_RE.match(line):
        return ColumnRole.NUMBER
    if len(line) <= 20 and _DATE_RE.match(line):
        return ColumnRole.DEADLINE
    if is_person(line):
        return ColumnRole.LEADER
    first = re.split(r"[、，,]", line, maxsplit=1)[0]  # 建成投用沿浦、宜山…等8家卫生院 is a task
    if len(line) <= 40 and "。" not in line and (_UNIT_RE.search(line) or line.startswith("各")) and (
        first == line or _UNIT_RE.search(first) or first.startswith("各")
    ):
        return ColumnRole.RESPONSIBLE
    return ColumnRole.TEXT


def _accepts(role: ColumnRole, kind: ColumnRole) -> bool:
    if role in UNIT_ROLES:
        return kind == ColumnRole.RESPONSIBLE
    if role in _TEXT_ROLES:
        return kind == ColumnRole.TEXT
    if role in (ColumnRole.NUMBER, ColumnRole.DEADLINE, ColumnRole.LEADER):
        return kind == role
    return kind == ColumnRole.TEXT


def _header_at(lines: list[tuple[int, str]], start: int) -> int:
    """How many consecutive lines from ``start`` are header cells (0 if not a header)."""
    count = 0
    while start + count < len(lines):
        text = lines[start + count][1]
        if len(text) > _MAX_HEADER_CELL or role_of(text) is None:
            break
        count += 1
    roles = {role_of(text) for _, text in lines[start : start + count]}
    if count >= 3 and ColumnRole.NUMBER in roles and roles & _TEXT_ROLES:
        return count
    return 0


def grid_from_cell_lines(text: str) -> Grid | None:
    """The table of a text that writes one cell per line, or None."""
    lines = [(n, clean_cell(line)) for n, line in enumerate(text.splitlines(), start=1)]
    lines = [(n, line) for n, line in lines if line]
    for start in range(len(lines)):
        width = _header_at(lines, start)
        if width:
            break
    else:
        return None
    header = [line for _, line in lines[start : start + width]]
    roles = [role_of(cell) or ColumnRole.OTHER for cell in header]
    rows: list[GridRow] = [(lines[start][0], header)]
    row: list[str] | None = None
    row_line = 0
    column = -1
    for lineno, line in lines[start + width :]:
        if _FURNITURE_RE.search(line):
            break
        kind = _kind(line)
        if kind == ColumnRole.NUMBER and ColumnRole.NUMBER in roles:
            if row is not None:
                rows.append((row_line, row))
            row, row_line, column = [""] * width, lineno, roles.index(ColumnRole.NUMBER)
            row[column] = line
            continue
        if row is None:
            continue  # text between the header and the first numbered row
        if column >= 0 and _accepts(roles[column], kind) and roles[column] in UNIT_ROLES:
            row[column] += "\n" + line  # several units, one line each: one cell
            continue
        target = next((c for c in range(column + 1, width) if _accepts(roles[c], kind)), None)
        if target is None:
            earlier = next((c for c in range(width) if _accepts(roles[c], kind)), None)
            if earlier is None:
                break  # a line no column takes: the table has ended
            rows.append((row_line, row))
            row, row_line = [""] * width, lineno  # a row without a number: it continues the task above
            target = earlier
        row[target] = line
        column = target
    if row is not None:
        rows.append((row_line, row))
    preamble = [line for _, line in lines[max(0, start - 10) : start]]
    return Grid(rows=rows, preamble=preamble)


_PIPE_RULE_RE = re.compile(r"^[\s|:\-]+$")  # a Markdown rule line (---|---)


def grid_from_pipe_rows(text: str) -> Grid | None:
    """A table written with ``|`` between cells (a page's table as text, a Markdown table):
    the lines holding three or more ``|`` are its rows, a leading and a trailing ``|`` are
    borders. None when fewer than two lines are such rows. Lines above the first row are
    the preamble."""
    rows: list[GridRow] = []
    others: list[tuple[int, str]] = []  # lines that are no row: text around the table
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        # A row cut short (its last cells lost) still has two bars: once the table has begun.
        if stripped.count("|") < (2 if rows else 3) or _PIPE_RULE_RE.match(stripped):
            if stripped and not _PIPE_RULE_RE.match(stripped):
                others.append((lineno, stripped))
            continue
        cells = stripped.split("|")
        if cells and not cells[0].strip():
            cells = cells[1:]
        if cells and not cells[-1].strip():
            cells = cells[:-1]
        rows.append((lineno, [clean_cell(c) for c in cells]))
        if len(rows) > limits.MAX_GRID_ROWS:
            return None
    # Only a table whose first row names a number and a task column (a page's metadata
    # written as 索引号: | … | rows is no task table).
    start = next((i for i, (_, cells) in enumerate(rows) if _names_task_columns(cells)), None)
    if start is None or len(rows) - start < 2:
        return None
    header_line = rows[start][0]
    before = others + [(n, cell) for n, cells in rows[:start] for cell in cells if cell]
    preamble = [line for n, line in sorted(before, key=lambda item: item[0]) if n < header_line]
    return Grid(rows=rows[start:], preamble=preamble[-10:])


def _names_task_columns(cells: list[str]) -> bool:
    roles = {role_of(cell) for cell in cells}
    return ColumnRole.NUMBER in roles and bool(roles & {ColumnRole.TEXT, ColumnRole.DETAIL})
