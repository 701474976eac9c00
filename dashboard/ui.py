"""Widgets shared by the pages: sidebar, charts with slide export, tables with downloads.

No computation and no caching here: that is `analysis` and `dashboard.state`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from analysis import derive, links
from analysis.exports import to_csv_bytes, to_xlsx_bytes
from analysis.figures import plotly_config
from analysis.findings import PlanImportError
from analysis.i18n import LANGUAGES, role_label, t, type_label
from analysis.io import SUPPORTED_SUFFIXES
from analysis.model import Plan
from analysis.vocab import DEFAULTS, AgencyType
from dashboard import state

# Projecting on a 1920 × 1080 screen: a compact header, one chart filling the first screen,
# tables in projection size. Static CSS, no user data in it.
PRESENTATION_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.4rem; padding-bottom: 2rem; }
[data-testid="stAppViewContainer"] h1 { font-size: 2.5rem; padding: 0 0 0.2rem 0; }
[data-testid="stAppViewContainer"] h2, [data-testid="stAppViewContainer"] h3 { font-size: 2.1rem; }
[data-testid="stAppViewContainer"] p, [data-testid="stAppViewContainer"] li { font-size: 1.3rem; }
[data-testid="stCaptionContainer"] p { font-size: 1.1rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 2.8rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.4rem; }
[data-testid="stTable"] th, [data-testid="stTable"] td { font-size: 1.35rem; line-height: 1.45; }
[data-testid="stSliderThumbValue"], [data-testid="stSliderTickBar"] { font-size: 1rem; }
[data-testid="stSlider"] { padding-top: 0.6rem; }
</style>
"""
# The task list as a plain table (ui.table(..., key="tasks", full_text=True)): the deadline on
# one line, the task text given the room to read as a paragraph. Static CSS, no user data.
TASKS_TABLE_CSS = """
<style>
.st-key-tasks_full td:nth-child(2), .st-key-tasks_full td:nth-child(2) * { white-space: nowrap; }
.st-key-tasks_full td:nth-child(5) { min-width: 18rem; }
.st-key-tasks_full td:nth-child(4), .st-key-tasks_full td:nth-child(6) { min-width: 8rem; }
</style>
"""
PRESENT_HEIGHT = 830  # pixels of a chart that fills a 1080-pixel screen below the header
PRESENT_WIDTH = 1700  # the main area's width on a 1920-pixel screen, sidebar collapsed
PRESENT_TABLE_ROWS = 60  # longer tables stay scrollable grids
# The pages in slide order, by the file each is run from (app.py registers them).
SLIDES = ("pages/overview.py", "pages/workload.py", "pages/timeline.py", "pages/network.py", "pages/tasks.py")


def presenting() -> bool:
    return bool(st.session_state.get("present"))


def localized_widgets_css(lang: str) -> str:
    """Streamlit's own texts in English replaced by ours: the uploader ("Upload", "50MB per
    file • …") and the keyboard user's "Skip to main content" link. The English is hidden and
    our text drawn in its place. Catalogue text only."""
    import json

    from analysis.io.limits import MAX_FILE_MB

    types = "、".join(sorted(s.lstrip(".") for s in SUPPORTED_SUFFIXES)) if lang == "zh" else ", ".join(
        sorted(s.lstrip(".") for s in SUPPORTED_SUFFIXES))
    drop = json.dumps(t("uploader_limit", lang, mb=MAX_FILE_MB, types=types), ensure_ascii=False)
    button = json.dumps(t("uploader_button", lang), ensure_ascii=False)
    skip = json.dumps(t("skip_to_content", lang), ensure_ascii=False)
    return f"""<style>
[data-testid="stSkipToContent"] {{ font-size: 0; }}
[data-testid="stSkipToContent"]::after {{ content: {skip}; font-size: 1rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div > span {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{ content: {drop}; font-size: 0.8rem; opacity: 0.75; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after {{ content: {button}; }}
</style>"""


