"""Workspace widgets: choosing a plan, adding plans and versions, removing a plan, a task's progress history.

No computation here (analysis) and no caching (dashboard.workspace_state).
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from analysis.findings import PlanImportError, import_error
from analysis.i18n import TEXT, t
from analysis.io import SUPPORTED_SUFFIXES
from analysis.model import Plan, content_hash
from analysis.progress_views import diff_table, history_table
from analysis.store import WorkspaceError
from analysis.store.access import Action, Grant, allowed
from analysis.versions import MATCH_RULE, diff_versions
from analysis.vocab import AccessRole, Bilingual
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
        session_only_notice(lang)
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
    if infos and (current := wss.chosen()) is not None and may(Action.REMOVE_PLAN, current.plan_id):
        _remove(lang)
    account_box(lang)


def may(action: Action, plan_id: int | None = None) -> bool:
    """Whether the signed-in account may do ``action`` (hides what it may not; the store checks anyway)."""
    found = wss.account()
    return found is not None and allowed(found, action, plan_id=plan_id)


def _plan_switched() -> None:
    st.session_state.pop(state.MEETING_DATE, None)  # each plan starts from its own default meeting date
    st.session_state.pop(REMOVING, None)


def actor_input(lang: str, key: str) -> str:
    """Who a write on this page is made by: the signed-in account (said on the page), "" when nobody is
    signed in (the page then asks to sign in; the store would refuse the write anyway). ``key`` is kept
    for the pages' calls."""
    name = wss.actor()
    st.caption(ui.md_escape(t("auth_acting", lang, name=name)) if name else t("auth_sign_in_to_write", lang))
    return name


def reporting_units(units: list[str], plan_id: int) -> list[str]:
    """The agencies a report may be made in the name of: for a reporter, its own among the task's units
    (the store refuses another's name); all of them when none is its own, so the store's refusal is said."""
    found = wss.account()
    if found is None or found.coordinates(plan_id):
        return units
    mine = found.reporter_agencies(plan_id)
    return [u for u in units if u in mine] or units


def account_box(lang: str) -> None:
    """The sidebar's sign-in: who is signed in, or the sign-in form (local accounts) or the identity
    provider's button (OIDC); with no account in the workspace, how to create the first admin."""
    if wss.workspace() is None:
        return
    found = wss.account()
    if found is not None:
        st.caption(ui.md_escape(t("auth_signed_in", lang, name=found.name, roles=found.describe()(lang))))
        if st.button(t("auth_sign_out", lang), key="auth_sign_out", icon=":material/logout:"):
            wss.sign_out()
            if wss.oidc_configured() and getattr(st.user, "is_logged_in", False):
                st.logout()
            st.rerun()
        return
    if not wss.accounts_exist():
        st.info(t("auth_no_accounts", lang), icon=":material/lock:")
        return
    st.caption(t("auth_read_only", lang))
    refused = st.session_state.get(wss.AUTH_ERROR)
    if wss.oidc_configured():
        if st.button(t("auth_oidc", lang), key="auth_oidc", icon=":material/login:"):
            st.login()
    else:
        with st.form("auth_form", border=False, clear_on_submit=True):
            name = st.text_input(t("auth_name", lang), key="auth_name", max_chars=200)
            password = st.text_input(t("auth_password", lang), type="password", key="auth_password", max_chars=1000)
            if st.form_submit_button(t("auth_submit", lang), icon=":material/login:"):
                refused = wss.sign_in(name, password)
                st.session_state[wss.AUTH_ERROR] = refused
                if refused is None:
                    st.rerun()
    if refused is not None:
        st.error(ui.md_escape(refused(lang)), icon=":material/block:")


