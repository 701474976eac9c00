"""The collaboration network: checked against an independent reading of the raw table,
against networkx's own functions, and for determinism (same process and fresh processes)."""

from __future__ import annotations

import csv
import itertools
import json
import math
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from analysis import network as net
from analysis.model import load_plan, plan_from_bytes

ROOT = Path(__file__).resolve().parents[2]
PLAN_DIR = ROOT / "data" / "plans" / "zhejiang_5g_2020_2022"
COLLECTIVES = {"各省级单位", "各市相关单位", "各省属单位"}


# ----------------------------------------------------------------------------- independent side


def raw_table() -> list[tuple[str, list[str], list[str]]]:
    """(task id, leads, supports) read from tasks.txt with plain string handling.

    A row is a run of tab-indented lines (number, text, lead, support; an empty cell is a
    lone tab); units are separated by 、 or ，; a trailing 等 is not part of the label.
    """
    rows, block = [], []
    for line in (PLAN_DIR / "tasks.txt").read_text(encoding="utf-8").split("\n") + [""]:
        if line.startswith("\t"):
            block.append(line[1:].strip())
            continue
        if len(block) == 4 and block[0].isdigit():
            units = [
                [re.sub("等$", "", u.strip()) for u in re.split("[、，]", cell) if u.strip()]
                for cell in block[2:]
            ]
            rows.append((block[0], units[0], units[1]))
        block = []
    return rows


RAW = raw_table()
RAW_ORDER = list(dict.fromkeys(a for _, lead, support in RAW for a in lead + support))
RAW_THEMES = {row["task_id"]: row["theme_zh"] for row in csv.DictReader((PLAN_DIR / "themes.csv").open(encoding="utf-8"))}


def expected_edges(task_filter=lambda task_id: True, keep=lambda agency: True) -> dict[frozenset, list[str]]:
    """Shared task ids (table order) per unordered agency pair."""
    shared: dict[frozenset, list[str]] = {}
    for task_id, lead, support in RAW:
        if not task_filter(task_id):
            continue
        members = [a for a in dict.fromkeys(lead + support) if keep(a)]
        for u, v in itertools.combinations(members, 2):
            shared.setdefault(frozenset((u, v)), []).append(task_id)
    return shared


def graph_edges(graph: nx.Graph) -> dict[frozenset, list[str]]:
    return {frozenset((u, v)): d["tasks"] for u, v, d in graph.edges(data=True)}


def task_counts() -> Counter:
    return Counter(a for _, lead, support in RAW for a in dict.fromkeys(lead + support))


@pytest.fixture(scope="module")
def plan():
    return load_plan()


@pytest.fixture(scope="module")
def graph(plan):
    return net.co_assignment_graph(plan.assignments, plan.agencies, tasks=plan.tasks)


@pytest.fixture(scope="module")
def metrics(graph):
    return net.agency_metrics(graph)


def synthetic_assignments(n_agencies: int, n_tasks: int, seed: int = 0) -> pd.DataFrame:
    """A random table: 1–7 agencies per task, popularity skewed like real plans."""
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, n_agencies + 1) ** 0.8
    weights /= weights.sum()
    rows = []
    for task in range(1, n_tasks + 1):
        chosen = rng.choice(n_agencies, size=int(rng.integers(1, 8)), replace=False, p=weights)
        for position, agency in enumerate(chosen, start=1):
            rows.append((str(task), f"A{agency:04d}", "lead" if position == 1 else "support", position))
    return pd.DataFrame(rows, columns=["task_id", "agency", "role", "position"])


# ----------------------------------------------------------------------------- graphs


def test_raw_reading_sanity():
    assert [t for t, _, _ in RAW] == [str(i) for i in range(1, 36)]
    assert len(RAW_ORDER) == 34


def test_nodes_are_the_34_agencies_in_table_order(graph, plan):
    assert list(graph.nodes) == RAW_ORDER == plan.agencies["agency"].tolist()
    assert graph.nodes["省文化和旅游厅"]["tasks"] == 1 and graph.degree("省文化和旅游厅") == 0
    assert "省卫健委" in graph  # leads task 21 alone, still a node


def test_edges_weights_and_task_lists_match_the_raw_table(graph):
    expected = expected_edges()
    assert graph_edges(graph) == expected
    for u, v, data in graph.edges(data=True):
        assert data["weight"] == len(expected[frozenset((u, v))])
    assert graph["省经信厅"]["省通管局"]["tasks"] == ["1", "2", "3", "4", "20", "25", "28", "31", "35"]


