"""The sparse-matrix fast paths on small graphs, called directly: each equals networkx's own
function (tests/benchmarks/test_scale_paths.py runs them through the public functions on a
5 000-task plan)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from analysis.network import fast
from analysis.network.communities import communities
from tests.analysis.network.raw import synthetic_assignments


@pytest.fixture(scope="module")
def mixed() -> nx.Graph:
    """A weighted graph with several components, an isolate and a self-loop."""
    from analysis.network import co_assignment_graph

    graph = co_assignment_graph(synthetic_assignments(120, 90, seed=4))
    graph.add_node("isolate")
    graph.add_edge("A0000", "A0000", weight=2, tasks=["x", "y"])
    assert nx.number_connected_components(graph) > 2
    return graph


def test_arrays_hold_each_edge_once_in_graph_order(mixed):
    arr = fast._arrays(mixed)
    assert arr.labels == list(mixed.nodes)
    pairs = [(arr.labels[i], arr.labels[j], w) for i, j, w in zip(arr.rows, arr.cols, arr.weights, strict=True)]
    assert pairs == [(u, v, float(w)) for u, v, w in mixed.edges(data="weight")]
    weighted = arr.adjacency(weighted=True, loops=True).toarray()
    assert np.array_equal(weighted, nx.to_numpy_array(mixed, weight="weight"))
    plain = arr.adjacency(weighted=False, loops=False).toarray()
    assert np.trace(plain) == 0 and set(np.unique(plain)) <= {0.0, 1.0}
    count, labels = arr.components()
    assert count == nx.number_connected_components(mixed)
    groups = fast._ordered_component_indices(count, labels)
    assert [{arr.labels[i] for i in g} for g in groups] == sorted(
        nx.connected_components(mixed), key=lambda c: min(arr.labels.index(n) for n in c)
    )


def test_brandes_matrix_equals_networkx(mixed):
    simple = nx.Graph(mixed)
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    arr = fast._arrays(simple)
    n = arr.n
    raw = fast._brandes_matrix(arr.adjacency(weighted=False, loops=False), list(range(n)))
    reference = nx.betweenness_centrality(simple, normalized=False, weight=None)
    # networkx halves undirected sums; the matrix version counts each ordered pair
    assert dict(zip(arr.labels, (raw / 2).tolist(), strict=True)) == pytest.approx(reference, abs=1e-9)


def test_peeled_core_numbers_equal_networkx(mixed):
    simple = nx.Graph(mixed)
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    assert fast._peel_core_numbers(fast._arrays(mixed)) == nx.core_number(simple)


def test_clustering_and_modularity_equal_networkx(mixed):
    arr = fast._arrays(mixed)
    assert fast._average_clustering(arr) == pytest.approx(nx.average_clustering(mixed), abs=1e-12)
    groups = communities(mixed)
    partition = [{n for n, c in groups.items() if c == k} for k in sorted(set(groups.values()))]
    assert fast._modularity(arr, groups) == pytest.approx(
        nx.community.modularity(mixed, partition, weight="weight"), abs=1e-12
    )


def test_dense_and_sparse_hop_distances_agree(mixed):
    matrix = fast._arrays(mixed).adjacency(weighted=False, loops=False)
    rows = np.arange(matrix.shape[0])
    dense = fast._hop_distances(matrix, rows, matrix.toarray().astype(np.float32))
    sparse = fast._hop_distances(matrix, rows, None)
    assert np.array_equal(dense, sparse)
    labels = list(mixed.nodes)
    lengths = dict(nx.all_pairs_shortest_path_length(mixed))
    for i, u in enumerate(labels):
        for j, v in enumerate(labels):
            assert sparse[i, j] == lengths[u].get(v, np.inf)
