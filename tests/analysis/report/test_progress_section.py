"""The meeting pack's progress section: counts per status and colour, red tasks by lead agency,
what each agency is asked to report — for plan and agency packs, deck and HTML.

The expected numbers come from the reports written here and the raw published table
(tests.conftest's independent reading), not from the model the pack is built from.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from typing import Any

import pandas as pd
import pytest
from pptx import Presentation

from analysis import report
from analysis.model import Plan
from analysis.progress import REPORT_COLUMNS, task_rag
from analysis.report import Medium, Note, Table, Tiles
from analysis.report.content import Section
from analysis.vocab import Rag
from tests.analysis.report.helpers import AGENCY, MEETING, WINDOW, titles
from tests.conftest import independent_rows

# task → (status, percent, report date); the meeting is on 2020-09-15, its period 2020-09
REPORTS: dict[str, tuple[str, int | None, dt.date]] = {
    "1": ("done", 100, dt.date(2020, 9, 5)),
    "2": ("delayed", 30, dt.date(2020, 9, 3)),
    "3": ("in_progress", 50, dt.date(2020, 8, 20)),  # last period: asked again
    "4": ("suspended", None, dt.date(2020, 9, 1)),
    "5": ("in_progress", 70, dt.date(2020, 9, 10)),
    "9": ("not_started", 0, dt.date(2020, 7, 1)),
}
REPORTED_THIS_PERIOD = {"1", "2", "4", "5"}


def reports_frame() -> pd.DataFrame:
    records = [
        {"report_id": i, "task_id": task, "version": 1, "status": status, "percent": percent, "note": "",
         "evidence": "", "agency": "", "as_of": day, "period": f"{day.year:04d}-{day.month:02d}",
         "reported_at": dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC), "reported_by": "测试",
         "previous_report_id": None}
        for i, (task, (status, percent, day)) in enumerate(REPORTS.items(), start=1)
    ]
    return pd.DataFrame.from_records(records, columns=REPORT_COLUMNS)


@pytest.fixture(scope="module")
def progress(plan: Plan) -> pd.DataFrame:
    return task_rag(plan.tasks, reports_frame(), MEETING)


def content(plan: Plan, progress: pd.DataFrame | None, agency: str | None = None,
            medium: Medium = Medium.HTML) -> list[Section]:
    return report.build_report_content(plan, medium, meeting_date=MEETING, agency=agency, window_days=WINDOW,
                                       progress=progress).sections


def progress_section(sections: list[Section]) -> Section:
    return next(s for s in sections if s.anchor == "progress")


def tiles(section: Section) -> tuple[dict[str, int], dict[str, int]]:
    status, rag = (b for b in section.blocks if isinstance(b, Tiles))
    return {t.label: t.value for t in status.tiles}, {t.label: t.value for t in rag.tiles}


def table(section: Section, anchor: str) -> Table:
    sub = next(s for s in section.subsections if s.anchor == anchor)
    block = sub.blocks[0]
    assert isinstance(block, Table)
    return block


def raw_rows(agency: str | None = None) -> list[dict[str, Any]]:
    rows = independent_rows()
    return [r for r in rows if agency is None or agency in r["lead"] or agency in r["support"]]


def expected_status_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    ids = {str(r["id"]) for r in rows}
    counts = Counter(REPORTS[i][0] for i in ids if i in REPORTS)
    counts["not_started"] += len(ids - set(REPORTS))
    labels = {"not_started": "未启动", "in_progress": "推进中", "done": "已完成", "delayed": "滞后", "suspended": "暂缓"}
    return {labels[s]: counts.get(s, 0) for s in labels}


@pytest.mark.parametrize("agency", [None, AGENCY])
def test_counts_per_status_and_colour(plan, progress, agency):
    section = progress_section(content(plan, progress, agency))
    rows = raw_rows(agency)
    status, rag = tiles(section)
    assert status == expected_status_counts(rows)
    ids = {str(r["id"]) for r in rows}
    colours = Counter(str(c) for i, c in zip(progress["id"], progress["rag"], strict=True) if i in ids)
    assert rag == {"红色预警": colours["red"], "黄色预警": colours["amber"], "绿色（正常）": colours["green"]}
    assert sum(rag.values()) == len(rows)
    # the task reported delayed is red, the one done green, whatever their deadlines
    assert progress.set_index("id").loc["2", "rag"] == Rag.RED and progress.set_index("id").loc["1", "rag"] == Rag.GREEN


def test_red_tasks_by_lead_agency(plan, progress):
    red = set(progress.loc[progress["rag"] == Rag.RED, "id"])
    assert "2" in red and len(red) > 1  # reported delayed, and tasks past their deadline
    expected = Counter((lead, str(r["id"])) for r in raw_rows() if str(r["id"]) in red for lead in r["lead"])
    rows = table(progress_section(content(plan, progress)), "progress-red").texts
    assert Counter((row[0], row[1]) for row in rows) == expected
    delayed = next(row for row in rows if row[1] == "2")
    assert delayed[3].startswith("滞后 30%") and "报送为滞后" in delayed[3]
    leads = [row[0] for row in rows]  # grouped: each agency's rows together
    assert all(leads.index(a) + leads.count(a) - 1 == len(leads) - 1 - leads[::-1].index(a) for a in set(leads))


def test_what_each_agency_is_asked_to_report(plan, progress):
    asked_ids = {str(r["id"]) for r in raw_rows()} - REPORTED_THIS_PERIOD
    expected = Counter(lead for r in raw_rows() if str(r["id"]) in asked_ids for lead in r["lead"])
    section = progress_section(content(plan, progress))
    rows = table(section, "progress-asked").texts
    assert {row[0]: int(row[1]) for row in rows} == dict(expected)
    by_agency = {row[0]: set(row[2].split("、")) for row in rows}
    assert by_agency[AGENCY] == {str(r["id"]) for r in raw_rows() if AGENCY in r["lead"]} & asked_ids
    assert [int(row[1]) for row in rows] == sorted((int(row[1]) for row in rows), reverse=True)
    note = next(b for b in section.blocks if isinstance(b, Note)).paragraphs[0]
    assert f"{len(asked_ids)} 项未完成且本期（2020-09）尚未报送" in note and f"中 {len(REPORTS)} 项报送过" in note


def test_agency_pack_lists_its_own_tasks_to_report(plan, progress):
    mine = {str(r["id"]): ("牵头" if AGENCY in r["lead"] else "配合") for r in raw_rows(AGENCY)}
    rows = table(progress_section(content(plan, progress, AGENCY)), "progress-asked").texts
    assert {row[0]: row[2] for row in rows} == {i: role for i, role in mine.items() if i not in REPORTED_THIS_PERIOD}
    red = table(progress_section(content(plan, progress, AGENCY)), "progress-red").texts
    assert {row[1] for row in red} == set(progress.loc[progress["rag"] == Rag.RED, "id"]) & set(mine)


def test_without_progress_or_reports(plan):
    assert "progress" not in [s.anchor for s in content(plan, None)]
    nothing = task_rag(plan.tasks, reports_frame().iloc[0:0], MEETING)
    section = progress_section(content(plan, nothing))
    assert [type(b) for b in section.blocks] == [Note] and not section.subsections
    assert "尚无进展报送" in section.blocks[0].paragraphs[0]  # type: ignore[union-attr]


def test_english_html_and_deck(plan, progress, renderer):
    html = report.build_html(plan, meeting_date=MEETING, lang="en", window_days=WINDOW, progress=progress).decode()
    assert 'id="progress"' in html and "Red tasks by lead agency" in html and "Tasks to report this period (2020-09)" in html
    assert 'class="status-red"' in html
    deck = Presentation(io.BytesIO(report.build_pptx(plan, meeting_date=MEETING, window_days=WINDOW,
                                                     progress=progress)))
    names = titles(deck)
    first = names.index("进展情况")
    assert names[first - 1].startswith("关键数字")
    assert names[first + 1].startswith("红色预警任务（按牵头单位）")
    assert any(n.startswith("本期（2020-09）须报送进展的任务") for n in names[first + 1:])
