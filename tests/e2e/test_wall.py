"""Fit for the wall: the app as an official projects it, checked from the rendered page at
1920 × 1080 in Debian's headless Chromium (Playwright).

- presentation mode: the first screen of each page holds its whole chart; ← → step through
  the pages;
- the grouped timeline draws a header per group;
- no two network labels overlap (boxes of the SVG text plotly drew), in Chinese and English;
- no English in the Chinese UI, none of the known leaks, plotly's toolbar in Chinese;
- no request leaves the app's host.

Screenshots go to tests/e2e/screenshots/ (git ignores them) for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.test_browser import SHOTS, browser, server, wait_ready  # noqa: F401 - fixtures

pytestmark = pytest.mark.e2e

WALL = {"width": 1920, "height": 1080}
SLIDES = [("", "总览"), ("workload", "工作量"), ("timeline", "时间线"), ("network", "协作网络"), ("tasks", "任务清单")]
# Words of Streamlit's and plotly's own English that leaked into the Chinese UI before.
KNOWN_LEAKS = ("Upload", "per file", "Browse files", "Drag and drop", "Download plot", "empty", "Autoscale",
               "Reset axes", "Zoom", "Pan", "None")
# English a Chinese page may show: file types, units, names of formats and of the product.
ALLOWED_ASCII = {"word", "wps",  # product names in the paste box's help
                 "csv", "tsv", "txt", "xlsx", "xlsm", "docx", "md", "text", "png", "pptx", "html", "excel", "mb",
                 "english", "language", "pageup", "pagedown", "esc", "zh", "en", "plotly"}


@pytest.fixture
def wall(browser):  # noqa: F811 - the fixture imported above
    context = browser.new_context(viewport=WALL, locale="zh-CN")
    page = context.new_page()
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(urlparse(request.url).netloc))
    page.requested_hosts = hosts
    yield page
    context.close()


def settle(page, title: str) -> None:
    """The page drawn: its title, no script running, charts drawn."""
    page.get_by_role("heading", name=title).first.wait_for(timeout=120_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)
    page.wait_for_timeout(1500)


def main_chart_box(page) -> dict:
    """The box of the page's first chart, once plotly has drawn it (not a later one drawn first)."""
    page.wait_for_function(
        "() => { const c = document.querySelector('[data-testid=\"stPlotlyChart\"]');"
        " return c && c.querySelector('.main-svg'); }", timeout=120_000)
    page.wait_for_timeout(500)
    return page.evaluate("""() => {
        const r = document.querySelector('[data-testid="stPlotlyChart"]').getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height};
    }""")


@pytest.mark.parametrize("path,title", SLIDES[:4])
def test_presentation_first_screen_holds_the_whole_chart(server, wall, path, title):  # noqa: F811
    wall.goto(f"{server}/{path}?present=1")
    settle(wall, title)
    box = main_chart_box(wall)
    wall.screenshot(path=str(SHOTS / f"wall_{path or 'overview'}.png"))
    assert box["height"] > 400, box  # a chart, not a strip
    assert box["top"] >= 0 and box["bottom"] <= WALL["height"], box
    # the controls are folded away below the chart
    if path in ("workload", "timeline", "network"):
        expander = wall.locator("[data-testid='stExpander']").first
        assert expander.bounding_box()["y"] >= box["bottom"] - 1


def test_presentation_keys_step_through_the_pages(server, wall):  # noqa: F811
    wall.goto(f"{server}/?present=1")
    settle(wall, "总览")
    wall.wait_for_function("() => window.__presentKeys === true && document.querySelector('.st-key-present_next a')",
                           timeout=120_000)
    wall.evaluate("() => document.activeElement && document.activeElement.blur()")  # no widget has the keys
    wall.keyboard.press("ArrowRight")
    settle(wall, "工作量")
    wall.wait_for_function("() => document.querySelector('.st-key-present_next a')", timeout=120_000)
    wall.keyboard.press("ArrowRight")
    settle(wall, "时间线")
    wall.wait_for_function("() => document.querySelector('.st-key-present_prev a')", timeout=120_000)
    wall.keyboard.press("PageUp")
    settle(wall, "工作量")
    assert "present=1" in wall.url


