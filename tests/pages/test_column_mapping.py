"""The column mapping step (dashboard.mapping) in the app: a refused file opens it, a role is
changed, the import is confirmed and the plan is shown; the choice is remembered. Signed in, the
import is saved to the workspace as an upload is (a new plan, or a new version after its changes
are confirmed), with its mapping; not signed in, it is shown for the session only and says why."""

from __future__ import annotations

import pytest

from analysis.model import plan_from_bytes
from analysis.store import open_workspace
from tests.accounts import add_staff, session_token
from tests.pages.test_pages import metric, open_app, task_table
from tests.pages.test_progress import _no_frame_rerun  # noqa: F401  (the fixture: a click is not spent on a rerun)

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


# ------------------------------------------------------------------ saved to the workspace (signed in)

MAPPING = {"考核项目": "category", "考核内容": "text", "评分部门": "responsible"}
#: The same header, a year on: one task reworded, one added (a new version of the plan above).
REVISED = ("考核项目,考核内容,评分部门\n经济发展,地区生产总值增长6.5%。,市统计局\n"
           "社会事业,新建学校2所。,市教育局\n生态环境,新增绿地10公顷。,市园林局\n").encode()


@pytest.fixture
def ws(workspace_db):
    with open_workspace(f"sqlite:///{workspace_db}") as workspace:
        yield add_staff(workspace)


def _map_and_import(at, name: str, data: bytes, *, change: bool = True):
    at.sidebar.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("缺少必需的列" in e.value for e in at.sidebar.error)
    step = next(e for e in at.sidebar.expander if e.label.startswith("列对应"))
    if change:
        next(b for b in step.selectbox if b.label == "“评分部门”列").set_value("responsible")
    next(b for b in step.button if b.label == "按此对应导入").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_signed_in_a_mapped_file_is_saved_as_a_new_plan_with_its_mapping(ws):
    at = _map_and_import(open_app(auth_token=session_token(ws, "王伟")), "kaohe.csv", REFUSED)
    plans = ws.list_plans()
    assert len(plans) == 2, [e.value for e in at.sidebar.error]
    added = plans[1]
    assert ws.plan_columns(added.plan_id) == MAPPING
    assert added.tasks == 2
    # the workspace's plan is the one on screen (not a session-only copy), and it is what was shown
    assert not at.session_state["plan_bytes"] if "plan_bytes" in at.session_state else True
    assert at.session_state["plan_id"] == added.plan_id and at.query_params["plan"] == str(added.plan_id)
    assert metric(at, "重点任务") == "2"
    assert [s.value for s in at.sidebar.success] == ["已保存到工作区：kaohe（2 项任务）"]
    assert not any("缺少必需的列" in e.value for e in at.sidebar.error)  # the refusal is answered
    step = next(e for e in at.sidebar.expander if e.label.startswith("列对应"))
    assert any("已按此对应导入" in c.value for c in step.caption) and not step.warning
    assert not any("仅在本次会话中显示" in i.value for i in at.sidebar.info)
    kept = ws.load_plan(added.plan_id)
    expected = plan_from_bytes(REFUSED, "kaohe.csv", columns=MAPPING)
    assert kept.tasks["text"].tolist() == expected.tasks["text"].tolist() == ["地区生产总值增长6%。", "新建学校2所。"]
    assert kept.assignments[["task_id", "agency", "role"]].values.tolist() == \
        expected.assignments[["task_id", "agency", "role"]].values.tolist()
    assert set(kept.assignments["agency"]) == {"市统计局", "市教育局"}
    at.switch_page("pages/tasks.py").run()
    shown = task_table(at)
    assert shown["牵头单位"].tolist() == ["市统计局", "市教育局"]
    assert [e.action for e in ws.audit(plan_id=added.plan_id)] == ["add_plan"]


