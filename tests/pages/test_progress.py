"""The workspace in the app: progress page, reporting with the concurrency refusal, agency forms,
new versions previewed before saving, plans chosen and removed (each test on its own SQLite file)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from streamlit.testing.v1 import AppTest

from analysis.store import open_workspace
from analysis.vocab import ProgressStatus
from tests.accounts import add_staff, session_token
from tests.conftest import ROOT, SEED
from tests.pages.test_pages import APP, TIMEOUT, dataframes, figure, metric, open_app

MEETING = dt.date(2020, 9, 15)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _no_frame_rerun(monkeypatch):
    """AppTest resets Streamlit's pages-folder flag before every run, so ui._require_app_frame
    reruns every run and a clicked button's one-shot value is spent on the discarded first
    pass. The app server clears the flag once per process; here it stays cleared."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    class Cleared(PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", Cleared)
    yield
    PagesManager.uses_pages_directory = None


@pytest.fixture
def ws(workspace_db):
    with open_workspace(f"sqlite:///{workspace_db}") as workspace:
        yield add_staff(workspace)


REPORT_TAB, FORMS_TAB, OVERVIEW_TAB = "报送进展", "填报表", "三色预警"  # pages/progress.py TAB_NAMES


def progress_page(tab: str | None = None, **state):
    """The progress page on ``tab`` (its label; the overview by default): only the open tab runs."""
    if tab is not None:
        state["pr_tab"] = tab
    return open_app("progress", meeting_date=MEETING, **state)


def open_tab(at: AppTest, tab: str) -> AppTest:
    at.session_state["pr_tab"] = tab  # as a click on the tab does: a rerun with it open
    return at.run()


def trace_totals(fig: dict) -> dict[str, int]:
    return {trace["name"]: sum(trace["x"]) for trace in fig["data"]}


def test_progress_page_shows_colours_lists_periods_and_the_rule(ws):
    ws.report_progress(1, "1", "done", expected_previous=None, actor="王伟", percent=100, as_of=dt.date(2020, 9, 10))
    ws.report_progress(1, "2", "delayed", expected_previous=None, actor="李娜", as_of=dt.date(2020, 9, 12))
    at = progress_page()
    # 2020-09-15: task 3 is past its deadline (red), task 2 reported delayed (red), task 1 done (green);
    # every other task has no report this month (amber).
    assert metric(at, "红色预警") == "2"
    assert metric(at, "绿色（正常）") == "1"
    assert metric(at, "黄色预警") == "32"
    assert metric(at, "已报送进展的任务") == "2"
    by_theme = figure(at, 1)
    assert trace_totals(by_theme) == {"红色预警": 2, "黄色预警": 32, "绿色（正常）": 1}
    colours = {trace["name"]: trace["marker"]["color"] for trace in by_theme["data"]}
    assert colours == {"红色预警": "#C0392B", "黄色预警": "#E6A23C", "绿色（正常）": "#2CA25F"}
    by_lead = figure(at, 0)
    assert by_lead["layout"]["title"]["text"] == "各牵头单位的任务预警"
    tables = dataframes(at)
    overdue, missing, scorecard = tables[0], tables[1], tables[2]
    assert overdue["序号"].tolist() == ["3"]
    assert overdue["逾期天数"].tolist() == [(MEETING - dt.date(2020, 8, 31)).days]
    assert len(missing) == 33 and "1" not in missing["序号"].tolist() and "2" not in missing["序号"].tolist()
    periods = figure(at, 2)
    assert {trace["name"]: trace["y"] for trace in periods["data"]} == {"已完成": [1], "滞后": [1]}
    assert periods["data"][0]["x"] == ["2020-09"]
    # task 1 is led by 省经信厅: done on time (reported 2020-09-10, deadline the plan's end)
    row = scorecard.set_index("单位").loc["省经信厅"]
    assert row["已完成"] == 1 and row["按期完成"] == 1
    assert any(info.value.startswith("红灯：报送为滞后") for info in at.info)