def test_grouped_timeline_draws_group_headers(server, wall):  # noqa: F811
    wall.goto(f"{server}/timeline")
    settle(wall, "时间线")
    main_chart_box(wall)
    wall.get_by_text("按主题", exact=True).click(timeout=120_000)
    wall.wait_for_function(
        "() => [...document.querySelectorAll('.yaxislayer-above text')].some(t => t.textContent.includes('▍'))",
        timeout=120_000,
    )
    settle(wall, "时间线")
    ticks = wall.evaluate("""() => [...document.querySelectorAll('.yaxislayer-above text')]
        .map(t => [t.getBoundingClientRect().top, t.textContent]).sort((a, b) => a[0] - b[0]).map(p => p[1])""")
    headers = [tick for tick in ticks if tick.startswith("▍")]
    assert headers == ["▍ 网络基础设施", "▍ 产业与创新", "▍ 5G+融合应用", "▍ 保障措施"]
    assert ticks[0] == headers[0] and ticks[1].startswith("1 ·")
    legend = wall.evaluate("() => [...document.querySelectorAll('.legendtext')].map(t => t.textContent)")
    assert "持续推进（斜线）" in legend and "期限节点" in legend
    wall.screenshot(path=str(SHOTS / "wall_timeline_grouped.png"))


LABEL_BOXES = """() => {
    const gd = document.querySelector('.js-plotly-plot');
    return [...gd.querySelectorAll('.scatterlayer .textpoint text')]
        .filter(t => t.textContent.trim())
        .map(t => { const r = t.getBoundingClientRect();
                    return {text: t.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; });
}"""


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a["x0"] < b["x1"] - 0.5 and b["x0"] < a["x1"] - 0.5 and a["y0"] < b["y1"] - 0.5 and b["y0"] < a["y1"] - 0.5:
                found.append((a["text"], b["text"]))
    return found


@pytest.mark.parametrize("query", ["present=1", "present=1&lang=en", "lang=en"])
def test_network_labels_never_overlap(server, wall, query):  # noqa: F811
    title = "Network" if "lang=en" in query else "协作网络"
    if "present" not in query:  # with the sidebar open: the narrowest main area expected
        wall.set_viewport_size({"width": 1600, "height": 1000})
    wall.goto(f"{server}/network?{query}")
    settle(wall, title)
    main_chart_box(wall)
    boxes = wall.evaluate(LABEL_BOXES)
    chart = main_chart_box(wall)
    wall.screenshot(path=str(SHOTS / f"wall_network_{query.replace('&', '_').replace('=', '')}.png"))
    # most agencies are named (English names are long: fewer fit beside the sidebar)
    assert len(boxes) >= (8 if query == "lang=en" else 15), [b["text"] for b in boxes]
    assert overlaps(boxes) == []
    # and every label lies inside the chart
    assert all(chart["left"] <= b["x0"] and b["x1"] <= chart["right"] for b in boxes)


def test_ego_chart_keeps_its_labels_inside(server, wall):  # noqa: F811
    wall.set_viewport_size({"width": 1600, "height": 1000})
    wall.goto(f"{server}/network?lang=en")
    settle(wall, "Network")
    panel = wall.locator(".st-key-agency_panel")
    panel.scroll_into_view_if_needed()
    ego = panel.locator("[data-testid='stPlotlyChart']").first
    ego.locator(".main-svg").first.wait_for(timeout=60_000)
    wall.wait_for_timeout(1000)
    result = ego.evaluate("""(el) => {
        const r = el.getBoundingClientRect();
        const plot = el.querySelector('.draglayer .nsewdrag') || el;
        const p = plot.getBoundingClientRect();
        const labels = [...el.querySelectorAll('.scatterlayer .textpoint text')].filter(t => t.textContent.trim())
            .map(t => { const b = t.getBoundingClientRect(); return {text: t.textContent, x0: b.left, y0: b.top, x1: b.right, y1: b.bottom}; });
        const title = el.querySelector('.gtitle').getBoundingClientRect();
        const legend = el.querySelector('.legend').getBoundingClientRect();
        return {chart: {left: r.left, right: r.right, top: r.top, bottom: r.bottom}, labels,
                title: {left: title.left, right: title.right, top: title.top, bottom: title.bottom},
                legend: {top: legend.top, bottom: legend.bottom}};
    }""")
    ego.screenshot(path=str(SHOTS / "wall_ego_en.png"))
    chart = result["chart"]
    assert result["labels"], "the ego chart names no agency"
    assert overlaps(result["labels"]) == []
    for b in result["labels"]:
        assert chart["left"] <= b["x0"] and b["x1"] <= chart["right"] and chart["top"] <= b["y0"], b
    assert result["title"]["right"] <= chart["right"]  # the English title is wrapped, not cut
    assert result["legend"]["top"] >= result["title"]["bottom"]  # and does not run into the legend


