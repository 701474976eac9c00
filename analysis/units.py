"""Split a cell of responsible units into agency labels."""

from __future__ import annotations

import operator
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, compress, repeat
from operator import methodcaller
from typing import NamedTuple

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


# Only CJK ideographs and 、 (neither a separator other than 、, a bracket, a space, a quote
# nor a character stripped from a label): see the fast path of split_units.
_PLAIN_CELL_RE = re.compile("[\u4e00-\u9fff、]*")


@dataclass(frozen=True)
class UnitMention:
    label: str
    etc: bool  # the list was marked open-ended with a trailing 等 after this unit


def plain_labels(cell: str) -> list[str] | None:
    """The labels of the common cell, Chinese names joined by 、 (none open-ended by 等), or None
    for any other cell: `split_units` of it is these labels, each with ``etc`` False."""
    if cell and _PLAIN_CELL_RE.fullmatch(cell) and "等" not in cell and "牵头" not in cell:
        # No brackets, notes, spaces, 等, 各X heads or punctuation to strip, so the steps of
        # split_units give exactly the parts.
        parts = cell.split("、")
        if "各" not in cell or not any(len(part) == 2 and part[0] == "各" for part in parts):
            return [part for part in parts if part]
    return None


_NOT_PLAIN_RE = re.compile("[^\u4e00-\u9fff、\n]+")
_LEAD_WORD_RE = re.compile("牵头")
_NO_ETC: tuple[bool, ...] = ()


class UnitRuns(NamedTuple):
    """The labels of the cells `unit_runs_of` reads, as runs of one flat list: the cell
    ``cells[k]`` holds the ``counts[k]`` labels of `labels` from ``sum(counts[:k])``."""

    cells: list[int]  # the indices of the cells read, in the order of their runs
    counts: list[int]  # per cell read: its number of labels
    labels: list[str]  # the labels of the cells read, run after run
    etc: list[int]  # the positions in `labels` of the labels the list is open-ended after (等)

    def add(self, index: int, labels: Sequence[str], etc: Sequence[bool]) -> None:
        """Append the run of the cell ``cells[index]``: its labels, and their 等 flags (empty: none)."""
        self.etc.extend(position for position, mark in enumerate(etc, start=len(self.labels)) if mark)
        self.cells.append(index)
        self.counts.append(len(labels))
        self.labels.extend(labels)


def unit_lists_of(cells: Sequence[str]) -> list[tuple[list[str], tuple[bool, ...]] | None]:
    """`split_units` of each cell written as a list of Chinese names joined by 、 (CJK ideographs
    and 、 only, no 牵头, no 各X collective head), as its labels and their ``etc`` flags (``()`` when
    none is open-ended): ``split_units(cell) == [UnitMention(l, e) for l, e in zip(labels, etc
    or [False] * len(labels))]``. None for any other cell (and an empty one).

    `unit_runs_of` cut into one list per cell (the import reads the runs themselves).
    """
    runs = unit_runs_of(cells)
    marked = set(runs.etc)
    result: list[tuple[list[str], tuple[bool, ...]] | None] = [None] * len(cells)
    start = 0
    for index, count in zip(runs.cells, runs.counts, strict=True):
        etc = tuple(position in marked for position in range(start, start + count))
        result[index] = (runs.labels[start:start + count], etc if any(etc) else _NO_ETC)
        start += count
    return result


# A 各X part (各市 in 各市、县): split_units may merge it with the parts after it. (In cells joined
# by line breaks: a part is bounded by 、, a line break or the string's ends.) The pattern starts
# with 各 itself, so the engine skips from 各 to 各 (a lookbehind first: it tries every position).
_COLLECTIVE_PART_RE = re.compile("各(?<![^、\n]各)[^、\n](?![^、\n])")
# A 、 with an empty part before or after it (、、, a leading or trailing 、), in cells joined by line breaks.
_EMPTY_PART_RE = re.compile("、(?:(?<![^、\n]、)|(?![^、\n]))")


