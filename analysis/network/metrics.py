"""Agency metrics of the co-assignment graph and the network-level `NetworkStats`.

Definitions (the texts shown to users are in `analysis.network.explain`):

* degree: distinct partners; weighted degree: shared tasks summed over partners.
* betweenness: normalized, on *unweighted* shortest paths (hops: "how many hand-offs apart
  are two agencies"). Edge weights are tie strengths, not distances; networkx reads a
  `weight` passed to shortest-path measures as a length, which would make the strongest
  partnerships the *longest* paths. The alternative, distance = 1/weight, was rejected: the
  conversion is arbitrary, and it routes "shortest" paths around direct contacts (two
  agencies sharing one task are 1.0 apart, but 0.4 apart via a third agency they each share
  5 tasks with), crediting an intermediary between agencies that already work together.
  Exact up to `betweenness_sample_threshold` nodes, sampled above it (k =
  `MAX_BETWEENNESS_SAMPLE` pivots, fixed seed); `NetworkStats` records which.
* closeness: unweighted hops with the Wasserman–Faust correction (networkx's
  ``wf_improved=True``), so it is defined on disconnected graphs and small separate groups
  do not look central.
* eigenvector: the leading eigenvector of the weighted adjacency matrix. On a disconnected
  graph that vector lives on the component(s) with the largest eigenvalue; other components
  get 0 (they are not linked to the main group). It never raises: dense or fixed-start
  ARPACK solver → power iteration → normalised weighted degree.
* core, community, core_periphery: see `analysis.network.communities`.
* Network level: density, Freeman's degree centralization, connected components, average
  clustering (unweighted triangles), weighted modularity of the communities.

Everything is deterministic: node order is table order, random algorithms take a fixed
seed. Graphs from `MATRIX_MIN_EDGES` ties on (and closeness above 300 agencies) run the
sparse-matrix paths of `analysis.network.fast`, with the same definitions.
"""

from __future__ import annotations

import functools
import math
import random
import warnings
from collections.abc import Callable, Hashable
from dataclasses import asdict, dataclass
from typing import Any, Final

import networkx as nx
import numpy as np
import pandas as pd

from analysis.network._util import _round
from analysis.network.communities import (
    _core_numbers,
    _integer_copy,
    _louvain,
    core_periphery,
)
from analysis.network.fast import (
    MATRIX_MIN_EDGES,
    _Arrays,
    _arrays,
    _average_clustering,
    _brandes_matrix,
    _dense_bfs_pays,
    _hop_distances,
    _modularity,
    _ordered_component_indices,
)
from analysis.network.graphs import _induced
from analysis.vocab import AgencyType, Role

#: Pivots of a sampled betweenness.
MAX_BETWEENNESS_SAMPLE: Final = 200
#: Dense LAPACK eigen-solver up to this many nodes per component, ARPACK above.
DENSE_EIGEN_MAX_NODES: Final = 500

#: The columns of `agency_metrics`, in order.
METRIC_COLUMNS: Final = [
    "agency", "type", Role.LEAD.value, Role.SUPPORT.value, "tasks", "degree", "weighted_degree",
    "betweenness", "closeness", "eigenvector", "core", "community", "core_periphery",
]


