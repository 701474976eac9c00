"""Sparse-matrix fast paths: the same definitions as networkx's, for graphs of national size.

A national programme has 100 000 tasks, 2 000 agencies and ~340 000 ties
(benchmarks/RESULTS.md). networkx's per-node Python loops take seconds to minutes there, so
the measures below work on adjacency matrices built once per call (`_Arrays`):

* `_brandes_matrix`: Brandes' betweenness, breadth-first search level by level for a batch
  of sources at once (δ_v = σ_v Σ_{w child of v} (1 + δ_w)/σ_w).
* `_hop_distances`: hop distances for closeness (dense level-by-level search on dense
  graphs, else scipy's breadth-first search).
* `_peel_core_numbers`: k-core numbers, peeling every node of degree ≤ k at once.
* `_average_clustering`: c_v = 2 t_v / (d_v (d_v − 1)), t_v = (A³)_vv / 2, zeros counted.
* `_modularity`: Σ_c L_c/m − (D_c/2m)², weighted, resolution 1.

Results equal networkx's up to floating-point rounding (1e-12); tests/benchmarks checks
each against networkx on a 5 000-task plan.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import networkx as nx
import numpy as np

#: Betweenness and core numbers run on matrices from this many ties on.
MATRIX_MIN_EDGES: Final = 10_000
#: Level-by-level search on a dense matrix up to this many nodes ...
DENSE_BFS_MAX_NODES: Final = 4000
#: ... and up to this many levels (longer chains fall back to scipy's search).
DENSE_BFS_MAX_LEVELS: Final = 12


@dataclass(frozen=True)
class _Arrays:
    """An undirected graph as arrays: node labels in node order, and each edge once (in
    `graph.edges` order) as index pairs with its weight. Self-loops are kept here."""

    labels: list[Hashable]
    rows: np.ndarray
    cols: np.ndarray
    weights: np.ndarray
    _matrices: dict[tuple[bool, bool], Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def n(self) -> int:
        return len(self.labels)

    def adjacency(self, *, weighted: bool, loops: bool) -> Any:
        """Symmetric CSR adjacency: weights (self-loops once on the diagonal, as networkx's
        `to_scipy_sparse_array`) or 1 per tie (self-loops dropped when `loops` is False).
        Built once per kind; callers must not change it."""
        if (weighted, loops) not in self._matrices:
            self._matrices[weighted, loops] = self._build(weighted=weighted, loops=loops)
        return self._matrices[weighted, loops]

    def _build(self, *, weighted: bool, loops: bool) -> Any:
        from scipy.sparse import csr_array

        rows, cols, weights = self.rows, self.cols, self.weights
        if not weighted:
            weights = np.ones(len(rows))
        if not loops:
            keep = rows != cols
            rows, cols, weights = rows[keep], cols[keep], weights[keep]
        off = rows != cols
        data = np.concatenate((weights, weights[off]))
        i = np.concatenate((rows, cols[off]))
        j = np.concatenate((cols, rows[off]))
        matrix = csr_array((data, (i, j)), shape=(self.n, self.n))
        matrix.sum_duplicates()
        matrix.sort_indices()
        return matrix

    def components(self) -> tuple[int, np.ndarray]:
        """(count, component label per node); isolates are components of their own."""
        from scipy.sparse.csgraph import connected_components

        count, labels = connected_components(self.adjacency(weighted=False, loops=False), directed=False)
        return int(count), np.asarray(labels)


def _arrays(graph: nx.Graph) -> _Arrays:
    """`graph` (undirected) as `_Arrays`; a missing `weight` counts 1."""
    labels = list(graph.nodes)
    index = {node: i for i, node in enumerate(labels)}
    m = graph.number_of_edges()
    rows = np.empty(m, dtype=np.int64)
    cols = np.empty(m, dtype=np.int64)
    weights = np.empty(m, dtype=np.float64)
    for e, (u, v, w) in enumerate(graph.edges(data="weight", default=1)):
        rows[e], cols[e], weights[e] = index[u], index[v], w
    return _Arrays(labels, rows, cols, weights)


def _ordered_component_indices(count: int, labels: np.ndarray) -> list[np.ndarray]:
    """Node indices of each component (ascending = node order), components ordered by their
    first node."""
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    groups = np.split(order, bounds) if len(order) else []
    return sorted(groups, key=lambda g: int(g[0]))


# ----------------------------------------------------------------------------- distances


def _dense_bfs_pays(matrix: Any) -> bool:
    """Level-by-level search on a dense matrix beats scipy's per-source search on dense
    graphs (ties among ≥ 2 % of all pairs), which have few levels: 2 000 agencies with
    340 000 ties, all sources, 0.5 s instead of 3.5 s."""
    n = int(matrix.shape[0])
    return bool(n <= DENSE_BFS_MAX_NODES and matrix.nnz >= 0.02 * n * n)


def _hop_distances(matrix: Any, rows: np.ndarray, dense: np.ndarray | None) -> np.ndarray:
    """Hop distances (float, inf when unreachable) from each node in `rows` to every node
    of the undirected graph `matrix` (0/1, symmetric): breadth-first search of all rows at
    once on the dense matrix (one matrix product per level) when given and the graph has
    at most `DENSE_BFS_MAX_LEVELS` levels, else scipy's breadth-first search."""
    from scipy.sparse.csgraph import shortest_path

    if dense is not None:
        n = dense.shape[0]
        dist = np.full((len(rows), n), np.inf)
        dist[np.arange(len(rows)), rows] = 0.0
        frontier = np.zeros((len(rows), n), dtype=np.float32)
        frontier[np.arange(len(rows)), rows] = 1.0
        for level in range(1, DENSE_BFS_MAX_LEVELS + 1):
            new = np.isinf(dist) & ((frontier @ dense) > 0)
            if not new.any():
                return dist
            dist[new] = level
            frontier = new.astype(np.float32)
    return np.asarray(shortest_path(matrix, method="D", directed=False, unweighted=True, indices=rows))


