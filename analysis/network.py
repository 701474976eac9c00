"""Collaboration networks of a plan: who works with whom, who bridges, who is central.

Three graphs are read from `Plan.assignments` (one row per task × agency × role):

* `co_assignment_graph`  undirected; agencies are linked when they share a task (as lead or
  support). `weight` = number of shared tasks, `tasks` = the shared task ids in table order.
* `lead_support_graph`   directed; lead → support for every task, same attributes.
* `bipartite_graph`      tasks and agencies, an edge per assignment with its role.

`agency_metrics` turns the co-assignment graph into one row per agency (centralities,
k-core, Louvain community) plus network-level `NetworkStats`. Everything is a pure function
of its inputs and deterministic: node order is table order (the order of `Plan.agencies`),
random algorithms take a fixed seed, and set-ordered algorithms run on integer-relabelled
copies so results do not depend on Python's string hash seed. Two runs, in the same process
or in fresh ones, give identical numbers.

Design choices (also shown to users through `METRIC_EXPLANATIONS`):

* Edge weights in the co-assignment graph are *strengths* (how many tasks two agencies
  share), not distances. networkx reads a `weight` passed to shortest-path measures as a
  length, which would make the strongest partnerships the *longest* paths. Betweenness and
  closeness therefore use unweighted shortest paths (hops: "how many hand-offs apart are two
  agencies"). The alternative, distance = 1/weight, was rejected: the conversion is
  arbitrary, and it routes "shortest" paths around direct contacts (two agencies sharing
  one task are 1.0 apart, but 0.4 apart via a third agency they each share 5 tasks with),
  crediting an intermediary between agencies that already work together directly.
  Strength-based measures (weighted degree, eigenvector, Louvain, modularity) use `weight`;
  average clustering counts triangles unweighted.
* Closeness uses the Wasserman–Faust correction (networkx's `wf_improved=True`), so it is
  defined on disconnected graphs and small separate groups do not look central.
* Eigenvector centrality is the leading eigenvector of the weighted adjacency matrix. On a
  disconnected graph that vector lives on the component(s) with the largest eigenvalue;
  other components get 0 (they are not linked to the main group). It never raises: dense
  or fixed-start ARPACK solver → power iteration → normalised weighted degree.
* Betweenness is exact up to `betweenness_sample_threshold` nodes and sampled (k pivots,
  fixed seed) above it; `NetworkStats` records which.

Scale (benchmarks/RESULTS.md): a national programme has 100 000 tasks, 2 000 agencies and
~340 000 ties. Graphs of that size are computed on sparse matrices instead of networkx's
per-node Python loops, with the same definitions and results equal to networkx's up to
floating-point rounding (1e-12): betweenness from `MATRIX_MIN_EDGES` ties on
(Brandes' algorithm level by level for a batch of sources at once, the same sampled
pivots) and k-core numbers; closeness above 300 agencies; clustering, modularity and
eigenvector always; all on adjacency matrices built once per call. Below those sizes
networkx's own functions run.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from analysis.model import json_task_id

if TYPE_CHECKING:  # pragma: no cover - typing only
    from analysis.model import Plan

COLLECTIVE_TYPE = "collective"
UNKNOWN_TYPE = "unknown"
TASK_NODE_PREFIX = "task:"
ROUND_DIGITS = 6
MAX_BETWEENNESS_SAMPLE = 200
MATRIX_MIN_EDGES = 10_000  # betweenness and core numbers on matrices from this many ties on

METRIC_COLUMNS = [
    "agency", "type", "lead", "support", "tasks", "degree", "weighted_degree",
    "betweenness", "closeness", "eigenvector", "core", "community", "core_periphery",
]

# ----------------------------------------------------------------------------- explanations

METRIC_EXPLANATIONS: dict[str, dict[str, str]] = {
    "lead": {
        "name_zh": "牵头任务数",
        "name_en": "Lead tasks",
        "zh": "该单位作为牵头单位负责的任务数量。",
        "en": "How many tasks this agency leads.",
    },
    "support": {
        "name_zh": "配合任务数",
        "name_en": "Support tasks",
        "zh": "该单位作为配合单位参与的任务数量。",
        "en": "How many tasks this agency supports without leading them.",
    },
    "tasks": {
        "name_zh": "任务总数",
        "name_en": "Tasks",
        "zh": "该单位牵头或配合的任务总数。",
        "en": "All tasks this agency leads or supports.",
    },
    "degree": {
        "name_zh": "合作单位数",
        "name_en": "Partners (degree)",
        "zh": "与该单位至少共同承担过一项任务的不同单位个数。",
        "en": "How many different agencies share at least one task with this agency.",
    },
    "weighted_degree": {
        "name_zh": "协作次数",
        "name_en": "Weighted degree",
        "zh": "该单位与所有合作单位共同承担任务的次数之和：同一单位合作越多，计数越多。",
        "en": "Shared tasks summed over all partners: repeated work with the same partner counts each time.",
    },
    "betweenness": {
        "name_zh": "中介中心度",
        "name_en": "Betweenness",
        "zh": "该单位处在其他单位之间最短协作路径上的程度：数值越高，越是连接不同单位群体的“桥梁”。",
        "en": "How often this agency lies on the shortest chain of shared tasks between two others: "
        "high values mark a bridge between groups.",
    },
    "closeness": {
        "name_zh": "接近中心度",
        "name_en": "Closeness",
        "zh": "该单位经过多少次“转手”能联系到其他单位：数值越高，信息和协调越能快速传到全网。",
        "en": "How few hand-offs this agency needs to reach all others: high values mean "
        "coordination spreads quickly from it.",
    },
    "eigenvector": {
        "name_zh": "特征向量中心度",
        "name_en": "Eigenvector centrality",
        "zh": "不仅看合作单位多少，还看合作单位本身是否处于核心：与核心单位频繁合作的单位数值高。",
        "en": "Counts not just how many partners an agency has but how central they are: "
        "frequent work with central agencies scores high.",
    },
    "core": {
        "name_zh": "核心层级（k核）",
        "name_en": "Core number (k-core)",
        "zh": "该单位所在的最紧密合作圈层：k 表示圈内每个单位至少与 k 个圈内单位合作。",
        "en": "The tightest circle the agency belongs to: in a k-core every member works with "
        "at least k other members.",
    },
    "core_periphery": {
        "name_zh": "核心—边缘位置",
        "name_en": "Core or periphery",
        "zh": "按k核层级划分：处在最高层级为“核心”，达到最高层级一半为“半核心”，其余为“边缘”。",
        "en": "From the core number: the highest level is core, at least half of it is semi-core, "
        "the rest is periphery.",
    },
    "community": {
        "name_zh": "协作群组",
        "name_en": "Community",
        "zh": "算法找出的内部合作明显多于对外合作的单位群组，编号1为最大的群组。",
        "en": "Groups of agencies that work together much more than with others, found by the "
        "Louvain method; group 1 is the largest.",
    },
    "density": {
        "name_zh": "网络密度",
        "name_en": "Density",
        "zh": "实际存在的合作关系占所有可能单位配对的比例：越接近1，单位之间越是普遍合作。",
        "en": "The share of all possible agency pairs that actually share a task: close to 1 "
        "means nearly everyone works with everyone.",
    },
    "degree_centralization": {
        "name_zh": "度中心势",
        "name_en": "Degree centralization",
        "zh": "合作关系集中在少数单位身上的程度：越接近1，越像以一个单位为中心的“星形”结构。",
        "en": "How much the partnerships concentrate on a few agencies: close to 1 is a star "
        "around one agency.",
    },
    "average_clustering": {
        "name_zh": "平均聚类系数",
        "name_en": "Average clustering",
        "zh": "一个单位的两个合作单位之间也相互合作的平均比例：越高，合作越呈“小圈子”。",
        "en": "How often two partners of an agency also work with each other: high values mean "
        "tight-knit circles.",
    },
    "modularity": {
        "name_zh": "模块度",
        "name_en": "Modularity",
        "zh": "协作群组划分的清晰程度：高于约0.3说明群组内部合作明显多于群组之间。",
        "en": "How clearly the network splits into groups: above about 0.3 the groups work "
        "much more inside than across.",
    },
    "components": {
        "name_zh": "连通部分数",
        "name_en": "Components",
        "zh": "互不相连的单位群数量：不同部分之间没有任何共同任务。",
        "en": "How many separate pieces the network has: pieces share no task at all.",
    },
    "communities": {
        "name_zh": "群组数",
        "name_en": "Communities",
        "zh": "算法找出的协作群组个数。",
        "en": "How many collaboration groups the Louvain method found.",
    },
}


# ----------------------------------------------------------------------------- stats


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


# ----------------------------------------------------------------------------- helpers


def _round(value: float) -> float:
    rounded = round(float(value), ROUND_DIGITS)
    return 0.0 if rounded == 0 else rounded  # no "-0.0"


def _unique(values: Iterable[Hashable]) -> list[Any]:
    return list(dict.fromkeys(values))


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


def _agency_attributes(
    assignments: pd.DataFrame, agencies: pd.DataFrame | None, nodes: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """type, names and lead/support/task counts (counted in `assignments`) per agency."""
    roles = assignments.drop_duplicates(["task_id", "agency", "role"])
    counts = roles.groupby(["agency", "role"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=list(nodes), columns=["lead", "support"], fill_value=0).fillna(0)
    tasks = roles.drop_duplicates(["task_id", "agency"]).groupby("agency").size().reindex(list(nodes), fill_value=0)
    described: dict[str, dict[str, Any]] = {}
    if agencies is not None:
        columns = [c for c in ("type", "full_name", "english_name") if c in agencies.columns]
        for row in agencies[["agency", *columns]].itertuples(index=False):
            described[str(row[0])] = {c: row[i + 1] for i, c in enumerate(columns)}
    lead, support, total = (  # plain dicts: one .at lookup per agency is slow at 2 000
        dict(zip(counts.index.tolist(), counts["lead"].tolist(), strict=True)),
        dict(zip(counts.index.tolist(), counts["support"].tolist(), strict=True)),
        dict(zip(tasks.index.tolist(), tasks.tolist(), strict=True)),
    )
    attrs: dict[str, dict[str, Any]] = {}
    for position, agency in enumerate(nodes):
        info = described.get(agency, {})
        kind = info.get("type")
        attrs[agency] = {
            "type": str(kind) if isinstance(kind, str) and kind else UNKNOWN_TYPE,
            "lead": int(lead[agency]),
            "support": int(support[agency]),
            "tasks": int(total[agency]),
            "order": position,
        }
        for name in ("full_name", "english_name"):
            value = info.get(name)
            if isinstance(value, str):
                attrs[agency][name] = value
    return attrs


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


def _codes(assignments: pd.DataFrame, nodes: Sequence[str], task_list: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame({
        "t": pd.Categorical(assignments["task_id"].astype(str), categories=list(task_list)).codes.astype(np.int64),
        "a": pd.Categorical(assignments["agency"].astype(str), categories=list(nodes)).codes.astype(np.int64),
        "role": assignments["role"].astype(str).to_numpy() if "role" in assignments.columns else "",
    })
    return frame


def _node_order(graph: nx.Graph) -> dict[Hashable, int]:
    """Table order of the nodes: the `order` attribute when every node has one (kept through
    filtering), else insertion order."""
    if all("order" in data for _, data in graph.nodes(data=True)):
        return {node: int(data["order"]) for node, data in graph.nodes(data=True)}
    return {node: i for i, node in enumerate(graph.nodes)}


def _copy_attrs(data: Mapping[str, Any]) -> dict[str, Any]:
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
    if graph.is_multigraph() or 2 * len(keep) >= graph.number_of_nodes():
        edges: Iterable[tuple[Hashable, Hashable, Mapping[str, Any]]] = (
            (u, v, d) for u, v, d in graph.edges(data=True) if u in keep and v in keep
        )
    else:  # few nodes kept: walk their adjacency only, in the order graph.edges has
        edges = _edges_among(graph, keep)
    sub.add_edges_from(
        (u, v, _copy_attrs(d)) for u, v, d in edges if min_weight is None or d.get("weight", 1) >= min_weight
    )
    return sub


def _edges_among(graph: nx.Graph, keep: set[Hashable]) -> Iterable[tuple[Hashable, Hashable, Mapping[str, Any]]]:
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


def _ordered_components(graph: nx.Graph) -> list[list[Hashable]]:
    order = {n: i for i, n in enumerate(graph.nodes)}
    components = [sorted(c, key=order.__getitem__) for c in nx.connected_components(graph)]
    return sorted(components, key=lambda c: order[c[0]])


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

    def adjacency(self, *, weighted: bool, loops: bool):
        """Symmetric CSR adjacency: weights (self-loops once on the diagonal, as networkx's
        `to_scipy_sparse_array`) or 1 per tie (self-loops dropped when `loops` is False).
        Built once per kind; callers must not change it."""
        if (weighted, loops) not in self._matrices:
            self._matrices[weighted, loops] = self._build(weighted=weighted, loops=loops)
        return self._matrices[weighted, loops]

    def _build(self, *, weighted: bool, loops: bool):
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

        return connected_components(self.adjacency(weighted=False, loops=False), directed=False)


def _arrays(graph: nx.Graph) -> _Arrays:
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
    first node, as `_ordered_components`."""
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    groups = np.split(order, bounds) if len(order) else []
    return sorted(groups, key=lambda g: int(g[0]))


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
    task_ids = np.array(task_list, dtype=object)
    graph.add_edges_from(
        (nodes[u], nodes[v], {"weight": weight, "tasks": shared})
        for u, v, weight, shared in _grouped_pairs(
            merged["a_u"].to_numpy(), merged["a_v"].to_numpy(), merged["t"].to_numpy(), task_ids
        )
    )
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
    leads = codes.loc[codes["role"] == "lead", ["t", "a"]]
    supports = codes.loc[codes["role"] == "support", ["t", "a"]]
    merged = leads.merge(supports, on="t", suffixes=("_u", "_v"))
    merged = merged.loc[merged["a_u"].to_numpy() != merged["a_v"].to_numpy()]
    task_ids = np.array(task_list, dtype=object)
    graph.add_edges_from(
        (nodes[u], nodes[v], {"weight": weight, "tasks": shared})
        for u, v, weight, shared in _grouped_pairs(
            merged["a_u"].to_numpy(), merged["a_v"].to_numpy(), merged["t"].to_numpy(), task_ids
        )
    )
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


