"""Groups of agencies: Louvain communities, k-core numbers and the core–periphery split.

* Community: a group of agencies that share many more tasks among themselves than with
  others, found by the Louvain method on tie strengths (``weight``) with a fixed seed.
  Communities are numbered 1, 2, … by descending size, ties by their earliest member in
  table order: community 1 is the largest, and the numbers are those shown everywhere
  (metrics table, JSON output, chart legend).
* Core number (k-core): the largest k such that the agency belongs to a group in which
  every member shares a task with at least k other members (self-loops ignored).
* Core–periphery: ``core`` for the maximum k-core, ``semi`` for a core number of at least
  half the maximum, ``periphery`` otherwise (every agency when there are no ties at all).

Louvain iterates sets, so it runs on an integer-relabelled copy (`_integer_copy`): results
do not depend on Python's string hash seed.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from enum import StrEnum

import networkx as nx

from analysis.network.fast import MATRIX_MIN_EDGES, _Arrays, _arrays, _peel_core_numbers

#: The number of the largest community; the rest follow by size.
FIRST_COMMUNITY = 1


class CorePosition(StrEnum):
    """An agency's place in the k-core layers."""

    CORE = "core"
    SEMI = "semi"
    PERIPHERY = "periphery"


def _integer_copy(graph: nx.Graph) -> tuple[nx.Graph, list[Hashable]]:
    """The graph with nodes 0..n-1 in node order (only `weight` kept) and the label list."""
    labels = list(graph.nodes)
    index = {n: i for i, n in enumerate(labels)}
    copy = nx.Graph()
    copy.add_nodes_from(range(len(labels)))
    copy.add_weighted_edges_from(
        (index[u], index[v], float(w)) for u, v, w in graph.edges(data="weight", default=1)
    )
    return copy, labels


def communities(graph: nx.Graph, seed: int = 42) -> dict[Hashable, int]:
    """Louvain communities (weighted, fixed seed), numbered 1, 2, … by descending size,
    ties by the earliest member in table order; every node gets a number."""
    if graph.number_of_nodes() == 0:
        return {}
    if graph.is_directed():
        graph = graph.to_undirected()
    return _louvain(*_integer_copy(graph), seed=seed)


def _louvain(integer: nx.Graph, labels: list[Hashable], *, seed: int) -> dict[Hashable, int]:
    """Louvain on the integer copy, numbered from `FIRST_COMMUNITY` by (−size, first member);
    a graph without ties is one community per node."""
    parts: list[set[int]]
    if integer.number_of_edges() == 0:
        parts = [{i} for i in integer]
    else:
        parts = nx.community.louvain_communities(integer, weight="weight", seed=seed)
    ordered = sorted(parts, key=lambda part: (-len(part), min(part)))
    return {
        labels[node]: number
        for number, part in enumerate(ordered, start=FIRST_COMMUNITY)
        for node in part
    }


def core_periphery(graph: nx.Graph, cores: Mapping[Hashable, int] | None = None) -> dict[Hashable, str]:
    """"core" in the maximum k-core, "semi" for core number ≥ half the maximum, else
    "periphery" (also every agency when there are no ties at all). `cores`: the graph's
    core numbers when already computed."""
    if graph.number_of_nodes() == 0:
        return {}
    if cores is None:
        cores = _core_numbers(graph)
    top = max(cores.values())
    result: dict[Hashable, str] = {}
    for node in graph:
        k = cores[node]
        if top > 0 and k == top:
            result[node] = CorePosition.CORE.value
        elif top > 0 and k >= top / 2:
            result[node] = CorePosition.SEMI.value
        else:
            result[node] = CorePosition.PERIPHERY.value
    return result


def _core_numbers(graph: nx.Graph, arr: _Arrays | None = None) -> dict[Hashable, int]:
    """k-core numbers (networkx's `core_number`, which refuses self-loops: they are dropped).
    From `MATRIX_MIN_EDGES` ties on, peeled on the adjacency matrix instead
    (`_peel_core_numbers`: the same numbers, a fraction of the time)."""
    if not graph.is_directed() and graph.number_of_edges() >= MATRIX_MIN_EDGES:
        return _peel_core_numbers(arr or _arrays(graph))
    if graph.is_directed() or nx.number_of_selfloops(graph):
        graph = nx.Graph(graph)
        graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    return {n: int(k) for n, k in nx.core_number(graph).items()}
