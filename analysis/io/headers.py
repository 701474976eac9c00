"""Header recognition: which column of a table holds what.

The one seam between a grid and its meaning. :func:`find_header` looks for the header row
of a grid and returns a :class:`Header`: the row and the column of each
:class:`ColumnRole` it recognised. Everything after it (:mod:`analysis.io.table`) reads
cells only through ``Header.columns``, so a smarter recognition (roles inferred from the
header text and the cells below it) replaces this module alone.

Today a cell is recognised by name: :data:`HEADER_ALIASES` lists the header names found in
published tables, matched ignoring white space inside the cell (``序  号`` is 序号), case
and a trailing colon.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from analysis.io.raw import Grid
from analysis.vocab import Bilingual


class ColumnRole(StrEnum):
    """What a column of a task table holds."""

    NUMBER = "number"  # 序号
    TEXT = "text"  # 重点工作任务
    LEAD = "lead"  # 牵头单位
    SUPPORT = "support"  # 配合单位
    RESPONSIBLE = "responsible"  # 责任单位: one list, the first unit leads


# Header names as they appear in published tables, mapped to the column they mean.
HEADER_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    ColumnRole.NUMBER: ("序号", "编号", "no", "no.", "number", "#"),
    ColumnRole.TEXT: (
        "重点工作任务", "重点任务", "主要任务", "工作任务", "任务", "任务内容", "工作内容",
        "具体任务", "主要工作", "重点工作", "task", "tasks",
    ),
    ColumnRole.LEAD: ("牵头单位", "牵头部门", "牵头责任单位", "lead", "leadagency", "leadagencies"),
    ColumnRole.SUPPORT: (
        "配合单位", "协同单位", "参与单位", "配合部门", "协同责任单位", "协助单位",
        "support", "supportingagencies", "supportagencies",
    ),
    ColumnRole.RESPONSIBLE: ("责任单位", "责任部门", "负责单位", "responsible", "responsibleagencies"),
}
_LOOKUP: Final = {alias: ColumnRole(col) for col, aliases in HEADER_ALIASES.items() for alias in aliases}
#: A column's name in messages: Chinese as in published tables, English as the role code.
COLUMN_NAMES: Final[dict[ColumnRole, Bilingual]] = {
    ColumnRole.NUMBER: Bilingual("序号", "number"),
    ColumnRole.TEXT: Bilingual("重点工作任务", "text"),
    ColumnRole.LEAD: Bilingual("牵头单位", "lead"),
    ColumnRole.SUPPORT: Bilingual("配合单位", "support"),
    ColumnRole.RESPONSIBLE: Bilingual("责任单位", "responsible"),
}
_HEADER_SEARCH_ROWS: Final = 50  # the header is looked for among the first rows of a grid
_WS_RE: Final = re.compile(r"\s+")


@dataclass(frozen=True)
class Header:
    """The header row of a grid (index into ``grid.rows``) and the columns recognised in it."""

    index: int
    columns: Mapping[str, int]

    @property
    def single_responsible_column(self) -> bool:
        """No lead column: one list of units (责任单位) whose first unit leads."""
        return ColumnRole.LEAD not in self.columns

    def missing(self) -> list[ColumnRole]:
        """Required columns not found: the task text, and lead (or responsible) units."""
        missing = [c for c in (ColumnRole.TEXT,) if c not in self.columns]
        if ColumnRole.LEAD not in self.columns and ColumnRole.RESPONSIBLE not in self.columns:
            missing.append(ColumnRole.LEAD)
        return missing

    @property
    def width(self) -> int:
        return max(self.columns.values()) + 1

    def cell(self, cells: Sequence[str], role: ColumnRole) -> str:
        """The cell of ``role`` in a row ("" when the column is absent or the row short)."""
        index = self.columns.get(role)
        return cells[index] if index is not None and index < len(cells) else ""


def normalise_header(cell: str) -> str:
    """A header cell as matched against the aliases."""
    return _WS_RE.sub("", cell).lower().strip("：:")


def role_of(cell: str) -> ColumnRole | None:
    """The column a header cell names, if any."""
    return _LOOKUP.get(normalise_header(cell))


def header_columns(cells: Sequence[str]) -> dict[str, int]:
    """The recognised columns of a row (the first cell naming a role wins)."""
    columns: dict[str, int] = {}
    for col, cell in enumerate(cells):
        key = role_of(cell)
        if key and key not in columns:
            columns[key] = col
    return columns


def find_header(grid: Grid) -> Header | None:
    """The header row of the grid and its recognised columns, if any.

    A row naming the task text and lead (or responsible) units is the header. A two-row
    header — 责任单位 merged over a second row that reads 牵头单位 | 配合单位 — takes its
    lead and support columns from the second row. A row naming two columns but lacking a
    required one is returned too, so that the missing column can be reported.
    """
    for index, (_, cells) in enumerate(grid.rows[:_HEADER_SEARCH_ROWS]):
        columns = header_columns(cells)
        if ColumnRole.TEXT in columns and ({ColumnRole.LEAD, ColumnRole.RESPONSIBLE} & columns.keys()):
            if ColumnRole.LEAD not in columns and index + 1 < len(grid.rows):
                below = header_columns(grid.rows[index + 1][1])
                if ColumnRole.LEAD in below:
                    merged = {
                        **columns, **{k: v for k, v in below.items() if k in (ColumnRole.LEAD, ColumnRole.SUPPORT)}
                    }
                    merged.pop(ColumnRole.RESPONSIBLE, None)
                    return Header(index + 1, merged)
            return Header(index, columns)
        if len(columns) >= 2:
            return Header(index, columns)  # a header with a required column missing: report it
    return None


def is_repeated_header(number: str, text: str) -> bool:
    """A header row repeated on a new page (its number and text cells are header names)."""
    return (
        normalise_header(number) in HEADER_ALIASES[ColumnRole.NUMBER]
        and normalise_header(text) in HEADER_ALIASES[ColumnRole.TEXT]
    )
