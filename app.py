"""任务分工看板 · Task division dashboard — entry point: navigation and the shared sidebar.

Run with `streamlit run app.py`. Pages live in pages/; all computation in analysis/.
"""

import streamlit as st

from dashboard import preload

# The tab icon is a file served by this app: a :material/…: icon is fetched from an outside
# font server, which an intranet blocks (and should never be asked).
st.set_page_config(page_title="任务分工看板", page_icon=str(preload.ICON), layout="wide")
preload.start_plotly()  # before the heavy imports below: the browser loads plotly meanwhile

import dashboard.boot  # noqa: E402, F401  # isort: skip  (the heavy imports, one thread at a time)
from analysis.i18n import t  # noqa: E402
from dashboard import state, ui, workspace_ui  # noqa: E402

plan = state.current_plan()
state.load_url_state(plan)
if st.session_state.get("present") and "present_applied" not in st.session_state:
    # Projecting: start with the sidebar out of the way.
    st.set_page_config(initial_sidebar_state="collapsed")
    st.session_state["present_applied"] = True
lang = state.language()

pages = [
    st.Page("pages/overview.py", title=t("page_overview", lang), icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/workload.py", title=t("page_workload", lang), icon=":material/bar_chart:", url_path="workload"),
    st.Page("pages/timeline.py", title=t("page_timeline", lang), icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/network.py", title=t("page_network", lang), icon=":material/hub:", url_path="network"),
    st.Page("pages/tasks.py", title=t("page_tasks", lang), icon=":material/list_alt:", url_path="tasks"),
    st.Page("pages/progress.py", title=t("page_progress", lang), icon=":material/flag:", url_path="progress"),
    st.Page("pages/meetings.py", title=t("page_meetings", lang), icon=":material/groups:", url_path="meetings"),
    st.Page("pages/portfolio.py", title=t("page_portfolio", lang), icon=":material/account_tree:", url_path="portfolio"),
    st.Page("pages/audit.py", title=t("page_audit", lang), icon=":material/history:", url_path="audit"),  # branch auth
]
page = st.navigation(pages, position="top")

ui.sidebar(plan)
plan = state.current_plan()  # an upload in the sidebar may have replaced it
lang = state.language()
for notice in (*state.link_notices(), *state.plan_notices()):
    st.toast(notice(lang), icon=":material/link_off:")
st.set_page_config(page_title=f"{t('app_title', lang)} · {page.title}")
st.html(ui.localized_widgets_css(lang))
st.sidebar.html(ui.streamlit_texts_script(lang), unsafe_allow_javascript=True)  # Streamlit's own texts
if st.session_state.get("present"):
    st.html(ui.PRESENTATION_CSS)
state.save_url_state(plan)
workspace_ui.pending_version(plan, lang)  # a new version's changes, before it is saved
ui.run_framed(page.run)
ui.present_nav(f"pages/{page.url_path or 'overview'}.py", lang)