def test_node_attributes(graph, plan):
    lead = Counter(a for _, leads, _ in RAW for a in leads)
    support = Counter(a for _, _, supports in RAW for a in supports)
    types = dict(zip(plan.agencies["agency"], plan.agencies["type"].astype(str), strict=True))
    for agency, data in graph.nodes(data=True):
        assert (data["lead"], data["support"], data["tasks"]) == (lead[agency], support[agency], task_counts()[agency])
        assert data["type"] == types[agency]
    assert {a for a, d in graph.nodes(data=True) if d["type"] == "collective"} == COLLECTIVES


def test_sheng_jingxinting_has_the_highest_degree(graph):
    degrees = dict(graph.degree())
    top = max(degrees, key=degrees.get)
    assert top == "省经信厅"
    assert sorted(degrees.values())[-1] > sorted(degrees.values())[-2]


def test_task_order_follows_seq_not_strings(plan):
    """Edge task lists follow table order, e.g. "2" before "10"."""
    g = net.co_assignment_graph(plan.assignments, plan.agencies, tasks=plan.tasks.iloc[::-1])
    for _, _, data in g.edges(data=True):
        assert data["tasks"] == sorted(data["tasks"], key=int)
    reverse = [str(i) for i in range(35, 0, -1)]
    g = net.co_assignment_graph(plan.assignments, plan.agencies, task_order=reverse)
    for _, _, data in g.edges(data=True):
        assert data["tasks"] == sorted(data["tasks"], key=int, reverse=True)


def test_lead_support_graph(plan):
    g = net.lead_support_graph(plan.assignments, plan.agencies, tasks=plan.tasks)
    expected: dict[tuple[str, str], list[str]] = {}
    for task_id, leads, supports in RAW:
        for u in leads:
            for v in supports:
                expected.setdefault((u, v), []).append(task_id)
    assert {(u, v): d["tasks"] for u, v, d in g.edges(data=True)} == expected
    assert all(d["weight"] == len(d["tasks"]) for _, _, d in g.edges(data=True))
    assert g.is_directed() and set(g.nodes) == set(RAW_ORDER)
    assert g["省经信厅"]["省科技厅"]["tasks"] == ["16", "29"]  # each leads tasks the other supports
    assert g["省科技厅"]["省经信厅"]["tasks"] == ["12", "17"]


def test_bipartite_graph(plan):
    g = net.bipartite_graph(plan.assignments, plan.agencies, tasks=plan.tasks)
    tasks = [n for n, d in g.nodes(data=True) if d["bipartite"] == 0]
    agencies = [n for n, d in g.nodes(data=True) if d["bipartite"] == 1]
    assert tasks == [f"task:{i}" for i in range(1, 36)]
    assert agencies == RAW_ORDER
    expected = {(f"task:{t}", a, "lead") for t, leads, _ in RAW for a in leads}
    expected |= {(f"task:{t}", a, "support") for t, _, supports in RAW for a in supports}
    assert {(u, v, d["role"]) if u.startswith("task:") else (v, u, d["role"]) for u, v, d in g.edges(data=True)} == expected
    assert nx.is_bipartite(g)
    assert g.nodes["task:1"]["theme"] == RAW_THEMES["1"]


def test_co_assignment_graph_matches_brute_force_on_a_large_random_table():
    table = synthetic_assignments(2000, 10_000)
    g = net.co_assignment_graph(table)
    expected: dict[frozenset, list[str]] = {}
    for task_id, group in table.groupby("task_id", sort=False):
        for u, v in itertools.combinations(group["agency"].tolist(), 2):
            expected.setdefault(frozenset((u, v)), []).append(task_id)
    assert graph_edges(g) == expected
    assert set(g.nodes) == set(table["agency"])


def test_empty_and_tiny_inputs():
    empty = pd.DataFrame(columns=["task_id", "agency", "role", "position"])
    g = net.co_assignment_graph(empty)
    assert g.number_of_nodes() == 0
    frame, stats = net.agency_metrics(g)
    assert frame.empty and stats.nodes == 0 and stats.density == 0.0
    assert net.layout(g) == {} and net.communities(g) == {}
    one = pd.DataFrame([("1", "甲", "lead", 1)], columns=["task_id", "agency", "role", "position"])
    g = net.co_assignment_graph(one)
    frame, stats = net.agency_metrics(g)
    assert frame["community"].tolist() == [1] and stats.edges == 0
    assert net.layout(g) == {"甲": (0.0, 0.0)}


