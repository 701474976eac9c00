"""Assignments made column by column (model._assign_all) are those of _assign_units task by task,
with the same texts and the same warnings in the same places of the report."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import model
from analysis.agencies import load_registry
from analysis.findings import ImportReport
from analysis.io.raw import RawRow
from analysis.model import plan_from_bytes

UNITS = [
    ("省经信厅", "省财政厅、省教育厅"),
    ("省发改委牵头，各地、各部门配合", ""),  # a sentence naming both roles
    ("由市财政局负责", ""),
    ("省经信厅、省财政厅按职责分工负责", ""),
    ("省经信厅", "省经信厅、省财政厅"),  # the lead repeated as support
    ("省经信厅、省经信厅", ""),  # named twice in the lead cell
    ("", "省财政厅"),  # no lead
    ("", ""),
    ("（第一责任单位为牵头单位，下同）省经信厅、省财政厅", ""),  # a blanket note
    ("省经信厅牵头", "省财政厅配合"),  # roles written with the units
    ("省经信厅", "省财政厅、省教育厅等"),
    ("省发展改革委", "省发改委"),  # an alias of the lead
    ("各市、县", "省财政厅"),
    ("省经信厅", "省财政厅、省教育厅"),
]


def _rows() -> list[RawRow]:
    return [RawRow(10 + n, str(n), f"任务{n}", lead, support) for n, (lead, support) in enumerate(UNITS, start=1)]


@pytest.mark.parametrize("single", [False, True])
def test_assignments_column_by_column_are_those_task_by_task(single):
    rows = _rows()
    if single:
        rows = [RawRow(r.source_row, r.number, r.text, r.lead, "") for r in rows]
    task_ids = [r.number for r in rows]
    registry = load_registry()

    by_task, report_by_task, texts_by_task = model._AssignmentColumns(), ImportReport(file="t.csv"), []
    units = model._UnitCells(registry)
    for task_id, row in zip(task_ids, rows, strict=True):
        report_by_task.add("info", "marker", task_id, task_id)  # the loop's other findings of the task
        texts_by_task.append(model._assign_units(task_id, row, units, single, by_task, report_by_task))

    report = ImportReport(file="t.csv")
    assigned = model._assign_all(task_ids, rows, model._UnitCells(registry), single, "t.csv")
    texts = []
    for index, task_id in enumerate(task_ids):
        report.add("info", "marker", task_id, task_id)
        texts.append(assigned.take(index, report))

    assert texts == texts_by_task
    assert report.findings == report_by_task.findings
    pd.testing.assert_frame_equal(assigned.assignments, by_task.frame(), check_exact=True)
    assert len(assigned.assignments) > len(rows)
    codes = {f.code for f in report.findings}
    assert {"empty_lead", "repeated_agency"} <= codes


def test_a_plan_keeps_each_task_warnings_in_row_order():
    text = (
        "序号,重点任务,牵头单位,配合单位\n"
        "1,,,省财政厅\n"  # empty text, then empty lead, at row 2
        "2,建设,省经信厅,省经信厅\n"  # the lead repeated, row 3
        "3,推进,省经信厅,省财政厅\n"
    )
    plan = plan_from_bytes(text.encode(), "t.csv")
    found = [(f.code, f.row) for f in plan.report.findings if f.code in {"empty_text", "empty_lead", "repeated_agency"}]
    assert found == [("empty_text", 2), ("empty_lead", 2), ("repeated_agency", 3)]
    assert plan.assignments[["task_id", "agency", "role", "position"]].values.tolist() == [
        ["1", "省财政厅", "support", 1],
        ["2", "省经信厅", "lead", 1],
        ["3", "省经信厅", "lead", 1],
        ["3", "省财政厅", "support", 1],
    ]
    assert plan.tasks["lead_text"].tolist() == ["", "省经信厅", "省经信厅"]


@pytest.mark.parametrize("cells", [[], [("", "")], [("", ""), ("", "")]])
def test_no_assignment_at_all_gives_the_empty_frame(cells):
    """No task, or tasks whose cells are all empty: the frame of no rows, as task by task."""
    rows = [RawRow(10 + n, str(n), "任务", lead, support) for n, (lead, support) in enumerate(cells, start=1)]
    assigned = model._assign_all([r.number for r in rows], rows, model._UnitCells(load_registry()), False, "t.csv")
    pd.testing.assert_frame_equal(assigned.assignments, model._AssignmentColumns().frame())
    assert list(assigned.assignments.columns) == model.ASSIGNMENT_COLUMNS


def test_cells_shared_by_tasks_are_numbered_in_each_task():
    """A cell written in many tasks, as lead in some and support in others, and tasks read
    alone between them: each task's rows are its own, in order, numbered from 1 in each cell."""
    cells = [("省经信厅、省财政厅", "省教育厅"), ("省教育厅", "省经信厅、省财政厅"), ("省经信厅牵头", "省财政厅配合"),
             ("省经信厅、省财政厅", "省教育厅"), ("", "省经信厅、省财政厅")]
    rows = [RawRow(10 + n, str(n), "任务", lead, support) for n, (lead, support) in enumerate(cells, start=1)]
    assigned = model._assign_all([r.number for r in rows], rows, model._UnitCells(load_registry()), False, "t.csv")
    got = assigned.assignments[["task_id", "agency", "role", "position"]].values.tolist()
    assert got == [
        ["1", "省经信厅", "lead", 1], ["1", "省财政厅", "lead", 2], ["1", "省教育厅", "support", 1],
        ["2", "省教育厅", "lead", 1], ["2", "省经信厅", "support", 1], ["2", "省财政厅", "support", 2],
        ["3", "省经信厅", "lead", 1], ["3", "省财政厅", "support", 1],
        ["4", "省经信厅", "lead", 1], ["4", "省财政厅", "lead", 2], ["4", "省教育厅", "support", 1],
        ["5", "省经信厅", "support", 1], ["5", "省财政厅", "support", 2],
    ]


