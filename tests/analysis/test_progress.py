"""analysis.progress: the red/amber/green rule, checked against expectations written by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.progress import (
    REPORT_COLUMNS,
    STATUS_COLUMNS,
    RagRule,
    period_contains,
    period_of,
    task_rag,
)
from analysis.vocab import Bilingual, PeriodKind, Rag

REF = dt.date(2020, 9, 15)  # reference date; the window is 30 days → due soon up to 2020-10-15

# (task, deadline, reported status or None, period of the report, expected status, rag, reason)
CASES = [
    ("done_late", "2020-08-31", "done", "2020-09", "done", "green", "done"),
    ("delayed_far", "2022-12-31", "delayed", "2020-09", "delayed", "red", "delayed"),
    ("overdue", "2020-08-31", "in_progress", "2020-09", "in_progress", "red", "overdue"),
    ("overdue_yesterday", "2020-09-14", "in_progress", "2020-09", "in_progress", "red", "overdue"),
    ("due_today", "2020-09-15", "in_progress", "2020-09", "in_progress", "amber", "due_soon"),
    ("due_in_30", "2020-10-15", "in_progress", "2020-09", "in_progress", "amber", "due_soon"),
    ("due_in_31", "2020-10-16", "in_progress", "2020-09", "in_progress", "green", "on_track"),
    ("never_reported", "2022-12-31", None, None, "not_started", "amber", "no_current_report"),
    ("never_reported_overdue", "2020-06-30", None, None, "not_started", "red", "overdue"),
    ("last_month", "2022-12-31", "in_progress", "2020-08", "in_progress", "amber", "no_current_report"),
    ("suspended_overdue", "2020-06-30", "suspended", "2020-09", "suspended", "amber", "suspended"),
    ("suspended_far", "2022-12-31", "suspended", "2020-07", "suspended", "amber", "suspended"),
    ("not_started_reported", "2022-12-31", "not_started", "2020-09", "not_started", "green", "on_track"),
]


def _inputs(cases=CASES):
    tasks = pd.DataFrame({
        "task_id": [c[0] for c in cases],
        "deadline": pd.to_datetime([c[1] for c in cases]),
    })
    records = []
    for i, (task, _deadline, status, period, *_rest) in enumerate(cases, start=1):
        if status is None:
            continue
        records.append({
            "report_id": i, "task_id": task, "version": 1, "status": status, "percent": 10 * (i % 10),
            "note": "", "evidence": "", "agency": "省经信厅", "as_of": REF, "period": period,
            "reported_at": dt.datetime(2020, 9, 1, 8, tzinfo=dt.UTC), "reported_by": f"user{i}",
            "previous_report_id": None,
        })
    return tasks, pd.DataFrame.from_records(records, columns=REPORT_COLUMNS)


def test_rule_cases():
    tasks, reports = _inputs()
    result = task_rag(tasks, reports, REF)
    assert list(result.columns) == STATUS_COLUMNS
    assert list(result["id"]) == [c[0] for c in CASES]
    for case, row in zip(CASES, result.to_dict("records"), strict=True):
        assert (row["status"], row["rag"], row["reason"]) == case[4:], case[0]
    never = result.set_index("id").loc["never_reported"]
    assert pd.isna(never["percent"]) and never["reported_by"] is None and never["reported_at"] is None
    assert result.set_index("id").loc["overdue", "reported_by"] == "user3"
    assert result.set_index("id").loc["overdue", "percent"] == 30


def test_parameters_change_the_colours():
    tasks, reports = _inputs()
    by_id = task_rag(tasks, reports, REF, RagRule(suspended=Rag.RED)).set_index("id")["rag"]
    assert by_id["suspended_far"] == "red" and by_id["suspended_overdue"] == "red"
    lax = task_rag(tasks, reports, REF, RagRule(require_current_report=False)).set_index("id")["rag"]
    assert lax["never_reported"] == "green" and lax["last_month"] == "green"
    narrow = task_rag(tasks, reports, REF, RagRule(due_window_days=0)).set_index("id")["rag"]
    assert narrow["due_today"] == "amber" and narrow["due_in_30"] == "green"


def test_quarterly_periods():
    cases = [
        ("q3", "2022-12-31", "in_progress", "2020-Q3", "in_progress", "green", "on_track"),
        ("q2", "2022-12-31", "in_progress", "2020-Q2", "in_progress", "amber", "no_current_report"),
        ("month_in_q3", "2022-12-31", "in_progress", "2020-09", "in_progress", "amber", "no_current_report"),
    ]
    tasks, reports = _inputs(cases)
    result = task_rag(tasks, reports, REF, RagRule(period_kind=PeriodKind.QUARTER))
    assert [tuple(r) for r in result[["status", "rag", "reason"]].itertuples(index=False)] == [c[4:] for c in cases]


def test_reports_for_unknown_tasks_are_ignored_and_duplicates_refused():
    tasks, reports = _inputs(CASES[:2])
    extra = reports.iloc[[0]].assign(task_id="elsewhere")
    assert list(task_rag(tasks, pd.concat([reports, extra]), REF)["id"]) == ["done_late", "delayed_far"]
    with pytest.raises(ValueError, match="at most one"):
        task_rag(tasks, pd.concat([reports, reports.iloc[[0]]]), REF)


def test_periods():
    assert period_of(dt.date(2020, 9, 30)) == "2020-09"
    assert period_of(dt.date(2020, 9, 30), PeriodKind.QUARTER) == "2020-Q3"
    assert period_of(dt.date(2021, 1, 1), "quarter") == "2021-Q1"
    assert period_of(dt.date(2020, 12, 31), "quarter") == "2020-Q4"
    assert period_contains("2020-Q3", dt.date(2020, 7, 1)) and not period_contains("2020-Q3", dt.date(2020, 10, 1))
    assert not period_contains("2020-13", dt.date(2020, 12, 1))


def test_rule_settings_round_trip_and_validation():
    rule = RagRule(due_window_days=14, period_kind=PeriodKind.QUARTER, suspended=Rag.RED)
    assert RagRule.from_dict(rule.to_dict()) == rule
    assert rule.to_dict() == {"due_window_days": 14, "period_kind": "quarter", "suspended": "red",
                              "require_current_report": True}
    assert RagRule.from_dict(None) == RagRule()
    assert RagRule.from_dict({"due_window_days": 7, "unknown": 1}).due_window_days == 7
    for bad in ({"due_window_days": -1}, {"period_kind": "week"}, {"suspended": "blue"}, {"due_window_days": "7"}):
        with pytest.raises(ValueError):
            RagRule.from_dict(bad)


def test_rule_text_is_bilingual_and_carries_the_parameters():
    text = RagRule(due_window_days=21, period_kind=PeriodKind.QUARTER).describe()
    assert isinstance(text, Bilingual)
    assert "21 天" in text.zh and "21 days" in text.en
    assert "季度" in text.zh and "quarter" in text.en
    assert "暂缓" in text.zh and "suspended" in text.en
    assert "{" not in text.zh + text.en