# ----------------------------------------------------------------------------- communities


def communities(graph: nx.Graph, seed: int = 42) -> dict[Hashable, int]:
    """Louvain communities (weighted, fixed seed), numbered 1, 2, … by descending size,
    ties by the earliest member in table order; every node gets a number."""
    if graph.number_of_nodes() == 0:
        return {}
    if graph.is_directed():
        graph = graph.to_undirected()
    return _louvain(*_integer_copy(graph), seed=seed)


def _louvain(integer: nx.Graph, labels: list[Hashable], *, seed: int) -> dict[Hashable, int]:
    if integer.number_of_edges() == 0:
        parts: list[set[int]] = [{i} for i in integer]
    else:
        parts = nx.community.louvain_communities(integer, weight="weight", seed=seed)
    ordered = sorted(parts, key=lambda part: (-len(part), min(part)))
    return {
        labels[node]: number
        for number, part in enumerate(ordered, start=1)
        for node in part
    }


def _community_partition(labels: Mapping[Hashable, int]) -> list[set[Hashable]]:
    groups: dict[int, set[Hashable]] = {}
    for node, number in labels.items():
        groups.setdefault(number, set()).add(node)
    return [groups[k] for k in sorted(groups)]


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
            result[node] = "core"
        elif top > 0 and k >= top / 2:
            result[node] = "semi"
        else:
            result[node] = "periphery"
    return result


