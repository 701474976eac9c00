"""Unit cells read together (analysis.units.unit_lists_of, model._UnitCells.prepare) give what
split_units and the cell-by-cell resolution give."""

from __future__ import annotations

import random

import pytest

from analysis import model, units
from analysis.agencies import load_registry
from analysis.units import UnitMention, plain_labels, split_units, unit_lists_of

CELLS = [
    "省经信厅、省财政厅",
    "省经信厅、省财政厅等",  # open-ended: the last unit marked
    "省经信厅等、省财政厅",  # 等 inside the list
    "省经信厅、省财政厅等有关部门",
    "省经信厅、等",  # 等 alone stays a label
    "等",
    "、省经信厅、、省财政厅、",  # empty parts dropped
    "、",
    "各市、县",  # a collective: split_units merges it
    "各地、省经信厅",
    "省发改委牵头",  # a role written in the cell
    "省经信厅配合",  # a role mark at the end of a label: listed, marked in the model
    "省经信厅，省财政厅",  # another separator: split_units
    "各县（市、区）人民政府",
    "省经信厅\n省财政厅",  # a line break
    "Huawei、省经信厅",
    "",
    "省发展改革委、省发改委",  # the same agency twice (registry alias)
]


@pytest.mark.parametrize("with_line_break", [False, True])
def test_unit_lists_are_split_units_of_the_lists_of_names(with_line_break):
    cells = [c for c in CELLS if with_line_break or "\n" not in c]  # a line break: each cell alone
    lists = unit_lists_of(cells)
    assert len(lists) == len(cells)
    read = {cell: entry for cell, entry in zip(cells, lists, strict=True)}
    for cell, entry in read.items():
        if entry is None:
            continue
        labels, etc = entry
        assert [UnitMention(label, e) for label, e in zip(labels, etc or (False,) * len(labels), strict=True)] == (
            split_units(cell))
    listed = {cell for cell, entry in read.items() if entry is not None}
    assert {"省经信厅、省财政厅", "省经信厅、省财政厅等", "省经信厅等、省财政厅", "省经信厅、等", "等", "、",
            "省经信厅配合"} <= listed
    assert not listed & {"各市、县", "省发改委牵头", "省经信厅，省财政厅", "Huawei、省经信厅", "", "省经信厅\n省财政厅"}
    assert read["省经信厅、省财政厅等"] == (["省经信厅", "省财政厅"], (False, True))
    assert read["省经信厅、省财政厅"] == (["省经信厅", "省财政厅"], ())


def test_random_cells_read_together_are_read_as_one_by_one():
    rng = random.Random(5)
    words = ["省经信厅", "各市", "县", "等", "等单位", "牵头", "配合", "、", "、", "，", " ", "（", "）", "a", "\n", "各"]
    for _ in range(300):
        cells = ["".join(rng.choice(words) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(0, 8))]
        for cell, entry in zip(cells, unit_lists_of(cells), strict=True):
            if entry is not None:
                labels, etc = entry
                assert [UnitMention(x, e) for x, e in zip(labels, etc or (False,) * len(labels), strict=True)] == (
                    split_units(cell))
                if "等" not in cell:
                    assert labels == plain_labels(cell)


def _one_by_one(cell: str) -> model._ResolvedCell:
    return model._UnitCells(load_registry()).resolved(cell)


def _column_cell(column: model._CellColumn, index: int) -> tuple[object, ...]:
    """Cell `index` of a column as `resolved` gives its mentions: agencies, labels, etc, joined."""
    run = slice(int(column.start[index]), int(column.start[index] + column.size[index]))
    return tuple(column.agency[run]), tuple(column.label[run]), tuple(column.etc[run]), column.joined[index]


