"""The three graphs of a plan, read from `Plan.assignments` (one row per task × agency × role).

* `co_assignment_graph`: undirected. Two agencies are linked when they share a task, as lead
  or support; ``weight`` = number of shared tasks, ``tasks`` = the shared task ids in table
  order.
* `lead_support_graph`: directed. An edge from every lead to every supporting agency of the
  same task; ``weight`` and ``tasks`` as above.
* `bipartite_graph`: tasks and agencies, one edge per assignment with its ``role``.

Every agency in the assignments is a node, also one without partners. Nodes are in table
order (the order of `Plan.agencies`, unknown agencies after them in first-appearance order)
and carry: ``type`` (`AgencyType`; ``unknown`` when the registry does not know the agency),
``lead`` and ``support`` (tasks in that `Role`), ``tasks`` (distinct tasks), ``order`` (the
table position, kept through filtering) and ``full_name`` / ``english_name`` when known.

Also here: `_induced`, the ordered subgraph copy every filter uses (networkx's ``subgraph``
may iterate nodes in set order, which depends on the string hash seed).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

import networkx as nx
import numpy as np
import pandas as pd

from analysis.network._util import _unique
from analysis.vocab import ROLES, AgencyType, Role

#: Prefix of a task's node name in the bipartite graph.
TASK_NODE_PREFIX: Final = "task:"
#: Agency columns copied onto nodes (besides the counts).
DESCRIPTION_COLUMNS: Final = ("type", "full_name", "english_name")


# ----------------------------------------------------------------------------- table order


def _task_sequence(
    assignments: pd.DataFrame,
    tasks: pd.DataFrame | None = None,
    task_order: Sequence[str] | None = None,
) -> list[str]:
    """Task ids in table order: `task_order`, else `tasks` by seq, else first appearance;
    ids missing from the given order follow in first-appearance order."""
    if task_order is not None:
        order = [str(t) for t in task_order]
    elif tasks is not None and "task_id" in tasks.columns:
        frame = tasks.sort_values("seq", kind="stable") if "seq" in tasks.columns else tasks
        order = frame["task_id"].astype(str).tolist()
    else:
        order = []
    present = _unique(assignments["task_id"].astype(str).tolist())  # tolist: no per-item Arrow access
    known = set(order)
    return _unique(order + [t for t in present if t not in known])


def _agency_sequence(assignments: pd.DataFrame, agencies: pd.DataFrame | None) -> list[str]:
    """Agencies that appear in `assignments`, in the order of `agencies` (table order),
    unknown ones after them in first-appearance order."""
    present = _unique(assignments["agency"].astype(str).tolist())
    present_set = set(present)
    order = [a for a in (agencies["agency"].astype(str).tolist() if agencies is not None else []) if a in present_set]
    known = set(order)
    return _unique(order + [a for a in present if a not in known])


# ----------------------------------------------------------------------------- node attributes


def _role_counts(assignments: pd.DataFrame, nodes: Sequence[str]) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """(lead, support, tasks) counts per agency in `nodes`, each task counted once per role
    (and once in `tasks`); plain dicts, since one ``.at`` lookup per agency is slow at 2 000."""
    roles = assignments.drop_duplicates(["task_id", "agency", "role"])
    counts = roles.groupby(["agency", "role"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=list(nodes), columns=list(ROLES), fill_value=0).fillna(0)
    tasks = roles.drop_duplicates(["task_id", "agency"]).groupby("agency").size().reindex(list(nodes), fill_value=0)
    agencies = counts.index.tolist()
    return (
        dict(zip(agencies, counts[Role.LEAD].tolist(), strict=True)),
        dict(zip(agencies, counts[Role.SUPPORT].tolist(), strict=True)),
        dict(zip(tasks.index.tolist(), tasks.tolist(), strict=True)),
    )


def _descriptions(agencies: pd.DataFrame | None) -> dict[str, dict[str, Any]]:
    """The `DESCRIPTION_COLUMNS` that `agencies` has, per agency label."""
    described: dict[str, dict[str, Any]] = {}
    if agencies is not None:
        columns = [c for c in DESCRIPTION_COLUMNS if c in agencies.columns]
        for row in agencies[["agency", *columns]].itertuples(index=False):
            described[str(row[0])] = {c: row[i + 1] for i, c in enumerate(columns)}
    return described


def _agency_attributes(
    assignments: pd.DataFrame, agencies: pd.DataFrame | None, nodes: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """type, names and lead/support/task counts (counted in `assignments`) per agency."""
    lead, support, total = _role_counts(assignments, nodes)
    described = _descriptions(agencies)
    attrs: dict[str, dict[str, Any]] = {}
    for position, agency in enumerate(nodes):
        info = described.get(agency, {})
        kind = info.get("type")
        attrs[agency] = {
            "type": str(kind) if isinstance(kind, str) and kind else AgencyType.UNKNOWN.value,
            Role.LEAD.value: int(lead[agency]),
            Role.SUPPORT.value: int(support[agency]),
            "tasks": int(total[agency]),
            "order": position,
        }
        for name in ("full_name", "english_name"):
            value = info.get(name)
            if isinstance(value, str):
                attrs[agency][name] = value
    return attrs


# ----------------------------------------------------------------------------- edges


def _codes(assignments: pd.DataFrame, nodes: Sequence[str], task_list: Sequence[str]) -> pd.DataFrame:
    """Assignments as integer codes: t (position in `task_list`), a (position in `nodes`), role."""
    return pd.DataFrame({
        "t": pd.Categorical(assignments["task_id"].astype(str), categories=list(task_list)).codes.astype(np.int64),
        "a": pd.Categorical(assignments["agency"].astype(str), categories=list(nodes)).codes.astype(np.int64),
        "role": assignments["role"].astype(str).to_numpy() if "role" in assignments.columns else "",
    })


def _grouped_pairs(
    left: np.ndarray, right: np.ndarray, task: np.ndarray, task_ids: np.ndarray
) -> Iterable[tuple[int, int, int, list[str]]]:
    """(left, right, count, task ids in table order) per distinct pair; inputs are codes."""
    if len(left) == 0:
        return []
    order = np.lexsort((task, right, left))
    left, right, task = left[order], right[order], task[order]
    change = np.flatnonzero((left[1:] != left[:-1]) | (right[1:] != right[:-1])) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [len(left)]))
    names = task_ids[task].tolist()
    return (
        (int(left[s]), int(right[s]), int(e - s), names[s:e])
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True)
    )


def _add_pair_edges(graph: nx.Graph, nodes: Sequence[str], task_list: Sequence[str], merged: pd.DataFrame) -> None:
    """One edge per distinct (a_u, a_v) pair of `merged` (columns a_u, a_v, t as codes), with
    ``weight`` = its number of tasks and ``tasks`` = their ids in table order."""
    task_ids = np.array(task_list, dtype=object)
    graph.add_edges_from(
        (nodes[u], nodes[v], {"weight": weight, "tasks": shared})
        for u, v, weight, shared in _grouped_pairs(
            merged["a_u"].to_numpy(), merged["a_v"].to_numpy(), merged["t"].to_numpy(), task_ids
        )
    )


# ----------------------------------------------------------------------------- graphs


def co_assignment_graph(
    assignments: pd.DataFrame,
    agencies: pd.DataFrame | None = None,
    *,
    tasks: pd.DataFrame | None = None,
    task_order: Sequence[str] | None = None,
) -> nx.Graph:
    """Agencies linked by shared tasks.

    Nodes: every agency in `assignments` (also those without partners), in the order of
    `agencies` (table order), with attributes type, lead, support, tasks (counted in
    `assignments`), order, and full_name / english_name when `agencies` has them.
    Edges: one per pair of agencies on the same task (lead or support); `weight` = number
    of shared tasks, `tasks` = shared task ids in table order (`task_order`, else `tasks`
    by seq, else first appearance).

    Built with one self-merge of the (task, agency) pairs and a sort, so it scales to
    100 000 tasks × thousands of agencies.
    """
    nodes = _agency_sequence(assignments, agencies)
    task_list = _task_sequence(assignments, tasks, task_order)
    graph = nx.Graph(kind="co_assignment")
    graph.add_nodes_from(_agency_attributes(assignments, agencies, nodes).items())
    codes = _codes(assignments, nodes, task_list)[["t", "a"]].drop_duplicates()
    merged = codes.merge(codes, on="t", suffixes=("_u", "_v"))
    merged = merged.loc[merged["a_u"].to_numpy() < merged["a_v"].to_numpy()]
    _add_pair_edges(graph, nodes, task_list, merged)
    return graph


def lead_support_graph(
    assignments: pd.DataFrame,
    agencies: pd.DataFrame | None = None,
    *,
    tasks: pd.DataFrame | None = None,
    task_order: Sequence[str] | None = None,
) -> nx.DiGraph:
    """Lead → support: an edge from every lead to every supporting agency of the same task.

    `weight` = number of such tasks, `tasks` = their ids in table order. Nodes and node
    attributes as in `co_assignment_graph`.
    """
    nodes = _agency_sequence(assignments, agencies)
    task_list = _task_sequence(assignments, tasks, task_order)
    graph = nx.DiGraph(kind="lead_support")
    graph.add_nodes_from(_agency_attributes(assignments, agencies, nodes).items())
    codes = _codes(assignments, nodes, task_list).drop_duplicates()
    leads = codes.loc[codes["role"] == Role.LEAD, ["t", "a"]]
    supports = codes.loc[codes["role"] == Role.SUPPORT, ["t", "a"]]
    merged = leads.merge(supports, on="t", suffixes=("_u", "_v"))
    merged = merged.loc[merged["a_u"].to_numpy() != merged["a_v"].to_numpy()]
    _add_pair_edges(graph, nodes, task_list, merged)
    return graph


def task_node(task_id: str) -> str:
    """The bipartite graph's node name of a task: "task:<id>"."""
    return f"{TASK_NODE_PREFIX}{task_id}"


