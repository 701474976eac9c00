"""Progress in the real app (headless Chromium): report on a task, see it on the progress page and the
timeline, download the meeting pack (HTML and PPTX) with its progress section.

The server runs on its own temporary workspace database (TASKBOARD_DB), seeded with the
bundled plan on first use. Screenshots go to tests/e2e/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from analysis.store import open_workspace
from tests.accounts import STAFF_PASSWORD
from tests.e2e import signin
from tests.e2e import test_browser as base
from tests.e2e.signin import sign_in
from tests.e2e.test_browser import SHOTS, wait_ready

browser, page = base.browser, base.page  # the shared fixtures
db_url, server = signin.db_url, signin.server

pytestmark = pytest.mark.e2e


def _choose(page, label: str, option) -> None:
    """Pick an option of the Streamlit selectbox with this label (a combobox since 1.5x)."""
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option").filter(has_text=option).first.click()


def test_report_progress_then_see_it_on_the_progress_page_timeline_and_pack(server, page, db_url, tmp_path):
    page.goto(f"{server}/progress?meeting=2020-09-15")
    # the first run creates and seeds the workspace: slower than a page switch on a busy machine
    page.locator("[data-testid='stSidebar'] [data-testid='stRadio']").first.wait_for(timeout=120_000)
    wait_ready(page, "进展")
    red = page.locator("[data-testid='stMetric']").filter(has_text="红色预警").locator("[data-testid='stMetricValue']")
    expect(red).to_have_text("1")  # task 3 is past its deadline on 2020-09-15
    sign_in(page, "王伟", STAFF_PASSWORD)
    wait_ready(page, "进展")
    page.get_by_role("tab", name="报送进展").click()
    _choose(page, "任务", re.compile(r"^3 ·"))
    wait_ready(page, "进展")
    _choose(page, "进展状态", re.compile("^已完成$"))
    page.get_by_label("进展说明").fill("基站审批系统已上线")
    page.get_by_role("button", name="保存进展").click()
    page.get_by_text("已保存第 1 号报送（任务 3）").wait_for(timeout=30_000)
    wait_ready(page, "进展")
    page.get_by_text("当前进展：第 1 号报送").first.wait_for()
    page.screenshot(path=str(SHOTS / "progress_reported.png"), full_page=True)

    with open_workspace(db_url) as ws:
        saved = ws.current_report(1, "3")
    assert saved is not None and saved.status == "done" and saved.reported_by == "王伟"

    page.get_by_role("tab", name="三色预警").click()
    expect(red).to_have_text("0")  # done: green, at once
    green = page.locator("[data-testid='stMetric']").filter(has_text="绿色").locator("[data-testid='stMetricValue']")
    expect(green).to_have_text("1")
    page.screenshot(path=str(SHOTS / "progress_overview.png"), full_page=True)

    page.goto(f"{server}/timeline?meeting=2020-09-15")
    wait_ready(page, "时间线")
    legend = page.locator(".js-plotly-plot .legend").first
    expect(legend).to_contain_text("已完成")
    expect(legend).to_contain_text("未启动")
    page.screenshot(path=str(SHOTS / "timeline_progress.png"), full_page=True)

    # The meeting pack of the sidebar has the progress section, with the report just saved.
    sidebar = page.locator("[data-testid='stSidebar']")
    with page.expect_download(timeout=60_000) as html_download:
        sidebar.get_by_role("button", name="下载报告（HTML，可离线打开）").click()
    html_path = tmp_path / "pack.html"
    html_download.value.save_as(html_path)
    html = html_path.read_text(encoding="utf-8")
    assert 'id="progress"' in html and "各状态任务数（最近一次报送）" in html
    assert "35 项任务中 1 项报送过进展" in html
    assert "没有红色预警任务。" in html  # task 3, the only red one, is done now
    with page.expect_download(timeout=180_000) as pptx_download:
        sidebar.get_by_role("button", name="下载幻灯片（PPTX）").click()
    pptx_path = tmp_path / "pack.pptx"
    pptx_download.value.save_as(pptx_path)
    from pptx import Presentation

    slides = [" ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
              for slide in Presentation(str(pptx_path)).slides]
    progress_slides = [text for text in slides if "进展情况" in text]
    assert progress_slides, "no progress slide in the deck"
    assert any("35 项任务中 1 项报送过进展" in text for text in slides)
    page.goto(html_path.as_uri())  # the downloaded report, opened offline as a reader would
    section = page.locator("#progress")
    expect(section).to_contain_text("进展情况")
    section.screenshot(path=str(SHOTS / "pack_progress_section.png"))
