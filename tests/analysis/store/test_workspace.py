"""The workspace on SQLite and PostgreSQL: plans, versions, source bytes, progress reports."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import text

from analysis.findings import PlanImportError
from analysis.model import plan_from_bytes
from analysis.progress import REPORT_COLUMNS, RagRule
from analysis.store import (
    ConcurrentReportError,
    PlanNotFoundError,
    ReportInput,
    ReportValidationError,
    WorkspaceError,
    open_workspace,
)
from analysis.vocab import PeriodKind, ProgressStatus, Rag
from tests.accounts import add_staff
from tests.analysis.plan_edits import NEW_TASK_7, edit, seed_text, version_two
from tests.conftest import independent_rows


def _count(ws, table: str) -> int:
    with ws.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_new_workspace_holds_the_bundled_plan_once(db_url, seed_bytes):
    with open_workspace(db_url) as ws:
        add_staff(ws)
        plans = ws.list_plans()
        assert [(p.plan_id, p.version, p.tasks) for p in plans] == [(1, 1, len(independent_rows()))]
        assert plans[0].title == "浙江省加快5G发展行动计划（2020-2022年）" and plans[0].region == "浙江省"
        assert ws.plan_source(1) == (seed_bytes, "tasks.txt")
        plan = ws.load_plan(1)
        assert list(plan.tasks["text"]) == [r["text"] for r in independent_rows()]
        ws.remove_plan(1, actor="王伟")
    # Seeded on first creation only: opening again neither re-seeds nor duplicates.
    with open_workspace(db_url) as ws:
        assert ws.list_plans() == []


def test_source_bytes_round_trip_byte_for_byte(empty_workspace):
    # The same table as GB18030 with a byte order of its own (CRLF lines, trailing blanks).
    gb = (seed_text().replace("\n", "\r\n") + "  \r\n\r\n").encode("gb18030")
    bom = b"\xef\xbb\xbf" + seed_text().encode("utf-8")
    for data, name in ((gb, "tasks-gb.txt"), (bom, "tasks-bom.txt")):
        info = empty_workspace.add_plan(data, name, actor="tester")
        kept, file = empty_workspace.plan_source(info.plan_id)
        assert kept == data and file == name
        assert type(kept) is bytes
        assert info.content_hash == plan_from_bytes(data, name).content_hash
        assert list(empty_workspace.load_plan(info.plan_id).tasks["text"]) == [r["text"] for r in independent_rows()]


def test_add_list_remove(empty_workspace, seed_bytes):
    ws = empty_workspace
    first = ws.add_plan(seed_bytes, "tasks.txt", actor="王伟")
    small = edit(seed_text(), drop=tuple(str(i) for i in range(11, 36))).encode()
    second = ws.add_plan(small, "small.txt", actor="李娜", title="小方案")
    assert (first.plan_id, first.version, first.tasks, first.created_by) == (1, 1, 35, "王伟")
    assert (second.version, second.tasks, second.title) == (1, 10, "小方案")
    assert [(p.plan_id, p.tasks) for p in ws.list_plans()] == [(first.plan_id, 35), (second.plan_id, 10)]
    ws.report_progress(first.plan_id, "1", "in_progress", expected_previous=None, actor="王伟")
    ws.remove_plan(first.plan_id, actor="王伟")
    assert [p.plan_id for p in ws.list_plans()] == [second.plan_id]
    assert _count(ws, "progress_reports") == 0 and _count(ws, "plan_versions") == 1  # cascaded
    with pytest.raises(PlanNotFoundError):
        ws.remove_plan(first.plan_id, actor="王伟")
    with pytest.raises(PlanNotFoundError):
        ws.load_plan(first.plan_id)
    with pytest.raises(PlanNotFoundError, match="no version 2"):
        ws.load_plan(second.plan_id, 2)
    with pytest.raises(WorkspaceError, match="actor"):
        ws.add_plan(seed_bytes, "tasks.txt", actor="  ")


def test_an_unreadable_file_adds_nothing(empty_workspace):
    with pytest.raises(PlanImportError):
        empty_workspace.add_plan(b"\x00\x01 not a table", "junk.xlsx", actor="tester")
    assert empty_workspace.list_plans() == []


def test_versions_diff_and_progress_carry_over(workspace):
    ws = workspace
    saved = {}
    for task in ("3", "4", "7", "35"):
        saved[task] = ws.report_progress(1, task, "in_progress", percent=50, expected_previous=None, actor="王伟",
                                         as_of=dt.date(2020, 9, 1))
    info = ws.add_version(1, version_two(seed_text()).encode(), "tasks-v2.txt", actor="李娜")
    assert (info.plan_id, info.version, info.tasks, info.created_by) == (1, 2, 35, "李娜")
    diff = info.diff
    assert diff is not None
    assert set(diff.added) == {"7", "36"} and set(diff.removed) == {"7", "35"}
    assert [r.task_id for r in diff.reworded] == ["3"]
    assert [c.task_id for c in diff.lead_changed] == ["4"]
    assert [c.task_id for c in diff.deadline_changed] == ["3"]
    assert ws.diff(1, 1, 2) == diff
    assert [v.version for v in ws.versions(1)] == [1, 2]
    assert ws.load_plan(1).tasks.set_index("task_id").loc["7", "text"] == NEW_TASK_7
    assert ws.load_plan(1, 1).tasks.set_index("task_id").loc["7", "text"] != NEW_TASK_7

    latest = ws.latest_reports(1)
    assert list(latest["task_id"]) == ["3", "4"]  # 7 is another task now, 35 is gone
    assert list(latest["report_id"]) == [saved["3"].report_id, saved["4"].report_id]
    assert ws.current_report(1, "7") is None
    # The old report on 7 stays in the history; the new task 7 starts afresh.
    fresh = ws.report_progress(1, "7", "not_started", expected_previous=None, actor="李娜")
    history = ws.report_history(1, "7")
    assert list(history["report_id"]) == [saved["7"].report_id, fresh.report_id]
    assert list(history["version"]) == [1, 2]
    with pytest.raises(ReportValidationError, match="no such task"):
        ws.report_progress(1, "35", "done", expected_previous=saved["35"].report_id, actor="王伟")

    # Version 3 rewrites task 4 entirely: 3's report from version 1 still holds, 4's does not.
    v3 = edit(version_two(seed_text()), replace={"4": {1: "推动全省数据中心绿色化改造，降低能耗水平。"}})
    ws.add_version(1, v3.encode(), "tasks-v3.txt", actor="李娜")
    assert list(ws.latest_reports(1)["task_id"]) == ["3", "7"]
    with pytest.raises(WorkspaceError, match="identical"):
        ws.add_version(1, v3.encode(), "again.txt", actor="李娜")
    assert [v.version for v in ws.versions(1)] == [1, 2, 3]


def test_reports_are_append_only_with_history(workspace):
    ws = workspace
    first = ws.report_progress(1, "1", "in_progress", percent=20, note="开始", actor="甲", expected_previous=None,
                               agency="省经信厅", as_of=dt.date(2020, 8, 31))
    second = ws.report_progress(1, "1", ProgressStatus.DELAYED, percent=30, evidence="会议纪要", actor="乙",
                                expected_previous=first.report_id, as_of=dt.date(2020, 9, 30))
    third = ws.report_progress(1, "1", "done", percent=100, actor="甲", expected_previous=second.report_id,
                               period="2020-Q3")
    history = ws.report_history(1, "1")
    assert list(history.columns) == REPORT_COLUMNS
    assert list(history["report_id"]) == [first.report_id, second.report_id, third.report_id]
    assert [None if pd.isna(v) else v for v in history["previous_report_id"]] == [None, first.report_id,
                                                                                second.report_id]
    assert list(history["status"]) == ["in_progress", "delayed", "done"]
    assert list(history["period"]) == ["2020-08", "2020-09", "2020-Q3"]
    assert list(history["reported_by"]) == ["甲", "乙", "甲"]
    assert history.iloc[0]["note"] == "开始" and history.iloc[1]["evidence"] == "会议纪要"
    assert history.iloc[0]["agency"] == "省经信厅"
    assert all(t.tzinfo is not None for t in history["reported_at"])
    latest = ws.latest_reports(1)
    assert list(latest["report_id"]) == [third.report_id]
    # As of a date: the latest report dated on or before it.
    assert list(ws.latest_reports(1, as_of=dt.date(2020, 9, 1))["report_id"]) == [first.report_id]
    assert ws.latest_reports(1, as_of=dt.date(2020, 8, 1)).empty
    assert _count(ws, "progress_reports") == 3


def test_second_writer_is_told_and_nothing_is_overwritten(workspace):
    ws = workspace
    seen_by_a = seen_by_b = ws.current_report(1, "2")
    assert seen_by_a is None
    a = ws.report_progress(1, "2", "in_progress", percent=40, actor="甲", expected_previous=seen_by_a)
    with pytest.raises(ConcurrentReportError) as refused:
        ws.report_progress(1, "2", "done", percent=100, actor="乙", expected_previous=seen_by_b)
    assert refused.value.current == a and refused.value.task_id == "2" and refused.value.expected is None
    assert "甲" in str(refused.value) and "| " in str(refused.value)
    assert list(ws.report_history(1, "2")["report_id"]) == [a.report_id]
    b = ws.report_progress(1, "2", "done", percent=100, actor="乙", expected_previous=refused.value.current.report_id)
    assert list(ws.report_history(1, "2")["report_id"]) == [a.report_id, b.report_id]
    with pytest.raises(ConcurrentReportError) as stale:
        ws.report_progress(1, "2", "delayed", actor="丙", expected_previous=a.report_id)
    assert stale.value.current == b


def test_import_is_all_or_nothing(workspace):
    ws = workspace
    existing = ws.report_progress(1, "5", "in_progress", actor="甲", expected_previous=None)
    good = [ReportInput(str(t), "in_progress", None, percent=10) for t in (1, 2, 3)]
    with pytest.raises(ConcurrentReportError):
        ws.import_reports(1, [*good, ReportInput("5", "done", None)], actor="乙")
    assert _count(ws, "progress_reports") == 1
    bad = [
        *good,
        ReportInput("999", "done", None),
        ReportInput("4", "finished", None),
        ReportInput("6", "done", None, percent=150),
        ReportInput("1", "done", None),
        ReportInput("8", "done", None, period="2020/09"),
    ]
    with pytest.raises(ReportValidationError) as error:
        ws.import_reports(1, bad, actor="乙")
    problems = [p.en for p in error.value.problems]
    assert problems == [
        "report 4 (task 999): no such task in the plan's current version",
        "report 5 (task 4): status 'finished' is not one of not_started, in_progress, done, delayed, suspended",
        "report 6 (task 6): percent 150 must be a whole number 0-100",
        "report 7 (task 1): the same task appears more than once in this import",
        "report 8 (task 8): period '2020/09' must be written like 2020-09 or 2020-Q3",
    ]
    assert "第 4 条（任务 999）" in error.value.problems[0].zh
    assert _count(ws, "progress_reports") == 1
    saved = ws.import_reports(1, [*good, ReportInput("5", "done", existing.report_id)], actor="乙")
    assert [r.task_id for r in saved] == ["1", "2", "3", "5"]
    assert _count(ws, "progress_reports") == 5


def test_rag_rule_per_plan_and_task_status(workspace):
    ws = workspace
    assert ws.rag_rule(1) == RagRule()
    ws.report_progress(1, "10", "suspended", actor="甲", expected_previous=None, as_of=dt.date(2020, 9, 1))
    ws.report_progress(1, "3", "in_progress", actor="甲", expected_previous=None, as_of=dt.date(2020, 9, 1))
    status = ws.task_status(1, dt.date(2020, 9, 15)).set_index("id")
    assert status.loc["10", "rag"] == "amber" and status.loc["3", "rag"] == "red"  # 3 was due 2020-08-31
    assert status.loc["1", "status"] == "not_started"
    rule = RagRule(due_window_days=10, period_kind=PeriodKind.QUARTER, suspended=Rag.RED)
    ws.set_rag_rule(1, rule, actor="王伟")
    assert ws.rag_rule(1) == rule
    assert ws.task_status(1, dt.date(2020, 9, 15)).set_index("id").loc["10", "rag"] == "red"
    # The period of new reports follows the plan's period kind.
    assert ws.report_progress(1, "4", "done", actor="甲", expected_previous=None,
                              as_of=dt.date(2020, 11, 2)).period == "2020-Q4"


# A table read differently with the user's mapping: 责任单位 confirmed as a lead column (every unit
# in it leads), where detected as a single responsible column its first unit leads, the others support.
MAPPED_CSV = "序号,项目,责任单位,备注\n1,新建幼儿园3所,县教育局、县财政局,\n2,改造老旧小区10个,县住建局,重点\n"
MAPPING = {"责任单位": "lead"}


def test_a_plan_imported_with_a_mapping_is_rebuilt_identically_from_its_bytes(empty_workspace):
    ws = empty_workspace
    data = MAPPED_CSV.encode()
    unmapped = plan_from_bytes(data, "mapped.csv")
    direct = plan_from_bytes(data, "mapped.csv", columns=MAPPING)
    info = ws.add_plan(data, "mapped.csv", actor="tester", columns=MAPPING)
    assert ws.plan_columns(info.plan_id) == MAPPING
    kept = ws.load_plan(info.plan_id, decided=False)
    assert kept.tasks["text"].tolist() == ["新建幼儿园3所", "改造老旧小区10个"]
    pd.testing.assert_frame_equal(kept.tasks, direct.tasks)
    pd.testing.assert_frame_equal(kept.assignments, direct.assignments)
    assert kept.meta.columns == direct.meta.columns
    roles = kept.assignments.set_index("agency")["role"].to_dict()
    assert roles["县财政局"] == "lead" and unmapped.assignments.set_index("agency")["role"]["县财政局"] == "support"

    # a new version with its own mapping; the old one keeps its own
    new = (MAPPED_CSV + "3,建设口袋公园5个,县住建局,\n").encode()
    second = ws.add_version(info.plan_id, new, "mapped-v2.csv", actor="tester", columns=MAPPING)
    assert second.diff is not None and second.diff.added == ("3",)
    assert len(ws.load_plan(info.plan_id).tasks) == 3
    assert len(ws.load_plan(info.plan_id, 1, decided=False).tasks) == 2
    assert ws.plan_columns(info.plan_id, 1) == MAPPING


def test_a_plan_without_a_mapping_stores_none(empty_workspace):
    info = empty_workspace.add_plan(seed_text().encode(), "tasks.txt", actor="tester")
    assert empty_workspace.plan_columns(info.plan_id) is None
