"""Word reader (analysis.io.docx): one walk for tables and for text, merged cells, automatic numbers."""

from __future__ import annotations

import io

import docx
from docx.table import Table

from analysis.findings import ImportReport
from analysis.io.docx import (
    blocks,
    docx_lines,
    format_number,
    grids_from_docx,
    open_document,
    table_grid_rows,
    table_rows,
)
from analysis.io.limits import Budget
from tests.hardening.corpus import HEADER, TITLE, docx_bytes, docx_vertical_merge


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_blocks_are_paragraphs_and_tables_in_body_order():
    document = docx.Document()
    document.add_paragraph("前言")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "表一"
    document.add_paragraph("中间")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "表二"
    body = blocks(open_document(saved(document)))
    kinds = ["table" if isinstance(b, Table) else b.text for b in body]
    assert kinds == ["前言", "table", "中间", "table"]


def test_a_vertical_merge_gives_its_text_to_each_row_as_a_grid_and_once_as_text():
    data = docx_vertical_merge(3)
    (grid,) = grids_from_docx(data, "v.docx")
    assert grid.preamble == [TITLE]
    assert [cells[2] for _, cells in grid.rows] == ["牵头单位", "省经信厅", "省经信厅", "省经信厅"]
    texts = [text for _, text in docx_lines(data, tables=True)]
    assert texts.count("省经信厅") == 1
    assert texts.count("省财政厅") == 3


def test_walk_marks_merges_and_spans():
    rows = [HEADER, ["一、网络建设", "", "", ""], ["1", "任务一。", "省经信厅", ""], ["2", "任务二。", "", ""]]
    data = docx_bytes(rows, merges=(((1, 0), (1, 3)), ((2, 2), (3, 2))))
    document = open_document(data)
    table = next(b for b in blocks(document) if isinstance(b, Table))
    walked = [[(cell.span, cell.merged_from_above) for cell in row.cells()] for row in table_rows(table)]
    assert walked[1] == [(4, False)]  # the heading spans the four columns
    assert walked[3][2] == (1, True)  # the lead cell of task 2 continues task 1's
    (grid,) = grids_from_docx(data, "m.docx")
    assert grid.rows[1] == (2, ["一、网络建设", "", "", ""])  # columns stay aligned with the header
    assert grid.rows[3] == (4, ["2", "任务二。", "省经信厅", ""])


def test_the_cell_budget_counts_grid_cells():
    document = open_document(docx_bytes([HEADER, ["1", "任务。", "省经信厅", ""]]))
    table = next(b for b in blocks(document) if isinstance(b, Table))
    budget = Budget("b.docx")
    table_grid_rows(table, budget)
    assert budget.cells == 8


def test_paragraph_lines_count_paragraphs_and_split_line_breaks():
    document = docx.Document()
    document.add_paragraph("第一段")
    document.add_paragraph("第二段第一行\n第二段第二行")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "表中文字"
    document.add_paragraph("第三段")
    data = saved(document)
    assert docx_lines(data) == [(1, "第一段"), (2, "第二段第一行"), (2, "第二段第二行"), (3, "第三段")]
    assert docx_lines(data, tables=True)[-2:] == [(3, "表中文字"), (4, "第三段")]


def test_automatic_numbering_is_written_in_front_of_the_text():
    document = docx.Document()
    document.add_paragraph("标题")
    for text in ("推进数字乡村建设。", "推进智慧交通建设。"):
        document.add_paragraph(text, style="List Number")
    lines = docx_lines(saved(document))
    assert [text for _, text in lines] == ["标题", "1.推进数字乡村建设。", "2.推进智慧交通建设。"]


def test_number_formats():
    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 99, 100)] == [
        "一", "十", "十一", "二十", "九十九", "100",
    ]
    assert format_number(3, "decimalEnclosedCircle") == "③" and format_number(21, "decimalEnclosedCircle") == "21"
    assert format_number(12, "decimalFullWidth") == "１２"
    assert (format_number(2, "lowerLetter"), format_number(2, "upperLetter")) == ("b", "B")
    assert format_number(7, "decimal") == "7"


def test_a_damaged_table_is_skipped_with_a_warning():
    document = docx.Document()
    document.add_paragraph("《某市方案》")
    broken = document.add_table(rows=2, cols=4)
    good = document.add_table(rows=2, cols=4)
    for table in (broken, good):
        for j, head in enumerate(HEADER):
            table.cell(0, j).text = head
    good.cell(1, 1).text = "任务。"
    # a gridSpan that is not a number: python-docx raises on reading it
    tc = broken._tbl.tr_lst[1].tc_lst[0]
    tc.get_or_add_tcPr().get_or_add_gridSpan().set(docx.oxml.ns.qn("w:val"), "many")
    report = ImportReport(file="t.docx")
    grids = grids_from_docx(saved(document), "t.docx", report)
    assert len(grids) == 1 and grids[0].rows[1][1][1] == "任务。"
    (finding,) = report.warnings
    assert finding.code == "unreadable_table"
    assert "第 1 个表格已损坏" in finding.message_zh and "table 1 is damaged" in finding.message_en
