"""The real app in Debian's headless Chromium, driven by Playwright.

Starts `streamlit run app.py` on a free loopback port, visits every page, clicks a node of
the network, changes filters and checks the URL, uploads files, and saves screenshots to
tests/e2e/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from playwright.sync_api import expect

from analysis.i18n import t
from tests.conftest import ROOT
from tests.hardening.appserver import running_app

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "tests" / "e2e" / "screenshots"
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="module")
def server():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `bash scripts/install.sh --dev` first")
    with running_app() as url:  # its own temporary workspace, never the repository's data/workspace/
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def wait_ready(page, title: str) -> None:
    """Wait until the app's own navigation and the page title are drawn and the script has finished.

    Before app.py's first run Streamlit shows a provisional page list; the sidebar's
    language switch only exists once app.py has run.
    """
    page.locator("[data-testid='stSidebar'] [data-testid='stRadio']").first.wait_for(timeout=30_000)
    page.get_by_role("heading", name=title).first.wait_for(timeout=30_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )
    page.wait_for_timeout(800)


def query(page) -> dict[str, list[str]]:
    return {k: [unquote(v) for v in vs] for k, vs in parse_qs(urlparse(page.url).query).items()}


# The first visit after start-up is a deep link (not the home page): app.py must still frame it.
# The Overview is the default page: Streamlit serves it at "/" (its url_path is not a route).
PAGES = [("workload", "工作量"), ("", "总览"), ("timeline", "时间线"), ("network", "协作网络"), ("tasks", "任务清单")]


@pytest.mark.parametrize("path,title", PAGES)
def test_every_page_loads_with_its_charts(server, page, path, title):
    page.goto(f"{server}/{path}")
    wait_ready(page, title)
    if path != "tasks":
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    page.screenshot(path=str(SHOTS / f"{path or 'overview'}.png"), full_page=True)


def test_clicking_a_network_node_opens_its_panel(server, page):
    page.goto(f"{server}/network")
    wait_ready(page, "协作网络")
    page.locator(".js-plotly-plot .scatterlayer").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)  # let plotly finish drawing and binding its click handlers
    # Find the marker of 省通管局 through the figure plotly drew, then click it.
    box = page.evaluate(
        """(agency) => {
            const gd = document.querySelector('.js-plotly-plot');
            const traces = gd.querySelectorAll('.scatterlayer .trace');
            for (const trace of traces) {
                for (const point of trace.querySelectorAll('.points path.point')) {
                    const d = point.__data__;
                    const full = gd._fullData[d && d.trace ? d.trace.index : -1];
                    const cd = point.__data__ && point.__data__.data;
                    const idx = point.__data__.i;
                    const data = gd._fullData.find(t => t.customdata && t.customdata[idx] && t.customdata[idx][0] === agency
                                                   && trace.__data__[0].trace.uid === t.uid);
                    if (data) { const r = point.getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; }
                }
            }
            return null;
        }""",
        "省通管局",
    )
    assert box, "the node of 省通管局 was not drawn"
    page.mouse.click(box["x"], box["y"])
    panel = page.locator(".st-key-agency_panel")
    panel.get_by_role("heading", name=re.compile("省通管局")).wait_for(timeout=30_000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "network_clicked.png"), full_page=True)


def test_filters_live_in_the_url_and_reopen_the_view(server, page):
    page.goto(f"{server}/tasks?agency=省经信厅")
    wait_ready(page, "任务清单")
    page.get_by_text("共 21 项任务").wait_for(timeout=30_000)
    assert query(page)["agency"] == ["省经信厅"]
    # Switch the language in the sidebar: the URL records it, titles follow.
    page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
    wait_ready(page, "Tasks")
    page.get_by_text("21 tasks").wait_for(timeout=30_000)
    assert query(page)["lang"] == ["en"]
    # A new visit with that link shows the same view.
    link = page.url
    page.goto(link)
    wait_ready(page, "Tasks")
    page.get_by_text("21 tasks").wait_for(timeout=30_000)
    page.screenshot(path=str(SHOTS / "tasks_filtered_en.png"), full_page=True)


def _shown_choices(page) -> tuple[list[bool], str, str]:
    """What the browser shows of the workload page's choices: the measure radio's checked states,
    the sort selectbox's text and the sidebar's role filter (its chips)."""
    measure = page.locator(".st-key-wl_measure input[type=radio]").evaluate_all("els => els.map(e => e.checked)")
    sort = page.locator(".st-key-wl_sort input[role=combobox]").input_value()
    roles = page.locator(".st-key-f_role [data-testid='stMultiSelect']").inner_text().split("\n")[-1]
    return measure, sort, roles


def test_choices_stay_shown_and_kept_across_language_switches(server, page):
    """A switch of language relabels every choice: a radio still shows its option checked, a
    selectbox its option (not the old language's text), and the next switch keeps them all."""
    page.goto(f"{server}/workload?role=lead")
    wait_ready(page, "工作量")
    page.locator(".st-key-wl_measure [role=radiogroup] label").nth(1).click()
    wait_ready(page, "工作量")
    page.locator(".st-key-wl_sort input").click()
    page.get_by_role("option", name=t("sort_lead", "zh"), exact=True).click()
    wait_ready(page, "工作量")
    assert _shown_choices(page) == ([False, True], t("sort_lead", "zh"), t("role_lead", "zh"))
    for lang, title in (("en", "Workload"), ("zh", "工作量"), ("en", "Workload")):
        page.locator("[data-testid='stSidebar']").get_by_text({"en": "English", "zh": "中文"}[lang], exact=True).click()
        wait_ready(page, title)
        assert _shown_choices(page) == ([False, True], t("sort_lead", lang), t("role_lead", lang)), lang
        checked = page.locator(".st-key-wl_measure label:has(input:checked)").inner_text()
        assert checked.strip() == t("measure_score", lang)
    page.screenshot(path=str(SHOTS / "workload_choices_en.png"), full_page=True)
    # The portfolio's "all regions" is a choice too (one with a value of its own, see the page).
    page.locator("[data-testid='stTopNavLinkContainer'], header").get_by_text("Portfolio", exact=True).first.click()
    wait_ready(page, "Portfolio")
    region = page.locator(".st-key-pf_region input[role=combobox]")
    assert region.input_value() == t("pf_all_regions", "en")
    page.locator("[data-testid='stSidebar']").get_by_text("中文", exact=True).click()
    wait_ready(page, "跨计划")
    assert region.input_value() == t("pf_all_regions", "zh")


def test_upload_a_plan_and_a_bad_file_keeps_the_previous_plan(server, page, tmp_path):
    good = tmp_path / "城市计划.csv"
    good.write_text(
        "《某市数字政府建设2023年重点任务》\n序号,重点工作任务,牵头单位,配合单位\n"
        "1,2023年6月底前上线平台。,市大数据局,市财政局\n2,推进数据共享。,市财政局,市大数据局\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"\x89PNG not a spreadsheet")
    page.goto(f"{server}/")
    wait_ready(page, "总览")
    upload = page.locator("[data-testid='stSidebar'] input[type='file']")
    upload.set_input_files(str(good))
    page.get_by_text("某市数字政府建设2023年重点任务").first.wait_for(timeout=30_000)
    wait_ready(page, "总览")
    expect(page.locator("[data-testid='stMetricValue']").first).to_have_text("2", timeout=30_000)
    # The new plan (2023) starts from its own default meeting date, not the old plan's.
    expect(page.locator("[data-testid='stSidebar'] [data-testid='stDateInput'] input")).to_have_value("2023-12-31")
    assert "meeting" not in query(page)
    upload.set_input_files(str(bad))
    page.get_by_text("导入失败").wait_for(timeout=30_000)
    wait_ready(page, "总览")
    alerts = page.locator("[data-testid='stSidebar'] [data-testid='stAlert']")
    expect(alerts.filter(has_text="bad.xlsx")).to_have_count(1)  # the refusal names the file
    # Nobody signed in: the good table was shown for this session only, and the sidebar says why.
    expect(alerts.filter(has_text="仅在本次会话中显示")).to_have_count(1)
    expect(page.locator("[data-testid='stMetricValue']").first).to_have_text("2")
    expect(page.get_by_text("某市数字政府建设2023年重点任务").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "upload_failed.png"), full_page=True)


def test_meeting_pack_downloads_follow_the_filters(server, page, tmp_path):
    from pptx import Presentation

    page.goto(f"{server}/?theme=保障措施&meeting=2020-09-15")
    wait_ready(page, "总览")
    sidebar = page.locator("[data-testid='stSidebar']")
    with page.expect_download(timeout=60_000) as html_download:
        sidebar.get_by_role("button", name="下载报告（HTML，可离线打开）").click()
    html_path = tmp_path / "report.html"
    html_download.value.save_as(html_path)
    text = html_path.read_text(encoding="utf-8")
    assert "浙江省加快5G发展行动计划" in text and "2020-09-15" in text
    assert "加强5G频谱资源保护" in text  # task 32, a 保障措施 task
    assert "5G基站建设“一件事”" not in text  # task 1 is filtered out
    with page.expect_download(timeout=120_000) as pptx_download:
        sidebar.get_by_role("button", name="下载幻灯片（PPTX）").click()
    pptx_path = tmp_path / "pack.pptx"
    pptx_download.value.save_as(pptx_path)
    deck = Presentation(str(pptx_path))
    assert len(deck.slides) > 5
    shown = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert "2020-09-15" in shown
