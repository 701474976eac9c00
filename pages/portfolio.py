"""跨计划 Portfolio: every plan of the workspace at once — overview and load per agency, one agency
across plans, two plans side by side, the network across plans. Logic in analysis.portfolio."""

from __future__ import annotations

import dashboard.boot  # noqa: F401  # isort: skip  (first: the heavy imports, one thread at a time)
import datetime as dt
import re

import streamlit as st

from analysis import portfolio_figures
from analysis.agencies import registry_applies
from analysis.i18n import t
from analysis.portfolio import AgencyKey, Scope, resolve_query, tables
from analysis.report.agency_pack import build_agency_pack
from analysis.store import WorkspaceError
from analysis.store.portfolio import AgencyLinks
from analysis.vocab import AGENCY_TYPES, DEFAULTS, AgencyType, Rag
from dashboard import state, ui, workspace_ui
from dashboard import workspace_state as wss

TABS = ("overview", "agency", "compare", "network")
TOP = 20

lang, scale = state.language(), state.chart_scale()
ui._require_app_frame()
st.title(t("page_portfolio", lang))
pf = state.portfolio_state()
if pf is None:
    st.info(t("pf_no_workspace", lang))
    st.stop()
portfolio = pf.portfolio()

reference = st.date_input(t("pf_reference", lang), value=dt.date.today(), key="pf_date")
st.caption(t("pf_caption", lang, plans=len(portfolio.plans), tasks=len(portfolio.tasks), date=reference.isoformat()))


# "All regions" is an option with a value: a None choice is not sent again after a language switch
# (dashboard/state.py, follow_language_switch). No region is written "*" ("" is the unknown one).
ALL_REGIONS = "*"


def region_name(region: str) -> str:
    return t("pf_all_regions", lang) if region == ALL_REGIONS else tables.region_text(region, lang)


def key_name(text: str) -> str:
    key = AgencyKey.from_text(text)
    return f"{key.name}（{tables.region_text(key.region, lang)}）"


# Writes run in button callbacks: before the script, so a rerun of the page never loses a click.
def _link(links: AgencyLinks) -> None:
    ss = st.session_state
    actor = wss.actor()  # the signed-in account; the store checks its rights and audits the link
    region, name = ss["pf_link_name"]
    if not actor:
        ss["pf_link_message"] = ("error", t("auth_sign_in_to_write", lang))
        return
    try:
        made = links.link(region, name, ss["pf_link_target"], actor=actor)
    except WorkspaceError as exc:
        ss["pf_link_message"] = ("error", exc.message(lang))
        return
    pf.changed()
    ss["pf_link_message"] = ("ok", t("pf_link_done", lang, name=ui.md_escape(name), agency=ui.md_escape(made.agency)))


def _unlink(links: AgencyLinks, region: str, name: str) -> None:
    ss = st.session_state
    actor = wss.actor()
    if not actor:
        ss["pf_link_message"] = ("error", t("auth_sign_in_to_write", lang))
        return
    try:
        links.unlink(region, name, actor=actor)
    except WorkspaceError as exc:
        ss["pf_link_message"] = ("error", exc.message(lang))
        return
    pf.changed()
    ss["pf_link_message"] = ("ok", t("pf_unlink_done", lang, name=ui.md_escape(name)))


# ---- the agency a link asked for (/portfolio?agency=省经信厅&region=浙江省)
pending = st.session_state.pop(state.PF_PENDING, None)
if pending and pending != st.session_state.get(state.PF_WRITTEN):
    name, region = pending
    found = resolve_query(name, portfolio.keys(), region) or resolve_query(name, portfolio.keys())
    if found:
        st.session_state["pf_agency"] = found[0].as_text()
        st.session_state["pf_default_tab"] = "agency"
        if len(found) > 1:
            st.info(t("pf_agency_ambiguous", lang, name=ui.md_escape(name),
                      regions="、".join(tables.region_text(k.region, lang) for k in found)))
    else:
        st.warning(t("pf_agency_missing", lang, name=ui.md_escape(name)))

# ---- scope: region, plans, period, themes
c1, c2, c3, c4 = st.columns([1, 2, 1, 2])
region_choice = c1.selectbox(t("pf_region", lang), [ALL_REGIONS, *portfolio.regions], key="pf_region",
                             format_func=region_name)
region = None if region_choice == ALL_REGIONS else region_choice
in_region = portfolio.plans if region is None else portfolio.plans.loc[portfolio.plans["region"] == region]
titles = dict(zip(in_region["plan_id"].astype(int), in_region["title"].astype(str), strict=True))
chosen_plans = c2.multiselect(t("pf_plans", lang), list(titles), key="pf_plans", placeholder=t("choose", lang),
                              format_func=lambda p: f"{p} · {titles.get(p, p)}")
