"""总览 Overview: the plan at a glance and what falls due around the meeting date."""

import dashboard.boot  # noqa: F401  # isort: skip  (first: the heavy imports, one thread at a time)
import streamlit as st

from analysis import derive, figures
from analysis.i18n import t, type_label
from analysis.vocab import AgencyType, DeadlineKind, DueStatus, Role
from dashboard import state, ui

plan = state.current_plan()
lang, scale = state.language(), state.chart_scale()
filters = state.filters()
view = state.filtered_plan(plan, filters)
key = (plan.content_hash, filters, lang, scale)  # every input of the figures below (state.memo)

ui.page_header(plan, "page_overview", lang)
if not ui.presenting():
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
    if not ui.presenting():
        c2.caption(" · ".join(f"{type_label(ty, lang)} {n}" for ty, n in by_type.items()))

    # The busiest lead agencies first: projecting, this chart fills the rest of the first screen.
    def leads_figure(presenting: bool):
        top = derive.sort_workload(derive.workload(view), Role.LEAD).head(10)
        top = top.loc[top[Role.LEAD] > 0]
        leads = figures.workload_figure(view, top, lang, scale=scale, title=t("top_leads", lang))
        if presenting:
            figures.set_layout(leads, height=ui.PRESENT_HEIGHT - 150)
        return leads

    presenting = ui.presenting()
    ui.chart(state.memo("ov_leads", (*key, presenting), lambda: leads_figure(presenting)), key="overview_leads")

    # A bar chart of one bar says nothing: a plan without themes, or whose agencies are all of
    # one type (or unregistered), gets a sentence instead.
    theme_count = tasks["theme"].nunique()
    known_types = [ty for ty in by_type.index if ty != AgencyType.UNKNOWN and by_type[ty] > 0]
    left, right = st.columns(2)
    with left:
        if theme_count > 1:
            ui.chart(state.memo("ov_themes", key, lambda: figures.tasks_per_theme_figure(view, lang, scale=scale)),
                     key="overview_themes")
        else:
            theme = tasks["theme"].iloc[0]
            st.info(t("one_theme_note", lang, n=len(tasks), theme=ui.md_escape(view.theme_label(theme, lang))),
                    icon=":material/category:")
    with right:
        if len(known_types) > 1:
            ui.chart(state.memo("ov_types", key, lambda: figures.agencies_by_type_figure(view, lang, scale=scale)),
                     key="overview_types")
        elif known_types:
            st.info(t("one_type_note", lang, n=int(by_type[known_types[0]]), type=type_label(known_types[0], lang)),
                    icon=":material/category:")
        if by_type.get(AgencyType.UNKNOWN, 0):
            st.caption(t("types_unknown_note", lang, n=int(by_type[AgencyType.UNKNOWN])))

    st.subheader(t("due_by_meeting", lang))
    meeting, window = state.meeting_date(plan), state.due_window()

    def due_by_meeting():
        status = derive.due_status(view, meeting, window_days=window)
        return derive.due_counts(status), derive.due_table(status, view, lang,
                                                           statuses=(DueStatus.OVERDUE, DueStatus.DUE_SOON))

    counts, due = state.memo("ov_due", (plan.content_hash, filters, lang, meeting, window), due_by_meeting)
    st.write(t("due_summary", lang, date=meeting.isoformat(), overdue=counts[DueStatus.OVERDUE],
               soon=counts[DueStatus.DUE_SOON], days=window))
    if not due.empty:
        ui.table(due, key="overview_due", file_stem="due", lang=lang, wrap=True)
