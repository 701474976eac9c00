"""``import_reports(..., repeats=True)``: one task reported by several agencies in one batch."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.store import ConcurrentReportError, ReportInput, ReportValidationError
from tests.analysis.store.test_workspace import _count

DAY = dt.date(2020, 9, 10)


def test_a_task_reported_twice_in_one_batch_is_chained(workspace):
    ws = workspace
    first = ws.report_progress(1, "1", "in_progress", actor="甲", expected_previous=None, as_of=DAY)
    batch = [
        ReportInput("1", "delayed", first.report_id, agency="省通管局", as_of=DAY),
        ReportInput("2", "in_progress", None, agency="省建设厅", as_of=DAY),
        ReportInput("1", "done", first.report_id, percent=100, agency="省经信厅", as_of=DAY),
    ]
    with pytest.raises(ReportValidationError, match="more than once"):
        ws.import_reports(1, batch, actor="乙")  # without repeats: refused, as before
    saved = ws.import_reports(1, batch, actor="乙", repeats=True)
    assert [(r.task_id, r.status) for r in saved] == [("1", "delayed"), ("2", "in_progress"), ("1", "done")]
    assert saved[0].previous_report_id == first.report_id and saved[2].previous_report_id == saved[0].report_id
    history = ws.report_history(1, "1")
    assert history["status"].tolist() == ["in_progress", "delayed", "done"]
    assert history["report_id"].tolist() == [first.report_id, saved[0].report_id, saved[2].report_id]
    latest = ws.latest_reports(1).set_index("task_id")
    assert latest.loc["1", "status"] == "done" and latest.loc["1", "agency"] == "省经信厅"
    assert ws.current_report(1, "1").report_id == saved[2].report_id


def test_every_report_of_a_repeated_task_names_the_state_the_batch_was_read_in(workspace):
    ws = workspace
    first = ws.report_progress(1, "1", "in_progress", actor="甲", expected_previous=None, as_of=DAY)
    before = _count(ws, "progress_reports")
    batch = [
        ReportInput("1", "delayed", first.report_id, as_of=DAY),
        ReportInput("1", "done", None, as_of=DAY),  # read before the first report: stale
    ]
    with pytest.raises(ConcurrentReportError) as error:
        ws.import_reports(1, batch, actor="乙", repeats=True)
    assert error.value.current is not None and error.value.current.report_id == first.report_id
    assert _count(ws, "progress_reports") == before