years = sorted({d.year for d in in_region["period_start"]} | {d.year for d in in_region["period_end"]}) or [reference.year]
period = None
if len(years) > 1:
    low, high = c3.slider(t("pf_years", lang), years[0], years[-1], (years[0], years[-1]), key="pf_years")
    if (low, high) != (years[0], years[-1]):
        period = (dt.date(low, 1, 1), dt.date(high, 12, 31))
theme_options = sorted({th for p in (chosen_plans or titles) for th in portfolio.themes.get(int(p), ())})
chosen_themes = c4.multiselect(t("pf_themes", lang), theme_options, key="pf_themes", placeholder=t("choose", lang))
scope = Scope(region=region, plan_ids=tuple(chosen_plans) or None, period=period, themes=tuple(chosen_themes) or None)
collective = st.toggle(t("pf_include_collective", lang), value=False, key="pf_collective")
types = None if collective else tuple(ty for ty in AGENCY_TYPES if ty != AgencyType.COLLECTIVE)

default_tab = st.session_state.setdefault("pf_default_tab", "overview")
names = [t(f"pf_tab_{tab}", lang) for tab in TABS]
overview_tab, agency_tab, compare_tab, network_tab = st.tabs(names, default=names[TABS.index(default_tab)])

# ---- overview
with overview_tab:
    overview = pf.overview(scope, reference)
    load = pf.load(scope, DEFAULTS.lead_weight, types)
    tasks = int(overview["tasks"].sum())
    m = st.columns(5)
    m[0].metric(t("pf_metric_plans", lang), len(overview))
    m[1].metric(t("pf_metric_tasks", lang), tasks)
    m[2].metric(t("pf_metric_agencies", lang), len(load), help=t(
        "pf_agencies_help", lang,
        collective=t("pf_agencies_with_collective" if collective else "pf_agencies_without_collective", lang)))
    m[3].metric(t("pf_metric_late", lang), f"{overview['late'].sum() / tasks:.0%}" if tasks else "–",
                help=t("pf_late_help", lang))
    m[4].metric(t("pf_metric_done", lang), f"{overview['done'].sum() / tasks:.0%}" if tasks else "–")
    st.subheader(t("pf_plans_table", lang))
    ui.table(tables.plans_table(overview, lang), key="pf_plans_table", file_stem="portfolio_plans", lang=lang)
    st.subheader(t("pf_load_table", lang))
    if len(load):
        ui.chart(portfolio_figures.load_figure(load, lang, top=TOP, scale=scale), key="pf_load_chart")
    ui.table(tables.load_table(load, lang), key="pf_load", file_stem="portfolio_load", lang=lang)

