"""进展 Progress: red/amber/green by agency and theme, overdue and missing reports, reporting from the app,
and the agencies' XLSX forms out and back in."""

from __future__ import annotations

import dashboard.boot  # noqa: F401  # isort: skip  (first: the heavy imports, one thread at a time)
import datetime as dt

import pandas as pd
import streamlit as st

from analysis import derive, progress_figures, progress_views
from analysis.cli.forms import report_inputs
from analysis.i18n import label, t
from analysis.io import SUPPORTED_SUFFIXES
from analysis.progress import task_rag
from analysis.progress_forms import (
    FormExportError,
    agencies_with_tasks,
    describe_changes,
    export_form,
)
from analysis.progress_table import ProgressImport, read_progress_files, readings_frame
from analysis.store import ConcurrentReportError, Report, WorkspaceError
from analysis.vocab import ProgressStatus, Rag
from dashboard import state, ui, workspace_ui
from dashboard import workspace_state as wss

SEEN = "pr_seen"  # {(plan id, task id): the report id the person was shown}
FLASH = "pr_flash"
TAB = "pr_tab"  # the open tab's label (ui.lazy_tabs)
TAB_NAMES = ("pr_tab_overview", "pr_tab_report", "pr_tab_forms")
FORMS = "pr_forms"  # (files marker, import result, expected previous ids) of the uploaded forms
FORMS_SAVED = "pr_forms_saved"
MAX_FORM_BUTTONS = 60  # one download button per agency up to this many; beyond, a choice and one button


def _report_text(report: Report, lang: str) -> str:
    percent = "" if report.percent is None else f" · {report.percent}%"
    text = t("pr_current", lang, no=report.report_id, status=label(report.status, lang), percent=percent,
             by=report.reported_by, at=report.reported_at.strftime("%Y-%m-%d %H:%M"), as_of=report.as_of.isoformat())
    if report.note:
        text += " — " + report.note
    return ui.md_escape(text)


def follow_ups_section(chosen: wss.Chosen, view, status: pd.DataFrame, reference: dt.date, lang: str) -> None:
    """Follow-ups of the plan's meetings still open on the reference date (overdue first). ``status``: the
    view's tasks on the reference date (``task_rag``), which says which are done (``Meetings.follow_ups``
    reads the same from the whole plan's)."""
    from analysis.meetings import decisions_table, follow_ups

    st.subheader(t("pr_follow_ups", lang))
    tasks = set(view.tasks["task_id"].astype(str))
    decisions = wss.reads(chosen.ws).meetings.decisions(chosen.plan_id, as_of=reference)
    open_ups = [f for f in follow_ups(decisions, status, reference) if not f.done and f.decision.task_id in tasks]
    if not open_ups:
        st.caption(t("pr_none", lang))
        return
    open_ups.sort(key=lambda f: (not f.overdue, f.decision.follow_up_due or reference))
    ui.table(decisions_table([f.decision for f in open_ups], lang, follow=open_ups), key="pr_follow_ups",
             file_stem="open_follow_ups", lang=lang)


def _overview_parts(view, latest: pd.DataFrame, reports: pd.DataFrame, rule, reference: dt.date, lang: str,
                    scale: float) -> dict:
    """The overview's numbers, figures and tables from the view's latest reports and all its reports
    (built once per key: ``overview_section``)."""
    status = task_rag(view.tasks, latest, reference, rule)
    frame = progress_views.status_frame(view, status, latest)  # joined once for the three tables
    parts: dict = {
        "rule": rule, "status": status, "counts": status["rag"].value_counts(),
        "reported": int(latest["task_id"].isin(status["id"]).sum()),
        "lead": progress_figures.rag_figure(view, progress_views.rag_counts(view, status, "lead"), "lead", lang,
                                            scale=scale),
        "theme": progress_figures.rag_figure(view, progress_views.rag_counts(view, status, "theme"), "theme", lang,
                                             scale=scale),
        "overdue": progress_views.overdue_table(view, status, latest, reference, lang, frame=frame),
        "missing": progress_views.not_reported_table(view, status, latest, reference, rule, lang, frame=frame),
        "scorecard": progress_views.scorecard(view, status, latest, reference, rule, lang, frame=frame),
        "periods": None,
    }
    if not reports.empty:
        parts["periods"] = progress_figures.periods_figure(progress_views.reports_by_period(reports), lang, scale=scale)
    return parts


