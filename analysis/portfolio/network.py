"""The network across plans: agencies (keys across plans) linked by tasks they share in any plan.

Definitions
-----------
* Nodes: every agency (``AgencyKey.as_text()``) on a task of the chosen plans, with ``name``,
  ``region``, ``type``, ``lead``, ``support``, ``tasks`` (a task once per agency) and ``plans``.
* Edges: one per pair of agencies on at least one same task; ``weight`` = shared tasks summed
  over the plans, ``plans`` = {plan_id: shared tasks in that plan} (the plan as edge attribute).
* Filter by plan: :func:`cross_plan_graph` with ``plan_ids`` (or scope the portfolio first).
* Centrality across the portfolio (:func:`centrality`): degree, weighted degree, betweenness
  (sampled above 500 agencies), eigenvector and k-core of that graph (``analysis.network``'s
  definitions), with each agency's name and region.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Final

import networkx as nx
import numpy as np
import pandas as pd

from analysis.network import _arrays, betweenness_centrality, eigenvector_centrality
from analysis.portfolio.load import Portfolio, role_counts
from analysis.vocab import Role

CENTRALITY_COLUMNS: Final = [
    "key", "name", "region", "type", "lead", "support", "tasks", "plans", "degree", "weighted_degree",
    "betweenness", "eigenvector", "core",
]


def cross_plan_graph(portfolio: Portfolio, plan_ids: Collection[int] | None = None,
                     types: Collection[str] | None = None) -> nx.Graph:
    """The agencies of the portfolio's plans (``plan_ids`` only, if given; agencies of ``types``
    only, if given) linked by shared tasks, as defined in the module docstring."""
    rows = portfolio.assignments
    if plan_ids is not None:
        rows = rows.loc[rows["plan_id"].isin(list(plan_ids))]
    if types is not None:
        rows = rows.loc[rows["type"].isin(list(types))]
    rows = rows.sort_values("role", kind="stable").drop_duplicates(["plan_id", "task_id", "key"])
    graph = nx.Graph(kind="cross_plan")
    if rows.empty:
        return graph
    counts = role_counts(rows, ["key"]).set_index("key")
    first = rows.groupby("key", sort=False).agg(name=("key_name", "first"), region=("key_region", "first"),
                                                type=("type", "first"), plans=("plan_id", "nunique"))
    order = first.assign(tasks=counts[Role.LEAD.value] + counts[Role.SUPPORT.value]).sort_values(
        ["tasks"], ascending=False, kind="stable")
    keys = [str(k) for k in order.index]
    lead = counts[Role.LEAD.value].reindex(order.index).astype("int64").tolist()
    support = counts[Role.SUPPORT.value].reindex(order.index).astype("int64").tolist()
    graph.add_nodes_from(
        (key, {"name": str(name), "region": str(region), "type": str(kind), "lead": led, "support": supported,
               "tasks": int(tasks), "plans": int(plans)})
        for key, name, region, kind, led, supported, tasks, plans in zip(
            keys, order["name"].tolist(), order["region"].tolist(), order["type"].tolist(), lead, support,
            order["tasks"].tolist(), order["plans"].tolist(), strict=True))
    plan_codes, plan_values = pd.factorize(rows["plan_id"])
    codes = pd.DataFrame({
        "t": rows.groupby(["plan_id", "task_id"], sort=False).ngroup().to_numpy(),
        "p": plan_codes,
        "a": pd.Index(order.index).get_indexer(rows["key"]).astype("int64"),
    })
    pairs = codes.merge(codes[["t", "a"]], on="t", suffixes=("_u", "_v"))
    pairs = pairs.loc[pairs["a_u"].to_numpy() < pairs["a_v"].to_numpy()]
    nodes = keys
    if pairs.empty:
        return graph
    n, plans_n = len(nodes), len(plan_values)
    # One integer per (pair, plan): shared tasks per plan by counting, edges by its boundaries.
    code = (pairs["a_u"].to_numpy() * n + pairs["a_v"].to_numpy()) * plans_n + pairs["p"].to_numpy()
    unique, counts = np.unique(code, return_counts=True)
    edge = unique // plans_n
    starts = np.concatenate([[0], np.flatnonzero(np.diff(edge)) + 1])
    weights = np.add.reduceat(counts, starts).tolist()
    # Each (pair, plan)'s plan id and shared tasks as lists: an edge's {plan: shared} is one zip of two slices.
    plan_of = np.asarray([int(p) for p in plan_values], dtype="int64")[unique % plans_n].tolist()
    shared = counts.tolist()
    ends = [*starts[1:].tolist(), len(unique)]
    graph.add_edges_from(
        (nodes[e // n], nodes[e % n], {"weight": int(w), "plans": dict(zip(plan_of[a:b], shared[a:b], strict=True))})
        for e, w, a, b in zip(edge[starts].tolist(), weights, starts.tolist(), ends, strict=True)
    )
    return graph


def plan_subgraph(graph: nx.Graph, plan_ids: Collection[int]) -> nx.Graph:
    """The edges of ``graph`` shared in the given plans (weights counted in those plans only),
    with their end nodes."""
    wanted = {int(p) for p in plan_ids}
    sub = nx.Graph(kind="cross_plan")
    for u, v, data in graph.edges(data=True):
        shared = {p: n for p, n in data["plans"].items() if p in wanted}
        if shared:
            for node in (u, v):
                if node not in sub:
                    sub.add_node(node, **graph.nodes[node])
            sub.add_edge(u, v, weight=sum(shared.values()), plans=shared)
    return sub


@dataclass(frozen=True)
class PortfolioNetworkStats:
    nodes: int
    edges: int
    density: float
    components: int
    betweenness_k: int | None  # pivots of the sampled betweenness (None: exact)


def centrality(graph: nx.Graph, *, betweenness_sample_threshold: int = 500) -> tuple[pd.DataFrame,
                                                                                       PortfolioNetworkStats]:
    """Centrality of every agency across the portfolio (``CENTRALITY_COLUMNS``), most central
    (weighted degree) first, and the network's size.

    The measures of ``analysis.network`` that stay fast on a government's whole network (2 000
    agencies, 100 000 ties): degree, weighted degree (shared tasks), betweenness (unweighted
    hops; sampled with 200 pivots above ``betweenness_sample_threshold`` agencies), eigenvector
    (weighted) and k-core. Closeness and communities (one plan's network page) are left out.
    """
    nodes = list(graph.nodes)
    arrays = _arrays(graph) if graph.number_of_edges() else None  # the graph as arrays once, for both measures
    betweenness, k = betweenness_centrality(graph, sample_threshold=betweenness_sample_threshold, _arr=arrays)
    eigenvector = eigenvector_centrality(graph, _arr=arrays)
    cores = nx.core_number(graph) if len(nodes) else {}
    weighted = dict(graph.degree(weight="weight"))
    degree = dict(graph.degree())
    attrs = graph.nodes
    metrics = pd.DataFrame({
        "key": nodes,
        "name": [str(attrs[n]["name"]) for n in nodes],
        "region": [str(attrs[n]["region"]) for n in nodes],
        "type": [str(attrs[n]["type"]) for n in nodes],
        "lead": [int(attrs[n]["lead"]) for n in nodes],
        "support": [int(attrs[n]["support"]) for n in nodes],
        "tasks": [int(attrs[n]["tasks"]) for n in nodes],
        "plans": [int(attrs[n]["plans"]) for n in nodes],
        "degree": [int(degree[n]) for n in nodes],
        "weighted_degree": [int(weighted[n]) for n in nodes],
        "betweenness": [float(betweenness[n]) for n in nodes],
        "eigenvector": [float(eigenvector[n]) for n in nodes],
        "core": [int(cores[n]) for n in nodes],
    }, columns=CENTRALITY_COLUMNS)
    metrics = metrics.sort_values(["weighted_degree", "degree", "key"], ascending=[False, False, True], kind="stable")
    n = len(nodes)
    stats = PortfolioNetworkStats(n, graph.number_of_edges(), float(nx.density(graph)) if n > 1 else 0.0,
                                  nx.number_connected_components(graph) if n else 0, k)
    return metrics.reset_index(drop=True), stats
