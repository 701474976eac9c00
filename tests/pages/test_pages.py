"""Every page through Streamlit's AppTest, asserting what the page shows."""

from __future__ import annotations

import base64
import datetime as dt
import html
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from analysis.i18n import t
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
TIMEOUT = 60


def open_app(page: str | None = None, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _decode(node):
    """Plotly's typed arrays ({"dtype", "bdata"[, "shape"]}) as plain lists."""
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            array = np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])
            if "shape" in node:
                array = array.reshape([int(n) for n in str(node["shape"]).split(",")])
            return array.tolist()
        return {k: _decode(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_decode(v) for v in node]
    return node


def figure(at: AppTest, index: int = 0) -> dict:
    """The chart's figure as plain JSON."""
    return _decode(json.loads(at.get("plotly_chart")[index].proto.spec))


def dataframes(at: AppTest) -> list:
    return [df.value for df in at.dataframe]


def task_table(at: AppTest):
    """The tasks page's table: a plain table (st.table), every cell escaped Markdown text."""
    (table,) = at.table
    return table.value


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_overview_shows_the_plan_at_a_glance():
    at = open_app()
    assert at.title[0].value == "总览"
    assert metric(at, "重点任务") == "35"
    assert metric(at, "责任单位") == "34"
    assert metric(at, "有明确期限") == "4"
    leads, themes = figure(at, 0), figure(at, 1)  # the busiest lead agencies first
    assert leads["layout"]["title"]["text"] == t("top_leads", "zh")
    assert themes["data"][0]["x"] == [11, 8, 9, 7]
    assert "浙江省加快5G发展行动计划" in at.caption[0].value


def test_english_switch_changes_titles_labels_and_legends():
    at = open_app(lang="en")
    assert at.title[0].value == "Overview"
    assert metric(at, "Tasks") == "35"
    at.switch_page("pages/workload.py").run()
    assert at.title[0].value == "Workload"
    bars = figure(at, 0)
    assert [trace["name"] for trace in bars["data"]] == ["Lead", "Support"]
    assert html.unescape(bars["data"][0]["y"][0]) == "Economy & IT Dept."
    assert bars["layout"]["title"]["text"] == "Tasks led and supported per agency"


def test_agency_filter_leaves_its_21_tasks_on_the_tasks_page():
    at = open_app("tasks", f_agency=["省经信厅"])
    table = task_table(at)
    assert len(table) == 21
    assert all("省经信厅" in (lead + support) for lead, support in zip(table["牵头单位"], table["配合单位"]))
    at.session_state["f_role"] = ["lead"]
    at.run()
    assert len(task_table(at)) == 11


def test_tasks_page_search():
    at = open_app("tasks")
    assert len(task_table(at)) == 35
    at.text_input(key="task_search").input("智慧").run()
    texts = task_table(at)["重点工作任务"].tolist()
    assert len(texts) == 7 and all("智慧" in t for t in texts)


def test_meeting_date_marks_overdue_and_due_tasks_on_the_timeline():
    at = open_app("timeline", meeting_date=dt.date(2020, 9, 15))
    assert metric(at, "已过期限") == "1"
    assert metric(at, "即将到期") == "2"
    due = dataframes(at)[0]
    status = dict(zip(due["序号"], due["状态"], strict=True))
    assert status == {"3": "已过期限", "5": "即将到期", "9": "即将到期"}
    assert len(at.get("plotly_chart")) == 1  # 35 tasks fit one timeline: no quarter chart
    fig = figure(at)
    shapes = [s for s in fig["layout"]["shapes"] if s["line"].get("dash") == "dash"]
    assert shapes and shapes[0]["x0"].startswith("2020-09-15")
    overdue = next(tr for tr in fig["data"] if tr["name"] == "已过期限")
    assert len(overdue["y"]) == 1 and overdue["y"][0].startswith("3 ·")


def test_timeline_grouping_by_theme_orders_rows_by_theme():
    at = open_app("timeline")
    at.radio(key="tl_group").set_value("theme").run()
    fig = figure(at)
    order = fig["layout"]["yaxis"]["categoryarray"]
    headers = [row for row in order if row.startswith("<b>▍")]
    tasks = [row for row in order if not row.startswith("<b>▍")]
    # a bold header row names each theme, above its tasks, in the plan's theme order
    assert headers == ["<b>▍ 网络基础设施</b>", "<b>▍ 产业与创新</b>", "<b>▍ 5G+融合应用</b>", "<b>▍ 保障措施</b>"]
    assert order[0] == headers[0] and order[1].startswith("1 ·") and len(tasks) == 35
    assert order.index(headers[3]) == order.index(next(r for r in tasks if r.startswith("29 ·"))) - 1
    # every bar style is in the legend: statuses, the hatched ongoing tasks, the milestones
    names = [trace.get("name") for trace in fig["data"] if trace.get("showlegend", True) is not False]
    assert t("legend_ongoing", "zh") in names and t("milestone", "zh") in names


def test_timeline_grouped_by_lead_names_agencies_in_english():
    at = open_app("timeline", lang="en")
    at.radio(key="tl_group").set_value("lead").run()
    order = figure(at)["layout"]["yaxis"]["categoryarray"]
    headers = [row for row in order if row.startswith("<b>▍")]
    assert headers and all(h.isascii() or "▍" in h for h in headers)
    assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in headers)


