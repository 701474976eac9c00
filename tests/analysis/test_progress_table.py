"""Progress read from a plan table with a 完成情况 / 进展情况 column (analysis.progress_table)."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.progress_forms import export_form
from analysis.progress_table import infer_status, is_progress_form, read_progress_files, readings_frame
from analysis.vocab import ProgressStatus
from tests.analysis.progress_tables import progress_table, published_rows
from tests.conftest import independent_rows

TODAY = dt.date(2020, 9, 15)
S = ProgressStatus


@pytest.mark.parametrize(("text", "status", "percent", "unclear"), [
    ("已完成", S.DONE, None, False),
    ("完成", S.DONE, None, False),
    ("已完成。", S.DONE, None, False),
    ("已全部完成，验收合格", S.DONE, None, False),
    ("推进中", S.IN_PROGRESS, None, False),
    ("正在编制专项规划", S.IN_PROGRESS, None, False),
    ("已完成系统开发，正在试运行", S.IN_PROGRESS, None, False),  # work still going on beats 已完成
    ("未完成", S.IN_PROGRESS, None, False),  # 未完成 is not 完成
    ("基本完成", S.IN_PROGRESS, None, False),
    ("已完成60%", S.IN_PROGRESS, 60, False),
    ("未启动", S.NOT_STARTED, None, False),
    ("尚未启动，正在筹备", S.NOT_STARTED, None, False),
    ("进度滞后，资金未到位", S.DELAYED, None, False),
    ("部分已完成，部分滞后", S.DELAYED, None, False),
    ("因规划调整暂缓实施", S.SUSPENDED, None, False),
    ("完成年度目标的100%", S.DONE, 100, False),
    ("完成年度目标的 45 %", S.IN_PROGRESS, 45, False),
    ("Done", S.DONE, None, False),
    ("各市已对接", S.IN_PROGRESS, None, True),  # no cue: in progress, marked unclear
])
def test_status_read_from_the_text(text, status, percent, unclear):
    reading = infer_status(text)
    assert reading is not None
    assert (reading.status, reading.percent, reading.unclear) == (status, percent, unclear)
    assert reading.reason.zh and reading.reason.en


def test_an_empty_cell_reports_nothing():
    assert infer_status("") is None and infer_status(" \n ") is None


def read(bundled_plan, *files):
    return read_progress_files(list(files), bundled_plan, plan_id="1", version=1, as_of_default=TODAY)


def test_a_real_shaped_table_reads_as_reports_of_the_plans_tasks(bundled_plan):
    notes = {"1": "已完成系统开发，正在试运行", "2": "已完成", "3": "滞后：专项规划尚在征求意见",
             "4": "尚未启动", "5": "完成年度目标的60%", "6": "项目暂缓", "7": "各市已对接"}
    got = read(bundled_plan, ("进展台账.xlsx", progress_table(notes)))
    result = got.result
    assert result.ok, [e.text() for e in result.errors]
    by_task = {r.task_id: r for r in result.reports}
    assert {t: r.status.value for t, r in by_task.items()} == {
        "1": "in_progress", "2": "done", "3": "delayed", "4": "not_started", "5": "in_progress",
        "6": "suspended", "7": "in_progress"}
    assert by_task["5"].percent == 60 and by_task["3"].note == notes["3"]
    assert all(r.as_of == TODAY and r.file == "进展台账.xlsx" for r in result.reports)
    # the reporting agency is the task's first lead agency as the raw table gives it
    leads = {str(r["id"]): r["lead"][0] for r in independent_rows()}
    assert {t: r.agency for t, r in by_task.items()} == {t: leads[t] for t in by_task}
    # rows: the title is row 1, the header row 2, task n is row n + 2
    assert {t: r.row for t, r in by_task.items()} == {t: int(t) + 2 for t in by_task}
    assert result.skipped_count == len(published_rows()) - 1 - len(notes)
    assert [r.task_id for r in got.unclear] == ["7"]
    frame = readings_frame(got.readings, "en")
    assert frame.set_index("task_id").loc["7", "reason"] == "unclear: read as in progress"


@pytest.mark.parametrize("header", ["进展情况", "完成情况", "推进情况"])
def test_any_progress_header(bundled_plan, header):
    got = read(bundled_plan, ("t.xlsx", progress_table({"2": "已完成"}, header=header)))
    assert [(r.task_id, r.status) for r in got.result.reports] == [("2", S.DONE)]


def test_a_row_whose_text_is_no_task_of_the_plan_is_refused_by_row(bundled_plan):
    got = read(bundled_plan, ("t.xlsx", progress_table({"2": "已完成", "3": "推进中"}, edit={"3": "一项计划里没有的任务"})))
    error = next(iter(got.result.errors))
    assert (error.code, error.row, error.file) == ("unknown_task", 5, "t.xlsx")
    assert "第 3 项" in error.text("zh") and "item 3" in error.text("en")
    assert not got.result.ok and [r.task_id for r in got.result.reports] == ["2"]


def test_a_table_without_progress_column_is_refused(bundled_plan):
    got = read(bundled_plan, ("plan.xlsx", progress_table({}, header="备注")))
    assert [e.code for e in got.result.errors] == ["no_progress_column"]
    assert "进展情况" in got.result.errors[0].text("zh")


def test_an_unreadable_table_is_an_error_not_a_traceback(bundled_plan):
    got = read(bundled_plan, ("x.csv", "完全不是表格".encode()))
    assert [e.code for e in got.result.errors] == ["unreadable_table"]


def test_forms_and_tables_together(bundled_plan):
    form = export_form(bundled_plan, "省经信厅", None, plan_id="1", version=1)
    assert is_progress_form("f.xlsx", form)
    table = progress_table({"2": "已完成"})
    assert not is_progress_form("t.xlsx", table) and not is_progress_form("t.csv", b"a,b")
    assert is_progress_form("junk.xlsx", b"not a workbook")  # the forms' reader names the damage
    got = read(bundled_plan, ("f.xlsx", form), ("t.xlsx", table))
    assert got.result.ok and [r.task_id for r in got.result.reports] == ["2"]
    assert {f.file for f in got.result.forms} == {"f.xlsx", "t.xlsx"}
    twice = read(bundled_plan, ("a.xlsx", table), ("b.xlsx", table))
    assert [(e.code, e.file) for e in twice.result.errors] == [("duplicate_report", "b.xlsx")]
