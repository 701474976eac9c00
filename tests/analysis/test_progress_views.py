"""analysis.progress_views and analysis.progress_figures on the bundled plan with hand-made reports."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis import progress_figures, progress_views
from analysis.links import read_plan_param
from analysis.progress import REPORT_COLUMNS, RagRule, task_rag

REFERENCE = dt.date(2020, 9, 15)


def reports(*rows: tuple[str, str, dt.date]) -> pd.DataFrame:
    records = [
        {"report_id": i, "task_id": task, "version": 1, "status": status, "percent": None, "note": "",
         "evidence": "", "agency": "", "as_of": as_of, "period": f"{as_of:%Y-%m}",
         "reported_at": dt.datetime(2020, 9, 15, 8, 0), "reported_by": "王伟", "previous_report_id": None}
        for i, (task, status, as_of) in enumerate(rows, start=1)
    ]
    return pd.DataFrame.from_records(records, columns=REPORT_COLUMNS)


@pytest.fixture
def latest() -> pd.DataFrame:
    return reports(("1", "done", dt.date(2020, 9, 10)), ("2", "delayed", dt.date(2020, 9, 12)),
                   ("4", "in_progress", dt.date(2020, 8, 20)))


def test_rag_counts_by_theme_and_lead(bundled_plan, latest):
    status = task_rag(bundled_plan.tasks, latest, REFERENCE, RagRule())
    by_theme = progress_views.rag_counts(bundled_plan, status, "theme")
    assert by_theme[["red", "amber", "green"]].sum().tolist() == [2, 32, 1]  # 2 delayed, 3 overdue; 1 done
    assert by_theme["total"].sum() == 35
    by_lead = progress_views.rag_counts(bundled_plan, status, "lead")
    leads = bundled_plan.assignments.loc[bundled_plan.assignments["role"] == "lead"]
    assert by_lead["total"].sum() == len(leads)  # a task counts for each of its lead agencies
    assert by_lead.iloc[0]["red"] >= by_lead.iloc[-1]["red"]  # most red first


def test_overdue_and_not_reported_lists(bundled_plan, latest):
    status = task_rag(bundled_plan.tasks, latest, REFERENCE, RagRule())
    overdue = progress_views.overdue_table(bundled_plan, status, latest, REFERENCE, "en")
    assert overdue["No."].tolist() == ["3"] and overdue["Days overdue"].tolist() == [15]
    missing = progress_views.not_reported_table(bundled_plan, status, latest, REFERENCE, RagRule(), "en")
    # not done, no report in 2020-09: every task but 1 (done) and 2 (reported this month); 4 reported in August
    assert len(missing) == 33 and "4" in missing["No."].tolist()
    assert missing.loc[missing["No."] == "4", "Last report"].tolist() == ["2020-08-20"]


def test_the_three_tables_from_one_joined_frame_are_the_same_tables(bundled_plan, latest):
    status = task_rag(bundled_plan.tasks, latest, REFERENCE, RagRule())
    frame = progress_views.status_frame(bundled_plan, status, latest)
    before = frame.copy()
    for lang in ("zh", "en"):
        pd.testing.assert_frame_equal(
            progress_views.overdue_table(bundled_plan, status, latest, REFERENCE, lang, frame=frame),
            progress_views.overdue_table(bundled_plan, status, latest, REFERENCE, lang))
        pd.testing.assert_frame_equal(
            progress_views.not_reported_table(bundled_plan, status, latest, REFERENCE, RagRule(), lang, frame=frame),
            progress_views.not_reported_table(bundled_plan, status, latest, REFERENCE, RagRule(), lang))
        pd.testing.assert_frame_equal(
            progress_views.scorecard(bundled_plan, status, latest, REFERENCE, RagRule(), lang, frame=frame),
            progress_views.scorecard(bundled_plan, status, latest, REFERENCE, RagRule(), lang))
    pd.testing.assert_frame_equal(frame, before)  # read, never changed


def test_reports_by_period_and_its_chart():
    table = progress_views.reports_by_period(reports(
        ("1", "in_progress", dt.date(2020, 8, 3)), ("1", "done", dt.date(2020, 9, 1)),
        ("2", "delayed", dt.date(2020, 9, 2)),
    ))
    assert table["period"].tolist() == ["2020-08", "2020-09"]
    assert table["in_progress"].tolist() == [1, 0] and table["done"].tolist() == [0, 1]
    fig = progress_figures.periods_figure(table, "en")
    assert [trace.name for trace in fig.data] == ["In progress", "Done", "Delayed"]
    assert fig.data[1].marker.color == progress_figures.PROGRESS_COLORS["done"]


def test_scorecard_counts_done_on_time_and_reports(bundled_plan):
    late_done = reports(("3", "done", dt.date(2020, 9, 10)), ("1", "done", dt.date(2020, 9, 1)))
    status = task_rag(bundled_plan.tasks, late_done, REFERENCE, RagRule())
    card = progress_views.scorecard(bundled_plan, status, late_done, REFERENCE, RagRule(), "en").set_index("Agency")
    leads_of_3 = bundled_plan.assignments.query("task_id == '3' and role == 'lead'")["agency"].tolist()
    for agency in leads_of_3:
        assert card.loc[agency, "Done"] >= 1
    # task 3 was due 2020-08-31 and reported done on 2020-09-10: done, not on time
    only_3 = [a for a in leads_of_3 if a not in
              bundled_plan.assignments.query("task_id == '1' and role == 'lead'")["agency"].tolist()]
    for agency in only_3:
        assert card.loc[agency, "Done on time"] == card.loc[agency, "Done"] - 1


def test_rag_figure_uses_one_colour_mapping(bundled_plan, latest):
    status = task_rag(bundled_plan.tasks, latest, REFERENCE, RagRule())
    counts = progress_views.rag_counts(bundled_plan, status, "theme")
    fig = progress_figures.rag_figure(bundled_plan, counts, "theme", "zh")
    assert [(t.name, t.marker.color) for t in fig.data] == [
        ("红色预警", "#C0392B"), ("黄色预警", "#E6A23C"), ("绿色（正常）", "#2CA25F")]
    assert list(fig.data[0].y) == [bundled_plan.theme_label(g, "zh") for g in counts["group"]]


@pytest.mark.parametrize(("values", "expected", "notices"), [
    ([], None, 0), (["2"], 2, 0), ([" 2 "], 2, 0), (["9"], None, 1), (["x<b>"], None, 1), (["1", "2"], 1, 0),
])
def test_plan_link_parameter_is_validated(values, expected, notices):
    chosen, said = read_plan_param(values, [1, 2])
    assert chosen == expected and len(said) == notices