def _core_numbers(graph: nx.Graph, arr: _Arrays | None = None) -> dict[Hashable, int]:
    """k-core numbers (networkx's `core_number`, which refuses self-loops: they are dropped).
    From `MATRIX_MIN_EDGES` ties on, peeled on the adjacency matrix instead: all
    nodes of degree ≤ k leave at once, degrees drop by one matrix product, k rises when
    nothing is left to peel (the same numbers, a fraction of networkx's 1.3 s for 340 000
    ties)."""
    if not graph.is_directed() and graph.number_of_edges() >= MATRIX_MIN_EDGES:
        arr = arr or _arrays(graph)
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
    if graph.is_directed() or nx.number_of_selfloops(graph):
        graph = nx.Graph(graph)
        graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    return {n: int(k) for n, k in nx.core_number(graph).items()}


# ----------------------------------------------------------------------------- metrics


DENSE_EIGEN_MAX_NODES = 500


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
    n = len(nodes)
    try:
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
    except Exception:  # noqa: BLE001 - any solver failure: fall through
        pass
    sub = subgraph()
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
        found.append(_leading_eigenvector(
            matrix[index][:, index], nodes, lambda nodes=nodes: _induced(graph, nodes)
        ))
    top = max(value for value, _ in found)
    leaders = [vector for value, vector in found if value >= top * (1 - 1e-9)]
    scale = 1 / math.sqrt(len(leaders))
    for vector in leaders:
        for node, x in vector.items():
            result[node] = float(x) * scale
    return result


