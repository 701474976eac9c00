"""Tables as officials' files hold them (issue 13, Build 3): a Word table continued across
several tables, vertically merged category and lead cells in Word and Excel, and workbooks
with a cover sheet or several task sheets. Files are built with python-docx and openpyxl in
the shapes published attachments have."""

from __future__ import annotations

import io

import docx
import openpyxl
from docx.enum.text import WD_BREAK

from analysis.model import plan_from_bytes

HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]


def docx_saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_table(document, rows: list[list[str]]):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    return table


def by_id(plan):
    return {str(row.task_id): row for row in plan.tasks.itertuples()}


def units(plan, task_id: str, role: str) -> list[str]:
    a = plan.assignments
    return a[(a["task_id"] == task_id) & (a["role"] == role)]["agency"].tolist()


# ----------------------------------------------------------------- a table split in Word


def split_word_plan() -> bytes:
    document = docx.Document()
    document.add_paragraph("2024年重点任务分工方案")
    add_table(document, [
        HEADER,
        ["1", "推进5G基站建设。", "市经信局", "市发改委", "2024年6月底前"],
        ["2", "开展数字乡村试点。", "市农业农村局", "", "2024年12月底前"],
    ])
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)  # the table goes on over the page
    add_table(document, [
        HEADER,  # the header repeated on the new page
        ["3", "建设城市大脑。", "市大数据局", "市公安局", "全年"],
    ])
    document.add_paragraph("二、民生保障")  # a section heading between two parts of the table
    add_table(document, [  # no header: the same columns go on
        ["4", "新增普惠托位500个。", "市卫健委", "各县（市、区）政府", "2024年9月底前"],
        ["5", "改造老旧小区20个。", "市住建局", "", "2024年12月底前"],
    ])
    document.add_paragraph("附件2")
    add_table(document, [["联系人", "电话"], ["张三", "12345"]])  # another table: not joined
    return docx_saved(document)


def test_a_word_table_continued_across_tables_is_one_plan():
    plan = plan_from_bytes(split_word_plan(), "split.docx")
    tasks = by_id(plan)
    assert list(tasks) == ["1", "2", "3", "4", "5"]
    assert units(plan, "3", "lead") == ["市大数据局"] and units(plan, "3", "support") == ["市公安局"]
    assert units(plan, "4", "support") == ["各县（市、区）政府"]
    assert str(tasks["1"].deadline.date()) == "2024-06-30" and str(tasks["4"].deadline.date()) == "2024-09-30"
    assert tasks["4"].theme == "民生保障" and tasks["5"].theme == "民生保障"  # the heading between tables (二、…)
    assert tasks["3"].theme != "民生保障"
    codes = [f.code for f in plan.report.findings]
    assert "tables_joined" in codes
    joined = next(f for f in plan.report.findings if f.code == "tables_joined")
    assert "2" in joined.message_en  # two tables joined after the first
    assert len({row.source_row for row in plan.tasks.itertuples()}) == 5  # rows numbered on, never twice


def test_a_table_with_another_header_after_the_plan_is_not_joined():
    document = docx.Document()
    add_table(document, [HEADER, ["1", "推进5G基站建设。", "市经信局", "", "全年"]])
    add_table(document, [["序号", "项目名称", "责任单位", "备注"], ["1", "其他项目", "市财政局", ""]])
    plan = plan_from_bytes(docx_saved(document), "two.docx")
    assert list(by_id(plan)) == ["1"]
    assert "tables_joined" not in [f.code for f in plan.report.findings]


# ------------------------------------------------------------------ merged cells, Word


def test_word_vertical_merges_of_category_and_lead_cells_fill_down():
    document = docx.Document()
    table = add_table(document, [
        ["重点领域", "序号", "重点任务", "牵头单位", "配合单位"],
        ["数字基础设施", "1", "推进5G基站建设。", "市经信局", "市发改委"],
        ["", "2", "建设千兆光网。", "", "市住建局"],
        ["", "3", "部署物联网感知设施。", "市大数据局", ""],
        ["数字民生", "4", "建设智慧医院。", "市卫健委", ""],
    ])
    table.cell(1, 0).merge(table.cell(3, 0))  # 数字基础设施 over tasks 1-3
    table.cell(1, 3).merge(table.cell(2, 3))  # 市经信局 over tasks 1-2
    plan = plan_from_bytes(docx_saved(document), "merged.docx")
    tasks = by_id(plan)
    assert [tasks[i].theme for i in "1234"] == ["数字基础设施"] * 3 + ["数字民生"]
    assert units(plan, "2", "lead") == ["市经信局"] and units(plan, "2", "support") == ["市住建局"]
    assert units(plan, "3", "lead") == ["市大数据局"]