# Streamlit's own tooltips, labels and screen-reader texts that stay English whatever the
# app's language: translated in the page by a small static script (an attribute, or the text
# of a tooltip or of the date picker's calendar, equal to one of these strings gets ours).
# Catalogue keys, no user data.
STREAMLIT_TEXTS = {
    "Fullscreen": "st_fullscreen",
    "Toggle fullscreen": "st_fullscreen",
    "Close fullscreen": "st_close_fullscreen",
    "Download as CSV": "st_download_csv",
    "Search": "st_search",
    "Show/hide columns": "st_columns",
    "Copy to clipboard": "st_copy",
    "App pages": "st_app_pages",
    "Sidebar": "st_sidebar",
    "Collapse sidebar": "st_collapse_sidebar",
    "Expand sidebar": "st_expand_sidebar",
    "Link to heading": "st_heading_link",
    "Open": "st_open",
    "Close": "st_close",
    "Clear all": "st_clear_all",
    "Selected values": "st_selected_values",
    "Choose an option": "st_choose_option",
    "Increment": "st_increment",
    "Decrement": "st_decrement",
    "file upload": "st_file_upload",
    "Choose date": "st_choose_date",
    "Previous month": "st_previous_month",
    "Next month": "st_next_month",
    "Use arrow keys to navigate dates. Enter to select. Escape to close.": "st_calendar_keys",
    "Show password": "st_show_password",
    "Hide password": "st_hide_password",
}
# Texts that carry a label of ours ("Help for 会议日期", "year, 会议日期"): a pattern whose
# group 1 is kept, and the catalogue text with {x} where it goes.
STREAMLIT_PATTERNS = (
    (r"^Help for (.+)$", "st_help_for"),
    (r"^Fullscreen: (.+)$", "st_fullscreen_of"),
    (r"^Close fullscreen: (.+)$", "st_close_fullscreen_of"),
    (r"^Remove (.+)$", "st_remove"),
    (r"^year, (.+)$", "st_year_of"),
    (r"^month, (.+)$", "st_month_of"),
    (r"^day, (.+)$", "st_day_of"),
    (r"^Choose date, (.+)$", "st_choose_date_of"),
    (r"^(\d{1,2}) – (?:January|February|March|April|May|June|July|August|September|October|November|December)$",
     "st_month_value"),
    (r"^(.+) — start$", "st_range_start_of"),  # a range slider's two handles
    (r"^(.+) — end$", "st_range_end_of"),
)


def streamlit_texts_script(lang: str) -> str:
    """The script translating STREAMLIT_TEXTS and STREAMLIT_PATTERNS in attributes, tooltips and
    the calendar (an empty table in English: a page switched back from Chinese keeps Streamlit's own)."""
    import json

    if lang == "en":
        exact: dict[str, str] = {}
        patterns: list[tuple[str, str]] = []
    else:
        exact = {en: t(key, lang) for en, key in STREAMLIT_TEXTS.items()}
        patterns = [(regex, t(key, lang, x="$1")) for regex, key in STREAMLIT_PATTERNS]
    table = json.dumps({"exact": exact, "patterns": patterns}, ensure_ascii=False)
    # "</" never appears in the catalogue's texts; escaped anyway so the JSON cannot end the script.
    return TRANSLATE_SCRIPT.replace("__MAPPING__", table.replace("</", "<\\/"))


TRANSLATE_SCRIPT = """<script>
(() => {
  const table = __MAPPING__;
  window.__stTexts = {exact: table.exact, patterns: table.patterns.map(([re, text]) => [new RegExp(re), text])};
  if (window.__stTextsObserver) { window.__stTextsFix(); return; }
  const attrs = ["aria-label", "data-title", "title", "aria-valuetext", "placeholder"];
  // Texts drawn as text, not attributes: Streamlit's tooltips and the date picker's calendar.
  const textRoots = '[data-testid="stTooltipContent"], [data-testid="stDateInputCalendar"]';
  const translate = (value) => {
    if (value === null) return null;
    const {exact, patterns} = window.__stTexts;
    if (Object.prototype.hasOwnProperty.call(exact, value)) return exact[value];
    for (const [re, text] of patterns) if (re.test(value)) return value.replace(re, text);
    return null;
  };
  const fix = () => {
    for (const a of attrs) {
      const kept = `data-st-en-${a}`;  // Streamlit's English, given back when the page turns English
      if (!window.__stTexts.patterns.length) {
        for (const el of document.querySelectorAll(`[${kept}]`)) {
          el.setAttribute(a, el.getAttribute(kept));
          el.removeAttribute(kept);
        }
        continue;
      }
      for (const el of document.querySelectorAll(`[${a}]`)) {
        const value = el.getAttribute(a);
        const text = translate(value);
        if (text !== null) { el.setAttribute(kept, value); el.setAttribute(a, text); }
      }
    }
    for (const root of document.querySelectorAll(textRoots)) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      let node;
      while ((node = walker.nextNode())) {
        const text = translate(node.nodeValue.trim());
        if (text !== null) node.nodeValue = text;
      }
    }
  };
  window.__stTextsFix = fix;
  fix();
  window.__stTextsObserver = new MutationObserver(fix);
  window.__stTextsObserver.observe(document.body, {subtree: true, childList: true, attributes: true,
                                                   attributeFilter: attrs});
})();
</script>"""


