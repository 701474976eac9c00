"""Unit cells read together (analysis.units.unit_lists_of, model._UnitCells.prepare) give what
split_units and the cell-by-cell resolution give."""

from __future__ import annotations

import random

import pytest

from analysis import model
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


def test_cells_prepared_together_resolve_as_one_by_one():
    units = model._UnitCells(load_registry())
    units.prepare(CELLS + CELLS)  # repeated cells, read once
    for cell in CELLS:
        assert units.resolved(cell) == _one_by_one(cell), cell
    twice = units.resolved("省发展改革委、省发改委")
    assert len(twice.agency_set) == 1 and not twice.plain  # an agency named twice: not the common case
    assert not units.resolved("省经信厅配合").plain  # a role mark: not the common case
    entry = units.resolved("省经信厅、省财政厅等")
    assert (entry.labels, entry.etc) == (("省经信厅", "省财政厅"), (False, True))
