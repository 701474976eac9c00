"""Text readers (analysis.io.text): tab blocks as published, and delimited text."""

from __future__ import annotations

import csv

import pytest

from analysis.io.text import (
    DelimitedError,
    grid_from_delimited,
    grid_from_tab_blocks,
    grid_from_text,
    looks_like_tab_blocks,
)
from tests.conftest import SEED

TAB_BLOCKS = (
    "附件\n"
    "《某市行动计划》重点任务分工\n"
    "\n"
    "\t序号\n\t重点工作任务\n\t牵头单位\n\t配合单位\n"
    "\n"
    "\t1\n\t建成千兆光网\n城市。\n\t市经信局\n\t\n"
    "\n"
    "\t2\n\t推进\u200b5G\u3000建设。\n\t市通管办\n\t市住建局\n"
)


def test_tab_blocks_give_one_row_per_block_with_its_first_line():
    grid = grid_from_tab_blocks(TAB_BLOCKS)
    assert grid.preamble == ["附件", "《某市行动计划》重点任务分工"]
    assert grid.rows == [
        (4, ["序号", "重点工作任务", "牵头单位", "配合单位"]),
        (9, ["1", "建成千兆光网城市。", "市经信局", ""]),  # a hard line break continues the cell
        (15, ["2", "推进5G 建设。", "市通管办", "市住建局"]),  # zero-width space dropped, 　 a space
    ]


def test_the_bundled_attachment_is_tab_blocks_and_a_tab_separated_table_is_not():
    assert looks_like_tab_blocks(SEED.read_text(encoding="utf-8"))
    assert not looks_like_tab_blocks("序号\t任务\t牵头单位\n1\t任务一\t省经信厅\n")
    assert not looks_like_tab_blocks("no tabs at all\n")


def test_csv_delimiter_follows_the_first_line():
    assert grid_from_text("序号,任务\n1,a\tb\n", ".csv").rows == [(1, ["序号", "任务"]), (2, ["1", "a\tb"])]
    assert grid_from_text("序号\t任务\n1\ta,b\n", ".csv").rows == [(1, ["序号", "任务"]), (2, ["1", "a,b"])]
    assert grid_from_text("序号,任务\n1,a\n", ".tsv").rows == [(1, ["序号,任务"]), (2, ["1,a"])]
    # text without tab blocks: tab-separated rows
    assert grid_from_text("序号\t任务\t牵头单位\n1\t任务一\t省经信厅\n", ".txt").rows[1] == (2, ["1", "任务一", "省经信厅"])


def test_quoted_cells_keep_their_line_breaks_and_rows_keep_their_record_number():
    grid = grid_from_delimited('序号,任务\n1,"第一行\n第二行"\n\n2,b\n', ",")
    assert grid.rows == [(1, ["序号", "任务"]), (2, ["1", "第一行\n第二行"]), (3, []), (4, ["2", "b"])]


def test_a_gigantic_cell_is_a_delimited_error_naming_the_limit():
    limit = csv.field_size_limit()
    with pytest.raises(DelimitedError) as caught:
        grid_from_delimited("序号,任务\n1," + "x" * (limit + 1) + "\n", ",", "big.csv")
    assert caught.value.row == 2
    assert f"{limit:,} 个字符" in caught.value.zh and f"longer than {limit:,} characters" in caught.value.en
