"""Filters, ego networks, partners and what a filter hid: new graphs in table order, input untouched."""

from __future__ import annotations

import json
from collections import Counter

import networkx as nx
import pytest

from analysis import network as net
from tests.analysis.network.raw import (
    COLLECTIVES,
    RAW,
    RAW_ORDER,
    RAW_THEMES,
    expected_edges,
    graph_edges,
    task_counts,
)


def test_ego_network_and_partners_of_sheng_jingxinting(graph):
    expected = {
        (set(pair) - {"省经信厅"}).pop(): tasks for pair, tasks in expected_edges().items() if "省经信厅" in pair
    }
    ego = net.ego_network(graph, "省经信厅")
    assert set(ego.nodes) == {"省经信厅", *expected}
    assert list(ego.nodes) == [a for a in RAW_ORDER if a in ego]
    assert set(map(frozenset, ego.edges)) == {e for e in map(frozenset, graph.edges) if e <= set(ego.nodes)}
    assert net.ego_network(graph, "省经信厅", radius=2).number_of_nodes() >= ego.number_of_nodes()

    table = net.partners(graph, "省经信厅")
    assert list(table.columns) == ["partner", "type", "weight", "tasks"]
    assert dict(zip(table["partner"], table["tasks"], strict=True)) == expected
    assert table["weight"].tolist() == [len(expected[p]) for p in table["partner"]]
    order = {a: i for i, a in enumerate(RAW_ORDER)}
    keys = [(-w, order[p]) for p, w in zip(table["partner"], table["weight"], strict=True)]
    assert keys == sorted(keys)
    assert table.iloc[:2]["partner"].tolist() == ["省发展改革委", "省通管局"]  # 9 shared tasks each
    assert net.partners(graph, "省文化和旅游厅").empty


def test_unknown_agency_raises_key_error(graph):
    with pytest.raises(KeyError, match="不存在单位|not in the network"):
        net.partners(graph, "不存在单位")
    with pytest.raises(KeyError, match="not in the network"):
        net.ego_network(graph, "nobody")


def snapshot(g: nx.Graph):
    return list(g.nodes(data=True)), [(u, v, dict(d)) for u, v, d in g.edges(data=True)]


def test_filters_return_new_graphs_and_leave_the_input_alone(graph, plan):
    before = json.dumps(snapshot(graph), ensure_ascii=False, default=str)
    shown = net.filter_graph(graph, min_weight=3, include_collective=False, types={"government_department"})
    shown.nodes["省经信厅"]["lead"] = -1
    next(iter(shown.edges(data=True)))[2]["tasks"].append("x")
    net.filter_graph(graph, themes={"网络基础设施"}, tasks=plan.tasks, assignments=plan.assignments, top_n=3)
    assert json.dumps(snapshot(graph), ensure_ascii=False, default=str) == before
    unfiltered = net.filter_graph(graph)
    assert unfiltered is not graph and snapshot(unfiltered) == snapshot(graph)


def test_filter_by_type(graph, plan):
    types = dict(zip(plan.agencies["agency"], plan.agencies["type"].astype(str), strict=True))
    shown = net.filter_graph(graph, types={"enterprise", "central_branch"})
    kept = [a for a in RAW_ORDER if types[a] in {"enterprise", "central_branch"}]
    assert list(shown.nodes) == kept
    assert graph_edges(shown) == {e: t for e, t in expected_edges().items() if e <= set(kept)}


def test_filter_min_weight_keeps_nodes_unless_asked(graph):
    shown = net.filter_graph(graph, min_weight=3)
    assert list(shown.nodes) == RAW_ORDER
    assert graph_edges(shown) == {e: t for e, t in expected_edges().items() if len(t) >= 3}
    trimmed = net.filter_graph(graph, min_weight=3, drop_isolates=True)
    assert set(trimmed.nodes) == {a for e in graph_edges(shown) for a in e}
    with pytest.raises(ValueError):
        net.filter_graph(graph, min_weight=0)