# ----------------------------------------------------------------------------- metrics


def test_metrics_equal_networkx_functions(graph, metrics):
    frame, stats = metrics
    frame = frame.set_index("agency")
    assert frame.index.tolist() == RAW_ORDER
    assert frame["degree"].to_dict() == dict(graph.degree())
    assert frame["weighted_degree"].to_dict() == dict(graph.degree(weight="weight"))
    assert frame["core"].to_dict() == nx.core_number(graph)
    assert frame["betweenness"].to_dict() == nx.betweenness_centrality(graph, normalized=True)
    assert frame["closeness"].to_dict() == nx.closeness_centrality(graph)
    # the plan's graph is disconnected, where networkx's numpy solver refuses ...
    with pytest.raises(nx.AmbiguousSolution):
        nx.eigenvector_centrality_numpy(graph, weight="weight")
    # ... so the main component carries the eigenvector and the rest is 0
    main = max(nx.connected_components(graph), key=len)
    reference = nx.eigenvector_centrality_numpy(graph.subgraph(main), weight="weight")
    for agency, value in frame["eigenvector"].items():
        assert value == pytest.approx(reference.get(agency, 0.0), abs=1e-9)
    assert frame.loc["省文化和旅游厅", "eigenvector"] == 0.0
    assert frame.loc[["各省级单位", "各省属单位"], "eigenvector"].tolist() == [0.0, 0.0]
    assert frame["lead"].sum() == sum(len(lead) for _, lead, _ in RAW)

    assert stats.nodes == 34 and stats.edges == len(expected_edges())
    assert stats.density == nx.density(graph)
    assert stats.components == nx.number_connected_components(graph) == 3
    assert stats.average_clustering == pytest.approx(nx.average_clustering(graph), abs=1e-12)
    partition = [set(group.index) for _, group in frame.groupby("community")]
    assert stats.communities == len(partition) == frame["community"].max()
    assert stats.modularity == pytest.approx(nx.community.modularity(graph, partition, weight="weight"), abs=1e-12)
    degrees = [d for _, d in graph.degree()]
    assert stats.degree_centralization == pytest.approx(
        sum(max(degrees) - d for d in degrees) / ((34 - 1) * (34 - 2))
    )
    assert stats.betweenness_sampled is False and stats.betweenness_k is None
    assert frame["betweenness"].idxmax() == "省经信厅"


def test_eigenvector_equals_networkx_on_connected_graphs():
    small = nx.les_miserables_graph()  # weighted, connected, 77 nodes: dense solver
    ours = net.eigenvector_centrality(small)
    reference = nx.eigenvector_centrality_numpy(small, weight="weight")
    assert ours == pytest.approx(reference, abs=1e-9)
    large = net.co_assignment_graph(synthetic_assignments(700, 3000, seed=3))
    large = large.subgraph(max(nx.connected_components(large), key=len)).copy()
    assert large.number_of_nodes() > net.DENSE_EIGEN_MAX_NODES  # sparse solver
    ours = net.eigenvector_centrality(large)
    reference = nx.eigenvector_centrality_numpy(large, weight="weight")
    assert ours == pytest.approx(reference, abs=1e-8)
    assert net.eigenvector_centrality(large) == ours  # bit-identical on repeat


def test_eigenvector_never_raises(monkeypatch):
    pair = nx.Graph([("a", "b")])
    assert net.eigenvector_centrality(pair) == pytest.approx({"a": 2**-0.5, "b": 2**-0.5})
    twin = nx.Graph([(1, 2), (2, 3), (3, 1), (4, 5), (5, 6), (6, 4)])
    nx.set_edge_attributes(twin, 1, "weight")
    assert net.eigenvector_centrality(twin) == pytest.approx({n: 1 / math.sqrt(6) for n in twin})
    lonely = nx.Graph()
    lonely.add_nodes_from("xyz")
    assert net.eigenvector_centrality(lonely) == {"x": 0.0, "y": 0.0, "z": 0.0}

    def broken(*args, **kwargs):
        raise np.linalg.LinAlgError("no convergence")

    monkeypatch.setattr(np.linalg, "eigh", broken)
    star = nx.star_graph(4)
    nx.set_edge_attributes(star, 1, "weight")
    values = net.eigenvector_centrality(star)  # falls back to power iteration
    assert values == pytest.approx(nx.eigenvector_centrality_numpy(star, weight="weight"), abs=1e-6)
    monkeypatch.setattr(nx, "eigenvector_centrality", broken)
    values = net.eigenvector_centrality(star)  # last resort: normalised weighted degree
    assert values[0] == pytest.approx(4 / math.sqrt(20))


