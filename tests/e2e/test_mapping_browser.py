"""The column mapping step in the real app (headless Chromium): a file refused for a missing column
opens the step, a column's role is chosen, the import is confirmed, and the plan is saved to the
workspace with its mapping and shown on the Overview.

The server runs on its own temporary workspace database (TASKBOARD_DB), seeded with the bundled
plan; 王伟 signs in (a write needs an account). Screenshots go to /tmp/mapping/ for a person to
look at (never committed).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from analysis.store import open_workspace
from tests.accounts import STAFF_PASSWORD
from tests.e2e import signin
from tests.e2e import test_browser as base
from tests.e2e.signin import sign_in
from tests.e2e.test_browser import wait_ready
from tests.pages.test_column_mapping import MAPPING, REFUSED

browser, page = base.browser, base.page  # the shared fixtures
db_url, server = signin.db_url, signin.server

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/mapping")


def _idle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def _open_signed_in(page, server: str) -> None:
    """The Overview, signed in as 王伟 (a write needs an account)."""
    page.goto(f"{server}/")
    # the first run creates and seeds the workspace: slower than a page switch on a busy machine
    page.locator("[data-testid='stSidebar'] [data-testid='stRadio']").first.wait_for(timeout=120_000)
    wait_ready(page, "总览")
    sign_in(page, "王伟", STAFF_PASSWORD)
    wait_ready(page, "总览")


def test_a_refused_file_is_mapped_imported_and_saved(server, page, db_url, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    _open_signed_in(page, server)
    sidebar = page.locator("[data-testid='stSidebar']")
    tasks = page.locator("[data-testid='stMetric']").filter(has_text="重点任务").locator("[data-testid='stMetricValue']")
    expect(tasks).to_have_text("35")  # the bundled plan

    table = tmp_path / "kaohe.csv"
    table.write_bytes(REFUSED)
    sidebar.locator("input[type='file']").set_input_files(str(table))
    sidebar.get_by_text("缺少必需的列").first.wait_for(timeout=60_000)
    wait_ready(page, "总览")
    refusal = sidebar.locator("[data-testid='stAlert']").filter(has_text="缺少必需的列").first
    expect(refusal).to_contain_text("kaohe")
    expect(refusal).to_contain_text("列对应")  # the refusal points to the mapping step
    step = sidebar.locator("[data-testid='stExpander']").filter(has_text="列对应")
    expect(step.get_by_text("未能识别必需的列")).to_be_visible()  # the step is open
    expect(step.get_by_role("combobox", name="“评分部门”列", exact=True)).to_be_visible()
    expect(tasks).to_have_text("35")  # the plan on screen stays until the file is imported
    step.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "mapping_open.png"), full_page=True)
    step.screenshot(path=str(SHOTS / "mapping_step.png"))

    step.get_by_role("combobox", name="“评分部门”列", exact=True).click()
    page.get_by_role("option").filter(has_text=re.compile("^责任单位（首个牵头）$")).first.click()
    _idle(page)
    step.get_by_role("button", name="按此对应导入").click()
    sidebar.get_by_text("已保存到工作区：kaohe（2 项任务）").wait_for(timeout=60_000)
    wait_ready(page, "总览")
    expect(tasks).to_have_text("2")
    expect(sidebar.locator("[data-testid='stAlert']").filter(has_text="缺少必需的列")).to_have_count(0)
    expect(step.get_by_text("未能识别必需的列")).to_have_count(0)  # answered: the step says so instead
    page.screenshot(path=str(SHOTS / "mapping_imported.png"), full_page=True)
    sidebar.get_by_text("已保存到工作区").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "mapping_saved_sidebar.png"))

    with open_workspace(db_url) as ws:
        plans = ws.list_plans()
        assert [p.tasks for p in plans] == [35, 2]
        assert ws.plan_columns(plans[1].plan_id) == MAPPING
        kept = ws.load_plan(plans[1].plan_id)
    assert kept.assignments.loc[kept.assignments["role"] == "lead", "agency"].tolist() == ["市统计局", "市教育局"]
    assert re.search(rf"[?&]plan={plans[1].plan_id}\b", page.url)  # the new plan is the one on screen


def _run_done(page) -> None:
    """The run has ended: no element left stale from the run before, none running (tests.e2e.test_wall)."""
    from tests.e2e.test_wall import RUN_DONE

    page.wait_for_function(RUN_DONE, timeout=60_000)


def test_a_refused_paste_is_mapped_imported_and_saved(server, page, db_url):
    """The same step for a table pasted into the paste box (tab-separated, as a spreadsheet copies it)."""
    from tests.pages.test_column_mapping import PASTED_REFUSED

    _open_signed_in(page, server)
    sidebar = page.locator("[data-testid='stSidebar']")
    with open_workspace(db_url) as ws:
        before = len(ws.list_plans())
    sidebar.get_by_text("粘贴表格", exact=True).click()
    box = sidebar.locator("textarea")
    box.fill(PASTED_REFUSED)
    box.press("Control+Enter")  # the text is sent: the import button is enabled by the rerun
    button = sidebar.get_by_role("button", name="导入粘贴的表格")
    expect(button).to_be_enabled(timeout=60_000)
    _idle(page)
    button.click()
    refusal = sidebar.locator("[data-testid='stAlert']").filter(has_text="缺少必需的列").first
    refusal.wait_for(timeout=60_000)
    expect(refusal).to_contain_text("粘贴的表格")
    expect(refusal).to_contain_text("列对应")
    step = sidebar.locator("[data-testid='stExpander']").filter(has_text="列对应")
    expect(step.get_by_text("未能识别必需的列")).to_be_visible()  # the step is open
    _run_done(page)  # a list opened while the run still draws the sidebar may be closed by it
    SHOTS.mkdir(parents=True, exist_ok=True)
    sidebar.screenshot(path=str(SHOTS / "paste_step.png"))  # for a person to look at
    option = page.get_by_role("option").filter(has_text=re.compile("^责任单位（首个牵头）$")).first
    for _ in range(3):
        step.get_by_role("combobox", name="“评分部门”列", exact=True).click()
        try:
            option.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            _run_done(page)
    option.click()
    _run_done(page)
    step.get_by_role("button", name="按此对应导入").click()
    sidebar.get_by_text("已保存到工作区：粘贴的表格（2 项任务）").wait_for(timeout=60_000)
    wait_ready(page, "总览")
    tasks = page.locator("[data-testid='stMetric']").filter(has_text="重点任务").locator("[data-testid='stMetricValue']")
    expect(tasks).to_have_text("2")
    expect(sidebar.locator("[data-testid='stAlert']").filter(has_text="缺少必需的列")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "paste_imported.png"), full_page=True)
    with open_workspace(db_url) as ws:
        plans = ws.list_plans()
        assert len(plans) == before + 1
        assert ws.plan_columns(plans[-1].plan_id) == MAPPING
