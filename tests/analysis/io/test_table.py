"""Table reader (analysis.io.table): a grid with a task header → raw rows."""

from __future__ import annotations

import pytest

from analysis.findings import ImportReport, PlanImportError
from analysis.io import limits
from analysis.io.raw import Grid
from analysis.io.table import read_grid, title_from

HEADER = ["序号", "重点工作任务", "牵头单位", "配合单位"]


def read(*rows: list[str], preamble: tuple[str, ...] = (), report: ImportReport | None = None):
    grid = Grid(rows=[(n, list(cells)) for n, cells in enumerate(rows, start=1)], preamble=list(preamble))
    return read_grid(grid, "t.csv", report or ImportReport(file="t.csv"))


def test_rows_below_the_header_are_tasks_with_their_section():
    table = read(
        HEADER,
        ["一、网络建设", "", "", ""],
        ["1", "建成千兆光网。", "市经信局", "市通管办"],
        ["", "", "", ""],
        ["（二）应用推广"],
        ["2", "推进应用。", "市科技局", ""],
        preamble=("附件", "《某市行动计划》重点任务分工"),
    )
    assert table is not None and table.title == "某市行动计划"
    assert [(r.source_row, r.number, r.text, r.lead, r.support, r.section) for r in table.rows] == [
        (3, "1", "建成千兆光网。", "市经信局", "市通管办", "一、网络建设"),
        (6, "2", "推进应用。", "市科技局", "", "（二）应用推广"),
    ]
    assert table.columns == {"number": 0, "text": 1, "lead": 2, "support": 3}
    assert not table.single_responsible_column and table.report.rules == []


def test_a_repeated_header_is_skipped_and_a_short_row_without_a_number_is_a_section():
    table = read(
        HEADER, ["1", "任务一。", "市经信局", ""], HEADER, ["", "网络建设"], ["2", "任务二。", "市科技局", ""],
        ["数字化"], ["3", "任务三。", "市财政局", ""],
    )
    assert table is not None
    # ["数字化"] has its one cell in the number column: not a heading, a (short) task row
    assert [(r.number, r.section) for r in table.rows] == [("1", ""), ("2", "网络建设"), ("数字化", "网络建设"),
                                                           ("3", "网络建设")]


def test_a_single_responsible_column_and_no_number_column_are_reported_as_rules():
    report = ImportReport(file="t.csv")
    table = read(["主要任务", "责任单位", "配合单位"], ["任务一。", "市经信局、市科技局", "市财政局"], report=report)
    assert table is not None and table.single_responsible_column
    (row,) = table.rows
    assert (row.number, row.lead, row.support) == ("", "市经信局、市科技局", "")  # support is ignored
    assert [zh for zh, _ in report.rules] == [
        "表格只有“责任单位”一列：第一个单位视为牵头单位，其余为配合单位。",
        "表格没有“序号”列：任务按行顺序编号。",
    ]


def test_a_missing_column_names_the_header_row_in_both_languages():
    with pytest.raises(PlanImportError) as caught:
        read(["标题"], ["序号", "重点工作任务", "配合单位"], ["1", "任务。", "市经信局"])
    finding = caught.value.findings[0]
    assert (finding.code, finding.row, finding.field) == ("missing_column", 2, "牵头单位")
    assert finding.message_zh.startswith("缺少必需的列：牵头单位（表头行中未找到）。可在导入的“列对应”步骤")
    assert finding.message_en.startswith("required column missing: lead (not found in the header row). Say what")
    with pytest.raises(PlanImportError) as caught:
        read(["序号", "配合单位"], ["1", "市经信局"])
    assert caught.value.findings[0].message_zh.startswith("缺少必需的列：重点工作任务、牵头单位（表头行中未找到）")
    assert "--columns" in caught.value.findings[0].message_en
    assert "missing: text, lead (" in caught.value.findings[0].message_en


def test_long_cells_and_short_rows_are_kept_with_warnings(monkeypatch):
    monkeypatch.setattr(limits, "LONG_CELL_CHARS", 10)
    report = ImportReport(file="t.csv")
    table = read(HEADER, ["1", "很长的任务文字超过十个字符。", "市经信局", ""], ["2", "", "市科技局"], report=report)
    assert table is not None and len(table.rows) == 2
    assert [(f.code, f.row) for f in report.warnings] == [("long_cell", 2), ("short_row", 3)]
    assert "14 个字符" in report.warnings[0].message_zh
    assert "the row has 3 cells, fewer than the header's 4 columns" in report.warnings[1].message_en


def test_no_header_is_none_and_titles_come_from_book_quotes():
    assert read(["随便"], ["写写"]) is None
    assert title_from(["附件", "关于《某市方案》的说明", "《另一个》"]) == "某市方案"
    assert title_from(["没有书名号"]) == ""