def test_fast_closeness_equals_networkx():
    g = net.co_assignment_graph(synthetic_assignments(500, 600, seed=5))
    assert nx.number_connected_components(g) > 1 and g.number_of_nodes() > 300
    ours = net.closeness_centrality(g)
    assert ours == pytest.approx(nx.closeness_centrality(g), abs=1e-12)
    assert net.closeness_centrality(g, fast_threshold=10) == pytest.approx(nx.closeness_centrality(g), abs=1e-12)


def test_betweenness_is_sampled_above_the_threshold():
    g = net.co_assignment_graph(synthetic_assignments(400, 800, seed=7))
    n = g.number_of_nodes()
    assert n > 250
    frame, stats = net.agency_metrics(g, betweenness_sample_threshold=50, seed=42)
    assert stats.betweenness_sampled is True and stats.betweenness_k == 200
    reference = nx.betweenness_centrality(g, k=200, normalized=True, seed=42)
    assert frame.set_index("agency")["betweenness"].to_dict() == reference
    again, stats_again = net.agency_metrics(g, betweenness_sample_threshold=50, seed=42)
    pd.testing.assert_frame_equal(frame, again)
    assert stats_again == stats
    exact_frame, exact = net.agency_metrics(g)
    assert exact.betweenness_sampled is False and exact.betweenness_k is None
    assert exact_frame.set_index("agency")["betweenness"].to_dict() == nx.betweenness_centrality(g)
    # k would cover every node: that is exact, and the stats do not claim a sample
    tiny = net.co_assignment_graph(synthetic_assignments(60, 100, seed=1))
    _, tiny_stats = net.agency_metrics(tiny, betweenness_sample_threshold=10)
    assert tiny_stats.betweenness_sampled is False


def test_metrics_are_deterministic(graph, metrics):
    frame, stats = net.agency_metrics(graph)
    pd.testing.assert_frame_equal(frame, metrics[0])
    assert stats == metrics[1]


# ----------------------------------------------------------------------------- communities, cores


def test_communities_are_stable_and_numbered_by_size(graph):
    first = net.communities(graph)
    assert first == net.communities(graph)
    assert set(first) == set(graph.nodes)
    sizes = Counter(first.values())
    numbers = sorted(sizes)
    assert numbers == list(range(1, len(numbers) + 1))
    assert [sizes[k] for k in numbers] == sorted(sizes.values(), reverse=True)
    order = {a: i for i, a in enumerate(RAW_ORDER)}
    smallest = {k: min(order[a] for a, c in first.items() if c == k) for k in numbers}
    for a, b in zip(numbers, numbers[1:]):
        if sizes[a] == sizes[b]:
            assert smallest[a] < smallest[b]
    # same partition as networkx's Louvain with the same seed on the same graph
    reference = {frozenset(c) for c in nx.community.louvain_communities(graph, weight="weight", seed=42)}
    ours = {frozenset(a for a, c in first.items() if c == k) for k in numbers}
    assert ours == reference
    assert first["各省级单位"] == first["各省属单位"]  # their own component


def test_core_periphery(graph):
    labels = net.core_periphery(graph)
    cores = nx.core_number(graph)
    top = max(cores.values())
    for agency, label in labels.items():
        k = cores[agency]
        expected = "core" if k == top else ("semi" if k >= top / 2 else "periphery")
        assert label == expected
    assert labels["省经信厅"] == "core" and labels["省文化和旅游厅"] == "periphery"


# ----------------------------------------------------------------------------- ego network, partners


