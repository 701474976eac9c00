"""analysis.derive on the bundled Zhejiang 5G plan, checked against independent counts.

Expected values come from `plan.assignments` (the task × agency × role table), from the raw
table read with plain string handling (`tests.conftest.independent_rows`), from the editable
CSV files (themes, agency registry) or from facts stated in the published table — never from
the output of the function under test.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import derive
from analysis.derive import Filters
from analysis.i18n import role_label, t
from analysis.model import Plan, load_bundled_plan
from tests.conftest import independent_rows

ROOT = Path(__file__).resolve().parents[2]
PLAN_DIR = ROOT / "data" / "plans" / "zhejiang_5g_2020_2022"

# The raw table, read without the project's loader: id → {text, lead: [...], support: [...]}.
RAW = {str(row["id"]): row for row in independent_rows()}
RAW_IDS = [str(i) for i in range(1, 36)]
# Themes as the user edits them (themes.csv), and agency types from the registry file.
THEMES = {r["task_id"]: r["theme_zh"] for r in csv.DictReader((PLAN_DIR / "themes.csv").open(encoding="utf-8"))}
THEME_EN = {r["theme_zh"]: r["theme_en"] for r in csv.DictReader((PLAN_DIR / "themes.csv").open(encoding="utf-8"))}
REGISTRY = {r["label"]: r for r in csv.DictReader((ROOT / "data" / "agencies.csv").open(encoding="utf-8"))}

PERIOD = (dt.date(2020, 1, 1), dt.date(2022, 12, 31))
# Deadlines written in the task text; every other task runs to the end of the plan period.
EXPLICIT_DEADLINES = {
    "3": dt.date(2020, 8, 31),   # 2020年8月底前
    "5": dt.date(2020, 9, 30),   # 2020年9月底前
    "9": dt.date(2020, 9, 30),   # 2020年9月底前
    "15": dt.date(2022, 12, 31),  # 到2022年
}
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_bundled_plan()


# ----------------------------------------------------------------------------- helpers


def ids(frame: pd.DataFrame, column: str = "task_id") -> list[str]:
    return [str(v) for v in frame[column].tolist()]


def role_counts(assignments: pd.DataFrame) -> dict[str, Counter]:
    """Per role, how many tasks each agency holds, counted row by row."""
    counts: dict[str, Counter] = {"lead": Counter(), "support": Counter()}
    for agency, role in zip(assignments["agency"], assignments["role"], strict=True):
        counts[role][agency] += 1
    return counts


def expected_kept(plan: Plan, filters: Filters) -> list[str]:
    """The docstring's rule, spelt out: theme selected and one assignment matching every filter."""
    a = plan.assignments
    kept = []
    for task_id in RAW_IDS:
        if filters.themes and THEMES[task_id] not in filters.themes:
            continue
        if filters.agencies or filters.types or filters.roles:
            rows = a.loc[a["task_id"] == task_id]
            if not any(
                (not filters.agencies or ag in filters.agencies)
                and (not filters.types or REGISTRY[ag]["type"] in filters.types)
                and (not filters.roles or role in filters.roles)
                for ag, role in zip(rows["agency"], rows["role"], strict=True)
            ):
                continue
        kept.append(task_id)
    return kept


def expected_caption(task_id: str, text: str) -> str:
    # 40 characters at most: 39 of the text and an ellipsis when it is longer.
    return f"{task_id} · " + (text if len(text) <= 40 else text[:39] + "…")


# ----------------------------------------------------------------------------- preconditions


def test_the_plan_under_test_matches_the_published_facts(plan):
    """Guards the rest: if loading changed, the failures below would be misleading."""
    assert ids(plan.tasks) == RAW_IDS
    assert plan.agencies["agency"].nunique() == 34
    counts = role_counts(plan.assignments)
    assert (counts["lead"]["省经信厅"], counts["support"]["省经信厅"]) == (11, 10)
    assert (counts["lead"]["浙江铁塔"], counts["support"]["浙江铁塔"]) == (0, 6)
    assert RAW["11"]["support"] == []
    explicit = plan.tasks.loc[plan.tasks["deadline_kind"] == "explicit"]
    assert dict(zip(ids(explicit), explicit["deadline"].dt.date, strict=True)) == EXPLICIT_DEADLINES
    task1 = plan.tasks.set_index("task_id").loc["1"]
    assert task1["deadline_kind"] == "plan_end" and task1["deadline"].date() == PERIOD[1]


