"""The network page's agency panel opens that agency across every plan (headless Chromium).

The server runs on its own temporary workspace (TASKBOARD_DB): the bundled Zhejiang plan, a small
synthetic Zhejiang table and the Anhui plan of the real-table corpus. Screenshots go to
tests/e2e/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from analysis.store import open_workspace
from tests.accounts import add_staff
from tests.analysis.portfolio.conftest import REAL, SYNTHETIC_TITLE, SYNTHETIC_ZHEJIANG
from tests.conftest import independent_counts
from tests.e2e import test_browser as base
from tests.e2e.test_browser import CHROMIUM, SHOTS, query, wait_ready
from tests.hardening.appserver import running_app

browser, page = base.browser, base.page  # the shared fixtures

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `bash scripts/install.sh --dev` first")
    url = f"sqlite:///{tmp_path_factory.mktemp('workspace') / 'taskboard.db'}"
    with open_workspace(url) as ws:  # seeded with the bundled plan (plan 1)
        add_staff(ws)  # the accounts the writes below act as
        ws.add_plan(SYNTHETIC_ZHEJIANG.encode("utf-8"), "synthetic.csv", actor="测试", title=SYNTHETIC_TITLE,
                    region="浙江省")
        ws.add_plan((REAL / "anhui_2022_province.txt").read_bytes(), "anhui_2022_province.txt", actor="测试")
    with running_app(database=url) as app:
        yield app


def test_the_network_panel_opens_the_agency_across_plans(server, page):
    page.goto(f"{server}/network?plan=1")
    page.locator("[data-testid='stSidebar'] [data-testid='stRadio']").first.wait_for(timeout=120_000)
    wait_ready(page, "协作网络")
    panel = page.locator(".st-key-agency_panel")
    panel.get_by_role("heading", name=re.compile("省经信厅")).wait_for(timeout=30_000)  # the busiest agency
    page.screenshot(path=str(SHOTS / "portfolio_from_network.png"), full_page=True)
    panel.get_by_role("link", name="查看该单位的跨计划情况").click()
    wait_ready(page, "跨计划")
    page.get_by_role("heading", name=re.compile("省经信厅（浙江省）跨计划任务")).wait_for(timeout=60_000)
    raw = independent_counts()

    def metric(label: str):
        return page.locator("[data-testid='stMetric']").filter(has_text=label).locator("[data-testid='stMetricValue']")

    # The Zhejiang plan and the synthetic table (which leads with 浙江省经济和信息化厅 and 省经济和信息化厅).
    expect(metric("牵头任务")).to_have_text(str(raw["lead"]["省经信厅"] + 2))
    expect(metric("配合任务")).to_have_text(str(raw["support"]["省经信厅"] + 1))
    expect(metric("涉及方案")).to_have_text("2")
    assert query(page).get("agency") == ["省经信厅"]
    page.screenshot(path=str(SHOTS / "portfolio_agency.png"), full_page=True)