@dataclass(frozen=True)
class NetworkStats:
    """Network-level numbers for one graph."""

    nodes: int
    edges: int
    density: float
    degree_centralization: float
    components: int
    average_clustering: float
    modularity: float
    communities: int
    betweenness_sampled: bool
    betweenness_k: int | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly; floats rounded to 6 decimals."""
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, float):
                out[key] = _round(value)
        return out


# ----------------------------------------------------------------------------- eigenvector


def _leading_eigenvector(
    matrix: Any, nodes: list[Hashable], subgraph: Callable[[], nx.Graph]
) -> tuple[float, dict[Hashable, float]]:
    """Leading eigenvalue and unit-norm eigenvector of one connected component's weighted
    adjacency matrix (`matrix`, CSR, rows in `nodes` order).

    Dense LAPACK up to 500 nodes, else ARPACK (`eigsh`) started from the all-ones vector: a
    fixed start keeps results bit-identical between calls (ARPACK's own random start differs
    in the last digit from call to call). Falls back to power iteration on `subgraph()` and
    finally to normalised weighted degree; never raises.
    """
    try:
        solved = _solve_eigen(matrix, nodes)
    except Exception:  # noqa: BLE001 - any solver failure: power iteration below
        solved = None
    if solved is not None:
        return solved
    return _power_iteration(subgraph(), nodes)


def _solve_eigen(matrix: Any, nodes: list[Hashable]) -> tuple[float, dict[Hashable, float]] | None:
    """Dense LAPACK or fixed-start ARPACK; None when the vector is zero or not finite."""
    n = len(nodes)
    if n <= DENSE_EIGEN_MAX_NODES:
        values, vectors = np.linalg.eigh(matrix.toarray())
        value, vector = float(values[-1]), vectors[:, -1]
    else:
        from scipy.sparse.linalg import eigsh

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values, vectors = eigsh(
                matrix, k=1, which="LA", v0=np.full(n, 1 / math.sqrt(n)), maxiter=max(1000, 20 * n)
            )
        value, vector = float(values[0]), vectors[:, 0]
    vector = vector * (1.0 if vector.sum() >= 0 else -1.0)
    norm = float(np.linalg.norm(vector))
    if norm > 0 and np.all(np.isfinite(vector)):
        return value, dict(zip(nodes, (vector / norm).tolist(), strict=True))
    return None


def _power_iteration(sub: nx.Graph, nodes: list[Hashable]) -> tuple[float, dict[Hashable, float]]:
    """networkx's power iteration on `sub`, else its normalised weighted degree; the
    eigenvalue is the Rayleigh quotient of the unit-norm result."""
    try:
        found = nx.eigenvector_centrality(sub, max_iter=1000, tol=1e-9, weight="weight")
    except Exception:  # noqa: BLE001 - last resort below
        found = {node: float(value) for node, value in sub.degree(weight="weight")}
    norm = math.sqrt(sum(x * x for x in found.values())) or 1.0
    vector_dict = {node: found[node] / norm for node in nodes}
    rayleigh = sum(2 * float(w) * vector_dict[u] * vector_dict[v] for u, v, w in sub.edges(data="weight", default=1))
    return rayleigh, vector_dict


def eigenvector_centrality(graph: nx.Graph, *, _arr: _Arrays | None = None) -> dict[Hashable, float]:
    """Weighted eigenvector centrality that never raises.

    The leading eigenvector of the whole weighted adjacency matrix (as networkx's
    `eigenvector_centrality_numpy(weight="weight")`, which refuses disconnected graphs): on
    a disconnected graph the component(s) with the largest leading eigenvalue keep their
    unit-norm vector (shared if tied) and every other node, isolates included, gets 0.
    """
    result = {node: 0.0 for node in graph}
    if graph.number_of_edges() == 0:
        return result
    if graph.is_directed():
        graph = graph.to_undirected()
    arr = _arr or _arrays(graph)
    matrix = arr.adjacency(weighted=True, loops=True)
    found = []
    for index in _ordered_component_indices(*arr.components()):
        if len(index) < 2:
            continue
        nodes = [arr.labels[i] for i in index.tolist()]
        found.append(_leading_eigenvector(matrix[index][:, index], nodes, functools.partial(_induced, graph, nodes)))
    top = max(value for value, _ in found)
    leaders = [vector for value, vector in found if value >= top * (1 - 1e-9)]
    scale = 1 / math.sqrt(len(leaders))
    for vector in leaders:
        for node, x in vector.items():
            result[node] = float(x) * scale
    return result


# ----------------------------------------------------------------------------- paths


def closeness_centrality(
    graph: nx.Graph, *, fast_threshold: int = 300, _arr: _Arrays | None = None
) -> dict[Hashable, float]:
    """networkx's closeness (unweighted hops, Wasserman–Faust correction for disconnected
    graphs); above `fast_threshold` nodes the same formula on hop distances computed in C
    (`_hop_distances`), in blocks of rows so memory stays bounded."""
    n = graph.number_of_nodes()
    if n <= fast_threshold:
        small: dict[Hashable, float] = nx.closeness_centrality(graph)
        return small
    arr = _arr or _arrays(graph.to_undirected() if graph.is_directed() else graph)
    matrix = arr.adjacency(weighted=False, loops=False)
    dense = matrix.toarray().astype(np.float32) if _dense_bfs_pays(matrix) else None
    result: dict[Hashable, float] = {}
    nodes = arr.labels
    block = max(1, min(n, 4_000_000 // n))
    for start in range(0, n, block):
        rows = np.arange(start, min(n, start + block))
        # undirected graph: distances from node i (row) equal distances to it
        dist = _hop_distances(matrix, rows, dense)
        reachable = np.isfinite(dist)
        totals = np.where(reachable, dist, 0.0).sum(axis=1)
        counts = reachable.sum(axis=1)  # includes the node itself
        for offset, i in enumerate(rows.tolist()):
            total, reach = float(totals[offset]), int(counts[offset])
            value = 0.0
            if total > 0 and n > 1:
                value = (reach - 1.0) / total
                value *= (reach - 1.0) / (n - 1)
            result[nodes[i]] = value
    return result


def betweenness_centrality(
    graph: nx.Graph, *, sample_threshold: int = 500, seed: int = 42, _arr: _Arrays | None = None
) -> tuple[dict[Hashable, float], int | None]:
    """Normalized betweenness on unweighted shortest paths, and the sample size used.

    Exact (k=None) up to `sample_threshold` nodes; above it, k=min(200, n) pivots drawn with
    `seed` (the pivots networkx draws: `random.Random(seed).sample(nodes, k)`). The second
    value is k when the result is a sample (k < n), else None.

    Undirected graphs with at least `MATRIX_MIN_EDGES` ties run Brandes' algorithm
    on a sparse matrix, a batch of sources at a time (`_brandes_matrix`); below that,
    networkx's `betweenness_centrality`. Both give the same numbers up to rounding.
    """
    n = graph.number_of_nodes()
    k = min(MAX_BETWEENNESS_SAMPLE, n) if n > sample_threshold else None
    if k is not None and k >= n:
        k = None
    fast = not graph.is_directed() and graph.number_of_edges() >= MATRIX_MIN_EDGES
    if not fast:
        found: dict[Hashable, float]
        if k is None:
            found = nx.betweenness_centrality(graph, normalized=True, weight=None)
        else:
            found = nx.betweenness_centrality(graph, k=k, normalized=True, weight=None, seed=seed)
        return found, k
    arr = _arr or _arrays(graph)
    nodes = arr.labels
    sources = list(range(n)) if k is None else random.Random(seed).sample(range(n), k)
    raw = _brandes_matrix(arr.adjacency(weighted=False, loops=False), sources)
    # networkx's rescaling (normalized, endpoints excluded, undirected)
    big_n = n - 1
    if big_n < 2:
        return {node: float(x) for node, x in zip(nodes, raw.tolist(), strict=True)}, k
    if k is None:
        scale = np.full(n, 1 / (big_n * (big_n - 1)))
    else:
        scale = np.full(n, 1 / (k * (big_n - 1)))
        scale[sources] = 1 / ((k - 1) * (big_n - 1)) if k > 1 else math.nan
    return dict(zip(nodes, (raw * scale).tolist(), strict=True)), k


def degree_centralization(graph: nx.Graph) -> float:
    """Freeman's degree centralization: Σ(max deg − deg_i) / ((n−1)(n−2)); 0 for n < 3."""
    n = graph.number_of_nodes()
    if n < 3:
        return 0.0
    degrees = [d for _, d in graph.degree()]
    top = max(degrees)
    return float(sum(top - d for d in degrees) / ((n - 1) * (n - 2)))


