"""Figures: what the charts draw, read back from the plotly figure."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import replace

import networkx as nx
import pytest

from analysis import derive, figures, network
from analysis.i18n import t
from analysis.model import load_bundled_plan


@pytest.fixture(scope="module")
def plan():
    return load_bundled_plan()


def _line_traces(fig):
    return [tr for tr in fig.data if tr.mode == "lines"]


def _edges_drawn(trace) -> set[frozenset]:
    xs, ys = list(trace["x"]), list(trace["y"])  # a figure's trace or a trace's dict
    assert len(xs) % 3 == 0 and all(v is None for v in xs[2::3])
    return {frozenset({(xs[i], ys[i]), (xs[i + 1], ys[i + 1])}) for i in range(0, len(xs), 3)}


def test_each_edge_weight_gets_its_own_width_on_a_small_plan(plan):
    graph = network.co_assignment_graph(plan.assignments, plan.agencies)
    weights = {int(w) for _, _, w in graph.edges(data="weight")}
    assert len(weights) <= figures.EDGE_CLASSES  # the Zhejiang plan: a handful of weights
    fig = figures.network_figure(plan, graph, network.layout(graph))
    lines = _line_traces(fig)
    assert len(lines) == len(weights)
    widths = [tr.line.width for tr in lines]
    assert widths == sorted(widths) and len(set(widths)) == len(widths)


def test_many_weights_are_grouped_into_few_traces_and_every_edge_is_drawn_once():
    graph = nx.Graph()
    for i in range(300):  # a star with weights 1..300, plus a few light ties
        graph.add_edge("hub", f"a{i}", weight=i + 1)
    graph.add_edge("a1", "a2", weight=1)
    positions = {n: (math.cos(k), math.sin(k)) for k, n in enumerate(graph.nodes)}
    traces = figures._edge_trace_specs(graph, positions, 1.0)
    assert len(traces) <= figures.EDGE_CLASSES
    drawn = [edge for tr in traces for edge in _edges_drawn(tr)]
    expected = {frozenset({positions[u], positions[v]}) for u, v in graph.edges}
    assert len(drawn) == graph.number_of_edges() and set(drawn) == expected
    widths = [tr["line"]["width"] for tr in traces]
    assert widths == sorted(widths)
    # the lightest class is drawn thin and the heaviest at the heaviest edge's width
    assert widths[-1] == pytest.approx(0.8 + 1.6 * math.sqrt(300))
    assert widths[0] < 0.8 + 1.6 * math.sqrt(30)


def test_charts_use_a_white_background_and_the_cjk_font(plan):
    fig = figures.tasks_per_theme_figure(plan)
    template = fig.layout.template.layout
    assert template.plot_bgcolor == "white" and template.paper_bgcolor == "white"
    assert "Noto Sans CJK SC" in fig.layout.font.family
    assert fig.data[0].type == "bar"


def test_node_sizes_follow_tasks_and_stay_bounded_on_large_plans(plan):
    graph = network.co_assignment_graph(plan.assignments, plan.agencies)
    fig = figures.network_figure(plan, graph, network.layout(graph))
    nodes = [tr for tr in fig.data if tr.mode == "markers+text"]
    tasks = dict(zip(plan.agencies["agency"], plan.agencies["tasks"]))
    sizes = {c[0]: s for tr in nodes for c, s in zip(tr.customdata, tr.marker.size)}
    assert set(sizes) == set(graph.nodes)
    # the Zhejiang plan keeps the plain scale 10 + 5·√tasks
    assert all(sizes[a] == pytest.approx(10 + 5 * math.sqrt(tasks[a])) for a in sizes)
    # a plan whose busiest agency has 3 000 tasks: the largest node stays about 40 px
    big = plan.agencies.copy()
    big.loc[big["agency"] == "省经信厅", "tasks"] = 3000
    fig = figures.network_figure(replace(plan, agencies=big), graph, network.layout(graph))
    sizes = [s for tr in fig.data if tr.mode == "markers+text" for s in tr.marker.size]
    assert max(sizes) == pytest.approx(38.0)
    assert min(sizes) >= 10


@pytest.mark.parametrize(("meeting", "anchor"), [(dt.date(2020, 9, 15), "left"), (dt.date(2022, 12, 31), "right")])
def test_deadline_distribution_counts_every_task_by_quarter_and_status(plan, meeting, anchor):
    status = derive.due_status(plan, meeting, window_days=30)
    fig = figures.deadline_distribution_figure(plan, status, meeting)
    counted = {tr.name: sum(tr.y) for tr in fig.data}
    expected = status["status"].astype(str).value_counts()
    assert counted == {t(f"status_{s}"): int(n) for s, n in expected.items() if n}
    # bars sit in their deadline's quarter: 2020-08-31 and 2020-09-30 in 2020 Q3
    quarter_of = {str(q): i for i, q in enumerate(fig.data[0].customdata)}
    assert "2020Q3" in quarter_of and "2022Q4" in quarter_of
    (line,) = fig.layout.shapes
    assert str(line.x0).startswith(meeting.isoformat())
    (label,) = fig.layout.annotations
    assert label.xanchor == anchor  # the label stays inside the chart


def test_hatched_ongoing_tasks_keep_their_bar_colour(plan):
    # task 7 (定期更新) runs to the plan end and is hatched: the hatch must lie over the pale
    # fill, not replace it (plotly's default), or its bar is white on white
    status = derive.due_status(plan, dt.date(2020, 9, 15), window_days=30)
    fig = figures.timeline_figure(plan, status, dt.date(2020, 9, 15))
    hatched = [tr for tr in fig.data if tr.type == "bar" and "/" in (tr.marker.pattern.shape or ())]
    assert hatched and any(y.startswith("7 ·") for tr in hatched for y in tr.y)
    template = fig.layout.template.data.bar[0].marker.pattern
    for tr in hatched:
        assert (tr.marker.pattern.fillmode or template.fillmode) == "overlay"
        assert tr.marker.color != "#ffffff"


# ------------------------------------------------------------------- the wall (issue 14)


def _boxes(items, placed, font_px):
    sizes = {node: (x, y, r, text) for node, x, y, r, text in items}
    out = []
    for node, position in placed.items():
        x, y, r, text = sizes[node]
        out.append(figures._label_box(position, x, y, r, figures.text_width(text, font_px) + 4, 1.3 * font_px, 2.0))
    return out


def test_place_labels_never_overlaps_and_stays_inside():
    # a crowded row of nodes: not every name can sit beside its node
    items = [(f"n{i}", 100 + 18 * i, 100 + (i % 3) * 9, 6.0, "省地方金融监管局") for i in range(30)]
    placed = figures.place_labels(items, width=700, height=220, font_px=12)
    boxes = _boxes(items, placed, 12)
    assert 3 <= len(placed) < 30  # some named, the rest left to the hover
    for i, a in enumerate(boxes):
        assert 0 <= a[0] and a[2] <= 700 and 0 <= a[1] and a[3] <= 220
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
    # the first (most important) node is always named when there is room
    assert "n0" in placed


def test_place_labels_moves_a_label_off_a_neighbouring_node():
    items = [("a", 200, 100, 8.0, "省建设厅"), ("b", 200, 70, 8.0, "省自然资源厅")]
    placed = figures.place_labels(items, width=500, height=300, font_px=12)
    assert placed["a"] != "top center"  # above "a" sits node "b"
    assert set(placed) == {"a", "b"}


def test_place_labels_names_a_hub_over_a_node_only_when_asked():
    # a hub ringed by nodes on every side: each of its label's places covers one of them
    ring = [(f"r{i}", 200 + dx, 150 + dy, 9.0, "") for i, (dx, dy) in enumerate(
        [(0, -24), (0, 24), (-40, 0), (40, 0), (-40, -24), (40, -24), (-40, 24), (40, 24), (-70, 0), (70, 0)])]
    items = [("hub", 200, 150, 12.0, "省经信厅"), *ring]
    assert "hub" not in figures.place_labels(items, width=500, height=300, font_px=12)
    placed = figures.place_labels(items, width=500, height=300, font_px=12, over_nodes=1)
    assert "hub" in placed


def test_network_figure_legend_line_and_ring_off_the_legend(plan):
    graph = nx.Graph()
    graph.add_edge("省经信厅", "省通管局", weight=9)
    graph.add_edge("省经信厅", "省建设厅", weight=2)
    positions = {"省经信厅": (0.0, 0.0), "省通管局": (0.5, 0.5), "省建设厅": (-0.5, -0.5)}
    fig = figures.network_figure(plan, graph, positions, "zh", highlight="省通管局")
    texts = [a.text for a in fig.layout.annotations]
    assert any("圆点大小" in text and "（2–9 项）" in text for text in texts)
    ring = [tr for tr in fig.data if tr.showlegend is False and tr.mode == "markers"]
    assert len(ring) == 1 and list(ring[0].x) == [0.5]
    for trace in fig.data:
        if trace.mode == "markers+text":
            assert trace.marker.line.color == "white"  # the legend's symbol stays plain
    assert fig.layout.meta["labels_shown"] == 3


def test_plotly_config_speaks_the_ui_language():
    zh = figures.plotly_config("zh")
    assert zh["locale"] == "zh-CN" and zh["locales"]["zh-CN"]["dictionary"]["Download plot as a PNG"]
    assert "locale" not in figures.plotly_config("en")


def test_every_agency_type_has_its_own_colour():
    from analysis.figures import TYPE_COLORS
    from analysis.vocab import AgencyType

    assert set(TYPE_COLORS) == set(AgencyType)
    assert len(set(TYPE_COLORS.values())) == len(TYPE_COLORS)


# ------------------------------------------------------------------ projector type (issue 14)

def _projected_figures(plan, scale):
    """Every chart of the presentation pages, at the scale the page projects it with."""
    meeting = dt.date(2020, 9, 15)
    status = derive.due_status(plan, meeting, window_days=30)
    frame = derive.workload(plan)
    graph = network.co_assignment_graph(plan.assignments, plan.agencies)
    return {
        "workload": figures.workload_figure(plan, frame, scale=scale),
        "themes": figures.tasks_per_theme_figure(plan, scale=scale),
        "types": figures.agencies_by_type_figure(plan, scale=scale),
        "heatmap": figures.agency_theme_heatmap(plan, derive.agency_theme_counts(plan), scale=scale),
        "timeline": figures.timeline_figure(plan, status, meeting, scale=scale),
        "quarters": figures.deadline_distribution_figure(plan, status, meeting, scale=scale),
        "network": figures.network_figure(plan, graph, network.layout(graph), scale=scale),
    }


@pytest.mark.parametrize("scale", [1.1, 1.15, 1.45])  # timeline, workload and the other slides when projecting
def test_projected_charts_use_projector_type(plan, scale):
    for name, fig in _projected_figures(plan, scale).items():
        layout = fig.layout
        assert layout.font.size >= figures.PROJECTOR_FONT_PX, name  # ticks and bar labels inherit it
        assert layout.legend.font.size >= figures.PROJECTOR_FONT_PX, name
        assert layout.title.font.size > layout.font.size, name
        for axis in (layout.xaxis, layout.yaxis):  # no axis keeps a smaller type of its own
            assert axis.tickfont.size is None or axis.tickfont.size >= figures.PROJECTOR_FONT_PX, name
        for note in layout.annotations:  # the meeting line's label, the network's size legend
            assert note.font.size is None or note.font.size >= figures.PROJECTOR_FONT_PX, (name, note.text)
        # a bar label is drawn in projector type or not at all, never shrunk to fit a thin bar
        assert layout.uniformtext.minsize >= figures.PROJECTOR_FONT_PX and layout.uniformtext.mode == "hide", name


def test_screen_charts_keep_screen_type(plan):
    for name, fig in _projected_figures(plan, 1.0).items():
        assert fig.layout.font.size == figures.SCREEN_FONT_PX, name
        assert fig.layout.uniformtext.minsize is None, name


def test_projector_rows_leave_each_row_room_for_its_label():
    rows = figures.projector_rows(830, chrome=190)
    assert rows * figures.PROJECTOR_ROW * figures.PROJECTOR_FONT_PX <= 830 - 190
    assert (rows + 1) * figures.PROJECTOR_ROW * figures.PROJECTOR_FONT_PX > 830 - 190
    assert figures.projector_rows(100, chrome=190) == 1
    bars = figures.projector_rows(830, chrome=190, labels_inside=True)  # a number inside each bar: thicker bars
    assert bars < rows and bars * figures.PROJECTOR_BAR_ROW * figures.PROJECTOR_FONT_PX <= 830 - 190


# ------------------------------------- set_layout and dict traces against plotly's update API (issue 19)
# The builders skip plotly's update machinery (it parses every key as a path: most of a chart's CPU);
# these pin what they must still equal.


def _as_json(fig) -> dict:
    return json.loads(fig.to_json())


@pytest.mark.parametrize("updates", [
    # nested dicts merge key by key, over several calls
    [{"legend": {"orientation": "h", "font": {"size": 13}}, "margin": {"l": 10, "t": 80}},
     {"legend": {"y": 0.0, "font": {"color": "#111111"}}, "margin": {"b": 95}}],
    # an axis title as text, then as a dict; a title's font merged into a title set as a dict
    [{"xaxis": {"title": "件数", "rangemode": "tozero"}}, {"xaxis": {"title": {"font": {"size": 18}}}},
     {"title": {"text": "A", "x": 0.0}}, {"title": {"font": {"size": 20}}}],
    # a range replaced whole; shapes and annotations set on a layout without any
    [{"xaxis": {"range": [0, 5], "type": "date"}}, {"xaxis": {"range": [1, 2]}},
     {"shapes": [{"type": "line", "x0": 1, "x1": 1, "y0": 0, "y1": 1, "yref": "paper",
                  "line": {"color": "#C0392B", "dash": "dash"}}, {"type": "line", "x0": 2, "x1": 2, "y0": 0, "y1": 1}],
      "annotations": [{"text": "a", "showarrow": False, "font": {"size": 18}}]}],
    # meta (any JSON) replaced, not merged; plain keys
    [{"meta": {"labels_shown": 3, "labels_total": 9}}, {"meta": {"labels_shown": 4}},
     {"barmode": "stack", "bargap": 0.1, "height": 560}, {"height": 830}],
])
def test_set_layout_makes_the_figure_update_layout_makes(updates):
    expected, got = figures._figure(), figures._figure()
    for update in updates:
        expected.update_layout(**update)
        figures.set_layout(got, **update)
    assert _as_json(got) == _as_json(expected)


def test_set_layout_replaces_a_list_update_layout_would_merge_into():
    first = [{"type": "line", "x0": 1, "x1": 1, "y0": 0, "y1": 1, "yref": "paper"}, {"type": "rect", "x0": 0, "x1": 1}]
    second = [{"type": "line", "x0": 2, "x1": 2, "y0": 0, "y1": 1}]
    fig = figures.set_layout(figures.set_layout(figures._figure(), shapes=first), shapes=second)
    assert [shape.to_plotly_json() for shape in fig.layout.shapes] == second
    merged = figures._figure()
    merged.update_layout(shapes=first)
    merged.update_layout(shapes=second)  # plotly: the old yref and the old second shape stay
    assert merged.layout.shapes[0].yref == "paper" and len(merged.layout.shapes) == 2


def _rag_figure_by_update_api(plan, counts, lang, scale):
    """progress_figures.rag_figure as it was written with add_bar and update_* (main before issue 19)."""
    from analysis.i18n import label
    from analysis.progress_figures import RAG_COLORS
    from analysis.vocab import Rag

    labels = [figures.esc(figures.short(plan.theme_label(g, lang), 30)) for g in counts["group"]]
    fig = figures._figure()
    for rag in (Rag.RED, Rag.AMBER, Rag.GREEN):
        fig.add_bar(
            name=label(rag, lang), y=labels, x=counts[rag.value].astype(int).tolist(), orientation="h",
            marker_color=RAG_COLORS[rag], hovertemplate="%{y}: %{x}<extra>" + label(rag, lang) + "</extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", type="category", automargin=True)
    largest = int(counts["total"].max()) if len(counts) else 0
    fig.update_xaxes(title=t("count_axis", lang), rangemode="tozero", **figures._count_ticks(largest))
    return figures._layout(fig, t("rag_by_theme", lang), scale=scale, height=140 + 26 * max(len(counts), 3))


def _quarters_by_update_api(plan, status, meeting_date, lang, scale):
    """figures.deadline_distribution_figure as it was written with add_bar, add_shape,
    add_annotation and update_* (main before issue 19)."""
    import pandas as pd

    from analysis.vocab import DueStatus

    quarter = status["deadline"].dt.to_period("Q")
    counts = pd.crosstab(quarter, status["status"].astype(str))
    quarters = pd.period_range(min(quarter.min(), pd.Period(plan.meta.period_start, "Q")),
                               max(quarter.max(), pd.Period(plan.meta.period_end, "Q")), freq="Q")
    counts = counts.reindex(quarters, fill_value=0)
    x = [q.start_time + (q.end_time - q.start_time) / 2 for q in quarters]
    fig = figures._figure()
    for kind in derive.DUE_STATUSES:
        if kind not in counts.columns or not counts[kind].any():
            continue
        fig.add_bar(
            name=t(f"status_{kind}", lang), x=x, y=counts[kind].astype(int).tolist(), width=[70 * 86_400_000] * len(x),
            marker={"color": figures.STATUS_COLORS[kind], "opacity": 0.55 if kind == DueStatus.PLAN_END else 0.9},
            customdata=[str(q) for q in quarters],
            hovertemplate="%{customdata}: %{y}<extra>" + t(f"status_{kind}", lang) + "</extra>",
        )
    meeting = pd.Timestamp(meeting_date)
    lo = min(quarters[0].start_time, meeting) - pd.Timedelta(days=20)
    hi = max(quarters[-1].end_time, meeting) + pd.Timedelta(days=20)
    late = (meeting - lo) > (hi - lo) / 2
    fig.add_shape(type="line", x0=meeting, x1=meeting, y0=0, y1=1, yref="paper",
                  line={"color": figures.MEETING_COLOR, "width": 3, "dash": "dash"})
    fig.add_annotation(x=meeting, y=1, yref="paper", text=t("meeting_line", lang, date=meeting_date.isoformat()),
                       showarrow=False, yanchor="bottom", xanchor="right" if late else "left", xshift=-4 if late else 4,
                       font={"color": figures.MEETING_COLOR, "size": figures.font_px(scale)},
                       bgcolor="rgba(255,255,255,0.9)")
    fig.update_layout(barmode="stack", bargap=0.1)
    fig.update_xaxes(type="date", range=[lo, hi], title=t("deadline_quarter_axis", lang), dtick="M3",
                     tickformat="%Y-%m", showgrid=False)
    largest = int(counts.sum(axis=1).max()) if len(counts) else 0
    fig.update_yaxes(title=t("count_axis", lang), rangemode="tozero", **figures._count_ticks(largest))
    figures._layout(fig, t("deadline_distribution_title", lang, n=len(status)), scale=scale, height=560)
    fig.update_layout(
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom", "x": 0.0, "xanchor": "left"},
        margin={"b": round(95 * scale)},
    )
    return fig


@pytest.mark.parametrize(("lang", "scale", "meeting"), [("zh", 1.0, dt.date(2020, 9, 15)),
                                                       ("en", 1.45, dt.date(2022, 12, 31))])
def test_builders_make_the_figures_plotlys_update_api_makes(plan, lang, scale, meeting):
    from analysis import progress_figures, progress_views
    from analysis.progress import task_rag

    status = derive.due_status(plan, meeting, window_days=30)
    assert _as_json(figures.deadline_distribution_figure(plan, status, meeting, lang, scale=scale)) == \
        _as_json(_quarters_by_update_api(plan, status, meeting, lang, scale))
    rag = task_rag(plan.tasks, _no_reports(), meeting)  # no report: every task judged by its deadline
    counts = progress_views.rag_counts(plan, rag, "theme")
    assert counts[["red", "amber", "green"]].to_numpy().sum() > 0
    assert _as_json(progress_figures.rag_figure(plan, counts, "theme", lang, scale=scale)) == \
        _as_json(_rag_figure_by_update_api(plan, counts, lang, scale))


def _no_reports():
    import pandas as pd

    from analysis.progress import REPORT_COLUMNS

    return pd.DataFrame(columns=REPORT_COLUMNS)


def test_a_figures_template_is_its_own():
    """Every figure is built from one template dict: a change to one figure's template reaches no other."""
    fig = figures._figure()
    fig.layout.template.layout.colorway = ["#000000"]
    fig.layout.template.layout.font.size = 99
    fig.layout.template.data.bar[0].marker.line.color = "red"
    assert _as_json(figures._figure())["layout"]["template"] == figures.TEMPLATE.to_plotly_json()