# ----------------------------------------------------------------------------- apply_filters


def test_empty_filters_leave_the_whole_plan(plan):
    assert not Filters().active
    view = derive.apply_filters(plan, Filters())
    assert ids(view.tasks) == RAW_IDS
    assert len(view.assignments) == len(plan.assignments)
    assert view.agencies["agency"].tolist() == plan.agencies["agency"].tolist()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # 浙江铁塔 supports exactly these six tasks in the published table.
        (Filters(agencies=("浙江铁塔",)), ["2", "3", "4", "5", "8", "9"]),
        (Filters(agencies=("浙江铁塔",), roles=("lead",)), []),
        # Tasks without any support unit drop out when only support roles count.
        (Filters(roles=("support",)), [i for i in RAW_IDS if RAW[i]["support"]]),
        (Filters(roles=("lead",)), [i for i in RAW_IDS if RAW[i]["lead"]]),
    ],
    ids=["tower", "tower-as-lead", "support-role", "lead-role"],
)
def test_apply_filters_keeps_the_published_tasks(plan, filters, expected):
    assert ids(derive.apply_filters(plan, filters).tasks) == expected


def test_filter_by_agency_and_role_counts_match_the_assignments(plan):
    a = plan.assignments
    for role, n in (("lead", 11), ("support", 10)):
        view = derive.apply_filters(plan, Filters(agencies=("省经信厅",), roles=(role,)))
        mine = a.loc[(a["agency"] == "省经信厅") & (a["role"] == role), "task_id"]
        assert ids(view.tasks) == [i for i in RAW_IDS if i in set(mine)]
        assert len(view.tasks) == n
    both = derive.apply_filters(plan, Filters(agencies=("省经信厅",)))
    assert len(both.tasks) == 21  # 11 led + 10 supported, never both on one task


def test_filter_by_type_keeps_tasks_with_an_agency_of_that_type(plan):
    enterprises = {label for label, row in REGISTRY.items() if row["type"] == "enterprise"}
    expected = [i for i in RAW_IDS if enterprises & set(RAW[i]["lead"] + RAW[i]["support"])]
    view = derive.apply_filters(plan, Filters(types=("enterprise",)))
    assert ids(view.tasks) == expected
    assert expected  # the plan does name enterprises (telecom operators, China Tower, ...)


@pytest.mark.parametrize("theme", sorted(set(THEMES.values())))
def test_filter_by_theme_follows_themes_csv(plan, theme):
    view = derive.apply_filters(plan, Filters(themes=(theme,)))
    assert ids(view.tasks) == [i for i in RAW_IDS if THEMES[i] == theme]


def test_filtered_assignments_are_all_assignments_of_the_kept_tasks(plan):
    """Partners of the chosen agency stay visible, and agency counts are recounted on them."""
    view = derive.apply_filters(plan, Filters(agencies=("浙江铁塔",)))
    kept = set(ids(view.tasks))
    a = plan.assignments
    expected = a.loc[a["task_id"].isin(kept)]
    assert view.assignments[["task_id", "agency", "role"]].values.tolist() == (
        expected[["task_id", "agency", "role"]].values.tolist()
    )
    counts = role_counts(expected)
    agencies = set(counts["lead"]) | set(counts["support"])
    assert set(view.agencies["agency"]) == agencies
    for row in view.agencies.itertuples():
        assert (row.lead, row.support, row.tasks) == (
            counts["lead"][row.agency], counts["support"][row.agency],
            counts["lead"][row.agency] + counts["support"][row.agency],
        )
    # e.g. 省经信厅 leads task 3 and supports 2 and 4 among China Tower's six tasks.
    econ = view.agencies.set_index("agency").loc["省经信厅"]
    assert (econ["lead"], econ["support"]) == (1, 2)


