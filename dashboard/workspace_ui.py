"""Workspace widgets: choosing a plan, adding plans and versions, removing a plan, a task's progress history.

No computation here (analysis) and no caching (dashboard.workspace_state).
"""

from __future__ import annotations

import logging

import streamlit as st

from analysis.findings import PlanImportError, import_error
from analysis.i18n import t
from analysis.io import SUPPORTED_SUFFIXES
from analysis.model import Plan, content_hash
from analysis.progress_views import diff_table, history_table
from analysis.store import WorkspaceError
from analysis.versions import MATCH_RULE, diff_versions
from dashboard import state, ui
from dashboard import workspace_state as wss

UPLOAD_MARKER = "ws_upload_marker"
UPLOAD_ERROR = "ws_upload_error"
UPLOAD_DONE = "ws_upload_done"
REMOVING = "ws_removing"


def data_source(lang: str) -> None:
    """The sidebar's data source: the workspace's plans, or (no workspace) the bundled plan read-only."""
    ws = wss.workspace()
    if ws is None:
        st.warning(t("ws_unavailable", lang, reason=ui.md_escape(wss.unavailable_reason())),
                   icon=":material/cloud_off:")
        ui._data_source(lang)
        return
    infos = wss.plans()
    if st.session_state.get(state.PLAN_BYTES):  # a file shown without the workspace (tests, older sessions)
        st.caption(t("upload_ok", lang, file=ui.md_escape(str(st.session_state.get(state.PLAN_NAME)))))
        st.button(t("back_to_workspace", lang), on_click=state.use_bundled_plan, icon=":material/restart_alt:")
    if infos:
        current = wss.chosen()
        by_id = {i.plan_id: i for i in infos}
        if current is not None:
            st.selectbox(
                t("ws_plan", lang), list(by_id), key=wss.PLAN_ID, on_change=_plan_switched,
                format_func=lambda i: t("ws_plan_option", lang, title=wss.plan_title(by_id[i], lang), version=by_id[i].version,
                                        tasks=by_id[i].tasks),
            )
    else:
        st.info(t("ws_empty", lang), icon=":material/inbox:")
    _upload(lang, has_plan=bool(infos))
    if infos and wss.chosen() is not None:
        _remove(lang)


def _plan_switched() -> None:
    st.session_state.pop(state.MEETING_DATE, None)  # each plan starts from its own default meeting date
    st.session_state.pop(REMOVING, None)


def actor_input(lang: str, key: str) -> str:
    """The person's name, kept for the session (one canonical value behind each page's widget)."""
    value = st.text_input(t("ws_actor", lang), value=wss.actor(), key=key, help=t("ws_actor_help", lang),
                          max_chars=200)
    st.session_state[wss.ACTOR] = value
    return value.strip()


def _upload(lang: str, *, has_plan: bool) -> None:
    options = ["new", "version"] if has_plan and wss.chosen() is not None else ["new"]
    mode = st.radio(t("ws_upload_as", lang), options, key="ws_upload_as", horizontal=True,
                    format_func=lambda m: t(f"ws_upload_as_{m}", lang))
    limits = ui.upload_limits_text(lang)
    uploaded = st.file_uploader(
        t("upload_plan", lang), type=sorted(s.lstrip(".") for s in SUPPORTED_SUFFIXES),
        help=t("upload_help", lang) + " " + limits, key="upload",
    )
    if uploaded is not None:
        marker = (uploaded.name, uploaded.size, uploaded.file_id, mode)
        if st.session_state.get(UPLOAD_MARKER) != marker:
            st.session_state[UPLOAD_MARKER] = marker
            st.session_state[UPLOAD_ERROR] = import_error(
                "cancelled", t("import_cancelled", "zh"), t("import_cancelled", "en"), file=uploaded.name)
            st.session_state[UPLOAD_ERROR] = _take_upload(uploaded.getvalue(), uploaded.name, mode, lang)
            if wss.NEXT_PLAN in st.session_state:
                st.rerun()  # the plan chooser shows the new plan
    error = st.session_state.get(UPLOAD_ERROR)
    if isinstance(error, PlanImportError):
        st.error(t("upload_failed", lang) + " " + ui.md_escape(error.message(lang)), icon=":material/error:")
    elif isinstance(error, WorkspaceError):
        st.error(ui.md_escape(error.message(lang)), icon=":material/error:")
    done = st.session_state.get(UPLOAD_DONE)
    if done:
        st.success(ui.md_escape(done), icon=":material/check_circle:")
    # The column step and the paste box (issue 13). A plan imported through them is shown for
    # this session: the workspace keeps no column mapping yet, so it cannot rebuild such a plan.
    from dashboard import mapping

    mapping.column_step(uploaded, lang)
    mapping.paste_box(lang)


