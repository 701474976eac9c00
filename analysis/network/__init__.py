"""Collaboration networks of a plan: who works with whom, who bridges, who is central.

One family per module; every public name is re-exported here, so
``from analysis import network; network.co_assignment_graph(...)`` works:

* `analysis.network.graphs`: the three graphs read from `Plan.assignments` (one row per
  task × agency × role): `co_assignment_graph` (agencies linked by shared tasks, ``weight`` =
  shared tasks, ``tasks`` = their ids in table order), `lead_support_graph` (lead → support)
  and `bipartite_graph` (tasks and agencies, one edge per assignment with its role).
* `analysis.network.metrics`: `agency_metrics`, one row per agency (degree, weighted
  degree, betweenness, closeness, eigenvector, core number, community, core–periphery) and
  the network-level `NetworkStats`; the centralities one by one.
* `analysis.network.communities`: Louvain `communities` (1 = largest), k-core numbers and
  `core_periphery`.
* `analysis.network.fast`: the sparse-matrix paths for national-size graphs (same
  definitions, networkx's numbers up to 1e-12).
* `analysis.network.filters`: `filter_graph`, `legible_min_weight`, `hidden_summary`,
  `ego_network`, `partners`.
* `analysis.network.layout`: `layout`, deterministic positions in [-1, 1]².
* `analysis.network.explain`: `METRIC_EXPLANATIONS`, what each measure means (bilingual).
* `analysis.network.export`: `network_dict`, the JSON of ``python -m analysis network --json``.

Everything is a pure function of its inputs and deterministic: node order is table order
(the order of `Plan.agencies`), random algorithms take a fixed seed, and set-ordered
algorithms run on integer-relabelled copies, so results do not depend on Python's string
hash seed. Two runs, in the same process or in fresh ones, give identical numbers.
"""

from __future__ import annotations

from typing import Final

from analysis.network._util import ROUND_DIGITS
from analysis.network.communities import (
    FIRST_COMMUNITY,
    CorePosition,
    _core_numbers,
    communities,
    core_periphery,
)
from analysis.network.explain import METRIC_EXPLANATIONS, MetricExplanation
from analysis.network.export import network_dict
from analysis.network.fast import (
    DENSE_BFS_MAX_LEVELS,
    DENSE_BFS_MAX_NODES,
    MATRIX_MIN_EDGES,
    _arrays,
    _dense_bfs_pays,
)
from analysis.network.filters import (
    LEGIBLE_EDGES,
    ego_network,
    filter_graph,
    hidden_summary,
    legible_min_weight,
    partners,
)
from analysis.network.graphs import (
    TASK_NODE_PREFIX,
    bipartite_graph,
    co_assignment_graph,
    lead_support_graph,
    task_node,
)
from analysis.network.layout import (
    KAMADA_KAWAI_MAX_NODES,
    STRESS_MAX_ITERATIONS,
    layout,
)
from analysis.network.metrics import (
    DENSE_EIGEN_MAX_NODES,
    MAX_BETWEENNESS_SAMPLE,
    METRIC_COLUMNS,
    NetworkStats,
    agency_metrics,
    betweenness_centrality,
    closeness_centrality,
    degree_centralization,
    eigenvector_centrality,
)
from analysis.vocab import AgencyType

#: The type codes of the agency registry the network reads (kept for existing callers;
#: new code uses `analysis.vocab.AgencyType`).
COLLECTIVE_TYPE: Final = AgencyType.COLLECTIVE.value
UNKNOWN_TYPE: Final = AgencyType.UNKNOWN.value

__all__ = [
    "COLLECTIVE_TYPE",
    "DENSE_BFS_MAX_LEVELS",
    "DENSE_BFS_MAX_NODES",
    "DENSE_EIGEN_MAX_NODES",
    "FIRST_COMMUNITY",
    "KAMADA_KAWAI_MAX_NODES",
    "LEGIBLE_EDGES",
    "MATRIX_MIN_EDGES",
    "MAX_BETWEENNESS_SAMPLE",
    "METRIC_COLUMNS",
    "METRIC_EXPLANATIONS",
    "ROUND_DIGITS",
    "STRESS_MAX_ITERATIONS",
    "TASK_NODE_PREFIX",
    "UNKNOWN_TYPE",
    "CorePosition",
    "MetricExplanation",
    "NetworkStats",
    # private helpers that tests/benchmarks check against networkx
    "_arrays",
    "_core_numbers",
    "_dense_bfs_pays",
    "agency_metrics",
    "betweenness_centrality",
    "bipartite_graph",
    "closeness_centrality",
    "co_assignment_graph",
    "communities",
    "core_periphery",
    "degree_centralization",
    "ego_network",
    "eigenvector_centrality",
    "filter_graph",
    "hidden_summary",
    "layout",
    "lead_support_graph",
    "legible_min_weight",
    "network_dict",
    "partners",
    "task_node",
]
