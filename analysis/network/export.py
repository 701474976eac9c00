"""The JSON form of a plan's collaboration network (`python -m analysis network --json`).

`network_dict` returns one object: ``nodes`` (one per agency, table order, with its
metrics), ``edges`` (one per tie, source before target in table order, sorted), and the
network-level numbers of `NetworkStats`. Floats are rounded to 6 decimals, whole numbers
are ints, task ids are as written (int when all digits). The output is byte-identical
across runs and hash seeds (tests/analysis/golden/network.json holds the bundled plan's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx

from analysis.model import json_task_id
from analysis.network._util import _round
from analysis.network.filters import filter_graph
from analysis.network.graphs import _node_order, co_assignment_graph
from analysis.network.metrics import agency_metrics
from analysis.vocab import Role

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

    from analysis.model import Plan

#: The network-level fields of the output, in order (after nodes and edges).
STATS_FIELDS = (
    "density", "communities", "components", "degree_centralization",
    "average_clustering", "modularity", "betweenness_sampled", "betweenness_k",
)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else _round(value)


def _node_dicts(metrics: pd.DataFrame) -> list[dict[str, Any]]:
    """One JSON object per row of `agency_metrics`."""
    return [
        {
            "name": row["agency"],
            "type": row["type"],
            Role.LEAD.value: int(row[Role.LEAD]),
            Role.SUPPORT.value: int(row[Role.SUPPORT]),
            "degree": int(row["degree"]),
            "weighted_degree": _number(row["weighted_degree"]),
            "betweenness": _round(row["betweenness"]),
            "closeness": _round(row["closeness"]),
            "eigenvector": _round(row["eigenvector"]),
            "core": int(row["core"]),
            "community": int(row["community"]),
        }
        for row in metrics.to_dict("records")
    ]


def _edge_dicts(graph: nx.Graph) -> list[dict[str, Any]]:
    """One JSON object per tie, source before target in table order, sorted by both."""
    order = _node_order(graph)
    edges = []
    for u, v, data in graph.edges(data=True):
        source, target = (u, v) if order[u] <= order[v] else (v, u)
        edges.append({
            "source": source,
            "target": target,
            "weight": int(data["weight"]),
            "tasks": [json_task_id(str(t)) for t in data.get("tasks", [])],
        })
    edges.sort(key=lambda e: (order[e["source"]], order[e["target"]]))
    return edges


def network_dict(
    plan: Plan,
    *,
    include_collective: bool = True,
    min_weight: int = 1,
    betweenness_sample_threshold: int = 500,
    seed: int = 42,
) -> dict[str, Any]:
    """The co-assignment network of a plan as one JSON-friendly object (`network --json`).

    nodes in `plan.agencies` order with their metrics; edges sorted by (source, target)
    table order; floats rounded to 6 decimals; task ids as written (int when all digits).
    """
    full = co_assignment_graph(plan.assignments, plan.agencies, tasks=plan.tasks)
    graph = filter_graph(full, include_collective=include_collective, min_weight=min_weight)
    metrics, stats = agency_metrics(graph, betweenness_sample_threshold=betweenness_sample_threshold, seed=seed)
    summary = stats.to_dict()
    return {
        "nodes": _node_dicts(metrics),
        "edges": _edge_dicts(graph),
        **{key: summary[key] for key in STATS_FIELDS},
    }
