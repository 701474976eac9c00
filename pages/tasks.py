"""任务清单 Tasks: every task with its full text, units, deadline and targets; searchable."""

import streamlit as st

from analysis import derive
from analysis.i18n import t
from dashboard import state, ui, workspace_ui

TASKS_PAGE = 1000  # rows sent to the browser at once; the downloads hold every task

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
    text_col = t("col_text", lang)
    ui.table(table, key="tasks", file_stem="tasks", lang=lang, rows=rows, wrap=True,
             height=min(40 + 78 * (rows.stop - rows.start), 780),
             # the long text wraps in a wide column, the units in a medium one: the deadline as
             # written and the targets stay on screen at 1600 px
             column_config={text_col: st.column_config.TextColumn(width="large"),
                            t("col_support", lang): st.column_config.TextColumn(width="medium"),
                            # English names are longer than the Chinese abbreviations
                            t("col_lead", lang): st.column_config.TextColumn(width="small" if lang == "zh" else "medium")})

    ids = table[t("col_task_id", lang)].iloc[rows].tolist()  # the tasks on this page
    if ids:
        task_id = st.selectbox(t("task_detail", lang), ids, key="task_detail",
                               format_func=lambda i: derive.task_caption(view, i))
        ui.task_card(derive.task_detail(view, task_id, lang), lang)
        workspace_ui.task_history(task_id, lang, key="task_history")
