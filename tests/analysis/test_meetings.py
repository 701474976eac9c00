"""analysis.meetings as pure functions: applying decisions, the agenda, follow-ups, editing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.meetings import (
    AgendaGroup,
    Decision,
    apply_decisions,
    build_agenda,
    changes_since,
    decided_hash,
    edit_agenda,
    follow_ups,
)
from analysis.model import load_plan
from analysis.progress import REPORT_COLUMNS, task_rag
from tests.conftest import SEED, independent_rows

DAY = dt.date(2020, 9, 15)


@pytest.fixture(scope="module")
def plan():
    return load_plan(SEED)


def _reports(rows: list[tuple[str, str, dt.date]]) -> pd.DataFrame:
    records = [{"report_id": n, "task_id": t, "version": 1, "status": s, "percent": None, "note": "", "evidence": "",
                "agency": "", "as_of": d, "period": f"{d.year:04d}-{d.month:02d}", "reported_at": dt.datetime(2020, 9, 1),
                "reported_by": "x", "previous_report_id": None} for n, (t, s, d) in enumerate(rows, start=1)]
    return pd.DataFrame.from_records(records, columns=REPORT_COLUMNS)


def test_no_decision_returns_the_plan_itself(plan):
    assert apply_decisions(plan, []) is plan
    note_only = Decision("3", 1, DAY, note="会上通报")
    assert apply_decisions(plan, [note_only]) is plan
    assert apply_decisions(plan, [Decision("no-such-task", 1, DAY, deadline=DAY)]) is plan


def test_decisions_apply_in_order_and_leave_the_input_alone(plan):
    before_tasks, before_assignments = plan.tasks.copy(), plan.assignments.copy()
    decisions = [
        Decision("3", 1, DAY, deadline=dt.date(2020, 12, 31), support=("省财政厅",)),
        Decision("3", 2, dt.date(2020, 11, 5), deadline=dt.date(2021, 6, 30), lead=("省自然资源厅",)),
    ]
    decided = apply_decisions(plan, decisions)
    pd.testing.assert_frame_equal(plan.tasks, before_tasks)
    pd.testing.assert_frame_equal(plan.assignments, before_assignments)
    task = decided.tasks.set_index("task_id").loc["3"]
    assert task["deadline"] == pd.Timestamp("2021-06-30") and task["published_deadline"] == pd.Timestamp("2020-08-31")
    assert task["decided_by_meetings"] == [1, 2]
    # 省自然资源厅 was a supporting agency and now leads: it leaves the supporters.
    raw = next(r for r in independent_rows() if r["id"] == "3")
    assert task["published_support_text"] == "、".join(raw["support"])
    assert (task["lead_text"], task["support_text"]) == ("省自然资源厅", "省财政厅")
    rows = decided.assignments.loc[decided.assignments["task_id"] == "3"]
    assert list(zip(rows["agency"], rows["role"], rows["position"], strict=True)) == [
        ("省自然资源厅", "lead", 1), ("省财政厅", "support", 1)]
    # Table order kept: task 3's rows sit between task 2's and task 4's.
    order = list(dict.fromkeys(decided.assignments["task_id"]))
    assert order == list(plan.tasks["task_id"])
    assert len(decided.tasks) == len(plan.tasks)
    others = decided.tasks.loc[decided.tasks["task_id"] != "3"]
    assert (others["deadline"] == others["published_deadline"]).all()
    assert others["decided_by_meetings"].map(len).eq(0).all()


def test_the_plan_as_decided_has_a_content_hash_of_its_own(plan):
    """Views are cached by content_hash: the decided plan's follows the decisions' content."""
    moved = Decision("3", 1, DAY, deadline=dt.date(2020, 12, 31))
    decided = apply_decisions(plan, [moved])
    assert decided.content_hash == decided_hash(plan.content_hash, [moved]) != plan.content_hash
    later = Decision("3", 1, DAY, deadline=dt.date(2021, 3, 31))  # same ids, another deadline
    assert apply_decisions(plan, [later]).content_hash not in {decided.content_hash, plan.content_hash}
    assert apply_decisions(plan, iter([moved])).content_hash == decided.content_hash  # an iterator is read once


def test_agenda_groups_and_follow_ups(plan):
    reports = _reports([("1", "done", dt.date(2020, 9, 1)), ("2", "delayed", dt.date(2020, 9, 2)),
                        ("4", "in_progress", dt.date(2020, 9, 3))])
    status = task_rag(plan.tasks, reports, DAY)
    plain = build_agenda(plan, status)
    assert "4" not in {i.task_id for i in plain} and "1" not in {i.task_id for i in plain}
    groups = [i.group for i in plain]
    assert groups == sorted(groups) and groups[0] == AgendaGroup.RED
    with_follow_up = build_agenda(plan, status, open_follow_ups={"4"})
    assert with_follow_up[-1].task_id == "4" and with_follow_up[-1].group == AgendaGroup.FOLLOW_UP
    decision = Decision("4", 1, dt.date(2020, 8, 1), note="x", follow_up_due=dt.date(2020, 9, 1))
    [up] = follow_ups([decision], status, DAY)
    assert not up.done and up.overdue
    done_status = task_rag(plan.tasks, _reports([("4", "done", dt.date(2020, 9, 3))]), DAY)
    assert follow_ups([decision], done_status, DAY)[0].done
    changes = changes_since(task_rag(plan.tasks, _reports([]), dt.date(2020, 8, 1)), done_status, [decision], [], DAY)
    assert "4" in changes.done and [f.decision for f in changes.carried_out] == [decision]


def test_edit_agenda():
    keys = {"1", "2", "3", "4"}
    assert edit_agenda(["1", "2", "3"], keys, order=["3", "1", "2"], drop=["1"], add=["4", "3"]) == ["3", "2", "4"]
    with pytest.raises(ValueError, match="no such task in the plan: 9"):
        edit_agenda(["1"], keys, add=["9"])