def chart_first(lang: str) -> tuple[DeltaGenerator, DeltaGenerator]:
    """(where the page's main chart goes, where its controls go). On screen the controls come
    first; projecting, the chart takes the first screen and the controls fold away below it."""
    if presenting():
        slot = st.container()
        return slot, st.expander(t("present_settings", lang), icon=":material/tune:")
    controls = st.container()
    return st.container(), controls


def present_nav(page_file: str, lang: str) -> None:
    """Projecting: step through the pages as slides with links or the keyboard (← →,
    PageUp/PageDown; a presenter's clicker sends these)."""
    if not presenting() or page_file not in SLIDES:
        return
    here = SLIDES.index(page_file)
    row = st.container(horizontal=True, key="present_nav", vertical_alignment="center")
    # Links, like the navigation's own: a page change keeps the session (st.switch_page
    # would drop the address bar's state).
    if here > 0:
        row.container(key="present_prev", width="content").page_link(
            SLIDES[here - 1], label=t("present_prev", lang), icon=":material/arrow_back:")
    if here < len(SLIDES) - 1:
        row.container(key="present_next", width="content").page_link(
            SLIDES[here + 1], label=t("present_next", lang), icon=":material/arrow_forward:")
    row.caption(t("present_keys", lang))
    # Static script, no user data: a key press clicks the matching link (not while typing).
    st.html(PRESENT_KEYS_SCRIPT, unsafe_allow_javascript=True)


PRESENT_KEYS_SCRIPT = """<script>
(() => {
  const w = window;
  if (w.__presentKeys) return;
  w.__presentKeys = true;
  w.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
    const next = ["ArrowRight", "PageDown"].includes(event.key);
    const back = ["ArrowLeft", "PageUp"].includes(event.key);
    if (!next && !back) return;
    const link = document.querySelector(`.st-key-present_${next ? "next" : "prev"} a`);
    if (link) { event.preventDefault(); link.click(); }
  });
})();
</script>"""


def lazy_tabs(key: str, names: Sequence[str], lang: str) -> Sequence[Any]:
    """Tabs of which only the open one runs (Streamlit's stateful tabs: switching is a rerun, and each
    tab's ``.open`` says whether to draw it), titled by the catalogue entries ``names``. The open
    tab is kept across a language switch (the widget holds its label, which the switch changes)."""
    labels = [t(name, lang) for name in names]
    held = st.session_state.get(key)
    if held is not None and held not in labels:
        for code in LANGUAGES:
            other = [t(name, code) for name in names]
            if held in other:
                st.session_state[key] = labels[other.index(held)]
                break
    return st.tabs(labels, key=key, on_change="rerun")