AGENCY_LABELS = sorted({ag for row in RAW.values() for ag in row["lead"] + row["support"]})
TYPES = sorted({REGISTRY[a]["type"] for a in AGENCY_LABELS})


@FAST
@given(
    agencies=st.lists(st.sampled_from(AGENCY_LABELS), max_size=3, unique=True),
    types=st.lists(st.sampled_from(TYPES), max_size=2, unique=True),
    themes=st.lists(st.sampled_from(sorted(set(THEMES.values()))), max_size=2, unique=True),
    roles=st.lists(st.sampled_from(["lead", "support"]), max_size=2, unique=True),
)
def test_apply_filters_property(plan, agencies, types, themes, roles):
    """Any filter combination: kept tasks follow the rule, assignments and counts follow the tasks."""
    filters = Filters(tuple(agencies), tuple(types), tuple(themes), tuple(roles))
    view = derive.apply_filters(plan, filters)
    kept = expected_kept(plan, filters)
    assert ids(view.tasks) == kept
    assert set(ids(view.assignments)) <= set(kept)
    assert len(view.assignments) == int(plan.assignments["task_id"].isin(kept).sum())
    counts = role_counts(view.assignments)
    assert dict(zip(view.agencies["agency"], view.agencies["tasks"], strict=True)) == {
        ag: counts["lead"][ag] + counts["support"][ag] for ag in set(counts["lead"]) | set(counts["support"])
    }
    # The views built on a filtered plan agree with it.
    status = derive.due_status(view, dt.date(2020, 9, 15))
    assert sum(derive.due_counts(status).values()) == len(kept)
    assert derive.responsibility_matrix(view).shape == (len(kept), view.agencies.shape[0])


def test_focus_agencies_by_type_in_table_order(plan):
    enterprises = [a for a in plan.agencies["agency"] if REGISTRY[a]["type"] == "enterprise"]
    assert derive.focus_agencies(plan, Filters(types=("enterprise",))) == enterprises
    assert derive.focus_agencies(plan, Filters(agencies=("浙江铁塔", "省经信厅"))) == ["省经信厅", "浙江铁塔"]
    assert derive.focus_agencies(plan, Filters()) == plan.agencies["agency"].tolist()


# ----------------------------------------------------------------------------- workload


def test_workload_counts_equal_the_assignments(plan):
    counts = role_counts(plan.assignments)
    frame = derive.workload(plan)
    assert len(frame) == 34
    for row in frame.itertuples():
        lead, support = counts["lead"][row.agency], counts["support"][row.agency]
        assert (row.lead, row.support, row.total) == (lead, support, lead + support), row.agency
    econ = frame.set_index("agency").loc["省经信厅"]
    assert (econ["lead"], econ["support"], econ["total"]) == (11, 10, 21)
    tower = frame.set_index("agency").loc["浙江铁塔"]
    assert (tower["lead"], tower["support"], tower["total"]) == (0, 6, 6)


@pytest.mark.parametrize("weight", [0.0, 1.0, 2.0, 3.5])
def test_lead_weight_scales_only_the_lead_part(plan, weight):
    counts = role_counts(plan.assignments)
    frame = derive.workload(plan, lead_weight=weight).set_index("agency")
    for agency, score in frame["score"].items():
        assert score == pytest.approx(counts["lead"][agency] * weight + counts["support"][agency])
    assert frame.loc["省经信厅", "score"] == pytest.approx(11 * weight + 10)
    assert frame.loc["浙江铁塔", "score"] == pytest.approx(6)  # no lead: weight changes nothing


def test_default_lead_weight_is_two(plan):
    assert derive.workload(plan).set_index("agency").loc["省经信厅", "score"] == pytest.approx(11 * 2 + 10)


def test_workload_restricted_to_agencies_keeps_table_order(plan):
    frame = derive.workload(plan, agencies=["浙江铁塔", "省经信厅", "nobody"])
    assert frame["agency"].tolist() == ["省经信厅", "浙江铁塔"]


