"""The deck, opened with python-pptx and checked against the plan's own assignments (which
slides, which tasks on each), its geometry and fonts, and the `report` command writing one."""

from __future__ import annotations

import datetime as dt
import math

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from analysis import report
from analysis.__main__ import main
from analysis.report import content
from tests.analysis.report.helpers import (
    AGENCY,
    FONT,
    MEETING,
    expected_tasks,
    first_column,
    inches,
    lead_counts,
    png_size,
    tables,
    task_column,
    titles,
)

# ----------------------------------------------------------------------------- plan deck


def test_deck_is_16_by_9(deck):
    assert round(inches(deck.slide_width), 2) == 13.33
    assert round(inches(deck.slide_height), 2) == 7.5


def test_slide_count_follows_the_plan(deck, plan):
    names = titles(deck)
    leads = lead_counts(plan)
    timeline = math.ceil(len(plan.tasks) / report.TIMELINE_ROWS)
    # agencies leading more than LEAD_SHARED_MAX tasks have their own slides, the others share
    # slides of at most LEAD_TABLE_ROWS tasks (here 17 agencies leading 23 tasks: two slides)
    own = sum(math.ceil(n / report.LEAD_TABLE_ROWS) for n in leads.values() if n > content.LEAD_SHARED_MAX)
    shared_rows = sum(n for n in leads.values() if n <= content.LEAD_SHARED_MAX)
    shared = [n for n in names if n.startswith("牵头任务较少的单位")]
    assert len(shared) == math.ceil(shared_rows / report.LEAD_TABLE_ROWS) == 2
    due = [n for n in names if n.startswith("已过期限和即将到期的任务")]
    appendix = [n for n in names if n.startswith("附录：全部任务")]
    assert len(due) >= 1 and len(appendix) >= math.ceil(len(plan.tasks) / report.MAX_TABLE_ROWS)
    fixed = 4  # title, key figures, workload, network
    assert len(deck.slides) == fixed + timeline + len(due) + own + len(shared) + len(appendix)
    assert len(deck.slides) == 16  # 31 when each of the 19 lead agencies had a slide


def test_slide_titles(deck, plan):
    names = titles(deck)
    title_slide_text = " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert plan.meta.title in title_slide_text and MEETING.isoformat() in title_slide_text
    assert names[1] == "关键数字"
    assert names[2] == f"任务最多的 {report.WORKLOAD_ROWS} 个单位（共 {len(plan.agencies)} 个）"
    timeline = [n for n in names if n.startswith("任务时间线")]
    assert timeline == [f"任务时间线（2020-01-01 至 2022-12-31）（{i}/{len(timeline)}）" for i in range(1, len(timeline) + 1)]
    assert "单位协作网络" in names


def test_key_figures(deck, plan):
    text = " ".join(s.text_frame.text for s in deck.slides[1].shapes if s.has_text_frame)
    explicit = plan.tasks.loc[plan.tasks["deadline_kind"] == "explicit", "deadline"]
    overdue = int((explicit < dt.datetime(2020, 9, 15)).sum())
    soon = int(((explicit >= dt.datetime(2020, 9, 15)) & (explicit <= dt.datetime(2020, 10, 15))).sum())
    for value, label in [(len(plan.tasks), "重点任务"), (len(plan.agencies), "责任单位"), (len(explicit), "有明确期限"),
                         (overdue, "已过期限"), (soon, "30 天内到期")]:
        assert f"{value}\n{label}" in text