def test_ego_network_and_partners_of_sheng_jingxinting(graph):
    expected = {
        (set(pair) - {"省经信厅"}).pop(): tasks for pair, tasks in expected_edges().items() if "省经信厅" in pair
    }
    ego = net.ego_network(graph, "省经信厅")
    assert set(ego.nodes) == {"省经信厅", *expected}
    assert list(ego.nodes) == [a for a in RAW_ORDER if a in ego]
    assert set(map(frozenset, ego.edges)) == {e for e in map(frozenset, graph.edges) if e <= set(ego.nodes)}
    assert net.ego_network(graph, "省经信厅", radius=2).number_of_nodes() >= ego.number_of_nodes()

    table = net.partners(graph, "省经信厅")
    assert list(table.columns) == ["partner", "type", "weight", "tasks"]
    assert dict(zip(table["partner"], table["tasks"], strict=True)) == expected
    assert table["weight"].tolist() == [len(expected[p]) for p in table["partner"]]
    order = {a: i for i, a in enumerate(RAW_ORDER)}
    keys = [(-w, order[p]) for p, w in zip(table["partner"], table["weight"], strict=True)]
    assert keys == sorted(keys)
    assert table.iloc[:2]["partner"].tolist() == ["省发展改革委", "省通管局"]  # 9 shared tasks each
    assert net.partners(graph, "省文化和旅游厅").empty


def test_unknown_agency_raises_key_error(graph):
    with pytest.raises(KeyError, match="不存在单位|not in the network"):
        net.partners(graph, "不存在单位")
    with pytest.raises(KeyError, match="not in the network"):
        net.ego_network(graph, "nobody")


# ----------------------------------------------------------------------------- filters


def snapshot(g: nx.Graph):
    return list(g.nodes(data=True)), [(u, v, dict(d)) for u, v, d in g.edges(data=True)]


def test_filters_return_new_graphs_and_leave_the_input_alone(graph, plan):
    before = json.dumps(snapshot(graph), ensure_ascii=False, default=str)
    shown = net.filter_graph(graph, min_weight=3, include_collective=False, types={"government_department"})
    shown.nodes["省经信厅"]["lead"] = -1
    next(iter(shown.edges(data=True)))[2]["tasks"].append("x")
    net.filter_graph(graph, themes={"网络基础设施"}, tasks=plan.tasks, assignments=plan.assignments, top_n=3)
    assert json.dumps(snapshot(graph), ensure_ascii=False, default=str) == before
    unfiltered = net.filter_graph(graph)
    assert unfiltered is not graph and snapshot(unfiltered) == snapshot(graph)


def test_filter_by_type(graph, plan):
    types = dict(zip(plan.agencies["agency"], plan.agencies["type"].astype(str), strict=True))
    shown = net.filter_graph(graph, types={"enterprise", "central_branch"})
    kept = [a for a in RAW_ORDER if types[a] in {"enterprise", "central_branch"}]
    assert list(shown.nodes) == kept
    assert graph_edges(shown) == {e: t for e, t in expected_edges().items() if e <= set(kept)}


def test_filter_min_weight_keeps_nodes_unless_asked(graph):
    shown = net.filter_graph(graph, min_weight=3)
    assert list(shown.nodes) == RAW_ORDER
    assert graph_edges(shown) == {e: t for e, t in expected_edges().items() if len(t) >= 3}
    trimmed = net.filter_graph(graph, min_weight=3, drop_isolates=True)
    assert set(trimmed.nodes) == {a for e in graph_edges(shown) for a in e}
    with pytest.raises(ValueError):
        net.filter_graph(graph, min_weight=0)


def test_filter_drops_collective_designations(graph):
    shown = net.filter_graph(graph, include_collective=False)
    assert set(graph.nodes) - set(shown.nodes) == COLLECTIVES
    assert graph_edges(shown) == {e: t for e, t in expected_edges().items() if not e & COLLECTIVES}
    assert net.hidden_summary(graph, shown)["nodes_hidden"] == 3


