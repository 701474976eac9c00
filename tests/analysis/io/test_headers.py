"""Header recognition (analysis.io.headers): which column holds what."""

from __future__ import annotations

import pytest

from analysis.io.headers import (
    COLUMN_NAMES,
    HEADER_ALIASES,
    ColumnRole,
    find_header,
    header_columns,
    infer_role,
    is_repeated_header,
    role_of,
)
from analysis.io.raw import Grid


def grid(*rows: list[str]) -> Grid:
    return Grid(rows=[(n, list(cells)) for n, cells in enumerate(rows, start=1)])


@pytest.mark.parametrize("cell,role", [
    ("序号", ColumnRole.NUMBER), ("序  号", ColumnRole.NUMBER), ("No.", ColumnRole.NUMBER),
    ("重点工作任务", ColumnRole.TEXT), ("主要任务：", ColumnRole.TEXT), ("Tasks", ColumnRole.TEXT),
    ("牵头单位", ColumnRole.LEAD), ("牵 头 部 门", ColumnRole.LEAD), ("Lead Agency", ColumnRole.LEAD),
    ("协同单位", ColumnRole.SUPPORT), ("配合单位:", ColumnRole.SUPPORT),
    ("责任单位", ColumnRole.RESPONSIBLE), ("负责单位", ColumnRole.RESPONSIBLE),
    ("完成时限", ColumnRole.DEADLINE), ("备注", ColumnRole.NOTES), ("", None), ("评分部门", None),
    ("主要责任单位", ColumnRole.LEAD), ("协同配合单位", ColumnRole.SUPPORT), ("主责单位", ColumnRole.LEAD),
    ("协办单位", ColumnRole.SUPPORT), ("承办单位", ColumnRole.RESPONSIBLE), ("责任部门", ColumnRole.RESPONSIBLE),
    ("目标与任务", ColumnRole.TEXT), ("民生实事", ColumnRole.TEXT), ("主要内容", ColumnRole.DETAIL),
    ("具体措施", ColumnRole.DETAIL), ("工作举措", ColumnRole.DETAIL), ("考核内容", ColumnRole.DETAIL),
    ("年度目标", ColumnRole.DETAIL), ("重点领域", ColumnRole.CATEGORY), ("考核项目", ColumnRole.CATEGORY),
    ("项目名称", ColumnRole.CATEGORY), ("责任领导", ColumnRole.LEADER), ("分管县领导", ColumnRole.LEADER),
    ("区政府分管领导", ColumnRole.LEADER), ("牵头负责领导", ColumnRole.LEADER), ("完成时间", ColumnRole.DEADLINE),
    ("时间节点", ColumnRole.DEADLINE), ("时限要求", ColumnRole.DEADLINE), ("进展情况", ColumnRole.PROGRESS),
    ("完成情况", ColumnRole.PROGRESS), ("督办单位", None),
])
def test_role_of_a_header_cell(cell, role):
    assert role_of(cell) == role


def test_every_alias_names_its_role_and_roles_are_their_codes():
    for role, aliases in HEADER_ALIASES.items():
        assert all(role_of(alias) == role for alias in aliases)
    assert ColumnRole.LEAD == "lead" and HEADER_ALIASES["text"] == HEADER_ALIASES[ColumnRole.TEXT]
    assert set(COLUMN_NAMES) == set(ColumnRole)


def test_cells_are_evidence_persons_and_dates():
    assert infer_role("责任单位", ["俞 悦", "王健", "李明、张强"]) == ColumnRole.LEADER
    assert infer_role("责任单位", ["县水务局", "县住建局"]) == ColumnRole.RESPONSIBLE
    assert infer_role("", ["12月底前", "全年", "9月投入使用"]) == ColumnRole.DEADLINE
    assert infer_role("评分部门", ["市统计局", "市发改委"]) == ColumnRole.OTHER


def test_roles_read_together_and_overrides():
    header = find_header(grid(
        ["序号", "项目名称", "主要内容", "牵头单位", "责任单位", "分管县领导", "完成时限", "评分部门"],
        ["1", "道路", "新建道路。", "县交通局", "县财政局", "俞 悦", "12月底前", "县督查室"],
    ))
    assert header is not None
    assert [f.role for f in header.fields] == [
        "number", "category", "text", "lead", "support", "leader", "deadline", "other",
    ]
    assert header.fields[4].inferred == ColumnRole.RESPONSIBLE  # 责任单位 beside 牵头单位 supports
    overridden = find_header(grid(["序号", "民生实事", "责任单位"], ["1", "事。", "县局"]), {"民生实事": ColumnRole.DETAIL})
    assert overridden is not None and overridden.fields[1].role == ColumnRole.DETAIL


def test_the_first_cell_naming_a_role_wins():
    assert header_columns(["序号", "任务", "牵头单位", "牵头部门", "配合单位"]) == {
        "number": 0, "text": 1, "lead": 2, "support": 4,
    }


def test_the_header_is_found_below_a_title_and_says_what_is_missing():
    header = find_header(grid(["《某市方案》"], ["序号", "重点任务", "牵头单位", "配合单位"], ["1", "任务。", "市经信局", ""]))
    assert header is not None and header.index == 1
    assert header.columns == {"number": 0, "text": 1, "lead": 2, "support": 3}
    assert header.missing() == [] and not header.single_responsible_column and header.width == 4
    assert header.cell(["1", "任务。"], ColumnRole.LEAD) == ""  # a short row
    assert header.cell(["1", "任务。", "市经信局"], ColumnRole.LEAD) == "市经信局"
    incomplete = find_header(grid(["序号", "重点工作任务", "配合单位"]))
    assert incomplete is not None and incomplete.missing() == [ColumnRole.LEAD]
    no_text = find_header(grid(["序号", "牵头单位"]))
    assert no_text is not None and no_text.missing() == [ColumnRole.TEXT]
    assert find_header(grid(["标题"], ["随便", "写写"])) is None


def test_a_single_responsible_column():
    header = find_header(grid(["编号", "主要任务", "责任单位"]))
    assert header is not None and header.single_responsible_column and header.missing() == []


def test_a_two_row_header_takes_lead_and_support_from_its_second_row():
    header = find_header(grid(["序号", "重点工作任务", "责任单位", ""], ["", "", "牵头单位", "配合单位"]))
    assert header is not None and header.index == 1
    assert header.columns == {"number": 0, "text": 1, "lead": 2, "support": 3}


def test_the_header_is_looked_for_in_the_first_fifty_rows():
    filler = [["说明"]] * 50
    assert find_header(grid(*filler, ["序号", "重点工作任务", "牵头单位"])) is None
    assert find_header(grid(*filler[:49], ["序号", "重点工作任务", "牵头单位"])) is not None


def test_a_header_repeated_on_a_new_page():
    assert is_repeated_header("序 号", "重点工作任务")
    assert not is_repeated_header("1", "重点工作任务")
    assert not is_repeated_header("序号", "推进5G建设")
