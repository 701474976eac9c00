"""Views of a co-assignment graph: filters, an agency's neighbourhood, what a filter hid.

Every function returns a new graph or table in table order and leaves its input alone.

* `filter_graph`: by theme (weights recounted on the theme's tasks), agency type, collective
  designations, the n agencies with most tasks, and minimum shared tasks per tie.
* `legible_min_weight`: the smallest minimum weight that leaves a readable number of ties.
* `hidden_summary`: how many agencies and ties a filter hid.
* `ego_network`, `partners`: one agency's neighbourhood and its partners with shared tasks.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable
from typing import Any, Final

import networkx as nx
import pandas as pd

from analysis.network.graphs import (
    DESCRIPTION_COLUMNS,
    _induced,
    _node_order,
    co_assignment_graph,
)
from analysis.vocab import AgencyType

#: Ties a network chart can draw and still be read (and drawn quickly).
LEGIBLE_EDGES: Final = 1500


# ----------------------------------------------------------------------------- filtering


def _theme_graph(
    graph: nx.Graph, themes: Collection[str], tasks: pd.DataFrame, assignments: pd.DataFrame
) -> nx.Graph:
    """Step 1 of `filter_graph`: the co-assignment graph rebuilt from `assignments` restricted
    to the tasks of `themes` and to the agencies of `graph` (their type and names kept), so
    weights, task lists and lead/support counts count only those tasks."""
    themes = set(themes)
    unknown = themes - set(tasks["theme"].astype(str))
    if unknown:
        raise ValueError(f"unknown theme(s): {', '.join(sorted(unknown))}")
    chosen = set(tasks.loc[tasks["theme"].astype(str).isin(themes), "task_id"].astype(str))
    restricted = assignments.loc[
        assignments["task_id"].astype(str).isin(chosen) & assignments["agency"].isin(set(graph.nodes))
    ]
    described = pd.DataFrame(
        [
            {"agency": node, **{k: v for k, v in data.items() if k in DESCRIPTION_COLUMNS}}
            for node, data in graph.nodes(data=True)
        ],
        columns=["agency", *DESCRIPTION_COLUMNS],
    )
    current = co_assignment_graph(restricted, described, tasks=tasks)
    current.graph.update(graph.graph)
    return current


def _type_of(graph: nx.Graph, node: Hashable) -> Any:
    return graph.nodes[node].get("type", AgencyType.UNKNOWN.value)


def _kept_nodes(
    graph: nx.Graph, *, types: Collection[str] | None, include_collective: bool, top_n: int | None
) -> list[Hashable]:
    """Steps 2–4 of `filter_graph`: the nodes of `graph` (in its order) that pass the type,
    collective and top-n filters."""
    keep = list(graph.nodes)
    if types is not None:
        wanted = set(types)
        keep = [n for n in keep if _type_of(graph, n) in wanted]
    if not include_collective:
        keep = [n for n in keep if _type_of(graph, n) != AgencyType.COLLECTIVE]
    if top_n is not None:
        order = _node_order(graph)
        ranked = sorted(keep, key=lambda n: (-int(graph.nodes[n].get("tasks", 0)), order[n]))
        chosen_nodes = set(ranked[:top_n])
        keep = [n for n in keep if n in chosen_nodes]
    return keep


def filter_graph(
    graph: nx.Graph,
    *,
    types: Collection[str] | None = None,
    themes: Collection[str] | None = None,
    min_weight: int = 1,
    include_collective: bool = True,
    top_n: int | None = None,
    tasks: pd.DataFrame | None = None,
    assignments: pd.DataFrame | None = None,
    drop_isolates: bool = False,
) -> nx.Graph:
    """A new, filtered co-assignment graph; the input is not changed.

    Applied in this order:
    1. `themes`: rebuild from `assignments` restricted to the tasks of those themes (needs
       `tasks` and `assignments`), so weights, task lists and lead/support counts count only
       those tasks; only agencies of `graph` with a task in the themes stay.
    2. `types`: keep agencies of those types.
    3. `include_collective=False`: drop collective designations (各省级单位, 各市相关单位 …,
       type "collective"), which join many agencies at once and distort centrality.
    4. `top_n`: keep the n agencies with the most tasks (ties in table order).
    5. `min_weight`: drop edges with fewer shared tasks; nodes stay unless `drop_isolates`.
    """
    if min_weight < 1:
        raise ValueError(f"min_weight must be at least 1, got {min_weight}")
    if top_n is not None and top_n < 0:
        raise ValueError(f"top_n must not be negative, got {top_n}")
    if themes is not None:
        if tasks is None or assignments is None:
            raise ValueError("filtering by theme needs the plan's tasks and assignments")
        current = _theme_graph(graph, themes, tasks, assignments)
    else:
        current = graph  # copied once below, after the nodes to keep are known
    keep = _kept_nodes(current, types=types, include_collective=include_collective, top_n=top_n)
    if current is graph or len(keep) != current.number_of_nodes():
        current = _induced(current, keep, min_weight=min_weight if min_weight > 1 else None)
    elif min_weight > 1:  # the theme graph is new already: trim it in place
        current.remove_edges_from(
            [(u, v) for u, v, w in current.edges(data="weight", default=1) if w < min_weight]
        )
    if drop_isolates:
        current.remove_nodes_from([n for n in current if current.degree(n) == 0])
    return current


def legible_min_weight(graph: nx.Graph, max_edges: int = LEGIBLE_EDGES) -> int:
    """The smallest "minimum shared tasks" that leaves at most `max_edges` ties: 1 when the
    graph has no more; never above its heaviest tie (which always stays)."""
    if max_edges < 0:
        raise ValueError(f"max_edges must not be negative, got {max_edges}")
    weights = sorted((int(w) for _, _, w in graph.edges(data="weight", default=1)), reverse=True)
    if len(weights) <= max_edges:
        return 1
    # ties heavier than the (max_edges + 1)-th heaviest are at most max_edges
    return min(weights[max_edges] + 1, weights[0])


def hidden_summary(full: nx.Graph, shown: nx.Graph) -> dict[str, int]:
    """What a filter hid, for the notice under the chart: nodes_hidden and edges_hidden
    (agencies / ties of `full` not in `shown`), plus the totals."""
    nodes_hidden = sum(1 for n in full if n not in shown)
    edges_hidden = sum(1 for u, v in full.edges if not shown.has_edge(u, v))
    return {
        "nodes_hidden": nodes_hidden,
        "edges_hidden": edges_hidden,
        "nodes_total": full.number_of_nodes(),
        "edges_total": full.number_of_edges(),
        "nodes_shown": shown.number_of_nodes(),
        "edges_shown": shown.number_of_edges(),
    }


# ----------------------------------------------------------------------------- neighbourhoods


def _require(graph: nx.Graph, agency: Hashable) -> None:
    if agency not in graph:
        raise KeyError(f"单位“{agency}”不在协作网络中 | agency '{agency}' is not in the network")


def ego_network(
    graph: nx.Graph, agency: Hashable, radius: int = 1, *, max_partners: int | None = None
) -> nx.Graph:
    """The agency, every agency within `radius` shared-task steps, and the ties among them
    (a new graph in table order). Unknown agency → KeyError.

    `max_partners` (radius 1 only) keeps the agency's heaviest partners (most shared tasks,
    ties in table order): a hub of a national programme works with most of 2 000 agencies,
    and its full ego network is the whole graph again."""
    _require(graph, agency)
    if max_partners is not None:
        if radius != 1:
            raise ValueError("max_partners needs radius 1")
        if max_partners < 0:
            raise ValueError(f"max_partners must not be negative, got {max_partners}")
        order = _node_order(graph)
        ties = graph[agency]
        heaviest = sorted(
            (v for v in ties if v != agency), key=lambda v: (-ties[v].get("weight", 1), order[v])
        )[:max_partners]
        return _induced(graph, [agency, *heaviest])
    reach = nx.single_source_shortest_path_length(graph, agency, cutoff=radius)
    return _induced(graph, reach)


def partners(graph: nx.Graph, agency: Hashable) -> pd.DataFrame:
    """The agency's partners: partner, type, weight (shared tasks), tasks (ids in table
    order); heaviest first, ties in table order. Unknown agency → KeyError."""
    _require(graph, agency)
    order = _node_order(graph)
    rows = [
        {
            "partner": other,
            "type": str(_type_of(graph, other)),
            "weight": int(data.get("weight", 1)),
            "tasks": list(data.get("tasks", [])),
        }
        for other, data in graph[agency].items()
        if other != agency
    ]
    rows.sort(key=lambda r: (-r["weight"], order[r["partner"]]))
    return pd.DataFrame(rows, columns=["partner", "type", "weight", "tasks"]).astype({"weight": "int64"})