def _upload(lang: str, *, has_plan: bool) -> None:
    current = wss.chosen()
    options = ["new", "version"] if has_plan and current is not None and may(Action.ADD_VERSION, current.plan_id) \
        else ["new"]
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
            st.session_state[UPLOAD_ERROR] = import_confirmed(uploaded.getvalue(), uploaded.name, lang, progress=True)
            if wss.NEXT_PLAN in st.session_state or st.session_state.get(state.PLAN_BYTES):
                st.rerun()  # the plan chooser shows the new plan (or the sidebar the plan shown for the session)
    error = st.session_state.get(UPLOAD_ERROR)
    if isinstance(error, PlanImportError):
        st.error(t("upload_failed", lang) + " " + ui.md_escape(error.message(lang)), icon=":material/error:")
    elif isinstance(error, WorkspaceError):
        st.error(ui.md_escape(error.message(lang)), icon=":material/error:")
    done = st.session_state.get(UPLOAD_DONE)
    if done:
        st.success(ui.md_escape(done), icon=":material/check_circle:")
    # The column step and the paste box (issue 13): what they import is saved like an upload
    # (import_confirmed), with the confirmed column mapping kept with the version.
    from dashboard import mapping

    mapping.column_step(uploaded, lang)
    mapping.paste_box(lang)


def session_only_notice(lang: str) -> None:
    """Why the uploaded plan on screen was not saved to the workspace (after an import that could not be)."""
    reason = st.session_state.get(state.SESSION_ONLY)
    if isinstance(reason, Bilingual) and st.session_state.get(state.PLAN_BYTES):
        st.info(ui.md_escape(reason(lang)), icon=":material/cloud_off:")


def write_refusal(mode: str) -> Bilingual | None:
    """Why an import cannot be saved to the workspace now (None: it can): no database, nobody signed
    in, or an account that may not add a plan (``mode`` "new") or a version of the current plan."""
    if wss.workspace() is None:
        return TEXT["session_only_no_db"].format(reason=wss.unavailable_reason() or "?")
    found = wss.account()
    if found is None:
        return TEXT["session_only_signed_out"]
    current = wss.chosen()
    if mode == "version" and current is not None:
        may = allowed(found, Action.ADD_VERSION, plan_id=current.plan_id)
    else:
        may = allowed(found, Action.ADD_PLAN)
    return None if may else TEXT["session_only_denied"].format(name=found.name)


def import_confirmed(data: bytes, name: str, lang: str, *, columns: dict[str, str] | None = None,
                     progress: bool = False) -> PlanImportError | WorkspaceError | None:
    """An uploaded table, or one imported from the column step (with the confirmed ``columns``) or
    pasted: saved (a new plan at once, or a new version of the current plan after its changes are
    shown and confirmed), when the workspace is there and the signed-in account may write; else shown
    for this session only, with the reason on the page (``state.SESSION_ONLY``). ``progress``: a
    progress bar while the file is read (not from a button callback)."""
    mode = str(st.session_state.get("ws_upload_as", "new"))
    refusal = write_refusal(mode)
    if refusal is None:
        problem = _take_upload(data, name, mode, lang, columns=columns, progress=progress)
    else:
        st.session_state.pop(UPLOAD_DONE, None)
        problem = state.import_upload(data, name, columns=columns,
                                      on_wait=ui._import_progress(name, lang) if progress else None)
        if problem is None:
            st.session_state[state.SESSION_ONLY] = refusal
    if problem is None:
        st.session_state[UPLOAD_ERROR] = None  # the upload's refusal (a missing column) is answered
    return problem