def test_the_loop_visits_every_task_that_has_a_warning(monkeypatch):
    """`_tasks_to_check` leaves out only tasks the per-task loop has nothing to say of: the
    report and the deadlines are those of a loop over every task."""
    text = (
        "《某市行动计划（2021-2023年）》\n"
        "序号,重点任务,牵头单位,配合单位,完成时限\n"
        "1,2022年6月底前建成,省经信厅,省财政厅,\n"  # nothing to say
        "2,2025年底前建成,省经信厅,省财政厅,\n"  # outside the plan period
        "3,2022年2月30日前完成,省经信厅,,\n"  # a date that does not exist
        "4,,省经信厅,省财政厅,\n"  # empty text
        "5,2022年6月底前建成,省经信厅,省财政厅,2023年底前\n"  # a deadline column that differs
        "6,2019年建成，2022年6月底前完成,省经信厅,省经信厅,\n"  # one milestone outside, an agency twice
        "7,推进,,省财政厅,\n"  # no lead
        "8,2021年1月1日前完成,省经信厅,省财政厅,\n"  # on the period's first day
        "9,2023年12月31日前完成,省经信厅,省财政厅,长期\n"
    )
    visited = model.plan_from_bytes(text.encode(), "t.csv")
    monkeypatch.setattr(model, "_tasks_to_check", lambda rows, *_: range(len(rows)))
    every = model.plan_from_bytes(text.encode(), "t.csv")
    assert visited.report.findings == every.report.findings
    pd.testing.assert_frame_equal(visited.tasks, every.tasks)
    assert [(f.row, f.code) for f in visited.report.findings if f.level == "warning"] == [
        (4, "deadline_outside_period"), (5, "impossible_date"), (6, "empty_text"), (7, "deadline_conflict"),
        (8, "deadline_outside_period"), (8, "repeated_agency"), (9, "empty_lead"),
    ]  # rows of the file: the title and the header come first


@pytest.mark.parametrize("seed", range(4))
def test_random_cells_column_by_column_are_those_task_by_task(seed):
    """Random lead and support cells (aliases, names repeated within and across the two cells,
    roles written with the units, sentences, notes, collectives, 等): the same as task by task."""
    import random

    rng = random.Random(seed)
    words = ["省经信厅", "省财政厅", "省发改委", "省发展改革委", "各市", "县", "等", "牵头", "配合", "负责", "由",
             "按职责分工负责", "、", "、", "，", " ", "（", "）", "（第一责任单位为牵头单位，下同）", "各地、各部门"]

    def cell() -> str:
        return "".join(rng.choice(words) for _ in range(rng.choice([0, 1, 1, 2, 3, 3, 5])))

    rows = [RawRow(10 + n, str(n), "任务", cell(), cell()) for n in range(1, 201)]
    task_ids = [r.number for r in rows]
    registry = load_registry()
    by_task, report_by_task, texts_by_task = model._AssignmentColumns(), ImportReport(file="t.csv"), []
    units = model._UnitCells(registry)
    for task_id, row in zip(task_ids, rows, strict=True):
        texts_by_task.append(model._assign_units(task_id, row, units, False, by_task, report_by_task))
    report = ImportReport(file="t.csv")
    assigned = model._assign_all(task_ids, rows, model._UnitCells(registry), False, "t.csv")
    texts = [assigned.take(index, report) for index in range(len(rows))]
    assert texts == texts_by_task
    assert report.findings == report_by_task.findings
    pd.testing.assert_frame_equal(assigned.assignments, by_task.frame(), check_exact=True)
    assert {"empty_lead", "repeated_agency"} <= {f.code for f in report.findings}