# Text a person can see: rendered, not zero-size (screen-reader-only texts are 1 px boxes),
# and not the ligature names of Streamlit's icon font ("download", "hub").
VISIBLE_TEXT = """() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
        const el = node.parentElement;
        // a command to type (in <code>) is the same in every language
        if (!node.textContent.trim() || el.closest('script, style, noscript, code, [data-testid="stIconMaterial"]')) continue;
        const style = getComputedStyle(el);
        const rect = el.getBoundingClientRect();
        if (style.fontFamily.includes('Material')) continue;  // an icon's ligature name
        if (style.visibility !== 'visible' || parseFloat(style.fontSize) === 0 || rect.width <= 1 || rect.height <= 1) continue;
        if (!el.getClientRects().length) continue;
        out.push(node.textContent);
    }
    return out.join('\\n');
}"""
ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z'’]{2,}")


@pytest.mark.parametrize("path,title", SLIDES)
def test_chinese_ui_shows_no_english(server, wall, path, title):  # noqa: F811
    wall.goto(f"{server}/{path}")
    settle(wall, title)
    text = wall.evaluate(VISIBLE_TEXT)
    for leak in KNOWN_LEAKS:
        assert not re.search(rf"\b{re.escape(leak)}\b", text), leak
    # Words of English on the page: only the allowed few, and agency names from the plan
    # (none in the bundled plan are English).
    words = {w for w in ASCII_WORD.findall(text) if w.lower() not in ALLOWED_ASCII}
    assert words == set(), sorted(words)
    # plotly's toolbar speaks Chinese (drawn when the pointer is over a chart)
    if path != "tasks":
        main_chart_box(wall)
        wall.locator(".js-plotly-plot").first.hover()
        wall.wait_for_timeout(500)
    titles = wall.evaluate("() => [...document.querySelectorAll('.modebar-btn')].map(b => b.dataset.title)")
    if path not in ("tasks",):
        # Streamlit's own "Fullscreen" button in the toolbar included
        english = [w for title in titles for w in ASCII_WORD.findall(title or "") if w.lower() not in ALLOWED_ASCII]
        assert titles and english == [], titles
    # and what a screen reader says: labels, values and titles of Streamlit's own widgets
    assert english_words(wall.evaluate(SPOKEN_TEXT)) == set()


@pytest.fixture(scope="module")
def workspace_server(tmp_path_factory):
    """The app on a workspace with something on every workspace page: staff, reports on the
    bundled plan, a second plan (the portfolio's) and the trail of those writes (the audit's)."""
    from analysis.store import open_workspace
    from tests.accounts import add_staff
    from tests.analysis.portfolio.conftest import SYNTHETIC_TITLE, SYNTHETIC_ZHEJIANG
    from tests.hardening.appserver import running_app

    url = f"sqlite:///{tmp_path_factory.mktemp('wall') / 'taskboard.db'}"
    with open_workspace(url) as ws:  # seeded with the bundled plan (plan 1)
        add_staff(ws, ("王伟", "李娜"))
        ws.report_progress(1, "2", "delayed", expected_previous=None, actor="李娜", as_of=dt.date(2020, 9, 2),
                           note="资金未到位")
        ws.report_progress(1, "5", "done", expected_previous=None, actor="王伟", as_of=dt.date(2020, 9, 20))
        ws.add_plan(SYNTHETIC_ZHEJIANG.encode("utf-8"), "synthetic.csv", actor="王伟", title=SYNTHETIC_TITLE,
                    region="浙江省")
    with running_app(database=url) as app:
        yield app


WORKSPACE_PAGES = [("progress?plan=1", "进展"), ("meetings?plan=1", "协调会"), ("portfolio?plan=1", "跨计划"),
                   ("audit?plan=1", "审计")]