def test_workload_of_a_filtered_plan_counts_only_kept_tasks(plan):
    view = derive.apply_filters(plan, Filters(themes=("保障措施",)))
    kept = [i for i in RAW_IDS if THEMES[i] == "保障措施"]
    counts = role_counts(plan.assignments.loc[plan.assignments["task_id"].isin(kept)])
    frame = derive.workload(view).set_index("agency")
    assert set(frame.index) == set(counts["lead"]) | set(counts["support"])
    for agency, row in frame.iterrows():
        assert (row["lead"], row["support"]) == (counts["lead"][agency], counts["support"][agency])


@pytest.mark.parametrize("by", ["total", "lead", "support", "score"])
def test_sort_workload_descending_with_stable_ties(plan, by):
    frame = derive.workload(plan)
    secondary = {"total": "lead", "lead": "total", "support": "total", "score": "lead"}[by]
    rows = list(frame.itertuples(index=False))
    # Python's sort is stable: equal keys keep table order, as the docstring promises.
    expected = [r.agency for r in sorted(rows, key=lambda r: (-getattr(r, by), -getattr(r, secondary)))]
    assert derive.sort_workload(frame, by)["agency"].tolist() == expected
    assert derive.sort_workload(frame, by)["agency"].iloc[0] == "省经信厅"  # busiest on every measure


def test_sort_workload_puts_the_tower_first_among_pure_supporters(plan):
    order = derive.sort_workload(derive.workload(plan), "support")["agency"].tolist()
    counts = role_counts(plan.assignments)
    assert order[:3] == ["省经信厅", "省通管局", "省发展改革委"]  # supports: 10, 9, 9 (ties by total 11 > 10)
    assert counts["support"]["省通管局"] == counts["support"]["省发展改革委"] == 9
    assert order.index("浙江铁塔") == 3


def test_agency_theme_counts_equal_the_assignments(plan):
    table = derive.agency_theme_counts(plan)
    expected = Counter((ag, THEMES[task]) for task, ag in zip(plan.assignments["task_id"], plan.assignments["agency"]))
    assert list(table.columns) == list(dict.fromkeys(THEMES[i] for i in RAW_IDS))
    assert list(table.index) == plan.agencies["agency"].tolist()
    for agency in table.index:
        for theme in table.columns:
            assert table.loc[agency, theme] == expected[(agency, theme)]
    subset = derive.agency_theme_counts(plan, ["浙江铁塔", "省经信厅"])
    assert list(subset.index) == ["浙江铁塔", "省经信厅"]  # the caller's order
    assert subset.loc["浙江铁塔"].sum() == 6


# ----------------------------------------------------------------------------- responsibility matrix


def test_responsibility_matrix_shape_and_cells(plan):
    matrix = derive.responsibility_matrix(plan)
    assert matrix.shape == (35, 34)
    assert list(matrix.index) == RAW_IDS
    marks = {(task, ag): role for task, ag, role in plan.assignments[["task_id", "agency", "role"]].itertuples(index=False)}
    for task in matrix.index:
        for agency in matrix.columns:
            want = {"lead": "牵", "support": "配"}.get(marks.get((task, agency), ""), "")
            assert matrix.loc[task, agency] == want, (task, agency)
    assert (matrix == "牵").sum().sum() == (plan.assignments["role"] == "lead").sum()
    assert (matrix["省经信厅"] == "牵").sum() == 11 and (matrix["省经信厅"] == "配").sum() == 10
    assert matrix.loc["11"].isin(["配"]).sum() == 0  # task 11 has no support unit


def test_responsibility_matrix_columns_busiest_first(plan):
    counts = role_counts(plan.assignments)
    order = plan.agencies["agency"].tolist()
    expected = sorted(order, key=lambda a: (-(counts["lead"][a] + counts["support"][a]), -counts["lead"][a]))
    assert list(derive.responsibility_matrix(plan).columns) == expected


def test_responsibility_matrix_english_marks_and_agency_subset(plan):
    matrix = derive.responsibility_matrix(plan, "en", agencies=["浙江铁塔", "省经信厅"])
    names = plan.agency_names("en", short=True)
    it, tower = names["省经信厅"], names["浙江铁塔"]
    assert tower.isascii() and it.isascii()  # named in English, as in the charts
    assert list(matrix.columns) == [it, tower]  # busiest first, not the caller's order
    assert set(matrix[tower]) == {"", "S"}
    assert (matrix[tower] == "S").sum() == 6
    assert matrix.loc["3", it] == "L" and matrix.loc["2", it] == "S"