def sidebar(plan: Plan) -> None:
    """Data source, language, meeting date, filters, presentation mode. Lives in app.py."""
    lang = state.language()
    with st.sidebar:
        st.radio(
            t("language", lang), options=list(LANGUAGES), key="lang", horizontal=True,
            format_func=lambda code: {"zh": "中文", "en": "English"}[code],
        )
        state.follow_language_switch()
        lang = state.language()
        st.toggle(t("presentation_mode", lang), key="present", help=t("presentation_help", lang))

        st.subheader(t("data_source", lang))
        from dashboard import workspace_ui  # the workspace's plans, or the bundled plan read-only

        workspace_ui.data_source(lang)
        plan = state.current_plan()  # an upload may just have replaced it

        st.subheader(t("filters", lang))
        # The canonical value lives under a plain key (set from the URL, tests or this widget).
        st.session_state[state.MEETING_DATE] = st.date_input(
            t("meeting_date", lang), value=state.meeting_date(plan), key=state.meeting_widget_key(plan),
            help=t("meeting_date_help", lang),
            min_value=links.meeting_bounds(plan)[0],
            max_value=links.meeting_bounds(plan)[1],
        )
        st.number_input(t("due_window", lang), min_value=1, max_value=365, value=DEFAULTS.due_window_days, step=1, key="due_window")
        agencies = plan.agencies["agency"].tolist()
        _prune("f_agency", agencies)
        st.multiselect(t("filter_agency", lang), agencies, key="f_agency", placeholder=t("choose", lang),
                       format_func=lambda a: derive.agency_name(plan, a, lang) if lang == "en" else a)
        present = set(plan.agencies["type"].unique())
        types = [ty for ty in plan.agencies["type"].cat.categories if ty in present]
        _prune("f_type", types)
        st.multiselect(t("filter_type", lang), types, key="f_type", placeholder=t("choose", lang), format_func=lambda ty: type_label(ty, lang))
        themes = plan.themes["theme"].tolist()
        _prune("f_theme", themes)
        st.multiselect(t("filter_theme", lang), themes, key="f_theme", placeholder=t("choose", lang), format_func=lambda th: plan.theme_label(th, lang))
        st.multiselect(t("filter_role", lang), list(derive.ROLES), key="f_role", placeholder=t("choose", lang), format_func=lambda r: role_label(r, lang))
        st.button(t("clear_filters", lang), on_click=_clear_filters, width="stretch")
        st.caption(t("share_link_note", lang))
        _meeting_pack(plan, lang)


def _meeting_pack(plan: Plan, lang: str) -> None:
    """Slides and an offline report of the current view (filters, meeting date, language)."""
    st.subheader(t("meeting_pack", lang))
    view = state.filtered_plan(plan, state.filters())
    if view.tasks.empty:
        st.caption(t("nothing_matches", lang))
        return
    agencies = state.pack_scopes(plan, state.filters())
    agency = st.selectbox(t("pack_scope", lang), [""] + agencies, key="pack_agency",
                          format_func=lambda a: derive.agency_name(view, a, lang) if a else t("pack_whole_plan", lang))
    options = {"meeting_date": state.meeting_date(plan), "lang": lang, "agency": agency or None,
               "window_days": state.due_window()}
    stem = "meeting_pack" + (f"_{agency}" if agency else "")
    from analysis import report  # python-pptx: not on a first page load
    from dashboard import workspace_state

    # A plan of the workspace: the pack has a progress section (its tasks' reports on the meeting date),
    # read from the store on click, like the pack itself (not on every rerun of every page).
    meeting = options["meeting_date"]
    current = workspace_state.chosen()

    def progress() -> pd.DataFrame | None:
        if current is None:
            return None
        from analysis.progress import task_rag

        latest = current.ws.latest_reports(current.plan_id, as_of=meeting)
        return task_rag(view.tasks, latest, meeting, current.ws.rag_rule(current.plan_id))

    # Built only on click: a deck renders its charts in Chromium (several seconds).
    st.download_button(
        t("download_pptx", lang), lambda: report.build_pptx(view, progress=progress(), **options),
        file_name=f"{stem}.pptx", mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        key="pack_pptx", on_click="ignore", icon=":material/slideshow:", width="stretch",
    )
    st.download_button(
        t("download_html", lang), lambda: report.build_html(view, progress=progress(), **options),
        file_name=f"{stem}.html", mime="text/html", key="pack_html", on_click="ignore",
        icon=":material/description:", width="stretch",
    )


def _prune(key: str, allowed: list[str]) -> None:
    """Drop selections that the current plan does not have (after switching plans)."""
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in allowed]


def _clear_filters() -> None:
    for key in state.URL_LIST_KEYS.values():
        st.session_state[key] = []


