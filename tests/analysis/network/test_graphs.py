"""The three graphs (co-assignment, lead→support, bipartite), checked against an independent
reading of the raw table and a brute-force count on a large random table."""

from __future__ import annotations

import itertools
from collections import Counter

import networkx as nx
import pandas as pd

from analysis import network as net
from tests.analysis.network.raw import (
    COLLECTIVES,
    RAW,
    RAW_ORDER,
    RAW_THEMES,
    expected_edges,
    graph_edges,
    synthetic_assignments,
    task_counts,
)


def test_raw_reading_sanity():
    assert [t for t, _, _ in RAW] == [str(i) for i in range(1, 36)]
    assert len(RAW_ORDER) == 34


def test_nodes_are_the_34_agencies_in_table_order(graph, plan):
    assert list(graph.nodes) == RAW_ORDER == plan.agencies["agency"].tolist()
    assert graph.nodes["省文化和旅游厅"]["tasks"] == 1 and graph.degree("省文化和旅游厅") == 0
    assert "省卫健委" in graph  # leads task 21 alone, still a node


def test_edges_weights_and_task_lists_match_the_raw_table(graph):
    expected = expected_edges()
    assert graph_edges(graph) == expected
    for u, v, data in graph.edges(data=True):
        assert data["weight"] == len(expected[frozenset((u, v))])
    assert graph["省经信厅"]["省通管局"]["tasks"] == ["1", "2", "3", "4", "20", "25", "28", "31", "35"]


def test_node_attributes(graph, plan):
    lead = Counter(a for _, leads, _ in RAW for a in leads)
    support = Counter(a for _, _, supports in RAW for a in supports)
    types = dict(zip(plan.agencies["agency"], plan.agencies["type"].astype(str), strict=True))
    for agency, data in graph.nodes(data=True):
        assert (data["lead"], data["support"], data["tasks"]) == (lead[agency], support[agency], task_counts()[agency])
        assert data["type"] == types[agency]
    assert {a for a, d in graph.nodes(data=True) if d["type"] == "collective"} == COLLECTIVES


def test_sheng_jingxinting_has_the_highest_degree(graph):
    degrees = dict(graph.degree())
    top = max(degrees, key=degrees.get)
    assert top == "省经信厅"
    ranked = sorted(degrees.values())
    assert ranked[-1] > ranked[-2]


def test_task_order_follows_seq_not_strings(plan):
    """Edge task lists follow table order, e.g. "2" before "10"."""
    g = net.co_assignment_graph(plan.assignments, plan.agencies, tasks=plan.tasks.iloc[::-1])
    for _, _, data in g.edges(data=True):
        assert data["tasks"] == sorted(data["tasks"], key=int)
    reverse = [str(i) for i in range(35, 0, -1)]
    g = net.co_assignment_graph(plan.assignments, plan.agencies, task_order=reverse)
    for _, _, data in g.edges(data=True):
        assert data["tasks"] == sorted(data["tasks"], key=int, reverse=True)


def test_lead_support_graph(plan):
    g = net.lead_support_graph(plan.assignments, plan.agencies, tasks=plan.tasks)
    expected: dict[tuple[str, str], list[str]] = {}
    for task_id, leads, supports in RAW:
        for u in leads:
            for v in supports:
                expected.setdefault((u, v), []).append(task_id)
    assert {(u, v): d["tasks"] for u, v, d in g.edges(data=True)} == expected
    assert all(d["weight"] == len(d["tasks"]) for _, _, d in g.edges(data=True))
    assert g.is_directed() and set(g.nodes) == set(RAW_ORDER)
    assert g["省经信厅"]["省科技厅"]["tasks"] == ["16", "29"]  # each leads tasks the other supports
    assert g["省科技厅"]["省经信厅"]["tasks"] == ["12", "17"]


def test_bipartite_graph(plan):
    g = net.bipartite_graph(plan.assignments, plan.agencies, tasks=plan.tasks)
    tasks = [n for n, d in g.nodes(data=True) if d["bipartite"] == 0]
    agencies = [n for n, d in g.nodes(data=True) if d["bipartite"] == 1]
    assert tasks == [f"task:{i}" for i in range(1, 36)]
    assert agencies == RAW_ORDER
    expected = {(f"task:{t}", a, "lead") for t, leads, _ in RAW for a in leads}
    expected |= {(f"task:{t}", a, "support") for t, _, supports in RAW for a in supports}
    assert {(u, v, d["role"]) if u.startswith("task:") else (v, u, d["role"]) for u, v, d in g.edges(data=True)} == expected
    assert nx.is_bipartite(g)
    assert g.nodes["task:1"]["theme"] == RAW_THEMES["1"]


def test_co_assignment_graph_matches_brute_force_on_a_large_random_table():
    table = synthetic_assignments(2000, 10_000)
    g = net.co_assignment_graph(table)
    expected: dict[frozenset, list[str]] = {}
    for task_id, group in table.groupby("task_id", sort=False):
        for u, v in itertools.combinations(group["agency"].tolist(), 2):
            expected.setdefault(frozenset((u, v)), []).append(task_id)
    assert graph_edges(g) == expected
    assert set(g.nodes) == set(table["agency"])


def test_empty_and_tiny_inputs():
    empty = pd.DataFrame(columns=["task_id", "agency", "role", "position"])
    g = net.co_assignment_graph(empty)
    assert g.number_of_nodes() == 0
    frame, stats = net.agency_metrics(g)
    assert frame.empty and stats.nodes == 0 and stats.density == 0.0
    assert net.layout(g) == {} and net.communities(g) == {}
    one = pd.DataFrame([("1", "甲", "lead", 1)], columns=["task_id", "agency", "role", "position"])
    g = net.co_assignment_graph(one)
    frame, stats = net.agency_metrics(g)
    assert frame["community"].tolist() == [1] and stats.edges == 0
    assert net.layout(g) == {"甲": (0.0, 0.0)}