@pytest.mark.parametrize("path,title", WORKSPACE_PAGES)
def test_chinese_workspace_pages_show_no_english(workspace_server, wall, path, title):
    wall.goto(f"{workspace_server}/{path}")
    wall.locator("[data-testid='stSidebar'] [data-testid='stRadio']").first.wait_for(timeout=120_000)
    settle(wall, title)
    name = path.split("?")[0]
    wall.screenshot(path=str(SHOTS / f"wall_zh_{name}.png"), full_page=True)
    text = wall.evaluate(VISIBLE_TEXT)
    assert len(text) > 200, text  # the page drew its content, not an empty frame
    for leak in KNOWN_LEAKS:
        assert not re.search(rf"\b{re.escape(leak)}\b", text), leak
    assert english_words(text) == set()
    assert english_words(wall.evaluate(SPOKEN_TEXT)) == set()
    # the grids' cells (drawn on a canvas; read from the table the grid keeps for screen
    # readers), but for the audit's before/after: the stored record, field names as stored
    if wall.locator("[data-testid='stDataFrame']").count():
        wall.wait_for_function("() => document.querySelector('[data-testid=\"stDataFrame\"] td')", timeout=60_000)
    cells = wall.evaluate(GRID_CELLS)
    if name == "audit":
        assert cells, "the audit trail shows its entries"
    assert english_words("\n".join(cells)) == set()


# Every cell of every st.dataframe on the page, except the audit's record columns (修改前/修改后).
GRID_CELLS = """() => {
    const out = [];
    for (const grid of document.querySelectorAll('[data-testid="stDataFrame"]')) {
        const heads = [...grid.querySelectorAll('th, [role=columnheader]')].map(h => h.textContent.trim());
        for (const row of grid.querySelectorAll('tr, [role=row]')) {
            [...row.querySelectorAll('td, [role=gridcell]')].forEach((cell, i) => {
                if (!['修改前', '修改后'].includes(heads[i])) out.push(cell.textContent);
            });
        }
    }
    return out;
}"""


# The texts a screen reader or a tooltip gives, in attributes.
SPOKEN_TEXT = """() => {
    const out = [];
    for (const a of ['aria-label', 'aria-valuetext', 'title', 'data-title', 'placeholder'])
        for (const el of document.querySelectorAll(`[${a}]`)) out.push(el.getAttribute(a));
    return out.join('\\n');
}"""


def english_words(text: str) -> set[str]:
    return {w for w in ASCII_WORD.findall(text) if w.lower() not in ALLOWED_ASCII}


def test_chinese_tooltips_and_date_picker(server, wall):  # noqa: F811
    """Streamlit's element toolbar tooltips (a table's and a chart's) and the date picker's
    calendar, with what it says to a screen reader, in Chinese."""
    wall.goto(f"{server}/workload")
    settle(wall, "工作量")
    main_chart_box(wall)
    tips = []
    buttons = wall.locator("[data-testid='stMain'] [data-testid='stElementToolbarButton']")
    for i in range(buttons.count()):
        button = buttons.nth(i)
        element = button.locator("xpath=ancestor::*[@data-testid='stElementContainer'][1]")
        element.scroll_into_view_if_needed()
        box = element.bounding_box()
        wall.mouse.move(box["x"] + box["width"] / 2, box["y"] + 40)  # the toolbar shows over its element
        wall.wait_for_timeout(300)  # and fades in: a pointer arriving earlier opens no tooltip
        button.hover(force=True)
        tip = wall.locator("[data-testid='stTooltipContent']").last
        tip.wait_for(timeout=5_000)  # Streamlit shows it after a second
        tips.append(tip.text_content())
        wall.mouse.move(1, 1)
        tip.wait_for(state="detached", timeout=5_000)
    assert {"全屏", "搜索", "下载为 CSV", "显示/隐藏列"} <= set(tips), tips
    assert english_words(" ".join(tips)) == set(), tips
    wall.locator("[data-testid='stDateInputCalendarButton']").click()
    calendar = wall.locator("[data-testid='stDateInputCalendar']")
    calendar.wait_for(timeout=10_000)
    wall.wait_for_timeout(300)
    spoken = calendar.evaluate("""(c) => [c.textContent, ...[c, ...c.querySelectorAll('*')].flatMap(
        e => ['aria-label', 'aria-valuetext', 'title'].map(a => e.getAttribute(a) || ''))].join('\\n')""")
    assert "选择日期" in spoken and "上个月" in spoken
    assert english_words(spoken) == set(), spoken
    field = wall.locator("[data-testid='stDateInputField']").first.evaluate(
        "(f) => [...f.querySelectorAll('[aria-label], [aria-valuetext]')].map("
        "e => (e.getAttribute('aria-label') || '') + ' ' + (e.getAttribute('aria-valuetext') || '')).join('\\n')")
    assert "会议日期，年" in field and re.search(r"\d{1,2} 月", field), field
    assert english_words(field) == set(), field
    wall.screenshot(path=str(SHOTS / "wall_calendar_zh.png"))