def overview_section(chosen: wss.Chosen, plan, view, reference: dt.date, lang: str, scale: float) -> None:
    # Keyed by what it shows: the plan on screen and its filters, the rule, the latest and all reports
    # of the view's tasks (by content: a report on a task outside the view, or on another plan, keeps
    # it), the reference date, the language and the presentation scale.
    ids = view.tasks["task_id"].astype(str)
    latest = chosen.latest(as_of=reference)
    latest = latest.loc[latest["task_id"].astype(str).isin(ids)]
    reports = chosen.all_reports()
    reports = reports.loc[reports["task_id"].isin(ids)]
    rule = chosen.rule()
    key = (plan.content_hash, state.filters(), rule, state.frame_digest(latest), state.frame_digest(reports),
           reference, lang, scale)
    parts = state.memo("pr_overview", key, lambda: _overview_parts(view, latest, reports, rule, reference, lang, scale))
    st.caption(t("pr_reference", lang, date=reference.isoformat()))
    counts = parts["counts"]
    cols = st.columns(4)
    for col, rag in zip(cols, (Rag.RED, Rag.AMBER, Rag.GREEN), strict=False):
        col.metric(label(rag, lang), int(counts.get(rag, 0)), border=True)
    cols[3].metric(t("pr_reported_tile", lang), parts["reported"], border=True)
    st.info(ui.md_escape(parts["rule"].describe()(lang)), icon=":material/rule:")

    left, right = st.columns(2)
    with left:
        ui.chart(parts["lead"], key="pr_rag_lead")
    with right:
        ui.chart(parts["theme"], key="pr_rag_theme")

    st.subheader(t("pr_overdue", lang))
    if parts["overdue"].empty:
        st.caption(t("pr_none", lang))
    else:
        ui.table(parts["overdue"], key="pr_overdue", file_stem="overdue", lang=lang)
    st.subheader(t("pr_not_reported", lang))
    if parts["missing"].empty:
        st.caption(t("pr_none", lang))
    else:
        ui.table(parts["missing"], key="pr_missing", file_stem="not_reported", lang=lang)

    follow_ups_section(chosen, view, parts["status"], reference, lang)

    if parts["periods"] is not None:
        ui.chart(parts["periods"], key="pr_periods")
    st.subheader(t("pr_scorecard", lang))
    st.caption(t("pr_scorecard_note", lang))
    ui.table(parts["scorecard"], key="pr_scorecard", file_stem="scorecard", lang=lang)