def test_filter_by_theme_recounts_weights(graph, plan):
    theme = "网络基础设施"
    shown = net.filter_graph(graph, themes={theme}, tasks=plan.tasks, assignments=plan.assignments)
    in_theme = {t for t, th in RAW_THEMES.items() if th == theme}
    expected = expected_edges(task_filter=in_theme.__contains__)
    assert graph_edges(shown) == expected
    assert all(d["weight"] == len(expected[frozenset((u, v))]) for u, v, d in shown.edges(data=True))
    assert shown["省经信厅"]["省通管局"]["weight"] < graph["省经信厅"]["省通管局"]["weight"]
    members = [a for a in RAW_ORDER if any(a in lead + support for t, lead, support in RAW if t in in_theme)]
    assert list(shown.nodes) == members
    counts = Counter(a for t, lead, support in RAW if t in in_theme for a in lead)
    assert {a: d["lead"] for a, d in shown.nodes(data=True)} == {a: counts[a] for a in members}
    # combined with the collective filter: collectives do not link anyone
    both = net.filter_graph(graph, themes={theme}, include_collective=False, tasks=plan.tasks, assignments=plan.assignments)
    assert graph_edges(both) == expected_edges(task_filter=in_theme.__contains__, keep=lambda a: a not in COLLECTIVES)
    with pytest.raises(ValueError, match="unknown theme"):
        net.filter_graph(graph, themes={"无此主题"}, tasks=plan.tasks, assignments=plan.assignments)
    with pytest.raises(ValueError):
        net.filter_graph(graph, themes={theme})


def test_filter_top_n(graph):
    shown = net.filter_graph(graph, top_n=5)
    counts = task_counts()
    order = {a: i for i, a in enumerate(RAW_ORDER)}
    expected = sorted(RAW_ORDER, key=lambda a: (-counts[a], order[a]))[:5]
    assert set(shown.nodes) == set(expected)
    assert list(shown.nodes) == [a for a in RAW_ORDER if a in expected]
    assert "省经信厅" in shown
    assert graph_edges(shown) == {e: t for e, t in expected_edges().items() if e <= set(expected)}


def test_hidden_summary(graph):
    shown = net.filter_graph(graph, min_weight=2, include_collective=False)
    summary = net.hidden_summary(graph, shown)
    assert summary["nodes_hidden"] == 3
    assert summary["edges_hidden"] == graph.number_of_edges() - shown.number_of_edges()
    assert summary["edges_hidden"] == sum(
        1 for e, t in expected_edges().items() if len(t) < 2 or e & COLLECTIVES
    )
    assert net.hidden_summary(graph, graph)["nodes_hidden"] == 0


# ----------------------------------------------------------------------------- layout


def test_layout_is_deterministic_and_normalised(graph):
    first = net.layout(graph)
    assert first == net.layout(graph)
    assert list(first) == list(graph.nodes)
    coords = np.array(list(first.values()))
    assert np.abs(coords).max() == 1.0 and np.abs(coords).max() <= 1.0
    assert all(round(x, 6) == x for xy in first.values() for x in xy)
    # no two agencies on top of each other
    distances = np.sqrt(((coords[:, None] - coords[None]) ** 2).sum(-1)) + np.eye(len(coords)) * 9
    assert distances.min() > 0.02
    big = net.co_assignment_graph(synthetic_assignments(400, 900, seed=2))
    assert net.layout(big) == net.layout(big)


# ----------------------------------------------------------------------------- explanations


def test_metric_explanations_cover_every_metric():
    required = {
        "lead", "support", "degree", "weighted_degree", "betweenness", "closeness", "eigenvector",
        "core", "community", "density", "degree_centralization", "average_clustering", "modularity",
    }
    assert required <= set(net.METRIC_EXPLANATIONS)
    for key, texts in net.METRIC_EXPLANATIONS.items():
        assert set(texts) == {"zh", "en", "name_zh", "name_en"}, key
        assert all(texts.values()), key
        assert re.search(r"[\u4e00-\u9fff]", texts["zh"] + texts["name_zh"]), key
    assert net.METRIC_EXPLANATIONS["betweenness"]["name_zh"] == "中介中心度"
    assert net.METRIC_EXPLANATIONS["betweenness"]["name_en"] == "Betweenness"


# ----------------------------------------------------------------------------- CLI


def run_cli(*args: str, hash_seed: str = "0") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.run(
        [sys.executable, "-m", "analysis", "network", *args],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env, timeout=120,
    )