def test_no_request_leaves_the_apps_host(server, wall):  # noqa: F811
    host = urlparse(server).netloc
    for path, title in SLIDES:
        wall.goto(f"{server}/{path}?present=1")
        settle(wall, title)
    outside = sorted({h for h in wall.requested_hosts if h and h != host})
    assert outside == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_deck_network_labels_never_overlap(browser, lang):  # noqa: F811
    """The deck's network slide: its figure drawn at the slide image's size, as kaleido draws it,
    and the label boxes measured from the SVG plotly drew (placed for the app's 720-pixel chart,
    the slide's lower image pressed them onto one another)."""
    import datetime as dt

    from analysis.model import load_bundled_plan
    from analysis.report import Chart, Medium, build_report_content
    from analysis.report.charts import slide_figure
    from analysis.report.content import iter_sections

    report = build_report_content(load_bundled_plan(), Medium.DECK, meeting_date=dt.date(2020, 9, 15), lang=lang)
    chart = next(block for section in iter_sections(report.sections) if section.anchor == "network"
                 for block in section.blocks if isinstance(block, Chart))
    width, height = chart.size
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.set_content(slide_figure(chart.figure).to_html(include_plotlyjs=True, full_html=True,
                                                            default_width=width, default_height=height))
        page.wait_for_function("() => document.querySelector('.main-svg')", timeout=60_000)
        boxes = page.evaluate(LABEL_BOXES)
        page.screenshot(path=str(SHOTS / f"wall_deck_network_{lang}.png"))
    finally:
        page.close()
    assert len(boxes) >= 15, [b["text"] for b in boxes]
    assert overlaps(boxes) == []
    assert all(0 <= b["x0"] and b["x1"] <= width and 0 <= b["y0"] and b["y1"] <= height for b in boxes)
    # the busiest agencies are named even in the dense centre (the English hubs went unnamed)
    hubs = {"zh": ["省经信厅", "省通管局", "省发展改革委"],
            "en": ["Economy & IT Dept.", "Communications Admin.", "Development & Reform Comm."]}[lang]
    assert set(hubs) <= {b["text"] for b in boxes}, [b["text"] for b in boxes]


# The run the page is drawn by has ended: nothing left over from the run before (Streamlit marks
# such elements stale until the new run replaces or removes them) and no run in progress (the
# status widget shows only after half a second of running, so its absence alone proves nothing).
RUN_DONE = """() => !document.querySelector('[data-stale="true"]')
    && !document.querySelector('[data-testid="stStatusWidget"]')"""


def test_switching_to_english_gives_streamlit_its_english_back(server, wall):  # noqa: F811
    """Texts translated while the page was Chinese turn English again at the switch (React does
    not redraw an attribute whose value it did not change).

    Every step waits for what proves it (never a fixed pause then a single look): on a loaded
    machine the page's runs, and the script translating Streamlit's texts (drawn in the sidebar
    during each run), come late."""
    wall.goto(f"{server}/workload")
    settle(wall, "工作量")
    chinese = f"""() => {{ const text = ({SPOKEN_TEXT})();
        return text.includes('收起侧边栏') && text.includes('展开选项'); }}"""
    try:  # Chinese first, translated by the page's script once it has run
        wall.wait_for_function(chinese, timeout=60_000)
    except Exception:
        raise AssertionError(wall.evaluate(SPOKEN_TEXT)) from None
    english = wall.get_by_role("radio", name="English", exact=True)
    wall.get_by_text("English", exact=True).click()
    expect(english).to_be_checked(timeout=30_000)  # the switch is taken
    # The switch happened: the English run has drawn the page's title and run the text script with
    # the English table (no pattern), and that run has ended.
    wall.get_by_role("heading", name="Workload").first.wait_for(timeout=120_000)
    wall.wait_for_function("() => window.__stTexts && window.__stTexts.patterns.length === 0", timeout=120_000)
    wall.wait_for_function(RUN_DONE, timeout=120_000)
    try:
        wall.wait_for_function(f"""() => {{ const text = ({SPOKEN_TEXT})();
            return !/收起侧边栏|展开选项|，年/.test(text) && text.includes('Meeting date'); }}""", timeout=60_000)
    except Exception:
        raise AssertionError(wall.evaluate(SPOKEN_TEXT)) from None


