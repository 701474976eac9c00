"""Fit for the wall, through AppTest: presentation mode's layout and slide links, agency names
in the UI language in every table, uploaded plans shown as well as the bundled one, no
"empty" table, examples from the plan on screen."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.i18n import t
from dashboard.ui import md_escape
from tests.pages.test_pages import dataframes, figure, open_app

# A small uploaded plan: no themes (no section rows), agencies the registry does not know.
UNTHEMED = (
    "《某市数字政府建设2023年重点任务》\n序号,重点工作任务,牵头单位,配合单位\n"
    "1,2023年6月底前上线一网通办平台。,市大数据局,市财政局\n"
    "2,推进数据共享。,市财政局,市大数据局\n"
    "3,2023年9月底前完成政务云迁移。,市大数据局,市通信管理办\n"
).encode()


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_presentation_puts_the_chart_before_its_folded_controls():
    at = open_app("network", present=True)
    labels = [e.label for e in at.expander]
    assert t("present_settings", "zh") in labels
    # the chart comes first in the page, the radio for its colour inside the folded settings
    settings = next(e for e in at.expander if e.label == t("present_settings", "zh"))
    assert settings.radio(key="nw_color") is not None
    # and the page ends with links to the previous and the next slide
    slides = (t("present_prev", "zh"), t("present_next", "zh"))  # (the agency panel links to 跨计划 too)
    links = [link for link in at.get("page_link") if link.proto.label in slides]
    assert [link.proto.label for link in links] == list(slides)
    assert "tasks" in links[1].proto.page and "timeline" in links[0].proto.page


def test_not_presenting_keeps_controls_above_and_no_slide_links():
    at = open_app("network")
    assert t("present_settings", "zh") not in [e.label for e in at.expander]
    slides = (t("present_prev", "zh"), t("present_next", "zh"))
    assert not [link for link in at.get("page_link") if link.proto.label in slides]


def test_presentation_tables_are_projection_tables():
    at = open_app("timeline", present=True, meeting_date=dt.date(2020, 10, 15))
    tables = at.get("table")
    assert tables, "the due list is drawn as a projection-size table"


def test_english_tables_name_agencies_in_english():
    at = open_app("workload", lang="en")
    workload = dataframes(at)[0]
    names = workload[t("col_agency", "en")].tolist()
    assert names[0] == "Economy & IT Dept."
    assert not any(_has_cjk(n) for n in names)
    at.switch_page("pages/network.py").run()
    partners = dataframes(at)[0]
    assert not any(_has_cjk(p) for p in partners[t("col_partner", "en")])
    # shared tasks are listed with their text, not as bare numbers
    assert any("5G" in cell for cell in partners[t("col_shared_tasks", "en")])
    metrics = next(df for df in dataframes(at) if t("col_agency", "en") in df.columns)
    assert not any(_has_cjk(n) for n in metrics[t("col_agency", "en")])


def test_shared_tasks_of_a_partner_are_listed_with_their_text():
    at = open_app("network")
    partner = at.selectbox(key="nw_partner").value
    shared = [df for df in dataframes(at) if t("col_text", "zh") in df.columns][0]
    assert len(shared) >= 1 and shared[t("col_text", "zh")].str.len().min() > 5
    assert any(t("shared_tasks_of", "zh", partner=partner) in m.value.replace("\\", "") for m in at.markdown)


def test_empty_table_says_so_in_words():
    at = open_app("timeline")
    at.multiselect(key="tl_statuses").set_value([]).run()
    assert t("table_empty", "zh") in [c.value for c in at.caption]


def test_uploaded_plan_without_themes_or_registered_agencies():
    at = open_app(plan_bytes=UNTHEMED, plan_name="数字政府.csv", meeting_date=dt.date(2023, 7, 1))
    # no one-bar charts: a sentence says there are no themes; no type chart of one "unknown" bar
    assert any(t("one_theme_note", "zh", n=3, theme="").split("（")[0] in i.value for i in at.info)
    titles = [figure(at, i)["layout"]["title"]["text"] for i in range(len(at.get("plotly_chart")))]
    assert t("tasks_per_theme", "zh") not in titles and t("agencies_by_type", "zh") not in titles
    # the unregistered agencies in one line, without the registry's file path
    warnings = [w.value for w in at.warning]
    assert any("市大数据局" in w for w in warnings)
    assert not any("agencies.csv" in w or "data/" in w for w in warnings)


def test_search_examples_come_from_the_plan_on_screen():
    at = open_app("tasks", plan_bytes=UNTHEMED, plan_name="数字政府.csv")
    placeholder = at.text_input(key="task_search").placeholder
    assert "市大数据局" in placeholder and "2023年" in placeholder
    assert "省经信厅" not in placeholder and "5G" not in placeholder
    bundled = open_app("tasks")
    assert "省经信厅" in bundled.text_input(key="task_search").placeholder


def test_tasks_table_leads_with_deadline_and_wraps_text():
    at = open_app("tasks")
    (table,) = at.table  # a plain table: each cell wraps to its whole text (checked in the browser)
    columns = list(table.value.columns)
    assert columns.index(t("col_deadline", "zh")) < columns.index(t("col_text", "zh"))
    assert columns.index(t("col_deadline_text", "zh")) > columns.index(t("col_text", "zh"))
    assert not [df for df in at.dataframe if t("col_text", "zh") in df.value.columns]  # not the grid that cut it


def test_due_table_says_how_long_past_the_deadline():
    at = open_app("timeline", meeting_date=dt.date(2022, 12, 31))
    due = dataframes(at)[0]
    assert due[t("col_days", "zh")].iloc[0] == "已过期限 852 天"


def _figures(at) -> list[dict]:
    return [figure(at, i) for i in range(len(at.get("plotly_chart")))]


@pytest.mark.parametrize("page", ["overview", "workload", "timeline", "network"])
@pytest.mark.parametrize("present", [False, True])
def test_first_paint_is_final(page, present):
    """The charts of a page's first run are those of every later run (no ring, size or trace
    that appears only after a rerun)."""
    at = open_app(page, present=present)
    first = _figures(at)
    at.run()
    assert not at.exception
    assert first and _figures(at) == first


def test_plan_chooser_titles_the_plan_in_the_ui_language():
    english = open_app(lang="en").selectbox(key="plan_id")
    assert english.options == [
        "Zhejiang Province Action Plan for Accelerating 5G Development (2020-2022) · version 1 · 35 tasks"]
    chinese = open_app().selectbox(key="plan_id")
    assert chinese.options == ["浙江省加快5G发展行动计划（2020-2022年） · 第 1 版 · 35 项任务"]


def test_english_task_tables_name_agencies_as_the_charts_do():
    """Short English names in the task lists (the full names broke a narrow column letter by
    letter); the task's card keeps the full names."""
    at = open_app("tasks", lang="en")
    table = at.table[0].value.set_index(md_escape(t("col_task_id", "en")))  # cells, headers escaped for st.table's Markdown
    assert table.loc["3", t("col_lead", "en")] == md_escape("Economy & IT Dept., Communications Admin.")
    assert not table[t("col_lead", "en")].str.contains("Zhejiang Provincial Department").any()
    at.selectbox(key="task_detail").set_value("3").run()
    card = " ".join(m.value for m in at.markdown)
    assert "Zhejiang Provincial Department of Economy and Information Technology" in card