def closeness_centrality(
    graph: nx.Graph, *, fast_threshold: int = 300, _arr: _Arrays | None = None
) -> dict[Hashable, float]:
    """networkx's closeness (unweighted hops, Wasserman–Faust correction for disconnected
    graphs); above `fast_threshold` nodes the same formula on hop distances computed in C
    (`_hop_distances`), in blocks of rows so memory stays bounded."""
    n = graph.number_of_nodes()
    if n <= fast_threshold:
        return nx.closeness_centrality(graph)
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


DENSE_BFS_MAX_NODES = 4000
DENSE_BFS_MAX_LEVELS = 12


def _dense_bfs_pays(matrix: Any) -> bool:
    """Level-by-level search on a dense matrix beats scipy's per-source search on dense
    graphs (ties among ≥ 2 % of all pairs), which have few levels: 2 000 agencies with
    340 000 ties, all sources, 0.5 s instead of 3.5 s."""
    n = matrix.shape[0]
    return n <= DENSE_BFS_MAX_NODES and matrix.nnz >= 0.02 * n * n


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
    return shortest_path(matrix, method="D", directed=False, unweighted=True, indices=rows)


def degree_centralization(graph: nx.Graph) -> float:
    """Freeman's degree centralization: Σ(max deg − deg_i) / ((n−1)(n−2)); 0 for n < 3."""
    n = graph.number_of_nodes()
    if n < 3:
        return 0.0
    degrees = [d for _, d in graph.degree()]
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


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
        if k is None:
            return nx.betweenness_centrality(graph, normalized=True, weight=None), None
        return nx.betweenness_centrality(graph, k=k, normalized=True, weight=None, seed=seed), k
    import random

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
        total += delta.sum(axis=1)
    return total


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
    n = len(nodes)
    if graph.is_directed():
        graph = graph.to_undirected()
    arr = _arrays(graph)  # built once, shared by the matrix-based measures
    betweenness, k = betweenness_centrality(
        graph, sample_threshold=betweenness_sample_threshold, seed=seed, _arr=arr
    )
    closeness = closeness_centrality(graph, _arr=arr)
    eigenvector = eigenvector_centrality(graph, _arr=arr)
    cores = _core_numbers(graph, arr) if n else {}
    positions = core_periphery(graph, cores)
    integer, labels = _integer_copy(graph)
    groups = _louvain(integer, labels, seed=seed) if n else {}
    weighted = dict(graph.degree(weight="weight"))
    degree = dict(graph.degree())
    frame = pd.DataFrame({
        "agency": nodes,
        "type": [str(graph.nodes[a].get("type", UNKNOWN_TYPE)) for a in nodes],
        "lead": [int(graph.nodes[a].get("lead", 0)) for a in nodes],
        "support": [int(graph.nodes[a].get("support", 0)) for a in nodes],
        "tasks": [int(graph.nodes[a].get("tasks", 0)) for a in nodes],
        "degree": [int(degree[a]) for a in nodes],
        "weighted_degree": [weighted[a] for a in nodes],
        "betweenness": [float(betweenness[a]) for a in nodes],
        "closeness": [float(closeness[a]) for a in nodes],
        "eigenvector": [float(eigenvector[a]) for a in nodes],
        "core": [int(cores[a]) for a in nodes],
        "community": [int(groups[a]) for a in nodes],
        "core_periphery": [positions[a] for a in nodes],
    }, columns=METRIC_COLUMNS)
    frame = frame.astype({
        "lead": "int64", "support": "int64", "tasks": "int64", "degree": "int64",
        "betweenness": "float64", "closeness": "float64",
        "eigenvector": "float64", "core": "int64", "community": "int64",
    })
    if graph.number_of_edges() > 0:
        modularity = _modularity(arr, groups)
        clustering = _average_clustering(arr)
    else:
        modularity = 0.0
        clustering = 0.0
    stats = NetworkStats(
        nodes=n,
        edges=graph.number_of_edges(),
        density=float(nx.density(graph)) if n > 1 else 0.0,
        degree_centralization=float(degree_centralization(graph)),
        components=int(arr.components()[0]) if n else 0,
        average_clustering=clustering,
        modularity=modularity,
        communities=len(set(groups.values())),
        betweenness_sampled=k is not None,
        betweenness_k=k,
    )
    return frame, stats


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
            "type": str(graph.nodes[other].get("type", UNKNOWN_TYPE)),
            "weight": int(data.get("weight", 1)),
            "tasks": list(data.get("tasks", [])),
        }
        for other, data in graph[agency].items()
        if other != agency
    ]
    rows.sort(key=lambda r: (-r["weight"], order[r["partner"]]))
    return pd.DataFrame(rows, columns=["partner", "type", "weight", "tasks"]).astype({"weight": "int64"})