def test_cli_json_is_identical_across_fresh_runs_and_matches_the_library(graph, metrics):
    first = run_cli("--json", hash_seed="1")
    second = run_cli("--json", hash_seed="2")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert set(data) == {
        "nodes", "edges", "density", "communities", "components", "degree_centralization",
        "average_clustering", "modularity", "betweenness_sampled", "betweenness_k",
    }
    assert [n["name"] for n in data["nodes"]] == RAW_ORDER
    assert set(data["nodes"][0]) == {
        "name", "type", "lead", "support", "degree", "weighted_degree", "betweenness",
        "closeness", "eigenvector", "core", "community",
    }
    order = {a: i for i, a in enumerate(RAW_ORDER)}
    keys = [(order[e["source"]], order[e["target"]]) for e in data["edges"]]
    assert keys == sorted(keys) and all(s < t for s, t in keys)
    expected = expected_edges()
    assert {frozenset((e["source"], e["target"])): [str(t) for t in e["tasks"]] for e in data["edges"]} == expected
    assert all(isinstance(t, int) for e in data["edges"] for t in e["tasks"])
    frame, stats = metrics
    for node, row in zip(data["nodes"], frame.itertuples(index=False), strict=True):
        assert node["betweenness"] == round(row.betweenness, 6)
        assert node["eigenvector"] == round(row.eigenvector, 6)
        assert node["community"] == row.community and node["degree"] == row.degree
    assert data["communities"] == stats.communities
    assert data["density"] == round(stats.density, 6)
    assert data["betweenness_sampled"] is False and data["betweenness_k"] is None
    for value in re.findall(r"\d+\.\d+", first.stdout):
        assert len(value.split(".")[1]) <= 6


def test_cli_options_and_errors(tmp_path):
    result = run_cli("--json", "--compact", "--no-collective", "--min-weight", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1
    data = json.loads(result.stdout)
    assert not {n["name"] for n in data["nodes"]} & COLLECTIVES
    assert len(data["nodes"]) == 31
    assert all(e["weight"] >= 2 for e in data["edges"])
    assert len(data["edges"]) == sum(1 for e, t in expected_edges().items() if len(t) >= 2 and not e & COLLECTIVES)
    text = run_cli()
    assert text.returncode == 0 and "省经信厅" in text.stdout
    missing = run_cli(str(tmp_path / "missing.txt"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr and missing.stderr.startswith("错误 error")
    bad = run_cli("--min-weight", "0")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_layout_of_a_core_agencys_ego_network_with_repeated_eigenvalues():
    # 20 core agencies on every task, one peripheral agency per task: the ego network of a
    # core agency gives a distance matrix with repeated eigenvalues, where LAPACK's subset
    # eigen-solver returned nothing (the app failed on such a plan)
    lines = ["序号,重点工作任务,牵头单位,配合单位"]
    lines += [f"{i},推进第{i}项工作。,核心{i % 20:02d}厅,核心{(i + 1) % 20:02d}厅、外围{i:03d}中心" for i in range(1, 201)]
    plan = plan_from_bytes(("\n".join(lines) + "\n").encode("utf-8"), "hub.csv")
    graph = net.co_assignment_graph(plan.assignments, plan.agencies, tasks=plan.tasks)
    for max_partners in (None, 40):
        ego = net.ego_network(graph, "核心00厅", max_partners=max_partners)
        positions = net.layout(ego)
        assert set(positions) == set(ego.nodes)
        coords = np.array(list(positions.values()))
        assert np.isfinite(coords).all() and np.abs(coords).max() == pytest.approx(1.0)
        assert len({tuple(np.round(c, 6)) for c in coords}) == len(coords)  # no two agencies on one spot


@pytest.mark.parametrize(("weights", "max_edges", "expected"), [
    ([], 10, 1),
    ([1, 1, 1], 3, 1),                # few enough ties: all shown
    ([5, 4, 3, 2, 1], 3, 3),          # 3 ties of weight ≥ 3
    ([5, 4, 3, 3, 3, 1], 3, 4),       # weight 3 would give 5 ties: 4 leaves 2
    ([2, 2, 2, 2], 2, 2),             # all ties equally heavy: the heaviest always stays
    ([9, 1, 1, 1], 0, 9),
])
def test_legible_min_weight(weights, max_edges, expected):
    graph = nx.Graph()
    for i, w in enumerate(weights):
        graph.add_edge(f"a{i}", f"b{i}", weight=w)
    threshold = net.legible_min_weight(graph, max_edges)
    assert threshold == expected
    kept = sum(1 for w in weights if w >= threshold)
    assert kept <= max_edges or threshold == max(weights)
    if threshold > 1:  # one less would draw too many
        assert sum(1 for w in weights if w >= threshold - 1) > max_edges