def test_report_progress_from_the_app_shows_at_once(ws):
    at = progress_page()
    assert metric(at, "绿色（正常）") == "0"
    open_tab(at, REPORT_TAB)
    at.selectbox(key="pr_task").set_value("5").run()
    at.selectbox(key="pr_status").set_value(ProgressStatus.DONE)
    at.number_input(key="pr_percent").set_value(100)
    at.text_area(key="pr_note").input("已完成**验收**")
    at.session_state["auth_token"] = session_token(ws, "王伟")  # signed in (tests/analysis/store/test_access_app.py signs in by the form)
    at.button(key="FormSubmitter:pr_form-保存进展").click().run()
    assert not at.exception
    assert any("已保存第" in s.value for s in at.success)
    assert not at.metric  # the overview tab is closed: its charts and tiles are not built
    current = ws.current_report(1, "5")
    assert current is not None and current.status == "done" and current.reported_by == "王伟"
    assert current.percent == 100 and current.note == "已完成**验收**"
    assert current.as_of == MEETING
    shown = [m.value for m in at.markdown if "当前进展" in m.value]
    assert shown and "\\*\\*验收\\*\\*" in shown[0]  # user text escaped, never markdown
    history = next(df for df in dataframes(at) if "报送编号" in df.columns)
    assert history["报送人"].tolist() == ["王伟"]
    open_tab(at, OVERVIEW_TAB)
    assert metric(at, "绿色（正常）") == "1"  # the cached reads were refreshed at once
    # the timeline colours the bar by the reported progress
    at.switch_page("pages/timeline.py").run()
    fig = figure(at)
    done = next(trace for trace in fig["data"] if trace["name"] == "已完成")
    assert len(done["y"]) == 1 and done["y"][0].startswith("5 ·")
    # the task detail shows the history too
    at.switch_page("pages/tasks.py").run()
    at.selectbox(key="task_detail").set_value("5").run()
    assert any("报送编号" in df.columns and df["报送人"].tolist() == ["王伟"] for df in dataframes(at))


def test_a_report_saved_meanwhile_is_never_overwritten(ws):
    at = progress_page(REPORT_TAB)
    at.selectbox(key="pr_task").set_value("7").run()  # the person sees: no report yet
    other = ws.report_progress(1, "7", "delayed", expected_previous=None, actor="李娜", note="资金未到位")
    at.selectbox(key="pr_status").set_value(ProgressStatus.DONE)
    at.session_state["auth_token"] = session_token(ws, "王伟")
    at.button(key="FormSubmitter:pr_form-保存进展").click().run()
    assert not at.exception
    assert any(e.value.startswith("未保存：您填写期间") for e in at.error)
    assert any("李娜" in w.value and "资金未到位" in w.value for w in at.warning)
    history = ws.report_history(1, "7")
    assert history["report_id"].tolist() == [other.report_id]  # nothing overwritten, nothing added
    # having seen the other report, the person may save on top of it
    at.button(key="FormSubmitter:pr_form-保存进展").click().run()
    assert any("已保存第" in s.value for s in at.success)
    assert ws.report_history(1, "7")["reported_by"].tolist() == ["李娜", "王伟"]


def test_saving_needs_a_sign_in(ws):
    at = progress_page(REPORT_TAB)
    at.button(key="FormSubmitter:pr_form-保存进展").click().run()
    assert any("请先登录" in e.value for e in at.error)
    assert ws.report_history(1, at.selectbox(key="pr_task").value).empty
    assert ws.latest_reports(1).empty


def _filled_form(ws, agency: str, rows: dict[str, tuple[str, int | None, str]], *, bad: bool = False) -> bytes:
    """The agency's form as the app exports it, filled in like a person would (openpyxl)."""
    from openpyxl import load_workbook

    from analysis.model import load_bundled_plan
    from analysis.progress_forms import _INDEX, FIRST_TASK_ROW, export_form

    data = export_form(load_bundled_plan(), agency, ws.latest_reports(1), plan_id="1", version=1)
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    for r in range(FIRST_TASK_ROW, sheet.max_row + 1):
        task = str(sheet.cell(r, _INDEX["number"]).value)
        if task in rows:
            status, percent, note = rows[task]
            sheet.cell(r, _INDEX["status"]).value = status
            sheet.cell(r, _INDEX["percent"]).value = "一百" if bad else percent
            sheet.cell(r, _INDEX["note"]).value = note
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_agency_forms_preview_then_save(ws):
    at = progress_page(FORMS_TAB)
    buttons = [b for b in at.get("download_button") if b.proto.id and "form_" in b.proto.id]
    assert len(buttons) == 34  # one form per agency with a task
    ws.report_progress(1, "1", "in_progress", expected_previous=None, actor="李娜", percent=40)
    form = _filled_form(ws, "省经信厅", {"1": ("已完成", 100, "验收通过"), "4": ("推进中", 30, "")})
    at.file_uploader(key="forms_upload").set_value([("省经信厅.xlsx", form, XLSX)]).run()
    assert not at.exception
    preview = next(df for df in dataframes(at) if "变化内容" in df.columns)
    assert preview["序号"].tolist() == ["1", "4"]
    assert preview["变化"].tolist() == ["有变化", "首次填报"]
    assert preview["变化内容"].iloc[0] == "推进中 → 已完成；40% → 100%；说明已更新"
    assert ws.current_report(1, "4") is None  # nothing saved before the confirmation
    at.session_state["auth_token"] = session_token(ws, "王伟")
    at.run()
    at.button(key="forms_confirm").click().run()
    assert any("已保存 2 条报送" in s.value for s in at.success)
    assert ws.current_report(1, "1").status == "done"
    assert ws.current_report(1, "4").percent == 30