# ----------------------------------------------------------------------------- filtering


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
                {"agency": node, **{k: v for k, v in data.items() if k in ("type", "full_name", "english_name")}}
                for node, data in graph.nodes(data=True)
            ],
            columns=["agency", "type", "full_name", "english_name"],
        )
        current = co_assignment_graph(restricted, described, tasks=tasks)
        current.graph.update(graph.graph)
    else:
        current = graph  # copied once below, after the nodes to keep are known

    keep = list(current.nodes)
    if types is not None:
        wanted = set(types)
        keep = [n for n in keep if current.nodes[n].get("type", UNKNOWN_TYPE) in wanted]
    if not include_collective:
        keep = [n for n in keep if current.nodes[n].get("type", UNKNOWN_TYPE) != COLLECTIVE_TYPE]
    if top_n is not None:
        order = _node_order(current)
        ranked = sorted(keep, key=lambda n: (-int(current.nodes[n].get("tasks", 0)), order[n]))
        chosen_nodes = set(ranked[:top_n])
        keep = [n for n in keep if n in chosen_nodes]
    if current is graph or len(keep) != current.number_of_nodes():
        current = _induced(current, keep, min_weight=min_weight if min_weight > 1 else None)
    elif min_weight > 1:
        current.remove_edges_from(
            [(u, v) for u, v, w in current.edges(data="weight", default=1) if w < min_weight]
        )
    if drop_isolates:
        current.remove_nodes_from([n for n in current if current.degree(n) == 0])
    return current


