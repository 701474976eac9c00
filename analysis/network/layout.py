"""Node positions for drawing a network: deterministic, in [-1, 1]², one box per component.

Each connected component is laid out on its own and the pieces are packed in rows, largest
first, in boxes with area proportional to their size (one spring layout of a whole
disconnected graph pushes small pieces to the edge and squeezes the main group into a
corner).

* Components up to `KAMADA_KAWAI_MAX_NODES` nodes: Kamada–Kawai on hop distances — the
  positions minimising Σ_{i<j} (|x_i − x_j| − d_ij)² / d_ij², found by stress majorisation
  (`_stress_layout`). Tie strength is shown by edge width instead.
* Larger components: Fruchterman–Reingold (`_force_layout`: repulsion k²/d, attraction
  weight·d²/k with log-scaled weights, fixed seed).

Same graph and seed → byte-identical output.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, Final

import networkx as nx
import numpy as np

from analysis.network._util import _round
from analysis.network.fast import _Arrays, _arrays, _ordered_component_indices

#: Kamada–Kawai (stress) layout up to this many nodes per component, force layout above.
KAMADA_KAWAI_MAX_NODES: Final = 300
#: Stress majorisation stops after this many steps at the latest.
STRESS_MAX_ITERATIONS: Final = 300


def _component_box(n: int, rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, seed: int) -> np.ndarray:
    """Positions of one connected component (nodes 0..n-1, edges as index arrays with
    log-scaled weights) centred in [-1, 1]²."""
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[-1.0, 0.0], [1.0, 0.0]])
    arr = _Arrays(list(range(n)), rows, cols, weights)
    if n <= KAMADA_KAWAI_MAX_NODES:
        raw = _stress_layout(arr.adjacency(weighted=False, loops=False), seed)
    else:
        raw = _force_layout(
            arr.adjacency(weighted=True, loops=False), k=1.8 / math.sqrt(n),
            iterations=50 if n <= 1000 else 30, seed=seed,
        )
    return _normalise(raw)


def _stress_layout(adjacency: Any, seed: int) -> np.ndarray:
    """Kamada–Kawai layout of a connected graph: the positions minimising the energy
    Σ_{i<j} (|x_i − x_j| − d_ij)² / d_ij² over hop distances d_ij (networkx's
    `kamada_kawai_layout` with weight=None minimises the same energy).

    Minimised by stress majorisation (SMACOF: each step solves the quadratic majorant
    exactly, so the energy never increases) from a classical-MDS start, instead of
    networkx's L-BFGS from a circle: ~2 ms for 35 agencies and ~0.1 s for 300 where
    networkx took 0.1 s and 3–4 s. A seeded jitter of 0.1 % of the layout's size separates
    agencies with the same distances to all others (two partners of the same single
    agency), which MDS would put on one spot.
    """
    from scipy.sparse.csgraph import shortest_path

    d = np.asarray(shortest_path(adjacency, method="D", directed=False, unweighted=True))
    weights = np.zeros_like(d)
    off = d > 0
    weights[off] = d[off] ** -2.0
    x = _mds_start(d)
    x = x + np.random.default_rng(seed).normal(scale=1e-3 * max(float(d.max()), 1.0), size=x.shape)
    return _majorise(x, d, weights)


def _mds_start(d: np.ndarray) -> np.ndarray:
    """Classical MDS of the hop distances `d` (double centring of d², element-wise): the
    top two eigenpairs only (a full eigh / pinv took up to a second each on the busy 2-core
    machine, for 200 nodes), eigenvector signs fixed so the largest entry is positive."""
    from scipy.linalg import eigh

    n = len(d)
    squared = d * d
    gram = -0.5 * (squared - squared.mean(axis=0)[None, :] - squared.mean(axis=1)[:, None] + squared.mean())
    values, vectors = eigh(gram, subset_by_index=[n - 2, n - 1])
    if vectors.shape[1] < 2:
        # LAPACK's subset driver can return no pair at all when equal eigenvalues straddle
        # the subset's edge (a star's ego network): the full decomposition then
        values, vectors = np.linalg.eigh(gram)
        values, vectors = values[-2:], vectors[:, -2:]
    x: np.ndarray = vectors[:, [1, 0]] * np.sqrt(np.maximum(values[[1, 0]], 1e-9))
    for axis in range(2):  # eigenvector signs are arbitrary: fix them
        column = x[:, axis]
        if column[int(np.argmax(np.abs(column)))] < 0:
            x[:, axis] = -column
    return x


def _majorise(x: np.ndarray, d: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """SMACOF from `x`: Guttman transforms x ← L⁺ B(x) x until the stress
    Σ w_ij (|x_i − x_j| − d_ij)² / 2 falls by less than 1e-6 of itself (or
    `STRESS_MAX_ITERATIONS` steps)."""
    from scipy.linalg import cho_factor, cho_solve

    n = len(d)
    laplacian = -weights
    np.fill_diagonal(laplacian, weights.sum(axis=1))
    # B(x) x sums to 0 over nodes, so (L + 11ᵀ/n)⁻¹, which equals L⁺ + 11ᵀ/n on a connected
    # graph, gives the same step (Cholesky, not a pinv SVD).
    inverse = cho_solve(cho_factor(laplacian + 1.0 / n), np.eye(n))
    previous = math.inf
    for _ in range(STRESS_MAX_ITERATIONS):
        diff = x[:, None, :] - x[None, :, :]
        dist = np.sqrt((diff * diff).sum(axis=-1))
        energy = float((weights * (dist - d) ** 2).sum() / 2)
        if previous - energy < 1e-6 * previous:
            break
        previous = energy
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(dist > 1e-12, d / dist, 0.0)
        guttman = -weights * ratio
        np.fill_diagonal(guttman, 0.0)
        np.fill_diagonal(guttman, -guttman.sum(axis=1))
        # einsum (not @): its own loops instead of multithreaded BLAS for these thin products
        x = np.einsum("ij,jk->ik", inverse, np.einsum("ij,jk->ik", guttman, x))
    return x


def _force_layout(adjacency: Any, *, k: float, iterations: int, seed: int) -> np.ndarray:
    """Fruchterman–Reingold: networkx's dense `spring_layout` forces (repulsion k²/d,
    attraction weight·d²/k, temperature from 10 % of the start's size cooling linearly to
    0), vectorised in row blocks so memory stays bounded, from a seeded random start.
    networkx switches to a per-node Python loop above 500 nodes (10 s for 2 000 agencies;
    this takes ~1 s)."""
    n = adjacency.shape[0]
    pos = np.random.RandomState(seed).rand(n, 2)
    temperature = float(np.max(pos.max(axis=0) - pos.min(axis=0))) * 0.1
    cooling = temperature / (iterations + 1)
    dense = adjacency.toarray() if n <= 4000 else None
    block = max(1, min(n, 2_000_000 // n))
    for _ in range(iterations):
        displacement = np.empty((n, 2))
        x, y = pos[:, 0], pos[:, 1]
        for start in range(0, n, block):
            stop = min(n, start + block)
            # Element-wise only: no BLAS call, whose threads stall on a busy 2-core machine
            # (the same layout took 0.3 s or 2 s depending on the neighbours).
            # (in place where possible: at 763 agencies each iteration is ~4 ms, temporaries
            # included)
            dx = np.subtract.outer(x[start:stop], x)
            dy = np.subtract.outer(y[start:stop], y)
            squared = dx * dx
            squared += dy * dy
            np.maximum(squared, 1e-4, out=squared)  # distance clipped at 0.01
            distance = np.sqrt(squared)
            weight = dense[start:stop] if dense is not None else adjacency[start:stop].toarray()
            distance *= weight
            distance *= 1.0 / k
            force = np.divide(k * k, squared, out=squared)
            force -= distance  # k²/d² − weight·d/k
            displacement[start:stop, 0] = np.einsum("ij,ij->i", dx, force)
            displacement[start:stop, 1] = np.einsum("ij,ij->i", dy, force)
        length = np.sqrt((displacement * displacement).sum(axis=-1))
        length = np.where(length < 0.01, 0.1, length)
        step = displacement * (temperature / length)[:, None]
        pos += step
        temperature -= cooling
        if np.linalg.norm(step) / n < 1e-4:
            break
    return pos


def _normalise(coords: np.ndarray) -> np.ndarray:
    """Centre the bounding box on 0 and scale the larger half-side to 1 (aspect kept)."""
    low, high = coords.min(axis=0), coords.max(axis=0)
    half = float(np.max((high - low) / 2))
    centred: np.ndarray = coords - (low + high) / 2
    return centred / half if half > 0 else centred * 0


def layout(graph: nx.Graph, seed: int = 42) -> dict[Hashable, tuple[float, float]]:
    """Deterministic 2-D positions in [-1, 1], rounded to 6 decimals.

    Each connected component is laid out on its own and the pieces are packed in rows,
    largest first, in boxes with area proportional to their size (one spring layout of a
    whole disconnected graph pushes small pieces to the edge and squeezes the main group
    into a corner).

    * Components up to 300 nodes: Kamada–Kawai on hop distances (`_stress_layout`). On the
      Zhejiang plan it spread the main group over the whole box with about 3× the
      nearest-neighbour spacing of `spring_layout` (whose degree-1 agencies fly out and
      crowd the core). Tie strength is shown by edge width instead.
    * Larger components: Fruchterman–Reingold (`_force_layout`, weights log-scaled, fixed
      `seed`, spacing k = 1.8/√n, 50 iterations up to 1 000 nodes, 30 above).

    The result is centred and scaled so the largest coordinate is ±1 (aspect kept).
    Same graph and seed → byte-identical output.
    """
    n = graph.number_of_nodes()
    if n == 0:
        return {}
    arr = _arrays(graph.to_undirected() if graph.is_directed() else graph)
    coords = _pack(arr, _component_edges(arr), seed)
    coords = np.clip(_normalise(coords), -1.0, 1.0)
    return {arr.labels[i]: (_round(px), _round(py)) for i, (px, py) in enumerate(coords.tolist())}


@dataclass(frozen=True)
class _ComponentEdges:
    """The ties of a graph (self-loops dropped) grouped by connected component: component
    `label`'s ties are ``order[bounds[label]:bounds[label + 1]]`` (indices into rows, cols
    and weights, in graph order), weights log-scaled (1 + ln w)."""

    count: int
    labels: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    weights: np.ndarray
    order: np.ndarray
    bounds: np.ndarray

    def of(self, label: int) -> np.ndarray:
        return self.order[self.bounds[label]:self.bounds[label + 1]]


def _component_edges(arr: _Arrays) -> _ComponentEdges:
    """Step 1 of `layout`: components and their ties."""
    weights = np.where(arr.weights >= 1, 1.0 + np.log(np.maximum(arr.weights, 1.0)), np.maximum(arr.weights, 0.0))
    count, labels = arr.components()
    keep = arr.rows != arr.cols
    rows, cols = arr.rows[keep], arr.cols[keep]
    edge_component = labels[rows]
    order = np.argsort(edge_component, kind="stable")
    bounds = np.searchsorted(edge_component[order], np.arange(count + 1))
    return _ComponentEdges(count, labels, rows, cols, weights[keep], order, bounds)


def _pack(arr: _Arrays, edges: _ComponentEdges, seed: int) -> np.ndarray:
    """Step 2 of `layout`: each component laid out in its own square box (side √size, 80 %
    used), boxes packed in rows of width max(largest side, √n), largest component first
    (ties by first node), rows going downwards."""
    components = sorted(
        _ordered_component_indices(edges.count, edges.labels), key=lambda c: (-len(c), int(c[0]))
    )
    local = np.empty(arr.n, dtype=np.int64)
    sides = [math.sqrt(len(c)) for c in components]
    row_width = max(max(sides), math.sqrt(sum(s * s for s in sides)))
    coords = np.zeros((arr.n, 2))
    x = y = row_height = 0.0
    for component, side in zip(components, sides, strict=True):
        if x > 0 and x + side > row_width + 1e-9:
            x, y, row_height = 0.0, y + row_height, 0.0
        ties = edges.of(int(edges.labels[component[0]]))
        local[component] = np.arange(len(component))
        box = _component_box(
            len(component), local[edges.rows[ties]], local[edges.cols[ties]], edges.weights[ties], seed
        )
        inner = side / 2 * (0.8 if len(component) > 1 else 0)  # margin between boxes
        centre = np.array([x + side / 2, -(y + side / 2)])  # rows go downwards
        coords[component] = centre + box * inner
        x += side
        row_height = max(row_height, side)
    return coords