def _import_progress(name: str, lang: str) -> Callable[[float, float], None]:
    """A progress bar for a file being read in the worker: time used against the time limit."""
    bar = None

    def show(elapsed: float, limit: float) -> None:
        nonlocal bar
        if elapsed < 0.5:  # a small file is read before a bar would be worth drawing
            return
        text = t("importing_progress", lang, file=md_escape(name), seconds=f"{elapsed:.0f}", limit=f"{limit:.0f}")
        if bar is None:
            bar = st.progress(0.0, text=text)
        bar.progress(min(elapsed / limit, 1.0), text=text)

    return show


def upload_limits_text(lang: str) -> str:
    """The upload limits in words, from the limits the reader enforces."""
    from analysis.io.limits import MAX_FILE_BYTES, MAX_FILE_MB, MAX_TASKS

    return t("upload_limits", lang, mb=MAX_FILE_MB, size=f"{MAX_FILE_BYTES:,}", tasks=f"{MAX_TASKS:,}")


def _data_source(lang: str) -> None:
    import logging

    from analysis.findings import import_error
    from dashboard import mapping

    # Streamlit refuses files above server.maxUploadSize (.streamlit/config.toml) with an
    # English message of its own: the help text states the limits in the user's language.
    limits = upload_limits_text(lang)
    uploaded = st.file_uploader(
        t("upload_plan", lang), type=sorted(s.lstrip(".") for s in SUPPORTED_SUFFIXES),
        help=t("upload_help", lang) + " " + limits, key="upload",
    )
    if uploaded is not None:
        marker = (uploaded.name, uploaded.size, uploaded.file_id)
        if st.session_state.get(state.UPLOAD_MARKER) != marker:
            st.session_state[state.UPLOAD_MARKER] = marker
            # Any rerun while the file is read (another click) cancels the import: say so
            # unless the import ends first and replaces this with its own outcome.
            st.session_state[state.IMPORT_ERROR] = import_error(
                "cancelled", t("import_cancelled", "zh"), t("import_cancelled", "en"), file=uploaded.name)
            try:
                error = state.import_upload(
                    uploaded.getvalue(), uploaded.name, on_wait=_import_progress(uploaded.name, lang))
            except Exception as exc:  # noqa: BLE001 - last line of defence: a bug must not cost the plan on screen
                logging.getLogger(__name__).exception("unexpected error importing %r", uploaded.name)
                error = import_error(
                    "unexpected", t("upload_unexpected", "zh", error=type(exc).__name__),
                    t("upload_unexpected", "en", error=type(exc).__name__), file=uploaded.name,
                )
            st.session_state[state.IMPORT_ERROR] = error
        error = st.session_state.get(state.IMPORT_ERROR)
        if isinstance(error, PlanImportError):
            st.error(t("upload_failed", lang) + " " + md_escape(error.message(lang)), icon=":material/error:")
        mapping.column_step(uploaded, lang)  # the columns as read, each role changeable (issue 13)
    mapping.paste_box(lang)  # a table pasted as text (issue 13)
    # Removing the file from the uploader keeps the plan on screen (replacing a file passes
    # through an empty uploader); going back to the bundled plan is an explicit choice.
    name = st.session_state.get(state.PLAN_NAME)
    st.caption(t("upload_ok", lang, file=md_escape(name)) if name else t("bundled_plan", lang))
    from dashboard import workspace_ui

    workspace_ui.session_only_notice(lang)  # why a mapped or pasted table was not saved
    if name:
        st.button(t("use_bundled", lang), on_click=state.use_bundled_plan, icon=":material/restart_alt:")