LEGIBLE_EDGES = 1500  # ties a network chart can draw and still be read (and drawn quickly)


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


# ----------------------------------------------------------------------------- layout


KAMADA_KAWAI_MAX_NODES = 300
STRESS_MAX_ITERATIONS = 300


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

    d = shortest_path(adjacency, method="D", directed=False, unweighted=True)
    n = len(d)
    weights = np.zeros_like(d)
    off = d > 0
    weights[off] = d[off] ** -2.0
    from scipy.linalg import cho_factor, cho_solve, eigh

    # classical MDS of the hop distances (double centring of d², element-wise); only the
    # top two eigenpairs (a full eigh / pinv took up to a second each on the busy 2-core
    # machine, for 200 nodes)
    squared = d * d
    gram = -0.5 * (squared - squared.mean(axis=0)[None, :] - squared.mean(axis=1)[:, None] + squared.mean())
    values, vectors = eigh(gram, subset_by_index=[n - 2, n - 1])
    if vectors.shape[1] < 2:
        # LAPACK's subset driver can return no pair at all when equal eigenvalues straddle
        # the subset's edge (a star's ego network): the full decomposition then
        values, vectors = np.linalg.eigh(gram)
        values, vectors = values[-2:], vectors[:, -2:]
    x = vectors[:, [1, 0]] * np.sqrt(np.maximum(values[[1, 0]], 1e-9))
    for axis in range(2):  # eigenvector signs are arbitrary: fix them
        column = x[:, axis]
        if column[int(np.argmax(np.abs(column)))] < 0:
            x[:, axis] = -column
    x = x + np.random.default_rng(seed).normal(scale=1e-3 * max(float(d.max()), 1.0), size=x.shape)
    laplacian = -weights
    np.fill_diagonal(laplacian, weights.sum(axis=1))
    # Guttman transform x ← L⁺ B(x) x. B(x) x sums to 0 over nodes, so (L + 11ᵀ/n)⁻¹, which
    # equals L⁺ + 11ᵀ/n on a connected graph, gives the same step (Cholesky, not a pinv SVD).
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
    centred = coords - (low + high) / 2
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
    undirected = graph.to_undirected() if graph.is_directed() else graph
    arr = _arrays(undirected)
    weights = np.where(arr.weights >= 1, 1.0 + np.log(np.maximum(arr.weights, 1.0)), np.maximum(arr.weights, 0.0))
    count, labels = arr.components()
    components = sorted(
        _ordered_component_indices(count, labels), key=lambda c: (-len(c), int(c[0]))
    )
    # edges grouped by component, in graph order within each
    keep = arr.rows != arr.cols
    edge_rows, edge_cols, edge_weights = arr.rows[keep], arr.cols[keep], weights[keep]
    edge_component = labels[edge_rows]
    edge_order = np.argsort(edge_component, kind="stable")
    edge_bounds = np.searchsorted(edge_component[edge_order], np.arange(count + 1))
    local = np.empty(n, dtype=np.int64)

    sides = [math.sqrt(len(c)) for c in components]
    row_width = max(max(sides), math.sqrt(sum(s * s for s in sides)))
    coords = np.zeros((n, 2))
    x = y = row_height = 0.0
    for component, side in zip(components, sides, strict=True):
        if x > 0 and x + side > row_width + 1e-9:
            x, y, row_height = 0.0, y + row_height, 0.0
        label = int(labels[component[0]])
        edges = edge_order[edge_bounds[label]:edge_bounds[label + 1]]
        local[component] = np.arange(len(component))
        box = _component_box(len(component), local[edge_rows[edges]], local[edge_cols[edges]], edge_weights[edges], seed)
        inner = side / 2 * (0.8 if len(component) > 1 else 0)  # margin between boxes
        centre = np.array([x + side / 2, -(y + side / 2)])  # rows go downwards
        coords[component] = centre + box * inner
        x += side
        row_height = max(row_height, side)
    coords = np.clip(_normalise(coords), -1.0, 1.0)
    return {arr.labels[i]: (_round(px), _round(py)) for i, (px, py) in enumerate(coords.tolist())}


# ----------------------------------------------------------------------------- JSON


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else _round(value)


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
    order = _node_order(graph)
    nodes = [
        {
            "name": row.agency,
            "type": row.type,
            "lead": int(row.lead),
            "support": int(row.support),
            "degree": int(row.degree),
            "weighted_degree": _number(row.weighted_degree),
            "betweenness": _round(row.betweenness),
            "closeness": _round(row.closeness),
            "eigenvector": _round(row.eigenvector),
            "core": int(row.core),
            "community": int(row.community),
        }
        for row in metrics.itertuples(index=False)
    ]
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
    summary = stats.to_dict()
    return {
        "nodes": nodes,
        "edges": edges,
        "density": summary["density"],
        "communities": summary["communities"],
        "components": summary["components"],
        "degree_centralization": summary["degree_centralization"],
        "average_clustering": summary["average_clustering"],
        "modularity": summary["modularity"],
        "betweenness_sampled": summary["betweenness_sampled"],
        "betweenness_k": summary["betweenness_k"],
    }