def report_section(chosen: wss.Chosen, view, reference: dt.date, lang: str) -> None:
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(ui.md_escape(flash), icon=":material/check_circle:")
    ids = view.tasks["task_id"].astype(str).tolist()
    task_id = st.selectbox(t("pr_task", lang), ids, key="pr_task", format_func=lambda i: derive.task_caption(view, i))
    if task_id is None:
        return
    seen: dict[tuple[int, str], int | None] = st.session_state.setdefault(SEEN, {})
    key = (chosen.plan_id, task_id)
    # As of the revision (a report saved through another server shows within REVISION_CHECK_SECONDS; saving
    # against an older one is refused as a conflict by the store, and the newer report shown).
    current = chosen.current(task_id)
    if current is None:
        st.caption(t("no_reports_yet", lang))
    else:
        st.markdown(_report_text(current, lang))
    with st.expander(t("progress_history", lang), icon=":material/history:"):
        workspace_ui.task_history(task_id, lang, key="pr_history")

    units = view.assignments.loc[view.assignments["task_id"].astype(str) == task_id, "agency"].astype(str).tolist()
    units = workspace_ui.reporting_units(units, chosen.plan_id)
    statuses = list(ProgressStatus)
    with st.form("pr_form", border=True):
        c1, c2 = st.columns(2)
        status = c1.selectbox(t("col_progress", lang), statuses, key="pr_status",
                              index=statuses.index(current.status) if current else 1,
                              format_func=lambda s: label(s, lang))
        percent = c2.number_input(t("col_percent", lang), 0, 100, current.percent if current else None, step=5,
                                  key="pr_percent", placeholder="—")
        note = st.text_area(t("col_note", lang), key="pr_note", max_chars=4000)
        evidence = st.text_input(t("col_evidence", lang), key="pr_evidence", max_chars=2000)
        c3, c4, c5 = st.columns(3)
        agency = c3.selectbox(t("col_report_agency", lang), list(dict.fromkeys(units)) or [""], key="pr_agency")
        as_of = c4.date_input(t("col_as_of", lang), value=reference, key="pr_as_of")
        with c5:
            actor = workspace_ui.actor_input(lang, "pr_actor")
        submitted = st.form_submit_button(t("pr_save", lang), type="primary", icon=":material/save:")
    if submitted:
        if not actor:
            st.error(t("auth_sign_in_to_write", lang), icon=":material/person_alert:")
        else:
            try:
                saved = chosen.ws.report_progress(
                    chosen.plan_id, task_id, status, expected_previous=seen.get(key), actor=actor,
                    percent=None if percent is None else int(percent), note=note, evidence=evidence, agency=agency or "",
                    as_of=as_of if isinstance(as_of, dt.date) else reference,
                )
            except ConcurrentReportError as exc:
                st.error(t("pr_conflict", lang), icon=":material/sync_problem:")
                if exc.current is not None:
                    st.warning(_report_text(exc.current, lang), icon=":material/person:")
            except WorkspaceError as exc:
                st.error(ui.md_escape(exc.message(lang)), icon=":material/error:")
            else:
                wss.changed()
                seen[key] = saved.report_id
                st.session_state[FLASH] = t("pr_saved", lang, no=saved.report_id, task=task_id)
                st.rerun()
    seen[key] = current.report_id if current else None


def forms_section(chosen: wss.Chosen, plan, reference: dt.date, lang: str) -> None:
    latest = chosen.latest()
    st.subheader(t("forms_download", lang))
    st.caption(t("forms_download_note", lang))
    agencies = agencies_with_tasks(plan)

    def form(agency: str):
        return lambda: export_form(plan, agency, latest, plan_id=str(chosen.plan_id), version=chosen.version,
                                   lang=lang)

    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if len(agencies) > MAX_FORM_BUTTONS:
        agencies = [st.selectbox(t("filter_agency", lang), agencies, key="forms_agency",
                                 format_func=lambda a: derive.agency_name(plan, a, lang))]
    grid = st.container(horizontal=True, key="forms_buttons")
    for i, agency in enumerate(agencies):
        try:
            grid.download_button(ui.md_escape(derive.agency_name(plan, agency, lang)), form(agency),
                                 file_name=f"progress_form_{agency}.xlsx", mime=mime, key=f"form_{i}",
                                 on_click="ignore", icon=":material/download:")
        except FormExportError:
            continue

    st.subheader(t("forms_upload", lang))
    files = st.file_uploader(t("forms_upload_label", lang), type=sorted(s.lstrip(".") for s in SUPPORTED_SUFFIXES),
                             accept_multiple_files=True, key="forms_upload", help=t("forms_table_help", lang))
    if not files:
        return
    marker = tuple((f.name, f.size, f.file_id) for f in files)
    cached = st.session_state.get(FORMS)
    if not cached or cached[0] != marker or cached[1] != (chosen.plan_id, chosen.version):
        # Tables are read like an uploaded plan: in a worker process with a time and memory limit.
        read = read_progress_files([(f.name, f.getvalue()) for f in files], plan, plan_id=str(chosen.plan_id),
                                   version=chosen.version, as_of_default=reference, parse=wss.parse_upload)
        cached = (marker, (chosen.plan_id, chosen.version), read, latest)
        st.session_state[FORMS] = cached
        st.session_state.pop(FORMS_SAVED, None)
    _, _, read, seen_latest = cached
    result = read.result
    if st.session_state.get(FORMS_SAVED) == marker:
        st.success(t("forms_saved", lang, n=len(result.reports)), icon=":material/check_circle:")
        return
    if result.errors:
        st.error(t("forms_errors", lang, n=len(result.errors)), icon=":material/error:")
        ui.table(pd.DataFrame({
            t("col_file", lang): [e.file for e in result.errors],
            t("col_finding_row", lang): [e.row if e.row is not None else "" for e in result.errors],
            t("col_finding_field", lang): [e.field(lang) if e.field else "" for e in result.errors],
            t("col_finding_message", lang): [e.text(lang) for e in result.errors],
        }).astype(str), key="forms_errors", file_stem="form_errors", lang=lang)
    if result.skipped_count:
        st.caption(t("forms_skipped", lang, n=result.skipped_count))
    if not result.reports:
        st.info(t("forms_nothing", lang), icon=":material/info:")
        return
    st.markdown("**" + t("forms_preview", lang, n=len(result.reports)) + "**")
    changes = describe_changes(result, seen_latest, lang=lang)
    ui.table(progress_views.changes_table(changes, lang), key="forms_preview", file_stem="form_changes", lang=lang)
    if read.readings:
        _readings_section(read, lang)
    if not result.ok:
        st.warning(t("forms_fix_first", lang), icon=":material/block:")
        return
    actor = workspace_ui.actor_input(lang, "forms_actor")
    if st.button(t("forms_confirm", lang, n=len(result.reports)), type="primary", key="forms_confirm",
                 disabled=not actor, icon=":material/save:"):
        # A task reported by its lead and its supporting agencies: every report, the lead's last (as the CLI).
        items = report_inputs(plan, result, seen_latest)
        try:
            chosen.ws.import_reports(chosen.plan_id, items, actor=actor, repeats=True)
        except ConcurrentReportError as exc:
            st.error(t("forms_conflict", lang, task=exc.task_id), icon=":material/sync_problem:")
            st.session_state.pop(FORMS, None)
            return
        except WorkspaceError as exc:
            st.error(ui.md_escape(exc.message(lang)), icon=":material/error:")
            return
        wss.changed()
        st.session_state[FORMS_SAVED] = marker
        st.rerun()
    if not actor:
        st.caption(t("auth_sign_in_to_write", lang))


