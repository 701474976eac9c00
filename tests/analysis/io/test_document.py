"""Plans whose responsibilities are written inline in a policy document (analysis.io.document).

Every fixture here is written for the test (none is copied from a real document); the
Zhejiang table is rewritten by the test as an inline-annotated document.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import docx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.__main__ import main
from analysis.findings import PlanImportError
from analysis.io import read_table
from analysis.io.document import read_document, read_document_text, title_year
from analysis.model import TASK_COLUMNS, load_bundled_plan, plan_from_bytes
from analysis.units import split_units
from tests.conftest import ROOT, SEED

FIXTURES = ROOT / "tests" / "fixtures" / "documents"
THEMES = ROOT / "data" / "plans" / "zhejiang_5g_2020_2022" / "themes.csv"


def plan_of(text: str, name: str = "plan.txt"):
    return plan_from_bytes(text.encode("utf-8"), name)


def units(plan, task_id: str, role: str) -> list[str]:
    a = plan.assignments
    mine = a.loc[(a["task_id"] == task_id) & (a["role"] == role)].sort_values("position")
    return mine["agency"].tolist()


def task(plan, task_id: str) -> pd.Series:
    return plan.tasks.set_index("task_id").loc[task_id]


def warnings(plan, code: str) -> list[int | None]:
    return [f.row for f in plan.report.warnings if f.code == code]


# --------------------------------------------------------------- 1. hierarchy, parentheses

HIERARCHY = """\
《某市数字政府建设行动方案（2021-2023年）》
一、夯实基础设施
（一）网络建设
1. 建成千兆光网城市。（牵头单位：市经信局；责任单位：市发改委、市通管办）
2. 推进5G基站建设(牵头单位:市通管办;配合单位:市住建局,市自然资源局)。
3．推进IPv6规模部署（责任单位：市大数据局、市通管办）
（二）算力建设
4、建设城市数据中心（市发改委、市大数据局、各区人民政府）
二、深化数字应用
（一）政务服务
5. 推行《办事指南》（试行）
6. 编制数字政府规划（2021-2023年）
7. 建设一体化政务服务平台（以下简称“一网通办”）
8. 推广电子证照应用（市政务服务中心牵头，市公安局、市市场监管局配合）
9. 推进政务数据共享（责任单位：市大数据局、市财政局（牵头）、各县（市、区）人民政府）
"""


def test_hierarchy_with_trailing_parenthesis_variants():
    plan = plan_of(HIERARCHY)
    assert plan.tasks["task_id"].tolist() == [str(i) for i in range(1, 10)]
    # 牵头 label: 责任单位 then support
    assert units(plan, "1", "lead") == ["市经信局"]
    assert units(plan, "1", "support") == ["市发改委", "市通管办"]
    assert task(plan, "1")["text"] == "建成千兆光网城市。"
    # ASCII punctuation, parenthesis before the full stop, comma between units
    assert units(plan, "2", "lead") == ["市通管办"]
    assert units(plan, "2", "support") == ["市住建局", "市自然资源局"]
    assert task(plan, "2")["text"] == "推进5G基站建设。"
    # only 责任单位: the first leads
    assert units(plan, "3", "lead") == ["市大数据局"]
    assert units(plan, "3", "support") == ["市通管办"]
    # a bare list of agency names: the first leads
    assert units(plan, "4", "lead") == ["市发改委"]
    assert units(plan, "4", "support") == ["市大数据局", "各区人民政府"]
    assert task(plan, "4")["text"] == "建设城市数据中心"
    # brackets that are no unit list stay in the text
    for task_id, kept in (("5", "（试行）"), ("6", "（2021-2023年）"), ("7", "（以下简称“一网通办”）")):
        assert kept in task(plan, task_id)["text"]
        assert units(plan, task_id, "lead") == units(plan, task_id, "support") == []
    assert set(warnings(plan, "no_responsibility")) == {11, 12, 13}
    # "A牵头，B、C配合" and a unit marked （牵头）
    assert units(plan, "8", "lead") == ["市政务服务中心"]
    assert units(plan, "8", "support") == ["市公安局", "市市场监管局"]
    assert units(plan, "9", "lead") == ["市财政局"]
    assert units(plan, "9", "support") == ["市大数据局", "各县（市、区）人民政府"]
    # themes are the top-level headings, sections keep them as written
    assert plan.tasks["theme"].tolist() == ["夯实基础设施"] * 4 + ["深化数字应用"] * 5
    assert task(plan, "1")["section"] == "一、夯实基础设施"
    assert plan.meta.period == (dt.date(2021, 1, 1), dt.date(2023, 12, 31))
    assert task(plan, "1")["source_row"] == 4
    rules = " ".join(en for _, en in plan.report.rules)
    assert "first unit leads" in rules and "as written" in rules


def test_repeated_leaf_numbers_give_dotted_path_ids():
    text = """\
