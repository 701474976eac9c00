"""Excel reader (analysis.io.xlsx): every sheet a grid, merged cells spread down, damaged files refused."""

from __future__ import annotations

import pytest

from analysis.findings import PlanImportError
from analysis.io.xlsx import grids_from_xlsx
from tests.hardening.corpus import HEADER, rezip, xlsx_bytes


def test_every_sheet_is_a_grid_in_workbook_order_with_numbers_as_text():
    data = xlsx_bytes(
        [HEADER, [1, "任务一。", "省经信厅", None], [2.0, " 任务二。\u200b", "省科技厅", "省财政厅"]],
        sheets={"说明": [["本表为示例"]]},
    )
    first, second = grids_from_xlsx(data, "plan.xlsx")
    assert first.rows == [(1, ["本表为示例"])]
    assert second.rows == [
        (1, HEADER),
        (2, ["1", "任务一。", "省经信厅", ""]),  # padded to the widest row
        (3, ["2", "任务二。", "省科技厅", "省财政厅"]),  # 2.0 → "2", cleaned
    ]


def test_empty_rows_are_left_out_and_row_numbers_kept():
    data = xlsx_bytes([["标题"], [], [None, None], HEADER, ["1", "任务。", "省经信厅", ""]])
    (grid,) = grids_from_xlsx(data, "plan.xlsx")
    assert [number for number, _ in grid.rows] == [1, 4, 5]


def test_a_merged_unit_cell_applies_to_each_row_it_covers():
    rows = [HEADER, ["1", "任务一。", "省经信厅", ""], ["2", "任务二。", None, ""], ["3", "任务三。", None, "省财政厅"]]
    (grid,) = grids_from_xlsx(xlsx_bytes(rows, merges=("C2:C4",)), "merged.xlsx")
    assert [cells[2] for _, cells in grid.rows[1:]] == ["省经信厅"] * 3


def test_a_heading_merged_across_columns_stays_one_cell():
    rows = [HEADER, ["一、网络建设", None, None, None], ["1", "任务一。", "省经信厅", ""]]
    (grid,) = grids_from_xlsx(xlsx_bytes(rows, merges=("A2:D2",)), "merged.xlsx")
    assert grid.rows[1] == (2, ["一、网络建设", "", "", ""])


def test_a_damaged_workbook_is_unreadable_with_advice():
    good = xlsx_bytes([HEADER, ["1", "任务。", "省经信厅", ""]])
    broken = rezip(good, lambda name, content: b"<not xml" if name == "xl/workbook.xml" else content)
    with pytest.raises(PlanImportError) as caught:
        grids_from_xlsx(broken, "broken.xlsx")
    finding = caught.value.findings[0]
    assert finding.code == "unreadable" and finding.file == "broken.xlsx"
    assert "无法读取 Excel 文件" in finding.message_zh and "save it as .xlsx" in finding.message_en