def import_report(plan: Plan, lang: str) -> None:
    """The validation report of the current plan, in an expander."""
    # Warnings drawn one by one; beyond these, all are in a table (a file with thousands of
    # problems must not draw thousands of alert boxes on every rerun).
    shown = 30
    every = plan.report.warnings
    # Agencies missing from the registry: one line naming them (the finding's own text names
    # the registry's file, which means nothing to an official), not a box per agency.
    warnings = [f for f in every if f.code != "unknown_agency"]
    unregistered = [f for f in every if f.code == "unknown_agency"]
    label = t("import_report", lang) + (f" · {t('warnings_count', lang, n=len(every))}" if every else "")
    with st.expander(label, expanded=False, icon=":material/fact_check:"):
        if not every and not plan.report.rules:
            st.write(t("no_findings", lang))
        if unregistered:
            table_ = plan.agencies
            unknown = ~table_["registered"].astype(bool) & (table_["type"].astype(str) != AgencyType.COLLECTIVE)
            missing = table_.loc[unknown, "agency"].astype(str).tolist()
            # each named with the row of its first task, as the finding itself is
            first_task = plan.assignments.drop_duplicates("agency").set_index("agency")["task_id"]
            task_row = dict(zip(plan.tasks["task_id"], plan.tasks["source_row"], strict=True))

            def where(agency: str) -> str:
                row = task_row.get(first_task.get(agency))
                if row is None:
                    return agency
                return f"{agency}（第{int(row)}行）" if lang == "zh" else f"{agency} (row {int(row)})"

            names = ("、" if lang == "zh" else "; ").join(where(a) for a in missing[:40]) + (
                "…" if len(missing) > 40 else "")
            st.warning(md_escape(t("unregistered_agencies", lang, n=len(unregistered), names=names)),
                       icon=":material/warning:")
        for finding in warnings[:shown]:
            st.warning(md_escape(finding.message(lang)), icon=":material/warning:")
        # Beyond what was drawn, every finding (each unregistered agency too) is in one table.
        drawn = min(len(warnings), shown) + min(len(unregistered), 40)
        if len(every) > drawn:
            st.caption(t("warnings_more", lang, n=len(every) - drawn))
            frame = pd.DataFrame({
                t("col_finding_row", lang): [f.row for f in every],
                t("col_finding_field", lang): [f.field for f in every],
                t("col_finding_message", lang): [f.message_zh if lang == "zh" else f.message_en for f in every],
            })
            table(frame, key="import_warnings", file_stem="import_warnings", lang=lang, height=300)
        if plan.report.rules:
            st.caption(t("rules_applied", lang))
            for zh, en in plan.report.rules:
                st.info(md_escape(en if lang == "en" else zh), icon=":material/rule:")


def chart(fig: go.Figure, key: str, **kwargs: object) -> object:
    """A plotly chart whose camera button exports a 1920 × 1080 PNG for slides."""
    # theme=None: the figure looks exactly as designed, as in the slides and the report.
    return st.plotly_chart(fig, key=key, config=plotly_config(state.language()), width="stretch", theme=None,
                           **kwargs)


def table(frame: pd.DataFrame, key: str, file_stem: str, lang: str, *, height: int | None = None,
          column_config: dict | None = None, rows: slice | None = None, wrap: bool = False,
          full_text: bool = False) -> None:
    """A table with CSV and Excel downloads (formula injection neutralised in both).

    `rows` shows one page of a long table; the downloads always hold every row. `wrap`
    gives the grid's rows room for three lines of long text. `full_text` draws the page as a
    plain table instead, every cell wrapped to its whole text: the grid (a canvas) gives every
    row one height, so a longer text is cut whatever its height, and it leaves some columns
    unwrapped. An empty table says so in words; projecting, a short table is drawn in
    projection size."""
    shown = frame.iloc[rows] if rows is not None else frame
    if shown.empty:
        st.caption(t("table_empty", lang))
        return
    if full_text or (presenting() and len(shown) <= PRESENT_TABLE_ROWS):
        with st.container(key=f"{key}_full"):
            st.table(inert_table(shown), hide_index=True)
    else:
        kwargs: dict[str, object] = {"height": height} if height else {}
        if wrap:
            kwargs["row_height"] = 78  # above 4 rem Streamlit wraps text in the cells
        st.dataframe(shown, hide_index=True, width="stretch", column_config=column_config, placeholder="",
                     **kwargs)
    row = st.container(horizontal=True)
    # Files are built only when a button is clicked: large tables would slow every rerun.
    row.download_button(
        t("download_csv", lang), lambda: to_csv_bytes(frame), file_name=f"{file_stem}.csv", mime="text/csv",
        key=f"{key}_csv", on_click="ignore", icon=":material/download:",
    )
    row.download_button(
        t("download_xlsx", lang), lambda: to_xlsx_bytes(frame, sheet=file_stem), file_name=f"{file_stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx", on_click="ignore", icon=":material/download:",
    )


