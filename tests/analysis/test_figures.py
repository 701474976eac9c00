"""Figures: what the charts draw, read back from the plotly figure."""

from __future__ import annotations

import datetime as dt
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
    xs, ys = list(trace.x), list(trace.y)
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
    traces = figures._edge_traces(graph, positions, 1.0)
    assert len(traces) <= figures.EDGE_CLASSES
    drawn = [edge for tr in traces for edge in _edges_drawn(tr)]
    expected = {frozenset({positions[u], positions[v]}) for u, v in graph.edges}
    assert len(drawn) == graph.number_of_edges() and set(drawn) == expected
    widths = [tr.line.width for tr in traces]
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
