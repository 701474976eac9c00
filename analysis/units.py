"""Split a cell of responsible units into agency labels."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Separators used between units in published tables, full- and half-width. 和/及 are not
# separators: they occur inside names (省文化和旅游厅).
UNIT_SEPARATORS = "、，,；;\n/／|｜"
_SPLIT_RE = re.compile(f"[{re.escape(UNIT_SEPARATORS)}]+")
# "浙江铁塔等", "省经信厅等单位", "各市等有关部门": the trailing 等 marks an open list.
_ETC_RE = re.compile(r"等(?:相关|有关)?(?:单位|部门)?$")
_STRIP_CHARS = " \t\u3000\u00a0。.：:（）()[]【】\"'“”‘’"
_OPEN = "（(【["
_CLOSE = "）)】]"
# Spreadsheet error values, N/A and booleans: never an agency (N/A would split into N and A).
_PLACEHOLDER_RE = re.compile(
    r"#(?:N/A|NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|SPILL!|CALC!)|(?<![A-Za-z])(?:N/A|TRUE|FALSE)(?![A-Za-z])",
    re.IGNORECASE,
)


def split_top_level(cell: str) -> list[str]:
    """Split at separators outside brackets: 各县（市、区）人民政府 stays one unit.

    A cell wrapped in one pair of brackets is unwrapped first; unbalanced brackets fall
    back to splitting at every separator.
    """
    cell = cell.strip()
    if len(cell) >= 2 and cell[0] in _OPEN and cell[-1] in _CLOSE and _balanced(cell[1:-1]):
        cell = cell[1:-1]
    if not _balanced(cell):
        return _SPLIT_RE.split(cell)
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in cell:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        if depth == 0 and char in UNIT_SEPARATORS:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _strip_label(part: str) -> str:
    """Strip spaces, punctuation and quotes, but keep brackets that belong to the name."""
    label = part.strip(_STRIP_CHARS)
    # A name ending in a bracketed part (各县（市、区）, 市发改委（牵头）) keeps it when it
    # was balanced in the source.
    for open_, close in zip(_OPEN, _CLOSE, strict=True):
        if open_ in label and part.rstrip(_STRIP_CHARS.replace(close, "")).endswith(close):
            if label.count(open_) > label.count(close):
                label += close
    return label


@dataclass(frozen=True)
class UnitMention:
    label: str
    etc: bool  # the list was marked open-ended with a trailing 等 after this unit


def split_units(cell: str) -> list[UnitMention]:
    """Agency labels in table order; a trailing 等 is stripped and recorded.

    Separators inside brackets do not split: 各县（市、区）人民政府 is one unit.

    Empty cells give an empty list (a task without supporting units is legal).
    """
    mentions: list[UnitMention] = []
    for part in split_top_level(_PLACEHOLDER_RE.sub("", cell or "")):
        label = _strip_label(part)
        etc = False
        stripped = _ETC_RE.sub("", label)
        if stripped != label and stripped:
            label, etc = _strip_label(stripped), True
        if label:
            mentions.append(UnitMention(label, etc))
    return mentions