# Each cell of the task list's plain table: its text wider or taller than its box (cut), and
# the table against the main area (a column pushed off to the right).
TASK_CELLS = """() => {
    const table = document.querySelector('.st-key-tasks_full table');
    if (!table) return null;
    const heads = [...table.querySelectorAll('thead th')].map(h => h.textContent.trim());
    const cut = [];
    for (const row of table.querySelectorAll('tbody tr'))
        [...row.querySelectorAll('td, th')].forEach((cell, i) => {
            if (cell.scrollWidth > cell.clientWidth + 1 || cell.scrollHeight > cell.clientHeight + 1)
                cut.push([heads[i], cell.textContent.slice(0, 30)]);
        });
    const box = table.getBoundingClientRect();
    const main = document.querySelector('[data-testid="stMainBlockContainer"]').getBoundingClientRect();
    return {heads, cut, rows: table.querySelectorAll('tbody tr').length, right: box.right, mainRight: main.right,
            deadline_lines: Math.max(...[...table.querySelectorAll('tbody tr')].map(
                r => r.children[1].querySelector('p').getClientRects().length
                     && Math.round(r.children[1].querySelector('p').getBoundingClientRect().height
                                   / parseFloat(getComputedStyle(r.children[1].querySelector('p')).lineHeight))))};
}"""


@pytest.mark.parametrize("lang,title,columns", [
    ("zh", "任务清单", ("重点工作任务", "牵头单位", "配合单位")),
    ("en", "Tasks", ("Task", "Lead", "Support")),
])
def test_task_list_wraps_long_text_instead_of_cutting_it(server, wall, lang, title, columns):  # noqa: F811
    wall.set_viewport_size({"width": 1600, "height": 1000})  # the sidebar open beside it
    wall.goto(f"{server}/tasks?lang={lang}")
    settle(wall, title)
    wall.locator(".st-key-tasks_full table").wait_for(timeout=60_000)
    found = wall.evaluate(TASK_CELLS)
    wall.screenshot(path=str(SHOTS / f"wall_tasks_{lang}.png"), full_page=True)
    assert found["rows"] == 35
    assert all(c in found["heads"] for c in columns), found["heads"]
    assert found["cut"] == []  # no cell's text runs past its box, in any column
    assert found["right"] <= found["mainRight"] + 1  # every column on screen, none off to the right
    assert found["deadline_lines"] == 1  # a date is read at a glance: never broken over two lines
    # the long columns wrap: the full text of task 1 and of its supporting units is on the page
    text = wall.locator(".st-key-tasks_full tbody tr").first.inner_text()
    ends = {"zh": ("审批服务系统", "省大数据局"), "en": ("审批服务系统", "Big Data Bureau")}[lang]
    assert all(end in text for end in ends), text


# The font size of every tick, legend entry and bar label plotly drew in the page's first chart.
CHART_TYPE = """() => {
    const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
    const drawn = t => {  // plotly keeps a label it hides (uniformtext) in the SVG, not displayed
        for (let el = t; el && el !== gd; el = el.parentElement) {
            const style = getComputedStyle(el);
            if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') return false;
        }
        return t.getBoundingClientRect().width > 0;
    };
    const sizes = sel => [...gd.querySelectorAll(sel)].filter(t => t.textContent.trim() && drawn(t))
        .map(t => parseFloat(getComputedStyle(t).fontSize));
    return {ticks: sizes('.xtick text, .ytick text'), legend: sizes('.legendtext'), bars: sizes('.bars text')};
}"""


@pytest.mark.parametrize("path,title", SLIDES[:3])
def test_presentation_charts_use_projector_type(server, wall, path, title):  # noqa: F811
    wall.goto(f"{server}/{path}?present=1")
    settle(wall, title)
    main_chart_box(wall)
    sizes = wall.evaluate(CHART_TYPE)
    assert sizes["ticks"] and sizes["legend"], sizes
    smallest = min(sizes["ticks"] + sizes["legend"] + sizes["bars"])
    assert smallest >= 18, sizes  # read from the back of the room
    if path == "workload":
        assert len(sizes["bars"]) >= 10, sizes  # the bars keep their numbers, in that type
