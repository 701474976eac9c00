"""时间线 Timeline: deadlines over the plan period and what falls due around the meeting date."""

import dashboard.boot  # noqa: F401  # isort: skip  (first: the heavy imports, one thread at a time)
import streamlit as st

from analysis import derive, figures
from analysis.i18n import t
from analysis.vocab import DueStatus
from dashboard import state, ui

TIMELINE_PAGE = 60  # tasks per timeline chart
PRESENT_CHROME = 230  # px of the projected timeline for its title, date axis and legend below

plan = state.current_plan()
lang, scale = state.language(), state.chart_scale()
filters = state.filters()
view = state.filtered_plan(plan, filters)

ui.page_header(plan, "page_timeline", lang)
if ui.filter_notice(view, plan, lang):
    meeting, window = state.meeting_date(plan), state.due_window()
    status = derive.due_status(view, meeting, window_days=window)
    counts = derive.due_counts(status)
    chart_slot, controls = ui.chart_first(lang)
    progress = state.progress_by_task(meeting)  # None: no report in the workspace for this plan
    with controls:
        cols = st.columns(4)
        for col, key in zip(cols, derive.DUE_STATUSES):
            col.metric(t(f"status_{key}", lang), counts[key], border=True)
        group = st.radio(t("group_by", lang), ["none", "theme", "lead"], horizontal=True, key="tl_group",
                         format_func=lambda g: t(f"group_{g}", lang))
        if progress is not None and st.radio(t("tl_color", lang), ["progress", "due"], horizontal=True,
                                             key="tl_color", format_func=lambda c: t(f"tl_color_{c}", lang)) == "due":
            progress = None
    # Every input of the figures below (state.memo): the view, the date and window, language and scale.
    key = (plan.content_hash, filters, meeting, window, lang, scale)
    ordered = derive.timeline_order(status, view, group_by=group, lang=lang)
    with chart_slot:
        if len(ordered) > TIMELINE_PAGE:  # too many for one chart: the quarters first, then page by page
            ui.chart(state.memo("tl_quarters", key,
                                lambda: figures.deadline_distribution_figure(view, status, meeting, lang, scale=scale)),
                     key="tl_quarters")
    if ui.presenting():  # as many rows as hold projector type on the first screen; the page number folds away
        with controls:
            rows = ui.page_slice(len(ordered), "tl_page_present", lang,
                                 page_size=figures.projector_rows(ui.PRESENT_HEIGHT, chrome=PRESENT_CHROME))
    else:
        with chart_slot:
            rows = ui.page_slice(len(ordered), "tl_page", lang, page_size=TIMELINE_PAGE)
    presenting = ui.presenting()

    def timeline_chart():
        if presenting:
            fitted = 1.1
            return figures.timeline_figure(view, ordered.iloc[rows], meeting, lang, scale=fitted, text_length=34,
                                           height=round(ui.PRESENT_HEIGHT / fitted), progress=progress)
        return figures.timeline_figure(view, ordered.iloc[rows], meeting, lang, scale=scale, progress=progress)

    colours = state.digest(progress)  # the reports' statuses shown (None: colours by due date / role)
    with chart_slot:
        ui.chart(state.memo("tl_chart", (*key, group, rows.start, rows.stop, rows.step, presenting, colours),
                            timeline_chart), key="timeline")

    st.subheader(t("due_list", lang))
    shown = st.multiselect(t("show_statuses", lang), list(derive.DUE_STATUSES), default=[DueStatus.OVERDUE.value, DueStatus.DUE_SOON.value],
                           key="tl_statuses", format_func=lambda s: t(f"status_{s}", lang))
    ui.table(derive.due_table(status, view, lang, statuses=tuple(shown)), key="due", file_stem="due_list", lang=lang,
             wrap=True)