# ----------------------------------------------------------------------------- all together


@dataclass(frozen=True)
class _Measures:
    """The per-agency measures of one graph, keyed by node."""

    betweenness: dict[Hashable, float]
    sample: int | None
    closeness: dict[Hashable, float]
    eigenvector: dict[Hashable, float]
    cores: dict[Hashable, int]
    positions: dict[Hashable, str]
    groups: dict[Hashable, int]


def _measure(graph: nx.Graph, arr: _Arrays, *, betweenness_sample_threshold: int, seed: int) -> _Measures:
    """Step 1 of `agency_metrics`: every per-agency measure, on the undirected `graph`."""
    n = graph.number_of_nodes()
    betweenness, k = betweenness_centrality(
        graph, sample_threshold=betweenness_sample_threshold, seed=seed, _arr=arr
    )
    closeness = closeness_centrality(graph, _arr=arr)
    eigenvector = eigenvector_centrality(graph, _arr=arr)
    cores = _core_numbers(graph, arr) if n else {}
    positions = core_periphery(graph, cores)
    integer, labels = _integer_copy(graph)
    groups = _louvain(integer, labels, seed=seed) if n else {}
    return _Measures(betweenness, k, closeness, eigenvector, cores, positions, groups)


def _metrics_frame(graph: nx.Graph, nodes: list[Hashable], measures: _Measures) -> pd.DataFrame:
    """Step 2 of `agency_metrics`: one row per agency in `nodes` order, `METRIC_COLUMNS`."""
    weighted = dict(graph.degree(weight="weight"))
    degree = dict(graph.degree())
    attrs = graph.nodes
    frame = pd.DataFrame({
        "agency": nodes,
        "type": [str(attrs[a].get("type", AgencyType.UNKNOWN.value)) for a in nodes],
        Role.LEAD.value: [int(attrs[a].get(Role.LEAD.value, 0)) for a in nodes],
        Role.SUPPORT.value: [int(attrs[a].get(Role.SUPPORT.value, 0)) for a in nodes],
        "tasks": [int(attrs[a].get("tasks", 0)) for a in nodes],
        "degree": [int(degree[a]) for a in nodes],
        "weighted_degree": [weighted[a] for a in nodes],
        "betweenness": [float(measures.betweenness[a]) for a in nodes],
        "closeness": [float(measures.closeness[a]) for a in nodes],
        "eigenvector": [float(measures.eigenvector[a]) for a in nodes],
        "core": [int(measures.cores[a]) for a in nodes],
        "community": [int(measures.groups[a]) for a in nodes],
        "core_periphery": [measures.positions[a] for a in nodes],
    }, columns=METRIC_COLUMNS)
    return frame.astype({
        Role.LEAD.value: "int64", Role.SUPPORT.value: "int64", "tasks": "int64", "degree": "int64",
        "betweenness": "float64", "closeness": "float64",
        "eigenvector": "float64", "core": "int64", "community": "int64",
    })