def unit_runs_of(cells: Sequence[str]) -> UnitRuns:
    """`unit_lists_of` of the cells as runs of one flat list of labels: the cells it reads (not
    None), with their labels run after run and the positions of the labels marked open-ended.
    The runs are those of the cells of Chinese names without an empty part, in table order, then
    those of the few others (、、), in table order.

    Read from the cells joined: a scan for each kind of cell not read (牵头, a character other than
    、 and CJK ideographs, a 各X part) where it occurs at all, and one split at 、 for all of them,
    not a regex, a list or a tuple per cell. Only a label with 等 is read on its own (等 / 等单位 /
    等有关部门 at its end marks the list open-ended, as in `split_units`), and a cell with an empty
    part (`_unit_list`).
    """
    joined = "\n".join(cells)
    if not cells or joined.count("\n") != len(cells) - 1:  # a cell with a line break: read each alone
        return _runs_of(enumerate(map(_unit_list, cells)))
    listed = list(map(bool, cells))  # (an empty cell is not read)
    scans = []  # the cells not read: 牵头, a character other than 、 and CJK ideographs, a 各X part
    if "牵头" in joined:
        scans.append(_LEAD_WORD_RE.finditer(joined))
    if _NOT_PLAIN_RE.search(joined):
        scans.append(_NOT_PLAIN_RE.finditer(joined))
    if "各" in joined:
        scans.append(_COLLECTIVE_PART_RE.finditer(joined))
    empty_part = "、、" in joined or "\n、" in joined or "、\n" in joined or joined.startswith("、") or joined.endswith("、")
    alone: list[int] = []  # the cells read, but one at a time: an empty part
    if scans or empty_part:
        ends = list(accumulate(map(operator.add, map(len, cells), repeat(1))))  # the offset past each cell's \n
        for match in chain.from_iterable(scans):
            listed[bisect_right(ends, match.start())] = False
        if empty_part:
            alone = sorted({bisect_right(ends, match.start()) for match in _EMPTY_PART_RE.finditer(joined)})
            alone = [index for index in alone if listed[index]]
            for index in alone:
                listed[index] = False
    # Each listed cell's labels, from one split of them all (no empty part: every part is a label).
    read = list(compress(range(len(cells)), listed))
    written = list(compress(cells, listed))
    labels = "、".join(written).split("、") if written else []
    counts = list(map(operator.add, map(methodcaller("count", "、"), written), repeat(1)))
    etc: list[int] = []
    if "等" in joined:  # a label ending in 等 (…): the mark stripped, the list open-ended after it
        for position in compress(range(len(labels)), map(operator.contains, labels, repeat("等"))):
            stripped = _ETC_RE.sub("", labels[position])
            if stripped != labels[position] and stripped:
                labels[position] = stripped
                etc.append(position)
    return _runs_of(zip(alone, map(_unit_list, map(cells.__getitem__, alone)), strict=True),
                    UnitRuns(read, counts, labels, etc))


def _runs_of(entries: Iterable[tuple[int, tuple[list[str], tuple[bool, ...]] | None]],
             runs: UnitRuns | None = None) -> UnitRuns:
    """`runs` (none: empty) with the runs of cells read one at a time after them: (index,
    `_unit_list` of the cell) in order; None is not read."""
    if runs is None:
        runs = UnitRuns([], [], [], [])
    for index, entry in entries:
        if entry is not None:
            runs.add(index, *entry)
    return runs


def _unit_list(cell: str) -> tuple[list[str], tuple[bool, ...]] | None:
    """`unit_lists_of` of one cell."""
    if not cell or "牵头" in cell or not _PLAIN_CELL_RE.fullmatch(cell):
        return None
    labels = cell.split("、")
    if "各" in cell and any(len(part) == 2 and part[0] == "各" for part in labels):
        return None
    if "等" in cell:
        return _open_ended(labels)
    return [part for part in labels if part], _NO_ETC


def _open_ended(parts: list[str]) -> tuple[list[str], tuple[bool, ...]]:
    """The labels of a list's parts (CJK ideographs only) with 等 marks read as `split_units` does."""
    labels: list[str] = []
    etc: list[bool] = []
    for part in parts:
        mark = False
        if "等" in part:
            stripped = _ETC_RE.sub("", part)
            if stripped != part and stripped:
                part, mark = stripped, True
        if part:
            labels.append(part)
            etc.append(mark)
    return labels, tuple(etc) if any(etc) else _NO_ETC


def split_units(cell: str) -> list[UnitMention]:
    """Agency labels in table order; a trailing 等 is stripped and recorded.

    Separators inside brackets do not split: 各县（市、区）人民政府 is one unit.

    Empty cells give an empty list (a task without supporting units is legal).
    """
    labels = plain_labels(cell)
    if labels is not None:
        return [UnitMention(label, False) for label in labels]
    mentions: list[UnitMention] = []
    cell, _ = strip_blanket_notes(_PLACEHOLDER_RE.sub("", cell or ""))
    parts = [piece for part in _merge_collectives(split_top_level(cell)) for piece in _split_spaces(part)]
    for part in parts:
        label = _strip_label(part)
        etc = False
        stripped = _ETC_RE.sub("", label)
        if stripped != label and stripped:
            label, etc = _strip_label(stripped), True
        if label:
            mentions.append(UnitMention(label, etc))
    return mentions


# ------------------------------------------------------------------ cells as written