# ----------------------------------------------------------------------------- betweenness


def _brandes_matrix(adjacency: Any, sources: Sequence[int]) -> np.ndarray:
    """Unnormalised betweenness (sum over `sources` of the dependencies, endpoints
    excluded) of an undirected graph given as a 0/1 symmetric CSR matrix without self-loops.

    Brandes' algorithm with all sources of a batch at once: breadth-first search level by
    level (path counts σ of the next level = adjacency @ σ of this level), then dependencies
    δ accumulated back from the deepest level (δ_v = σ_v Σ_{w child of v} (1 + δ_w)/σ_w).
    A level costs one sparse × dense product: 200 sources of a 2 000-agency, 340 000-tie
    graph take ~0.3 s where networkx's per-node loop takes 10–15 s.
    """
    n = adjacency.shape[0]
    total = np.zeros(n)
    batch = max(1, min(256, 4_000_000 // max(n, 1)))
    for start in range(0, len(sources), batch):
        src = np.asarray(sources[start:start + batch], dtype=np.int64)
        total += _brandes_batch(adjacency, src).sum(axis=1)
    return total


def _brandes_batch(adjacency: Any, src: np.ndarray) -> np.ndarray:
    """Dependencies δ (nodes × sources) of one batch of sources, sources' own set to 0."""
    n = adjacency.shape[0]
    cols = np.arange(len(src))
    sigma = np.zeros((n, len(src)))
    sigma[src, cols] = 1.0
    dist = np.full((n, len(src)), -1, dtype=np.int32)
    dist[src, cols] = 0
    frontier = sigma.copy()
    depth = 0
    while True:
        reach = adjacency @ frontier
        new = (dist < 0) & (reach > 0)
        if not new.any():
            break
        depth += 1
        dist[new] = depth
        sigma[new] = reach[new]
        frontier = np.where(new, reach, 0.0)
    delta = np.zeros_like(sigma)
    safe_sigma = np.where(sigma > 0, sigma, 1.0)
    for level in range(depth, 0, -1):
        coeff = np.where(dist == level, (1.0 + delta) / safe_sigma, 0.0)
        delta += np.where(dist == level - 1, sigma * (adjacency @ coeff), 0.0)
    delta[src, cols] = 0.0  # a source is an endpoint of its own paths
    return delta


# ----------------------------------------------------------------------------- cores


def _peel_core_numbers(arr: _Arrays) -> dict[Hashable, int]:
    """k-core numbers peeled on the adjacency matrix (self-loops dropped): all nodes of
    degree ≤ k leave at once, degrees drop by one matrix product, k rises when nothing is
    left to peel (networkx's numbers, a fraction of its 1.3 s for 340 000 ties)."""
    matrix = arr.adjacency(weighted=False, loops=False)
    degree = np.asarray(matrix.sum(axis=1)).ravel().astype(np.int64)
    alive = np.ones(arr.n, dtype=bool)
    core = np.zeros(arr.n, dtype=np.int64)
    k = 0
    while alive.any():
        k = max(k, int(degree[alive].min()))
        while True:
            peel = alive & (degree <= k)
            if not peel.any():
                break
            core[peel] = k
            alive &= ~peel
            degree -= np.rint(matrix @ peel.astype(np.float64)).astype(np.int64)
    return dict(zip(arr.labels, core.tolist(), strict=True))


# ----------------------------------------------------------------------------- network-level


def _average_clustering(arr: _Arrays) -> float:
    """networkx's `average_clustering` (unweighted, self-loops ignored, zeros counted), from
    the triangles on the adjacency matrix: t_v = (A³)_vv / 2, c_v = 2 t_v / (d_v (d_v − 1))."""
    if arr.n == 0:
        return 0.0
    adjacency = arr.adjacency(weighted=False, loops=False)
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    if arr.n <= 3000:
        dense = adjacency.toarray()
        paths = ((dense @ dense) * dense).sum(axis=1)
    else:
        paths = np.asarray((adjacency @ adjacency).multiply(adjacency).sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        clustering = np.where(degree > 1, paths / (degree * (degree - 1)), 0.0)
    return float(clustering.sum() / arr.n)


def _modularity(arr: _Arrays, groups: Mapping[Hashable, int]) -> float:
    """networkx's weighted `modularity` (resolution 1) of the partition `groups`:
    Σ_c L_c/m − (D_c/2m)², L_c the weight inside c, D_c its summed weighted degree."""
    community = np.array([groups[label] for label in arr.labels], dtype=np.int64)
    degree = np.bincount(arr.rows, weights=arr.weights, minlength=arr.n) + np.bincount(
        arr.cols, weights=arr.weights, minlength=arr.n
    )
    m = degree.sum() / 2
    if m == 0:
        return 0.0
    inside = community[arr.rows] == community[arr.cols]
    size = int(community.max()) + 1
    internal = np.bincount(community[arr.rows[inside]], weights=arr.weights[inside], minlength=size)
    degree_sum = np.bincount(community, weights=degree, minlength=size)
    return float((internal / m - (degree_sum / (2 * m)) ** 2).sum())