一、网络
1. 建设光网（责任单位：市经信局）
2. 建设基站（责任单位：市通管办）
二、应用
1. 推广应用（责任单位：市大数据局）
1. 重复编号的条目（责任单位：市财政局）
"""
    # "二.1" twice even with the heading: numbered in document order instead
    plan = plan_of(text)
    assert plan.tasks["task_id"].tolist() == ["1", "2", "3", "4"]
    raw = read_document_text(text, "x.txt")
    assert raw is not None
    assert any("document order" in en for _, en in raw.report.rules)
    text_ok = text.replace("1. 重复编号的条目", "2. 第二条")
    assert [r.number for r in read_document_text(text_ok, "x.txt").rows] == ["一.1", "一.2", "二.1", "二.2"]


def test_deeper_levels_and_inherited_units():
    text = """\
一、营商环境
（一）深化改革（牵头单位：市发改委；配合单位：市司法局）
（1）推进审批改革
（2）推进监管改革
"""
    raw = read_document_text(text, "x.txt")
    assert [r.number for r in raw.rows] == ["1", "2"]  # （一） has sub-items: a heading
    assert [r.text for r in raw.rows] == ["推进审批改革", "推进监管改革"]
    assert [(r.lead, r.support) for r in raw.rows] == [("市发改委", "市司法局")] * 2  # taken from the heading
    assert any("heading" in en for _, en in raw.report.rules)
    # ① below （2）: （2） becomes a heading and ① a task with units of its own
    raw = read_document_text(text + "①建设信用平台（责任单位：市信用中心）\n", "x.txt")
    assert [r.text for r in raw.rows] == ["推进审批改革", "建设信用平台"]
    assert [r.number for r in raw.rows] == ["一.1", "2.1"]  # "1" twice: shortest unique paths
    assert raw.rows[1].lead == "市信用中心"


# ---------------------------------------------------------------------- 2. labelled lines

LABELLED = """\
某区2022年重点任务分工方案
1. 推进老旧小区改造，完成改造项目20个。
牵头单位：区住建局
配合单位：区财政局、区发改委。
2. 加强生态环境保护，
持续改善空气质量。
牵头责任单位：区生态环境分局
协同责任单位：区城管局；区交通运输局
3. 完善养老服务体系。
责任单位：区民政局、区卫健局。
4. 推进乡村振兴。
协同单位：区农业农村局
5. 建设智慧社区。牵头单位：区大数据中心；配合单位：各街道
"""


def test_labelled_lines():
    plan = plan_of(LABELLED)
    assert plan.tasks["task_id"].tolist() == ["1", "2", "3", "4", "5"]
    assert units(plan, "1", "lead") == ["区住建局"] and units(plan, "1", "support") == ["区财政局", "区发改委"]
    assert task(plan, "2")["text"] == "加强生态环境保护，持续改善空气质量。"  # hard line break joined
    assert units(plan, "2", "lead") == ["区生态环境分局"]
    assert units(plan, "2", "support") == ["区城管局", "区交通运输局"]
    assert units(plan, "3", "lead") == ["区民政局"] and units(plan, "3", "support") == ["区卫健局"]
    assert units(plan, "4", "lead") == [] and units(plan, "4", "support") == ["区农业农村局"]
    assert warnings(plan, "empty_lead") == [11]
    assert task(plan, "5")["text"] == "建设智慧社区。"
    assert units(plan, "5", "support") == ["各街道"]
    assert plan.agency_type("各街道") == "collective"
    assert task(plan, "1")["targets"][0]["number"] == 20
    assert plan.meta.title == "某区2022年重点任务分工方案"


def test_unnumbered_paragraphs_followed_by_labels_are_tasks():
    text = """\
