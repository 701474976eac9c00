"""Meeting pack: the deck is opened with python-pptx and checked against the plan's own
assignments (which slides, which tasks on each), the HTML report for self-containment and
escaping, and the `report` command. Each deck is built once per module, in one browser."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections import Counter

import pytest
from plotly.offline import get_plotlyjs
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from analysis import derive, report
from analysis.__main__ import main
from analysis.model import load_bundled_plan, plan_from_bytes
from analysis.render import chart_renderer

MEETING = dt.date(2020, 9, 15)
WINDOW = 30
AGENCY = "省经信厅"
FONT = "Noto Sans CJK SC"
EMU_PER_INCH = 914400
HOSTILE_LEAD = "<script>alert(1)</script>"
HOSTILE_SUPPORT = "<img src=x onerror=alert(1)>"


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def plan():
    return load_bundled_plan()


@pytest.fixture(scope="module")
def renderer():
    with chart_renderer():  # one Chromium for every deck built in this module
        yield


@pytest.fixture(scope="module")
def deck(plan, renderer):
    data = report.build_pptx(plan, meeting_date=MEETING, window_days=WINDOW)
    return Presentation(io.BytesIO(data))


@pytest.fixture(scope="module")
def agency_deck(plan, renderer):
    data = report.build_pptx(plan, meeting_date=MEETING, agency=AGENCY, window_days=WINDOW)
    return Presentation(io.BytesIO(data))


@pytest.fixture(scope="module")
def html_text(plan):
    return report.build_html(plan, meeting_date=MEETING, window_days=WINDOW).decode("utf-8")


@pytest.fixture(scope="module")
def hostile_plan():
    rows = [
        ["序号", "重点工作任务", "牵头单位", "配合单位"],
        ["1", "2020年9月底前建成一批基站。", HOSTILE_LEAD, HOSTILE_SUPPORT],
        ["2", "推进“5G+工业互联网”融合应用。", "省经信厅", HOSTILE_SUPPORT],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return plan_from_bytes(buffer.getvalue().encode("utf-8"), "hostile.csv")


# ----------------------------------------------------------------------------- helpers


def titles(prs) -> list[str]:
    return [slide.shapes.title.text if slide.shapes.title is not None else "" for slide in prs.slides]


def tables(slide) -> list:
    return [shape.table for shape in slide.shapes if shape.has_table]


def first_column(table) -> list[str]:
    return [table.cell(r, 0).text for r in range(1, len(table.rows))]


def task_column(prs, prefix: str) -> list[str]:
    """Task numbers in the first table of every slide whose title starts with `prefix`."""
    ids = []
    for slide, title in zip(prs.slides, titles(prs), strict=True):
        if title.startswith(prefix):
            ids += first_column(tables(slide)[0])
    return ids


def expected_tasks(plan, agency: str, role: str) -> list[str]:
    """Task ids in table order, read from plan.assignments."""
    a = plan.assignments
    ids = set(a.loc[(a["agency"] == agency) & (a["role"] == role), "task_id"])
    return [tid for tid in plan.tasks["task_id"] if tid in ids]


def lead_counts(plan) -> Counter:
    return Counter(plan.assignments.loc[plan.assignments["role"] == "lead", "agency"])


def png_size(blob: bytes) -> tuple[int, int]:
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(blob[16:20], "big"), int.from_bytes(blob[20:24], "big")


def inches(value) -> float:
    return Emu(value) / EMU_PER_INCH


# ----------------------------------------------------------------------------- plan deck


def test_deck_is_16_by_9(deck):
    assert round(inches(deck.slide_width), 2) == 13.33
    assert round(inches(deck.slide_height), 2) == 7.5


def test_slide_count_follows_the_plan(deck, plan):
    names = titles(deck)
    leads = lead_counts(plan)
    timeline = math.ceil(len(plan.tasks) / report.TIMELINE_ROWS)
    lead_slides = sum(math.ceil(n / report.LEAD_TABLE_ROWS) for n in leads.values())
    due = [n for n in names if n.startswith("已过期限和即将到期的任务")]
    appendix = [n for n in names if n.startswith("附录：全部任务")]
    assert len(due) >= 1 and len(appendix) >= math.ceil(len(plan.tasks) / report.MAX_TABLE_ROWS)
    fixed = 4  # title, key figures, workload, network
    assert len(deck.slides) == fixed + timeline + len(due) + lead_slides + len(appendix)


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
        assert f"{value}\n{label}" in text  # a tile: the number above its label


def test_each_lead_agency_slide_lists_exactly_its_tasks(deck, plan):
    names = titles(deck)
    leads = lead_counts(plan)
    seen = set()
    for agency, n in leads.items():
        prefix = f"{agency} · 牵头 {n} 项任务"
        assert any(name.startswith(prefix) for name in names), prefix
        assert task_column(deck, prefix) == expected_tasks(plan, agency, "lead")
        seen.add(agency)
    # most tasks led first
    order = [name.split(" · ")[0] for name in names if " · 牵头 " in name]
    order = list(dict.fromkeys(order))
    assert [leads[a] for a in order] == sorted((leads[a] for a in order), reverse=True)
    assert set(order) == seen


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
                assert text == " ".join(full[table.cell(r, 0).text].split())  # full text, not cut


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
        assert abs(width / height - pictures[0].width / pictures[0].height) < 0.01  # not stretched


def test_every_run_uses_noto_cjk_for_latin_and_east_asian_text(deck, agency_deck):
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    for prs in (deck, agency_deck):
        for slide in prs.slides:
            for rpr in slide.shapes._spTree.iter(f"{ns}rPr"):
                assert rpr.find(f"{ns}latin").get("typeface") == FONT
                assert rpr.find(f"{ns}ea").get("typeface") == FONT
                assert int(rpr.get("sz")) >= 1100  # never below 11 pt


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


def test_unknown_agency_is_an_error(plan):
    with pytest.raises(ValueError, match="不在当前计划"):
        report.build_html(plan, meeting_date=MEETING, agency="不存在的单位")


# ----------------------------------------------------------------------------- HTML


def test_html_holds_every_chart_and_plotly_once(html_text):
    assert html_text.count('class="plotly-graph-div"') == 3  # workload, timeline, network
    assert html_text.count("Plotly.newPlot(") == 3
    assert html_text.count(get_plotlyjs()) == 1
    assert html_text.count('"displaylogo": false') == 3


def test_html_opens_offline(html_text):
    library = get_plotlyjs()
    ours = html_text.replace(library, "")  # plotly.js itself names URLs inside strings it never loads
    assert "http://" not in ours and "https://" not in ours
    assert not re.search(r"<link\b|@import|\burl\(", ours, re.I)
    assert not re.search(r"<(script|img|iframe|link|source|embed)\b[^>]*\b(src|href)\s*=", html_text, re.I)
    assert "mathjax" not in ours.lower().replace("mathjaxconfig: 'local'", "")
    assert "topojson" not in ours.lower()


def test_html_print_styles(html_text):
    assert "@media print" in html_text
    assert "page-break-inside: avoid" in html_text and "page-break-before: always" in html_text


def test_html_tables_hold_every_task(html_text, plan):
    for text in plan.tasks["text"]:
        assert " ".join(text.split()) in html_text or text in html_text


def test_html_escapes_hostile_agency_names(hostile_plan):
    names = set(hostile_plan.agencies["agency"])
    hostile = [n for n in names if "<" in n]
    assert hostile  # the import keeps the angle brackets (it splits the lead at "/")
    for agency in (None, HOSTILE_SUPPORT):
        page = report.build_html(hostile_plan, meeting_date=dt.date(2020, 9, 1), agency=agency).decode("utf-8")
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
        assert "&lt;script&gt;alert(1)" in page


def test_html_in_english(plan):
    page = report.build_html(plan, meeting_date=MEETING, lang="en").decode("utf-8")
    assert '<html lang="en">' in page and "Coordination meeting pack" in page and "Key figures" in page


# ----------------------------------------------------------------------------- helpers and CLI


def test_default_meeting_date_is_today_inside_the_plan_period(plan):
    assert derive.default_meeting_date(plan, dt.date(2019, 5, 1)) == dt.date(2020, 1, 1)
    assert derive.default_meeting_date(plan, dt.date(2021, 5, 1)) == dt.date(2021, 5, 1)
    assert derive.default_meeting_date(plan, dt.date(2030, 5, 1)) == dt.date(2022, 12, 31)


def test_wrapping_and_pagination():
    assert report.wrap_lines("", 12, 100) == 1
    assert report.wrap_lines("中" * 10, 12, 12 * 10 / 0.9) == 1
    assert report.wrap_lines("中" * 30, 12, 12 * 10 / 0.9) == 3
    assert report.wrap_lines("一\n二", 12, 500) == 2
    cut = report.fit_text("中" * 100, 12, 120, 2, "…")
    assert cut.endswith("…") and report.wrap_lines(cut, 12, 120) <= 2
    assert report.paginate([10, 10, 10], 25, 8) == [(0, 2), (2, 3)]
    assert report.paginate([10] * 5, 1000, 2) == [(0, 2), (2, 4), (4, 5)]
    assert report.paginate([50], 25, 8) == [(0, 1)]  # an oversized row still gets a slide


def test_report_format_from_suffix():
    assert report.report_format("pack.PPTX") == ".pptx"
    assert report.report_format("r.htm") == ".html"
    with pytest.raises(ValueError, match="unsupported"):
        report.report_format("pack.pdf")


def test_cli_writes_a_deck(tmp_path, capsys, renderer):
    out = tmp_path / "pack.pptx"
    code = main(["report", "--out", str(out), "--agency", "省大数据局", "--meeting-date", "2020-09-15"])
    assert code == 0
    assert capsys.readouterr().out.strip() == str(out)
    prs = Presentation(str(out))
    assert len(prs.slides) >= 6


def test_cli_writes_html_and_reports_errors_on_one_line(tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", "--out", str(out), "--lang", "en"]) == 0
    assert out.read_bytes().startswith(b"<!DOCTYPE html>")
    capsys.readouterr()
    for argv in (["report", "--out", str(tmp_path / "x.pdf")],
                 ["report", "--out", str(tmp_path / "x.html"), "--agency", "不存在"],
                 ["report", "--out", str(tmp_path / "missing" / "x.html")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("错误 error:")


def test_pack_scopes_lists_leaders_by_tasks_led_then_the_rest(plan):
    led = Counter(plan.assignments.loc[plan.assignments["role"] == "lead", "agency"])
    scopes = report.pack_scopes(plan)
    assert sorted(scopes) == sorted(plan.agencies["agency"])  # every agency, once
    leaders = scopes[: len(led)]
    assert set(leaders) == set(led)
    assert [led[a] for a in leaders] == sorted(led.values(), reverse=True)
    table = list(plan.agencies["agency"])
    for first, second in zip(leaders, leaders[1:]):  # ties keep table order
        if led[first] == led[second]:
            assert table.index(first) < table.index(second)
    assert scopes[len(led):] == [a for a in table if a not in led]
    assert scopes[0] == "省经信厅"  # leads 11 of 35


# ----------------------------------------------------------------------------- large plans
# The summary rules are exercised on the Zhejiang plan with the limits lowered, so that the
# 35 tasks count as "large": the same code runs for 10 000 tasks (measured in benchmarks/).


@pytest.fixture(scope="module")
def small_limits():
    patch = pytest.MonkeyPatch()
    patch.setattr(report, "DECK_DETAIL_MAX_TASKS", 20)
    patch.setattr(report, "DECK_MAX_ROWS", 2)
    patch.setattr(report, "DECK_MAX_LEADS", 3)
    patch.setattr(report, "HTML_TIMELINE_MAX_TASKS", 20)
    patch.setattr(report, "LEAD_TABLE_ROWS", 5)
    yield
    patch.undo()


@pytest.fixture(scope="module")
def summary_deck(plan, renderer, small_limits):
    data = report.build_pptx(plan, meeting_date=MEETING, window_days=WINDOW)
    return Presentation(io.BytesIO(data))


def slide_text(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


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
    assert lead_slides == [f"{a} · 牵头 {led[a]} 项任务" for a in top]  # one slide each, no page suffix
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


def test_a_small_plan_is_not_summarised(deck, plan):
    assert [n for n in titles(deck) if n.startswith("附录")]
    assert not [n for n in titles(deck) if "期限分布" in n]


def test_summary_agency_pack_caps_its_tables_and_partner_network(plan, renderer, small_limits):
    patch = pytest.MonkeyPatch()
    patch.setattr(report, "NETWORK_MAX_NODES", 5)
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