# 各县、市、区政府: a collective designation whose parts are joined by 、 stays whole.
_COLLECTIVE_HEAD_RE = re.compile(r"^各[省市县区州旗盟镇乡村]$|^各[省市县区州](?:[（(].*[）)])?$")
_ADMIN_PART_RE = re.compile(r"^[省市县区州旗盟镇乡村](?:人民)?(?:政府|管委会|党委|委)?$")
# Blanket notes written once in a cell or a header: they say who leads, they name nobody.
BLANKET_LEAD_RE = re.compile(
    r"[（(]?\s*(?:除[^，,；;（）()]{1,20}外\s*[，,]?\s*)?"  # (除标注“分别牵头”外,列第一位为牵头或汇总单位,下同)
    r"(?:第一责任单位|首位(?:单位|责任单位)?|排在?第一位的?(?:单位)?|排名第一的?(?:单位)?|列第一位(?:的|者)?(?:单位|责任单位)?|第一个单位)"
    r"\s*为\s*牵头(?:或汇总)?(?:单位|部门)?\s*[，,；;]?\s*(?:下同)?\s*[。.]?\s*[）)]?"
)
_PERSON_PART_RE = re.compile(r"^[\u4e00-\u9fff](?:\s+[\u4e00-\u9fff]){1,3}$")
_UNIT_LIKE_RE = re.compile(
    r"(?:厅|局|委|办|部|院|会|中心|集团|公司|政府|单位|部门|街道|镇|乡|所|站|队|馆|联|处|室|行|署|区|县|市|各[^\s]*)$"
)


def strip_blanket_notes(cell: str) -> tuple[str, bool]:
    """A cell without its blanket note ((第一责任单位为牵头单位，下同)), and whether it had one."""
    stripped = BLANKET_LEAD_RE.sub("", cell)
    return stripped, stripped != cell


def _merge_collectives(parts: list[str]) -> list[str]:
    merged: list[str] = []
    for part in parts:
        label = part.strip()
        if merged and _ADMIN_PART_RE.match(label) and _COLLECTIVE_HEAD_RE.match(merged[-1].split("、")[0].strip()):
            merged[-1] = merged[-1].strip() + "、" + label
        else:
            merged.append(part)
    return merged


def _split_spaces(part: str) -> list[str]:
    """Unit names written side by side with spaces (县水务局 县住建局) are two units; a name
    with a space inside (省 经信厅) stays one: every piece must read as a unit name."""
    pieces = part.split()
    if len(pieces) > 1 and all(len(p) >= 3 and _UNIT_LIKE_RE.search(p) for p in pieces):
        return pieces
    return [part]


def split_leaders(cell: str) -> list[str]:
    """Persons in a leader cell, padded names joined (俞 悦 → 俞悦)."""
    names: list[str] = []
    for part in re.split(r"[、，,；;\n/／|]+", cell or ""):
        part = part.strip(_STRIP_CHARS)
        if not part:
            continue
        if _PERSON_PART_RE.match(part):
            names.append(re.sub(r"\s+", "", part))
        else:
            names.extend(p for p in part.split() if p)
    return names


def normalise_person(name: str) -> str:
    """A person's name without the spaces that pad it for alignment (王 健 → 王健)."""
    name = name.strip()
    return re.sub(r"\s+", "", name) if _PERSON_PART_RE.match(name) else name


# Sentence forms of a unit cell: X牵头，Y配合 / 由X负责 / X、Y按职责分工负责.
_LEAD_SUPPORT_RE = re.compile(
    r"^(?:由)?(?P<lead>.+?)(?:牵头(?:负责)?|负总责)[，,；;、]?\s*(?:会同)?(?P<support>.*?)"
    r"(?:配合|参与|协助|协同|按职责(?:分工)?(?:负责|落实)?|分工负责|负责落实|共同负责|负责)?[。.]?$"
)
_RESPONSIBLE_RE = re.compile(
    r"^(?:由)?(?P<units>.+?)(?:按职责(?:分工)?(?:负责|落实)|分别负责|共同负责|负责落实|负责)[。.]?$"
)


# Words every blanket note (BLANKET_LEAD_RE: …为牵头单位) and every unit sentence (_LEAD_SUPPORT_RE:
# 牵头 or 负总责; _RESPONSIBLE_RE: 负责 or 落实) holds one of.
_SENTENCE_WORDS = ("牵头", "负", "落实")


def lead_cell(cell: str) -> tuple[str, tuple[str, str] | None]:
    """A lead cell without its blanket note (`strip_blanket_notes`), and `read_unit_sentence` of
    that; a cell without any of the words a note or a sentence holds (most cells: a list of
    names) is neither, and is not searched for them."""
    if not any(map(cell.__contains__, _SENTENCE_WORDS)):
        return cell, None
    stripped, _ = strip_blanket_notes(cell)
    return stripped, read_unit_sentence(stripped)


def read_unit_sentence(cell: str) -> tuple[str, str] | None:
    """(lead, support) of a unit cell written as a sentence, or None for a plain list.

    省发展改革委牵头，各地、各部门配合 → (省发展改革委, 各地、各部门); 由市财政局负责 →
    (市财政局, ""); X、Y按职责分工负责 → (X、Y, "") (a list whose first unit leads).
    """
    text = (cell or "").strip()
    if not text or len(text) > 300:
        return None
    match = _LEAD_SUPPORT_RE.match(text)
    if match and match.group("lead").strip():
        return match.group("lead").strip(" ，,"), match.group("support").strip(" ，,；;")
    match = _RESPONSIBLE_RE.match(text)
    if match and match.group("units").strip():
        return match.group("units").strip(" ，,"), ""
    return None
