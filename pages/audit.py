"""审计 Audit: every change to the workspace (who, when, what, before and after), filtered and exported.

Read-only for every role: the trail is append-only in the database (branch auth, issue 18)."""

import dashboard.boot  # noqa: F401  # isort: skip  (first: the heavy imports, one thread at a time)
import streamlit as st

from analysis.i18n import t
from analysis.store import audit
from analysis.store.audit import audit_table
from dashboard import state, ui, workspace_ui
from dashboard import workspace_state as wss

plan = state.current_plan()
lang = state.language()
ui.page_header(plan, "page_audit", lang)
st.caption(t("audit_intro", lang))
ws = wss.workspace()
if ws is None:
    st.warning(t("audit_unavailable", lang), icon=":material/cloud_off:")
else:
    chosen = wss.chosen()
    c1, c2, c3 = st.columns(3)
    only_plan = c1.checkbox(t("audit_plan_only", lang), value=chosen is not None, key="audit_plan_only",
                            disabled=chosen is None)
    found = wss.audit_entries(chosen.plan_id if only_plan and chosen is not None else None)
    everyone = t("audit_all", lang)
    actor = c2.selectbox(t("audit_actor", lang), [everyone, *sorted({e.actor for e in found})], key="audit_actor",
                         format_func=lambda a: audit.actor_label(a, lang))
    action = c3.selectbox(t("audit_action", lang), [everyone, *sorted({e.action for e in found})], key="audit_action",
                          format_func=lambda a: audit.action_label(a, lang))
    shown = [e for e in found if actor in (everyone, e.actor) and action in (everyone, e.action)]
    if not shown:
        st.info(t("audit_none", lang), icon=":material/info:")
    else:
        ui.table(audit_table(shown, lang), key="audit_table", file_stem="audit", lang=lang, wrap=True)
    workspace_ui.accounts_admin(plan, lang)  # admins and workspace coordinators only