def inert_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as st.table draws it: text, blanks for missing values, and every cell and
    header escaped (st.table reads Markdown in cells: a name such as **x** or [a](url) stays text)."""
    text = frame.astype(str).replace({"nan": "", "None": "", "NaT": "", "<NA>": ""})
    text = text.map(md_escape)
    text.columns = [md_escape(str(c)) for c in text.columns]
    return text


def page_header(plan: Plan, page_key: str, lang: str) -> None:
    _require_app_frame()
    st.title(t(page_key, lang))
    st.caption(
        md_escape(plan.meta.display_title(lang)) + " · "
        + t("plan_period", lang, start=plan.meta.period_start.isoformat(), end=plan.meta.period_end.isoformat())
    )


def task_card(detail: dict[str, str], lang: str) -> None:
    """A bordered card with one task's fields; every value escaped."""
    with st.container(border=True, key="task_card"):
        for label, value in detail.items():
            st.markdown(f"**{md_escape(label)}**：{md_escape(value)}" if lang == "zh"
                        else f"**{md_escape(label)}**: {md_escape(value)}")


def md_escape(text: str) -> str:
    """User text made inert for st.markdown (no emphasis, links or HTML from names)."""
    escaped = "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~$" else ch for ch in text)
    # :smile: and :material/home: are read as emoji and icons even when escaped; an invisible
    # zero-width space after each colon keeps them text.
    return escaped.replace(":", ":\u200b")


def page_slice(total: int, key: str, lang: str, *, page_size: int) -> slice:
    """Rows to draw of a long list: all when short, else one page chosen by a page number."""
    if total <= page_size:
        return slice(0, total)
    pages = -(-total // page_size)
    number = st.number_input(t("page_number", lang) + f" (1–{pages})", 1, pages, 1, key=key)
    start = (int(number) - 1) * page_size
    stop = min(start + page_size, total)
    st.caption(t("rows_shown", lang, shown=f"{start + 1}–{stop}", total=total))
    return slice(start, stop)


def top_count(total: int, key: str, lang: str, *, default: int) -> int:
    """How many agencies a chart shows: all when few, else a chosen top N with a notice."""
    if total <= default:
        return total
    n = st.slider(t("agencies_shown", lang), 5, total, default, key=key)
    if n < total:
        st.caption(t("agencies_hidden", lang, shown=n, total=total))
    return n


_FRAME = threading.local()  # .on: app.py is running the page in this script thread right now


def run_framed(page: Callable[[], None]) -> None:
    """app.py runs the chosen page through this: the page then knows app.py frames it."""
    _FRAME.on = True
    try:
        page()
    finally:
        _FRAME.on = False


def _require_app_frame() -> None:
    """Make sure app.py (navigation, sidebar) frames the page.

    Because the screens live in pages/, Streamlit starts in its legacy multipage mode and
    runs a deep link such as /tasks as a script of its own, without app.py, until some
    session has run app.py's st.navigation. Switch that mode off and rerun through app.py.
    Asked of this run, not of the mode: sessions that open together on a fresh server all
    start in the legacy mode, and only the first to get here switches it off (the others,
    finding it off, were shown their page without the sidebar and its filters: issue 19's
    kill test, 5 of 6 reconnected sessions). Once per session: a page run with no app.py at
    all is shown as it is rather than rerun for ever.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if getattr(_FRAME, "on", False):
        return
    PagesManager.uses_pages_directory = False
    if not st.session_state.get(state.FRAME_RERUN):
        st.session_state[state.FRAME_RERUN] = True
        st.rerun()


def filter_notice(view: Plan, plan: Plan, lang: str) -> bool:
    """Say how many tasks the filters leave; False when none are left."""
    if len(view.tasks) != len(plan.tasks):
        st.info(t("filters_active", lang, n=len(view.tasks), total=len(plan.tasks)), icon=":material/filter_alt:")
    if view.tasks.empty:
        st.warning(t("nothing_matches", lang))
        return False
    return True
