"""协作网络 Network: which agencies must work together, who is central, who bridges."""

import dashboard.boot  # noqa: F401  # isort: skip  (first: the heavy imports, one thread at a time)
from dataclasses import replace

import streamlit as st

from analysis import derive, figures, network
from analysis.i18n import t, type_label
from dashboard import state, ui

EGO_MAX_PARTNERS = 40  # a hub's full ego network is most of a national graph: unreadable

plan = state.current_plan()
lang, scale = state.language(), state.chart_scale()
view = state.filtered_plan(plan, state.filters())

ui.page_header(plan, "page_network", lang)
if ui.filter_notice(view, plan, lang):
    chart_slot, controls = ui.chart_first(lang)
    c1, c2, c3 = controls.columns(3)
    color_by = c1.radio(t("color_by", lang), ["type", "community"], horizontal=True, key="nw_color",
                        format_func=lambda c: t(f"color_{c}", lang))
    include_collective = c2.toggle(t("include_collective", lang), value=False, key="nw_collective",
                                   help=t("include_collective_help", lang))
    with st.spinner(t("computing_network", lang)):  # shown after half a second (large plans, first visit)
        net = state.network_view(plan, state.filters(), include_collective=include_collective)
    with controls:
        top_n = ui.top_count(len(net.graph), "nw_top_n", lang, default=150)  # drawn below the three columns
    # A dense plan starts at the weight that leaves a readable number of ties (one default per
    # plan and view: the key carries them, so a new plan starts from its own default).
    with st.spinner(t("computing_network", lang)):
        top_graph, _, _ = state.shown_network(plan, state.filters(), include_collective=include_collective,
                                              min_weight=1, top_n=top_n)
    max_weight = max((w for _, _, w in net.graph.edges(data="weight")), default=1)
    legible = network.legible_min_weight(top_graph)
    min_weight = c3.slider(t("min_weight", lang), 1, max(max_weight, 2), legible,
                           key=f"nw_min_weight_{plan.content_hash[:12]}_{include_collective}_{top_n}")
    if legible > 1:
        c3.caption(t("min_weight_default_note", lang, w=legible, n=network.LEGIBLE_EDGES))

    shown, hidden, positions = state.shown_network(plan, state.filters(), include_collective=include_collective,
                                                   min_weight=min_weight, top_n=top_n)
    if hidden["nodes_hidden"] or hidden["edges_hidden"]:
        controls.info(t("hidden_notice", lang, nodes=hidden["nodes_hidden"], edges=hidden["edges_hidden"]),
                icon=":material/visibility_off:")
    communities = dict(zip(net.metrics["agency"], net.metrics["community"], strict=True))

    def _pick_from_chart() -> None:
        points = st.session_state["nw_chart"].selection.get("points", [])
        picked = [p["customdata"][0] for p in points if p.get("customdata")]
        if picked:
            st.session_state["nw_agency"] = picked[0]

    # The agency of the panel below, chosen before the chart is drawn: the first paint shows
    # its ring as every rerun does (the panel's chooser defaults to the first agency).
    agencies = net.metrics["agency"].tolist()
    if st.session_state.get("nw_agency") not in agencies:
        st.session_state["nw_agency"] = agencies[0] if agencies else None
    selected = st.session_state.get("nw_agency")
    if ui.presenting():
        size = {"height": round(ui.PRESENT_HEIGHT / scale), "width_hint": ui.PRESENT_WIDTH}
    else:
        size = {"width_hint": 1100}  # the narrowest main area expected (1600 px window, sidebar open)
    # Built once per input (state.memo): the view, its drawn part, the colouring, the ringed agency, the size.
    fig = state.memo("nw_chart", (plan.content_hash, state.filters(), lang, scale, include_collective, top_n, min_weight,
                                  color_by, selected, tuple(sorted(size.items()))),
                     lambda: figures.network_figure(view, shown, positions, lang, color_by=color_by,
                                                    communities=communities, highlight=selected, scale=scale, **size))
    with chart_slot:
        ui.chart(fig, key="nw_chart", on_select=_pick_from_chart, selection_mode="points")
    meta = fig.layout.meta or {}
    st.caption(t("network_labels_note", lang, shown=meta.get("labels_shown", 0), total=meta.get("labels_total", 0))
               + " " + t("click_node_hint", lang) + " " + t("download_png_note", lang))
    if net.stats.betweenness_sampled:
        st.caption(t("sampled_note", lang, k=net.stats.betweenness_k))

    # The agency panel: metrics, partners, shared tasks, ego network.
    agency = st.selectbox(t("filter_agency", lang), agencies, key="nw_agency",
                          format_func=lambda a: derive.agency_name(view, a, lang))
    if agency:
        name = derive.agency_name(view, agency, lang)
        short_name = view.agency_names(lang, short=True).get(agency, agency)
        with st.container(border=True, key="agency_panel"):
            st.subheader(t("agency_panel", lang, agency=ui.md_escape(name)))
            # The same agency in every plan of the workspace (branch cross, issue 17).
            current = state.chosen()
            region = (current.info.region if current is not None else "") or plan.meta.region
            st.page_link("pages/portfolio.py", label=t("pf_open_agency", lang), icon=":material/travel_explore:",
                         query_params={"agency": agency, **({"region": region} if region else {})})
            row = net.metrics.set_index("agency").loc[agency]
            st.caption(type_label(str(row["type"]), lang))
            m = st.columns(6)
            for col, metric in zip(m, ["lead", "support", "degree", "betweenness", "eigenvector", "core"]):
                explanation = network.METRIC_EXPLANATIONS[metric]
                value = row[metric]
                col.metric(explanation[f"name_{lang}"], f"{value:.3f}" if isinstance(value, float) else int(value),
                           help=explanation[lang])
            left, right = st.columns([1, 1])
            with left:
                st.markdown("**" + t("partners", lang) + "**")
                partners = network.partners(net.graph, agency)
                ui.table(derive.partners_table(partners, lang, plan=view), key="partners", file_stem="partners",
                         lang=lang, wrap=True)
                if len(partners):
                    names = view.agency_names(lang, short=True)
                    partner = st.selectbox(t("col_partner", lang), partners["partner"].tolist(),
                                           key="nw_partner", format_func=lambda a: names.get(a, a))
                    ids = partners.set_index("partner").loc[partner, "tasks"]
                    shared = view.tasks.loc[view.tasks["task_id"].isin([str(i) for i in ids])]
                    st.markdown("**" + ui.md_escape(t("shared_tasks_of", lang, partner=names.get(partner, partner))) + "**")
                    ui.table(derive.task_table(replace(view, tasks=shared), lang), key="shared_tasks",
                             file_stem="shared_tasks", lang=lang, wrap=True)
            with right:
                ego, ego_positions = state.ego_view(plan, state.filters(), agency, include_collective=include_collective,
                                                    max_partners=EGO_MAX_PARTNERS)
                ego_key = (plan.content_hash, state.filters(), lang, scale, include_collective, color_by, agency)
                ui.chart(state.memo("nw_ego", ego_key, lambda: figures.network_figure(
                    view, ego, ego_positions, lang, color_by=color_by, communities=communities, highlight=agency,
                    scale=scale, title=t("ego_title", lang, agency=short_name), height=520, width_hint=520,
                    legend_below=True)), key="nw_ego")
                if len(partners) > EGO_MAX_PARTNERS:
                    st.caption(t("ego_capped", lang, shown=EGO_MAX_PARTNERS, total=len(partners)))

    st.subheader(t("metrics_table", lang))
    ui.table(derive.metrics_table(net.metrics, network.METRIC_EXPLANATIONS, lang, plan=view), key="metrics", file_stem="network_metrics", lang=lang)
    st.subheader(t("network_stats", lang))
    stats = derive.stats_table(net.stats.to_dict(), network.METRIC_EXPLANATIONS, lang)
    ui.table(stats, key="stats", file_stem="network_stats", lang=lang)
    with st.expander(t("what_metrics_mean", lang), icon=":material/help:"):
        for explanation in network.METRIC_EXPLANATIONS.values():
            st.markdown(f"**{explanation[f'name_{lang}']}** — {explanation[lang]}")
