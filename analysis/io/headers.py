"""Header recognition: which column of a table holds what.

The one seam between a grid and its meaning. :func:`find_header` looks for the header row
of a grid and returns a :class:`Header`: the row, the role of every column
(:class:`HeaderField`) and, for compatibility, the first column of each
:class:`ColumnRole` (``Header.columns``).

Roles are inferred, not looked up: a header cell is matched by the words it contains
(:func:`infer_role`: 主要责任单位 holds 责任单位 and 主要 → lead; 分管县领导 holds 领导 →
leader; 完成时限 → deadline), with the cells below as evidence (a column of person names
is a leader column, a column of dates a deadline column, whatever its header says). A
column no rule names keeps its own header under the role ``other``: never mixed into
lead or support, never dropped. Within a table, 责任单位 beside a 牵头 column supports.

The user (or the CLI's ``--columns``) may override any role by header text
(:func:`find_header`'s ``overrides``); unnamed columns keep their inferred role.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
    CATEGORY = "category"  # 重点领域, 考核项目: theme (first category column) and sub-theme
    DETAIL = "detail"  # 主要内容, 具体措施: kept with the task text
    LEADER = "leader"  # 责任领导, 分管县领导: persons, never agencies
    DEADLINE = "deadline"  # 完成时限
    PROGRESS = "progress"  # 进展情况
    NOTES = "notes"  # 备注
    OTHER = "other"  # any other column, kept under its own header


#: Roles a user may give a column (the mapping step, ``--columns``).
ROLE_CODES: Final = tuple(role.value for role in ColumnRole)

# Header names as they appear in published tables (exact matches, kept for the tests and
# for callers that list them); inference below goes further, by the words a header holds.
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
    ColumnRole.CATEGORY: Bilingual("类别", "category"),
    ColumnRole.DETAIL: Bilingual("具体内容", "detail"),
    ColumnRole.LEADER: Bilingual("责任领导", "leader"),
    ColumnRole.DEADLINE: Bilingual("完成时限", "deadline"),
    ColumnRole.PROGRESS: Bilingual("进展情况", "progress"),
    ColumnRole.NOTES: Bilingual("备注", "notes"),
    ColumnRole.OTHER: Bilingual("其他", "other"),
}
#: Roles whose cells are agencies.
UNIT_ROLES: Final = frozenset({ColumnRole.LEAD, ColumnRole.SUPPORT, ColumnRole.RESPONSIBLE})
_HEADER_SEARCH_ROWS: Final = 50  # the header is looked for among the first rows of a grid
_EVIDENCE_ROWS: Final = 30  # cells below a header read as evidence of its column's role
_WS_RE: Final = re.compile(r"\s+")

# Word rules, tried in order: the first rule whose pattern the header contains names its
# role. Persons before units (牵头负责领导 is a leader), deadlines before text (完成时间
# holds no task), support before responsible (协同责任单位 supports).
_WORD_RULES: Final[tuple[tuple[re.Pattern[str], ColumnRole], ...]] = tuple(
    (re.compile(pattern), role) for pattern, role in (
        (r"^(?:序号|编号|序|no\.?|number|#|id)$", ColumnRole.NUMBER),
        (r"领导|责任人|联系人|负责人|leader", ColumnRole.LEADER),
        (r"进展|完成情况|进度情况|落实情况|推进情况|当前进度|完成进度|^进度$|成效|progress|status", ColumnRole.PROGRESS),
        (r"时限|期限|时间|节点|日期|完成时|deadline|due", ColumnRole.DEADLINE),
        (r"备注|说明|note|remark", ColumnRole.NOTES),
        (r"评分|督办|督查|考核部门|考核单位|监督", ColumnRole.OTHER),
        (r"配合|协同|协办|协助|协作|参与|support", ColumnRole.SUPPORT),
        (r"牵头|主要责任|主责|主办|第一责任|lead", ColumnRole.LEAD),
        (r"责任|负责|承办|实施单位|落实单位|单位|部门|主体|responsible|agenc", ColumnRole.RESPONSIBLE),
        (r"任务|实事|事项|task", ColumnRole.TEXT),
        (r"内容|措施|举措|目标|要求|标准|指标|详情|detail", ColumnRole.DETAIL),
        (r"工作", ColumnRole.TEXT),
        (r"领域|类别|分类|类型|板块|方面|项目|专项|行动|篇章|章节|section|category|theme", ColumnRole.CATEGORY),
    )
)

# Cell evidence.
_PERSON_RE: Final = re.compile(r"^[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,3}$")
_UNIT_END_RE: Final = re.compile(
    r"(?:厅|局|委|办|部|院|会|中心|集团|公司|政府|单位|部门|街道|镇|乡|所|站|队|馆|联|处|室|行|署|区|县|市)$"
)
_DATE_CELL_RE: Final = re.compile(
    r"\d{1,2}\s*月|[0-9]{4}\s*年|年底|年内|全年|长期|持续|常态化|季度|上半年|下半年|^\d{4}[-./]\d{1,2}"
)


def normalise_header(cell: str) -> str:
    """A header cell as matched against the aliases."""
    return _WS_RE.sub("", cell).lower().strip("：:")


def role_of(cell: str) -> ColumnRole | None:
    """The role a header cell names by its words alone, if any (``other`` counts as none).

    A cell of digits alone (a task's number: every row has its own) names none: no alias and no
    word rule is made of digits, so it is answered without normalising or filling the cache.
    """
    if cell.isdigit():
        return None
    return _role_of(cell)


@functools.lru_cache(maxsize=4096)  # a table's rows repeat their unit cells; each row is asked twice
def _role_of(cell: str) -> ColumnRole | None:
    """`role_of` of a cell that is not all digits."""
    key = normalise_header(cell)
    if not key:
        return None
    if key in _LOOKUP:
        return _LOOKUP[key]
    if len(key) > 16:  # a sentence, not a header
        return None
    for pattern, role in _WORD_RULES:
        if pattern.search(key):
            return None if role == ColumnRole.OTHER else role
    return None


def is_person(cell: str) -> bool:
    """A person's name as tables write it: two to four Chinese characters, maybe padded (俞 悦)."""
    return bool(_PERSON_RE.match(cell.strip())) and not _UNIT_END_RE.search(cell.strip())


def _is_persons(cell: str) -> bool:
    parts = [p for p in re.split(r"[、，,；;\n/]+", cell) if p.strip()]
    return bool(parts) and all(is_person(p) for p in parts)


def _is_date_like(cell: str) -> bool:
    return len(cell) <= 30 and bool(_DATE_CELL_RE.search(cell))


def infer_role(header: str, cells: Sequence[str] = ()) -> ColumnRole:
    """The role of a column from its header's words, with the cells below as evidence.

    A column whose non-empty cells are (mostly) person names is a leader column; one of
    short date phrases (12月底前, 全年) a deadline column; a header naming nothing is
    ``other`` unless its cells say otherwise.
    """
    named = _word_role(header)
    filled = [c.strip() for c in cells if c and c.strip()]
    if len(filled) >= 2:
        persons = sum(_is_persons(c) for c in filled) / len(filled)
        dates = sum(_is_date_like(c) for c in filled) / len(filled)
        if persons >= 0.8 and named in (ColumnRole.RESPONSIBLE, ColumnRole.OTHER, ColumnRole.LEAD):
            return ColumnRole.LEADER
        if dates >= 0.8 and named in (ColumnRole.OTHER, ColumnRole.NOTES):
            return ColumnRole.DEADLINE
    return named


def _word_role(header: str) -> ColumnRole:
    key = normalise_header(header)
    if not key:
        return ColumnRole.OTHER
    if key in _LOOKUP:
        return _LOOKUP[key]
    for pattern, role in _WORD_RULES:
        if pattern.search(key):
            return role
    return ColumnRole.OTHER


def header_columns(cells: Sequence[str]) -> dict[str, int]:
    """The recognised columns of a row (the first cell naming a role wins)."""
    columns: dict[str, int] = {}
    for col, cell in enumerate(cells):
        key = role_of(cell)
        if key and key not in columns:
            columns[key] = col
    return columns


@dataclass(frozen=True)
class HeaderField:
    """One column of a table: its index, its header as written and its role."""

    index: int
    header: str
    role: ColumnRole
    inferred: ColumnRole  # the role inference gave, before any override

    def to_dict(self) -> dict[str, str]:
        return {"header": self.header, "role": self.role.value}


@dataclass(frozen=True)
class Header:
    """The header row of a grid (index into ``grid.rows``) and the role of each column."""

    index: int
    columns: Mapping[str, int]
    fields: tuple[HeaderField, ...] = field(default=())

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

    def indexes(self, role: ColumnRole) -> list[int]:
        """Every column of ``role``, left to right."""
        if self.fields:
            return [f.index for f in self.fields if f.role == role]
        index = self.columns.get(role)
        return [] if index is None else [index]

    def cells(self, cells: Sequence[str], role: ColumnRole) -> list[str]:
        """The cells of every column of ``role`` in a row."""
        return [cells[i] if i < len(cells) else "" for i in self.indexes(role)]


def _first_columns(fields: Sequence[HeaderField]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for f in fields:
        if f.role != ColumnRole.OTHER and f.role not in columns:
            columns[f.role] = f.index
    return columns


def _resolve_fields(fields: list[HeaderField]) -> list[HeaderField]:
    """Roles read together: 责任单位 beside a 牵头 column supports; without a task column,
    the first detail column (主要内容 beside 项目名称) holds the task text."""
    roles = [f.role for f in fields]
    if ColumnRole.LEAD in roles:
        fields = [
            HeaderField(f.index, f.header, ColumnRole.SUPPORT, f.inferred)
            if f.role == ColumnRole.RESPONSIBLE and ColumnRole.SUPPORT not in roles else f
            for f in fields
        ]
    if ColumnRole.TEXT not in roles:
        for promote in (ColumnRole.DETAIL, ColumnRole.CATEGORY):
            candidates = [f for f in fields if f.role == promote]
            if candidates:
                # The last category column is the finest (考核项目 → 考核内容).
                chosen = candidates[0] if promote == ColumnRole.DETAIL else candidates[-1]
                fields = [
                    HeaderField(f.index, f.header, ColumnRole.TEXT, f.inferred) if f is chosen else f for f in fields
                ]
                break
    return fields


def _fields(grid: Grid, index: int, cells: Sequence[str], overrides: Mapping[str, ColumnRole] | None) -> list[HeaderField]:
    below = grid.rows[index + 1 : index + 1 + _EVIDENCE_ROWS]
    fields: list[HeaderField] = []
    for col, header in enumerate(cells):
        column_cells = [row[col] if col < len(row) else "" for _, row in below]
        if not header.strip() and not any(column_cells):
            continue
        inferred = infer_role(header, column_cells)
        fields.append(HeaderField(col, header.strip(), inferred, inferred))
    fields = _resolve_fields(fields)
    if overrides:
        wanted = {normalise_header(k): ColumnRole(v) for k, v in overrides.items()}
        fields = [
            HeaderField(f.index, f.header, wanted[normalise_header(f.header)], f.inferred)
            if normalise_header(f.header) in wanted else f
            for f in fields
        ]
    return fields


def _is_header_row(roles: set[ColumnRole]) -> bool:
    has_text = bool(roles & {ColumnRole.TEXT, ColumnRole.DETAIL, ColumnRole.CATEGORY})
    has_units = bool(roles & UNIT_ROLES)
    return has_text and (has_units or ColumnRole.NUMBER in roles)


def find_header(grid: Grid, overrides: Mapping[str, ColumnRole] | None = None) -> Header | None:
    """The header row of the grid and the role of each column, if any.

    A row naming task text (or its detail, or a category) and units (or a number) is the
    header. A two-row header — 责任单位 merged over a second row that reads 牵头单位 |
    配合单位 — takes its lead and support columns from the second row. A row naming two
    roles but lacking a required one is returned too, so that the missing column can be
    reported. ``overrides`` (header text → role) replace inferred roles.
    """
    for index, (_, cells) in enumerate(grid.rows[:_HEADER_SEARCH_ROWS]):
        named = [role_of(c) for c in cells]
        roles = {r for r in named if r is not None}
        wanted = {normalise_header(k): ColumnRole(v) for k, v in (overrides or {}).items()}
        mapped = {wanted[normalise_header(c)] for c in cells if c and normalise_header(c) in wanted}
        if _is_header_row(roles) or (mapped and _is_header_row(roles | mapped)):
            header_cells = list(cells)
            header_index = index
            if index + 1 < len(grid.rows):
                below = list(grid.rows[index + 1][1])
                below_roles = {role_of(c) for c in below}
                if ColumnRole.LEAD in below_roles and ColumnRole.LEAD not in roles:
                    # 责任单位 over 牵头单位 | 配合单位: the second row names those columns.
                    header_cells = [
                        (below[i] if i < len(below) and role_of(below[i]) else c)
                        for i, c in enumerate(header_cells + [""] * max(0, len(below) - len(header_cells)))
                    ]
                    header_index = index + 1
            fields = _fields(grid, header_index, header_cells, overrides)
            return Header(header_index, _first_columns(fields), tuple(fields))
        if len(roles) >= 2 and not roles <= {ColumnRole.DEADLINE, ColumnRole.NOTES, ColumnRole.PROGRESS}:
            fields = _fields(grid, index, cells, overrides)
            return Header(index, _first_columns(fields), tuple(fields))  # a header with a required column missing
    return None


def is_repeated_header(number: str, text: str) -> bool:
    """A header row repeated on a new page (its number and text cells are header names)."""
    return role_of(number) == ColumnRole.NUMBER and role_of(text) in (
        ColumnRole.TEXT, ColumnRole.DETAIL, ColumnRole.CATEGORY,
    )