def _network_stats(graph: nx.Graph, arr: _Arrays, measures: _Measures) -> NetworkStats:
    """Step 3 of `agency_metrics`: the network-level numbers."""
    n = graph.number_of_nodes()
    if graph.number_of_edges() > 0:
        modularity = _modularity(arr, measures.groups)
        clustering = _average_clustering(arr)
    else:
        modularity = 0.0
        clustering = 0.0
    return NetworkStats(
        nodes=n,
        edges=graph.number_of_edges(),
        density=float(nx.density(graph)) if n > 1 else 0.0,
        degree_centralization=float(degree_centralization(graph)),
        components=int(arr.components()[0]) if n else 0,
        average_clustering=clustering,
        modularity=modularity,
        communities=len(set(measures.groups.values())),
        betweenness_sampled=measures.sample is not None,
        betweenness_k=measures.sample,
    )


def agency_metrics(
    graph: nx.Graph,
    *,
    betweenness_sample_threshold: int = 500,
    seed: int = 42,
) -> tuple[pd.DataFrame, NetworkStats]:
    """One row per agency (graph node order) and the network-level numbers.

    Columns: agency, type, lead, support, tasks, degree (distinct partners), weighted_degree
    (shared tasks summed), betweenness (normalized, unweighted hops), closeness (unweighted,
    Wasserman–Faust), eigenvector (weighted; 0 outside the dominant component), core (k-core
    number), community (Louvain, 1 = largest), core_periphery (core/semi/periphery).

    Betweenness ignores weights on purpose: weights are tie strengths, and networkx would
    read them as distances (see the module docstring).
    """
    nodes = list(graph.nodes)
    if graph.is_directed():
        graph = graph.to_undirected()
    arr = _arrays(graph)  # built once, shared by the matrix-based measures
    measures = _measure(graph, arr, betweenness_sample_threshold=betweenness_sample_threshold, seed=seed)
    return _metrics_frame(graph, nodes, measures), _network_stats(graph, arr, measures)