def test_signed_in_a_mapped_file_becomes_a_new_version_after_its_changes_are_confirmed(ws):
    at = _map_and_import(open_app(auth_token=session_token(ws, "王伟")), "kaohe.csv", REFUSED)
    plan_id = ws.list_plans()[1].plan_id
    at.sidebar.radio(key="ws_upload_as").set_value("version").run()
    # the same header: the mapping chosen before is offered first, no need to change it again
    _map_and_import(at, "kaohe-2.csv", REVISED, change=False)
    assert any("第 2 版" in s.value for s in at.subheader)
    assert [p.version for p in ws.list_plans()] == [1, 1]  # not saved before the changes are confirmed
    at.button(key="pending_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [p.version for p in ws.list_plans()] == [1, 2], [e.value for e in at.error]
    assert ws.plan_columns(plan_id, 2) == MAPPING
    assert len(ws.load_plan(plan_id).tasks) == 3
    assert metric(at, "重点任务") == "3"


def test_not_signed_in_a_mapped_file_is_shown_for_the_session_only_and_says_why(ws):
    at = _map_and_import(open_app(), "kaohe.csv", REFUSED)
    assert len(ws.list_plans()) == 1  # nothing saved
    assert metric(at, "重点任务") == "2"
    assert at.session_state["plan_name"] == "kaohe.csv"
    assert any("仅在本次会话中显示" in i.value and "尚未登录" in i.value for i in at.sidebar.info), \
        [i.value for i in at.sidebar.info]
    at.session_state["lang"] = "en"
    at.run()
    assert any("this session only" in i.value and "nobody is signed in" in i.value for i in at.sidebar.info)


def test_signed_in_a_pasted_table_is_saved_as_a_new_plan(ws):
    from analysis.io.lines import grid_from_cell_lines
    from tests.conftest import ROOT

    grid = grid_from_cell_lines((ROOT / "tests" / "fixtures" / "real" / "dazhu_2016_minsheng.txt").read_text(encoding="utf-8"))
    assert grid is not None
    pasted = "2016年民生实事目标任务分解表\n" + "\n".join(
        "\t".join(f'"{c}"' if "\n" in c else c for c in cells) for _, cells in grid.rows)
    at = open_app(auth_token=session_token(ws, "王伟"))
    at.sidebar.text_area(key="pasted_table").input(pasted).run()
    at.sidebar.button(key="pasted_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    plans = ws.list_plans()
    assert len(plans) == 2 and plans[1].tasks == 11
    assert ws.plan_columns(plans[1].plan_id) is None
    assert metric(at, "重点任务") == "11"


def test_without_a_database_a_mapped_file_is_shown_for_the_session_only_and_says_why(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TASKBOARD_DB", f"sqlite:///{blocker}/sub/taskboard.db")
    at = _map_and_import(open_app(), "kaohe.csv", REFUSED)
    assert metric(at, "重点任务") == "2"
    assert any("仅在本次会话中显示" in i.value and "工作区数据库不可用" in i.value for i in at.sidebar.info), \
        [i.value for i in at.sidebar.info]


def test_an_account_that_may_not_add_plans_sees_the_plan_for_the_session_only(ws):
    from analysis.store.access import Grant
    from analysis.vocab import AccessRole
    from tests.accounts import ADMIN

    ws.accounts.add("观察员", [Grant(AccessRole.VIEWER)], actor=ADMIN)
    at = _map_and_import(open_app(auth_token=session_token(ws, "观察员")), "kaohe.csv", REFUSED)
    assert len(ws.list_plans()) == 1
    assert metric(at, "重点任务") == "2"
    assert any("仅在本次会话中显示" in i.value and "观察员" in i.value for i in at.sidebar.info), \
        [i.value for i in at.sidebar.info]


def test_not_signed_in_a_plain_upload_is_shown_for_the_session_only_too(ws):
    from tests.conftest import ROOT

    data = (ROOT / "tests" / "fixtures" / "documents" / "notice.txt").read_bytes()
    at = open_app()
    at.sidebar.file_uploader[0].set_value(("notice.txt", data, "text/plain")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(ws.list_plans()) == 1 and not at.sidebar.error
    assert "某市2023年优化营商环境重点任务分工方案" in at.caption[0].value
    assert any("仅在本次会话中显示" in i.value and "尚未登录" in i.value for i in at.sidebar.info)
    at.session_state["auth_token"] = session_token(ws, "王伟")  # signed in, the same file is saved
    next(b for b in at.sidebar.button if b.label == "返回工作区的方案").click().run()
    at.sidebar.file_uploader[0].set_value(("notice.txt", data + b"\n", "text/plain")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(ws.list_plans()) == 2, [e.value for e in at.sidebar.error]
    assert not any("仅在本次会话中显示" in i.value for i in at.sidebar.info)


# ------------------------------------------------------------------ a pasted table: the same step (paste13)

#: REFUSED as a spreadsheet copies it (tab-separated): made up for the test, as REFUSED is.
PASTED_REFUSED = REFUSED.decode().replace(",", "\t")


def _paste(at, text: str):
    at.sidebar.text_area(key="pasted_table").input(text).run()
    at.sidebar.button(key="pasted_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _paste_step(at):
    return next(e for e in at.sidebar.expander if e.label.startswith(("列对应", "Column mapping")))


def test_a_refused_paste_names_what_is_missing_in_chinese_and_in_english():
    at = _paste(open_app(), PASTED_REFUSED)
    refusal = [e.value.replace("\\", "") for e in at.sidebar.error if "缺少必需的列" in e.value]  # Markdown-escaped
    assert len(refusal) == 1, [e.value for e in at.sidebar.error]
    # the file (the paste's name), what is missing (the units: 考核内容 reads as the task), the mapping step
    assert "粘贴的表格.txt" in refusal[0] and "缺少必需的列：牵头单位" in refusal[0] and "“列对应”步骤" in refusal[0]
    assert metric(at, "重点任务") == "35"  # the plan on screen stays
    at.session_state["lang"] = "en"
    at.run()
    at.sidebar.button(key="pasted_import").click().run()  # pasted again with the page in English
    assert not at.exception, [e.value for e in at.exception]
    refusal = [e.value.replace("\\", "").replace("\u200b", "") for e in at.sidebar.error if "required column missing" in e.value]
    assert len(refusal) == 1, [e.value for e in at.sidebar.error]
    assert "pasted table.txt" in refusal[0] and "required column missing: lead" in refusal[0]
    assert "column mapping step" in refusal[0]
    assert not any("缺少" in e.value or "粘贴" in e.value for e in at.sidebar.error)
    step = _paste_step(at)
    assert any("Required columns were not recognised" in w.value for w in step.warning)


def test_a_refused_paste_opens_the_mapping_step_and_imports_with_the_chosen_roles():
    at = _paste(open_app(), PASTED_REFUSED)
    step = _paste_step(at)
    boxes = {box.label: box for box in step.selectbox}
    assert {label: box.value for label, box in boxes.items()} == {
        "“考核项目”列": "category", "“考核内容”列": "text", "“评分部门”列": "other"}
    assert any("未能识别必需的列" in w.value for w in step.warning)
    assert step.dataframe[0].value["考核内容"].tolist() == ["地区生产总值增长6%。", "新建学校2所。"]
    assert len([e for e in at.sidebar.expander if e.label.startswith("列对应")]) == 1  # no upload: one step
    boxes["“评分部门”列"].set_value("responsible")
    next(b for b in step.button if b.label == "按此对应导入").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert metric(at, "重点任务") == "2"
    assert at.session_state["plan_name"] == "粘贴的表格.txt"
    assert at.session_state["plan_columns"] == tuple(sorted(MAPPING.items()))
    assert not any("缺少必需的列" in e.value for e in at.sidebar.error)  # the refusal is answered
    assert any("已按此对应导入" in c.value for c in _paste_step(at).caption)
    assert list(at.session_state["column_mappings"].values()) == [MAPPING]  # remembered for this header
    at.switch_page("pages/tasks.py").run()
    shown = task_table(at)
    assert shown["牵头单位"].tolist() == ["市统计局", "市教育局"]


def test_signed_in_a_refused_paste_is_saved_with_the_mapping_chosen(ws):
    at = _paste(open_app(auth_token=session_token(ws, "王伟")), PASTED_REFUSED)
    step = _paste_step(at)
    next(b for b in step.selectbox if b.label == "“评分部门”列").set_value("responsible")
    next(b for b in step.button if b.label == "按此对应导入").click().run()
    assert not at.exception, [e.value for e in at.exception]
    plans = ws.list_plans()
    assert len(plans) == 2, [e.value for e in at.sidebar.error]
    assert plans[1].tasks == 2 and ws.plan_columns(plans[1].plan_id) == MAPPING
    assert [s.value for s in at.sidebar.success] == ["已保存到工作区：粘贴的表格（2 项任务）"]
    assert at.session_state["plan_id"] == plans[1].plan_id
    assert metric(at, "重点任务") == "2"
    kept = ws.load_plan(plans[1].plan_id)
    assert kept.assignments.loc[kept.assignments["role"] == "lead", "agency"].tolist() == ["市统计局", "市教育局"]


def test_a_real_pasted_table_read_as_it_stands_can_be_corrected_in_its_step():
    """苍南 2022 (tests/fixtures/real/cangnan_2022_progress.txt, its address in SOURCES.md), its table
    pasted tab-separated as a browser copies it: read as it stands, its step is there, folded; the
    备注 column (市民生实事 / 县民生实事) is read as notes, the user says it groups the tasks, and the
    table is imported so: two themes instead of none."""
    from analysis.io.lines import grid_from_cell_lines
    from tests.conftest import ROOT

    grid = grid_from_cell_lines((ROOT / "tests" / "fixtures" / "real" / "cangnan_2022_progress.txt").read_text(encoding="utf-8"))
    assert grid is not None
    pasted = "\n".join("\t".join(f'"{c}"' if "\n" in c else c for c in cells) for _, cells in grid.rows)
    at = _paste(open_app(), pasted)
    assert metric(at, "重点任务") == "13" and not at.sidebar.error
    step = _paste_step(at)
    boxes = {box.label: box for box in step.selectbox}
    assert {label: box.value for label, box in boxes.items()} == {
        "“序号”列": "number", "“项目内容”列": "text", "“当前进度”列": "progress", "“牵头单位”列": "lead",
        "“备注”列": "notes"}
    assert not step.warning
    assert step.dataframe[0].value["备注"].tolist()[:2] == ["市民生实事", "县民生实事"]
    boxes["“备注”列"].set_value("category")
    next(b for b in step.button if b.label == "按此对应导入").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert metric(at, "重点任务") == "13"
    assert dict(at.session_state["plan_columns"]) == {
        "序号": "number", "项目内容": "text", "当前进度": "progress", "牵头单位": "lead", "备注": "category"}
    assert any("已按此对应导入" in c.value for c in _paste_step(at).caption)
    at.switch_page("pages/tasks.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = task_table(at)
    assert shown["主题"].tolist() == ["市民生实事"] + ["县民生实事"] * 12


def test_an_upload_and_a_paste_refused_alike_each_have_their_own_step():
    at = open_app()
    at.sidebar.file_uploader[0].set_value(("kaohe.csv", REFUSED, "text/csv")).run()
    at = _paste(at, PASTED_REFUSED)  # the same header: the two steps' widgets must not collide
    steps = [e for e in at.sidebar.expander if e.label.startswith("列对应")]
    assert len(steps) == 2
    upload_step, paste_step = steps
    next(b for b in paste_step.selectbox if b.label == "“评分部门”列").set_value("responsible")
    assert next(b for b in upload_step.selectbox if b.label == "“评分部门”列").value == "other"
    next(b for b in paste_step.button if b.label == "按此对应导入").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert metric(at, "重点任务") == "2" and at.session_state["plan_name"] == "粘贴的表格.txt"
    upload_step, paste_step = [e for e in at.sidebar.expander if e.label.startswith("列对应")]
    assert any("已按此对应导入" in c.value for c in paste_step.caption)
    assert not any("已按此对应导入" in c.value for c in upload_step.caption)
