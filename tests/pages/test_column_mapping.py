"""The column mapping step (dashboard.mapping) in the app: a refused file opens it, a role is
changed, the import is confirmed and the plan is shown; the choice is remembered."""

from __future__ import annotations

from tests.pages.test_pages import open_app

REFUSED = "考核项目,考核内容,评分部门\n经济发展,地区生产总值增长6%。,市统计局\n社会事业,新建学校2所。,市教育局\n".encode()


def test_a_refused_file_is_mapped_confirmed_and_shown():
    at = open_app()
    at.sidebar.file_uploader[0].set_value(("kaohe.csv", REFUSED, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("缺少必需的列" in e.value and "kaohe" in e.value and "列对应" in e.value for e in at.sidebar.error)
    step = next(e for e in at.sidebar.expander if e.label.startswith("列对应"))
    boxes = {box.label: box for box in step.selectbox}
    assert boxes["“考核项目”列"].value == "category" and boxes["“考核内容”列"].value == "text"
    assert boxes["“评分部门”列"].value == "other"  # never mixed into lead or support by itself
    assert any("未能识别必需的列" in w.value for w in step.warning)
    first_rows = step.dataframe[0].value
    assert first_rows["评分部门"].tolist() == ["市统计局", "市教育局"]
    boxes["“评分部门”列"].set_value("responsible")
    next(b for b in step.button if b.label == "按此对应导入").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert next(m.value for m in at.metric if m.label == "重点任务") == "2"
    assert any("kaohe" in c.value for c in at.sidebar.caption)
    assert at.session_state["plan_columns"] == (("考核内容", "text"), ("考核项目", "category"), ("评分部门", "responsible"))
    remembered = at.session_state["column_mappings"]
    assert list(remembered.values()) == [{"考核项目": "category", "考核内容": "text", "评分部门": "responsible"}]


def test_a_pasted_table_is_imported():
    from analysis.io.lines import grid_from_cell_lines
    from tests.conftest import ROOT

    grid = grid_from_cell_lines((ROOT / "tests" / "fixtures" / "real" / "dazhu_2016_minsheng.txt").read_text(encoding="utf-8"))
    assert grid is not None
    pasted = "2016年民生实事目标任务分解表\n" + "\n".join(
        "\t".join(f'"{c}"' if "\n" in c else c for c in cells) for _, cells in grid.rows)
    at = open_app()
    at.sidebar.text_area(key="pasted_table").input(pasted).run()
    at.sidebar.button(key="pasted_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert next(m.value for m in at.metric if m.label == "重点任务") == "11"
    assert at.session_state["plan_name"] == "粘贴的表格.txt"
