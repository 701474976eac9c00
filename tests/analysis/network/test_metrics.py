"""Agency metrics and network statistics, checked against networkx's own functions and for
determinism."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from analysis import network as net
from tests.analysis.network.raw import (
    RAW,
    RAW_ORDER,
    expected_edges,
    synthetic_assignments,
)


def test_metrics_equal_networkx_functions(graph, metrics):
    frame, stats = metrics
    frame = frame.set_index("agency")
    assert frame.index.tolist() == RAW_ORDER
    assert frame["degree"].to_dict() == dict(graph.degree())
    assert frame["weighted_degree"].to_dict() == dict(graph.degree(weight="weight"))
    assert frame["core"].to_dict() == nx.core_number(graph)
    assert frame["betweenness"].to_dict() == nx.betweenness_centrality(graph, normalized=True)
    assert frame["closeness"].to_dict() == nx.closeness_centrality(graph)
    # the plan's graph is disconnected, where networkx's numpy solver refuses ...
    with pytest.raises(nx.AmbiguousSolution):
        nx.eigenvector_centrality_numpy(graph, weight="weight")
    # ... so the main component carries the eigenvector and the rest is 0
    main = max(nx.connected_components(graph), key=len)
    reference = nx.eigenvector_centrality_numpy(graph.subgraph(main), weight="weight")
    for agency, value in frame["eigenvector"].items():
        assert value == pytest.approx(reference.get(agency, 0.0), abs=1e-9)
    assert frame.loc["省文化和旅游厅", "eigenvector"] == 0.0
    assert frame.loc[["各省级单位", "各省属单位"], "eigenvector"].tolist() == [0.0, 0.0]
    assert frame["lead"].sum() == sum(len(lead) for _, lead, _ in RAW)

    assert stats.nodes == 34 and stats.edges == len(expected_edges())
    assert stats.density == nx.density(graph)
    assert stats.components == nx.number_connected_components(graph) == 3
    assert stats.average_clustering == pytest.approx(nx.average_clustering(graph), abs=1e-12)
    partition = [set(group.index) for _, group in frame.groupby("community")]
    assert stats.communities == len(partition) == frame["community"].max()
    assert stats.modularity == pytest.approx(nx.community.modularity(graph, partition, weight="weight"), abs=1e-12)
    degrees = [d for _, d in graph.degree()]
    assert stats.degree_centralization == pytest.approx(
        sum(max(degrees) - d for d in degrees) / ((34 - 1) * (34 - 2))
    )
    assert stats.betweenness_sampled is False and stats.betweenness_k is None
    assert frame["betweenness"].idxmax() == "省经信厅"


def test_eigenvector_equals_networkx_on_connected_graphs():
    small = nx.les_miserables_graph()  # weighted, connected, 77 nodes: dense solver
    ours = net.eigenvector_centrality(small)
    reference = nx.eigenvector_centrality_numpy(small, weight="weight")
    assert ours == pytest.approx(reference, abs=1e-9)
    large = net.co_assignment_graph(synthetic_assignments(700, 3000, seed=3))
    large = large.subgraph(max(nx.connected_components(large), key=len)).copy()
    assert large.number_of_nodes() > net.DENSE_EIGEN_MAX_NODES  # sparse solver
    ours = net.eigenvector_centrality(large)
    reference = nx.eigenvector_centrality_numpy(large, weight="weight")
    assert ours == pytest.approx(reference, abs=1e-8)
    assert net.eigenvector_centrality(large) == ours  # bit-identical on repeat


def test_eigenvector_never_raises(monkeypatch):
    pair = nx.Graph([("a", "b")])
    assert net.eigenvector_centrality(pair) == pytest.approx({"a": 2**-0.5, "b": 2**-0.5})
    twin = nx.Graph([(1, 2), (2, 3), (3, 1), (4, 5), (5, 6), (6, 4)])
    nx.set_edge_attributes(twin, 1, "weight")
    assert net.eigenvector_centrality(twin) == pytest.approx({n: 1 / math.sqrt(6) for n in twin})
    lonely = nx.Graph()
    lonely.add_nodes_from("xyz")
    assert net.eigenvector_centrality(lonely) == {"x": 0.0, "y": 0.0, "z": 0.0}

    def broken(*args, **kwargs):
        raise np.linalg.LinAlgError("no convergence")

    monkeypatch.setattr(np.linalg, "eigh", broken)
    star = nx.star_graph(4)
    nx.set_edge_attributes(star, 1, "weight")
    values = net.eigenvector_centrality(star)  # falls back to power iteration
    assert values == pytest.approx(nx.eigenvector_centrality_numpy(star, weight="weight"), abs=1e-6)
    monkeypatch.setattr(nx, "eigenvector_centrality", broken)
    values = net.eigenvector_centrality(star)  # last resort: normalised weighted degree
    assert values[0] == pytest.approx(4 / math.sqrt(20))


def test_fast_closeness_equals_networkx():
    g = net.co_assignment_graph(synthetic_assignments(500, 600, seed=5))
    assert nx.number_connected_components(g) > 1 and g.number_of_nodes() > 300
    ours = net.closeness_centrality(g)
    assert ours == pytest.approx(nx.closeness_centrality(g), abs=1e-12)
    assert net.closeness_centrality(g, fast_threshold=10) == pytest.approx(nx.closeness_centrality(g), abs=1e-12)


def test_betweenness_is_sampled_above_the_threshold():
    g = net.co_assignment_graph(synthetic_assignments(400, 800, seed=7))
    n = g.number_of_nodes()
    assert n > 250
    frame, stats = net.agency_metrics(g, betweenness_sample_threshold=50, seed=42)
    assert stats.betweenness_sampled is True and stats.betweenness_k == 200
    reference = nx.betweenness_centrality(g, k=200, normalized=True, seed=42)
    assert frame.set_index("agency")["betweenness"].to_dict() == reference
    again, stats_again = net.agency_metrics(g, betweenness_sample_threshold=50, seed=42)
    pd.testing.assert_frame_equal(frame, again)
    assert stats_again == stats
    exact_frame, exact = net.agency_metrics(g)
    assert exact.betweenness_sampled is False and exact.betweenness_k is None
    assert exact_frame.set_index("agency")["betweenness"].to_dict() == nx.betweenness_centrality(g)
    # k would cover every node: that is exact, and the stats do not claim a sample
    tiny = net.co_assignment_graph(synthetic_assignments(60, 100, seed=1))
    _, tiny_stats = net.agency_metrics(tiny, betweenness_sample_threshold=10)
    assert tiny_stats.betweenness_sampled is False


def test_metrics_are_deterministic(graph, metrics):
    frame, stats = net.agency_metrics(graph)
    pd.testing.assert_frame_equal(frame, metrics[0])
    assert stats == metrics[1]
