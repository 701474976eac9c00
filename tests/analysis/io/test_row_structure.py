"""Row structure, unit cells as written and the column mapping (issue 13)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.findings import ImportReport, PlanImportError
from analysis.io.lines import grid_from_cell_lines
from analysis.io.raw import Grid
from analysis.io.table import read_grid
from analysis.model import plan_from_bytes
from analysis.units import read_unit_sentence, split_leaders, split_units

ROOT = Path(__file__).resolve().parents[3]


def read(*rows: list[str]):
    grid = Grid(rows=[(n, list(cells)) for n, cells in enumerate(rows, start=1)])
    return read_grid(grid, "t.csv", ImportReport(file="t.csv"))


def csv_plan(text: str, columns: dict[str, str] | None = None):
    return plan_from_bytes(text.encode(), "plan.csv", columns=columns)


def test_categories_fill_down_details_stay_with_the_task_and_other_columns_are_kept():
    table = read(
        ["序号", "重点领域", "项目名称", "主要内容", "牵头单位", "责任单位", "分管县领导", "完成时限", "评分部门", "备注"],
        ["1", "交通", "道路", "新建道路。", "县交通局", "县财政局", "俞 悦", "12月底前", "县督查室", ""],
        ["2", "", "桥梁", "维修桥梁。", "县交通局", "", "王健、李明", "全年", "", "续建"],
        ["3", "教育", "", "新建学校。", "县教育局", "", "", "长期", "", ""],
    )
    assert table is not None
    first, second, third = table.rows
    assert (first.section, first.subthemes, first.text) == ("交通", ("道路",), "新建道路。")
    assert (second.section, second.subthemes) == ("交通", ("桥梁",))  # the merged 重点领域 cell fills down
    assert (third.section, third.subthemes) == ("教育", ())  # a new 重点领域: its 项目名称 starts empty
    assert (first.lead, first.support, first.leaders, first.deadline) == ("县交通局", "县财政局", ("俞悦",), "12月底前")
    assert second.leaders == ("王健", "李明")
    assert first.extra == (("评分部门", "县督查室"),) and second.extra == (("备注", "续建"),)
    assert dict(table.column_roles)["主要内容"] == "text"  # 项目名称 + 主要内容: the content is the task


def test_an_unnumbered_row_continues_the_task_above():
    plan = csv_plan(
        "《某县2016年民生实事》\n"
        "序号,民生实事,责任单位,责任领导,完成时限\n"
        "5,开工建设县老年养护楼。,县民政局,俞 悦,5月底前动工\n"
        ",开工建设老年大学。,,,12月底前\n"
        "6,迁建县政务服务中心。,县政务服务中心、县代建中心,王健,2017年3月\n"
    )
    tasks = plan.tasks.set_index("task_id")
    assert list(tasks.index) == ["5", "5-2", "6"]
    assert tasks.loc["5-2", "lead_text"] == "县民政局" and tasks.loc["5-2", "leaders"] == ["俞悦"]
    assert str(tasks.loc["5", "deadline"].date()) == "2016-05-31" and tasks.loc["5", "deadline_text"] == "5月底前动工"
    assert str(tasks.loc["5-2", "deadline"].date()) == "2016-12-31"
    warning = next(f for f in plan.report.warnings if f.code == "missing_number")
    assert warning.row == 4 and "5-2" in warning.message("zh") and "plan.csv" in warning.message("en")


def test_the_deadline_column_wins_and_a_conflict_names_the_row():
    plan = csv_plan(
        "序号,重点任务,牵头单位,完成时限\n"
        "1,2020年6月底前建成平台。,市经信局,2020年9月底前\n"
        "2,推进应用。,市科技局,持续推进\n"
    )
    first, second = plan.tasks.itertuples()
    assert str(first.deadline.date()) == "2020-09-30" and first.deadline_text == "2020年9月底前"
    assert second.ongoing and second.deadline_kind == "ongoing"
    conflict = next(f for f in plan.report.warnings if f.code == "deadline_conflict")
    assert conflict.row == 2 and "2020年6月底前" in conflict.message("zh")


@pytest.mark.parametrize("cell,labels", [
    ("各县、市、区政府", ["各县、市、区政府"]),
    ("市经信局、各县（市、区）", ["市经信局", "各县（市、区）"]),
    ("县水务局 县住建局\n县代建中心", ["县水务局", "县住建局", "县代建中心"]),
    ("市财政局（第一责任单位为牵头单位，下同）、市税务局", ["市财政局", "市税务局"]),
    ("排在第一位的为牵头单位", []),
])
def test_unit_cells_as_written(cell, labels):
    assert [m.label for m in split_units(cell)] == labels


def test_sentence_forms_and_persons():
    assert read_unit_sentence("省发展改革委牵头，各地、各部门配合。") == ("省发展改革委", "各地、各部门")
    assert read_unit_sentence("由市财政局负责") == ("市财政局", "")
    assert read_unit_sentence("市发改委、市财政局按职责分工负责") == ("市发改委、市财政局", "")
    assert read_unit_sentence("市经信局、市科技局") is None
    assert split_leaders("俞 悦、王健\n李 明") == ["俞悦", "王健", "李明"]
    plan = csv_plan("序号,重点任务,责任单位\n1,任务。,省发展改革委牵头，各地、各部门配合\n2,任务。,由市财政局负责\n")
    first, second = plan.tasks.itertuples()
    assert (first.lead_text, first.support_text) == ("省发展改革委", "各地、各部门")
    assert (second.lead_text, second.support_text) == ("市财政局", "")


def test_cell_lines_a_table_copied_from_a_web_page():
    grid = grid_from_cell_lines("附件\n\n序号\n\n民生实事\n\n责任单位\n\n完成时限\n\n1\n\n建设公园。\n\n县水务局\n\n县住建局\n\n12月底前\n\n"
                                "2\n\n新建天桥。\n\n县住建局\n\n9月投入使用\n\n分享到:")
    assert grid is not None
    assert [cells for _, cells in grid.rows] == [
        ["序号", "民生实事", "责任单位", "完成时限"],
        ["1", "建设公园。", "县水务局\n县住建局", "12月底前"],
        ["2", "新建天桥。", "县住建局", "9月投入使用"],
    ]
    assert grid_from_cell_lines("一、总体要求\n1.任务。\n牵头单位：市经信局") is None


def test_a_mapping_confirms_roles_and_rescues_a_refused_table():
    text = "考核项目,考核内容,评分部门\n经济,GDP增长6%。,市统计局\n"
    with pytest.raises(PlanImportError) as caught:
        csv_plan(text)
    finding = caught.value.findings[0]
    assert finding.code == "missing_column" and finding.file == "plan.csv" and "--columns" in finding.message("en")
    plan = csv_plan(text, {"评分部门": "responsible"})
    assert plan.tasks["lead_text"].tolist() == ["市统计局"] and plan.tasks["theme"].tolist() == ["经济"]
    assert plan.meta.columns == (("考核项目", "category"), ("考核内容", "text"), ("评分部门", "responsible"))
    with pytest.raises(PlanImportError) as typo:
        csv_plan("序号,重点任务,牵头单位\n1,任务。,市经信局\n", {"牵头部门": "lead"})
    assert typo.value.findings[0].code == "unknown_column" and "牵头部门" in typo.value.findings[0].message("zh")


def test_cli_columns(tmp_path: Path):
    path = tmp_path / "plan.csv"
    path.write_text("序号,民生实事,责任单位,评分部门\n1,建设公园。,县水务局、县住建局,县督查室\n", encoding="utf-8")
    run = [sys.executable, "-m", "analysis", "summary", str(path), "--json"]
    plain = json.loads(subprocess.run(run, cwd=ROOT, capture_output=True, check=True, text=True).stdout)
    assert plain["plan"]["columns"] == [
        {"header": "序号", "role": "number"}, {"header": "民生实事", "role": "text"},
        {"header": "责任单位", "role": "responsible"}, {"header": "评分部门", "role": "other"},
    ]
    assert plain["tasks"][0]["lead"] == ["县水务局"] and plain["tasks"][0]["support"] == ["县住建局"]
    mapped = json.loads(subprocess.run([*run, "--columns", "责任单位=support,评分部门=lead"], cwd=ROOT,
                                       capture_output=True, check=True, text=True).stdout)
    assert mapped["tasks"][0]["lead"] == ["县督查室"] and mapped["tasks"][0]["support"] == ["县水务局", "县住建局"]
    assert {"header": "评分部门", "role": "lead"} in mapped["plan"]["columns"]
    bad = subprocess.run([*run, "--columns", "责任单位=boss"], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown role 'boss'" in bad.stderr


def test_pipe_rows_a_table_written_with_bars():
    from analysis.io.lines import grid_from_pipe_rows

    text = "\n".join([
        "索引号: | 123 | 发布机构: | 县政府办 |",  # page metadata with bars: not the table
        "说明文字",
        "| 序号 | 重点任务 | 责任单位 | 责任人 |",
        "|---|---|---|---|",
        "| 1 | 新建幼儿园3所 | 县教育局 | 王 五 |",
        "| 2 | 改造老旧小区 | 县住建局",  # cut short: still a row
    ])
    grid = grid_from_pipe_rows(text)
    assert grid is not None
    assert [cells for _, cells in grid.rows] == [
        ["序号", "重点任务", "责任单位", "责任人"], ["1", "新建幼儿园3所", "县教育局", "王 五"], ["2", "改造老旧小区", "县住建局"],
    ]
    assert "说明文字" in grid.preamble
    assert grid_from_pipe_rows("a | b | c | d\n1 | 2 | 3 | 4\n") is None  # no task header
    plan = plan_from_bytes(text.encode(), "bars.txt")
    assert plan.tasks["leaders"].tolist() == [["王五"], []]


def test_each_leads_run_on_paragraphs_and_a_leader_named_by_its_section():
    from analysis.io.document import read_document_text

    body = ("二、李明副市长牵头重点工作 1.推进数字政府建设，完成一体化平台升级改造。 "
            "责任单位:市大数据局、市政务服务办分别牵头 2.深化营商环境改革，压减审批时限。 "
            "责任单位:市政务服务办(列第一位者为牵头单位,下同)、市市场监管局")
    table = read_document_text("通知\n" + body, "plan.txt")
    assert table is not None
    rows = {row.number: row for row in table.rows}
    assert (rows["1"].lead, rows["1"].support) == ("市大数据局、市政务服务办", "")  # 分别牵头: both lead
    plan = plan_from_bytes(("通知\n" + body).encode(), "plan.txt")  # the note is no part of a name
    roles = plan.assignments.query("task_id == '2'").set_index("agency")["role"].to_dict()
    assert roles == {"市政务服务办": "lead", "市市场监管局": "support"}
    assert rows["1"].leaders == ("李明",) and rows["2"].leaders == ("李明",)
    assert rows["1"].text == "推进数字政府建设，完成一体化平台升级改造。"