def test_agency_tasks_lists_every_task_of_the_agency_with_its_role(plan):
    frame = derive.agency_tasks(plan, "省经信厅")
    a = plan.assignments.loc[plan.assignments["agency"] == "省经信厅"]
    assert sorted(zip(ids(frame), frame["role"])) == sorted(zip(ids(a), a["role"]))
    # Within each role the tasks stay in table order.
    for role in ("lead", "support"):
        assert frame.loc[frame["role"] == role, "seq"].is_monotonic_increasing
    assert derive.agency_tasks(plan, "nobody").empty


# ----------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2019, 5, 1), PERIOD[0]),    # before the plan: its first day
        (dt.date(2019, 12, 31), PERIOD[0]),
        (dt.date(2020, 1, 1), dt.date(2020, 1, 1)),
        (dt.date(2021, 6, 15), dt.date(2021, 6, 15)),  # inside: unchanged
        (dt.date(2022, 12, 31), dt.date(2022, 12, 31)),
        (dt.date(2023, 1, 1), PERIOD[1]),    # after: its last day
        (dt.date(2030, 5, 1), PERIOD[1]),
    ],
)
def test_default_meeting_date_clamps_into_the_plan_period(plan, today, expected):
    assert derive.default_meeting_date(plan, today) == expected


def test_default_meeting_date_without_today_is_inside_the_period(plan):
    date = derive.default_meeting_date(plan)
    assert PERIOD[0] <= date <= PERIOD[1]
    if dt.date.today() > PERIOD[1]:
        assert date == PERIOD[1]


def statuses(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(ids(frame), frame["status"].astype(str), strict=True))


def test_due_status_at_2020_09_15_with_a_30_day_window(plan):
    status = statuses(derive.due_status(plan, dt.date(2020, 9, 15), window_days=30))
    assert {i for i, s in status.items() if s == "overdue"} == {"3"}        # 2020-08-31
    assert {i for i, s in status.items() if s == "due_soon"} == {"5", "9"}  # 2020-09-30, 15 days on
    assert {i for i, s in status.items() if s == "later"} == {"15"}         # 2022-12-31
    assert {i for i, s in status.items() if s == "plan_end"} == set(RAW_IDS) - set(EXPLICIT_DEADLINES)
    assert status["1"] == "plan_end"


def test_due_status_days_are_counted_from_the_meeting_date(plan):
    frame = derive.due_status(plan, dt.date(2020, 9, 15)).set_index("task_id")
    assert frame.loc["3", "days"] == -15
    assert frame.loc["5", "days"] == frame.loc["9", "days"] == 15
    assert frame.loc["1", "days"] == (PERIOD[1] - dt.date(2020, 9, 15)).days


@pytest.mark.parametrize(
    ("meeting", "window", "task", "expected"),
    [
        (dt.date(2020, 8, 31), 30, "3", "due_soon"),  # the deadline day itself is not past
        (dt.date(2020, 9, 1), 30, "3", "overdue"),
        (dt.date(2020, 8, 31), 30, "5", "due_soon"),  # exactly `window` days ahead
        (dt.date(2020, 8, 31), 29, "5", "later"),
        (dt.date(2020, 8, 31), 0, "3", "due_soon"),
        (dt.date(2022, 12, 31), 30, "15", "due_soon"),
        (dt.date(2022, 12, 31), 30, "1", "plan_end"),  # no explicit deadline, whatever the date
    ],
)
def test_due_status_boundaries(plan, meeting, window, task, expected):
    assert statuses(derive.due_status(plan, meeting, window_days=window))[task] == expected