def test_workload_bars_sort_and_weight():
    at = open_app("workload")
    bars = figure(at, 0)
    lead, support = bars["data"]
    assert len(lead["y"]) == 34
    assert lead["y"][0] == "省经信厅"
    assert (lead["x"][0], support["x"][0]) == (11, 10)
    at.radio(key="wl_measure").set_value("score").run()
    at.slider(key="wl_weight").set_value(3.0).run()
    lead = figure(at, 0)["data"][0]
    assert lead["x"][0] == 33
    assert "×3" in figure(at, 0)["layout"]["title"]["text"]


def test_a_language_switch_sends_every_kept_choice_in_the_new_language():
    """Streamlit tells the browser a choice as its formatted label: after the switch the kept
    choices must be sent again, in English, or the browser shows none (and resets them). The
    sidebar's choices, switched with the sidebar's own radio (a page run on its own under
    AppTest has no sidebar); the browser test checks a page's."""
    at = open_app(f_role=["lead"])
    assert at.radio(key="ws_upload_as").options == [t("ws_upload_as_new", "zh")]  # the bundled plan takes no version
    assert not at.radio(key="ws_upload_as").proto.set_value  # an ordinary run sends nothing anew
    at.radio(key="lang").set_value("en").run()
    upload_as, roles = at.radio(key="ws_upload_as"), at.multiselect(key="f_role")
    assert (upload_as.value, roles.value) == ("new", ["lead"])
    assert upload_as.proto.set_value and upload_as.proto.raw_value == t("ws_upload_as_new", "en")
    assert roles.proto.set_value and list(roles.proto.raw_values) == ["Lead"]
    assert at.session_state["due_window"] == 30 and at.session_state["present"] is False  # as they were


def test_choice_values_are_told_from_button_and_upload_values():
    from dashboard.state import _choice_value

    for value in ("score", 3, 1.5, ("浙江省", "省经信厅"), ["lead", "support"], [1, 2]):
        assert _choice_value(value), value
    for value in (True, False, None, dt.date(2022, 1, 1), {"edited_rows": {}}, [], [True], [object()], b"x"):
        assert not _choice_value(value), value


def test_workload_matrix_and_agency_tasks():
    at = open_app("workload")
    tables = dataframes(at)
    matrix = tables[1]
    row3 = matrix.loc[matrix["序号"] == "3"].iloc[0]
    assert row3["省经信厅"] == "牵" and row3["省通管局"] == "牵" and row3["浙江铁塔"] == "配"
    at.selectbox(key="wl_agency").set_value("浙江铁塔").run()
    mine = dataframes(at)[2]
    assert len(mine) == 6 and set(mine["角色"]) == {"配合"}


def test_network_page_shows_graph_and_agency_panel():
    at = open_app("network")
    fig = figure(at, 0)
    names = [p[0] for trace in fig["data"] if trace.get("customdata") for p in trace["customdata"]]
    assert "省经信厅" in names
    assert "各省级单位" not in names  # collective designations are left out by default
    at.selectbox(key="nw_agency").set_value("省通管局").run()
    panel = [s.value for s in at.subheader]
    assert any("省通管局" in s for s in panel)
    partners = dataframes(at)[0]
    assert "省经信厅" in partners.iloc[:, 0].tolist()
    at.toggle(key="nw_collective").set_value(True).run()
    names = [p[0] for trace in figure(at, 0)["data"] if trace.get("customdata") for p in trace["customdata"]]
    assert "各省级单位" in names


def test_theme_filter_holds_across_pages():
    at = open_app(f_theme=["保障措施"])
    assert metric(at, "重点任务") == "7"
    at.switch_page("pages/tasks.py").run()
    assert len(task_table(at)) == 7


@pytest.mark.parametrize("page", ["overview", "workload", "timeline", "network", "tasks"])
def test_every_page_renders_in_english_without_chinese_titles(page):
    at = open_app(page, lang="en")
    assert at.title[0].value.isascii()


def test_tasks_page_detail_card_shows_the_full_text():
    at = open_app("tasks")
    at.selectbox(key="task_detail").set_value("15").run()
    card = " ".join(m.value for m in at.markdown)
    assert "培育发展20家5G骨干企业" in card  # the end of a long text, cut in the table
    assert "2022\\-12\\-31" in card and "到2022年" in card and "20家5G骨干企业" in card


def test_sidebar_offers_the_meeting_pack_for_the_plan_or_one_agency():
    at = open_app()
    labels = [b.label for b in at.get("download_button")]
    assert "下载幻灯片（PPTX）" in labels and "下载报告（HTML，可离线打开）" in labels
    scope = at.selectbox(key="pack_agency")
    assert scope.options[0] == "整个计划（按当前筛选）"
    assert scope.options[1] == "省经信厅"  # lead agencies first, most tasks led first
