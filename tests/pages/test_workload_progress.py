"""The workload page split by progress status: each agency's bar stacked by its tasks' latest reports."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from analysis.store import open_workspace
from tests.accounts import add_staff
from tests.conftest import independent_counts, independent_rows
from tests.pages.test_pages import figure, open_app

MEETING = dt.date(2020, 9, 15)


@pytest.fixture
def ws(workspace_db):
    with open_workspace(f"sqlite:///{workspace_db}") as workspace:
        yield add_staff(workspace)  # the accounts the reports below are made by


def per_agency(fig: dict) -> dict[str, Counter]:
    """{status label: Counter(agency → bar length)} from the split figure's traces."""
    return {trace["name"]: Counter(dict(zip(trace["customdata"], trace["x"], strict=True))) for trace in fig["data"]}


def expected_split(reported: dict[str, str]) -> dict[str, Counter]:
    """From the raw table: each agency's lead and support tasks counted under their task's reported status."""
    out: dict[str, Counter] = {}
    for row in independent_rows():
        status = reported.get(str(row["id"]), "未启动")
        for agency in {*row["lead"], *row["support"]}:
            out.setdefault(status, Counter())[agency] += 1
    return out


def test_workload_splits_by_progress_status(ws):
    ws.report_progress(1, "1", "done", expected_previous=None, actor="王伟", percent=100, as_of=dt.date(2020, 9, 10))
    ws.report_progress(1, "2", "delayed", expected_previous=None, actor="李娜", as_of=dt.date(2020, 9, 12))
    ws.report_progress(1, "3", "in_progress", expected_previous=None, actor="李娜", as_of=dt.date(2020, 10, 1))
    at = open_app("workload", meeting_date=MEETING)
    roles = figure(at, 0)
    assert [trace["name"] for trace in roles["data"]] == ["牵头", "配合"]  # by role until asked

    at.radio(key="wl_split").set_value("progress").run()
    assert not at.exception
    split = figure(at, 0)
    assert split["layout"]["title"]["text"] == "各单位承担任务数（按进展状态）"
    # task 3's report is dated after the meeting date: not counted, the task is not started then
    assert [trace["name"] for trace in split["data"]] == ["未启动", "已完成", "滞后"]
    colours = {trace["name"]: trace["marker"]["color"] for trace in split["data"]}
    assert colours == {"未启动": "#B4BAC2", "已完成": "#2CA25F", "滞后": "#C0392B"}
    got = per_agency(split)
    expected = expected_split({"1": "已完成", "2": "滞后"})
    shown = set().union(*(set(c) for c in got.values()))
    assert shown, "no agency on the chart"
    for status, counts in got.items():
        assert {a: v for a, v in counts.items() if v} == {a: v for a, v in expected[status].items() if a in shown}
    # every bar is as long as the agency's tasks led and supported
    raw = independent_counts()
    for agency in shown:
        assert sum(c[agency] for c in got.values()) == raw["lead"][agency] + raw["support"][agency]
    assert any("未报送的任务计为未启动" in c.value for c in at.caption)

    at.radio(key="wl_measure").set_value("score").run()
    weighted = per_agency(figure(at, 0))
    for agency in shown:
        assert sum(c[agency] for c in weighted.values()) == 2 * raw["lead"][agency] + raw["support"][agency]


def test_without_reports_the_workload_page_offers_no_split():
    at = open_app("workload", meeting_date=MEETING)
    assert not [r for r in at.radio if r.key == "wl_split"]
    assert [trace["name"] for trace in figure(at, 0)["data"]] == ["牵头", "配合"]
