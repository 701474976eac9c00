"""Large plans: the summary rules are exercised on the Zhejiang plan with the limits lowered, so
that its 35 tasks count as "large": the same code runs for 10 000 tasks (measured in benchmarks/)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from pptx import Presentation

from analysis import derive, report
from analysis.model import Plan
from analysis.report import content
from tests.analysis.report.helpers import (
    AGENCY,
    MEETING,
    SMALL_LIMITS,
    WINDOW,
    expected_tasks,
    lead_counts,
    slide_text,
    task_column,
    titles,
)


@pytest.fixture(scope="module")
def small_limits() -> Iterator[None]:
    patch = pytest.MonkeyPatch()
    for name, value in SMALL_LIMITS.items():
        patch.setattr(content, name, value)
    yield
    patch.undo()


@pytest.fixture(scope="module")
def summary_deck(plan: Plan, renderer: None, small_limits: None) -> Any:
    data = report.build_pptx(plan, meeting_date=MEETING, window_days=WINDOW)
    return Presentation(io.BytesIO(data))


def test_summary_deck_shows_the_deadline_distribution_instead_of_a_timeline_per_task(summary_deck, plan):
    names = titles(summary_deck)
    assert not [n for n in names if n.startswith("任务时间线")]
    (i,) = [i for i, n in enumerate(names) if n == "35 项任务的期限分布（按季度）"]
    text = slide_text(summary_deck.slides[i])
    assert "本计划共 35 项任务，幻灯片为摘要版" in text


def test_summary_deck_caps_the_due_list_earliest_first(summary_deck, plan):
    status = derive.due_status(plan, MEETING, window_days=WINDOW)
    due = status.loc[status["status"].isin(["overdue", "due_soon"])].sort_values(["deadline", "seq"])
    assert len(due) > 2  # the cap matters here
    assert task_column(summary_deck, "已过期限和即将到期的任务") == due["task_id"].head(2).tolist()
    (i,) = [i for i, n in enumerate(titles(summary_deck)) if n.startswith("已过期限和即将到期的任务")]
    assert f"仅列出前 2 项（共 {len(due)} 项）" in slide_text(summary_deck.slides[i])


def test_summary_deck_gives_one_slide_to_each_of_the_top_lead_agencies(summary_deck, plan):
    led = lead_counts(plan)
    top = sorted(led, key=lambda a: (-led[a], list(plan.agencies["agency"]).index(a)))[:3]
    lead_slides = [n for n in titles(summary_deck) if " · 牵头 " in n]
    # one slide each, no page suffix: the third (省公安厅, 3 tasks) would share a slide, but
    # no other agency is shown, so it keeps a slide of its own
    assert lead_slides == [f"{a} · 牵头 {led[a]} 项任务" for a in top]
    assert led[top[2]] <= content.LEAD_SHARED_MAX
    assert not [n for n in titles(summary_deck) if n.startswith("牵头任务较少的单位")]
    note = [s for s, n in zip(summary_deck.slides, titles(summary_deck), strict=True) if n == "各牵头单位的任务"]
    assert len(note) == 1
    assert f"牵头任务最多的 3 个单位（共 {len(led)} 个牵头单位）" in slide_text(note[0])


def test_summary_lead_slide_lists_the_most_pressing_tasks_first(summary_deck, plan):
    # 省经信厅 leads 11 tasks, more than a slide's rows (5 here): its slide keeps the most pressing
    status = derive.due_status(plan, MEETING, window_days=WINDOW).set_index("task_id")
    led = expected_tasks(plan, AGENCY, "lead")
    rank = {s: i for i, s in enumerate(derive.DUE_STATUSES)}
    pressing = sorted(led, key=lambda tid: (rank[str(status.loc[tid, "status"])], status.loc[tid, "deadline"],
                                            status.loc[tid, "seq"]))
    shown = task_column(summary_deck, f"{AGENCY} · 牵头")
    assert shown == pressing[:5]
    assert shown[0] == "3"  # past its deadline (2020-08-31) on the meeting date
    (i,) = [i for i, n in enumerate(titles(summary_deck)) if n.startswith(f"{AGENCY} · 牵头")]
    assert "列出最紧迫的 5 项（已过期限、即将到期优先；共牵头 11 项）" in slide_text(summary_deck.slides[i])


def test_summary_deck_leaves_the_appendix_to_the_html_report(summary_deck, plan):
    assert not [n for n in titles(summary_deck) if n.startswith("附录")]
    html_text = report.build_html(plan, meeting_date=MEETING, window_days=WINDOW).decode("utf-8")
    for tid in plan.tasks["task_id"]:  # the HTML report still holds every task
        assert f">{tid}<" in html_text
    assert "按季度显示期限分布" in html_text


def test_summary_agency_pack_caps_its_tables_and_partner_network(plan, renderer, small_limits):
    patch = pytest.MonkeyPatch()
    patch.setattr(content, "NETWORK_MAX_NODES", 5)
    try:
        prs = Presentation(io.BytesIO(report.build_pptx(plan, meeting_date=MEETING, agency=AGENCY, window_days=WINDOW)))
    finally:
        patch.undo()
    names = titles(prs)
    assert task_column(prs, f"{AGENCY} 牵头的任务") == expected_tasks(plan, AGENCY, "lead")[:2]
    assert task_column(prs, f"{AGENCY} 配合的任务") == expected_tasks(plan, AGENCY, "support")[:2]
    (i,) = [i for i, n in enumerate(names) if n.startswith(f"{AGENCY} 牵头的任务")]
    assert "仅列出前 2 项（共 11 项）" in slide_text(prs.slides[i])
    (net,) = [s for s, n in zip(prs.slides, names, strict=True) if n == f"{AGENCY} 的协作网络"]
    partners = report.prepare_pack(plan, meeting_date=MEETING, agency=AGENCY).partners
    assert f"图中为共同任务最多的 4 个协作单位（共 {len(partners)} 个）" in slide_text(net)