def _readings_section(read: ProgressImport, lang: str) -> None:
    """How the status of each row of a progress table was read from its text; unclear ones said apart."""
    st.markdown("**" + t("forms_readings", lang) + "**")
    st.caption(t("forms_readings_rule", lang))
    frame = readings_frame(read.readings, lang)
    ui.table(pd.DataFrame({
        t("col_file", lang): frame["file"],
        t("col_finding_row", lang): frame["row"].astype(str),
        t("col_task_id", lang): frame["task_id"],
        t("col_progress", lang): frame["status"].map(lambda s: label(ProgressStatus(s), lang)),
        t("col_percent", lang): frame["percent"],
        t("forms_read_because", lang): frame["reason"],
        t("forms_read_check", lang): frame["unclear"].map(lambda u: t("forms_read_unclear", lang) if u else ""),
    }), key="forms_readings", file_stem="progress_readings", lang=lang)
    if read.unclear:
        st.warning(t("forms_unclear", lang, n=len(read.unclear)), icon=":material/help:")


plan = state.current_plan()
lang, scale = state.language(), state.chart_scale()
view = state.filtered_plan(plan, state.filters())
ui.page_header(plan, "page_progress", lang)
chosen = wss.chosen()
if chosen is None:
    st.info(t("progress_needs_workspace", lang), icon=":material/cloud_off:")
elif ui.filter_notice(view, plan, lang):
    reference = state.meeting_date(plan)
    # Only the open tab runs: reporting does not rebuild the charts, nor looking at them the forms.
    tab_overview, tab_report, tab_forms = ui.lazy_tabs(TAB, TAB_NAMES, lang)
    if tab_overview.open:
        with tab_overview:
            overview_section(chosen, plan, view, reference, lang, scale)
    if tab_report.open:
        with tab_report:
            report_section(chosen, view, reference, lang)
    if tab_forms.open:
        with tab_forms:
            forms_section(chosen, plan, reference, lang)