def test_filter_drops_collective_designations(graph):
    shown = net.filter_graph(graph, include_collective=False)
    assert set(graph.nodes) - set(shown.nodes) == COLLECTIVES
    assert graph_edges(shown) == {e: t for e, t in expected_edges().items() if not e & COLLECTIVES}
    assert net.hidden_summary(graph, shown)["nodes_hidden"] == 3


def test_filter_by_theme_recounts_weights(graph, plan):
    theme = "网络基础设施"
    shown = net.filter_graph(graph, themes={theme}, tasks=plan.tasks, assignments=plan.assignments)
    in_theme = {t for t, th in RAW_THEMES.items() if th == theme}
    expected = expected_edges(task_filter=in_theme.__contains__)
    assert graph_edges(shown) == expected
    assert all(d["weight"] == len(expected[frozenset((u, v))]) for u, v, d in shown.edges(data=True))
    assert shown["省经信厅"]["省通管局"]["weight"] < graph["省经信厅"]["省通管局"]["weight"]
    members = [a for a in RAW_ORDER if any(a in lead + support for t, lead, support in RAW if t in in_theme)]
    assert list(shown.nodes) == members
    counts = Counter(a for t, lead, support in RAW if t in in_theme for a in lead)
    assert {a: d["lead"] for a, d in shown.nodes(data=True)} == {a: counts[a] for a in members}
    # combined with the collective filter: collectives do not link anyone
    both = net.filter_graph(graph, themes={theme}, include_collective=False, tasks=plan.tasks, assignments=plan.assignments)
    assert graph_edges(both) == expected_edges(task_filter=in_theme.__contains__, keep=lambda a: a not in COLLECTIVES)
    with pytest.raises(ValueError, match="unknown theme"):
        net.filter_graph(graph, themes={"无此主题"}, tasks=plan.tasks, assignments=plan.assignments)
    with pytest.raises(ValueError):
        net.filter_graph(graph, themes={theme})


def test_filter_top_n(graph):
    shown = net.filter_graph(graph, top_n=5)
    counts = task_counts()
    order = {a: i for i, a in enumerate(RAW_ORDER)}
    expected = sorted(RAW_ORDER, key=lambda a: (-counts[a], order[a]))[:5]
    assert set(shown.nodes) == set(expected)
    assert list(shown.nodes) == [a for a in RAW_ORDER if a in expected]
    assert "省经信厅" in shown
    assert graph_edges(shown) == {e: t for e, t in expected_edges().items() if e <= set(expected)}


def test_hidden_summary(graph):
    shown = net.filter_graph(graph, min_weight=2, include_collective=False)
    summary = net.hidden_summary(graph, shown)
    assert summary["nodes_hidden"] == 3
    assert summary["edges_hidden"] == graph.number_of_edges() - shown.number_of_edges()
    assert summary["edges_hidden"] == sum(
        1 for e, t in expected_edges().items() if len(t) < 2 or e & COLLECTIVES
    )
    assert net.hidden_summary(graph, graph)["nodes_hidden"] == 0


@pytest.mark.parametrize(("weights", "max_edges", "expected"), [
    ([], 10, 1),
    ([1, 1, 1], 3, 1),                # few enough ties: all shown
    ([5, 4, 3, 2, 1], 3, 3),          # 3 ties of weight ≥ 3
    ([5, 4, 3, 3, 3, 1], 3, 4),       # weight 3 would give 5 ties: 4 leaves 2
    ([2, 2, 2, 2], 2, 2),             # all ties equally heavy: the heaviest always stays
    ([9, 1, 1, 1], 0, 9),
])
def test_legible_min_weight(weights, max_edges, expected):
    graph = nx.Graph()
    for i, w in enumerate(weights):
        graph.add_edge(f"a{i}", f"b{i}", weight=w)
    threshold = net.legible_min_weight(graph, max_edges)
    assert threshold == expected
    kept = sum(1 for w in weights if w >= threshold)
    assert kept <= max_edges or threshold == max(weights)
    if threshold > 1:  # one less would draw too many
        assert sum(1 for w in weights if w >= threshold - 1) > max_edges
