"""任务清单 Tasks: every task with its full text, units, deadline and targets; searchable."""

import dashboard.boot  # noqa: F401  # isort: skip  (first: the heavy imports, one thread at a time)
import streamlit as st

from analysis import derive
from analysis.i18n import t
from dashboard import state, ui, workspace_ui

TASKS_PAGE = 50  # tasks drawn at once, each to its whole text; the downloads hold every task

plan = state.current_plan()
lang = state.language()
view = state.filtered_plan(plan, state.filters())

ui.page_header(plan, "page_tasks", lang)
if ui.filter_notice(view, plan, lang):
    query = st.text_input(t("search", lang), key="task_search",
                          placeholder=t("search_examples", lang, examples=derive.search_examples(view, lang)))
    table = derive.task_table(view, lang, search=query)
    st.caption(t("tasks_shown", lang, n=len(table)))
    rows = ui.page_slice(len(table), "tasks_page", lang, page_size=TASKS_PAGE)
    # a plain table: every task's text, units and deadline wrapped to their whole length (the
    # grid cuts a text longer than its fixed row height and left English units on one line)
    st.html(ui.TASKS_TABLE_CSS)
    ui.table(table, key="tasks", file_stem="tasks", lang=lang, rows=rows, full_text=True)

    ids = table[t("col_task_id", lang)].iloc[rows].tolist()  # the tasks on this page
    if ids:
        task_id = st.selectbox(t("task_detail", lang), ids, key="task_detail",
                               format_func=lambda i: derive.task_caption(view, i))
        ui.task_card(derive.task_detail(view, task_id, lang), lang)
        workspace_ui.task_history(task_id, lang, key="task_history")