@FAST
@given(
    meeting=st.dates(min_value=dt.date(2019, 6, 1), max_value=dt.date(2023, 6, 1)),
    window=st.integers(min_value=0, max_value=400),
)
def test_due_status_property(plan, meeting, window):
    """Every task gets exactly one status, computed here from the deadline column."""
    frame = derive.due_status(plan, meeting, window_days=window)
    for task_id, deadline, kind, got in zip(
        ids(frame), plan.tasks["deadline"].dt.date, plan.tasks["deadline_kind"], frame["status"].astype(str),
        strict=True,
    ):
        days = (deadline - meeting).days
        want = ("plan_end" if kind != "explicit" else "overdue" if days < 0 else "due_soon" if days <= window else "later")
        assert got == want, task_id
    counts = derive.due_counts(frame)
    assert list(counts) == ["overdue", "due_soon", "later", "plan_end"]
    assert sum(counts.values()) == 35
    assert counts["plan_end"] == 35 - len(EXPLICIT_DEADLINES)


def test_due_counts_at_the_meeting(plan):
    counts = derive.due_counts(derive.due_status(plan, dt.date(2020, 9, 15)))
    assert counts == {"overdue": 1, "due_soon": 2, "later": 1, "plan_end": 31}
    assert sum(counts.values()) == len(RAW)


def test_due_table_lists_the_chosen_statuses_by_deadline(plan):
    status = derive.due_status(plan, dt.date(2020, 9, 15))
    table = derive.due_table(status, plan, "zh", ("overdue", "due_soon"))
    assert table[t("col_task_id", "zh")].tolist() == ["3", "5", "9"]  # 08-31, then 09-30 in table order
    assert table[t("col_status", "zh")].tolist() == [t("status_overdue", "zh")] + [t("status_due_soon", "zh")] * 2
    # the distance in words, as the slides say it
    assert table[t("col_days", "zh")].tolist() == ["已过期限 15 天", "还有 15 天", "还有 15 天"]
    assert list(table.columns[:4]) == [t(k, "zh") for k in ("col_task_id", "col_status", "col_days", "col_deadline")]


def test_timeline_order_by_table_order(plan):
    status = derive.due_status(plan, dt.date(2020, 9, 15)).sample(frac=1, random_state=7)
    assert ids(derive.timeline_order(status, plan)) == RAW_IDS


def test_timeline_order_by_lead(plan):
    status = derive.due_status(plan, dt.date(2020, 9, 15))
    lead = {i: "、".join(RAW[i]["lead"]) for i in RAW_IDS}
    size = {i: sum(lead[j] == lead[i] for j in RAW_IDS) for i in RAW_IDS}
    # the agency (or agencies) leading most tasks first, then by name, then in table order
    expected = sorted(RAW_IDS, key=lambda i: (-size[i], lead[i], int(i)))
    ordered = derive.timeline_order(status, plan, group_by="lead")
    assert ids(ordered) == expected
    assert ordered["group"].tolist() == [lead[i] for i in expected]  # the header each row sits under
    english = derive.timeline_order(status, plan, group_by="lead", lang="en")
    names = plan.agency_names("en", short=True)
    assert english["group"].iloc[0] == ", ".join(names[a] for a in RAW[expected[0]]["lead"])
    assert english["group"].iloc[0].isascii()


def test_timeline_order_by_theme_follows_the_theme_table(plan):
    # Themes are contiguous in the table, so reverse their display order to make the check bite.
    reversed_themes = plan.themes.iloc[::-1].reset_index(drop=True)
    view = replace(plan, themes=reversed_themes)
    status = derive.due_status(view, dt.date(2020, 9, 15))
    rank = {th: n for n, th in enumerate(reversed_themes["theme"])}
    expected = sorted(RAW_IDS, key=lambda i: (rank[THEMES[i]], int(i)))
    assert ids(derive.timeline_order(status, view, group_by="theme")) == expected
    assert expected[0] == "29"  # 保障措施 (tasks 29-35) now comes first


# ----------------------------------------------------------------------------- display


@pytest.mark.parametrize("needle", ["省经信厅", "铁塔", "省财政厅", "标准", "5G", "5g", "  铁塔  "])
def test_task_table_search_finds_exactly_the_tasks_that_mention_it(plan, needle):
    key = needle.strip().lower()
    expected = [
        i for i in RAW_IDS
        if key in RAW[i]["text"].lower() or any(key in unit.lower() for unit in RAW[i]["lead"] + RAW[i]["support"])
    ]
    table = derive.task_table(plan, "zh", search=needle)
    assert table[t("col_task_id", "zh")].tolist() == expected
    assert expected


