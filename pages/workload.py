"""工作量 Workload: who leads and who supports how many tasks, in which themes."""

import dashboard.boot  # noqa: F401  # isort: skip  (first: the heavy imports, one thread at a time)
import streamlit as st

from analysis import derive, figures, progress_figures, progress_views
from analysis.i18n import t
from dashboard import state, ui

PRESENT_CHROME = 190  # px of the projected chart for its title, legend and axis

plan = state.current_plan()

lang, scale = state.language(), state.chart_scale()
filters = state.filters()
view = state.filtered_plan(plan, filters)

ui.page_header(plan, "page_workload", lang)
if ui.filter_notice(view, plan, lang):
    chart_slot, controls = ui.chart_first(lang)
    meeting = state.meeting_date(plan)
    progress = state.progress_by_task(meeting)  # None: no report in the workspace for this plan
    if progress is not None and controls.radio(
        t("wl_split", lang), ["role", "progress"], horizontal=True, key="wl_split",
        format_func=lambda s: t(f"wl_split_{s}", lang),
    ) == "role":
        progress = None
    c1, c2, c3 = controls.columns(3)
    measure = c1.radio(t("measure", lang), ["count", "score"], horizontal=True, key="wl_measure",
                       format_func=lambda m: t(f"measure_{m}", lang))
    sort_by = c2.selectbox(t("sort_by", lang), ["total", "lead", "score"], key="wl_sort",
                           format_func=lambda s: t(f"sort_{s}", lang))
    weight = c3.slider(t("lead_weight", lang), 1.0, 5.0, derive.DEFAULT_LEAD_WEIGHT, 0.5, key="wl_weight",
                       help=t("lead_weight_help", lang))
    frame = derive.sort_workload(
        derive.workload(view, lead_weight=weight, agencies=derive.focus_agencies(view, filters)), sort_by
    )
    # Large plans: charts draw the top N agencies; the tables keep them all.
    present = ui.presenting()
    with controls:  # projecting: as many bars as hold their labels in projector type (own slider)
        top = frame.head(ui.top_count(len(frame), "wl_top_present" if present else "wl_top", lang,
                                      default=figures.projector_rows(ui.PRESENT_HEIGHT, chrome=PRESENT_CHROME,
                                                                       labels_inside=True)
                                      if present else 40))
    def bars_figure():
        if progress is not None:
            split = progress_views.workload_by_status(
                view, top["agency"].tolist(), progress, lead_weight=weight if measure == "score" else 1.0)
            bars = progress_figures.workload_status_figure(view, split, lang, measure=measure, lead_weight=weight,
                                                           scale=1.15 if present else scale)
        else:
            bars = figures.workload_figure(view, top, lang, measure=measure, lead_weight=weight,
                                           scale=1.15 if present else scale)
        if present:  # every bar on the first screen
            figures.set_layout(bars, height=ui.PRESENT_HEIGHT, bargap=0.08)
        return bars

    # Every input of what is built below (state.memo): the view, the weight and order, the agencies drawn.
    key = (plan.content_hash, filters, lang, weight, sort_by, tuple(top["agency"]))
    colours = state.digest(progress)  # the reports' statuses shown (None: colours by due date / role)
    if progress is not None:
        controls.caption(t("wl_split_note", lang, date=meeting.isoformat()))
    with chart_slot:
        ui.chart(state.memo("wl_bars", (*key, measure, present, scale, colours), bars_figure), key="workload_bars")
    ui.table(state.memo("wl_table", key[:5], lambda: derive.workload_table(frame, lang, plan=view)), key="workload",
             file_stem="workload", lang=lang)

    def heatmap():
        counts = derive.agency_theme_counts(view, agencies=top["agency"].tolist())
        return figures.agency_theme_heatmap(view, counts, lang, scale=scale)

    ui.chart(state.memo("wl_heatmap", (*key, scale), heatmap), key="workload_heatmap")

    st.subheader(t("matrix_title", lang))
    st.caption(t("matrix_note", lang))
    matrix = state.responsibility_matrix(plan, filters, lang, top["agency"].tolist())
    rows = ui.page_slice(len(matrix), "wl_matrix_page", lang, page_size=100)
    ui.table(matrix.reset_index().rename(columns={"task_id": t("col_task_id", lang)}),
             key="matrix", file_stem="responsibility_matrix", lang=lang, rows=rows)

    st.subheader(t("choose_agency", lang))
    agency = st.selectbox(t("filter_agency", lang), frame["agency"].tolist(), key="wl_agency",
                          format_func=lambda a: derive.agency_name(view, a, lang))
    if agency:
        st.markdown("**" + ui.md_escape(t("agency_tasks", lang, agency=derive.agency_name(view, agency, lang))) + "**")
        ui.table(derive.agency_tasks_table(view, agency, lang), key="agency_tasks", file_stem="agency_tasks", lang=lang,
                 wrap=True)