def test_every_lead_agency_and_its_tasks_are_on_the_lead_slides(deck, plan):
    """Read back from the slides: per agency, the tasks on its own slides or on its rows of a
    shared slide (named on its first row) are exactly its tasks led, in table order."""
    names = titles(deck)
    leads = lead_counts(plan)
    found: dict[str, list[str]] = {}
    order = []
    for slide, name in zip(deck.slides, names, strict=True):
        if " · 牵头 " in name:
            agency = name.split(" · ")[0]
            order.append(agency)
            found.setdefault(agency, []).extend(first_column(tables(slide)[0]))
        elif name.startswith("牵头任务较少的单位"):
            (table,) = tables(slide)
            assert table.cell(0, 0).text == "牵头单位"
            agency = None
            for r in range(1, len(table.rows)):
                agency = table.cell(r, 0).text or agency
                assert agency is not None
                found.setdefault(agency, []).append(table.cell(r, 1).text)
    assert set(found) == set(leads)  # every lead agency, none invented
    for agency in leads:
        assert found[agency] == expected_tasks(plan, agency, "lead"), agency
    led_somewhere = set(plan.assignments.loc[plan.assignments["role"] == "lead", "task_id"])
    assert {tid for ids in found.values() for tid in ids} == led_somewhere == set(plan.tasks["task_id"])
    # own slides: most tasks led first
    assert [leads[a] for a in order] == sorted((leads[a] for a in order), reverse=True)


def test_lead_slide_shows_supported_count_and_partners(deck, plan):
    a = plan.assignments
    slide = next(s for s, n in zip(deck.slides, titles(deck), strict=True) if n.startswith(f"{AGENCY} · 牵头"))
    text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    supported = len(expected_tasks(plan, AGENCY, "support"))
    mine = set(a.loc[a["agency"] == AGENCY, "task_id"])
    partners = set(a.loc[a["task_id"].isin(mine) & (a["agency"] != AGENCY), "agency"])
    assert f"配合任务：{supported}" in text and f"协作单位：{len(partners)}" in text
    partner_table = tables(slide)[1]
    listed = first_column(partner_table)
    assert listed and set(listed) <= partners


def test_due_slides_list_the_tasks_due(deck, plan):
    tasks = plan.tasks
    explicit = tasks["deadline_kind"] == "explicit"
    due = tasks.loc[explicit & (tasks["deadline"] <= dt.datetime(2020, 10, 15))].sort_values(["deadline", "seq"])
    assert task_column(deck, "已过期限和即将到期的任务") == due["task_id"].tolist()


def test_appendix_lists_every_task_once_in_order(deck, plan):
    assert task_column(deck, "附录：全部任务") == plan.tasks["task_id"].tolist()
    for slide, name in zip(deck.slides, titles(deck), strict=True):
        if name.startswith("附录"):
            (table,) = tables(slide)
            assert 1 <= len(table.rows) - 1 <= report.MAX_TABLE_ROWS
            texts = [table.cell(r, 1).text for r in range(1, len(table.rows))]
            full = dict(zip(plan.tasks["task_id"], plan.tasks["text"], strict=True))
            for r, text in enumerate(texts, start=1):
                assert text == " ".join(full[table.cell(r, 0).text].split())


