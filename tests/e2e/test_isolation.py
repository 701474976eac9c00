"""Many people at once, and bad files: the real app in Chromium (Playwright).

Two browser contexts (two people) upload different plans into one running app and never
see each other's data; a third sees the bundled plan. One person uploads a series of bad
files: each gives a message naming the file, the plan on screen stays, nothing is shown
as a traceback, and hostile names never become HTML (an <img onerror> never runs).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_browser import wait_ready
from tests.hardening.appserver import (
    CHROMIUM,
    LAUNCH_ARGS,
    require_chromium,
    running_app,
)
from tests.hardening.corpus import corpus

pytestmark = pytest.mark.e2e

PLAN_A = (
    "《甲市数字政府2023年重点任务》\n序号,重点工作任务,牵头单位,配合单位\n"
    "1,2023年6月底前上线政务平台。,甲市大数据局,甲市财政局\n2,推进数据共享。,甲市财政局,甲市大数据局\n"
    "3,完善安全保障。,甲市大数据局,\n"
)
PLAN_B = (
    "《乙县乡村振兴2024年重点任务》\n序号,重点工作任务,牵头单位,配合单位\n"
    + "".join(f"{i},推进第{i}项乡村建设。,乙县农业局,乙县水利局、乙县财政局\n" for i in range(1, 6))
)
XSS = '<img src=x onerror="window.__xss=1">'
HOSTILE = (
    "《恶意**标题**（2021年）》\n序号,重点工作任务,牵头单位,配合单位\n"
    f'1,"{XSS}推进**工作**","<b>加粗局</b>{XSS}","**粗体局**、[链接局](http://evil.example)"\n'
)


@pytest.fixture(scope="module")
def server():
    require_chromium()
    with running_app() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def _person(browser):
    return browser.new_context(viewport={"width": 1500, "height": 1000}, locale="zh-CN")


def _open(context, server: str):
    page = context.new_page()
    # The root, not /overview: once app.py has run, /overview opens a "Page not found" dialog
    # (the default page lives at /), which makes the page behind it inert.
    page.goto(f"{server}/")
    wait_ready(page, "总览")
    assert page.get_by_text("Page not found").count() == 0
    return page


def _upload(page, path) -> None:
    """Choose a file in the sidebar's uploader, and wait until it is listed and the rerun is over
    (as a person would: a second file chosen within milliseconds can race the first's upload)."""
    page.locator("[data-testid='stSidebar'] input[type='file']").set_input_files(str(path))
    page.locator("[data-testid='stFileUploader']").get_by_text(path.name).first.wait_for(timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def _nav(page, title: str) -> None:
    """Move to a page the way a person does (the session, and its plan, stay)."""
    page.locator("[data-testid='stTopNavLink']:not([inert] *)", has_text=title).click()
    wait_ready(page, title)


def _tasks_metric(page):
    return page.locator("[data-testid='stMetric']", has_text="重点任务").locator("[data-testid='stMetricValue']")


def _no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0


def test_two_people_with_different_plans_never_see_each_others_data(server, browser, tmp_path):
    (tmp_path / "甲市.csv").write_text(PLAN_A, encoding="utf-8")
    (tmp_path / "乙县.csv").write_text(PLAN_B, encoding="utf-8")
    a_ctx, b_ctx, c_ctx = _person(browser), _person(browser), _person(browser)
    try:
        a, b = _open(a_ctx, server), _open(b_ctx, server)
        _upload(a, tmp_path / "甲市.csv")
        _upload(b, tmp_path / "乙县.csv")
        for page, title, count in ((a, "甲市数字政府2023年重点任务", "3"), (b, "乙县乡村振兴2024年重点任务", "5")):
            page.get_by_text(title).first.wait_for(timeout=30_000)
            wait_ready(page, "总览")
            expect(_tasks_metric(page)).to_have_text(count, timeout=30_000)

        # Each moves around; the other's plan never appears anywhere on their screen.
        for page, mine, theirs in ((a, ("甲市", "甲市大数据局"), ("乙县", "乙县农业局")),
                                   (b, ("乙县", "乙县农业局"), ("甲市", "甲市大数据局"))):
            _nav(page, "工作量")
            page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
            text = page.locator("[data-testid='stApp']").inner_text()
            assert all(word in text for word in mine), mine
            assert not any(word in text for word in theirs), theirs
            _nav(page, "任务清单")
            text = page.locator("[data-testid='stApp']").inner_text()
            assert mine[0] in text and theirs[0] not in text
            _no_exception(page)

        # Someone arriving now sees the bundled plan, not the last upload.
        c = _open(c_ctx, server)
        expect(_tasks_metric(c)).to_have_text("35", timeout=30_000)
        text = c.locator("[data-testid='stApp']").inner_text()
        assert "浙江省加快5G发展行动计划" in text and "甲市" not in text and "乙县" not in text

        # After all that, the first person still has their own plan.
        _nav(a, "总览")
        expect(_tasks_metric(a)).to_have_text("3", timeout=30_000)
        assert "乙县" not in a.locator("[data-testid='stApp']").inner_text()
    finally:
        for context in (a_ctx, b_ctx, c_ctx):
            context.close()


def test_bad_files_keep_the_plan_on_screen_and_hostile_names_stay_text(server, browser, tmp_path):
    (tmp_path / "甲市.csv").write_text(PLAN_A, encoding="utf-8")
    cases = {c.name: c for c in corpus()}
    # A few kinds here (every bad file goes through the same upload path in tests/hardening/test_app_state.py).
    bad = ["truncated.xlsx", "screenshot.xlsx", "zip_bomb.xlsx", "missing_lead.csv", "giant_cell.csv"]
    for name in bad:
        (tmp_path / name).write_bytes(cases[name].data)
    context = _person(browser)
    try:
        page = _open(context, server)
        _upload(page, tmp_path / "甲市.csv")
        expect(_tasks_metric(page)).to_have_text("3", timeout=30_000)
        for name in bad:
            _upload(page, tmp_path / name)
            # the refusal (the column step below it may add a hint of its own)
            alert = page.locator("[data-testid='stSidebar'] [data-testid='stAlert']").filter(has_text="导入失败")
            expect(alert).to_contain_text(name, timeout=30_000)
            wait_ready(page, "总览")
            expect(_tasks_metric(page)).to_have_text("3")  # the plan stays
            expect(page.get_by_text("甲市数字政府2023年重点任务").first).to_be_visible()
            _no_exception(page)

        # A file above the upload limit: Streamlit's own uploader refuses it; the plan stays.
        big = tmp_path / "too_big.csv"
        with big.open("wb") as handle:
            handle.write(PLAN_A.encode("utf-8"))
            handle.truncate(51 * 1024 * 1024)
        _upload(page, big)
        page.get_by_text("50").filter(has_text="MB").first.wait_for(timeout=30_000)
        expect(_tasks_metric(page)).to_have_text("3")

        # A GBK file saved by WPS imports; then a hostile one imports as text.
        (tmp_path / "wps_gbk.csv").write_bytes(cases["wps_gbk.csv"].data)
        _upload(page, tmp_path / "wps_gbk.csv")
        page.get_by_text("某市2022年数字化改革重点任务").first.wait_for(timeout=30_000)
        expect(_tasks_metric(page)).to_have_text("2", timeout=30_000)

        (tmp_path / "hostile.csv").write_text(HOSTILE, encoding="utf-8")
        _upload(page, tmp_path / "hostile.csv")
        page.get_by_text("恶意**标题**").first.wait_for(timeout=30_000)  # shown literally
        for title in ("工作量", "协作网络", "任务清单", "时间线", "总览"):
            _nav(page, title)
            page.wait_for_timeout(300)
            _no_exception(page)
            assert page.evaluate("() => window.__xss") is None, f"user HTML ran on {title}"
            assert page.locator("[data-testid='stMain'] b", has_text="加粗局").count() == 0
            assert page.locator("[data-testid='stMain'] a[href='http://evil.example']").count() == 0
        _nav(page, "工作量")  # the names, as written, label the chart
        page.locator(".js-plotly-plot text", has_text="**粗体局**").first.wait_for(timeout=30_000)
        page.locator(".js-plotly-plot text", has_text="<b>加粗局").first.wait_for(timeout=30_000)
    finally:
        context.close()