def test_task_table_search_by_agency_covers_every_assignment(plan):
    a = plan.assignments
    for agency in ("省经信厅", "浙江铁塔"):
        found = set(derive.task_table(plan, search=agency)[t("col_task_id", "zh")])
        assert set(ids(a.loc[a["agency"] == agency])) <= found


def test_task_table_columns_and_values(plan):
    table = derive.task_table(plan, "en")
    assert len(table) == 35 and derive.task_table(plan, "zh", search="   ").shape[0] == 35
    row = table.set_index(t("col_task_id", "en")).loc["3"]
    assert row[t("col_text", "en")] == RAW["3"]["text"]
    assert row[t("col_theme", "en")] == THEME_EN[THEMES["3"]]
    # agencies named in English, as in the charts (their short names)
    english = plan.agency_names("en", short=True)
    assert row[t("col_lead", "en")] == ", ".join(english[a] for a in RAW["3"]["lead"])
    assert row[t("col_lead", "en")].isascii()
    zh = derive.task_table(plan, "zh").set_index(t("col_task_id", "zh")).loc["3"]
    assert zh[t("col_lead", "zh")] == "、".join(RAW["3"]["lead"])
    # what matters first: the deadline before the long text
    columns = list(table.columns)
    assert columns.index(t("col_deadline", "en")) < columns.index(t("col_text", "en"))
    assert columns.index(t("col_lead", "en")) < columns.index(t("col_text", "en"))
    assert row[t("col_deadline", "en")] == EXPLICIT_DEADLINES["3"]
    assert row[t("col_deadline_kind", "en")] == t("deadline_kind_explicit", "en")
    assert derive.task_table(plan, search="no such text anywhere").empty


def test_task_caption_for_every_task(plan):
    for task_id in RAW_IDS:
        assert derive.task_caption(plan, task_id) == expected_caption(task_id, RAW[task_id]["text"])
    # Task 6 (23 characters) is shown whole; task 1 (83) is cut to 40 with an ellipsis.
    assert derive.task_caption(plan, "6") == "6 · " + RAW["6"]["text"]
    cut = derive.task_caption(plan, "1").split(" · ", 1)[1]
    assert len(cut) == 40 and cut.endswith("…") and RAW["1"]["text"].startswith(cut[:-1])


@pytest.mark.parametrize("length", [1, 39, 40, 41, 120])
def test_task_caption_length_boundary(plan, length):
    text = ("五G基站建设" * 30)[:length]
    tasks = plan.tasks.copy()  # a new frame: the caption cache is per frame
    tasks.loc[tasks["task_id"] == "2", "text"] = text
    caption = derive.task_caption(replace(plan, tasks=tasks), "2")
    assert caption == expected_caption("2", text)
    assert len(caption.split(" · ", 1)[1]) == min(length, 40)


def test_task_caption_on_a_filtered_plan(plan):
    view = derive.apply_filters(plan, Filters(agencies=("浙江铁塔",)))
    for task_id in ids(view.tasks):
        assert derive.task_caption(view, task_id) == expected_caption(task_id, RAW[task_id]["text"])


def test_task_detail_fields(plan):
    detail = derive.task_detail(plan, "3")
    assert detail == {
        t("col_task_id", "zh"): "3",
        t("col_theme", "zh"): THEMES["3"],
        t("col_text", "zh"): RAW["3"]["text"],
        t("col_lead", "zh"): "省经信厅、省通管局",
        t("col_support", "zh"): "省自然资源厅、浙江铁塔",
        t("col_deadline", "zh"): f"2020-08-31（{t('deadline_kind_explicit', 'zh')}）",
        t("col_deadline_text", "zh"): "2020年8月底前",
        t("col_targets", "zh"): "—",
    }


