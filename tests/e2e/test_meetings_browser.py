"""The meetings page in the real app, in Debian's headless Chromium: record a meeting, a decision,
download the minutes. The app runs on a SQLite workspace of its own (TASKBOARD_DB)."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document
from playwright.sync_api import expect

from analysis.store import open_workspace
from tests.accounts import STAFF_PASSWORD, add_staff
from tests.e2e import signin
from tests.e2e.signin import sign_in
from tests.e2e.test_browser import CHROMIUM, LAUNCH_ARGS, SHOTS, wait_ready

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def db_url(tmp_path_factory) -> str:
    """This module's workspace (signin.server serves it): the bundled plan, and one task reported delayed."""
    url = f"sqlite:///{tmp_path_factory.mktemp('meetings') / 'w.db'}"
    with open_workspace(url) as ws:
        add_staff(ws, ("王伟", "李娜"), passwords=True)
        ws.report_progress(1, "2", "delayed", expected_previous=None, actor="李娜", as_of=dt.date(2020, 9, 2))
    return url


server = signin.server  # the shared fixture, on the workspace above


@pytest.fixture(scope="module")
def tab():
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = chromium.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN",
                                       accept_downloads=True)
        yield context.new_page()
        context.close()
        chromium.close()


def _settled(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    page.wait_for_timeout(500)


def test_record_a_meeting_a_decision_and_download_the_minutes(server, db_url, tab, tmp_path):
    page = tab
    page.goto(f"{server}/meetings")
    wait_ready(page, "协调会")
    expect(page.get_by_text("该方案还没有协调会记录。")).to_be_visible()
    sign_in(page, "王伟", STAFF_PASSWORD)  # the signed-in account records
    _settled(page)
    place = page.get_by_label("地点")
    place.fill("省政府第一会议室")
    place.press("Enter")
    _settled(page)
    page.get_by_role("button", name="生成议程并保存").click()
    expect(page.get_by_text("已保存会议 1", exact=False)).to_be_visible(timeout=60_000)
    _settled(page)
    with open_workspace(db_url) as ws:
        [meeting] = ws.meetings.of_plan(1)
        assert meeting.created_by == "王伟" and meeting.place == "省政府第一会议室" and meeting.agenda
    expect(page.get_by_role("heading", name="议程（按三色预警生成）")).to_be_visible()

    note = page.get_by_label("议定内容")
    note.fill("会上议定：9月底前完成站址规划报审")
    note.press("Control+Enter")
    _settled(page)
    follow = page.get_by_label("跟进单位")
    follow.fill("省发展改革委")
    follow.press("Enter")
    _settled(page)
    page.get_by_role("button", name="保存决定").click()
    expect(page.get_by_text("已保存对任务", exact=False)).to_be_visible(timeout=60_000)
    _settled(page)
    with open_workspace(db_url) as ws:
        [decision] = ws.meetings.decisions(1)
    assert decision.task_id == meeting.agenda[0] and decision.note == "会上议定：9月底前完成站址规划报审"
    assert decision.follow_up_by == "省发展改革委" and decision.decided_by == "王伟"
    expect(page.get_by_label("议定内容")).to_have_value("")  # the form is empty for the next decision
    page.screenshot(path=str(SHOTS / "meetings.png"), full_page=True)

    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="下载会议纪要（DOCX）").click()
    path = tmp_path / "minutes.docx"
    download.value.save_as(path)
    assert download.value.suggested_filename.endswith(".docx")
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "协调推进会纪要" in text and "地点：省政府第一会议室" in text
    assert "议定：会上议定：9月底前完成站址规划报审" in text
    assert page.locator("[data-testid='stException']").count() == 0
