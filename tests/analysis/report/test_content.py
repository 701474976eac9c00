"""The pack's data and content model: sections for a plan pack and an agency pack, cells that
carry statuses (never colours), the file formats and the agencies a pack can be made for."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from itertools import pairwise

import pandas as pd
import pytest
from pptx import Presentation

from analysis import derive, report
from analysis.report import content, style
from analysis.report import html as html_renderer
from analysis.report import pptx as pptx_renderer
from analysis.report.content import (
    Cell,
    Chart,
    Medium,
    Note,
    Panel,
    Section,
    Table,
    Tiles,
)
from analysis.vocab import DueStatus, Rag
from tests.analysis.report.helpers import (
    AGENCY,
    MEETING,
    WINDOW,
    expected_tasks,
    first_column,
    tables,
    titles,
)


def test_default_meeting_date_is_today_inside_the_plan_period(plan):
    assert derive.default_meeting_date(plan, dt.date(2019, 5, 1)) == dt.date(2020, 1, 1)
    assert derive.default_meeting_date(plan, dt.date(2021, 5, 1)) == dt.date(2021, 5, 1)
    assert derive.default_meeting_date(plan, dt.date(2030, 5, 1)) == dt.date(2022, 12, 31)


def test_report_format_from_suffix():
    assert report.report_format("pack.PPTX") == ".pptx"
    assert report.report_format("r.htm") == ".html"
    with pytest.raises(ValueError, match="unsupported"):
        report.report_format("pack.pdf")


def test_pack_scopes_lists_leaders_by_tasks_led_then_the_rest(plan):
    led = Counter(plan.assignments.loc[plan.assignments["role"] == "lead", "agency"])
    scopes = report.pack_scopes(plan)
    assert sorted(scopes) == sorted(plan.agencies["agency"])  # every agency, once
    leaders = scopes[: len(led)]
    assert set(leaders) == set(led)
    assert [led[a] for a in leaders] == sorted(led.values(), reverse=True)
    table = list(plan.agencies["agency"])
    for first, second in pairwise(leaders):  # ties keep table order
        if led[first] == led[second]:
            assert table.index(first) < table.index(second)
    assert scopes[len(led):] == [a for a in table if a not in led]
    assert scopes[0] == "省经信厅"


# ----------------------------------------------------------------------------- the content model


def _content(plan, medium, agency=None, **limits):
    with pytest.MonkeyPatch.context() as patch:
        for name, value in limits.items():
            patch.setattr(content, name, value)
        pack = report.prepare_pack(plan, meeting_date=MEETING, agency=agency, window_days=WINDOW)
        return content.build_content(pack, medium)


def _blocks(section, kind):
    return [b for b in section.blocks if isinstance(b, kind)]


def test_plan_and_agency_packs_have_their_own_sections_in_one_order(plan):
    anchors = {
        (agency, medium): [s.anchor for s in _content(plan, medium, agency).sections]
        for agency in (None, AGENCY) for medium in Medium
    }
    common = ["key-figures", "workload", "timeline"]
    assert anchors[None, Medium.DECK] == [*common, "due", "network", "lead-agencies", "appendix"]
    assert anchors[None, Medium.HTML] == [*common, "network", "lead-agencies", "appendix"]  # due list with the key figures
    agency_tail = ["network", "tasks-led", "tasks-supported", "partners", "targets"]
    assert anchors[AGENCY, Medium.DECK] == anchors[AGENCY, Medium.HTML] == [*common, *agency_tail]


def test_content_for_decides_plan_or_agency_once(plan):
    whole = report.prepare_pack(plan, meeting_date=MEETING)
    mine = report.prepare_pack(plan, meeting_date=MEETING, agency=AGENCY)
    assert isinstance(content.content_for(whole, Medium.HTML), content.PlanContent)
    assert isinstance(content.content_for(mine, Medium.HTML), content.AgencyContent)
    assert whole.leads and whole.partners is None
    assert mine.partners is not None and not mine.leads


def test_html_report_has_a_subsection_per_lead_agency(plan):
    leaders = report.lead_agencies(plan)
    (leads,) = [s for s in _content(plan, Medium.HTML).sections if s.anchor == "lead-agencies"]
    assert len(leads.subsections) == len(leaders)
    for sub, agency in zip(leads.subsections, leaders, strict=True):
        assert sub.title.startswith(f"{agency} · 牵头 ")
        (table,) = _blocks(sub, Table)
        assert [row[0].text for row in table.rows] == expected_tasks(plan, agency, "lead")
        assert not _blocks(sub, Panel)


def _grouped_rows(table):
    """(agency, task id) per row of a shared table: the agency is named on its first row only."""
    agency, pairs = None, []
    for row in table.rows:
        agency = row[0].text or agency
        pairs.append((agency, row[1].text))
    return pairs


def test_deck_packs_agencies_leading_few_tasks_onto_shared_slides(plan):
    led = Counter(plan.assignments.loc[plan.assignments["role"] == "lead", "agency"])
    (leads,) = [s for s in _content(plan, Medium.DECK).sections if s.anchor == "lead-agencies"]
    own = [s for s in leads.subsections if s.anchor.startswith("lead-") and not s.anchor.startswith("lead-group")]
    groups = [s for s in leads.subsections if s.anchor.startswith("lead-group-")]
    assert len(own) + len(groups) == len(leads.subsections)
    # agencies leading more than LEAD_SHARED_MAX tasks keep a slide of their own, with the side panel
    big = sorted((a for a, n in led.items() if n > content.LEAD_SHARED_MAX), key=lambda a: -led[a])
    assert [s.title.split(" · ")[0] for s in own] == big == ["省经信厅", "省建设厅"]
    for sub in own:
        (table,) = _blocks(sub, Table)
        agency = sub.title.split(" · ")[0]
        assert [row[0].text for row in table.rows] == expected_tasks(plan, agency, "lead")
        assert len(_blocks(sub, Panel)) == 1
    # the others share tables of at most LEAD_TABLE_ROWS rows, each agency whole in one of them
    small = {a for a, n in led.items() if n <= content.LEAD_SHARED_MAX}
    assert len(groups) == 2  # 17 agencies leading 23 tasks, 12 rows a slide
    named = []
    for sub in groups:
        (table,) = _blocks(sub, Table)
        assert len(table.rows) <= content.LEAD_TABLE_ROWS and table.max_rows == content.LEAD_TABLE_ROWS
        pairs = _grouped_rows(table)
        agencies = list(dict.fromkeys(a for a, _ in pairs))
        named += [row[0].text for row in table.rows if row[0].text]
        assert sub.title.startswith(f"牵头任务较少的单位：{len(agencies)} 个单位 · {len(pairs)} 项任务")
        for agency in agencies:
            assert [tid for a, tid in pairs if a == agency] == expected_tasks(plan, agency, "lead")
    assert sorted(named) == sorted(small)  # every small agency named once: none split, none lost


def test_pack_leads_keeps_agencies_whole_and_in_order():
    def entry(name, n):
        return content.LeadEntry(name, pd.DataFrame({"task_id": [str(i) for i in range(n)]}), 0,
                                 pd.DataFrame())

    entries = [entry("a", 3), entry("b", 3), entry("c", 2), entry("d", 1), entry("e", 5), entry("f", 1)]
    groups = content.pack_leads(entries, 6)
    assert [[e.agency for e in g] for g in groups] == [["a", "b"], ["c", "d"], ["e", "f"]]
    assert [[e.agency for e in g] for g in content.pack_leads([entry("x", 9), entry("y", 1)], 6)] == [["x"], ["y"]]
    assert content.pack_leads([], 6) == []


def test_agency_partner_chart_counts_work_on_the_agency_tasks(plan):
    a = plan.assignments
    mine = set(a.loc[a["agency"] == AGENCY, "task_id"])
    on_mine = a.loc[a["task_id"].isin(mine)]
    expected = {}
    for agency, role in zip(on_mine["agency"], on_mine["role"], strict=True):
        counts = expected.setdefault(agency, {"lead": 0, "support": 0})
        counts[role] += 1
    for medium, shown in ((Medium.HTML, len(expected)), (Medium.DECK, content.WORKLOAD_ROWS)):
        (section,) = [s for s in _content(plan, medium, AGENCY).sections if s.anchor == "workload"]
        (chart,) = _blocks(section, Chart)
        assert chart.title == section.title == f"{AGENCY} 的任务中各单位的分工"
        assert chart.notes[0].startswith(f"只计 {AGENCY} 牵头或配合的 {len(mine)} 项任务")
        lead_bar, support_bar = chart.figure.data[:2]
        names = list(lead_bar.y)
        assert names[0] == AGENCY and len(names) == shown
        for name, lead, support in zip(names, lead_bar.x, support_bar.x, strict=True):
            assert (lead, support) == (expected[name]["lead"], expected[name]["support"]), name
        totals = [expected[n]["lead"] + expected[n]["support"] for n in names[1:]]
        assert totals == sorted(totals, reverse=True)
        if medium is Medium.DECK:  # 23 partners, the chart holds 17 of them and says so
            assert chart.notes[1] == f"图中为共同任务最多的 {shown - 1} 个协作单位（共 {len(expected) - 1} 个）。"
    # not the whole-plan totals the chart used to show
    whole = dict(zip(plan.agencies["agency"], plan.agencies["lead"], strict=True))
    assert expected["省建设厅"]["lead"] == 2 < whole["省建设厅"] == 6


def test_summary_deck_rules_live_in_the_content(plan):
    limits = {"DECK_DETAIL_MAX_TASKS": 20, "DECK_MAX_ROWS": 2, "DECK_MAX_LEADS": 3}
    deck = _content(plan, Medium.DECK, **limits)
    assert "appendix" not in [s.anchor for s in deck.sections]
    (leads,) = [s for s in deck.sections if s.anchor == "lead-agencies"]
    assert len(leads.subsections) == 3 + 1  # three agencies and the note on the others
    (note,) = _blocks(leads.subsections[-1], Note)
    assert "牵头任务最多的 3 个单位" in note.paragraphs[0]
    (due,) = [s for s in deck.sections if s.anchor == "due"]
    (table,) = _blocks(due, Table)
    assert len(table.rows) == 2 and table.note is not None and "仅列出前 2 项" in table.note
    html = _content(plan, Medium.HTML, **limits)  # the HTML report keeps every task
    assert "appendix" in [s.anchor for s in html.sections]
    (appendix,) = [s for s in html.sections if s.anchor == "appendix"]
    assert len(_blocks(appendix, Table)[0].rows) == len(plan.tasks)


def test_table_cells_carry_due_statuses_not_colours(plan):
    status = derive.due_status(plan, MEETING, window_days=WINDOW).set_index("task_id")["status"].astype(str)
    pressing = {tid for tid, s in status.items() if s in ("overdue", "due_soon")}
    assert pressing  # the meeting date has tasks past and near their deadline
    html = _content(plan, Medium.HTML)
    (appendix,) = [s for s in html.sections if s.anchor == "appendix"]
    (table,) = _blocks(appendix, Table)
    marked = {}
    for row in table.rows:
        for cell in row:
            assert cell.status is None or isinstance(cell.status, DueStatus)
            assert not cell.text.startswith("#")
        if row[-1].status is not None:
            marked[row[0].text] = row[-1].status
    assert set(marked) == pressing
    assert all(marked[tid] == status[tid] for tid in marked)
    (key,) = [s for s in html.sections if s.anchor == "key-figures"]
    (due,) = [b for b in _blocks(key, Table) if b.heading]  # the due list under the key figures
    assert {row[0].text for row in due.rows} == pressing
    assert all(row[-1].status in (DueStatus.OVERDUE, DueStatus.DUE_SOON) for row in due.rows)


def test_due_tiles_carry_every_status_and_count_every_task(plan):
    for agency in (None, AGENCY):
        pack = report.prepare_pack(plan, meeting_date=MEETING, agency=agency, window_days=WINDOW)
        (key, *_) = content.build_content(pack, Medium.DECK).sections
        general, due = _blocks(key, Tiles)
        assert general.heading is None and all(tile.status is None for tile in general.tiles)
        assert [tile.status for tile in due.tiles] == list(DueStatus)
        assert sum(tile.value for tile in due.tiles) == len(pack.status)
    assert set(style.STATUS_COLORS) == set(DueStatus) | set(Rag)  # every status and warning has its colour, in one place


def test_deck_charts_carry_their_render_size_html_charts_do_not(plan):
    for medium in Medium:
        charts = [b for s in _content(plan, medium).sections for b in _blocks(s, Chart)]
        assert len(charts) >= 3
        for chart in charts:
            if medium is Medium.DECK:
                assert chart.size is not None and chart.size[0] == 1280 and 400 < chart.size[1] < 600
            else:
                assert chart.size is None
            assert chart.title and chart.figure.data


def test_cover_and_footer_name_the_agency_of_an_agency_pack(plan):
    whole, mine = _content(plan, Medium.DECK).cover, _content(plan, Medium.DECK, AGENCY).cover
    assert whole.title == plan.meta.display_title("zh") and whole.details == []
    assert AGENCY in mine.title and mine.subtitle == whole.title and mine.details
    assert mine.footer == f"{AGENCY} · {whole.footer}"
    assert whole.date == MEETING.isoformat() and MEETING.isoformat() in whole.meeting


def test_assets_are_package_files():
    css, js = html_renderer.asset("report.css"), html_renderer.asset("report.js")
    assert "@media print" in css and "var(--status-overdue)" in css
    assert "beforeprint" in js and "printWidth" in js


def test_a_new_section_needs_nothing_in_the_renderers(plan, renderer):
    """A section built from the existing blocks renders in both formats as it is."""
    extra = Section("progress", "进展情况", [
        Table(header=["任务", "状态"], rows=[[Cell("1"), Cell("滞后", DueStatus.OVERDUE)]], widths=[2.0, 10.333]),
        Note(["说明文字"]),
    ])
    for medium, render in ((Medium.DECK, pptx_renderer.render), (Medium.HTML, html_renderer.render)):
        built = _content(plan, medium, AGENCY)
        built.sections.append(extra)
        out = render(built)
        if medium is Medium.DECK:
            prs = Presentation(io.BytesIO(out))
            assert titles(prs)[-1] == "进展情况"
            (table,) = tables(prs.slides[-1])
            assert first_column(table) == ["1"]
        else:
            page = out.decode("utf-8")
            assert '<section id="progress" class="page"><h2>进展情况</h2>' in page
            assert '<td class="status-overdue">滞后</td>' in page and "<p>说明文字</p>" in page
