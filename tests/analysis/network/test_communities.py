"""Louvain communities (numbered by size from 1) and the core–periphery split."""

from __future__ import annotations

import itertools
from collections import Counter

import networkx as nx
import pytest

from analysis import derive, figures
from analysis import network as net
from analysis.i18n import t
from tests.analysis.network.raw import RAW_ORDER


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
    for a, b in itertools.pairwise(numbers):
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


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chart_legend_numbers_communities_as_the_metrics_table(plan, graph, metrics, lang):
    """The network chart coloured by community names each group as the metrics table
    numbers it: the largest community is 群组 1 / Community 1 in both."""
    frame, _ = metrics
    table = derive.metrics_table(frame, net.METRIC_EXPLANATIONS, lang)
    column = net.METRIC_EXPLANATIONS["community"][f"name_{lang}"]
    in_table = dict(zip(table[table.columns[0]], table[column], strict=True))
    assert sorted(set(in_table.values())) == list(range(net.FIRST_COMMUNITY, frame["community"].max() + 1))
    communities = dict(zip(frame["agency"], frame["community"], strict=True))
    fig = figures.network_figure(plan, graph, net.layout(graph), lang, color_by="community", communities=communities)
    legend = {}
    for trace in fig.data:
        if trace.customdata is not None:  # node traces: one per community, members in customdata
            numbers = {communities[row[0]] for row in trace.customdata}
            assert len(numbers) == 1, trace.name
            legend[trace.name] = numbers.pop()
    assert legend == {t("community_label", lang, n=number): number for number in set(communities.values())}
    assert t("community_label", lang, n=1) in legend  # the largest group is 1, as in the table