# ----------------------------------------------------------------- merged cells, Excel


def xlsx_saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_excel_vertical_merges_of_category_and_lead_cells_fill_down():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["2024年重点任务清单"])
    sheet.merge_cells("A1:E1")  # the title merged across the table
    sheet.append(["重点领域", "序号", "重点任务", "牵头单位", "配合单位"])
    sheet.append(["数字基础设施", 1, "推进5G基站建设。", "市经信局", "市发改委"])
    sheet.append([None, 2, "建设千兆光网。", None, "市住建局"])
    sheet.append([None, 3, "部署物联网感知设施。", "市大数据局", None])
    sheet.append(["数字民生", 4, "建设智慧医院。", "市卫健委", None])
    sheet.merge_cells("A3:A5")
    sheet.merge_cells("D3:D4")
    plan = plan_from_bytes(xlsx_saved(workbook), "merged.xlsx")
    tasks = by_id(plan)
    assert [tasks[i].theme for i in "1234"] == ["数字基础设施"] * 3 + ["数字民生"]
    assert units(plan, "2", "lead") == ["市经信局"] and units(plan, "2", "support") == ["市住建局"]
    assert units(plan, "3", "lead") == ["市大数据局"] and units(plan, "3", "support") == []
    assert plan.meta.title == "2024年重点任务清单"


# ------------------------------------------------------------------------- workbooks


def test_a_cover_sheet_is_skipped_and_the_task_sheet_read():
    workbook = openpyxl.Workbook()
    cover = workbook.active
    cover.title = "说明"
    cover.append(["2024年重点任务清单"])
    cover.append(["填表说明"])
    cover.append(["1. 牵头单位每月报送进展。"])
    cover.append(["2. 联系人：张三"])
    tasks_sheet = workbook.create_sheet("任务表")
    tasks_sheet.append(HEADER)
    tasks_sheet.append([1, "推进5G基站建设。", "市经信局", "市发改委", "2024年6月底前"])
    plan = plan_from_bytes(xlsx_saved(workbook), "cover.xlsx")
    assert list(by_id(plan)) == ["1"]
    assert units(plan, "1", "lead") == ["市经信局"]
    assert plan.meta.title == "2024年重点任务清单"  # from the cover sheet


def test_several_task_sheets_with_one_header_are_all_read_grouped_by_sheet():
    workbook = openpyxl.Workbook()
    cover = workbook.active
    cover.title = "封面"
    cover.append(["2024年重点任务分工"])
    for name, rows in (
        ("经济发展", [[1, "推进5G基站建设。", "市经信局", "市发改委", "2024年6月底前"],
                      [2, "开展数字乡村试点。", "市农业农村局", None, "全年"]]),
        ("民生保障", [[1, "新增普惠托位500个。", "市卫健委", None, "2024年9月底前"]]),
    ):
        sheet = workbook.create_sheet(name)
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
    other = workbook.create_sheet("联系人")
    other.append(["序号", "工作任务", "责任单位", "联系人"])  # another task header: not read, said so
    other.append([1, "报送进展", "市政府办", "张三"])
    plan = plan_from_bytes(xlsx_saved(workbook), "sheets.xlsx")
    tasks = plan.tasks
    assert len(tasks) == 3
    assert tasks["theme"].tolist() == ["经济发展", "经济发展", "民生保障"]
    assert tasks["text"].tolist() == ["推进5G基站建设。", "开展数字乡村试点。", "新增普惠托位500个。"]
    assert tasks["task_id"].is_unique
    assert plan.meta.title == "2024年重点任务分工"  # from the cover sheet
    assert plan.meta.period[0].year == 2024
    leads = plan.assignments[plan.assignments["role"] == "lead"]["agency"].tolist()
    assert "市卫健委" in leads and "市政府办" not in leads
    codes = {f.code: f for f in plan.report.findings}
    assert "经济发展、民生保障" in codes["sheets_joined"].message_zh
    assert "联系人" in codes["sheet_not_read"].message_zh
