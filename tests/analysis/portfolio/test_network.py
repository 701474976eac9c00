"""The network across plans: plans as an edge attribute, a filter by plan, centrality across the portfolio."""

from __future__ import annotations

import itertools

from analysis.model import plan_from_bytes
from analysis.portfolio import assemble, centrality, cross_plan_graph, digest_of, plan_subgraph
from tests.analysis.portfolio.conftest import SYNTHETIC_ZHEJIANG
from tests.analysis.portfolio.test_compare import LIAONING
from tests.conftest import independent_rows


def test_edges_carry_their_plans_and_regions_stay_apart(bundled_plan, corpus_plans):
    synthetic = plan_from_bytes(SYNTHETIC_ZHEJIANG.encode("utf-8"), "synthetic.csv")
    liaoning = dict(corpus_plans)["liaoning_2024.txt"]
    portfolio = assemble([(1, 1, digest_of(bundled_plan, region="浙江省")), (2, 1, digest_of(synthetic, region="浙江省")),
                          (3, 1, digest_of(liaoning))])
    graph = cross_plan_graph(portfolio)
    # 省经信厅 and 省发展改革委 share these tasks of the Zhejiang table (read from its text) and task 1 of the synthetic one.
    both = sum(1 for row in independent_rows() if {"省经信厅", "省发展改革委"} <= set(row["lead"]) | set(row["support"]))
    edge = graph.edges["浙江省｜省经信厅", "浙江省｜省发展改革委"]
    assert edge["plans"] == {1: both, 2: 1} and edge["weight"] == both + 1
    # Liaoning's agencies are among themselves: its ties are the pairs of its tasks' units.
    liaoning_nodes = [n for n in graph if n.startswith("辽宁省｜")]
    assert len(liaoning_nodes) == len({u for units in LIAONING.values() for u in units})
    pairs = {frozenset(p) for units in LIAONING.values() for p in itertools.combinations(units, 2)}
    assert graph.subgraph(liaoning_nodes).number_of_edges() == len(pairs)
    assert not any(graph.has_edge(a, b) for a in liaoning_nodes for b in graph if b.startswith("浙江省｜"))
    # Filtered to the synthetic plan: only its ties, counted in it alone.
    only = plan_subgraph(graph, [2])
    assert only.edges["浙江省｜省经信厅", "浙江省｜省发展改革委"]["weight"] == 1
    assert all(set(d["plans"]) == {2} for _, _, d in only.edges(data=True))
    assert cross_plan_graph(portfolio, plan_ids=[2]).number_of_edges() == only.number_of_edges()
    metrics, stats = centrality(graph)
    assert len(metrics) == graph.number_of_nodes() == stats.nodes
    assert metrics.iloc[0]["key"] == "浙江省｜省经信厅"  # the most shared tasks across the portfolio
    row = metrics.set_index("key").loc["浙江省｜省经信厅"]
    assert row["plans"] == 2 and row["weighted_degree"] == sum(d["weight"] for d in graph["浙江省｜省经信厅"].values())