def test_cells_read_as_a_column_resolve_as_one_by_one():
    units = model._UnitCells(load_registry())
    column = units.column(CELLS)
    assert len(column.start) == len(column.size) == len(column.odd) == len(column.joined) == len(CELLS)
    assert len(column.agency) == len(column.label) == len(column.etc) == len(column.codes) == int(column.size.sum())
    for index, cell in enumerate(CELLS):
        alone = _one_by_one(cell)
        assert _column_cell(column, index) == (alone.agencies, alone.labels, alone.etc, alone.joined), cell
        # A cell that is not plain by its marks alone is odd; an agency named twice is found per task.
        if column.odd[index]:
            assert not alone.plain, cell
        elif not alone.plain:
            assert len(alone.agency_set) < len(alone.agencies), cell
    # Equal agencies have equal codes, different ones different codes.
    pairs = set(zip(column.agency, column.codes.tolist(), strict=True))
    assert len(pairs) == len({agency for agency, _ in pairs}) == len({code for _, code in pairs})
    # Each label by its code, each distinct label with a code of its own.
    assert [column.labels[code] for code in column.label_codes.tolist()] == column.label
    assert len(set(column.labels)) == len(column.labels) == len(set(column.label))
    index = CELLS.index("省发展改革委、省发改委")
    run = column.codes[int(column.start[index]):int(column.start[index] + column.size[index])]
    assert len(run) == 2 and run[0] == run[1]  # an alias: the same agency twice
    assert column.odd[CELLS.index("省经信厅配合")]  # a role mark: never the common case
    assert column.odd[CELLS.index("省发改委牵头")]
    assert not column.odd[CELLS.index("省经信厅、省财政厅等")]
    assert _column_cell(column, CELLS.index("省经信厅、省财政厅等"))[1:3] == (("省经信厅", "省财政厅"), (False, True))


def test_random_cells_read_as_a_column_resolve_as_one_by_one():
    rng = random.Random(11)
    words = ["省经信厅", "省发改委", "省发展改革委", "各市", "县", "等", "等单位", "牵头", "配合", "按职责分工负责",
             "、", "、", "，", " ", "（", "）", "a", "各", "（第一责任单位为牵头单位，下同）"]
    for _ in range(300):
        cells = list(dict.fromkeys(
            "".join(rng.choice(words) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(1, 8))
        ))
        column = model._UnitCells(load_registry()).column(cells)
        for index, cell in enumerate(cells):
            alone = _one_by_one(cell)
            assert _column_cell(column, index) == (alone.agencies, alone.labels, alone.etc, alone.joined), cell
            assert not column.odd[index] or not alone.plain, cell


def test_unit_runs_are_each_cell_read_alone():
    """`unit_runs_of` (cells joined: scans for the cells not read, one split) reads every cell as
    `_unit_list` reads it alone: its runs in table order, the cells with an empty part after them."""
    rng = random.Random(13)
    words = ["省经信厅", "市", "各市", "各", "县", "各县区", "等", "等单位", "牵头", "配合", "、", "、", "、", "，", "a", "（"]
    for _ in range(400):
        cells = ["".join(rng.choice(words) for _ in range(rng.randint(0, 5))) for _ in range(rng.randint(0, 30))]
        runs = units.unit_runs_of(cells)
        alone = [(index, entry) for index, entry in enumerate(map(units._unit_list, cells)) if entry is not None]
        with_empty_part = [index for index, _ in alone if "" in cells[index].split("、")]
        assert runs.cells == [i for i, _ in alone if i not in with_empty_part] + with_empty_part
        start = 0
        for index, count in zip(runs.cells, runs.counts, strict=True):
            labels, etc = dict(alone)[index]
            assert runs.labels[start:start + count] == labels, cells[index]
            assert [p - start for p in runs.etc if start <= p < start + count] == [
                p for p, mark in enumerate(etc) if mark], cells[index]
            start += count
        assert start == len(runs.labels)


def _lead_cell_reference(cell: str) -> tuple[str, tuple[str, str] | None]:
    stripped, _ = units.strip_blanket_notes(cell)
    return stripped, units.read_unit_sentence(stripped)


def test_lead_cells_are_read_as_notes_and_sentences_are():
    """`lead_cell` skips the note and sentence patterns for a cell without their words: it gives
    what stripping the note and reading the sentence give, on fixed and random cells."""
    fixed = ["省经信厅、省财政厅", "省发改委牵头，各地、各部门配合", "由市财政局负责", "省经信厅、省财政厅按职责分工负责",
             "（第一责任单位为牵头单位，下同）省经信厅、省财政厅", "省经信厅负总责", "各地按职责落实", "", "省经信厅牵头"]
    rng = random.Random(17)
    words = ["省经信厅", "省财政厅", "、", "，", "牵头", "牵", "头", "负责", "负", "总", "责", "落实", "落", "实", "由",
             "按职责", "分工", "为", "（第一责任单位为牵头单位，下同）", "配合", "会同", " "]
    cells = fixed + ["".join(rng.choice(words) for _ in range(rng.randint(0, 6))) for _ in range(3000)]
    for cell in cells:
        assert units.lead_cell(cell) == _lead_cell_reference(cell), cell
    assert units.lead_cell("省发改委牵头，各地、各部门配合")[1] == ("省发改委", "各地、各部门")
