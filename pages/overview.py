"""总览 Overview: the plan at a glance and what falls due around the meeting date."""

import streamlit as st

from analysis import derive, figures
from analysis.i18n import t, type_label
from analysis.vocab import DeadlineKind, DueStatus, Role
from dashboard import state, ui

plan = state.current_plan()
lang, scale = state.language(), state.chart_scale()
view = state.filtered_plan(plan, state.filters())

ui.page_header(plan, "page_overview", lang)
ui.import_report(plan, lang)

if ui.filter_notice(view, plan, lang):
    tasks, agencies = view.tasks, view.agencies
    explicit = int((tasks["deadline_kind"] == DeadlineKind.EXPLICIT).sum())
    targets = int(tasks["targets"].map(len).sum())
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("tile_tasks", lang), len(tasks), border=True)
    c2.metric(t("tile_agencies", lang), len(agencies), border=True)
    c3.metric(t("tile_explicit", lang), explicit, border=True)
    c4.metric(t("tile_targets", lang), targets, border=True)
    by_type = agencies["type"].astype(str).value_counts()
    c2.caption(" · ".join(f"{type_label(ty, lang)} {n}" for ty, n in by_type.items()))

    left, right = st.columns(2)
    with left:
        ui.chart(figures.tasks_per_theme_figure(view, lang, scale=scale), key="overview_themes")
    with right:
        ui.chart(figures.agencies_by_type_figure(view, lang, scale=scale), key="overview_types")

    top = derive.sort_workload(derive.workload(view), Role.LEAD).head(10)
    top = top.loc[top[Role.LEAD] > 0]
    ui.chart(figures.workload_figure(view, top, lang, scale=scale, title=t("top_leads", lang)), key="overview_leads")

    st.subheader(t("due_by_meeting", lang))
    meeting, window = state.meeting_date(plan), state.due_window()
    status = derive.due_status(view, meeting, window_days=window)
    counts = derive.due_counts(status)
    st.write(t("due_summary", lang, date=meeting.isoformat(), overdue=counts[DueStatus.OVERDUE],
               soon=counts[DueStatus.DUE_SOON], days=window))
    due = derive.due_table(status, view, lang, statuses=(DueStatus.OVERDUE, DueStatus.DUE_SOON))
    if not due.empty:
        ui.table(due, key="overview_due", file_stem="due", lang=lang)