def test_task_detail_in_english_with_blanks_and_targets(plan):
    detail = derive.task_detail(plan, "11", "en")
    assert detail[t("col_support", "en")] == "—"  # task 11 has no support unit
    assert detail[t("col_deadline", "en")] == f"2022-12-31 ({t('deadline_kind_plan_end', 'en')})"
    assert detail[t("col_theme", "en")] == THEME_EN[THEMES["11"]]
    assert detail[t("col_deadline_text", "en")] == "—"
    assert "20家5G骨干企业" in derive.task_detail(plan, "15")[t("col_targets", "zh")]
    assert t("col_leaders", "zh") not in derive.task_detail(plan, "15")


def test_task_detail_on_a_filtered_plan_and_with_leaders(plan):
    view = derive.apply_filters(plan, Filters(themes=("保障措施",)))
    # Position lookups are per frame: task 35 is the 7th row here, not the 35th.
    assert derive.task_detail(view, "35")[t("col_text", "zh")] == RAW["35"]["text"]
    tasks = plan.tasks.copy()
    tasks["leaders"] = [["张三", "李四"] if i == "1" else [] for i in tasks["task_id"]]
    detail = derive.task_detail(replace(plan, tasks=tasks), "1")
    assert detail[t("col_leaders", "zh")] == "张三、李四"


@pytest.mark.parametrize("agency", ["省经信厅", "浙江铁塔", "杭州亚组委", "各省级单位"])
def test_agency_name_in_both_languages(plan, agency):
    assert derive.agency_name(plan, agency, "zh") == agency
    assert derive.agency_name(plan, agency, "en") == REGISTRY[agency]["english_name"]


def test_agency_name_falls_back_to_the_label(plan):
    assert derive.agency_name(plan, "不存在的单位", "en") == "不存在的单位"
    assert derive.agency_name(plan, "浙江铁塔", "en") == "China Tower Zhejiang Branch"


def test_workload_table_headers_and_names(plan):
    frame = derive.sort_workload(derive.workload(plan))
    zh, en = derive.workload_table(frame, "zh"), derive.workload_table(frame, "en")
    assert zh.iloc[0][t("col_agency", "zh")] == "省经信厅"
    assert zh.iloc[0][t("col_full_name", "zh")] == REGISTRY["省经信厅"]["full_name"]
    assert en.iloc[0][t("col_full_name", "en")] == REGISTRY["省经信厅"]["english_name"]
    assert (zh.iloc[0][t("col_lead_count", "zh")], zh.iloc[0][t("col_support_count", "zh")]) == (11, 10)
    assert zh[t("col_total", "zh")].sum() == len(plan.assignments)


def test_agency_tasks_table_roles(plan):
    table = derive.agency_tasks_table(plan, "浙江铁塔", "zh")
    assert sorted(table[t("col_task_id", "zh")].tolist(), key=int) == ["2", "3", "4", "5", "8", "9"]
    assert set(table[t("col_role", "zh")]) == {role_label("support", "zh")}


def test_task_search_never_matches_across_two_fields(plan):
    # 省经信厅 ends some lead fields and 省发展改革委 starts their support fields
    rows = plan.tasks.loc[plan.tasks["lead_text"].str.endswith("省经信厅")
                          & plan.tasks["support_text"].str.startswith("省发展")]
    assert not rows.empty  # the case exists in the plan
    assert derive.task_table(plan, search="省经信厅 省发展").empty
    assert derive.task_table(plan, search="省经信厅\n省发展").empty


def test_days_text_says_overdue_in_words(plan):
    status = derive.due_status(plan, dt.date(2022, 12, 31))
    words = derive.days_text(status, "zh")
    by_id = dict(zip(status["task_id"], words, strict=True))
    assert by_id["3"] == "已过期限 852 天"  # 2020-08-31 to 2022-12-31
    assert by_id["1"] == t("days_plan_end", "zh")  # no deadline of its own
    later = derive.days_text(derive.due_status(plan, dt.date(2020, 8, 1)), "en")
    assert dict(zip(status["task_id"], later, strict=True))["3"] == "30 d left"


def test_search_examples_are_taken_from_the_plan(plan):
    assert derive.search_examples(plan, "zh") == "省经信厅、2020年、1…"
    english = derive.search_examples(plan, "en")
    assert english == "Economy & IT Dept., 2020, 1…"