def _take_upload(data: bytes, name: str, mode: str, lang: str) -> PlanImportError | WorkspaceError | None:
    """Read the file in the worker; a new plan is saved at once, a new version waits for confirmation."""
    st.session_state.pop(UPLOAD_DONE, None)
    try:
        parsed = wss.parse_upload(data, name, on_wait=ui._import_progress(name, lang))
    except Exception as exc:  # noqa: BLE001 - last line of defence: a bug must not cost the plan on screen
        logging.getLogger(__name__).exception("unexpected error importing %r", name)
        return import_error("unexpected", t("upload_unexpected", "zh", error=type(exc).__name__),
                            t("upload_unexpected", "en", error=type(exc).__name__), file=name)
    if isinstance(parsed, PlanImportError):
        return parsed
    current = wss.chosen()
    if mode == "version" and current is not None:
        digest = content_hash(data)
        state._uploaded_plan(digest, name, data, _parsed=parsed)  # kept for the preview's reruns
        st.session_state[wss.PENDING_VERSION] = (current.plan_id, data, name, digest)
        return None
    ws = wss.workspace()
    if ws is None:
        return None
    try:
        info = ws.add_plan(data, name, actor=wss.actor() or "dashboard")
    except (WorkspaceError, PlanImportError) as exc:
        return exc
    wss.changed()
    st.session_state[wss.NEXT_PLAN] = info.plan_id
    _plan_switched()
    st.session_state[UPLOAD_DONE] = t("ws_added", lang, title=info.title, tasks=info.tasks)
    return None


def pending_version(plan: Plan, lang: str) -> None:
    """A revised table of the current plan, uploaded: what changes, saved only on confirmation."""
    pending = st.session_state.get(wss.PENDING_VERSION)
    current = wss.chosen()
    if not pending or current is None or pending[0] != current.plan_id:
        return
    _, data, name, digest = pending
    try:
        parsed = state._uploaded_plan(digest, name, data)  # parsed at upload (again in the worker if evicted)
    except PlanImportError:
        st.session_state.pop(wss.PENDING_VERSION, None)
        return
    diff = diff_versions(plan, parsed)
    with st.container(border=True, key="pending_version"):
        st.subheader(t("ws_version_preview", lang, file=ui.md_escape(name), title=ui.md_escape(wss.plan_title(current.info, lang)),
                       version=current.version + 1))
        st.write(t("ws_diff_counts", lang, added=len(diff.added), removed=len(diff.removed),
                   reworded=len(diff.reworded), lead=len(diff.lead_changed), support=len(diff.support_changed),
                   deadline=len(diff.deadline_changed), carried=len(diff.carried)))
        if diff.unchanged:
            st.info(t("ws_diff_none", lang), icon=":material/info:")
        else:
            st.dataframe(diff_table(diff, lang), hide_index=True, width="stretch", key="pending_diff")
        st.caption(MATCH_RULE(lang))
        row = st.container(horizontal=True)
        if row.button(t("ws_version_confirm", lang), type="primary", key="pending_confirm",
                      icon=":material/save:"):
            try:
                info = current.ws.add_version(current.plan_id, data, name, actor=wss.actor() or "dashboard")
            except (WorkspaceError, PlanImportError) as exc:
                st.error(ui.md_escape(exc.message(lang)), icon=":material/error:")
                return
            wss.changed()
            st.session_state.pop(wss.PENDING_VERSION, None)
            st.session_state[UPLOAD_DONE] = t("ws_version_saved", lang, title=wss.plan_title(info, lang), version=info.version)
            st.rerun()
        if row.button(t("ws_version_cancel", lang), key="pending_cancel", icon=":material/close:"):
            st.session_state.pop(wss.PENDING_VERSION, None)
            st.rerun()


def _remove(lang: str) -> None:
    current = wss.chosen()
    if current is None:
        return
    with st.expander(t("ws_remove", lang), icon=":material/delete:"):
        if not st.session_state.get(REMOVING):
            if st.button(t("ws_remove_button", lang), key="ws_remove_start"):
                st.session_state[REMOVING] = current.plan_id
                st.rerun()
            return
        st.warning(t("ws_remove_confirm_text", lang, title=ui.md_escape(wss.plan_title(current.info, lang))),
                   icon=":material/warning:")
        row = st.container(horizontal=True)
        if row.button(t("ws_remove_confirm", lang), type="primary", key="ws_remove_yes"):
            try:
                current.ws.remove_plan(int(st.session_state[REMOVING]))
            except WorkspaceError as exc:
                st.error(ui.md_escape(exc.message(lang)))
                return
            wss.changed()
            st.session_state.pop(REMOVING, None)
            st.session_state[wss.NEXT_PLAN] = None  # the first plan left
            _plan_switched()
            st.rerun()
        if row.button(t("ws_remove_cancel", lang), key="ws_remove_no"):
            st.session_state.pop(REMOVING, None)
            st.rerun()


def task_history(task_id: str, lang: str, *, key: str) -> None:
    """A task's progress reports, newest first (nothing when the plan is not in the workspace)."""
    current = wss.chosen()
    if current is None:
        return
    history = current.history(task_id)
    st.markdown("**" + t("progress_history", lang) + "**")
    if history.empty:
        st.caption(t("no_reports_yet", lang))
        return
    ui.table(history_table(history, lang), key=key, file_stem=f"progress_{task_id}", lang=lang)
