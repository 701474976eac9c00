"""The large-graph paths of analysis.network give networkx's numbers.

analysis.network computes graphs from `MATRIX_MIN_EDGES` ties on with sparse and
dense matrices (betweenness, closeness, core numbers, clustering, modularity) instead of
networkx's per-node loops; tests/analysis/network/ covers the small graphs, where
networkx itself runs. Here a synthetic 5 000-task plan (~570 agencies, ~24 000 ties) goes
through both and the results must agree to 1e-12 (integers exactly).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from analysis import network as net
from benchmarks import synth


@pytest.fixture(scope="module")
def big():
    from analysis.model import plan_from_bytes

    plan = plan_from_bytes(synth.generate(5000).data, "synthetic.csv")
    graph = net.co_assignment_graph(plan.assignments, plan.agencies, tasks=plan.tasks)
    graph = net.filter_graph(graph, include_collective=False)
    assert graph.number_of_edges() >= net.MATRIX_MIN_EDGES
    assert graph.number_of_nodes() > 500  # sampled by default
    return graph


def test_sampled_betweenness_equals_networkx(big):
    ours, k = net.betweenness_centrality(big, seed=42)
    assert k == net.MAX_BETWEENNESS_SAMPLE
    reference = nx.betweenness_centrality(big, k=k, normalized=True, weight=None, seed=42)
    assert ours == pytest.approx(reference, abs=1e-12)


def test_exact_betweenness_equals_networkx_on_a_dense_graph():
    graph = nx.gnm_random_graph(220, 11_000, seed=3)
    graph.add_node("isolate")
    ours, k = net.betweenness_centrality(graph)
    assert k is None
    assert ours == pytest.approx(nx.betweenness_centrality(graph, normalized=True), abs=1e-12)


def test_closeness_core_numbers_and_stats_equal_networkx(big):
    assert net._dense_bfs_pays(net._arrays(big).adjacency(weighted=False, loops=False))
    assert net.closeness_centrality(big) == pytest.approx(nx.closeness_centrality(big), abs=1e-12)
    assert net._core_numbers(big) == nx.core_number(big)
    frame, stats = net.agency_metrics(big)
    assert stats.average_clustering == pytest.approx(nx.average_clustering(big), abs=1e-12)
    partition = [set(group["agency"]) for _, group in frame.groupby("community")]
    assert stats.modularity == pytest.approx(
        nx.community.modularity(big, partition, weight="weight"), abs=1e-12
    )
    assert stats.components == nx.number_connected_components(big)
    assert frame.set_index("agency")["core"].to_dict() == nx.core_number(big)


def test_long_chains_fall_back_to_scipy_search():
    # a dense clique with a long tail: more levels than the dense search allows
    graph = nx.complete_graph(400)
    nx.add_path(graph, [399, *range(400, 430)])
    matrix = net._arrays(graph).adjacency(weighted=False, loops=False)
    assert net._dense_bfs_pays(matrix)
    assert net.closeness_centrality(graph) == pytest.approx(nx.closeness_centrality(graph), abs=1e-12)


def test_large_layouts_are_deterministic_and_spread(big):
    first = net.layout(big)
    assert first == net.layout(big)
    coords = np.array(list(first.values()))
    assert np.abs(coords).max() == 1.0
    assert len({xy for xy in first.values()}) == len(first)  # no two agencies on one spot
