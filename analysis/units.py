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


@dataclass(frozen=True)
class UnitMention:
    label: str
    etc: bool  # the list was marked open-ended with a trailing 等 after this unit


def split_units(cell: str) -> list[UnitMention]:
    """Agency labels in table order; a trailing 等 is stripped and recorded.

    Empty cells give an empty list (a task without supporting units is legal).
    """
    mentions: list[UnitMention] = []
    for part in _SPLIT_RE.split(cell or ""):
        label = part.strip(_STRIP_CHARS)
        etc = False
        stripped = _ETC_RE.sub("", label)
        if stripped != label and stripped:
            label, etc = stripped.strip(_STRIP_CHARS), True
        if label:
            mentions.append(UnitMention(label, etc))
    return mentions
