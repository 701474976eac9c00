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


# --- The counted tables against their definitions written with pandas' merge, crosstab and groupby
# (the module counts in one pass over the rows; the tables must be the same, dtypes and order included).


def _rag_counts_by_pandas(plan, status, by):
    colours = status[["id", "rag"]]
    if by == "theme":
        groups = plan.tasks[["task_id", "theme"]].rename(columns={"task_id": "id", "theme": "group"})
    else:
        lead = plan.assignments.loc[plan.assignments["role"] == "lead", ["task_id", "agency"]]
        groups = lead.rename(columns={"task_id": "id", "agency": "group"})
    joined = groups.astype({"id": str}).merge(colours, on="id", how="inner")
    table = pd.crosstab(joined["group"].astype(str), joined["rag"].astype(str))
    table = table.reindex(columns=["red", "amber", "green"], fill_value=0).astype(int)
    table["total"] = table.sum(axis=1)
    table = table.sort_values(["red", "amber", "total"], ascending=False, kind="stable")
    return table.reset_index(names="group")


def _scorecard_by_pandas(plan, frame, reference, rule):
    from analysis.progress import period_of

    deadline = pd.to_datetime(frame["deadline"]).dt.date
    as_of = [None if pd.isna(d) else pd.Timestamp(d).date() for d in frame["as_of"]]
    done = frame["status"] == "done"
    frame = frame.assign(
        done=done, on_time=[bool(d) and a is not None and a <= dl for d, a, dl in zip(done, as_of, deadline)],
        due=deadline <= reference, reported=done | (frame["period"].astype(object) == period_of(reference, rule.period_kind)),
        red=frame["rag"] == "red", amber=frame["rag"] == "amber", green=frame["rag"] == "green",
    )
    lead = plan.assignments.loc[plan.assignments["role"] == "lead", ["task_id", "agency"]]
    joined = lead.rename(columns={"task_id": "id"}).astype({"id": str}).merge(frame, on="id", how="inner")
    grouped = joined.groupby("agency", sort=False)
    table = grouped[["done", "on_time", "due", "reported", "red", "amber", "green"]].sum().astype(int)
    table.insert(0, "led", grouped.size())
    return table.sort_values(["red", "led"], ascending=False, kind="stable").reset_index()


def _random_reports(plan, rng, count):
    from analysis.progress import period_of

    ids = plan.tasks["task_id"].astype(str).tolist()
    rows = []
    for i in range(1, count + 1):
        as_of = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(1200))
        rows.append({"report_id": i, "task_id": rng.choice(ids), "version": 1,
                     "status": rng.choice(["not_started", "in_progress", "done", "delayed", "suspended"]),
                     "percent": None, "note": "", "evidence": "", "agency": "", "as_of": as_of,
                     "period": period_of(as_of, rng.choice(["month", "quarter"])),
                     "reported_at": dt.datetime(2021, 1, 1), "reported_by": "王伟", "previous_report_id": None})
    every = pd.DataFrame.from_records(rows, columns=REPORT_COLUMNS)
    return every.drop_duplicates("task_id", keep="last").reset_index(drop=True), every


@pytest.mark.parametrize("seed", range(6))
def test_counted_tables_equal_their_pandas_definitions(bundled_plan, seed):
    import random

    from analysis import derive

    rng = random.Random(seed)
    agencies = bundled_plan.agencies["agency"].tolist()
    filters = derive.Filters(agencies=(rng.choice(agencies),)) if seed % 2 else derive.Filters()
    view = derive.apply_filters(bundled_plan, filters)
    latest, every = _random_reports(view, rng, rng.choice([0, 3, 40, 200]))
    reference = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(1000))
    rule = RagRule(period_kind=rng.choice(["month", "quarter"]))
    status = task_rag(view.tasks, latest, reference, rule)
    for by in ("lead", "theme"):
        counted = progress_views.rag_counts(view, status, by)
        pd.testing.assert_frame_equal(counted, _rag_counts_by_pandas(view, status, by), check_names=False)
        assert counted["total"].sum() > 0
    frame = progress_views.status_frame(view, status, latest)
    card = progress_views.scorecard(view, status, latest, reference, rule, "en", frame=frame)
    expected = _scorecard_by_pandas(view, frame, reference, rule)
    assert card.iloc[:, :9].to_numpy().tolist() == expected.to_numpy().tolist()  # the same rows, in order
    periods = progress_views.reports_by_period(every)
    if not every.empty:
        by_pandas = pd.crosstab(every["period"].astype(str), every["status"].astype(str))
        assert periods["period"].tolist() == sorted(by_pandas.index)
        for code in by_pandas.columns:
            assert periods[code].tolist() == by_pandas[code].tolist()