def bipartite_graph(
    assignments: pd.DataFrame,
    agencies: pd.DataFrame | None = None,
    *,
    tasks: pd.DataFrame | None = None,
    task_order: Sequence[str] | None = None,
) -> nx.Graph:
    """Tasks and agencies: task nodes "task:<id>" (bipartite=0, task_id, theme when `tasks`
    has it) in table order, then agency nodes (bipartite=1, attributes as in
    `co_assignment_graph`); one edge per assignment with attribute `role` (lead/support)."""
    nodes = _agency_sequence(assignments, agencies)
    task_list = _task_sequence(assignments, tasks, task_order)
    theme: dict[str, str] = {}
    if tasks is not None and "theme" in tasks.columns:
        theme = {str(t): str(th) for t, th in zip(tasks["task_id"], tasks["theme"], strict=True)}
    graph = nx.Graph(kind="bipartite")
    graph.add_nodes_from(
        (task_node(t), {"bipartite": 0, "task_id": t, **({"theme": theme[t]} if t in theme else {})})
        for t in task_list
    )
    graph.add_nodes_from(
        (agency, {"bipartite": 1, **attrs})
        for agency, attrs in _agency_attributes(assignments, agencies, nodes).items()
    )
    rows = assignments.drop_duplicates(["task_id", "agency"])
    graph.add_edges_from(
        (task_node(str(t)), str(a), {"role": str(r)})
        for t, a, r in zip(rows["task_id"], rows["agency"], rows["role"], strict=True)
    )
    return graph