# ---- one agency across plans
with agency_tab:
    ranked = pf.load(Scope(), DEFAULTS.lead_weight, None)["key"].tolist()
    if st.session_state.get("pf_agency") not in ranked:
        st.session_state["pf_agency"] = ranked[0] if ranked else None
    chosen = st.selectbox(t("pf_agency", lang), ranked, key="pf_agency", format_func=key_name)
    if chosen:
        key = AgencyKey.from_text(chosen)
        written = (key.name, key.region or None)
        if st.session_state.get(state.PF_WRITTEN) != written:
            st.session_state[state.PF_WRITTEN] = written
        st.query_params[state.PF_AGENCY_PARAM] = key.name
        st.query_params[state.PF_REGION_PARAM] = key.region
        view = pf.agency(key, reference)
        st.subheader(t("pf_agency_title", lang, agency=ui.md_escape(key.name),
                       region=ui.md_escape(tables.region_text(key.region, lang))))
        st.caption(ui.md_escape(t("pf_written_as", lang, names="、".join(view.names))))
        m = st.columns(4)
        m[0].metric(t("pf_metric_lead", lang), view.lead)
        m[1].metric(t("pf_metric_support", lang), view.support)
        m[2].metric(t("pf_metric_in_plans", lang), len(view.plans))
        m[3].metric(t("pf_metric_warnings", lang), len(view.warnings),
                    delta=f"{(view.warnings['rag'] == Rag.RED.value).sum()} " + t("rag_red", lang)
                    if len(view.warnings) else None, delta_color="inverse")
        # The agency's meeting pack across plans, built only on click.
        pack_row = st.columns([2, 1, 1], vertical_alignment="center")
        pack_row[0].markdown("**" + t("pfp_pack", lang) + "**")
        stem = "agency_pack_" + re.sub(r"[\\/:*?\"<>|\s]+", "_", key.name) + "_" + view.reference.isoformat()
        pack_row[1].download_button(
            t("download_pptx", lang), lambda: build_agency_pack(view, ".pptx", lang=lang), file_name=f"{stem}.pptx",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation", key="pf_pack_pptx",
            on_click="ignore", icon=":material/slideshow:", width="stretch",
        )
        pack_row[2].download_button(
            t("download_html", lang), lambda: build_agency_pack(view, ".html", lang=lang), file_name=f"{stem}.html",
            mime="text/html", key="pf_pack_html", on_click="ignore", icon=":material/description:", width="stretch",
        )
        st.markdown("**" + t("pf_per_plan", lang) + "**")
        ui.table(tables.per_plan_table(view.plans, lang), key="pf_agency_plans", file_stem="agency_plans", lang=lang)
        st.markdown("**" + t("pf_due", lang, start=view.reference.isoformat(), end=view.due_until.isoformat()) + "**")
        ui.table(tables.tasks_table(view.due, lang), key="pf_agency_due", file_stem="agency_due", lang=lang, wrap=True)
        st.markdown("**" + t("pf_warnings", lang) + "**")
        ui.table(tables.tasks_table(view.warnings, lang), key="pf_agency_warnings", file_stem="agency_warnings",
                 lang=lang, wrap=True)
        st.markdown("**" + t("pf_partners", lang) + "**")
        ui.table(tables.partners_table(view.partners, lang), key="pf_agency_partners", file_stem="agency_partners",
                 lang=lang)

    with st.expander(t("pf_links", lang), icon=":material/link:"):
        st.caption(t("pf_links_help", lang))
        links = AgencyLinks(pf.ws, state.registry())
        if message := st.session_state.pop("pf_link_message", None):
            (st.success if message[0] == "ok" else st.error)(message[1])
        rows = portfolio.assignments
        unmatched = rows.loc[~rows["registered"] & (rows["type"] != AgencyType.COLLECTIVE)
                             & rows["key_region"].map(registry_applies)]
        candidates = sorted(set(zip(unmatched["key_region"], unmatched["agency"], strict=True)))
        workspace_ui.actor_input(lang, key="pf_actor")
        if candidates:
            l1, l2 = st.columns(2)
            l1.selectbox(t("pf_link_name", lang), candidates, key="pf_link_name",
                         format_func=lambda c: f"{c[1]}（{tables.region_text(c[0], lang)}）")
            l2.selectbox(t("pf_link_target", lang), list(state.registry().labels), key="pf_link_target")
            st.button(t("pf_link_button", lang), key="pf_link", icon=":material/link:", on_click=_link, args=(links,))
        else:
            st.caption(t("pf_link_none", lang))
        existing = links.list()
        if existing:
            st.markdown("**" + t("pf_links_existing", lang) + "**")
            for link in existing:
                row = st.columns([4, 1])
                row[0].write(ui.md_escape(f"{link.name} → {link.agency}（{tables.region_text(link.region, lang)}） · "
                                          f"{link.created_by}"))
                row[1].button(t("pf_unlink_button", lang), key=f"pf_unlink_{link.link_id}", on_click=_unlink,
                              args=(links, link.region, link.name))

# ---- two plans side by side
with compare_tab:
    all_titles = dict(zip(portfolio.plans["plan_id"].astype(int), portfolio.plans["title"].astype(str), strict=True))
    ids = list(all_titles)
    if len(ids) < 2:
        st.info(t("pf_compare_need_two", lang))
    else:
        k1, k2 = st.columns(2)
        a = k1.selectbox(t("pf_compare_a", lang), ids, index=0, key="pf_compare_a",
                         format_func=lambda p: f"{p} · {all_titles[p]}")
        b = k2.selectbox(t("pf_compare_b", lang), ids, index=1, key="pf_compare_b",
                         format_func=lambda p: f"{p} · {all_titles[p]}")
        if a == b:
            st.info(t("pf_compare_need_two", lang))
        else:
            table = pf.compare(a, b)
            ui.table(tables.comparison_table(table, all_titles[a], all_titles[b], lang), key="pf_compare",
                     file_stem="plan_comparison", lang=lang, wrap=True)

# ---- the network across plans
with network_tab:
    graph, metrics, _ = pf.network(scope, types)
    st.caption(t("pf_network_caption", lang, nodes=graph.number_of_nodes(), edges=graph.number_of_edges()))
    if len(metrics):
        ui.chart(portfolio_figures.centrality_figure(metrics, lang, top=TOP, scale=scale), key="pf_network_chart")
    ui.table(tables.centrality_table(metrics, lang), key="pf_centrality", file_stem="portfolio_centrality", lang=lang)