某县重点工作安排
推进县城污水管网建设。
牵头单位：县住建局
开展农村人居环境整治。
牵头单位：县农业农村局；配合单位：各乡镇
"""
    plan = plan_of(text)
    assert plan.tasks["text"].tolist() == ["推进县城污水管网建设。", "开展农村人居环境整治。"]
    assert len(set(plan.tasks["task_id"])) == 2
    assert units(plan, plan.tasks["task_id"].iloc[1], "support") == ["各乡镇"]


# ------------------------------------------------------------------------- 3. leader lines

LEADERS = """\
XX市2023年民生实事任务分工
一、教育
1. 新建中小学校5所。（牵头单位：市教育局；配合单位：市自然资源局）
牵头市领导：王某某
2. 扩大学前教育资源。
牵头负责领导：李某、赵某
责任单位：市教育局、市财政局
二、医疗
3. 建设区域医疗中心。
责任领导：刘某某（副市长）
分管领导：陈某
牵头单位：市卫健委
4. 推进家庭医生签约服务（牵头市领导：周某；牵头单位：市卫健委）
"""


def test_leaders_are_people_not_agencies():
    plan = plan_of(LEADERS)
    assert task(plan, "1")["leaders"] == ["王某某"]
    assert task(plan, "2")["leaders"] == ["李某", "赵某"]
    assert units(plan, "2", "lead") == ["市教育局"] and units(plan, "2", "support") == ["市财政局"]
    assert task(plan, "3")["leaders"] == ["刘某某（副市长）", "陈某"]
    assert units(plan, "3", "lead") == ["市卫健委"]
    assert task(plan, "4")["leaders"] == ["周某"] and units(plan, "4", "lead") == ["市卫健委"]
    people = {"王某某", "李某", "赵某", "刘某某（副市长）", "刘某某", "陈某", "周某"}
    assert not people & set(plan.agencies["agency"])
    assert not people & set(plan.assignments["as_written"])
    assert "leaders" in TASK_COLUMNS
    assert any("leaders" in en for _, en in plan.report.rules)


def test_summary_json_has_leaders(tmp_path, capsys):
    path = tmp_path / "leaders.txt"
    path.write_text(LEADERS, encoding="utf-8")
    assert main(["summary", str(path), "--json"]) == 0
    tasks = json.loads(capsys.readouterr().out)["tasks"]
    assert tasks[0]["leaders"] == ["王某某"]
    assert tasks[0]["id"] == 1


# ------------------------------------------------------------ 4./5. notes and vague units


def test_blanket_note_is_a_plan_note_not_a_unit():
    text = """\