def test_a_bad_cell_is_named_by_file_and_row_and_nothing_is_saved(ws):
    at = progress_page(FORMS_TAB)
    form = _filled_form(ws, "省经信厅", {"1": ("已完成", None, "")}, bad=True)
    at.file_uploader(key="forms_upload").set_value([("经信厅.xlsx", form, XLSX)]).run()
    errors = next(df for df in dataframes(at) if "说明" in df.columns and "文件" in df.columns)
    assert errors["文件"].tolist() == ["经信厅.xlsx"]
    assert errors["行"].tolist() == ["5"]  # task 1, the first row under the header
    assert errors["字段"].tolist() == ["完成百分比"]
    assert errors["说明"].iloc[0].startswith("经信厅.xlsx，第5行，“完成百分比”")
    assert all(b.key != "forms_confirm" for b in at.button)
    assert ws.latest_reports(1).empty


def revised_table() -> bytes:
    text = SEED.read_text(encoding="utf-8")
    # task 1: another lead unit; task 2: a clause added (reworded, same task)
    first = text.index("\t省经信厅\n")
    text = text[:first] + "\t省科技厅\n" + text[first + len("\t省经信厅\n"):]
    text = text.replace("同步验收”", "同步验收”，并纳入考核", 1)
    return text.encode("utf-8")


def test_a_new_version_shows_its_changes_before_it_is_saved(ws):
    at = open_app(auth_token=session_token(ws, "王伟"))  # adding a version needs a coordinator
    at.radio(key="ws_upload_as").set_value("version").run()
    at.file_uploader(key="upload").set_value(("tasks-v2.txt", revised_table(), "text/plain")).run()
    assert not at.exception
    assert any("第 2 版" in s.value for s in at.subheader)
    diff = next(df for df in dataframes(at) if "变化" in df.columns and "原内容" in df.columns)
    changes = list(zip(diff["序号"], diff["变化"], strict=True))
    assert changes == [("2", "内容改写（相似度 95%）"), ("1", "牵头单位变化")]
    lead_row = diff.loc[diff["序号"] == "1"].iloc[0]
    assert lead_row["原内容"] == "省经信厅" and lead_row["新内容"] == "省科技厅"
    assert [p.version for p in ws.list_plans()] == [1]  # not saved yet
    at.button(key="pending_confirm").click().run()
    assert [p.version for p in ws.list_plans()] == [2], [e.value for e in at.error]
    assert any("第 2 版" in s.value for s in at.sidebar.success)
    assert not any("第 2 版" in s.value for s in at.subheader)  # the preview is gone


def test_add_choose_by_link_and_remove_plans(ws):
    data = (ROOT / "tests" / "fixtures" / "documents" / "notice.txt").read_bytes()
    at = open_app(auth_token=session_token(ws, "王伟"))  # adding and removing plans needs a coordinator
    at.file_uploader(key="upload").set_value(("notice.txt", data, "text/plain")).run()
    assert not at.exception
    plans = ws.list_plans()
    assert len(plans) == 2
    assert "某市2023年优化营商环境重点任务分工方案" in at.caption[0].value  # the new plan is on screen
    assert at.query_params["plan"] == str(plans[1].plan_id)
    options = at.selectbox(key="plan_id").options
    assert options[0].startswith("浙江省加快5G发展行动计划") and "第 1 版 · 35 项任务" in options[0]
    # remove it, with a confirmation first
    at.button(key="ws_remove_start").click().run()
    assert len(ws.list_plans()) == 2
    at.button(key="ws_remove_yes").click().run()
    assert [p.plan_id for p in ws.list_plans()] == [1]
    assert "浙江省加快5G发展行动计划" in at.caption[0].value


