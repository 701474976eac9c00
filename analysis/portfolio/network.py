"""The network across plans: agencies (keys across plans) linked by tasks they share in any plan.

Definitions
-----------
* Nodes: every agency (``AgencyKey.as_text()``) on a task of the chosen plans, with ``name``,
  ``region``, ``type``, ``lead``, ``support``, ``tasks`` (a task once per agency) and ``plans``.
* Edges: one per pair of agencies on at least one same task; ``weight`` = shared tasks summed
  over the plans, ``plans`` = {plan_id: shared tasks in that plan} (the plan as edge attribute).
* Filter by plan: :func:`cross_plan_graph` with ``plan_ids`` (or scope the portfolio first).
* Centrality across the portfolio: ``analysis.network.agency_metrics`` of that graph (degree,
  weighted degree, betweenness — sampled above 500 agencies —, closeness, eigenvector, core,
  community), with each agency's name and region.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

import networkx as nx
import pandas as pd

from analysis.network import NetworkStats, agency_metrics
from analysis.portfolio.load import Portfolio, role_counts
from analysis.vocab import Role

CENTRALITY_COLUMNS: Final = [
    "key", "name", "region", "type", "lead", "support", "tasks", "plans", "degree", "weighted_degree",
    "betweenness", "eigenvector", "core", "community",
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
    for key, row in order.iterrows():
        graph.add_node(str(key), name=str(row["name"]), region=str(row["region"]), type=str(row["type"]),
                       lead=int(counts.at[key, Role.LEAD.value]), support=int(counts.at[key, Role.SUPPORT.value]),
                       tasks=int(row["tasks"]), plans=int(row["plans"]))
    codes = pd.DataFrame({
        "t": pd.factorize(rows["plan_id"].astype(str) + "\x1f" + rows["task_id"].astype(str))[0],
        "p": rows["plan_id"].to_numpy(),
        "a": pd.Categorical(rows["key"], categories=list(order.index)).codes,
    })
    pairs = codes.merge(codes[["t", "a"]], on="t", suffixes=("_u", "_v"))
    pairs = pairs.loc[pairs["a_u"].to_numpy() < pairs["a_v"].to_numpy()]
    per_plan = pairs.groupby(["a_u", "a_v", "p"]).size().reset_index(name="n")
    nodes = [str(k) for k in order.index]
    edges: dict[tuple[int, int], dict[int, int]] = {}
    for u, v, p, n in zip(per_plan["a_u"].tolist(), per_plan["a_v"].tolist(), per_plan["p"].tolist(),
                          per_plan["n"].tolist(), strict=True):
        edges.setdefault((u, v), {})[int(p)] = int(n)
    graph.add_edges_from((nodes[u], nodes[v], {"weight": sum(shared.values()), "plans": shared})
                         for (u, v), shared in edges.items())
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


def centrality(graph: nx.Graph, *, betweenness_sample_threshold: int = 500) -> tuple[pd.DataFrame, NetworkStats]:
    """Centrality of every agency across the portfolio (``CENTRALITY_COLUMNS``), most central
    (weighted degree) first, and the network's statistics."""
    metrics, stats = agency_metrics(graph, betweenness_sample_threshold=betweenness_sample_threshold)
    attrs = graph.nodes
    metrics = metrics.rename(columns={"agency": "key"})
    metrics["name"] = [str(attrs[k]["name"]) for k in metrics["key"]]
    metrics["region"] = [str(attrs[k]["region"]) for k in metrics["key"]]
    metrics["plans"] = [int(attrs[k]["plans"]) for k in metrics["key"]]
    metrics = metrics.sort_values(["weighted_degree", "degree", "key"], ascending=[False, False, True], kind="stable")
    return metrics[CENTRALITY_COLUMNS].reset_index(drop=True), stats