def test_chart_slides_hold_crisp_png_images(deck):
    names = titles(deck)
    charted = [i for i, n in enumerate(names) if n.startswith(("任务最多", "任务时间线", "单位协作网络"))]
    assert len(charted) >= 4
    for i in charted:
        pictures = [s for s in deck.slides[i].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1, names[i]
        blob = pictures[0].image.blob
        assert pictures[0].image.content_type == "image/png"
        width, height = png_size(blob)
        assert width >= 3000 and 1000 <= height <= width and len(blob) > 50_000
        assert abs(width / height - pictures[0].width / pictures[0].height) < 0.01


def test_every_run_uses_noto_cjk_for_latin_and_east_asian_text(deck, agency_deck):
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    for prs in (deck, agency_deck):
        for slide in prs.slides:
            for rpr in slide.shapes._spTree.iter(f"{ns}rPr"):
                assert rpr.find(f"{ns}latin").get("typeface") == FONT
                assert rpr.find(f"{ns}ea").get("typeface") == FONT
                assert int(rpr.get("sz")) >= 1100


def test_shapes_and_tables_stay_on_the_slide(deck, agency_deck):
    for prs in (deck, agency_deck):
        width, height = inches(prs.slide_width), inches(prs.slide_height)
        for slide in prs.slides:
            for shape in slide.shapes:
                assert inches(shape.left) >= 0 and inches(shape.top) >= 0
                assert inches(shape.left + shape.width) <= width + 1e-6
                if shape.has_table:
                    rows = sum(inches(r.height) for r in shape.table.rows)
                    assert inches(shape.top) + rows <= report.BODY_BOTTOM + 1e-6
                    assert abs(sum(inches(c.width) for c in shape.table.columns) - inches(shape.width)) < 1e-3
                else:
                    assert inches(shape.top + shape.height) <= height + 1e-6


def test_table_cells_have_room_for_their_text(deck, agency_deck):
    """A rough, independent area check: the glyphs of a cell (CJK 1 em², Latin ½ em wide,
    lines 1.2 em high) must fit the cell's inner area at its font size."""
    for prs in (deck, agency_deck):
        for slide in prs.slides:
            for table in tables(slide):
                for r, row in enumerate(table.rows):
                    for c, column in enumerate(table.columns):
                        cell = table.cell(r, c)
                        runs = [run for p in cell.text_frame.paragraphs for run in p.runs]
                        size = max((run.font.size.pt for run in runs), default=11)
                        ems = sum(1.0 if ord(ch) > 0x2000 else 0.5 for ch in cell.text)
                        need = ems * size * size * 1.2
                        room = (inches(column.width) - 0.16) * 72 * (inches(row.height) - 0.1) * 72
                        assert need <= room, cell.text


# ----------------------------------------------------------------------------- agency deck


def test_agency_pack_lists_its_tasks_led_and_supported(agency_deck, plan):
    names = titles(agency_deck)
    assert task_column(agency_deck, f"{AGENCY} 牵头的任务") == expected_tasks(plan, AGENCY, "lead")
    assert task_column(agency_deck, f"{AGENCY} 配合的任务") == expected_tasks(plan, AGENCY, "support")
    a = plan.assignments
    mine = set(a.loc[a["agency"] == AGENCY, "task_id"])
    partners = set(a.loc[a["task_id"].isin(mine) & (a["agency"] != AGENCY), "agency"])
    assert set(task_column(agency_deck, f"{AGENCY} 的协作单位")) == partners
    targets = sum(len(t) for tid, t in zip(plan.tasks["task_id"], plan.tasks["targets"], strict=True) if tid in mine)
    assert len(task_column(agency_deck, f"{AGENCY} 任务中的量化目标")) == targets
    assert names[1] == "关键数字" and f"{AGENCY} 的协作网络" in names


def test_agency_pack_slide_count(agency_deck, plan):
    names = titles(agency_deck)
    mine = plan.assignments.loc[plan.assignments["agency"] == AGENCY, "task_id"].nunique()
    timeline = math.ceil(mine / report.TIMELINE_ROWS)
    prefixes = tuple(f"{AGENCY} {p}" for p in ("牵头的任务", "配合的任务", "的协作单位", "任务中的量化目标"))
    tables_slides = [n for n in names if n.startswith(prefixes)]
    # title, key figures, workload, timeline, network, then the table slides
    assert len(agency_deck.slides) == 3 + timeline + 1 + len(tables_slides)
    deadlines = [agency_deck.slides[i] for i, n in enumerate(names) if n.startswith(f"{AGENCY} 牵头的任务")]
    header = [c.text for c in tables(deadlines[0])[0].rows[0].cells]
    assert header[-1] == "期限"


def test_cli_writes_a_deck(tmp_path, capsys, renderer):
    out = tmp_path / "pack.pptx"
    code = main(["report", "--out", str(out), "--agency", "省大数据局", "--meeting-date", "2020-09-15"])
    assert code == 0
    assert capsys.readouterr().out.strip() == str(out)
    prs = Presentation(str(out))
    assert len(prs.slides) >= 6


def test_a_small_plan_is_not_summarised(deck, plan):
    assert [n for n in titles(deck) if n.startswith("附录")]
    assert not [n for n in titles(deck) if "期限分布" in n]