某市2022年营商环境优化提升任务清单
（以下任务均需各区市政府落实，不再一一列出）
1. 压缩企业开办时间。（责任单位：市市场监管局、市直有关部门）
2. 优化不动产登记。（责任单位：市自然资源局、各相关单位）
"""
    plan = plan_of(text)
    assert plan.meta.notes == ("以下任务均需各区市政府落实，不再一一列出",)
    assert "各区市政府" not in set(plan.agencies["agency"])
    assert units(plan, "1", "support") == ["市直有关部门"]
    for vague in ("市直有关部门", "各相关单位"):
        assert plan.agency_type(vague) == "collective"
    assert "各区市政府落实" not in " ".join(plan.tasks["text"])
    assert not any(f.code == "unknown_agency" and "有关部门" in f.message_zh for f in plan.report.warnings)


def test_blanket_note_alone_still_imports_the_tasks():
    text = "以下任务均由各县（市、区）人民政府负责落实，不再一一列出。\n1. 整治农村环境。\n2. 建设美丽乡村。\n"
    plan = plan_of(text)
    assert plan.tasks["text"].tolist() == ["整治农村环境。", "建设美丽乡村。"]
    assert plan.meta.notes and plan.agencies.empty
    assert warnings(plan, "no_responsibility") == [2, 3]


# ------------------------------------------------------------------------- 6. preamble


def test_preamble_and_page_furniture_are_ignored():
    data = (FIXTURES / "notice.txt").read_bytes()
    plan = plan_from_bytes(data, "notice.txt")
    assert plan.meta.title == "某市2023年优化营商环境重点任务分工方案"
    assert plan.tasks["text"].tolist() == [
        "推行企业开办“一日办结”，年底前实现全程网办。",
        "深化工程建设项目审批制度改革，6月底前审批时限压缩至60个工作日以内。",
        "加强知识产权保护。",
        "完善中小企业融资服务。",
    ]
    assert plan.tasks["task_id"].tolist() == ["1", "2", "3", "4"]
    assert units(plan, "3", "lead") == ["市市场监管局"] and units(plan, "3", "support") == ["市公安局"]
    assert units(plan, "4", "lead") == ["市金融局"] and units(plan, "4", "support") == ["人行某市中心支行"]
    everything = " ".join([*plan.tasks["text"], *plan.agencies["agency"], *plan.tasks["section"]])
    for furniture in ("通知", "〔2023〕", "[2023]", "各县市区", "直属各单位", "人民政府办公室", "2023年3月1日",
                      "此件", "— 3 —", "第 4 页", "附件", "抄送"):
        assert furniture not in everything, furniture
    assert plan.tasks["theme"].tolist() == ["优化政务服务", "优化政务服务", "加强要素保障", "加强要素保障"]
    assert plan.tasks["deadline"].tolist() == [pd.Timestamp("2023-12-31"), pd.Timestamp("2023-06-30"),
                                               pd.Timestamp("2023-12-31"), pd.Timestamp("2023-12-31")]
    assert plan.tasks["deadline_kind"].tolist() == ["explicit", "explicit", "plan_end", "plan_end"]
    assert [f.row for f in plan.report.findings if f.code == "not_a_task"] == [16]  # 一、总体要求


# ------------------------------------------------------------------------- 7. title year


def test_title_year_resolves_year_end():
    text = "《某县2021年重点工作任务分工》\n1. 年底前建成县级数据中心。（牵头单位：县大数据局）\n2. 年内完成“三区三线”划定。（牵头单位：县自然资源局）\n3. 9月底前完成规划编制（县发改局）\n"
    plan = plan_of(text)
    assert plan.meta.period == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert plan.tasks["deadline"].tolist() == [pd.Timestamp("2021-12-31")] * 2 + [pd.Timestamp("2021-09-30")]
    assert set(plan.tasks["deadline_kind"]) == {"explicit"}
    raw = read_table(text.encode(), "x.txt")
    assert raw.default_year == 2021
    assert title_year("某市2021-2023年行动计划") is None
    assert title_year("某市2021年至2023年行动计划") is None
    assert title_year("某市２０２２年工作要点") == 2022
    assert title_year("某市工作要点") is None


def test_period_in_title_written_with_two_years():
    plan = plan_of("《某市数字经济行动计划（2021年至2023年）》\n1. 年底前完成评估。（牵头单位：市经信局）\n")
    assert plan.meta.period == (dt.date(2021, 1, 1), dt.date(2023, 12, 31))
    assert task(plan, "1")["deadline"] == pd.Timestamp("2021-12-31")  # the plan's first year, as before


@pytest.mark.parametrize("dash", ["-", "－", "—", "–", "―", "~", "～", "〜", "至"])
def test_a_period_in_the_title_sets_no_single_year_whatever_the_dash(dash):
    """（2020－2022年） with a full-width dash was read as the single year 2022: a one-year plan."""
    title = f"某市数字经济行动计划（2020{dash}2022年）"
    assert title_year(title) is None
    assert title_year(f"某市２０２０{dash}２０２２年工作要点") is None
    raw = read_table(f"《{title}》\n1. 年底前完成评估。（牵头单位：市经信局）\n".encode(), "plan.txt")
    assert raw.title == title
    assert raw.default_year is None


def test_a_title_with_a_full_width_dash_gives_a_three_year_plan():
    plan = plan_of("《某市数字经济行动计划（2020－2022年）》\n1. 年底前完成评估。（牵头单位：市经信局）\n")
    assert plan.meta.period == (dt.date(2020, 1, 1), dt.date(2022, 12, 31))
    assert task(plan, "1")["deadline"] == pd.Timestamp("2020-12-31")


# ---------------------------------------------------------------- Zhejiang, as a document


def zhejiang_document() -> str:
    """The bundled table rewritten as a plan document with inline responsibilities."""
    themes = {r["task_id"]: r["theme_zh"] for r in csv.DictReader(THEMES.open(encoding="utf-8"))}
    numerals = "一二三四五六七八九十"
    lines = [
        "浙江省人民政府关于印发浙江省加快5G发展行动计划的通知",
        "各市、县（市、区）人民政府，省政府直属各单位：",
        "现将《浙江省加快5G发展行动计划（2020-2022年）》印发给你们，请结合实际认真贯彻落实。",
        "",
        "《浙江省加快5G发展行动计划（2020-2022年）》",
        "",
    ]
    seen: list[str] = []
    for block in SEED.read_text(encoding="utf-8").split("\n\n"):
        cells = [line[1:].strip() for line in block.split("\n") if line.startswith("\t")]
        if len(cells) != 4 or not cells[0].isdigit():
            continue
        number, text, lead, support = cells
        if themes[number] not in seen:
            seen.append(themes[number])
            lines.append(f"{numerals[len(seen) - 1]}、{themes[number]}")
        written = f"牵头单位：{lead}" + (f"；配合单位：{support}" if support else "")
        lines.append(f"{number}. {text}（{written}）")
    return "\n".join(lines) + "\n"


def assert_same_as_bundled(plan) -> None:
    bundled = load_bundled_plan()
    columns = ["task_id", "text", "deadline", "deadline_kind", "targets"]
    pd.testing.assert_frame_equal(plan.tasks[columns], bundled.tasks[columns])
    columns = ["task_id", "agency", "role", "position"]
    pd.testing.assert_frame_equal(plan.assignments[columns], bundled.assignments[columns])
    assert plan.tasks["theme"].tolist() == bundled.tasks["theme"].tolist()
    assert plan.meta.period == bundled.meta.period
    assert plan.meta.title == bundled.meta.title


def test_zhejiang_as_an_inline_document_imports_like_the_table():
    text = zhejiang_document()
    assert "\t" not in text
    plan = plan_of(text, "zhejiang.txt")
    assert_same_as_bundled(plan)
    assert not plan.report.warnings
    assert (plan.assignments.loc[plan.assignments["task_id"] == "9", "etc"]).tolist() == [False, True]


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_zhejiang_as_a_word_document_imports_like_the_table():
    paragraphs = zhejiang_document().splitlines()
    data = make_docx(paragraphs)
    plan = plan_from_bytes(data, "zhejiang.docx")
    assert_same_as_bundled(plan)
    # paragraph numbers name the item
    first = paragraphs.index(next(p for p in paragraphs if p.startswith("1. "))) + 1
    assert plan.tasks["source_row"].iloc[0] == first


def test_word_automatic_numbering_and_tasks_inside_table_cells():
    document = docx.Document()
    document.add_paragraph("某市2022年重点工作分工方案")
    for text in ("推进数字乡村建设。（牵头单位：市农业农村局）", "推进智慧交通建设。（牵头单位：市交通运输局）"):
        document.add_paragraph(text, style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    plan = plan_from_bytes(buffer.getvalue(), "auto.docx")
    assert plan.tasks["task_id"].tolist() == ["1", "2"]
    assert units(plan, "2", "lead") == ["市交通运输局"]
    # a layout table (no task-table header) holding the items
    data = make_docx(["某市2022年重点工作分工方案"], [["1. 推进数字乡村建设。（牵头单位：市农业农村局）"],
                                                  ["2. 推进智慧交通建设。（牵头单位：市交通运输局）"]])
    plan = plan_from_bytes(data, "cells.docx")
    assert plan.tasks["text"].tolist() == ["推进数字乡村建设。", "推进智慧交通建设。"]


# ---------------------------------------------------------------------------- failures


def test_no_table_and_no_inline_tasks_names_both_forms():
    text = "一、总体要求\n坚持稳中求进。\n1. 加强领导。\n2. 强化督查。\n"
    with pytest.raises(PlanImportError) as caught:
        plan_of(text, "prose.txt")
    finding = caught.value.findings[0]
    assert finding.code == "no_table"
    assert "表格" in finding.message_zh and "牵头单位：" in finding.message_zh
    assert "table" in finding.message_en and "document" in finding.message_en
    with pytest.raises(PlanImportError):
        plan_from_bytes(make_docx(["只有一段文字。"]), "prose.docx")
    assert read_document(["1. 推进工作。"], "x.txt") is None
    assert read_document([], "x.txt") is None


def test_tables_still_win_over_documents():
    text = "序号\t重点工作任务\t牵头单位\t配合单位\n1\t任务一（牵头单位：省财政厅）\t省经信厅\t\n"
    plan = plan_of(text)
    assert units(plan, "1", "lead") == ["省经信厅"]
    assert task(plan, "1")["leaders"] == []


def test_split_units_keeps_brackets_inside_names():
    assert [m.label for m in split_units("各县（市、区）人民政府、市发改委")] == ["各县（市、区）人民政府", "市发改委"]
    assert [m.label for m in split_units("（省经信厅、省科技厅）")] == ["省经信厅", "省科技厅"]
    assert [(m.label, m.etc) for m in split_units("省建设厅、浙江铁塔等")] == [("省建设厅", False), ("浙江铁塔", True)]


FRAGMENTS = [
    "一、", "（一）", "(二)", "1.", "2、", "３．", "（1）", "①", "第一部分", "\n", "\n\n", "\t", " ", "\u3000",
    "推进", "建设", "。", "；", "：", "（", "）", "(", ")", "、", "，", "牵头单位：", "配合单位：", "责任单位：",
    "牵头市领导：", "省经信厅", "市发改委", "各相关单位", "各县（市、区）人民政府", "年底前", "2021年", "〔2023〕2号",
    "关于印发", "的通知", "附件", "— 3 —", "以下任务均需", "不再一一列出", "（试行）", "《", "》", "张三", "序号",
    "重点工作任务", "人民政府", "2023年3月1日", "此件公开发布", "**", "# ", "- ", "%",
]


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.binary(),
    st.text().map(lambda s: s.encode("utf-8")),
    st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(lambda parts: "".join(parts).encode("utf-8")),
))
def test_reading_any_bytes_raises_only_import_errors(data):
    try:
        raw = read_table(data, "x.txt")
    except PlanImportError:
        return
    assert raw.rows
    try:
        plan_from_bytes(data, "x.txt")
    except PlanImportError:
        pass


def test_a_bracket_line_after_a_run_of_sub_items_covers_the_run_only():
    text = "\n".join([
        "一、预案体系",
        "（1）加强预案管理。",
        "（2）推进预案精编化。",
        "（责任单位：市应急局、市公安局）",
        "（3）加强预案演练。（牵头单位：市消防救援支队）",
        "（4）开展培训宣传。",
        "（责任单位：市委宣传部）",
    ])
    table = read_document_text(text, "plan.txt")
    assert table is not None
    rows = {row.number: (row.lead, row.support) for row in table.rows}
    assert rows == {
        "1": ("市应急局", "市公安局"), "2": ("市应急局", "市公安局"),  # the line covers (1) and (2)
        "3": ("市消防救援支队", ""),  # its own units: the next line is not its
        "4": ("市委宣传部", ""),
    }