def test_a_link_names_the_plan_and_a_bad_one_is_said(ws):
    second = ws.add_plan((ROOT / "tests" / "fixtures" / "documents" / "notice.txt").read_bytes(), "notice.txt",
                         actor="王伟")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["plan"] = str(second.plan_id)
    at.run()
    assert "某市2023年优化营商环境重点任务分工方案" in at.caption[0].value
    fresh = AppTest.from_file(APP, default_timeout=TIMEOUT)
    fresh.query_params["plan"] = "999"
    fresh.run()
    assert "浙江省加快5G发展行动计划" in fresh.caption[0].value
    assert any("plan=999" in toast.value for toast in fresh.toast)


def test_without_a_database_the_bundled_plan_opens_read_only(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TASKBOARD_DB", f"sqlite:///{blocker}/sub/taskboard.db")
    at = open_app()
    assert at.title[0].value == "总览"
    assert metric(at, "重点任务") == "35"
    assert any("无法连接工作区数据库" in w.value for w in at.sidebar.warning)
    at.switch_page("pages/progress.py").run()
    assert not at.exception
    assert any("进展报送需要工作区数据库" in i.value for i in at.info)


def test_progress_page_in_english_has_no_chinese_labels(ws):
    import re

    ws.report_progress(1, "1", "done", expected_previous=None, actor="王伟", as_of=dt.date(2020, 9, 10))
    at = progress_page(lang="en")
    han = re.compile(r"[\u4e00-\u9fff]")
    labels = ([m.label for m in at.metric] + [s.value for s in at.subheader if "Meeting" not in s.value]
              + [tab.label for tab in at.tabs] + [i.value for i in at.info])
    assert labels and not [text for text in labels if han.search(text)]
    assert figure(at, 0)["layout"]["title"]["text"] == "Warnings per lead agency"
    assert [trace["name"] for trace in figure(at, 2)["data"]] == ["Done"]
    scorecard = dataframes(at)[2]
    assert not [c for c in scorecard.columns if han.search(c)]


def test_open_follow_ups_of_meetings_are_listed_until_done(ws):
    """Issue 16: a decision with a due date is a follow-up that the progress page shows until done."""
    meeting = ws.meetings.add(1, dt.date(2020, 9, 1), actor="王伟")
    ws.meetings.decide(meeting.meeting_id, "7", actor="王伟", note="九月底前报送方案", follow_up_by="省经信厅",
                       follow_up_due=dt.date(2020, 9, 10))
    ws.meetings.decide(meeting.meeting_id, "9", actor="王伟", note="完成后报告", follow_up_by="省发展改革委",
                       follow_up_due=dt.date(2020, 10, 30))
    ws.meetings.decide(meeting.meeting_id, "11", actor="王伟", note="已议定", follow_up_by="省通信管理局",
                       follow_up_due=dt.date(2020, 10, 30))
    ws.report_progress(1, "11", "done", expected_previous=ws.current_report(1, "11").report_id
                       if ws.current_report(1, "11") else None, actor="李娜", as_of=dt.date(2020, 9, 12))
    at = progress_page()
    tables = [frame for frame in dataframes(at) if "跟进单位" in frame.columns]
    assert len(tables) == 1
    table = tables[0]
    # task 11 is done: no longer listed; 7 is past its due date and comes first
    assert table["序号"].tolist() == ["7", "9"]
    assert table["跟进单位"].tolist() == ["省经信厅", "省发展改革委"]


def test_a_table_with_a_progress_column_is_previewed_with_how_each_row_was_read(ws):
    from tests.analysis.progress_tables import progress_table

    at = progress_page(FORMS_TAB)
    table = progress_table({"2": "已完成", "3": "进度滞后，资金未到位", "7": "各市已对接"})
    at.file_uploader(key="forms_upload").set_value([("进展台账.xlsx", table, XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    preview = next(df for df in dataframes(at) if "变化内容" in df.columns)
    assert preview["序号"].tolist() == ["2", "3", "7"]
    readings = next(df for df in dataframes(at) if "判断依据" in df.columns)
    assert readings["进展状态"].tolist() == ["已完成", "滞后", "推进中"]
    assert readings["判断依据"].tolist() == ["状态名称", "写有“滞后”", "无法判断，按推进中"]
    assert readings["核对"].tolist() == ["", "", "请核对"]
    assert any("1 行的进展文字无法判断状态" in w.value for w in at.warning)
    assert ws.latest_reports(1).empty  # nothing saved before the confirmation
    at.session_state["auth_token"] = session_token(ws, "王伟")  # saving needs a signed-in account
    at.run()
    at.button(key="forms_confirm").click().run()
    assert any("已保存 3 条报送" in s.value for s in at.success)
    assert ws.current_report(1, "3").status == "delayed"
    assert ws.current_report(1, "7").note == "各市已对接"


def test_only_the_open_tab_runs_and_it_stays_open_across_a_language_switch(ws):
    at = progress_page(REPORT_TAB)
    assert [w.key for w in at.selectbox if w.key == "pr_task"] == ["pr_task"]
    assert not at.metric and not at.get("plotly_chart")  # the overview is not built behind the form
    assert not [u for u in at.get("file_uploader") if u.proto.id.endswith("forms_upload")]
    at.radio(key="lang").set_value("en").run()
    assert at.session_state["pr_tab"] == "Report progress"
    assert [w.key for w in at.selectbox if w.key == "pr_task"] == ["pr_task"] and not at.metric
    open_tab(at, "Red / amber / green")
    assert at.metric and not [w for w in at.selectbox if w.key == "pr_task"]


def test_the_overview_follows_reports_on_its_own_tasks(ws):
    """Keyed by the reports of the view's tasks: a report on a task the filter hides changes nothing
    shown; one on a task it shows is seen at the next rerun."""
    plan = ws.load_plan(1)
    agency = "省科技厅"
    mine = set(plan.assignments.loc[plan.assignments["agency"] == agency, "task_id"].astype(str))
    inside = next(t for t in plan.tasks["task_id"].astype(str) if t in mine)
    outside = next(t for t in plan.tasks["task_id"].astype(str) if t not in mine)
    at = progress_page(f_agency=[agency])
    shown = {m.label: m.value for m in at.metric}
    assert shown["已报送进展的任务"] == "0" and shown["绿色（正常）"] == "0"
    ws.report_progress(1, outside, "done", expected_previous=None, actor="王伟", as_of=dt.date(2020, 9, 10))
    from dashboard import workspace_state

    workspace_state.changed()  # as when the revision check falls due
    at.run()
    assert {m.label: m.value for m in at.metric} == shown
    ws.report_progress(1, inside, "done", expected_previous=None, actor="王伟", as_of=dt.date(2020, 9, 10))
    workspace_state.changed()
    at.run()
    assert metric(at, "已报送进展的任务") == "1" and metric(at, "绿色（正常）") == "1"


def test_a_report_made_elsewhere_shows_in_the_current_report_and_the_history(ws):
    """The report tab's current report and history come from cached reads (the plan's latest reports,
    the task's history keyed by its current report): a report saved by somebody else (another server)
    shows at the next rerun once the revision is read again, newest first; the task beside it keeps
    its own."""
    from dashboard import workspace_state as wss

    first = ws.report_progress(1, "5", "in_progress", expected_previous=None, actor="王伟", note="第一次")
    ws.report_progress(1, "6", "delayed", expected_previous=None, actor="王伟", note="六")
    at = progress_page(REPORT_TAB)
    at.selectbox(key="pr_task").set_value("5").run()
    history = next(df for df in dataframes(at) if "报送编号" in df.columns)
    assert history["报送编号"].tolist() == [first.report_id]
    second = ws.report_progress(1, "5", "delayed", expected_previous=first.report_id, actor="李娜", note="资金未到位")
    wss.changed()  # as the revision check does within REVISION_CHECK_SECONDS
    at.run()
    assert not at.exception
    shown = [m.value for m in at.markdown if "当前进展" in m.value]
    assert shown and "李娜" in shown[0] and "资金未到位" in shown[0]
    history = next(df for df in dataframes(at) if "报送编号" in df.columns)
    assert history["报送编号"].tolist() == [second.report_id, first.report_id]
    assert history["报送人"].tolist() == ["李娜", "王伟"]
    at.selectbox(key="pr_task").set_value("6").run()
    history = next(df for df in dataframes(at) if "报送编号" in df.columns)
    assert history["报送人"].tolist() == ["王伟"] and history["报送编号"].tolist() != [first.report_id]