# ----------------------------------------------------------------------------- ordered copies


def _node_order(graph: nx.Graph) -> dict[Hashable, int]:
    """Table order of the nodes: the `order` attribute when every node has one (kept through
    filtering), else insertion order."""
    if all("order" in data for _, data in graph.nodes(data=True)):
        return {node: int(data["order"]) for node, data in graph.nodes(data=True)}
    return {node: i for i, node in enumerate(graph.nodes)}


def _copy_attrs(data: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of an attribute dict whose lists (task ids) are copies too."""
    return {k: (list(v) if isinstance(v, list) else v) for k, v in data.items()}


def _induced(graph: nx.Graph, keep: Collection[Hashable], *, min_weight: int | None = None) -> nx.Graph:
    """An ordered, independent copy of the subgraph on `keep` (node and edge order of `graph`),
    without edges lighter than `min_weight` when given.

    `graph.subgraph` may iterate nodes in set order, which depends on the string hash seed;
    this keeps the table order so output is reproducible across processes.
    """
    keep = set(keep)
    sub = graph.__class__()
    sub.graph.update(graph.graph)
    sub.add_nodes_from((n, _copy_attrs(d)) for n, d in graph.nodes(data=True) if n in keep)
    edges: Iterable[tuple[Hashable, Hashable, Mapping[str, Any]]]
    if graph.is_multigraph() or 2 * len(keep) >= graph.number_of_nodes():
        edges = ((u, v, d) for u, v, d in graph.edges(data=True) if u in keep and v in keep)
    else:  # few nodes kept: walk their adjacency only, in the order graph.edges has
        edges = _edges_among(graph, keep)
    sub.add_edges_from(
        (u, v, _copy_attrs(d)) for u, v, d in edges if min_weight is None or d.get("weight", 1) >= min_weight
    )
    return sub


def _edges_among(graph: nx.Graph, keep: set[Hashable]) -> Iterator[tuple[Hashable, Hashable, Mapping[str, Any]]]:
    """`graph.edges(data=True)` restricted to edges inside `keep`, same order, visiting only
    the adjacency of kept nodes."""
    seen: set[Hashable] = set()
    directed = graph.is_directed()
    for u in graph:
        if u not in keep:
            continue
        for v, data in graph.adj[u].items():
            if v in keep and (directed or v not in seen):
                yield u, v, data
        seen.add(u)