def _take_upload(data: bytes, name: str, mode: str, lang: str, *, columns: dict[str, str] | None = None,
                 progress: bool = True) -> PlanImportError | WorkspaceError | None:
    """Read the file in the worker; a new plan is saved at once, a new version waits for confirmation.
    ``columns``: the column mapping the user confirmed (kept with the version); ``progress``: a
    progress bar while the file is read (not from a callback)."""
    st.session_state.pop(UPLOAD_DONE, None)
    try:
        parsed = wss.parse_upload(data, name, on_wait=ui._import_progress(name, lang) if progress else None,
                                  columns=columns)
    except Exception as exc:  # noqa: BLE001 - last line of defence: a bug must not cost the plan on screen
        logging.getLogger(__name__).exception("unexpected error importing %r", name)
        return import_error("unexpected", t("upload_unexpected", "zh", error=type(exc).__name__),
                            t("upload_unexpected", "en", error=type(exc).__name__), file=name)
    if isinstance(parsed, PlanImportError):
        return parsed
    current = wss.chosen()
    mapped = tuple(sorted((columns or {}).items()))
    if mode == "version" and current is not None:
        digest = content_hash(data)
        state._uploaded_plan(digest, name, data, _parsed=parsed, columns=mapped)  # kept for the preview's reruns
        st.session_state[wss.PENDING_VERSION] = (current.plan_id, data, name, digest, mapped)
        return None
    ws = wss.workspace()
    if ws is None:
        return None
    try:
        info = ws.add_plan(data, name, actor=wss.actor(), columns=columns or None)
    except (WorkspaceError, PlanImportError) as exc:
        return exc
    wss.changed()
    if st.session_state.get(state.PLAN_BYTES):
        state.use_bundled_plan()  # a plan shown for the session only would hide the one just saved
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
    _, data, name, digest, *rest = pending
    mapped: tuple[tuple[str, str], ...] = rest[0] if rest else ()
    try:  # parsed at upload (again in the worker if evicted)
        parsed = state._uploaded_plan(digest, name, data, columns=mapped)
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
                info = current.ws.add_version(current.plan_id, data, name, actor=wss.actor(),
                                              columns=dict(mapped) or None)
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
                current.ws.remove_plan(int(st.session_state[REMOVING]), actor=wss.actor())
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


# ------------------------------------------------------------------------------- accounts (branch auth)


def accounts_admin(plan: Plan, lang: str) -> None:
    """For an admin or a workspace coordinator: the accounts, a new one, disabling one. Every change is
    made by the store as the signed-in account (checked, audited)."""
    found = wss.account()
    ws = wss.workspace()
    if found is None or ws is None or not allowed(found, Action.MANAGE_ACCOUNTS):
        return
    st.subheader(t("users_title", lang))
    accounts = ws.accounts.list()
    ui.table(pd.DataFrame({
        t("users_col_name", lang): [a.name for a in accounts],
        t("users_col_roles", lang): [a.describe()(lang) for a in accounts],
        t("users_col_state", lang): [t("users_state_disabled" if a.disabled else "users_state_active", lang)
                                     for a in accounts],
    }), key="users_table", file_stem="accounts", lang=lang)
    current = wss.chosen()
    agencies = [str(a) for a in plan.agencies["agency"]]
    roles = [r for r in AccessRole if found.is_admin or r != AccessRole.ADMIN]
    with st.form("users_form", border=True, clear_on_submit=True):
        st.markdown("**" + t("users_new", lang) + "**")
        name = st.text_input(t("auth_name", lang), key="users_name", max_chars=200)
        role = st.selectbox(t("users_role", lang), roles, key="users_role", format_func=lambda r: str(r))
        chosen_agencies = st.multiselect(t("users_agencies", lang), agencies, key="users_agencies")
        this_plan = st.checkbox(t("users_this_plan", lang), key="users_this_plan", disabled=current is None)
        email = st.text_input(t("users_email", lang), key="users_email", max_chars=320)
        password = st.text_input(t("auth_password", lang), type="password", key="users_password",
                                 help=t("users_password_help", lang), max_chars=1000)
        if st.form_submit_button(t("users_create", lang), icon=":material/person_add:"):
            grant = Grant(AccessRole(role), frozenset(chosen_agencies),
                          current.plan_id if this_plan and current is not None else None)
            try:
                ws.accounts.add(name, [grant], password=password or None, email=email or None, actor=found.name)
            except WorkspaceError as exc:
                st.error(ui.md_escape(exc.message(lang)), icon=":material/error:")
            else:
                st.success(ui.md_escape(t("users_created", lang, name=name.strip())), icon=":material/check_circle:")
    others = [a.name for a in accounts if not a.disabled and a.name != found.name]
    if others:
        row = st.container(horizontal=True, vertical_alignment="bottom")
        target = row.selectbox(t("users_disable", lang), others, key="users_disable_name")
        if row.button(t("users_disable", lang), key="users_disable_button", icon=":material/person_off:"):
            try:
                ws.accounts.disable(str(target), actor=found.name)
            except WorkspaceError as exc:
                st.error(ui.md_escape(exc.message(lang)), icon=":material/error:")
            else:
                st.success(ui.md_escape(t("users_disabled", lang, name=target)), icon=":material/check_circle:")
